def dhuber_dr(r, delta, bloss=1.0):
    # primal
    a = np.abs(r)
    if a <= delta:
        t0 = r ** 2
        loss = 0.5 * t0
    else:
        t1 = 0.5 * delta
        t2 = a - t1
        loss = delta * t2
    # adjoint
    require_scalar(loss, 'huber')
    if a <= delta:
        bt0 = bloss * 0.5                 # loss = 0.5 * t0
        br = unbroadcast(bt0 * 2 * r, r)  # t0 = r ** 2
        ba = zeros_like(a)
    else:
        bt2 = bloss * delta       # loss = delta * t2
        ba = unbroadcast(bt2, a)  # t2 = a - t1
        br = zeros_like(r)
    br = br + ba * np.sign(r)  # a = np.abs(r)
    return br

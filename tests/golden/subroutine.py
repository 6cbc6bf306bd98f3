def dtwo_layer_dw1_dw2(w1, w2, x, bt2=1.0):
    # primal
    t0 = w1 * x
    h, softplus_pullback = softplus_vjp(t0)
    t1 = w2 * h
    t2, softplus_pullback_1 = softplus_vjp(t1, beta=2.0)
    # adjoint
    require_scalar(t2, 'two_layer')
    bt1 = softplus_pullback_1(bt2)  # t2 = softplus(t1, beta=2.0)
    bw2 = bt1 * h                   # t1 = w2 * h
    bh = unbroadcast(bt1 * w2, h)
    bt0 = softplus_pullback(bh)     # h = softplus(t0)
    bw1 = bt0 * x                   # t0 = w1 * x
    return unbroadcast(bw1, w1), unbroadcast(bw2, w2)


def softplus_vjp(z, beta=1.0):
    # primal
    t0 = beta * z
    t1 = np.exp(t0)
    t2 = np.log1p(t1)
    t3 = t2 / beta

    def pullback(bt3):
        # adjoint
        bt2 = bt3 / beta        # t3 = t2 / beta
        bt1 = bt2 / (1.0 + t1)  # t2 = np.log1p(t1)
        bt0 = bt1 * t1          # t1 = np.exp(t0)
        bz = bt0 * beta         # t0 = beta * z
        return unbroadcast(bz, z)
    return t3, pullback

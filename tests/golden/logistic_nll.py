def dlogistic_nll_dw(w, X, y, bt11=1.0):
    # primal
    z = X @ w
    t0 = -z
    t1 = np.exp(t0)
    t2 = 1.0 + t1
    p = 1.0 / t2
    t5 = 1.0 - y
    t6 = 1.0 - p
    # not needed by the derivative:
    # t3 = np.log(p)
    # t4 = y * t3
    # t7 = np.log(t6)
    # t8 = t5 * t7
    # t9 = t4 + t8
    # t10 = np.sum(t9)
    # t11 = -t10
    # adjoint
    bt10 = -bt11                         # t11 = -t10
    t9_shape = broadcast_of(y, z)        # t10 = np.sum(t9)
    bt9 = bt10
    bt4 = bt9                            # t9 = t4 + t8
    bt8 = bt9
    bt7 = bt8 * t5                       # t8 = t5 * t7
    bt6 = bt7 / t6                       # t7 = np.log(t6)
    bp = -bt6                            # t6 = 1.0 - p
    bt3 = bt4 * y                        # t4 = y * t3
    bp = bp + bt3 / p                    # t3 = np.log(p)
    bt2 = -(bp / t2 ** 2)                # p = 1.0 / t2
    bt1 = bt2                            # t2 = 1.0 + t1
    bt0 = bt1 * t1                       # t1 = np.exp(t0)
    bz = unbroadcast(-bt0, z, t9_shape)  # t0 = -z
    bw = matmul_adjoint_b(bz, X, w)      # z = X @ w
    return bw

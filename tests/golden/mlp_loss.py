def dmlp_loss_dW1_db1_dW2_db2(W1, b1, W2, b2, X, y, bt4=1.0):
    # primal
    t0 = X @ W1
    t1 = t0 + b1
    h = np.tanh(t1)
    t2 = h @ W2
    out = t2 + b2
    err = out - y
    t3 = err ** 2
    # not needed by the derivative:
    # t4 = np.mean(t3)
    # adjoint
    bt3 = bt4 / np.size(t3)             # t4 = np.mean(t3)
    berr = bt3 * 2 * err                # t3 = err ** 2
    bout = berr                         # err = out - y
    bt2 = unbroadcast(bout, t2)         # out = t2 + b2
    bb2 = bout
    bh = matmul_adjoint_a(bt2, h, W2)   # t2 = h @ W2
    bW2 = matmul_adjoint_b(bt2, h, W2)
    bt1 = bh * (1.0 - h * h)            # h = np.tanh(t1)
    bt0 = unbroadcast(bt1, t0)          # t1 = t0 + b1
    bb1 = bt1
    bW1 = matmul_adjoint_b(bt0, X, W1)  # t0 = X @ W1
    return bW1, unbroadcast(bb1, b1), bW2, unbroadcast(bb2, b2)

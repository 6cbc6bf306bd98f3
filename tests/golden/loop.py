def drnn_dW_dU(W, U, xs, h, bt4=1.0):
    # primal
    tape = []  # what each iteration keeps for the adjoint
    for i in range(len(xs)):
        x = xs[i]
        t0 = W @ x
        t1 = U @ h
        t2 = t0 + t1
        h_1 = np.tanh(t2)
        tape.append((h, x, t0, t1, h_1))
        h = h_1
    # not needed by the derivative:
    # t3 = h ** 2
    # t4 = np.sum(t3)
    # adjoint
    bt3 = bt4                                      # t4 = np.sum(t3)
    bh = bt3 * 2 * h                               # t3 = h ** 2
    bU = zeros_like(U)
    bW = zeros_like(W)
    for h_prev, x, t0, t1, h_1 in reversed(tape):  # the loop above, last iteration first
        bh_1 = bh                                   # h = h_1
        bt2 = bh_1 * (1.0 - h_1 * h_1)              # h_1 = np.tanh(t2)
        bt0 = unbroadcast(bt2, t0)                  # t2 = t0 + t1
        bt1 = unbroadcast(bt2, t1)
        bU = bU + matmul_adjoint_a(bt1, U, h_prev)  # t1 = U @ h
        bh = matmul_adjoint_b(bt1, U, h_prev)
        bW = bW + matmul_adjoint_a(bt0, W, x)       # t0 = W @ x
    return bW, bU

def trace_vjp(x1, x2):
    # primal
    t0 = np.log(x1)
    t1 = x1 * x2
    t2 = t0 + t1
    t3 = np.sin(x2)
    t4 = t2 - t3

    def pullback(bt4):
        # adjoint
        bt2 = bt4               # t4 = t2 - t3
        bt3 = -bt4
        bx2 = bt3 * np.cos(x2)  # t3 = np.sin(x2)
        bt0 = bt2               # t2 = t0 + t1
        bt1 = bt2
        bx1 = bt1 * x2          # t1 = x1 * x2
        bx2 = bx2 + bt1 * x1
        bx1 = bx1 + bt0 / x1    # t0 = np.log(x1)
        return unbroadcast(bx1, x1), unbroadcast(bx2, x2)
    return t4, pullback

def dnll_dm_ds(x, m, s, bc=1.0):
    # primal
    t0 = x - m
    t1 = t0 / s
    t2 = np.log(s)
    t3 = t1 ** 2
    t4 = t2 + np.log(2 * np.pi) / 2
    t5 = t3 / 2
    c = t4 + t5
    # adjoint
    require_scalar(c, 'nll')
    bt4 = bc            # c = t4 + t5
    bt5 = bc
    bt3 = bt5 / 2       # t5 = t3 / 2
    bt2 = bt4           # t4 = t2 + np.log(2 * np.pi) / 2
    bt1 = bt3 * 2 * t1  # t3 = t1 ** 2
    bs = bt2 / s        # t2 = np.log(s)
    bt0 = bt1 / s       # t1 = t0 / s
    bs = bs - bt1 * t0 / s ** 2
    bm = -bt0           # t0 = x - m
    return unbroadcast(bm, m), unbroadcast(bs, s)

def nll(x, m, s):
    t0 = x - m
    t1 = t0 / s
    t2 = np.log(s)
    t3 = t1 ** 2
    t4 = t2 + np.log(2 * np.pi) / 2
    t5 = t3 / 2
    c = t4 + t5
    return c

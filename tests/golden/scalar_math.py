def dscalar_math_dx_dy(x, y, ba_1=1.0):
    # primal
    t0 = math.sin(x)
    a = t0 * y
    t1 = x * y
    t2 = math.cos(t1)
    a_1 = a + t2
    # adjoint
    ba = ba_1                    # a_1 = a + t2
    bt2 = ba_1
    bt1 = -(bt2 * math.sin(t1))  # t2 = math.cos(t1)
    bx = bt1 * y                 # t1 = x * y
    by = bt1 * x
    bt0 = ba * y                 # a = t0 * y
    by = by + ba * t0
    bx = bx + bt0 * math.cos(x)  # t0 = math.sin(x)
    return a_1, (unbroadcast(bx, x), by)

def dshared_dx(x, bL=1.0):
    # primal
    a = x ** 2
    b = 5 * a
    c = a * b
    L = -c
    # adjoint
    require_scalar(L, 'shared')
    bc = -bL          # L = -c
    ba = bc * b       # c = a * b
    bb = bc * a
    ba = ba + bb * 5  # b = 5 * a
    bx = ba * 2 * x   # a = x ** 2
    return bx

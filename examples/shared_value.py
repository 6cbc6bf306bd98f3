"""Reusing values: the course notes' example where one value feeds two operations.

The notes (004_automatic_differentiation, "Partial derivatives revisited" and "Backward
pass") compute

    x = 2,  a = x**2,  b = 5a,  c = ab,  L = -c

``a`` is used twice (directly in ``c = a * b`` and through ``b = 5 * a``), so its adjoint is
a sum of two contributions, the total derivative:

    dL/da = dL/dc * dc/da + dL/db * db/da = -1 * 20 + -4 * 5 = -40
    dL/dx = dL/da * da/dx = -40 * 4 = -160

In the generated code ``ba`` is first set from ``c = a * b`` and then incremented from
``b = 5 * a``: the "gradient adder" of the notes. (We pass x = 2.0, not 2: s2sad refuses to
differentiate with respect to an integer.)

Run: python examples/shared_value.py
"""

import s2sad


def loss(x):
    a = x ** 2
    b = 5 * a
    c = a * b
    L = -c
    return L


X = 2.0


def main():
    print("Primal trace (s2sad.ssa):")
    print(s2sad.ssa(loss))
    print("Generated adjoint (s2sad.source(loss)):")
    print(s2sad.source(loss))

    value, dx = s2sad.value_and_grad(loss)(X)
    print(f"at x = {X:g}: L = {float(value):g}, dL/dx = {float(dx):g}")
    print("notes: dL/dx = dL/da * da/dx = -40 * 4 = -160")
    return value, dx


if __name__ == "__main__":
    main()

"""NumPy's elementwise functions: d/dx f(x) times the output adjoint ``g``."""

import numpy as np

from .registry import reverse


@reverse(np.exp, elementwise=True)
def exp(g, ans, x):
    return g * ans


@reverse(np.log, elementwise=True)
def log(g, ans, x):
    return g / x


@reverse(np.log1p, elementwise=True)
def log1p(g, ans, x):
    return g / (1.0 + x)


@reverse(np.expm1, elementwise=True)
def expm1(g, ans, x):
    return g * (ans + 1.0)


@reverse(np.sqrt, elementwise=True)
def sqrt(g, ans, x):
    return g / (2.0 * ans)


@reverse(np.square, elementwise=True)
def square(g, ans, x):
    return g * 2.0 * x


@reverse(np.sin, elementwise=True)
def sin(g, ans, x):
    return g * np.cos(x)


@reverse(np.cos, elementwise=True)
def cos(g, ans, x):
    return -(g * np.sin(x))


@reverse(np.tan, elementwise=True)
def tan(g, ans, x):
    return g * (1.0 + ans * ans)


@reverse(np.arcsin, elementwise=True)
def arcsin(g, ans, x):
    return g / np.sqrt(1.0 - x * x)


@reverse(np.arccos, elementwise=True)
def arccos(g, ans, x):
    return -(g / np.sqrt(1.0 - x * x))


@reverse(np.arctan, elementwise=True)
def arctan(g, ans, x):
    return g / (1.0 + x * x)


@reverse(np.sinh, elementwise=True)
def sinh(g, ans, x):
    return g * np.cosh(x)


@reverse(np.cosh, elementwise=True)
def cosh(g, ans, x):
    return g * np.sinh(x)


@reverse(np.tanh, elementwise=True)
def tanh(g, ans, x):
    return g * (1.0 - ans * ans)


@reverse(np.abs, abs, elementwise=True)
def absolute(g, ans, x):
    return g * np.sign(x)


@reverse(np.maximum, elementwise=True)
def maximum(g, ans, x, y):
    return g * (x >= y), g * (x < y)


@reverse(np.minimum, elementwise=True)
def minimum(g, ans, x, y):
    return g * (x <= y), g * (x > y)


@reverse(np.where, elementwise=True)
def where(g, ans, condition, x, y):
    return None, np.where(condition, g, 0.0), np.where(condition, 0.0, g)

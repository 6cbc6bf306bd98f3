"""Python's ``math`` module, for scalar code."""

import math

from ..runtime import log_or_zero
from .registry import reverse


@reverse(math.exp, elementwise=True)
def exp(g, ans, x):
    return g * ans


@reverse(math.log, elementwise=True)
def log(g, ans, x, base=None):
    """d/db log(x, b) = -log(x) / (b * log(b)**2) = -ans / (b * log(b))."""
    return (g / x if base is None else g / (x * math.log(base)),
            -(g * ans / (base * math.log(base))))


@reverse(math.log1p, elementwise=True)
def log1p(g, ans, x):
    return g / (1.0 + x)


@reverse(math.expm1, elementwise=True)
def expm1(g, ans, x):
    return g * (ans + 1.0)


@reverse(math.log2, elementwise=True)
def log2(g, ans, x):
    return g / (x * math.log(2.0))


@reverse(math.log10, elementwise=True)
def log10(g, ans, x):
    return g / (x * math.log(10.0))


@reverse(math.sqrt, elementwise=True)
def sqrt(g, ans, x):
    return g / (2.0 * ans)


@reverse(math.pow, elementwise=True)
def pow(g, ans, x, y):
    return g * y * x ** (y - 1), g * ans * log_or_zero(x)


@reverse(math.sin, elementwise=True)
def sin(g, ans, x):
    return g * math.cos(x)


@reverse(math.cos, elementwise=True)
def cos(g, ans, x):
    return -(g * math.sin(x))


@reverse(math.tan, elementwise=True)
def tan(g, ans, x):
    return g * (1.0 + ans * ans)


@reverse(math.asin, elementwise=True)
def asin(g, ans, x):
    return g / math.sqrt(1.0 - x * x)


@reverse(math.acos, elementwise=True)
def acos(g, ans, x):
    return -(g / math.sqrt(1.0 - x * x))


@reverse(math.atan, elementwise=True)
def atan(g, ans, x):
    return g / (1.0 + x * x)


@reverse(math.atan2, elementwise=True)
def atan2(g, ans, y, x):
    return g * x / (x * x + y * y), -(g * y / (x * x + y * y))


@reverse(math.sinh, elementwise=True)
def sinh(g, ans, x):
    return g * math.cosh(x)


@reverse(math.cosh, elementwise=True)
def cosh(g, ans, x):
    return g * math.sinh(x)


@reverse(math.tanh, elementwise=True)
def tanh(g, ans, x):
    return g * (1.0 - ans * ans)


@reverse(math.fabs, elementwise=True)
def fabs(g, ans, x):
    return g * math.copysign(1.0, x)


@reverse(math.hypot, elementwise=True)
def hypot(g, ans, x, y=0.0, z=0.0, w=0.0):
    """Up to four operands: the compiler gives no per-operand adjoints to a ``*xs`` parameter."""
    return g * x / ans, g * y / ans, g * z / ans, g * w / ans


@reverse(math.erf, elementwise=True)
def erf(g, ans, x):
    return g * 2.0 / math.sqrt(math.pi) * math.exp(-x * x)


@reverse(math.erfc, elementwise=True)
def erfc(g, ans, x):
    return -(g * 2.0 / math.sqrt(math.pi) * math.exp(-x * x))


@reverse(math.degrees, elementwise=True)
def degrees(g, ans, x):
    return g * (180.0 / math.pi)


@reverse(math.radians, elementwise=True)
def radians(g, ans, x):
    return g * (math.pi / 180.0)


@reverse(math.copysign, elementwise=True)
def copysign(g, ans, x, y):
    """|x| with the sign of y (``math.fabs``'s adjoint calls it): piecewise constant in y."""
    return g * math.copysign(1.0, x) * math.copysign(1.0, y), None

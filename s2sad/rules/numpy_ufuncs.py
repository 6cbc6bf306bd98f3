"""NumPy's elementwise functions: d/dx f(x) times the output adjoint ``g``."""

import operator

import numpy as np

from ..runtime import log_or_zero, sinc_slope
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


# --- exponentials, logarithms and powers ----------------------------------------------
@reverse(np.exp2, elementwise=True)
def exp2(g, ans, x):
    return g * ans * np.log(2.0)


@reverse(np.log2, elementwise=True)
def log2(g, ans, x):
    return g / (x * np.log(2.0))


@reverse(np.log10, elementwise=True)
def log10(g, ans, x):
    return g / (x * np.log(10.0))


@reverse(np.cbrt, elementwise=True)
def cbrt(g, ans, x):
    return g / (3.0 * ans * ans)


@reverse(np.reciprocal, elementwise=True)
def reciprocal(g, ans, x):
    return -(g * ans * ans)


@reverse(np.float_power, elementwise=True)
def float_power(g, ans, x, y):
    return g * y * np.float_power(x, y - 1.0), g * ans * log_or_zero(x)


@reverse(np.logaddexp, elementwise=True)
def logaddexp(g, ans, x, y):
    """ans = log(exp(x) + exp(y)), so d/dx = exp(x) / exp(ans)."""
    return g * np.exp(x - ans), g * np.exp(y - ans)


@reverse(np.logaddexp2, elementwise=True)
def logaddexp2(g, ans, x, y):
    return g * np.exp2(x - ans), g * np.exp2(y - ans)


@reverse(np.ldexp, elementwise=True)
def ldexp(g, ans, x, i):
    """x * 2**i; the integer exponent ``i`` is not differentiable."""
    return np.ldexp(g, i), None


# --- trigonometric and hyperbolic -----------------------------------------------------
@reverse(np.sinc, elementwise=True)
def sinc(g, ans, x):
    return g * sinc_slope(x)


@reverse(np.arcsinh, elementwise=True)
def arcsinh(g, ans, x):
    return g / np.sqrt(x * x + 1.0)


@reverse(np.arccosh, elementwise=True)
def arccosh(g, ans, x):
    return g / np.sqrt(x * x - 1.0)


@reverse(np.arctanh, elementwise=True)
def arctanh(g, ans, x):
    return g / (1.0 - x * x)


@reverse(np.arctan2, elementwise=True)
def arctan2(g, ans, y, x):
    return g * x / (x * x + y * y), -(g * y / (x * x + y * y))


@reverse(np.hypot, elementwise=True)
def hypot(g, ans, x, y):
    return g * x / ans, g * y / ans


@reverse(np.deg2rad, np.radians, elementwise=True)
def deg2rad(g, ans, x):
    return g * (np.pi / 180.0)


@reverse(np.rad2deg, np.degrees, elementwise=True)
def rad2deg(g, ans, x):
    return g * (180.0 / np.pi)


# --- signs, remainders, clipping ---------------------------------------------------------
@reverse(np.fabs, elementwise=True)
def fabs(g, ans, x):
    return g * np.sign(x)


@reverse(np.copysign, elementwise=True)
def copysign(g, ans, x, y):
    """|x| with the sign of y: piecewise constant in y."""
    return g * np.sign(x) * np.copysign(1.0, y), None


@reverse(np.remainder, operator.mod, elementwise=True)
def remainder(g, ans, x, y):
    """x - floor(x / y) * y (``np.mod`` and ``%``): the quotient is piecewise constant."""
    return g, -(g * np.floor_divide(x, y))


@reverse(np.fmod, elementwise=True)
def fmod(g, ans, x, y):
    """x - trunc(x / y) * y: the quotient is piecewise constant."""
    return g, -(g * np.trunc(x / y))


@reverse(np.fmax, elementwise=True)
def fmax(g, ans, x, y):
    """Like ``maximum``, but a NaN loses: the adjoint goes to the operand ``ans`` took."""
    return g * (ans == x), g * (ans != x)


@reverse(np.fmin, elementwise=True)
def fmin(g, ans, x, y):
    return g * (ans == x), g * (ans != x)


@reverse(np.clip, elementwise=True)
def clip(g, ans, a, a_min=None, a_max=None, *, min=None, max=None):
    """The adjoint goes to ``a`` where it is inside the bounds, else to the bound taken
    (``np.clip`` also accepts the bounds as ``min=`` and ``max=`` since NumPy 2.1)."""
    return (g * (ans == a), g * (ans == a_min) * (ans != a), g * (ans == a_max) * (ans != a),
            g * (ans == min) * (ans != a), g * (ans == max) * (ans != a))


@reverse("ndarray.clip", elementwise=True)
def clip_method(g, ans, a, min=None, max=None):
    return g * (ans == a), g * (ans == min) * (ans != a), g * (ans == max) * (ans != a)


@reverse(np.nan_to_num, elementwise=True)
def nan_to_num(g, ans, x, copy=True, nan=0.0, posinf=None, neginf=None):
    """The replaced NaNs and infinities are constants."""
    return g * np.isfinite(x)


# --- real and complex parts (of real values) --------------------------------------------
@reverse(np.real, "ndarray.real", elementwise=True)
def real(g, ans, x):
    return g


@reverse(np.conjugate, "ndarray.conjugate", "ndarray.conj", elementwise=True)
def conjugate(g, ans, x):
    return np.conjugate(g)

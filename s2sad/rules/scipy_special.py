"""SciPy's special functions (``scipy.special``). SciPy is optional: ``s2sad.rules`` imports
this module only when SciPy is installed."""

import numpy as np
from scipy import special

from ..runtime import logsumexp_weights, unbroadcast, unreduce
from . import numpy_ufuncs
from .registry import reverse, tangent

# SciPy's own ufuncs that compute the same functions as NumPy's.
reverse(special.expm1, elementwise=True)(numpy_ufuncs.expm1)
reverse(special.log1p, elementwise=True)(numpy_ufuncs.log1p)
reverse(special.exp2, elementwise=True)(numpy_ufuncs.exp2)
reverse(special.cbrt, elementwise=True)(numpy_ufuncs.cbrt)


@reverse(special.exp10, elementwise=True)
def exp10(g, ans, x):
    return g * ans * np.log(10.0)


@reverse(special.cosm1, elementwise=True)
def cosm1(g, ans, x):
    return -(g * np.sin(x))


# --- trigonometric functions of an angle in degrees -----------------------------------
@reverse(special.sindg, elementwise=True)
def sindg(g, ans, x):
    return g * (np.pi / 180.0) * special.cosdg(x)


@reverse(special.cosdg, elementwise=True)
def cosdg(g, ans, x):
    return -(g * (np.pi / 180.0) * special.sindg(x))


@reverse(special.tandg, elementwise=True)
def tandg(g, ans, x):
    return g * (np.pi / 180.0) * (1.0 + ans * ans)


@reverse(special.cotdg, elementwise=True)
def cotdg(g, ans, x):
    return -(g * (np.pi / 180.0) * (1.0 + ans * ans))


@reverse(special.radian, elementwise=True)
def radian(g, ans, d, m, s):
    """Degrees, arcminutes and arcseconds to radians: linear."""
    return g * (np.pi / 180.0), g * (np.pi / 10800.0), g * (np.pi / 648000.0)


# --- logistic and softplus --------------------------------------------------------------
@reverse(special.expit, elementwise=True)
def expit(g, ans, x):
    return g * ans * (1.0 - ans)


@reverse(special.logit, elementwise=True)
def logit(g, ans, x):
    return g / (x * (1.0 - x))


@reverse(special.log_expit, elementwise=True)
def log_expit(g, ans, x):
    return g * special.expit(-x)


if hasattr(special, "softplus"):  # SciPy 1.15+

    @reverse(special.softplus, elementwise=True)
    def softplus(g, ans, x):
        return g * special.expit(x)


# --- error function and normal distribution -------------------------------------------
@reverse(special.erf, elementwise=True)
def erf(g, ans, x):
    return g * (2.0 / np.sqrt(np.pi)) * np.exp(-x * x)


@reverse(special.erfc, elementwise=True)
def erfc(g, ans, x):
    return -(g * (2.0 / np.sqrt(np.pi)) * np.exp(-x * x))


@reverse(special.erfcx, elementwise=True)
def erfcx(g, ans, x):
    """exp(x**2) * erfc(x)."""
    return g * (2.0 * x * ans - 2.0 / np.sqrt(np.pi))


@reverse(special.erfinv, elementwise=True)
def erfinv(g, ans, x):
    return g * (np.sqrt(np.pi) / 2.0) * np.exp(ans * ans)


@reverse(special.erfcinv, elementwise=True)
def erfcinv(g, ans, x):
    return -(g * (np.sqrt(np.pi) / 2.0) * np.exp(ans * ans))


@reverse(special.dawsn, elementwise=True)
def dawsn(g, ans, x):
    return g * (1.0 - 2.0 * x * ans)


@reverse(special.ndtr, elementwise=True)
def ndtr(g, ans, x):
    return g * np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)


@reverse(special.log_ndtr, elementwise=True)
def log_ndtr(g, ans, x):
    return g * np.exp(-0.5 * x * x - ans) / np.sqrt(2.0 * np.pi)


@reverse(special.ndtri, elementwise=True)
def ndtri(g, ans, x):
    return g * np.sqrt(2.0 * np.pi) * np.exp(0.5 * ans * ans)


# --- gamma and beta functions ---------------------------------------------------------
@reverse(special.gamma, elementwise=True)
def gamma(g, ans, x):
    return g * ans * special.digamma(x)


@reverse(special.gammaln, special.loggamma, elementwise=True)
def gammaln(g, ans, x):
    """log|gamma(x)| (``loggamma``: of real x > 0)."""
    return g * special.digamma(x)


@reverse(special.digamma, elementwise=True)
def digamma(g, ans, x):
    """Also ``special.psi``, the same function."""
    return g * special.polygamma(1, x)


@reverse(special.polygamma, elementwise=True)
def polygamma(g, ans, n, x):
    """The order ``n`` is an integer."""
    return None, g * special.polygamma(n + 1, x)


@reverse(special.beta, elementwise=True)
def beta(g, ans, a, b):
    return (g * ans * (special.digamma(a) - special.digamma(a + b)),
            g * ans * (special.digamma(b) - special.digamma(a + b)))


@reverse(special.betaln, elementwise=True)
def betaln(g, ans, a, b):
    return (g * (special.digamma(a) - special.digamma(a + b)),
            g * (special.digamma(b) - special.digamma(a + b)))


# --- information theory -----------------------------------------------------------------
@reverse(special.xlogy, elementwise=True)
def xlogy(g, ans, x, y):
    """x * log(y), 0 where x is 0: so is the adjoint of x where g is 0."""
    return special.xlogy(g, y), g * x / y


@reverse(special.xlog1py, elementwise=True)
def xlog1py(g, ans, x, y):
    return special.xlog1py(g, y), g * x / (1.0 + y)


@reverse(special.entr, elementwise=True)
def entr(g, ans, x):
    """-x * log(x), for x > 0."""
    return -(g * (np.log(x) + 1.0))


@reverse(special.rel_entr, elementwise=True)
def rel_entr(g, ans, x, y):
    """x * log(x / y), for x, y > 0."""
    return g * (np.log(x / y) + 1.0), -(g * x / y)


@reverse(special.kl_div, elementwise=True)
def kl_div(g, ans, x, y):
    """x * log(x / y) - x + y, for x, y > 0."""
    return g * np.log(x / y), g * (1.0 - x / y)


@reverse(special.huber, elementwise=True)
def huber(g, ans, delta, r):
    """r**2 / 2 where |r| <= delta, else delta * (|r| - delta / 2)."""
    return g * np.maximum(np.abs(r) - delta, 0.0), g * np.clip(r, -delta, delta)


@reverse(special.pseudo_huber, elementwise=True)
def pseudo_huber(g, ans, delta, r):
    """delta**2 * (s - 1) with s = sqrt(1 + (r / delta)**2) = 1 + ans / delta**2."""
    return (g * (2.0 * ans - r * r / (1.0 + ans / (delta * delta))) / delta,
            g * r / (1.0 + ans / (delta * delta)))


# --- Bessel functions (d/dx of order 1 as the mean of orders 0 and 2: finite at 0) -----
@reverse(special.j0, elementwise=True)
def j0(g, ans, x):
    return -(g * special.j1(x))


@reverse(special.j1, elementwise=True)
def j1(g, ans, x):
    return g * 0.5 * (special.j0(x) - special.jv(2, x))


@reverse(special.y0, elementwise=True)
def y0(g, ans, x):
    return -(g * special.y1(x))


@reverse(special.y1, elementwise=True)
def y1(g, ans, x):
    return g * 0.5 * (special.y0(x) - special.yv(2, x))


@reverse(special.i0, elementwise=True)
def i0(g, ans, x):
    return g * special.i1(x)


@reverse(special.i1, elementwise=True)
def i1(g, ans, x):
    return g * 0.5 * (special.i0(x) + special.iv(2, x))


@reverse(special.i0e, elementwise=True)
def i0e(g, ans, x):
    """exp(-|x|) * i0(x)."""
    return g * (special.i1e(x) - np.sign(x) * ans)


@reverse(special.i1e, elementwise=True)
def i1e(g, ans, x):
    return g * (0.5 * (special.i0e(x) + special.ive(2, x)) - np.sign(x) * ans)


@reverse(special.k0, elementwise=True)
def k0(g, ans, x):
    return -(g * special.k1(x))


@reverse(special.k1, elementwise=True)
def k1(g, ans, x):
    return -(g * 0.5 * (special.k0(x) + special.kv(2, x)))


@reverse(special.k0e, elementwise=True)
def k0e(g, ans, x):
    """exp(x) * k0(x)."""
    return g * (ans - special.k1e(x))


@reverse(special.k1e, elementwise=True)
def k1e(g, ans, x):
    return g * (ans - 0.5 * (special.k0e(x) + special.kve(2, x)))


# --- elliptic integrals and Spence's function -------------------------------------------
@reverse(special.ellipk, elementwise=True)
def ellipk(g, ans, m):
    return g * (special.ellipe(m) - (1.0 - m) * ans) / (2.0 * m * (1.0 - m))


@reverse(special.ellipe, elementwise=True)
def ellipe(g, ans, m):
    return g * (ans - special.ellipk(m)) / (2.0 * m)


@reverse(special.spence, elementwise=True)
def spence(g, ans, z):
    """The integral of log(t) / (1 - t) from 1 to z."""
    return g * np.log(z) / (1.0 - z)


# --- reductions over an axis --------------------------------------------------------------
@reverse(special.logsumexp)
def logsumexp(g, ans, a, axis=None, b=None, keepdims=False):
    """``b`` broadcasts to the shape of ``a``; ``return_sign=True`` is not supported."""
    return (unreduce(g, a, axis=axis, keepdims=keepdims)
            * logsumexp_weights(a, ans, axis=axis, keepdims=keepdims, b=b),
            None,
            unbroadcast(unreduce(g, a, axis=axis, keepdims=keepdims)
                        * logsumexp_weights(a, ans, axis=axis, keepdims=keepdims), b))


@reverse(special.softmax)
def softmax(g, ans, x, axis=None):
    return ans * (g - np.sum(g * ans, axis=axis, keepdims=True))


@reverse(special.log_softmax)
def log_softmax(g, ans, x, axis=None):
    return g - np.exp(ans) * np.sum(g, axis=axis, keepdims=True)


# --- tangents (forward mode) of the reductions above ------------------------------------
@tangent(special.logsumexp)
def logsumexp_tangent(ans, a, da, axis=None, b=None, db=None, keepdims=False):
    """The softmax weights of ``a`` times ``da`` (with ``b``), and ``exp(a - ans)`` times
    ``db``, summed over ``axis``."""
    return (np.sum(logsumexp_weights(a, ans, axis=axis, keepdims=keepdims, b=b) * da,
                   axis=axis, keepdims=keepdims),
            np.sum(logsumexp_weights(a, ans, axis=axis, keepdims=keepdims) * db, axis=axis,
                   keepdims=keepdims))


@tangent(special.softmax)
def softmax_tangent(ans, x, dx, axis=None):
    return ans * (dx - np.sum(dx * ans, axis=axis, keepdims=True))


@tangent(special.log_softmax)
def log_softmax_tangent(ans, x, dx, axis=None):
    return dx - np.sum(np.exp(ans) * dx, axis=axis, keepdims=True)

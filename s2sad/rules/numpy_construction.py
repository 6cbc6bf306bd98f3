"""Polynomials, constructed and selected arrays, partial sorts and unique values
(``np.polyval``, ``np.block``, ``np.insert``, ``np.select``, ``np.partition``, ``np.modf``, ...).

Also weighted counts, histograms' bin edges, ``np.i0``, ``np.frexp`` and the casts
``np.float64(x)`` and ``np.float32(x)``. As elsewhere, options a rule does not list make the
call fail to bind, so s2sad reports an unsupported call instead of a wrong derivative.
Functions of several arrays take up to four (``np.broadcast_arrays``) or three
(``np.meshgrid``).
"""

import numpy as np

from ..runtime import unbroadcast
from ..runtime_arrays import reshaped_like, unastype, undiag
from ..runtime_polynomials import (
    i0_derivative,
    polyval_adjoint_p,
    polyval_slope,
    vander_adjoint,
)
from ..runtime_products import mT
from ..runtime_selection import (
    unbincount,
    unblock,
    unchoose,
    uncompress,
    unextract,
    uninsert,
    uninsert_values,
    unmeshgrid,
    unpartition,
    unresize,
    unselect,
    unselect_default,
    ununique,
)
from ..runtime_statistics import histogram_adjoint
from .registry import reverse


def _present(*names) -> tuple:
    """The NumPy functions of these names that this NumPy has."""
    return tuple(getattr(np, name) for name in names if hasattr(np, name))


# --- polynomials --------------------------------------------------------------------------


@reverse(np.polyval)
def polyval(g, ans, p, x):
    """1-D coefficients ``p`` (others raise); ``x`` of any shape."""
    return polyval_adjoint_p(g, p, x), reshaped_like(g * polyval_slope(p, x), x)


@reverse(np.vander)
def vander(g, ans, x, N=None, increasing=False):
    return vander_adjoint(g, x, N, increasing)


# --- constructed arrays: copies of their operands' elements --------------------------------


@reverse(np.diagflat, linear=True)
def diagflat(g, ans, v, k=0):
    return reshaped_like(undiag(g, np.ravel(v), k), v)


@reverse(np.block, linear=True)
def block(g, ans, arrays):
    return unblock(g, arrays)


@reverse(np.broadcast_arrays, linear=True)
def broadcast_arrays(g, ans, a, b=None, c=None, d=None, *, subok=False):
    return (unbroadcast(g[0], a), unbroadcast(g[1], b), unbroadcast(g[2], c),
            unbroadcast(g[3], d))


@reverse(np.meshgrid, linear=True)
def meshgrid(g, ans, x1, x2=None, x3=None, *, copy=True, sparse=False, indexing="xy"):
    return (unmeshgrid(g, 0, (x1, x2, x3), indexing), unmeshgrid(g, 1, (x1, x2, x3), indexing),
            unmeshgrid(g, 2, (x1, x2, x3), indexing))


@reverse(*_present("matrix_transpose"), linear=True)
def matrix_transpose(g, ans, x):
    return mT(g)


@reverse(np.insert, linear=True)
def insert(g, ans, arr, obj, values, axis=None):
    return (uninsert(g, arr, obj, values, axis), None,
            uninsert_values(g, arr, obj, values, axis))


@reverse(np.resize, linear=True)
def resize(g, ans, a, new_shape):
    return unresize(g, a, new_shape)


# --- selected elements --------------------------------------------------------------------


@reverse(np.select, linear=True)
def select(g, ans, condlist, choicelist, default=0):
    """The conditions are constants; the choices and the default are differentiated."""
    return None, unselect(g, condlist, choicelist), unselect_default(g, condlist, default)


@reverse(np.choose, linear=True)
def choose(g, ans, a, choices, out=None, mode="raise"):
    return None, unchoose(g, a, choices, mode)


@reverse(np.compress, linear=True)
def compress(g, ans, condition, a, axis=None, out=None):
    return None, uncompress(g, condition, a, axis)


@reverse(np.extract, linear=True)
def extract(g, ans, condition, arr):
    return None, unextract(g, condition, arr)


@reverse(np.partition)
def partition(g, ans, a, kth, axis=-1, kind="introselect", order=None):
    """Like ``np.sort``: each element of ``g`` goes back to the element of that rank."""
    return unpartition(g, ans, a, axis)


@reverse(np.unique, *_present("unique_values"))
def unique(g, ans, ar):
    """The sorted unique values only (no ``return_index=`` and such, no ``axis=``); equal
    elements share their value's adjoint."""
    return ununique(g, ar)


@reverse(np.bincount, linear=True)
def bincount(g, ans, x, weights=None, minlength=0):
    """Differentiated in the ``weights`` (without them the counts are constants)."""
    return None, unbincount(g, x, weights)


@reverse(np.histogram)
def histogram(g, ans, a, bins=10, range=None):
    """The counts are piecewise constant; with a number of ``bins`` and no ``range`` the
    edges move with the smallest and largest elements. Not ``weights=`` or ``density=``."""
    return histogram_adjoint(g, a, bins, range)


# --- elementwise functions ----------------------------------------------------------------


@reverse(np.i0, elementwise=True)
def i0(g, ans, x):
    """The slope is the Bessel function I1."""
    return g * i0_derivative(x)


@reverse(np.modf)
def modf(g, ans, x):
    """``(fractional part, integral part)``: slope 1 and slope 0."""
    return reshaped_like(g[0], x)


@reverse(np.frexp)
def frexp(g, ans, x):
    """``(mantissa, exponent)`` with ``x = mantissa * 2 ** exponent``: the mantissa has
    slope ``2 ** -exponent``, the integer exponent none."""
    return reshaped_like(g[0] * np.ldexp(1.0, -ans[1]), x)


@reverse(np.float64, np.float32, linear=True)
def float_cast(g, ans, x):
    """``np.float64(x)`` (``np.double``) and ``np.float32(x)`` called as functions."""
    return unastype(g, x, np.float64)

"""Tangents (forward-mode rules) of ``numpy_construction``'s functions that are not simply
linear in one operand, and of the helpers their reverse rules call (for second order).

Functions linear in several operands get a rule of their own even so: an operand that is a
literal constant (``np.insert(x, 1, 0.5)``) must contribute a zero tangent, which the rule's
``zero_tangent`` of it gives.
"""

import numpy as np

from ..runtime_polynomials import (
    i0_derivative,
    polyval_adjoint_p,
    polyval_slope,
    power_columns,
    vander_adjoint,
    vander_tangent,
)
from ..runtime_selection import (
    broadcast_arrays_tangent,
    meshgrid_tangent,
    partition_tangent,
    unbincount,
    unblock,
    unchoose,
    uncompress,
    unextract,
    uninsert,
    uninsert_values,
    unique_tangent,
    unmeshgrid,
    unpartition,
    unresize,
    unselect,
    unselect_default,
    ununique,
)
from ..runtime_statistics import histogram_adjoint, histogram_tangent
from .registry import tangent


def _present(*names) -> tuple:
    return tuple(getattr(np, name) for name in names if hasattr(np, name))


# --- polynomials --------------------------------------------------------------------------


@tangent(np.polyval)
def polyval(ans, p, x, dp, dx):
    return np.polyval(dp, x), polyval_slope(p, x) * dx


@tangent(np.vander)
def vander(ans, x, dx, N=None, increasing=False):
    return vander_tangent(x, dx, N, increasing)


# --- operations linear in several operands ------------------------------------------------


@tangent(np.broadcast_arrays)
def broadcast_arrays(ans, a, da, b=None, db=None, c=None, dc=None, d=None, dd=None, *,
                     subok=False):
    return broadcast_arrays_tangent((da, db, dc, dd), (a, b, c, d))


@tangent(np.meshgrid)
def meshgrid(ans, x1, dx1, x2=None, dx2=None, x3=None, dx3=None, *, copy=True, sparse=False,
             indexing="xy"):
    return meshgrid_tangent((dx1, dx2, dx3), (x1, x2, x3), copy=copy, sparse=sparse,
                            indexing=indexing)


@tangent(np.insert)
def insert(ans, arr, obj, values, darr, dvalues, axis=None):
    return np.insert(darr, obj, dvalues, axis=axis)


@tangent(np.select)
def select(ans, condlist, choicelist, dchoicelist, default=0, ddefault=0.0):
    return np.select(condlist, dchoicelist, ddefault)


# --- partial sorts, unique values, histograms and elementwise functions --------------------


@tangent(np.partition)
def partition(ans, a, kth, da, axis=-1, kind="introselect", order=None):
    return partition_tangent(ans, a, da, axis)


@tangent(np.unique, *_present("unique_values"))
def unique(ans, ar, dar):
    return unique_tangent(ar, dar)


@tangent(np.histogram)
def histogram(ans, a, da, bins=10, range=None):
    return histogram_tangent(ans, a, da, bins, range)


@tangent(np.modf)
def modf(ans, x, dx):
    return np.ones_like(ans[0]) * dx, np.zeros_like(ans[1])


@tangent(np.frexp)
def frexp(ans, x, dx):
    return np.ldexp(1.0, -ans[1]) * dx, np.zeros(np.shape(ans[1]))


@tangent(np.float32)
def float32(ans, x, dx):
    """The slope is 1: the tangent keeps its own precision, as the reverse rule's adjoint
    keeps that of ``x``."""
    return dx


# --- the helpers of the reverse rules, for second order -------------------------------------

for _helper in (unblock, unchoose, uncompress, unextract, uninsert, uninsert_values, unmeshgrid,
                unpartition, unresize, unselect, unselect_default, ununique, unbincount,
                histogram_adjoint):
    tangent(_helper, linear=("g",))  # indexes, masks and ranks are piecewise constant


@tangent(i0_derivative)
def i0_derivative_tangent(ans, x, dx, order=1):
    return i0_derivative(x, order + 1) * dx


@tangent(power_columns)
def power_columns_tangent(ans, x, dx, n=None, increasing=False, order=0):
    return power_columns(x, n, increasing, order + 1) * np.expand_dims(dx, -1)


@tangent(vander_adjoint)
def vander_adjoint_tangent(ans, g, x, dg, dx, N=None, increasing=False, order=1):
    return (vander_adjoint(dg, x, N, increasing, order),
            vander_adjoint(g * np.expand_dims(dx, -1), x, N, increasing, order + 1))


@tangent(polyval_adjoint_p)
def polyval_adjoint_p_tangent(ans, g, p, x, dg, dx, order=0):
    return polyval_adjoint_p(dg, p, x, order), polyval_adjoint_p(g * dx, p, x, order + 1)


@tangent(polyval_slope)
def polyval_slope_tangent(ans, p, x, dp, dx, order=1):
    return polyval_slope(dp, x, order), polyval_slope(p, x, order + 1) * dx

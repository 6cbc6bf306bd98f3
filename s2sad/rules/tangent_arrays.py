"""Tangents (forward-mode rules) of the reductions and array functions whose reverse rule is
neither elementwise nor linear: ``rule(ans, *operands, *d<operand>, **options)`` returns the
output's tangent (see ``registry.tangent``).

A reduction's tangent is its reverse rule's adjoint for a unit ``g`` (the slope of each
element) times the operand's tangent, summed over the reduced axes (``slope_times``); the
slopes of extrema and norms are then the reverse rules' subgradients, so both modes agree.
"""

import numpy as np

from ..runtime_reductions import (
    extremum_adjoint,
    nanstd_adjoint,
    nanvar_adjoint,
    prod_adjoint,
    ptp_adjoint,
    std_adjoint,
    var_adjoint,
)
from ..runtime_tangents import (
    astype_tangent,
    average_weights_tangent,
    cumprod_tangent,
    cumulative_prod_tangent,
    pad_tangent,
    pad_value_tangent,
    slope_times,
    sort_tangent,
)
from .registry import tangent


def _since_numpy_2_1(name: str) -> tuple:
    return (getattr(np, name),) if hasattr(np, name) else ()


@tangent(np.prod, "ndarray.prod")
def prod(ans, a, da, axis=None, dtype=None, out=None, keepdims=False):
    return slope_times(prod_adjoint(np.ones_like(ans), a, axis=axis, keepdims=keepdims), da,
                       axis=axis, keepdims=keepdims)


@tangent(np.max, np.amax, "ndarray.max", np.min, np.amin, "ndarray.min", np.nanmax, np.nanmin)
def extremum(ans, a, da, axis=None, out=None, keepdims=False):
    """Ties share the tangent equally, as they share the adjoint."""
    return slope_times(extremum_adjoint(np.ones_like(ans), ans, a, axis=axis,
                                        keepdims=keepdims), da, axis=axis, keepdims=keepdims)


@tangent(np.ptp)
def ptp(ans, a, da, axis=None, out=None, keepdims=False):
    return slope_times(ptp_adjoint(np.ones_like(ans), a, axis=axis, keepdims=keepdims), da,
                       axis=axis, keepdims=keepdims)


@tangent(np.var, "ndarray.var")
def var(ans, a, da, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return slope_times(var_adjoint(np.ones_like(ans), a, axis=axis, ddof=ddof,
                                   keepdims=keepdims), da, axis=axis, keepdims=keepdims)


@tangent(np.std, "ndarray.std")
def std(ans, a, da, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return slope_times(std_adjoint(np.ones_like(ans), ans, a, axis=axis, ddof=ddof,
                                   keepdims=keepdims), da, axis=axis, keepdims=keepdims)


@tangent(np.nanvar)
def nanvar(ans, a, da, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return slope_times(nanvar_adjoint(np.ones_like(ans), a, axis=axis, ddof=ddof,
                                      keepdims=keepdims), da, axis=axis, keepdims=keepdims)


@tangent(np.nanstd)
def nanstd(ans, a, da, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return slope_times(nanstd_adjoint(np.ones_like(ans), ans, a, axis=axis, ddof=ddof,
                                      keepdims=keepdims), da, axis=axis, keepdims=keepdims)


@tangent(np.nansum)
def nansum(ans, a, da, axis=None, dtype=None, out=None, keepdims=False):
    return np.sum(np.where(np.isnan(a), 0.0, da), axis=axis, keepdims=keepdims)


@tangent(np.nanmean)
def nanmean(ans, a, da, axis=None, dtype=None, out=None, keepdims=False):
    return np.nanmean(np.where(np.isnan(a), np.nan, da), axis=axis, keepdims=keepdims)


@tangent(np.average)
def average(ans, a, da, axis=None, weights=None, dweights=None, *, keepdims=False):
    return (np.average(da, axis=axis, weights=weights, keepdims=keepdims),
            average_weights_tangent(ans, a, weights, dweights, axis=axis, keepdims=keepdims))


@tangent(np.cumprod, "ndarray.cumprod")
def cumprod(ans, a, da, axis=None, dtype=None, out=None):
    return cumprod_tangent(a, da, axis=axis)


@tangent(*_since_numpy_2_1("cumulative_prod"))
def cumulative_prod(ans, x, dx, *, axis=None, dtype=None, include_initial=False):
    return cumulative_prod_tangent(x, dx, axis=axis, include_initial=include_initial)


@tangent("ndarray.astype")
def astype(ans, a, dtype, da, order="K", casting="unsafe", subok=True, copy=True):
    return astype_tangent(da, ans, dtype)


@tangent(np.sort)
def sort(ans, a, da, axis=-1, kind=None, order=None):
    return sort_tangent(a, da, axis=axis)


@tangent(np.pad)
def pad(ans, array, pad_width, darray, mode="constant", constant_values=0,
        dconstant_values=0.0, reflect_type="even"):
    """A scalar ``constant_values`` is differentiated too."""
    return (pad_tangent(darray, pad_width, mode=mode, reflect_type=reflect_type),
            pad_value_tangent(array, pad_width, dconstant_values, mode=mode))

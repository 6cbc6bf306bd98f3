"""Order statistics, NaN-skipping products, differences, integrals, interpolation and
covariances (``np.median``, ``np.nanquantile``, ``np.diff``, ``np.trapezoid``, ``np.interp``,
``np.cov``, ``np.gradient``, ...).

As elsewhere, options a rule does not list make the call fail to bind, so s2sad reports an
unsupported call instead of a wrong derivative.
"""

import numpy as np

from ..runtime_differences import (
    trapezoid_adjoint_dx,
    trapezoid_adjoint_x,
    trapezoid_adjoint_y,
    undiff,
    undiff_append,
    undiff_prepend,
    uninterp_fp,
    uninterp_left,
    uninterp_right,
    uninterp_x,
    uninterp_xp,
)
from ..runtime_reductions import (
    nancumprod_adjoint,
    nancumsum_adjoint,
    nanprod_adjoint,
    quantile_adjoint,
)
from ..runtime_statistics import (
    constant_spacing_only,
    corrcoef_cov_adjoint,
    cov_adjoint_m,
    cov_adjoint_y,
    nanquantile_adjoint,
    unediff1d,
    unediff1d_begin,
    unediff1d_end,
    ungradient,
)
from .registry import reverse


def _present(*names) -> tuple:
    """The NumPy functions of these names that this NumPy has."""
    return tuple(getattr(np, name) for name in names if hasattr(np, name))


# --- NaN-skipping products and cumulative sums ----------------------------------------------


@reverse(np.nanprod)
def nanprod(g, ans, a, axis=None, dtype=None, out=None, keepdims=False):
    return nanprod_adjoint(g, a, axis=axis, keepdims=keepdims, dtype=dtype)


@reverse(np.nancumsum)
def nancumsum(g, ans, a, axis=None, dtype=None, out=None):
    return nancumsum_adjoint(g, a, axis=axis, dtype=dtype)


@reverse(np.nancumprod)
def nancumprod(g, ans, a, axis=None, dtype=None, out=None):
    return nancumprod_adjoint(g, ans, a, axis=axis, dtype=dtype)


# --- order statistics -----------------------------------------------------------------------


@reverse(np.median)
def median(g, ans, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The middle element of each lane, or the mean of the two middle ones."""
    return quantile_adjoint(g, a, 0.5, axis=axis, keepdims=keepdims)


@reverse(np.quantile)
def quantile(g, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False):
    """Methods linear, lower, higher, midpoint and nearest; ``q`` is not differentiated."""
    return quantile_adjoint(g, a, q, axis=axis, keepdims=keepdims, method=method)


@reverse(np.percentile)
def percentile(g, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False):
    return quantile_adjoint(g, a, np.true_divide(q, 100), axis=axis, keepdims=keepdims,
                            method=method)


@reverse(np.nanmedian)
def nanmedian(g, ans, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The median of each lane's numbers: NaNs get no adjoint."""
    return nanquantile_adjoint(g, a, 0.5, axis=axis, keepdims=keepdims)


@reverse(np.nanquantile)
def nanquantile(g, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False):
    return nanquantile_adjoint(g, a, q, axis=axis, keepdims=keepdims, method=method)


@reverse(np.nanpercentile)
def nanpercentile(g, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False):
    return nanquantile_adjoint(g, a, np.true_divide(q, 100), axis=axis, keepdims=keepdims,
                               method=method)


# --- covariances and correlations ---------------------------------------------------------


@reverse(np.cov)
def cov(g, ans, m, y=None, rowvar=True, bias=False, ddof=None):
    """Not ``fweights=``, ``aweights=`` or ``dtype=`` (the call does not bind)."""
    return (cov_adjoint_m(g, m, y, rowvar, bias, ddof),
            cov_adjoint_y(g, m, y, rowvar, bias, ddof))


@reverse(np.corrcoef)
def corrcoef(g, ans, x, y=None, rowvar=True):
    """Through the covariance ``np.cov(x, y, rowvar)`` the correlations divide."""
    return (cov_adjoint_m(corrcoef_cov_adjoint(g, np.cov(x, y, rowvar)), x, y, rowvar),
            cov_adjoint_y(corrcoef_cov_adjoint(g, np.cov(x, y, rowvar)), x, y, rowvar))


# --- differences, integrals and interpolation ---------------------------------------------


@reverse(np.diff, linear=True)
def diff(g, ans, a, n=1, axis=-1, prepend=None, append=None):
    return (undiff(g, a, n, axis, prepend, append), None, None,
            undiff_prepend(g, a, n, axis, prepend, append),
            undiff_append(g, a, n, axis, prepend, append))


@reverse(np.ediff1d, linear=True)
def ediff1d(g, ans, ary, to_end=None, to_begin=None):
    return (unediff1d(g, ary, to_end, to_begin), unediff1d_end(g, ary, to_end, to_begin),
            unediff1d_begin(g, ary, to_end, to_begin))


@reverse(np.gradient)
def gradient(g, ans, f, s0=None, s1=None, s2=None, *, axis=None, edge_order=1):
    """Up to three spacing arguments (one per axis, or one for all), which must be
    constants: differentiating through one raises."""
    return (ungradient(g, f, (s0, s1, s2), axis=axis, edge_order=edge_order),
            constant_spacing_only(s0), constant_spacing_only(s1), constant_spacing_only(s2))


@reverse(*_present("trapezoid", "trapz"))
def trapezoid(g, ans, y, x=None, dx=1.0, axis=-1):
    return (trapezoid_adjoint_y(g, y, x, dx, axis), trapezoid_adjoint_x(g, y, x, dx, axis),
            trapezoid_adjoint_dx(g, y, x, dx, axis))


@reverse(np.interp)
def interp(g, ans, x, xp, fp, left=None, right=None, period=None):
    """Not ``period=`` (the helpers raise); ``left`` and ``right`` are differentiated."""
    return (uninterp_x(g, x, xp, fp, left, right, period),
            uninterp_xp(g, x, xp, fp, left, right, period),
            uninterp_fp(g, x, xp, fp, left, right, period),
            uninterp_left(g, x, xp, fp, left, right, period),
            uninterp_right(g, x, xp, fp, left, right, period))

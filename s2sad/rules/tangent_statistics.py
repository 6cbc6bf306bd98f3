"""Tangents (forward-mode rules) of the order statistics, NaN-skipping products and
cumulative sums, integrals and interpolation of ``numpy_statistics``, and of the helpers
their reverse rules call (for second order: ``hvp``, ``hessian``).

Order statistics use the reverse rule's choice of elements and weights (``quantile_tangent``
reads the same stable order), so forward and reverse mode agree at ties too. An integer
``dtype`` makes a reduction a step function: the compiler makes the tangent of a rule that
does not read ``dtype`` zero then (``astype_tangent``), as the reverse rules make the adjoint.
"""

import numpy as np

from ..runtime_differences import (
    interp_slope,
    interp_tangent_xp,
    trapezoid_adjoint_dx,
    trapezoid_adjoint_x,
    trapezoid_adjoint_y,
    trapezoid_integral,
    trapezoid_spacing_tangent,
    undiff,
    undiff_append,
    undiff_prepend,
    uninterp_fp,
    uninterp_left,
    uninterp_right,
    uninterp_tangent,
    uninterp_x,
    uninterp_xp,
)
from ..runtime_reductions import (
    nancumprod_adjoint,
    nancumsum_adjoint,
    nanprod_adjoint,
    quantile_adjoint,
)
from ..runtime_second import nancumprod_adjoint_tangent, nanprod_adjoint_tangent
from ..runtime_statistics import (
    constant_spacing_only,
    corrcoef_cov_adjoint,
    corrcoef_cov_adjoint_tangent,
    corrcoef_tangent,
    cov_adjoint_m,
    cov_adjoint_tangent,
    cov_adjoint_y,
    cov_tangent,
    ediff1d_tangent,
    gradient_tangent,
    nanquantile_adjoint,
    nanquantile_tangent,
    unediff1d,
    unediff1d_begin,
    unediff1d_end,
    ungradient,
)
from ..runtime_tangents import cumprod_tangent, quantile_tangent, slope_times
from .registry import tangent

# --- NaN-skipping products and cumulative sums ----------------------------------------------


@tangent(np.nanprod)
def nanprod(ans, a, da, axis=None, dtype=None, out=None, keepdims=False):
    """The product rule over the elements that are not NaN."""
    return slope_times(nanprod_adjoint(np.ones_like(ans), a, axis=axis, keepdims=keepdims), da,
                       axis=axis, keepdims=keepdims)


@tangent(np.nancumsum)
def nancumsum(ans, a, da, axis=None, dtype=None, out=None):
    return np.cumsum(np.where(np.isnan(a), 0.0, da), axis=axis)


@tangent(np.nancumprod)
def nancumprod(ans, a, da, axis=None, dtype=None, out=None):
    """That of ``cumprod`` with NaNs read as the constant 1."""
    return cumprod_tangent(np.where(np.isnan(a), 1.0, a), np.where(np.isnan(a), 0.0, da),
                           axis=axis)


# --- order statistics -----------------------------------------------------------------------


@tangent(np.median)
def median(ans, a, da, axis=None, out=None, overwrite_input=False, keepdims=False):
    """The tangent of the middle element of each lane, or the mean of the two middle ones."""
    return quantile_tangent(a, da, 0.5, axis=axis, keepdims=keepdims)


@tangent(np.quantile)
def quantile(ans, a, q, da, axis=None, out=None, overwrite_input=False, method="linear",
             keepdims=False):
    return quantile_tangent(a, da, q, axis=axis, keepdims=keepdims, method=method)


@tangent(np.percentile)
def percentile(ans, a, q, da, axis=None, out=None, overwrite_input=False, method="linear",
               keepdims=False):
    return quantile_tangent(a, da, np.true_divide(q, 100), axis=axis, keepdims=keepdims,
                            method=method)


@tangent(np.nanmedian)
def nanmedian(ans, a, da, axis=None, out=None, overwrite_input=False, keepdims=False):
    return nanquantile_tangent(a, da, 0.5, axis=axis, keepdims=keepdims)


@tangent(np.nanquantile)
def nanquantile(ans, a, q, da, axis=None, out=None, overwrite_input=False, method="linear",
                keepdims=False):
    return nanquantile_tangent(a, da, q, axis=axis, keepdims=keepdims, method=method)


@tangent(np.nanpercentile)
def nanpercentile(ans, a, q, da, axis=None, out=None, overwrite_input=False, method="linear",
                  keepdims=False):
    return nanquantile_tangent(a, da, np.true_divide(q, 100), axis=axis, keepdims=keepdims,
                               method=method)


# --- covariances, correlations and gradients ----------------------------------------------


@tangent(np.cov)
def cov(ans, m, dm, y=None, dy=None, rowvar=True, bias=False, ddof=None):
    return cov_tangent(m, y, dm, dy, rowvar, bias, ddof)


@tangent(np.corrcoef)
def corrcoef(ans, x, dx, y=None, dy=None, rowvar=True):
    return corrcoef_tangent(ans, np.cov(x, y, rowvar), cov_tangent(x, y, dx, dy, rowvar))


@tangent(np.ediff1d)
def ediff1d(ans, ary, dary, to_end=None, dto_end=0.0, to_begin=None, dto_begin=0.0):
    """Linear in all three, written out so that a literal end has a zero tangent."""
    return ediff1d_tangent(dary, to_end, to_begin, dto_end, dto_begin)


@tangent(np.gradient)
def gradient(ans, f, df, s0=None, s1=None, s2=None, ds0=None, ds1=None, ds2=None, *,
             axis=None, edge_order=1):
    """Linear in the samples; the spacing must be constant (a tangent of it raises)."""
    return (gradient_tangent(df, (s0, s1, s2), axis=axis, edge_order=edge_order),
            constant_spacing_only(ds0), constant_spacing_only(ds1), constant_spacing_only(ds2))


# --- integrals and interpolation ----------------------------------------------------------

# the integral is linear in the samples, and in the spacing (the points, or dx) given them
@tangent(*(getattr(np, n) for n in ("trapezoid", "trapz") if hasattr(np, n)),
         names={"y": "ty", "x": "tx", "dx": "tdx"})
def trapezoid(ans, y, x=None, dx=1.0, axis=-1, ty=0.0, tx=0.0, tdx=0.0):
    """The three parts: samples, points (with ``x``) and spacing (without; NumPy ignores
    ``dx`` when ``x`` is given)."""
    return (trapezoid_integral(ty, x, dx, axis=axis), trapezoid_integral(y, tx, axis=axis),
            trapezoid_spacing_tangent(y, x, tdx, axis=axis))


@tangent(np.interp)
def interp(ans, x, xp, fp, dx, dxp, dfp, left=None, right=None, dleft=0.0, dright=0.0,
           period=None):
    """Inside ``[xp[0], xp[-1]]``: the slope there times ``dx``, the move of the segment's
    ends, and ``dfp`` interpolated; outside, ``dleft`` or ``dright`` (``dfp[0]`` and
    ``dfp[-1]`` when ``left`` and ``right`` are None)."""
    return (interp_slope(x, xp, fp, period=period) * dx,
            interp_tangent_xp(x, xp, fp, dxp, period=period),
            np.interp(x, xp, dfp) if left is None and right is None else np.interp(
                x, xp, dfp, left=None if left is None else 0.0,
                right=None if right is None else 0.0),
            dleft * (x < xp[0]),
            dright * (x > xp[-1]))


# --- the helpers of the reverse rules, for second order -------------------------------------

for _helper in (quantile_adjoint, nancumsum_adjoint, undiff, undiff_prepend, undiff_append,
                nanquantile_adjoint, unediff1d, unediff1d_end, unediff1d_begin, ungradient):
    tangent(_helper, linear=("g",))  # the selection, masks and shapes are piecewise constant
tangent(trapezoid_adjoint_y, multilinear=("g", "x", "dx"))
tangent(trapezoid_adjoint_x, multilinear=("g", "y"))
tangent(trapezoid_adjoint_dx, multilinear=("g", "y"))


@tangent(nanprod_adjoint)
def nanprod_adjoint_tangent_rule(ans, g, a, dg, da, axis=None, keepdims=False, dtype=None):
    return (nanprod_adjoint(dg, a, axis=axis, keepdims=keepdims, dtype=dtype),
            nanprod_adjoint_tangent(g, a, da, axis=axis, keepdims=keepdims, dtype=dtype))


@tangent(nancumprod_adjoint)
def nancumprod_adjoint_tangent_rule(ans, g, ans_, a, dg, da, axis=None, dtype=None):
    """``ans_`` moves with ``a``: the second term is the whole change through ``a``."""
    return (nancumprod_adjoint(dg, ans_, a, axis=axis, dtype=dtype),
            nancumprod_adjoint_tangent(g, a, da, axis=axis, dtype=dtype))


@tangent(uninterp_x)
def uninterp_x_tangent(ans, g, x, xp, fp, dg, dx, dxp, dfp, left=None, right=None,
                       period=None):
    return uninterp_tangent("x", g, x, xp, fp, dg, dx, dxp, dfp, left, right, period)


@tangent(uninterp_xp)
def uninterp_xp_tangent(ans, g, x, xp, fp, dg, dx, dxp, dfp, left=None, right=None,
                        period=None):
    return uninterp_tangent("xp", g, x, xp, fp, dg, dx, dxp, dfp, left, right, period)


@tangent(uninterp_fp)
def uninterp_fp_tangent(ans, g, x, xp, fp, dg, dx, dxp, dfp, left=None, right=None,
                        period=None):
    return uninterp_tangent("fp", g, x, xp, fp, dg, dx, dxp, dfp, left, right, period)


@tangent(uninterp_left)
def uninterp_left_tangent(ans, g, x, xp, fp, dg, dx, dxp, dfp, left=None, right=None,
                          period=None):
    return uninterp_tangent("left", g, x, xp, fp, dg, dx, dxp, dfp, left, right, period)


@tangent(uninterp_right)
def uninterp_right_tangent(ans, g, x, xp, fp, dg, dx, dxp, dfp, left=None, right=None,
                           period=None):
    return uninterp_tangent("right", g, x, xp, fp, dg, dx, dxp, dfp, left, right, period)


@tangent(cov_adjoint_m)
def cov_adjoint_m_tangent(ans, g, m, dg, dm, y=None, dy=None, rowvar=True, bias=False,
                          ddof=None):
    """Bilinear in ``g`` and the observations (``m`` and ``y`` together)."""
    return (cov_adjoint_m(dg, m, y, rowvar, bias, ddof)
            + cov_adjoint_tangent(g, m, y, dm, dy, rowvar, bias, ddof)[0])


@tangent(cov_adjoint_y)
def cov_adjoint_y_tangent(ans, g, m, y, dg, dm, dy, rowvar=True, bias=False, ddof=None):
    return (cov_adjoint_y(dg, m, y, rowvar, bias, ddof)
            + cov_adjoint_tangent(g, m, y, dm, dy, rowvar, bias, ddof)[1])


@tangent(corrcoef_cov_adjoint)
def corrcoef_cov_adjoint_tangent_rule(ans, g, c, dg, dc):
    return corrcoef_cov_adjoint(dg, c), corrcoef_cov_adjoint_tangent(g, c, dc)

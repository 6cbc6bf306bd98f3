"""Order statistics, NaN-skipping products and cumulative sums, differences, integrals and
interpolation (``np.median``, ``np.quantile``, ``np.nanprod``, ``np.diff``, ``np.trapezoid``,
``np.interp``, ...).

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


# --- differences, integrals and interpolation ---------------------------------------------


@reverse(np.diff, linear=True)
def diff(g, ans, a, n=1, axis=-1, prepend=None, append=None):
    return (undiff(g, a, n, axis, prepend, append), None, None,
            undiff_prepend(g, a, n, axis, prepend, append),
            undiff_append(g, a, n, axis, prepend, append))


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

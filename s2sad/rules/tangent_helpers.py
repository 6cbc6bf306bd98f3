"""Forward-mode rules of the helpers generated gradients call, so that forward mode runs
over a gradient's code: Hessian-vector products and Hessians (``hvp``, ``hessian``).

Most helpers move an adjoint ``g`` around and read their other operands for shapes,
indexes, masks or the subgradient's choice (which element is the maximum): they are
linear in ``g``. Products' adjoints are multilinear in ``g`` and the other factor. The
rest get a tangent rule: the product rule through the helper (``runtime_second``).
"""

import inspect

import numpy as np

from .. import containers, runtime_arrays, runtime_products, runtime_reductions
from ..runtime import logsumexp_weights, reciprocal_or_zero, sinc_slope, unreduce, zero_tangent
from ..runtime_linalg import (
    cholesky_adjoint,
    eigh_adjoint,
    eigvalsh_adjoint,
    matrix_norm_adjoint,
    norm_adjoint,
    pinv_adjoint,
    solve_adjoint_a,
    solve_adjoint_b,
    vector_norm_adjoint,
)
from ..runtime_products import einsum_adjoint, matrix_power_adjoint
from ..runtime_reductions import _drop_initial as drop_initial
from ..runtime_reductions import (
    average_adjoint,
    average_weights_adjoint,
    cumprod_adjoint,
    cumulative_prod_adjoint,
    nanstd_adjoint,
    nanvar_adjoint,
    prod_adjoint,
    std_adjoint,
)
from ..runtime_second import (
    average_adjoint_tangent,
    average_weights_adjoint_tangent,
    cholesky_adjoint_tangent,
    cumprod_adjoint_tangent,
    eigh_adjoint_tangent,
    eigvalsh_adjoint_tangent,
    matrix_norm_adjoint_tangent,
    matrix_power_adjoint_tangent,
    norm_adjoint_tangent,
    norm_slope_tangent,
    pinv_adjoint_tangent,
    prod_adjoint_tangent,
    sinc_curvature,
    solve_adjoint_a_tangent,
    solve_adjoint_b_tangent,
    std_scale_tangent,
)
from .registry import reverse, tangent

LINEAR_IN_G = (
    "reshaped_like unconcatenate unhstack unvstack undstack uncolumn_stack unsplit unhsplit "
    "ununstack appended_head appended_tail untile unrepeat untake untake_along_axis unroll "
    "unsort undelete undiag undiagonal untrace unpad pad_value_adjoint unastype "
    "cumsum_adjoint cumulative_sum_adjoint nansum_adjoint nanmean_adjoint extremum_adjoint "
    "ptp_adjoint keep_axes"
)
for _name in LINEAR_IN_G.split():
    _module = runtime_arrays if hasattr(runtime_arrays, _name) else runtime_reductions
    tangent(getattr(_module, _name), linear=("g",))
for _helper in (containers.unstack, containers.cast_adjoint, containers.sum_items_adjoint,
                containers.unappend,
                containers.item_adjoint, containers.without_item, runtime_products.mT):
    tangent(_helper, linear=(next(iter(inspect.signature(_helper).parameters)),))

# the adjoint of one factor of a product: multilinear in g and the other factor
MULTILINEAR = {
    "inner_adjoint_a": "b", "inner_adjoint_b": "a", "tensordot_adjoint_a": "b",
    "tensordot_adjoint_b": "a", "kron_adjoint_a": "b", "kron_adjoint_b": "a",
    "cross_adjoint_a": "b", "cross_adjoint_b": "a", "convolve_adjoint_a": "v",
    "convolve_adjoint_v": "a", "correlate_adjoint_a": "v", "correlate_adjoint_v": "a",
    "vecdot_adjoint": "y", "matvec_adjoint_a": "x", "matvec_adjoint_x": "a",
    "vecmat_adjoint_x": "a", "vecmat_adjoint_a": "x",
}
for _name, _other in MULTILINEAR.items():
    tangent(getattr(runtime_products, _name), multilinear=("g", _other))
# a variance's adjoint is g times the centered operand: bilinear
tangent(runtime_reductions.var_adjoint, multilinear=("g", "a"))


@reverse(reciprocal_or_zero, elementwise=True)
def reciprocal_or_zero_rule(g, ans, x):
    return -(g * ans * ans)


@tangent(sinc_slope)
def sinc_slope_tangent(ans, x, dx):
    return sinc_curvature(x) * dx


@tangent(logsumexp_weights)
def logsumexp_weights_tangent(ans, a, ans_, da, dans_, axis=None, keepdims=False, b=None,
                              db=None):
    return (ans * da, -(ans * unreduce(dans_, a, axis=axis, keepdims=keepdims)),
            logsumexp_weights(a, ans_, axis=axis, keepdims=keepdims) * db)


@tangent(runtime_reductions.std_adjoint)
def std_adjoint_tangent(ans, g, ans_, a, dg, dans_, da, axis=None, ddof=0, keepdims=False):
    return (std_adjoint(dg, ans_, a, axis=axis, ddof=ddof, keepdims=keepdims),
            std_adjoint(std_scale_tangent(g, ans_, dans_), ans_, a, axis=axis, ddof=ddof,
                        keepdims=keepdims),
            std_adjoint(g, ans_, da, axis=axis, ddof=ddof, keepdims=keepdims))


@tangent(runtime_reductions.nanstd_adjoint)
def nanstd_adjoint_tangent(ans, g, ans_, a, dg, dans_, da, axis=None, ddof=0,
                           keepdims=False):
    return (nanstd_adjoint(dg, ans_, a, axis=axis, ddof=ddof, keepdims=keepdims),
            nanstd_adjoint(std_scale_tangent(g, ans_, dans_), ans_, a, axis=axis, ddof=ddof,
                           keepdims=keepdims),
            nanstd_adjoint(g, ans_, np.where(np.isnan(a), np.nan, da), axis=axis, ddof=ddof,
                           keepdims=keepdims))


@tangent(runtime_reductions.nanvar_adjoint)
def nanvar_adjoint_tangent(ans, g, a, dg, da, axis=None, ddof=0, keepdims=False):
    """Linear in ``a`` given which elements are NaN: ``da`` carries the same NaNs."""
    return (nanvar_adjoint(dg, a, axis=axis, ddof=ddof, keepdims=keepdims),
            nanvar_adjoint(g, np.where(np.isnan(a), np.nan, da), axis=axis, ddof=ddof,
                           keepdims=keepdims))


@tangent(runtime_reductions.prod_adjoint)
def prod_adjoint_tangent_rule(ans, g, a, dg, da, axis=None, keepdims=False):
    return (prod_adjoint(dg, a, axis=axis, keepdims=keepdims),
            prod_adjoint_tangent(g, a, da, axis=axis, keepdims=keepdims))


@tangent(runtime_reductions.cumprod_adjoint)
def cumprod_adjoint_tangent_rule(ans, g, ans_, a, dg, da, axis=None):
    """``ans_`` moves with ``a``: the second term is the whole change through ``a``."""
    return (cumprod_adjoint(dg, ans_, a, axis=axis),
            cumprod_adjoint_tangent(g, a, da, axis=axis))


@tangent(runtime_reductions.cumulative_prod_adjoint)
def cumulative_prod_adjoint_tangent(ans, g, ans_, x, dg, dx, axis=None,
                                    include_initial=False):
    return (cumulative_prod_adjoint(dg, ans_, x, axis=axis, include_initial=include_initial),
            cumprod_adjoint_tangent(drop_initial(g, axis, include_initial), x, dx,
                                    axis=0 if axis is None else axis))


@tangent(runtime_reductions.average_adjoint)
def average_adjoint_tangent_rule(ans, g, a, dg, axis=None, weights=None, dweights=None,
                                 keepdims=False):
    return (average_adjoint(dg, a, axis=axis, weights=weights, keepdims=keepdims),
            average_adjoint_tangent(g, a, weights, dweights, axis=axis, keepdims=keepdims))


@tangent(runtime_reductions.average_weights_adjoint)
def average_weights_adjoint_tangent_rule(ans, g, ans_, a, dg, dans_, da, axis=None,
                                         weights=None, dweights=None, keepdims=False):
    """Linear in ``g``, and in ``a - ans_`` jointly; through ``weights`` by the helper."""
    return (average_weights_adjoint(dg, ans_, a, axis=axis, weights=weights, keepdims=keepdims)
            + average_weights_adjoint(g, dans_, da, axis=axis, weights=weights,
                                      keepdims=keepdims)
            + average_weights_adjoint_tangent(g, ans_, a, weights, dweights, axis=axis,
                                              keepdims=keepdims))


@tangent(einsum_adjoint)
def einsum_adjoint_tangent(ans, g, subscripts, k, a, dg, da, b=None, db=None, c=None, dc=None,
                           d=None, dd=None, e=None, de=None):
    """Multilinear in ``g`` and every operand but the ``k``-th (read for its shape)."""
    return (einsum_adjoint(dg, subscripts, k, a, b=b, c=c, d=d, e=e),
            zero_tangent(ans) if k == 0 else einsum_adjoint(g, subscripts, k, da, b=b, c=c,
                                                             d=d, e=e),
            zero_tangent(ans) if k == 1 else einsum_adjoint(g, subscripts, k, a, b=db, c=c,
                                                             d=d, e=e),
            zero_tangent(ans) if k == 2 else einsum_adjoint(g, subscripts, k, a, b=b, c=dc,
                                                             d=d, e=e),
            zero_tangent(ans) if k == 3 else einsum_adjoint(g, subscripts, k, a, b=b, c=c,
                                                             d=dd, e=e),
            zero_tangent(ans) if k == 4 else einsum_adjoint(g, subscripts, k, a, b=b, c=c,
                                                             d=d, e=de))


@tangent(solve_adjoint_b)
def solve_adjoint_b_tangent_rule(ans, g, a, b, dg, da):
    return solve_adjoint_b(dg, a, b), solve_adjoint_b_tangent(g, a, b, da)


@tangent(solve_adjoint_a)
def solve_adjoint_a_tangent_rule(ans, g, x, a, b, dg, dx, da):
    return (solve_adjoint_a(dg, x, a, b), solve_adjoint_a(g, dx, a, b),
            solve_adjoint_a_tangent(g, x, a, b, da))


@tangent(cholesky_adjoint)
def cholesky_adjoint_tangent_rule(ans, g, ans_, dg, dans_, upper=False):
    return cholesky_adjoint_tangent(g, ans_, dg, dans_, upper=upper)


@tangent(eigh_adjoint)
def eigh_adjoint_tangent_rule(ans, g, ans_, dg, dans_, uplo="L"):
    return eigh_adjoint_tangent(g, ans_, dg, dans_, uplo=uplo)


@tangent(eigvalsh_adjoint)
def eigvalsh_adjoint_tangent_rule(ans, g, a, dg, da, uplo="L"):
    return eigvalsh_adjoint(dg, a, uplo=uplo), eigvalsh_adjoint_tangent(g, a, da, uplo=uplo)


@tangent(pinv_adjoint)
def pinv_adjoint_tangent_rule(ans, g, ans_, a, dg, dans_, da, hermitian=False):
    return pinv_adjoint_tangent(g, ans_, a, dg, dans_, da, hermitian=hermitian)


@tangent(matrix_power_adjoint)
def matrix_power_adjoint_tangent_rule(ans, g, a, n, dg, da):
    return matrix_power_adjoint(dg, a, n), matrix_power_adjoint_tangent(g, a, da, n)


@tangent(norm_adjoint)
def norm_adjoint_tangent_rule(ans, g, ans_, x, dg, dans_, dx, ord=None, axis=None,
                              keepdims=False):
    return (norm_adjoint(dg, ans_, x, ord=ord, axis=axis, keepdims=keepdims)
            + norm_adjoint_tangent(g, ans_, x, dans_, dx, ord=ord, axis=axis,
                                   keepdims=keepdims))


@tangent(vector_norm_adjoint)
def vector_norm_adjoint_tangent(ans, g, ans_, x, dg, dans_, dx, ord=2, axis=None,
                                keepdims=False):
    return (vector_norm_adjoint(dg, ans_, x, ord=ord, axis=axis, keepdims=keepdims)
            + norm_slope_tangent(g, ans_, x, dans_, dx, ord=ord, axes=axis,
                                 keepdims=keepdims))


@tangent(matrix_norm_adjoint)
def matrix_norm_adjoint_tangent_rule(ans, g, ans_, x, dg, dans_, dx, ord="fro",
                                     axis=(-2, -1), keepdims=False):
    return (matrix_norm_adjoint(dg, ans_, x, ord=ord, axis=axis, keepdims=keepdims)
            + matrix_norm_adjoint_tangent(g, ans_, x, dans_, dx, ord=ord, axis=axis,
                                          keepdims=keepdims))

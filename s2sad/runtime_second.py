"""Tangents of the helpers that generated *reverse* code calls, for second order (``hvp``,
``hessian``: forward mode over the gradient's code).

Each is the product rule applied to one adjoint helper of ``runtime_arrays`` or
``runtime_linalg``: ``*_tangent(g, ..., dg, ...)`` is the helper's tangent along the
tangents of its differentiated operands (zeros where an operand is constant).
"""

from __future__ import annotations

import numpy as np

from .runtime import reciprocal_or_zero, unbroadcast
from .runtime_arrays import _float
from .runtime_linalg import _gaps, _sym, _triangle, _vector_rhs
from .runtime_products import mT
from .runtime_reductions import _axes, _count, _typed, _weights_like, keep_axes
from .runtime_tangents import cumprod_tangent, matrix_power_tangent, symmetric_from


def sinc_curvature(x):
    """d/dx ``sinc_slope(x)``: ``-(pi sin(pi x) + 2 sinc'(x)) / x``, by its series near 0."""
    from .runtime import sinc_slope

    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-3
    safe = np.where(small, 1.0, x)
    series = (np.pi ** 2 / 3.0) * (3.0 * np.pi ** 2 * x ** 2 / 10.0 - 1.0)
    exact = -(np.pi * np.sin(np.pi * safe) + 2.0 * sinc_slope(safe)) / safe
    return np.where(small, series, exact)[()]


def others_product_tangent(a, da, axis=None):
    """Tangent of the product of the other elements of each element's reduction (what
    ``prod_adjoint`` multiplies ``g`` by): the products before and after each element,
    each by the product rule (exact with zeros)."""
    a = _float(a)
    da = np.broadcast_to(da, a.shape)
    if a.ndim == 0:
        return np.zeros_like(a)
    axes = _axes(axis, a.ndim)
    order = [i for i in range(a.ndim) if i not in axes] + list(axes)
    lanes_shape = tuple(a.shape[i] for i in order[:a.ndim - len(axes)]) + (_count(a, axes),)
    lanes, dlanes = (np.reshape(np.transpose(v, order), lanes_shape) for v in (a, da))
    ones, zeros = np.ones(lanes_shape[:-1] + (1,)), np.zeros(lanes_shape[:-1] + (1,))
    head = np.concatenate([ones, lanes[..., :-1]], axis=-1)
    dhead = np.concatenate([zeros, dlanes[..., :-1]], axis=-1)
    tail = np.concatenate([ones, lanes[..., :0:-1]], axis=-1)
    dtail = np.concatenate([zeros, dlanes[..., :0:-1]], axis=-1)
    before, after = np.cumprod(head, axis=-1), np.cumprod(tail, axis=-1)[..., ::-1]
    dbefore = cumprod_tangent(head, dhead, -1)
    dafter = cumprod_tangent(tail, dtail, -1)[..., ::-1]
    out = dbefore * after + before * dafter
    moved = tuple(a.shape[i] for i in order)
    return np.transpose(np.reshape(out, moved), np.argsort(order))


def prod_adjoint_tangent(g, a, da, axis=None, keepdims=False):
    """Tangent of ``prod_adjoint(g, a)`` along ``da``."""
    return keep_axes(g, a, axis, keepdims) * others_product_tangent(a, da, axis)


def cumprod_adjoint_tangent(g, a, da, axis=None):
    """Tangent of ``cumprod_adjoint(g, ans, a)`` along ``da`` (``ans`` moving with ``a``):
    element ``i`` gets ``sum_{j >= i} g[j]`` times the tangent of the product of
    ``a[:j + 1]`` without ``a[i]``."""
    if axis is None:
        out = cumprod_adjoint_tangent(np.ravel(g), np.ravel(a), np.ravel(da), 0)
        return np.reshape(out, np.shape(a))
    a, g, da = (np.moveaxis(_float(np.broadcast_to(v, np.shape(a))), axis, -1)
                for v in (a, g, da))
    n = a.shape[-1]
    eye = np.eye(n, dtype=bool)
    skip_one = np.where(eye, 1.0, a[..., None, :])  # [..., i, k]
    dskip_one = np.where(eye, 0.0, da[..., None, :])
    partial = cumprod_tangent(skip_one, dskip_one, -1) * np.triu(np.ones((n, n)))
    return np.moveaxis(np.einsum("...ij,...j->...i", partial, g), -1, axis)


def nanprod_adjoint_tangent(g, a, da, axis=None, keepdims=False, dtype=None):
    """Tangent of ``nanprod_adjoint(g, a)`` along ``da``: that of ``prod_adjoint`` with the
    NaNs read as the constant 1, zero on the NaNs (and for an integer ``dtype``)."""
    nan = np.isnan(a)
    out = prod_adjoint_tangent(g, np.where(nan, 1.0, a), np.where(nan, 0.0, da), axis,
                               keepdims)
    return _typed(np.where(nan, 0.0, out), a, dtype)


def nancumprod_adjoint_tangent(g, a, da, axis=None, dtype=None):
    """Tangent of ``nancumprod_adjoint(g, ans, a)`` along ``da`` (``ans`` moving with
    ``a``): that of ``cumprod_adjoint`` with the NaNs read as the constant 1, zero on them."""
    nan = np.isnan(a)
    out = cumprod_adjoint_tangent(g, np.where(nan, 1.0, a), np.where(nan, 0.0, da), axis)
    return _typed(np.where(nan, 0.0, out), a, dtype)


def average_adjoint_tangent(g, a, weights, dweights, axis=None, keepdims=False):
    """Tangent of ``average_adjoint(g, a, weights=w)`` (``g w / sum(w)``) along ``dw``."""
    w, dw = _weights_like(a, axis, weights), _weights_like(a, axis, dweights)
    axes = _axes(axis, np.ndim(a))
    total, dtotal = (np.sum(v, axis=axes, keepdims=True) for v in (w, dw))
    return keep_axes(g, a, axis, keepdims) * (dw / total - w * dtotal / total ** 2)


def average_weights_adjoint_tangent(g, ans, a, weights, dweights, axis=None,
                                    keepdims=False):
    """Tangent of ``average_weights_adjoint`` (``g (a - ans) / sum(w)``) along ``dw``."""
    w, dw = _weights_like(a, axis, weights), _weights_like(a, axis, dweights)
    axes = _axes(axis, np.ndim(a))
    total, dtotal = (np.sum(v, axis=axes, keepdims=True) for v in (w, dw))
    out = -(keep_axes(g, a, axis, keepdims) * (a - keep_axes(ans, a, axis, keepdims))
            * dtotal / total ** 2)
    if np.shape(weights) != np.shape(a):
        out = np.sum(out, axis=tuple(i for i in range(np.ndim(a)) if i not in axes))
    return out


def std_scale_tangent(g, ans, dans):
    """``-g dans / ans``, 0 where ``ans`` is 0: how ``std_adjoint``'s ``g / (2 ans)``
    moves with ``ans`` (times two, as it enters as ``g``)."""
    return -(g * dans * reciprocal_or_zero(ans))


# ------------------------------------------------------------------------- linear algebra
def solve_adjoint_b_tangent(g, a, b, da):
    """Tangent of ``solve(a^T, g)`` along ``da``: ``-solve(a^T, da^T solve(a^T, g))``."""
    if _vector_rhs(a, b):
        gb = np.linalg.solve(mT(a), g[..., None])
        return unbroadcast(-np.linalg.solve(mT(a), mT(da) @ gb)[..., 0], b)
    gb = np.linalg.solve(mT(a), g)
    return unbroadcast(-np.linalg.solve(mT(a), mT(da) @ gb), b)


def solve_adjoint_a_tangent(g, x, a, b, da):
    """Tangent of ``-solve(a^T, g) x^T`` along ``da`` (``x`` held)."""
    if _vector_rhs(a, b):
        gb = np.linalg.solve(mT(a), g[..., None])
        dgb = -np.linalg.solve(mT(a), mT(da) @ gb)
        return unbroadcast(-(dgb * x[..., None, :]), a)
    gb = np.linalg.solve(mT(a), g)
    return unbroadcast(-(-np.linalg.solve(mT(a), mT(da) @ gb) @ mT(x)), a)


def cholesky_adjoint_tangent(g, ans, dg, dans, upper=False):
    """Tangent of ``cholesky_adjoint(g, L)``, the product rule through each of its steps."""
    low, g, dlow, dg = (mT(v) for v in (ans, g, dans, dg)) if upper else (ans, g, dans, dg)
    eye = np.eye(low.shape[-1])
    lg, dlg = mT(low) @ g, mT(dlow) @ g + mT(low) @ dg
    phi, dphi = np.tril(lg) - 0.5 * eye * lg, np.tril(dlg) - 0.5 * eye * dlg
    inv = np.linalg.inv(low)
    dinv = -(inv @ dlow @ inv)
    inner = mT(dinv) @ phi @ inv + mT(inv) @ dphi @ inv + mT(inv) @ phi @ dinv
    return _triangle(_sym(inner), lower=not upper)


def eigh_adjoint_tangent(g, ans, dg, dans, uplo="L"):
    """Tangent of ``eigh_adjoint(g, (w, v))``: ``v (diag(gw) + F * (v^T gv)) v^T`` by the
    product rule, ``dF = -F^2 (dw_j - dw_i)``."""
    w, v, dw, dv = ans[0], ans[1], dans[0], dans[1]
    if isinstance(dg, (float, int, np.number)) or getattr(dg, "ndim", 1) == 0:  # constant
        dg = (np.zeros_like(w), np.zeros_like(v))
    gw, gv, dgw, dgv = (np.asarray(t) for t in (g[0], g[1], dg[0], dg[1]))
    eye = np.eye(w.shape[-1])
    inner, dinner = eye * gw[..., None, :], eye * dgw[..., None, :]
    if np.any(gv) or np.any(dgv):
        f = _gaps(w)
        df = -(f ** 2) * (dw[..., None, :] - dw[..., :, None])
        vg = mT(v) @ gv
        inner = inner + f * vg
        dinner = dinner + df * vg + f * (mT(dv) @ gv + mT(v) @ dgv)
    out = dv @ inner @ mT(v) + v @ dinner @ mT(v) + v @ inner @ mT(dv)
    return _triangle(_sym(out), lower=uplo.upper() == "L")


def eigvalsh_adjoint_tangent(g, a, da, uplo="L"):
    """Tangent of ``eigvalsh_adjoint(g, a)`` (``v diag(g) v^T``) along ``da``."""
    w, v = np.linalg.eigh(a, UPLO=uplo)
    dv = v @ (_gaps(w) * (mT(v) @ symmetric_from(da, uplo.upper() == "L") @ v))
    vg = v * g[..., None, :]
    return _triangle(_sym((dv * g[..., None, :]) @ mT(v) + vg @ mT(dv)),
                     lower=uplo.upper() == "L")


def pinv_adjoint_tangent(g, ans, a, dg, dans, da, hermitian=False):
    """Tangent of ``pinv_adjoint`` (a polynomial in ``g``, ``p`` and ``a``), term by term."""
    if hermitian:
        a, da = symmetric_from(a), symmetric_from(da)
    p, dp, gt, dgt = ans, dans, mT(g), mT(dg)
    m, n = np.shape(a)[-2:]
    left, dleft = np.eye(m) - a @ p, -(da @ p + a @ dp)
    right, dright = np.eye(n) - p @ a, -(dp @ a + p @ da)
    out = -(mT(dp) @ g @ mT(p) + mT(p) @ dg @ mT(p) + mT(p) @ g @ mT(dp))
    out = out + (dleft @ gt @ p @ mT(p) + left @ dgt @ p @ mT(p) + left @ gt @ dp @ mT(p)
                 + left @ gt @ p @ mT(dp))
    out = out + (mT(dp) @ p @ gt @ right + mT(p) @ dp @ gt @ right
                 + mT(p) @ p @ dgt @ right + mT(p) @ p @ gt @ dright)
    return _triangle(_sym(out)) if hermitian else out


def matrix_power_adjoint_tangent(g, a, da, n):
    """Tangent of ``matrix_power_adjoint(g, a, n)`` along ``da`` (``g`` held)."""
    if n < 0:
        inv = np.linalg.inv(a)
        dinv = -(inv @ da @ inv)
        from .runtime_linalg import matrix_power_adjoint

        inner = matrix_power_adjoint(g, inv, -n)
        dinner = matrix_power_adjoint_tangent(g, inv, dinv, -n)
        return -(mT(dinv) @ inner @ mT(inv) + mT(inv) @ dinner @ mT(inv)
                 + mT(inv) @ inner @ mT(dinv))
    at, dat = mT(np.asarray(a, dtype=float)), mT(da)
    total = np.zeros(at.shape)
    for k in range(n):
        total = total + (matrix_power_tangent(at, dat, k) @ g @ np.linalg.matrix_power(
            at, n - 1 - k) + np.linalg.matrix_power(at, k) @ g @ matrix_power_tangent(
            at, dat, n - 1 - k))
    return total


def norm_slope_tangent(g, ans, x, dans, dx, ord=2, axes=None, keepdims=False):
    """Tangent of a vector ``ord``-norm's (or the Frobenius norm's) adjoint
    ``g sign(x) |x|^(p-1) / ans^(p-1)`` along ``dx`` and ``dans`` (``g`` held); 0 for the
    piecewise linear norms (1, inf, 0)."""
    p = 2 if ord in (None, "fro") else ord
    x = np.asarray(x, dtype=float)
    if p in (0, 1, np.inf, -np.inf):
        return np.zeros_like(x)
    if isinstance(p, str):
        raise NotImplementedError(f"second derivatives of the {p!r} matrix norm")
    axes = tuple(range(x.ndim)) if axes is None else tuple(
        i % x.ndim for i in (axes if isinstance(axes, (tuple, list)) else (axes,)))
    if not keepdims:
        g, ans, dans = (np.expand_dims(v, axes) for v in (g, ans, dans))
    size = np.abs(x)
    scale = reciprocal_or_zero(ans ** (p - 1))
    slope = ((p - 1) * size ** (p - 2) * dx * scale
             - (p - 1) * np.sign(x) * size ** (p - 1) * dans * scale * reciprocal_or_zero(ans))
    return g * slope


def norm_adjoint_tangent(g, ans, x, dans, dx, ord=None, axis=None, keepdims=False):
    """The part of ``norm_adjoint``'s tangent from ``ans`` and ``x`` (as it dispatches)."""
    if axis is None:
        if ord is None:
            return norm_slope_tangent(g, ans, x, dans, dx, 2, None, keepdims)
        axis = tuple(range(np.ndim(x)))
    axes = axis if isinstance(axis, tuple) else (axis,)
    if len(axes) == 1:
        return norm_slope_tangent(g, ans, x, dans, dx, 2 if ord is None else ord, axes,
                                  keepdims)
    return matrix_norm_adjoint_tangent(g, ans, x, dans, dx, "fro" if ord is None else ord,
                                       axes, keepdims)


def matrix_norm_adjoint_tangent(g, ans, x, dans, dx, ord="fro", axis=(-2, -1),
                                keepdims=False):
    """The part of ``matrix_norm_adjoint``'s tangent from ``ans`` and ``x``: as for a
    vector 2-norm for Frobenius, 0 for the piecewise linear 1 and inf norms."""
    if ord in (1, -1, np.inf, -np.inf):
        return np.zeros(np.shape(x))
    if ord not in (None, "fro"):
        raise NotImplementedError(f"second derivatives of the matrix norm ord={ord!r}")
    return norm_slope_tangent(g, ans, x, dans, dx, 2, tuple(axis), keepdims)

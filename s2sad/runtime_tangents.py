"""Helpers that generated forward-mode (tangent) code calls.

Each is one step of a hand derivation of a tangent that would not fit on one readable line
(``dt1 = cholesky_tangent(t1, dx)``). They never modify their arguments. Non-smooth
operations (extrema, sorting, norms at kinks) follow the subgradient conventions of their
reverse rules, so that forward and reverse mode agree everywhere.
"""

from __future__ import annotations

import numpy as np

from .runtime_arrays import _float
from .runtime_linalg import _gaps, _vector_rhs
from .runtime_products import mT
from .runtime_reductions import (
    _axes,
    _order_statistics,
    _weights_like,
    keep_axes,
    quantile_lanes,
)

# ------------------------------------------------------------------------------------------
# reductions


def slope_times(slope, da, axis=None, keepdims=False):
    """``sum(slope * da)`` over the reduced axes: the tangent of a reduction whose adjoint
    for a unit ``g`` is ``slope`` (it has the operand's shape)."""
    return np.sum(slope * da, axis=_reduced(axis, np.ndim(slope)), keepdims=keepdims)


def _reduced(axis, ndim: int):
    return None if axis is None else _axes(axis, ndim)


def quantile_tangent(a, da, q, axis=None, keepdims=False, method="linear"):
    """Tangent of ``np.quantile(a, q, axis, method=method, keepdims=keepdims)``: each
    quantile is a weighted mean of order statistics of its lane, so its tangent is the same
    weighted mean of the tangents of the elements that are those order statistics (the
    weights and the stable order of ``quantile_adjoint``)."""
    a, axes, kept = quantile_lanes(a, axis, method)
    lanes_shape = tuple(a.shape[i] for i in kept) + (-1,)
    lanes = np.reshape(np.transpose(a, kept + list(axes)), lanes_shape)
    dlanes = np.reshape(np.transpose(np.broadcast_to(da, a.shape), kept + list(axes)),
                        lanes_shape)
    ordered = np.take_along_axis(dlanes, np.argsort(lanes, axis=-1, kind="stable"), axis=-1)
    q = np.asarray(q, dtype=float)
    n = lanes.shape[-1]
    out = np.stack([sum(weight * ordered[..., int(index)]
                        for index, weight in _order_statistics(qk * (n - 1), method))
                    for qk in q.reshape(-1)])
    if keepdims:
        return np.reshape(out, q.shape + tuple(1 if i in axes else m
                                               for i, m in enumerate(a.shape)))
    return np.reshape(out, q.shape + lanes.shape[:-1])


def average_weights_tangent(ans, a, weights, dweights, axis=None, keepdims=False):
    """Tangent of ``np.average(a, axis, weights)`` along ``dweights``:
    ``sum(dw * (a - ans)) / sum(w)``."""
    w = _weights_like(a, axis, weights)
    dw = _weights_like(a, axis, dweights)
    axes = _axes(axis, np.ndim(a))
    centered = a - keep_axes(ans, a, axis, keepdims)
    return (np.sum(dw * centered, axis=axes, keepdims=keepdims)
            / np.sum(w, axis=axes, keepdims=keepdims))


def cumprod_tangent(a, da, axis=None):
    """Tangent of ``np.cumprod(a, axis)``: the product rule carried along the axis, one
    step per element (exact with zeros, no division)."""
    if axis is None:
        a, da, axis = np.ravel(a), np.ravel(da), 0
    a, da = (np.moveaxis(_float(v), axis, -1) for v in (a, np.broadcast_to(da, np.shape(a))))
    out = np.zeros_like(a)
    product, tangent = np.ones(a.shape[:-1]), np.zeros(a.shape[:-1])
    for k in range(a.shape[-1]):
        tangent = tangent * a[..., k] + product * da[..., k]
        product = product * a[..., k]
        out[..., k] = tangent
    return np.moveaxis(out, -1, axis)


def cumulative_prod_tangent(x, dx, axis=None, include_initial=False):
    """Tangent of ``np.cumulative_prod``: that of ``cumprod``, after a zero for the
    initial 1 when ``include_initial``."""
    axis = 0 if axis is None else axis
    out = cumprod_tangent(x, dx, axis)
    if include_initial:
        out = np.concatenate([np.zeros_like(np.take(out, [0], axis=axis)), out], axis=axis)
    return out


def astype_tangent(da, ans, dtype):
    """Tangent of ``a.astype(dtype)``: ``da`` cast for a floating ``dtype``, zeros for an
    integer or boolean one (a step function)."""
    if not np.issubdtype(np.dtype(dtype), np.inexact):
        return np.zeros(np.shape(ans))
    return np.asarray(da).astype(dtype)


def sort_tangent(a, da, axis=-1):
    """Tangent of ``np.sort(a, axis)``: ``da`` in the order that sorts ``a`` (equal elements
    keep their order, as in the reverse rule)."""
    order = np.argsort(a, axis=axis, kind="stable")
    return np.take_along_axis(np.broadcast_to(da, np.shape(a)), order, axis=axis)


def pad_tangent(darray, pad_width, mode="constant", reflect_type="even"):
    """Tangent of ``np.pad(array, ...)`` along ``darray``: ``darray`` padded the same way
    (with zeros for a constant)."""
    if mode in ("reflect", "symmetric"):
        return np.pad(darray, pad_width, mode=mode, reflect_type=reflect_type)
    return np.pad(darray, pad_width, mode=mode)


def pad_value_tangent(array, pad_width, dvalue, mode="constant"):
    """Tangent of ``np.pad`` along a scalar ``constant_values``: it fills the padding."""
    zeros = np.zeros(np.shape(array))
    if mode != "constant":
        return np.pad(zeros, pad_width, mode=mode)
    return np.pad(zeros, pad_width, constant_values=float(dvalue))


# ------------------------------------------------------------------------------------------
# inverses and solves


def solve_tangent_a(ans, a, b, da):
    """Tangent of ``x = np.linalg.solve(a, b)`` along ``da``: ``-solve(a, da x)``, ``x`` a
    (stack of) vector(s) or matrices as ``solve`` read ``b``."""
    if _vector_rhs(a, b):
        return -np.linalg.solve(a, (da @ ans[..., None]))[..., 0]
    return -np.linalg.solve(a, da @ ans)


def matrix_power_tangent(a, da, n):
    """Tangent of ``np.linalg.matrix_power(a, n)``: ``sum_k a^k da a^(n-1-k)``, of the
    inverse for negative ``n``."""
    if n < 0:
        inv = np.linalg.inv(a)
        return matrix_power_tangent(inv, -(inv @ da @ inv), -n)
    powers = [np.broadcast_to(np.eye(np.shape(a)[-1]), np.shape(a))]
    for _ in range(1, n):
        powers.append(powers[-1] @ a)
    return sum((powers[k] @ da @ powers[n - 1 - k] for k in range(n)), np.zeros(np.shape(a)))


def multi_dot_tangent(arrays, darrays):
    """Tangent of ``np.linalg.multi_dot(arrays)``: the sum over the factors of the product
    with that factor replaced by its tangent."""
    arrays = list(arrays)
    return sum(np.linalg.multi_dot(arrays[:k] + [darrays[k]] + arrays[k + 1:])
               for k in range(len(arrays)))


def tensorinv_tangent(ans, a, da, ind=2):
    """Tangent of ``np.linalg.tensorinv(a, ind)``: ``-m da m`` for the matrix inverse ``m``
    it is a reshape of."""
    rows = int(np.prod(np.shape(a)[:ind]))
    m = np.reshape(ans, (-1, rows))
    return np.reshape(-(m @ np.reshape(da, (rows, -1)) @ m), np.shape(ans))


def tensorsolve_tangent_a(ans, a, b, da, axes=None):
    """Tangent of ``x = np.linalg.tensorsolve(a, b, axes)`` along ``da``:
    ``tensorsolve(a, -da x)`` in the matrix form."""
    order = _order(np.ndim(a), axes)
    mat = np.reshape(np.transpose(a, order), (np.size(b), -1))
    dmat = np.reshape(np.transpose(da, order), (np.size(b), -1))
    return np.reshape(np.linalg.solve(mat, -(dmat @ np.ravel(ans))), np.shape(ans))


def _order(nd: int, axes) -> list:
    if axes is None:
        return list(range(nd))
    moved = [k % nd for k in axes]
    return [k for k in range(nd) if k not in moved] + moved


def pinv_tangent(ans, a, da, hermitian=False):
    """Tangent of ``p = np.linalg.pinv(a)`` (constant rank, Golub and Pereyra):
    ``-p da p + p p^T da^T (I - a p) + (I - p a) da^T p^T p``."""
    if hermitian:
        a, da = symmetric_from(a, True), symmetric_from(da, True)
    p, dat = ans, mT(da)
    m, n = np.shape(a)[-2:]
    return (-(p @ da @ p) + p @ mT(p) @ dat @ (np.eye(m) - a @ p)
            + (np.eye(n) - p @ a) @ dat @ mT(p) @ p)


def lstsq_tangent(ans, a, b, da, db):
    """Tangent of ``x, residuals, rank, s = np.linalg.lstsq(a, b)`` (full rank): ``x``
    through ``pinv(a) b``, the residuals ``|b - a x|^2`` (at the optimum ``a^T r = 0``, so
    only their explicit dependence counts), the singular values as for ``svd``."""
    x = ans[0]
    p = np.linalg.pinv(a)
    dx = pinv_tangent(p, a, da) @ b + p @ db
    r = b - a @ x
    dres = np.sum(2 * r * (db - da @ x), axis=0) if np.size(ans[1]) else np.zeros(0)
    dres = np.reshape(dres, np.shape(ans[1]))
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    ds = np.einsum("...ij,...ik,...kj->...j", u, da, mT(vh))
    return (dx, dres, 0.0, ds)


# ------------------------------------------------------------------------------------------
# decompositions


def symmetric_from(da, lower=True):
    """The symmetric matrix a function that reads one triangle of ``da`` sees."""
    part = np.tril(da) if lower else np.triu(da)
    return part + mT(part) - part * np.eye(np.shape(da)[-1])


def cholesky_tangent(ans, da, upper=False):
    """Tangent of ``L = np.linalg.cholesky(a)`` (Murray 2016): ``L Phi(L^-1 da L^-T)``,
    ``Phi`` the lower triangle with half the diagonal; ``upper=True`` works on ``U = L^T``."""
    low = mT(ans) if upper else ans
    inv = np.linalg.inv(low)
    inner = inv @ symmetric_from(da, lower=not upper) @ mT(inv)
    out = low @ (np.tril(inner) - 0.5 * np.eye(np.shape(da)[-1]) * inner)
    return mT(out) if upper else out


def eigh_tangent(ans, da, uplo="L"):
    """Tangent of ``w, v = np.linalg.eigh(a)``: ``dw = diag(v^T da v)``,
    ``dv = v (F * (v^T da v))`` (``F`` the inverse eigenvalue gaps, 0 for repeated ones)."""
    w, v = ans[0], ans[1]
    inner = mT(v) @ symmetric_from(da, lower=uplo.upper() == "L") @ v
    dw = np.diagonal(inner, axis1=-2, axis2=-1)
    return type(ans)(dw, v @ (_gaps(w) * inner))


def eigvalsh_tangent(a, da, uplo="L"):
    """Tangent of ``np.linalg.eigvalsh(a)``: ``diag(v^T da v)``."""
    v = np.linalg.eigh(a, UPLO=uplo)[1]
    inner = mT(v) @ symmetric_from(da, lower=uplo.upper() == "L") @ v
    return np.diagonal(inner, axis1=-2, axis2=-1).copy()


def svd_tangent(ans, a, da, full_matrices=True, compute_uv=True):
    """Tangent of ``u, s, vh = np.linalg.svd(a)`` (Townsend 2016), of ``s`` alone with
    ``compute_uv=False``; extra columns of a full ``u`` (rows of ``vh``) turn to stay
    orthogonal to the others."""
    if not compute_uv:
        u, _, vh = np.linalg.svd(a, full_matrices=False)
        return np.einsum("...ij,...ik,...kj->...j", u, da, mT(vh))
    u, s, vh = ans[0], ans[1], ans[2]
    m, n = np.shape(a)[-2:]
    k = min(m, n)
    uk, vk = u[..., :k], mT(vh[..., :k, :])
    dp = mT(uk) @ da @ vk
    ds = np.diagonal(dp, axis1=-2, axis2=-1)
    f = _gaps(s ** 2)
    sd = s[..., None, :]
    du = uk @ (f * (dp * sd + mT(dp * sd)))
    dv = vk @ (f * (mT(dp) * sd + mT(mT(dp) * sd)))
    if m > k:
        du = du + (da @ vk - uk @ dp) / sd
    if n > k:
        dv = dv + (mT(da) @ uk - vk @ mT(dp)) / sd
    if full_matrices and m > k:
        rest = u[..., k:]
        du = np.concatenate([du, -(uk @ (mT(du) @ rest))], axis=-1)
    dvh = mT(dv)
    if full_matrices and n > k:
        rest = vh[..., k:, :]
        dvh = np.concatenate([dvh, -((rest @ mT(dvh)) @ mT(vk))], axis=-2)
    return type(ans)(du, ds, dvh)


def qr_tangent(ans, a, da, mode="reduced"):
    """Tangent of ``q, r = np.linalg.qr(a)`` for rows >= columns: with ``x = q^T da r^-1``
    and ``w`` the skew part of its strict lower triangle, ``dr = (x - w) r`` and
    ``dq = da r^-1 - q (x - w)``."""
    q, r = (np.linalg.qr(a)) if mode == "r" else (ans[0], ans[1])
    da_r = mT(np.linalg.solve(mT(r), mT(da)))  # da r^-1
    x = mT(q) @ da_r
    low = np.tril(x, -1)
    upper = x - (low - mT(low))
    dr = upper @ r
    if mode == "r":
        return dr
    return type(ans)(da_r - q @ upper, dr)

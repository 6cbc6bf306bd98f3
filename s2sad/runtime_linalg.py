"""Helpers that generated derivatives of np.linalg call: solve, decompositions, inverses
and norms.

Each one is a named step of a hand derivation ("the adjoint of ``A`` in ``x = solve(A, b)``"),
kept out of line so that the generated code stays short. Matrix functions work on stacks of
matrices (the last two axes) wherever NumPy does. Real arrays only. The helpers never modify
their arguments and return fresh values.

Matrix decompositions (``eigh``, ``svd``, ``qr``, ``cholesky``) have adjoints only where the
decomposition is a smooth function of its input: distinct eigenvalues or singular values,
full rank. Like the functions they differentiate, ``cholesky``, ``eigh`` and ``eigvalsh``
read one triangle of their input only; their adjoints are zero on the other triangle.
"""

from __future__ import annotations

import numpy as np

from .runtime import unbroadcast
from .runtime_products import mT

_NUMPY2 = int(np.__version__.split(".")[0]) >= 2


# ------------------------------------------------------------------------- linear algebra
def _vector_rhs(a, b) -> bool:
    """Whether ``np.linalg.solve(a, b)`` treats ``b`` as a (stack of) vector(s)."""
    return np.ndim(b) == 1 if _NUMPY2 else np.ndim(b) == np.ndim(a) - 1


def solve_adjoint_b(g, a, b):
    """Adjoint of ``b`` in ``x = np.linalg.solve(a, b)``: ``solve(a^T, g)``."""
    if _vector_rhs(a, b):
        return unbroadcast(np.linalg.solve(mT(a), g[..., None])[..., 0], b)
    return unbroadcast(np.linalg.solve(mT(a), g), b)


def solve_adjoint_a(g, x, a, b):
    """Adjoint of ``a`` in ``x = np.linalg.solve(a, b)``: ``-solve(a^T, g) x^T``."""
    if _vector_rhs(a, b):
        gb = np.linalg.solve(mT(a), g[..., None])
        return unbroadcast(-(gb * x[..., None, :]), a)
    return unbroadcast(-(np.linalg.solve(mT(a), g) @ mT(x)), a)


def _triangle(p, lower: bool = True):
    """The adjoint of a function that reads one triangle of a symmetric matrix, given its
    adjoint ``p`` (symmetric) with respect to the whole matrix: each off-diagonal element
    read stands for two, so it gets twice ``p``; the other triangle gets zero."""
    diagonal = p * np.eye(p.shape[-1])
    return (np.tril(2 * p) if lower else np.triu(2 * p)) - diagonal


def _sym(m):
    """The symmetric part of each matrix."""
    return (m + mT(m)) / 2


def cholesky_adjoint(g, ans, upper=False):
    """Adjoint of ``a`` in ``np.linalg.cholesky(a)`` (Murray 2016):
    ``L^-T Phi(L^T g) L^-1`` symmetrized, ``Phi`` the lower triangle with half the
    diagonal; ``upper=True`` works on ``U = L^T``."""
    low, g = (mT(ans), mT(g)) if upper else (ans, g)
    lg = mT(low) @ g
    phi = np.tril(lg) - 0.5 * np.eye(low.shape[-1]) * lg
    inv = np.linalg.inv(low)
    return _triangle(_sym(mT(inv) @ phi @ inv), lower=not upper)


def _gaps(w):
    """``1 / (w[j] - w[i])``, and 0 where ``w[j] == w[i]`` (the diagonal, and repeated
    values: a loss that does not depend on how a repeated value's vectors are chosen gets
    no term from them). Eigen- and singular-vector adjoints divide by these gaps."""
    diff = w[..., None, :] - w[..., :, None]
    return np.divide(1.0, diff, out=np.zeros_like(diff), where=diff != 0)


def eigh_adjoint(g, ans, uplo="L"):
    """Adjoint of ``a`` in ``w, v = np.linalg.eigh(a)``:
    ``v (diag(gw) + F * (v^T gv)) v^T`` (``F`` the inverse eigenvalue gaps)."""
    w, v = ans[0], ans[1]
    gw, gv = np.asarray(g[0]), np.asarray(g[1])
    inner = np.eye(w.shape[-1]) * gw[..., None, :]
    if np.any(gv):  # eigenvalues alone need no gaps: fine when eigenvalues repeat
        inner = inner + _gaps(w) * (mT(v) @ gv)
    return _triangle(_sym(v @ inner @ mT(v)), lower=uplo.upper() == "L")


def eigvalsh_adjoint(g, a, uplo="L"):
    """Adjoint of ``a`` in ``np.linalg.eigvalsh(a)``: ``v diag(g) v^T``."""
    v = np.linalg.eigh(a, UPLO=uplo)[1]
    return _triangle(_sym((v * g[..., None, :]) @ mT(v)), lower=uplo.upper() == "L")


def svd_adjoint(g, ans, a, full_matrices=True, compute_uv=True, hermitian=False):
    """Adjoint of ``a`` in ``u, s, vh = np.linalg.svd(a)`` (Townsend 2016); with
    ``compute_uv=False`` (``s`` only) ``u diag(g) vh``."""
    if hermitian:
        raise NotImplementedError("the derivative of np.linalg.svd(a, hermitian=True)")
    if not compute_uv:
        u, _, vh = np.linalg.svd(a, full_matrices=False)
        return (u * g[..., None, :]) @ vh
    u, s, vh = ans[0], ans[1], ans[2]
    gu, gs, gvh = np.asarray(g[0]), np.asarray(g[1]), np.asarray(g[2])
    m, n = np.shape(a)[-2:]
    k = min(m, n)
    if full_matrices and m != n:
        if np.any(gu[..., k:]) or np.any(gvh[..., k:, :]):
            raise NotImplementedError(
                "the derivative of np.linalg.svd(a, full_matrices=True) needs the extra "
                "columns of u (rows of vh) unused; pass full_matrices=False")
        u, gu, vh, gvh = u[..., :k], gu[..., :k], vh[..., :k, :], gvh[..., :k, :]
    out = (u * gs[..., None, :]) @ vh
    if not (np.any(gu) or np.any(gvh)):  # singular values alone: fine when they repeat
        return out
    v, gv = mT(vh), mT(gvh)
    f = _gaps(s ** 2)
    ut_gu, vt_gv = mT(u) @ gu, mT(v) @ gv
    core = ((f * (ut_gu - mT(ut_gu))) * s[..., None, :]
            + s[..., :, None] * (f * (vt_gv - mT(vt_gv))))
    out = out + u @ core @ vh
    if m > k:
        out = out + (gu - u @ ut_gu) / s[..., None, :] @ vh
    if n > k:
        out = out + u @ (mT(gv - v @ vt_gv) / s[..., :, None])
    return out


def qr_adjoint(g, ans, a, mode="reduced"):
    """Adjoint of ``a`` in ``q, r = np.linalg.qr(a)`` for ``m >= n`` (Walter and Lehmann
    2018): ``(gq + q copyltu(M)) r^-T`` with ``M = r gr^T - gq^T q``."""
    m, n = np.shape(a)[-2:]
    if m < n or mode not in ("reduced", "complete", "r") or (mode == "complete" and m != n):
        raise NotImplementedError(
            "the derivative of np.linalg.qr needs rows >= columns and mode 'reduced' or 'r'")
    if mode == "r":  # r alone: q is recomputed, and nothing reaches it
        q, r = np.linalg.qr(a)
        gq, gr = np.zeros_like(q), np.asarray(g)
    else:
        q, r, gq, gr = ans[0], ans[1], np.asarray(g[0]), np.asarray(g[1])
    mm = r @ mT(gr) - mT(gq) @ q
    copyltu = np.tril(mm) + mT(np.tril(mm, -1))
    return mT(np.linalg.solve(r, mT(gq + q @ copyltu)))


def pinv_adjoint(g, ans, a, hermitian=False):
    """Adjoint of ``a`` in ``p = np.linalg.pinv(a)`` (constant rank, Golub and Pereyra):
    ``-p^T g p^T + (I - a p) g^T p p^T + p^T p g^T (I - p a)``; ``hermitian=True`` reads the
    lower triangle of ``a`` only."""
    if hermitian:
        a = np.tril(a) + mT(np.tril(a, -1))
    p, gt = ans, mT(g)
    m, n = np.shape(a)[-2:]
    out = (-(mT(p) @ g @ mT(p)) + (np.eye(m) - a @ p) @ gt @ p @ mT(p)
           + mT(p) @ p @ gt @ (np.eye(n) - p @ a))
    return _triangle(_sym(out)) if hermitian else out


def lstsq_adjoint_a(g, ans, a, b):
    """Adjoint of ``a`` in ``x, residuals, rank, s = np.linalg.lstsq(a, b)`` (full rank):
    through ``x = pinv(a) b``, the residuals ``|b - a x|^2`` (at the optimum only their
    explicit dependence counts) and the singular values."""
    x, gx, gres, gs = ans[0], np.asarray(g[0]), np.asarray(g[1]), np.asarray(g[3])
    b2, x2, gx2 = (b, x, gx) if np.ndim(b) == 2 else (b[:, None], x[:, None], gx[:, None])
    out = pinv_adjoint(gx2 @ b2.T, np.linalg.pinv(a), a)
    if np.size(ans[1]):
        out = out - 2 * ((b2 - a @ x2) * gres) @ x2.T
    if np.any(gs):
        u, _, vh = np.linalg.svd(a, full_matrices=False)
        out = out + (u * gs) @ vh
    return out


def lstsq_adjoint_b(g, ans, a, b):
    """Adjoint of ``b`` in ``x, residuals, rank, s = np.linalg.lstsq(a, b)`` (full rank)."""
    x, gx, gres = ans[0], np.asarray(g[0]), np.asarray(g[1])
    out = np.linalg.pinv(a).T @ gx
    if np.size(ans[1]):
        out = out + 2 * (b - a @ x) * (gres if np.ndim(b) == 2 else gres[0])
    return out


# ---------------------------------------------------------------------------------- norms
def _over_zero(x, y):
    """``x / y``, 0 where ``y`` is 0 (the subgradient of a norm at 0)."""
    return x / np.where(y == 0, np.inf, y)


def _share(mask, axes):
    """``mask`` over the number of its ``True`` along ``axes``: ties share the adjoint."""
    return mask / np.sum(mask, axis=axes, keepdims=True)


def vector_norm_adjoint(g, ans, x, ord=2, axis=None, keepdims=False):
    """Adjoint of ``x`` in its ``ord``-norm over ``axis`` (all axes when None), as in
    ``np.linalg.vector_norm``: ``g x / |x|`` for the 2-norm."""
    x = np.asarray(x, dtype=np.result_type(x, float))
    axes = tuple(range(x.ndim)) if axis is None else tuple(
        i % x.ndim for i in (axis if isinstance(axis, (tuple, list)) else (axis,)))
    if not keepdims:
        g, ans = np.expand_dims(g, axes), np.expand_dims(ans, axes)
    size = np.abs(x)
    if ord is None or ord == 2:
        d = _over_zero(x, ans)
    elif ord == np.inf or ord == -np.inf:
        extreme = np.max(size, axis=axes, keepdims=True) if ord > 0 else np.min(
            size, axis=axes, keepdims=True)
        d = np.sign(x) * _share(size == extreme, axes)
    elif ord == 0:
        d = np.zeros_like(x)
    elif ord == 1:
        d = np.sign(x)
    else:
        d = np.sign(x) * _over_zero(size ** (ord - 1), ans ** (ord - 1))
    return g * d


def matrix_norm_adjoint(g, ans, x, ord="fro", axis=(-2, -1), keepdims=False):
    """Adjoint of ``x`` in its matrix ``ord``-norm over the two axes ``axis``, as in
    ``np.linalg.matrix_norm``: Frobenius ``g x / |x|``, nuclear ``g u v^T``, spectral
    (2, -2) the outer product of the extreme singular vectors, 1 / inf (and -1 / -inf) the
    signs of the largest (smallest) column / row."""
    x = np.asarray(x, dtype=np.result_type(x, float))
    axes = tuple(i % x.ndim for i in axis)
    if not keepdims:
        g, ans = np.expand_dims(g, axes), np.expand_dims(ans, axes)
    xm, gm, am = (np.moveaxis(t, axes, (-2, -1)) for t in (x, g, ans))
    if ord is None or ord == "fro":
        d = _over_zero(xm, am)
    elif ord == "nuc":
        u, _, vh = np.linalg.svd(xm, full_matrices=False)
        d = u @ vh
    elif ord in (2, -2):
        u, _, vh = np.linalg.svd(xm, full_matrices=False)
        j = 0 if ord == 2 else -1
        d = u[..., :, j, None] * vh[..., None, j, :]
    elif ord in (1, -1, np.inf, -np.inf):
        # 1: sums down the columns, the largest column; inf: along the rows, largest row
        down, across = (-2, -1) if ord in (1, -1) else (-1, -2)
        sums = np.sum(np.abs(xm), axis=down, keepdims=True)
        pick = np.max if ord > 0 else np.min
        d = np.sign(xm) * _share(sums == pick(sums, axis=across, keepdims=True), across)
    else:
        raise NotImplementedError(f"the derivative of the matrix norm ord={ord!r}")
    return np.moveaxis(gm * d, (-2, -1), axes)


def norm_adjoint(g, ans, x, ord=None, axis=None, keepdims=False):
    """Adjoint of ``x`` in ``np.linalg.norm(x, ord, axis, keepdims)``: a vector norm over
    one axis (or of the flattened ``x`` when ``ord`` and ``axis`` are None), else a matrix
    norm."""
    if axis is None:
        if ord is None:
            return vector_norm_adjoint(g, ans, x, 2, None, keepdims)
        axis = tuple(range(np.ndim(x)))
    axes = axis if isinstance(axis, tuple) else (axis,)
    if len(axes) == 1:
        return vector_norm_adjoint(g, ans, x, 2 if ord is None else ord, axes, keepdims)
    return matrix_norm_adjoint(g, ans, x, "fro" if ord is None else ord, axes, keepdims)


def cond_adjoint(g, ans, x, p=None):
    """Adjoint of ``x`` in ``np.linalg.cond(x, p)``: for ``p`` None, 2 or -2 through the
    largest and smallest singular values (``u diag(ds) v^T``), otherwise through
    ``norm(x, p) * norm(inv(x), p)``."""
    if p is None or p == 2 or p == -2:
        u, s, vh = np.linalg.svd(x, full_matrices=False)
        top, low = s[..., :1], s[..., -1:]
        ds = np.zeros_like(s)
        if p == -2:  # low / top
            ds[..., :1], ds[..., -1:] = -low / top ** 2, 1 / top
        else:  # top / low
            ds[..., :1], ds[..., -1:] = 1 / low, -top / low ** 2
        return (u * (np.expand_dims(g, -1) * ds)[..., None, :]) @ vh
    inv = np.linalg.inv(x)
    n_x = np.linalg.norm(x, p, axis=(-2, -1))
    n_inv = np.linalg.norm(inv, p, axis=(-2, -1))
    d_x = matrix_norm_adjoint(g * n_inv, n_x, x, p)
    d_inv = matrix_norm_adjoint(g * n_x, n_inv, inv, p)
    return d_x - mT(inv) @ d_inv @ mT(inv)


def tensorinv_adjoint(g, ans, a, ind=2):
    """Adjoint of ``a`` in ``np.linalg.tensorinv(a, ind)``: ``-(m^T g m^T)`` for the matrix
    inverse ``m`` the tensor inverse is a reshape of."""
    rows = int(np.prod(np.shape(a)[ind:]))
    m = np.reshape(ans, (-1, rows))
    return np.reshape(-(m.T @ np.reshape(g, m.shape) @ m.T), np.shape(a))


def tensorsolve_adjoint_a(g, ans, a, b, axes=None):
    """Adjoint of ``a`` in ``x = np.linalg.tensorsolve(a, b, axes)``: the ``solve`` adjoint
    of its matrix form, reshaped (and with ``axes`` moved) back."""
    order = _tensorsolve_order(np.ndim(a), axes)
    shape = np.shape(np.transpose(a, order))
    mat = np.reshape(np.transpose(a, order), (np.size(b), -1))
    gb = np.linalg.solve(mat.T, np.ravel(g))
    return np.transpose(np.reshape(-np.outer(gb, np.ravel(ans)), shape), np.argsort(order))


def tensorsolve_adjoint_b(g, a, b, axes=None):
    """Adjoint of ``b`` in ``x = np.linalg.tensorsolve(a, b, axes)``."""
    mat = np.reshape(np.transpose(a, _tensorsolve_order(np.ndim(a), axes)), (np.size(b), -1))
    return np.reshape(np.linalg.solve(mat.T, np.ravel(g)), np.shape(b))


def _tensorsolve_order(nd: int, axes) -> list:
    """The axes of ``a`` in the order ``tensorsolve`` puts them (``axes`` moved last)."""
    if axes is None:
        return list(range(nd))
    moved = [k % nd for k in axes]
    return [k for k in range(nd) if k not in moved] + moved

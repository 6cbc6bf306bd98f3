"""Products and linear algebra (s2sad/rules/linalg.py), checked against central differences.

As in test_rules.py, each case is a module-level function that reduces its result to a
scalar by a weighted sum against fixed random weights (``V<n>`` vectors, ``M<m><n>``
matrices, ``T<...>`` stacks). Matrices are well conditioned: ``A + n I`` for inverses and
solves, ``B B^T + n I`` for the symmetric positive definite inputs of ``cholesky``, and
symmetric matrices with well separated eigenvalues for ``eigh``. Losses of eigenvectors and
singular vectors do not depend on their signs (``v * v``, ``u @ diag(s) @ vh``), which the
decomposition is free to choose. NumPy 2 functions (``np.linalg.outer``, ``vecdot``,
``matrix_norm``, ...) have cases where NumPy has them.
"""

from __future__ import annotations

import numpy as np
import pytest

from .test_rules import W_S, Case, _draw, _key_name, _shape_label, check_case

RNG = np.random.default_rng(20240917)
LA = np.linalg


def _w(*shape):
    """Weights with |w| in [0.5, 1.5] and random signs."""
    return RNG.uniform(0.5, 1.5, shape) * RNG.choice((-1.0, 1.0), shape)


V1, V2, V3, V4, V5, V6, V8 = (_w(n) for n in (1, 2, 3, 4, 5, 6, 8))
M22, M23, M24, M25, M32, M33, M34, M35, M36, M43, M44, M64 = (
    _w(*s) for s in ((2, 2), (2, 3), (2, 4), (2, 5), (3, 2), (3, 3), (3, 4), (3, 5), (3, 6),
                     (4, 3), (4, 4), (6, 4)))
T233, T234, T235, T236, T243, T345, T623 = (
    _w(*s) for s in ((2, 3, 3), (2, 3, 4), (2, 3, 5), (2, 3, 6), (2, 4, 3), (3, 4, 5),
                     (6, 2, 3)))


def _general(*shape):
    """Square matrices (the last two axes) far from singular: uniform [-1, 1] plus n I."""
    n = shape[-1]
    return RNG.uniform(-1.0, 1.0, shape) + n * np.eye(n)


def _spd(*shape):
    """Symmetric positive definite matrices ``B B^T + n I``."""
    n = shape[-1]
    b = RNG.uniform(-1.0, 1.0, shape)
    return b @ np.swapaxes(b, -1, -2) + n * np.eye(n)


def _separated(*shape):
    """Symmetric matrices with eigenvalues about 1 apart (eigenvectors well defined)."""
    n = shape[-1]
    q = np.linalg.qr(RNG.normal(size=shape))[0]
    w = np.arange(1.0, n + 1.0) * 1.1 + RNG.uniform(-0.2, 0.2, shape[:-1])
    a = (q * w[..., None, :]) @ np.swapaxes(q, -1, -2)
    return (a + np.swapaxes(a, -1, -2)) / 2


def _repeated(n):
    """A symmetric matrix with eigenvalues 1, 1, 1.9, ... (one repeated)."""
    q = np.linalg.qr(RNG.normal(size=(n, n)))[0]
    a = (q * np.r_[1.0, 1.0, np.arange(2, n) * 0.9 + 0.1]) @ q.T
    return (a + a.T) / 2


def _full_rank(*shape, s=None):
    """Rectangular matrices with singular values ``s``, by default well apart and away
    from 0."""
    m, n = shape[-2:]
    k = min(m, n)
    u = np.linalg.qr(RNG.normal(size=shape[:-2] + (m, k)))[0]
    v = np.linalg.qr(RNG.normal(size=shape[:-2] + (n, k)))[0]
    s = np.arange(k, 0, -1) * 0.9 + 0.6 if s is None else np.asarray(s)
    return (u * s) @ np.swapaxes(v, -1, -2)


# ======================================================================================
# Case functions
# ======================================================================================

# --- outer, inner, vdot -----------------------------------------------------------------
def outer_vv(x, y): return np.sum(M34 * np.outer(x, y))
def outer_mv(x, y): return np.sum(M64 * np.outer(x, y))
def linalg_outer_vv(x, y): return np.sum(M34 * LA.outer(x, y))
def inner_vv(x, y): return W_S * np.inner(x, y)
def inner_mv(x, y): return np.sum(V3 * np.inner(x, y))
def inner_mm(x, y): return np.sum(M35 * np.inner(x, y))
def inner_tm(x, y): return np.sum(T235 * np.inner(x, y))
def inner_scalar(x, y): return np.sum(M34 * np.inner(x, y))
def vdot_vv(x, y): return W_S * np.vdot(x, y)
def vdot_mm(x, y): return W_S * np.vdot(x, y)


# --- tensordot ---------------------------------------------------------------------------
def tensordot_default(x, y): return np.sum(M25 * np.tensordot(x, y))
def tensordot_axes1(x, y): return np.sum(M35 * np.tensordot(x, y, axes=1))
def tensordot_axes0(x, y): return np.sum(M34 * np.tensordot(x, y, 0))
def tensordot_pairs(x, y): return np.sum(M25 * np.tensordot(x, y, axes=([1, 0], [0, 1])))
def tensordot_int_pair(x, y): return np.sum(T345 * np.tensordot(x, y, axes=(2, 0)))
def tensordot_scrambled(x, y): return np.sum(M35 * np.tensordot(x, y, axes=([0, 2], [2, 1])))
def linalg_tensordot(x, y): return np.sum(M35 * LA.tensordot(x, y, axes=1))


# --- einsum ------------------------------------------------------------------------------
def einsum_matmul(x, y): return np.sum(M35 * np.einsum("ij,jk->ik", x, y))
def einsum_implicit(x, y): return np.sum(M35 * np.einsum("ij,jk", x, y))
def einsum_implicit_order(x, y): return np.sum(M35 * np.einsum("ki,jk", x, y))
def einsum_matvec(x, y): return np.sum(V3 * np.einsum("ij,j->i", x, y))
def einsum_dot(x, y): return W_S * np.einsum("i,i->", x, y)
def einsum_outer(x, y): return np.sum(M34 * np.einsum("i,j->ij", x, y))
def einsum_batched(x, y): return np.sum(T235 * np.einsum("bij,bjk->bik", x, y))
def einsum_transpose(x): return np.sum(M43 * np.einsum("ij->ji", x))
def einsum_sum_all(x): return W_S * np.einsum("ij->", x)
def einsum_sum_rows(x): return np.sum(V4 * np.einsum("ij->j", x))
def einsum_trace(x): return W_S * np.einsum("ii", x)
def einsum_diagonal(x): return np.sum(V3 * np.einsum("ii->i", x))
def einsum_three(x, y, z): return np.sum(T234 * np.einsum("i,j,k->ijk", x, y, z))
def einsum_chain(x, y, z): return np.sum(M25 * np.einsum("ij,jk,kl->il", x, y, z))
def einsum_quadratic(x, y): return W_S * np.einsum("i,ij,j", x, y, x)
def einsum_same_operand(x): return W_S * np.einsum("ij,ij->", x, x)
def einsum_constant_operand(x): return W_S * np.einsum("ij,ij->", M34, x)
def einsum_broadcast_one(x, y): return np.sum(M34 * np.einsum("ij,ij->ij", x, y))
def einsum_ellipsis(x, y): return np.sum(T235 * np.einsum("...ij,jk->...ik", x, y))
def einsum_ellipsis_implicit(x, y): return np.sum(M34 * np.einsum("i...,i...", x, y))
def einsum_spaces(x, y): return np.sum(V3 * np.einsum("i j , j -> i", x, y))
def einsum_optimize(x, y, z): return np.sum(M25 * np.einsum("ij,jk,kl->il", x, y, z,
                                                            optimize=True))
def einsum_four(w, x, y, z): return W_S * np.einsum("i,ij,jk,k->", w, x, y, z)
def einsum_five(v, w, x, y, z): return np.sum(V2 * np.einsum("i,i,i,i,ij->j", v, w, x, y, z))


# --- kron, cross, convolve, correlate, vecdot ---------------------------------------------
def kron_vv(x, y): return np.sum(V6 * np.kron(x, y))
def kron_mm(x, y): return np.sum(M64 * np.kron(x, y))
def kron_vm(x, y): return np.sum(M36 * np.kron(x, y))
def cross_vv(x, y): return np.sum(V3 * np.cross(x, y))
def cross_rows(x, y): return np.sum(M43 * np.cross(x, y))
def cross_axis0(x, y): return np.sum(M34 * np.cross(x, y, axis=0))
def cross_axes(x, y): return np.sum(M34 * np.cross(x, y, axisa=0, axisb=1, axisc=0))
def linalg_cross(x, y): return np.sum(M43 * LA.cross(x, y))
def convolve_full(x, y): return np.sum(V8 * np.convolve(x, y))
def convolve_full_swapped(x, y): return np.sum(V8 * np.convolve(x, y, "full"))
def convolve_same6(x, y): return np.sum(V6 * np.convolve(x, y, mode="same"))
def convolve_valid4(x, y): return np.sum(V4 * np.convolve(x, y, mode="valid"))
def convolve_valid3(x, y): return np.sum(V3 * np.convolve(x, y, "valid"))
def correlate_valid4(x, y): return np.sum(V4 * np.correlate(x, y))
def correlate_valid3(x, y): return np.sum(V3 * np.correlate(x, y, "valid"))
def correlate_same6(x, y): return np.sum(V6 * np.correlate(x, y, mode="same"))
def correlate_full(x, y): return np.sum(V8 * np.correlate(x, y, mode="full"))
def vecdot_rows(x, y): return np.sum(V3 * np.vecdot(x, y))
def vecdot_axis0(x, y): return np.sum(V4 * np.vecdot(x, y, axis=0))
def linalg_vecdot(x, y): return np.sum(V3 * LA.vecdot(x, y))
def matvec_2d(x, y): return np.sum(V3 * np.matvec(x, y))
def matvec_batched(x, y): return np.sum(M23 * np.matvec(x, y))
def vecmat_2d(x, y): return np.sum(V4 * np.vecmat(x, y))
def vecmat_batched(x, y): return np.sum(M24 * np.vecmat(x, y))
def linalg_matmul(x, y): return np.sum(M35 * LA.matmul(x, y))
def linalg_matrix_transpose(x): return np.sum(T243 * LA.matrix_transpose(x))


# --- multi_dot, matrix_power -------------------------------------------------------------
def multi_dot_three(x, y, z): return np.sum(M25 * LA.multi_dot([x, y, z]))
def multi_dot_vectors(v, x, y, w): return W_S * LA.multi_dot([v, x, y, w])
def multi_dot_vector_first(v, x): return np.sum(V5 * LA.multi_dot([v, x, M35.T @ M35]))
def matrix_power_3(x): return np.sum(M33 * LA.matrix_power(x, 3))
def matrix_power_1(x): return np.sum(M33 * LA.matrix_power(x, 1))
def matrix_power_0(x): return np.sum(M33 * LA.matrix_power(x, 0) * x)
def matrix_power_neg2(x): return np.sum(M33 * LA.matrix_power(x, -2))
def matrix_power_batched(x): return np.sum(T233 * LA.matrix_power(x, 2))


# --- inv, det, slogdet, solve, pinv, lstsq --------------------------------------------------
def inv_2d(x): return np.sum(M33 * LA.inv(x))
def inv_batched(x): return np.sum(T233 * LA.inv(x))
def inv_of_product(x, y): return np.sum(M33 * LA.inv(x @ y))
def det_2d(x): return W_S * LA.det(x)
def det_batched(x): return np.sum(V2 * LA.det(x))
def det_in_expression(x): return np.log(LA.det(x)) * LA.det(x)
def slogdet_unpacked(x):
    sign, logdet = LA.slogdet(x)
    return W_S * logdet
def slogdet_indexed(x): return W_S * LA.slogdet(x)[1]
def slogdet_fields(x):
    r = LA.slogdet(x)
    return W_S * r.sign * np.exp(r.logabsdet)
def slogdet_batched(x):
    sign, logdet = LA.slogdet(x)
    return np.sum(V2 * sign * logdet)
def solve_matrix(a, b): return np.sum(M34 * LA.solve(a, b))
def solve_vector(a, b): return np.sum(V3 * LA.solve(a, b))
def solve_batched(a, b): return np.sum(T234 * LA.solve(a, b))
def solve_batched_vector(a, b): return np.sum(M23 * LA.solve(a, b))
def solve_broadcast_matrix(a, b): return np.sum(T234 * LA.solve(a, b))
def cond_default(x): return W_S * LA.cond(x)
def cond_p(x, p): return W_S * LA.cond(x, p)
def cond_batched(x): return np.sum(V2 * LA.cond(x, "fro"))
def tensorinv_ind2(x): return np.sum(T623 * LA.tensorinv(x))
def tensorinv_ind1(x): return np.sum(T236 * LA.tensorinv(x, ind=1))
def tensorsolve_default(a, b): return np.sum(V6 * LA.tensorsolve(a, b))
def tensorsolve_axes(a, b): return np.sum(V6 * LA.tensorsolve(a, b, axes=(0,)))
def pinv_tall(x): return np.sum(M34 * LA.pinv(x))
def pinv_wide(x): return np.sum(M43 * LA.pinv(x))
def pinv_batched(x): return np.sum(T243 * LA.pinv(x))
def pinv_hermitian(x): return np.sum(M33 * LA.pinv(x, hermitian=True))
def lstsq_solution(a, b): return np.sum(M32 * LA.lstsq(a, b)[0])
def lstsq_vector(a, b):
    x, res, rank, s = LA.lstsq(a, b)
    return np.sum(V3 * x)
def lstsq_everything(a, b):
    x, res, rank, s = LA.lstsq(a, b)
    return np.sum(M32 * x) + np.sum(V2 * res) + np.sum(V3 * s)
def lstsq_residual_vector(a, b):
    x, res, rank, s = LA.lstsq(a, b)
    return W_S * res[0] + np.sum(V3 * x)


# --- cholesky, eigh, eigvalsh, svd, svdvals, qr -------------------------------------------
def cholesky_2d(x): return np.sum(M44 * LA.cholesky(x))
def cholesky_of_gram(b): return np.sum(M33 * LA.cholesky(b @ b.T + 3.0 * np.eye(3)))
def cholesky_upper(x): return np.sum(M44 * LA.cholesky(x, upper=True))
def cholesky_batched(x): return np.sum(T233 * LA.cholesky(x))
def cholesky_logdet(x): return W_S * np.sum(np.log(np.einsum("ii->i", LA.cholesky(x))))
def eigh_values(x):
    w, v = LA.eigh(x)
    return np.sum(V4 * w)
def eigh_vectors(x):
    w, v = LA.eigh(x)
    return np.sum(M44 * v * v)
def eigh_both(x):
    w, v = LA.eigh(x)
    return np.sum(M44 * (v * np.exp(0.3 * w)) @ v.T)
def eigh_fields(x):
    r = LA.eigh(x)
    return np.sum(V4 * r.eigenvalues) + np.sum(M44 * r.eigenvectors ** 2)
def eigh_indexed(x): return np.sum(V4 * LA.eigh(x)[0])
def eigh_upper(x):
    w, v = LA.eigh(x, UPLO="U")
    return np.sum(V4 * w) + np.sum(M44 * v * v)
def eigh_batched(x):
    w, v = LA.eigh(x)
    return np.sum(M23 * w) + np.sum(T233 * v ** 2)
def eigh_of_gram(b):
    w, v = LA.eigh(b @ b.T)
    return np.sum(V3 * w) + np.sum(M33 * v ** 2)
def eigh_values_repeated(x):
    w, v = LA.eigh(x)
    return W_S * np.sum(w ** 2) + np.sum(V4 * x @ v[:, 3])
def svd_values_repeated(x):
    u, s, vh = LA.svd(x, full_matrices=False)
    return W_S * np.sum(s ** 2)
def eigvalsh_2d(x): return np.sum(V4 * LA.eigvalsh(x))
def eigvalsh_upper(x): return np.sum(V4 * LA.eigvalsh(x, UPLO="U"))
def eigvalsh_batched(x): return np.sum(M23 * LA.eigvalsh(x))
def svd_values(x):
    u, s, vh = LA.svd(x, full_matrices=False)
    return np.sum(V3 * s)
def svd_rebuild(x):
    u, s, vh = LA.svd(x, full_matrices=False)
    return np.sum(M43 * (u * np.sqrt(s)) @ vh)
def svd_vectors(x):
    u, s, vh = LA.svd(x, full_matrices=False)
    return np.sum(M33 * u[:3] ** 2) + np.sum(M33 * vh ** 2)
def svd_wide(x):
    u, s, vh = LA.svd(x, full_matrices=False)
    return np.sum(M33 * u ** 2) + np.sum(M34 * vh ** 2) + np.sum(V3 * s ** 2)
def svd_square_default(x):
    u, s, vh = LA.svd(x)
    return np.sum(M33 * (u * s) @ vh ** 2)
def svd_full_matrices_unused(x):
    u, s, vh = LA.svd(x)
    return np.sum(V3 * s) + np.sum(M43 * u[:, :3] ** 2)
def svd_batched(x):
    u, s, vh = LA.svd(x, full_matrices=False)
    return np.sum(M23 * s) + np.sum(T243 * u ** 2)
def svd_fields(x):
    r = LA.svd(x, full_matrices=False)
    return np.sum(V3 * r.S) + np.sum(M43 * r.U ** 2) + np.sum(M33 * r.Vh ** 2)
def svd_values_only(x): return np.sum(V3 * LA.svd(x, compute_uv=False))
def svdvals_2d(x): return np.sum(V3 * LA.svdvals(x))
def qr_tall(x):
    q, r = LA.qr(x)
    return np.sum(M43 * q) + np.sum(M33 * r)
def qr_square(x):
    q, r = LA.qr(x)
    return np.sum(M33 * q @ r ** 2)
def qr_fields(x):
    f = LA.qr(x)
    return np.sum(M43 * f.Q) + np.sum(M33 * f.R)
def qr_r_only(x): return np.sum(M33 * LA.qr(x, mode="r"))
def qr_batched(x):
    q, r = LA.qr(x)
    return np.sum(T243 * q) + np.sum(T233 * r)


# --- norms ---------------------------------------------------------------------------------
def norm_vec(x): return W_S * LA.norm(x)
def norm_vec_ord(x, p): return W_S * LA.norm(x, p)
def norm_vec_ord1(x): return W_S * LA.norm(x, 1)
def norm_vec_ord3(x): return W_S * LA.norm(x, ord=3)
def norm_vec_inf(x): return W_S * LA.norm(x, np.inf)
def norm_vec_neg_inf(x): return W_S * LA.norm(x, -np.inf)
def norm_vec_ord0(x): return W_S * LA.norm(x, 0) + LA.norm(x)
def norm_vec_ord2(x): return W_S * LA.norm(x, ord=2)
def norm_vec_keepdims(x): return np.sum(V1 * LA.norm(x, keepdims=True))
def norm_mat_fro(x): return W_S * LA.norm(x)
def norm_mat_keepdims(x): return np.sum(M22[:1, :1] * LA.norm(x, keepdims=True))
def norm_mat_fro_named(x): return W_S * LA.norm(x, "fro")
def norm_mat_nuc(x): return W_S * LA.norm(x, "nuc")
def norm_mat_2(x): return W_S * LA.norm(x, 2)
def norm_mat_neg2(x): return W_S * LA.norm(x, -2)
def norm_mat_1(x): return W_S * LA.norm(x, 1)
def norm_mat_neg1(x): return W_S * LA.norm(x, -1)
def norm_mat_inf(x): return W_S * LA.norm(x, np.inf)
def norm_mat_neg_inf(x): return W_S * LA.norm(x, -np.inf)
def norm_rows(x): return np.sum(V3 * LA.norm(x, axis=1))
def norm_columns_ord1(x): return np.sum(V4 * LA.norm(x, ord=1, axis=0))
def norm_rows_keepdims(x): return np.sum(V3[:, None] * LA.norm(x, axis=-1, keepdims=True))
def norm_axis_pair(x): return W_S * LA.norm(x, axis=(0, 1))
def norm_stack_fro(x): return np.sum(V2 * LA.norm(x, axis=(1, 2)))
def norm_stack_nuc_keepdims(x):
    return np.sum(V2[:, None, None] * LA.norm(x, "nuc", axis=(-2, -1), keepdims=True))
def norm_stack_inf_axes(x): return np.sum(V3 * LA.norm(x, np.inf, axis=(2, 0)))
def norm_3d_flat(x): return W_S * LA.norm(x)
def norm_3d_last(x): return np.sum(M23 * LA.norm(x, axis=-1))
def vector_norm_all(x): return W_S * LA.vector_norm(x)
def vector_norm_axis(x): return np.sum(V3 * LA.vector_norm(x, axis=1, ord=3))
def vector_norm_axes(x): return np.sum(V3 * LA.vector_norm(x, axis=(0, 2), ord=np.inf))
def vector_norm_keepdims(x): return np.sum(M34 * LA.vector_norm(x, axis=0, keepdims=True))
def matrix_norm_fro(x): return W_S * LA.matrix_norm(x)
def matrix_norm_stack(x): return np.sum(V2 * LA.matrix_norm(x, ord="nuc"))
def matrix_norm_keepdims(x): return np.sum(V2 * LA.matrix_norm(x, ord=1, keepdims=True)[:, 0, 0])


# ======================================================================================
# The case table
# ======================================================================================
CASES: list = []


def _case(keys, func, args, wrt=None, label=""):
    """A case exercising the rule ``keys`` (or each of a tuple of keys)."""
    keys = keys if isinstance(keys, tuple) else (keys,)
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    label = label or ",".join(_shape_label(np.shape(a)) for a in args)
    name = _key_name(keys[0]).replace("numpy.linalg.", "np.linalg.")
    CASES.append(Case(f"{name}-{func.__name__}-{label}", func, tuple(args), wrt, keys))


def _r(*shape):
    return _draw("real", shape)


NUMPY2 = hasattr(LA, "matrix_norm")

# products
_case(np.outer, outer_vv, [_r(3), _r(4)])
_case(np.outer, outer_mv, [_r(2, 3), _r(4)])
_case(np.inner, inner_vv, [_r(4), _r(4)])
_case(np.inner, inner_mv, [_r(3, 4), _r(4)])
_case(np.inner, inner_mm, [_r(3, 4), _r(5, 4)])
_case(np.inner, inner_tm, [_r(2, 3, 4), _r(5, 4)])
_case(np.inner, inner_scalar, [_r(3, 4), np.array(0.7)], wrt=[0], label="scalar-second")
_case(np.inner, inner_scalar, [np.array(0.7), _r(3, 4)], wrt=[1], label="scalar-first")
_case(np.vdot, vdot_vv, [_r(5), _r(5)])
_case(np.vdot, vdot_mm, [_r(3, 4), _r(2, 6)])
_case(np.tensordot, tensordot_default, [_r(2, 3, 4), _r(3, 4, 5)])
_case(np.tensordot, tensordot_axes1, [_r(3, 4), _r(4, 5)])
_case(np.tensordot, tensordot_axes0, [_r(3), _r(4)])
_case(np.tensordot, tensordot_pairs, [_r(3, 4, 2), _r(4, 3, 5)])
_case(np.tensordot, tensordot_int_pair, [_r(3, 4, 2), _r(2, 5)])
_case(np.tensordot, tensordot_scrambled, [_r(2, 3, 4), _r(5, 4, 2)])
_case(np.einsum, einsum_matmul, [_r(3, 4), _r(4, 5)])
_case(np.einsum, einsum_implicit, [_r(3, 4), _r(4, 5)])
_case(np.einsum, einsum_implicit_order, [_r(4, 3), _r(5, 4)])
_case(np.einsum, einsum_matvec, [_r(3, 4), _r(4)])
_case(np.einsum, einsum_dot, [_r(4), _r(4)])
_case(np.einsum, einsum_outer, [_r(3), _r(4)])
_case(np.einsum, einsum_batched, [_r(2, 3, 4), _r(2, 4, 5)])
_case(np.einsum, einsum_transpose, [_r(3, 4)])
_case(np.einsum, einsum_sum_all, [_r(3, 4)])
_case(np.einsum, einsum_sum_rows, [_r(3, 4)])
_case(np.einsum, einsum_trace, [_r(3, 3)])
_case(np.einsum, einsum_diagonal, [_r(3, 3)])
_case(np.einsum, einsum_three, [_r(2), _r(3), _r(4)])
_case(np.einsum, einsum_chain, [_r(2, 3), _r(3, 4), _r(4, 5)])
_case(np.einsum, einsum_quadratic, [_r(3), _r(3, 3)])
_case(np.einsum, einsum_same_operand, [_r(3, 4)])
_case(np.einsum, einsum_constant_operand, [_r(3, 4)])
_case(np.einsum, einsum_broadcast_one, [_r(1, 4), _r(3, 4)])
_case(np.einsum, einsum_broadcast_one, [_r(3, 4), _r(3, 1)])
_case(np.einsum, einsum_ellipsis, [_r(2, 3, 4), _r(4, 5)])
_case(np.einsum, einsum_ellipsis, [_r(3, 4), _r(4, 5)], label="no-batch")
_case(np.einsum, einsum_ellipsis_implicit, [_r(2, 1, 4), _r(2, 3, 1)])
_case(np.einsum, einsum_spaces, [_r(3, 4), _r(4)])
_case(np.einsum, einsum_optimize, [_r(2, 3), _r(3, 4), _r(4, 5)])
_case(np.einsum, einsum_four, [_r(2), _r(2, 3), _r(3, 4), _r(4)])
_case(np.einsum, einsum_five, [_r(3), _r(3), _r(3), _r(3), _r(3, 2)])
_case(np.kron, kron_vv, [_r(2), _r(3)])
_case(np.kron, kron_mm, [_r(2, 2), _r(3, 2)])
_case(np.kron, kron_vm, [_r(2), _r(3, 3)])
_case(np.cross, cross_vv, [_r(3), _r(3)])
_case(np.cross, cross_rows, [_r(4, 3), _r(4, 3)])
_case(np.cross, cross_rows, [_r(4, 3), _r(3)], label="broadcast")
_case(np.cross, cross_axis0, [_r(3, 4), _r(3, 4)])
_case(np.cross, cross_axes, [_r(3, 4), _r(4, 3)])
_case(np.convolve, convolve_full, [_r(5), _r(4)])
_case(np.convolve, convolve_full_swapped, [_r(3), _r(6)])
for _sx, _sy in ((6, 3), (6, 4), (3, 6), (4, 6), (5, 6)):
    _case(np.convolve, convolve_same6, [_r(_sx), _r(_sy)])
    _case(np.correlate, correlate_same6, [_r(_sx), _r(_sy)])
_case(np.convolve, convolve_valid4, [_r(6), _r(3)])
_case(np.convolve, convolve_valid3, [_r(4), _r(6)])
_case(np.correlate, correlate_valid4, [_r(6), _r(3)])
_case(np.correlate, correlate_valid3, [_r(4), _r(6)])
_case(np.correlate, correlate_full, [_r(5), _r(4)])
_case(np.correlate, correlate_full, [_r(3), _r(6)])
_case(LA.multi_dot, multi_dot_three, [_r(2, 3), _r(3, 4), _r(4, 5)])
_case(LA.multi_dot, multi_dot_vectors, [_r(3), _r(3, 4), _r(4, 2), _r(2)])
_case(LA.multi_dot, multi_dot_vector_first, [_r(3), _r(3, 5)])
_case(LA.matrix_power, matrix_power_3, [_general(3, 3)])
_case(LA.matrix_power, matrix_power_1, [_general(3, 3)])
_case(LA.matrix_power, matrix_power_0, [_general(3, 3)])
_case(LA.matrix_power, matrix_power_neg2, [_general(3, 3)])
_case(LA.matrix_power, matrix_power_batched, [_general(2, 3, 3)])
if NUMPY2:
    _case(LA.outer, linalg_outer_vv, [_r(3), _r(4)])
    _case(LA.tensordot, linalg_tensordot, [_r(3, 4), _r(4, 5)])
    _case(LA.cross, linalg_cross, [_r(4, 3), _r(4, 3)])
    _case(np.vecdot, vecdot_rows, [_r(3, 4), _r(3, 4)])
    _case(np.vecdot, vecdot_rows, [_r(3, 4), _r(4)], label="broadcast")
    _case(np.vecdot, vecdot_axis0, [_r(3, 4), _r(3, 4)])
    _case(LA.vecdot, linalg_vecdot, [_r(3, 4), _r(4)])
    _case(LA.matmul, linalg_matmul, [_r(3, 4), _r(4, 5)])
    _case(LA.matrix_transpose, linalg_matrix_transpose, [_r(2, 3, 4)])
if hasattr(np, "matvec"):  # NumPy 2.2
    _case(np.matvec, matvec_2d, [_r(3, 4), _r(4)])
    _case(np.matvec, matvec_batched, [_r(2, 3, 4), _r(2, 1, 4)])
    _case(np.matvec, matvec_batched, [_r(3, 4), _r(2, 1, 4)], label="broadcast")
    _case(np.vecmat, vecmat_2d, [_r(3), _r(3, 4)])
    _case(np.vecmat, vecmat_batched, [_r(2, 3), _r(3, 4)])

# inverses, determinants, solves
_case(LA.inv, inv_2d, [_general(3, 3)])
_case(LA.inv, inv_batched, [_general(2, 3, 3)])
_case(LA.inv, inv_of_product, [_general(3, 3), _general(3, 3)])
_case(LA.det, det_2d, [_general(3, 3)])
_case(LA.det, det_2d, [_general(1, 1)])
_case(LA.det, det_batched, [_general(2, 3, 3)])
_case(LA.det, det_in_expression, [_spd(3, 3)])
_case(LA.slogdet, slogdet_unpacked, [_general(3, 3)])
_case(LA.slogdet, slogdet_unpacked, [-_general(3, 3)], label="negative-det")
_case(LA.slogdet, slogdet_indexed, [_general(4, 4)])
_case((LA.slogdet, "ndarray.sign", "ndarray.logabsdet"), slogdet_fields, [-_general(3, 3)])
_case(LA.slogdet, slogdet_batched, [_general(2, 3, 3) * np.array([1.0, -1.0])[:, None, None]])
_case(LA.solve, solve_matrix, [_general(3, 3), _r(3, 4)])
_case(LA.solve, solve_vector, [_general(3, 3), _r(3)])
_case(LA.solve, solve_vector, [_general(3, 3), _r(3)], wrt=[0], label="wrt-a")
_case(LA.solve, solve_vector, [_general(3, 3), _r(3)], wrt=[1], label="wrt-b")
_case(LA.solve, solve_batched, [_general(2, 3, 3), _r(2, 3, 4)])
_case(LA.solve, solve_broadcast_matrix, [_general(2, 3, 3), _r(3, 4)])
_case(LA.solve, solve_broadcast_matrix, [_general(3, 3), _r(2, 3, 4)], label="b-batched")
_case(LA.tensorinv, tensorinv_ind2, [_general(6, 6).reshape(2, 3, 6)])
_case(LA.tensorinv, tensorinv_ind1, [_general(6, 6).reshape(6, 2, 3)])
_case(LA.tensorsolve, tensorsolve_default, [_general(6, 6).reshape(2, 3, 6), _r(2, 3)])
_case(LA.tensorsolve, tensorsolve_axes, [_general(6, 6).reshape(6, 2, 3), _r(2, 3)])
_case(LA.cond, cond_default, [_full_rank(3, 3)])
_case(LA.cond, cond_default, [_full_rank(4, 3)], label="tall")
for _p in (2, -2, "fro", "nuc", 1, -1, np.inf, -np.inf):
    _case(LA.cond, cond_p, [_general(3, 3), _p], wrt=[0], label=f"mat3x3,p={_p}")
_case(LA.cond, cond_batched, [_general(2, 3, 3)])
if NUMPY2:
    _case(LA.solve, solve_batched_vector, [_general(2, 3, 3), _r(3)])
_case(LA.pinv, pinv_tall, [_full_rank(4, 3)])
_case(LA.pinv, pinv_wide, [_full_rank(3, 4)])
_case(LA.pinv, pinv_wide, [_r(3, 4)], label="random")
_case(LA.pinv, pinv_batched, [_full_rank(2, 3, 4)])
_case(LA.pinv, pinv_hermitian, [_spd(3, 3)])
_case(LA.lstsq, lstsq_solution, [_full_rank(5, 3), _r(5, 2)])
_case(LA.lstsq, lstsq_vector, [_full_rank(5, 3), _r(5)])
_case(LA.lstsq, lstsq_everything, [_full_rank(5, 3), _r(5, 2)])
_case(LA.lstsq, lstsq_residual_vector, [_full_rank(5, 3), _r(5)])
_case(LA.lstsq, lstsq_solution, [_general(3, 3), _r(3, 2)], label="square")

# decompositions
_case(LA.cholesky, cholesky_2d, [_spd(4, 4)])
_case(LA.cholesky, cholesky_of_gram, [_r(3, 3)])
_case(LA.cholesky, cholesky_batched, [_spd(2, 3, 3)])
_case(LA.cholesky, cholesky_logdet, [_spd(3, 3)])
if NUMPY2:
    _case(LA.cholesky, cholesky_upper, [_spd(4, 4)])
_case(LA.eigh, eigh_values, [_separated(4, 4)])
_case(LA.eigh, eigh_vectors, [_separated(4, 4)])
_case(LA.eigh, eigh_both, [_separated(4, 4)])
_case((LA.eigh, "ndarray.eigenvalues", "ndarray.eigenvectors"), eigh_fields, [_separated(4, 4)])
_case(LA.eigh, eigh_indexed, [_separated(4, 4)])
_case(LA.eigh, eigh_values_repeated, [_repeated(4)], label="repeated-eigenvalues")
_case(LA.eigh, eigh_upper, [_separated(4, 4)])
_case(LA.eigh, eigh_batched, [_separated(2, 3, 3)])
_case(LA.eigh, eigh_of_gram, [_full_rank(3, 3)])
_case(LA.eigvalsh, eigvalsh_2d, [_separated(4, 4)])
_case(LA.eigvalsh, eigvalsh_upper, [_separated(4, 4)])
_case(LA.eigvalsh, eigvalsh_batched, [_separated(2, 3, 3)])
_case(LA.svd, svd_values, [_full_rank(4, 3)])
_case(LA.svd, svd_rebuild, [_full_rank(4, 3)])
_case(LA.svd, svd_vectors, [_full_rank(4, 3)])
_case(LA.svd, svd_values_repeated, [_full_rank(4, 3, s=(2.0, 1.0, 1.0))],
      label="repeated-singular-values")
_case(LA.svd, svd_wide, [_full_rank(3, 4)])
_case(LA.svd, svd_square_default, [_full_rank(3, 3)])
_case(LA.svd, svd_full_matrices_unused, [_full_rank(4, 3)])
_case(LA.svd, svd_batched, [_full_rank(2, 4, 3)])
_case((LA.svd, "ndarray.U", "ndarray.S", "ndarray.Vh"), svd_fields, [_full_rank(4, 3)])
_case(LA.svd, svd_values_only, [_full_rank(4, 3)])
_case(LA.svd, svd_values_only, [_full_rank(3, 5)], label="wide")
if NUMPY2:
    _case(LA.svdvals, svdvals_2d, [_full_rank(4, 3)])
_case(LA.qr, qr_tall, [_full_rank(4, 3)])
_case(LA.qr, qr_square, [_general(3, 3)])
_case((LA.qr, "ndarray.Q", "ndarray.R"), qr_fields, [_full_rank(4, 3)])
_case(LA.qr, qr_r_only, [_full_rank(4, 3)])
_case(LA.qr, qr_batched, [_full_rank(2, 4, 3)])

# norms
_case(LA.norm, norm_vec, [_r(5)])
for _p in (1, 2, 3, 0.5, -1.5, np.inf, -np.inf):
    _case(LA.norm, norm_vec_ord, [_r(5), _p], wrt=[0], label=f"vec5,ord={_p}")
_case(LA.norm, norm_vec_ord1, [_r(5)])
_case(LA.norm, norm_vec_ord3, [_r(5)])
_case(LA.norm, norm_vec_inf, [_r(5)])
_case(LA.norm, norm_vec_neg_inf, [_r(5)])
_case(LA.norm, norm_vec_inf, [np.array([0.5, -1.2, 1.2, 0.3])], label="tie")
_case(LA.norm, norm_vec_ord0, [_r(5)])
_case(LA.norm, norm_vec_ord2, [_r(5)])
_case(LA.norm, norm_vec_keepdims, [_r(5)])
_case(LA.norm, norm_mat_fro, [_r(3, 4)])
_case(LA.norm, norm_mat_keepdims, [_r(3, 4)])
_case(LA.norm, norm_mat_fro_named, [_r(3, 4)])
_case(LA.norm, norm_mat_nuc, [_full_rank(4, 3)])
_case(LA.norm, norm_mat_2, [_full_rank(4, 3)])
_case(LA.norm, norm_mat_neg2, [_full_rank(3, 4)])
_case(LA.norm, norm_mat_1, [_r(3, 4)])
_case(LA.norm, norm_mat_neg1, [_r(3, 4)])
_case(LA.norm, norm_mat_inf, [_r(3, 4)])
_case(LA.norm, norm_mat_neg_inf, [_r(3, 4)])
_case(LA.norm, norm_rows, [_r(3, 4)])
_case(LA.norm, norm_columns_ord1, [_r(3, 4)])
_case(LA.norm, norm_rows_keepdims, [_r(3, 4)])
_case(LA.norm, norm_axis_pair, [_r(3, 4)])
_case(LA.norm, norm_stack_fro, [_r(2, 3, 4)])
_case(LA.norm, norm_stack_nuc_keepdims, [_full_rank(2, 4, 3)])
_case(LA.norm, norm_stack_inf_axes, [_r(4, 3, 5)])
_case(LA.norm, norm_3d_flat, [_r(2, 3, 4)])
_case(LA.norm, norm_3d_last, [_r(2, 3, 4)])
if NUMPY2:
    _case(LA.vector_norm, vector_norm_all, [_r(3, 4)])
    _case(LA.vector_norm, vector_norm_axis, [_r(3, 4)])
    _case(LA.vector_norm, vector_norm_axes, [_r(4, 3, 2)])
    _case(LA.vector_norm, vector_norm_keepdims, [_r(3, 4)])
    _case(LA.matrix_norm, matrix_norm_fro, [_r(3, 4)])
    _case(LA.matrix_norm, matrix_norm_stack, [_full_rank(2, 4, 3)])
    _case(LA.matrix_norm, matrix_norm_keepdims, [_r(2, 3, 4)])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_gradient_matches_central_differences(case):
    check_case(case)


def test_case_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})

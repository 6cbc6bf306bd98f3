"""Products (outer, inner, tensordot, einsum, kron, cross, convolve, ...) and np.linalg.

Multilinear products declare it (their tangent is the product with one operand replaced by
its tangent). Decompositions that return several arrays (``eigh``, ``svd``, ``qr``,
``slogdet``, ``lstsq``) receive ``g`` as a tuple (or ``Items``) of the adjoints of their
outputs, zeros for the outputs nothing used; ``g[1]`` is the second one's. Their named
fields (``.eigenvalues``, ``.U``, ``.logabsdet``, ...) are items of that tuple.
"""

import numpy as np

from ..runtime import matmul_adjoint_a, matmul_adjoint_b, unindex
from ..runtime_linalg import (
    cholesky_adjoint,
    cond_adjoint,
    eigh_adjoint,
    eigvalsh_adjoint,
    lstsq_adjoint_a,
    lstsq_adjoint_b,
    matrix_norm_adjoint,
    norm_adjoint,
    pinv_adjoint,
    qr_adjoint,
    solve_adjoint_a,
    solve_adjoint_b,
    svd_adjoint,
    tensorinv_adjoint,
    tensorsolve_adjoint_a,
    tensorsolve_adjoint_b,
    vector_norm_adjoint,
)
from ..runtime_products import (
    convolve_adjoint_a,
    convolve_adjoint_v,
    correlate_adjoint_a,
    correlate_adjoint_v,
    cross_adjoint_a,
    cross_adjoint_b,
    einsum_adjoint,
    inner_adjoint_a,
    inner_adjoint_b,
    kron_adjoint_a,
    kron_adjoint_b,
    matrix_power_adjoint,
    matvec_adjoint_a,
    matvec_adjoint_x,
    mT,
    multi_dot_adjoint,
    tensordot_adjoint_a,
    tensordot_adjoint_b,
    vecdot_adjoint,
    vecmat_adjoint_a,
    vecmat_adjoint_x,
)
from .registry import nondiff, reverse


def _present(module, *names) -> tuple:
    """The functions of these names that ``module`` has (NumPy 2 added some)."""
    return tuple(getattr(module, name) for name in names if hasattr(module, name))


# ----------------------------------------------------------------------------- products
@reverse(np.outer, *_present(np.linalg, "outer"), multilinear=True)
def outer(g, ans, a, b, out=None):
    return np.reshape(g @ np.ravel(b), np.shape(a)), np.reshape(np.ravel(a) @ g, np.shape(b))


@reverse(np.inner, multilinear=True)
def inner(g, ans, a, b):
    return inner_adjoint_a(g, a, b), inner_adjoint_b(g, a, b)


@reverse(np.vdot, multilinear=True)
def vdot(g, ans, a, b):
    """Both operands are flattened: each one's adjoint is ``g`` times the other, reshaped."""
    return g * np.reshape(b, np.shape(a)), g * np.reshape(a, np.shape(b))


@reverse(np.tensordot, *_present(np.linalg, "tensordot"), multilinear=True)
def tensordot(g, ans, a, b, axes=2):
    return tensordot_adjoint_a(g, a, b, axes=axes), tensordot_adjoint_b(g, a, b, axes=axes)


@reverse(np.einsum, multilinear=True)
def einsum(g, ans, subscripts, a, b=None, c=None, d=None, e=None, **options):
    """Up to five operands, with the subscripts as a string (explicit ``->`` output or
    implicit, ``...`` allowed). Operands not given are default keywords of the helper, so
    the generated code does not mention them."""
    return (None,
            einsum_adjoint(g, subscripts, 0, a, b=b, c=c, d=d, e=e),
            einsum_adjoint(g, subscripts, 1, a, b=b, c=c, d=d, e=e),
            einsum_adjoint(g, subscripts, 2, a, b=b, c=c, d=d, e=e),
            einsum_adjoint(g, subscripts, 3, a, b=b, c=c, d=d, e=e),
            einsum_adjoint(g, subscripts, 4, a, b=b, c=c, d=d, e=e))


@reverse(np.kron, multilinear=True)
def kron(g, ans, a, b):
    return kron_adjoint_a(g, a, b), kron_adjoint_b(g, a, b)


@reverse(np.cross, *_present(np.linalg, "cross"), multilinear=True)
def cross(g, ans, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """3-vectors along ``axis`` (or ``axisa``/``axisb``/``axisc``), broadcasting."""
    return (cross_adjoint_a(g, a, b, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis),
            cross_adjoint_b(g, a, b, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis))


@reverse(np.convolve, multilinear=True)
def convolve(g, ans, a, v, mode="full"):
    return convolve_adjoint_a(g, a, v, mode=mode), convolve_adjoint_v(g, a, v, mode=mode)


@reverse(np.correlate, multilinear=True)
def correlate(g, ans, a, v, mode="valid"):
    return correlate_adjoint_a(g, a, v, mode=mode), correlate_adjoint_v(g, a, v, mode=mode)


@reverse(*_present(np, "vecdot"), *_present(np.linalg, "vecdot"), multilinear=True)
def vecdot(g, ans, x1, x2, axis=-1, **options):
    return vecdot_adjoint(g, x1, x2, axis=axis), vecdot_adjoint(g, x2, x1, axis=axis)


@reverse(*_present(np, "matvec"), multilinear=True)
def matvec(g, ans, a, x, **options):
    return matvec_adjoint_a(g, a, x), matvec_adjoint_x(g, a, x)


@reverse(*_present(np, "vecmat"), multilinear=True)
def vecmat(g, ans, x, a, **options):
    return vecmat_adjoint_x(g, x, a), vecmat_adjoint_a(g, x, a)


@reverse(*_present(np.linalg, "matmul"), multilinear=True)
def linalg_matmul(g, ans, x1, x2):
    return matmul_adjoint_a(g, x1, x2), matmul_adjoint_b(g, x1, x2)


@reverse(*_present(np.linalg, "matrix_transpose"), linear=True)
def matrix_transpose(g, ans, x):
    return mT(g)


@reverse(np.linalg.multi_dot)
def multi_dot(g, ans, arrays, out=None):
    """The adjoint of the list of matrices, item by item."""
    return multi_dot_adjoint(g, arrays)


@reverse(np.linalg.matrix_power)
def matrix_power(g, ans, a, n):
    return matrix_power_adjoint(g, a, n), None


# ------------------------------------------------------------------- inverses and solves
@reverse(np.linalg.inv)
def inv(g, ans, a):
    return -(mT(ans) @ g @ mT(ans))


@reverse(np.linalg.det)
def det(g, ans, a):
    return (g * ans)[..., None, None] * mT(np.linalg.inv(a))


@reverse(np.linalg.slogdet)
def slogdet(g, ans, a):
    """``(sign, logabsdet)``: the sign is piecewise constant, so only ``g[1]`` counts."""
    return np.asarray(g[1])[..., None, None] * mT(np.linalg.inv(a))


@reverse(np.linalg.solve)
def solve(g, ans, a, b):
    return solve_adjoint_a(g, ans, a, b), solve_adjoint_b(g, a, b)


@reverse(np.linalg.tensorinv)
def tensorinv(g, ans, a, ind=2):
    return tensorinv_adjoint(g, ans, a, ind=ind)


@reverse(np.linalg.tensorsolve)
def tensorsolve(g, ans, a, b, axes=None):
    return (tensorsolve_adjoint_a(g, ans, a, b, axes=axes),
            tensorsolve_adjoint_b(g, a, b, axes=axes))


@reverse(np.linalg.pinv)
def pinv(g, ans, a, rcond=None, hermitian=False, **options):
    return pinv_adjoint(g, ans, a, hermitian=hermitian)


@reverse(np.linalg.lstsq)
def lstsq(g, ans, a, b, rcond=None):
    """``(x, residuals, rank, s)``: the adjoints of ``x``, the residuals and ``s``."""
    return lstsq_adjoint_a(g, ans, a, b), lstsq_adjoint_b(g, ans, a, b)


# ------------------------------------------------------------------------ decompositions
@reverse(np.linalg.cholesky)
def cholesky(g, ans, a, upper=False):
    return cholesky_adjoint(g, ans, upper=upper)


@reverse(np.linalg.eigh)
def eigh(g, ans, a, UPLO="L"):
    return eigh_adjoint(g, ans, uplo=UPLO)


@reverse(np.linalg.eigvalsh)
def eigvalsh(g, ans, a, UPLO="L"):
    return eigvalsh_adjoint(g, a, uplo=UPLO)


@reverse(np.linalg.svd)
def svd(g, ans, a, full_matrices=True, compute_uv=True, hermitian=False):
    return svd_adjoint(g, ans, a, full_matrices=full_matrices, compute_uv=compute_uv,
                       hermitian=hermitian)


@reverse(*_present(np.linalg, "svdvals"))
def svdvals(g, ans, x):
    return svd_adjoint(g, ans, x, compute_uv=False)


@reverse(np.linalg.qr)
def qr(g, ans, a, mode="reduced"):
    return qr_adjoint(g, ans, a, mode=mode)


@reverse("ndarray.eigenvalues", "ndarray.U", "ndarray.Q", "ndarray.sign", linear=True)
def result_item_0(g, ans, result):
    """The first field of ``eigh``'s, ``svd``'s, ``qr``'s and ``slogdet``'s results."""
    return unindex(g, result, 0)


@reverse("ndarray.eigenvectors", "ndarray.S", "ndarray.R", "ndarray.logabsdet", linear=True)
def result_item_1(g, ans, result):
    """The second field of ``eigh``'s, ``svd``'s, ``qr``'s and ``slogdet``'s results."""
    return unindex(g, result, 1)


@reverse("ndarray.Vh", linear=True)
def result_item_2(g, ans, result):
    """The third field of ``svd``'s result."""
    return unindex(g, result, 2)


# ---------------------------------------------------------------------------------- norms
@reverse(np.linalg.norm)
def norm(g, ans, x, ord=None, axis=None, keepdims=False):
    return norm_adjoint(g, ans, x, ord=ord, axis=axis, keepdims=keepdims)


@reverse(*_present(np.linalg, "vector_norm"))
def vector_norm(g, ans, x, axis=None, keepdims=False, ord=2):
    return vector_norm_adjoint(g, ans, x, ord=ord, axis=axis, keepdims=keepdims)


@reverse(*_present(np.linalg, "matrix_norm"))
def matrix_norm(g, ans, x, keepdims=False, ord="fro"):
    return matrix_norm_adjoint(g, ans, x, ord=ord, keepdims=keepdims)


@reverse(np.linalg.cond)
def cond(g, ans, x, p=None):
    return cond_adjoint(g, ans, x, p=p)


nondiff(np.linalg.matrix_rank, family="linear algebra")

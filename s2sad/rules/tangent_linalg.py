"""Tangents (forward-mode rules) of ``np.linalg``'s functions that are not (multi)linear,
and of SciPy's ``logsumexp`` family: ``rule(ans, *operands, *d<operand>, **options)``
returns the output's tangent (see ``registry.tangent``). Decompositions return their
tangent as a result of the same kind (``type(ans)(dw, dv)``), so ``.eigenvalues`` and
``[0]`` pick the tangent of that output.
"""

import numpy as np

from ..runtime_linalg import cond_adjoint, matrix_norm_adjoint, norm_adjoint, vector_norm_adjoint
from ..runtime_tangents import (
    cholesky_tangent,
    eigh_tangent,
    eigvalsh_tangent,
    lstsq_tangent,
    matrix_power_tangent,
    multi_dot_tangent,
    pinv_tangent,
    qr_tangent,
    slope_times,
    solve_tangent_a,
    svd_tangent,
    tensorinv_tangent,
    tensorsolve_tangent_a,
)
from .registry import tangent


def _present(module, *names) -> tuple:
    return tuple(getattr(module, name) for name in names if hasattr(module, name))


@tangent(np.linalg.inv)
def inv(ans, a, da):
    return -(ans @ da @ ans)


@tangent(np.linalg.det)
def det(ans, a, da):
    return ans * np.trace(np.linalg.solve(a, da), axis1=-2, axis2=-1)


@tangent(np.linalg.slogdet)
def slogdet(ans, a, da):
    """The sign is piecewise constant: its tangent is zero."""
    return type(ans)(np.zeros_like(ans[0]), np.trace(np.linalg.solve(a, da), axis1=-2,
                                                     axis2=-1))


@tangent(np.linalg.solve)
def solve(ans, a, b, da, db):
    return solve_tangent_a(ans, a, b, da), np.linalg.solve(a, db)


@tangent(np.linalg.matrix_power)
def matrix_power(ans, a, n, da):
    return matrix_power_tangent(a, da, n)


@tangent(np.linalg.multi_dot)
def multi_dot(ans, arrays, darrays, out=None):
    return multi_dot_tangent(arrays, darrays)


@tangent(np.linalg.tensorinv)
def tensorinv(ans, a, da, ind=2):
    return tensorinv_tangent(ans, a, da, ind=ind)


@tangent(np.linalg.tensorsolve)
def tensorsolve(ans, a, b, da, db, axes=None):
    return (tensorsolve_tangent_a(ans, a, b, da, axes=axes),
            np.linalg.tensorsolve(a, db, axes=axes))


@tangent(np.linalg.pinv)
def pinv(ans, a, da, rcond=None, hermitian=False, **options):
    return pinv_tangent(ans, a, da, hermitian=hermitian)


@tangent(np.linalg.lstsq)
def lstsq(ans, a, b, da, db, rcond=None):
    """One joint expression: ``(dx, dresiduals, 0, ds)``."""
    return lstsq_tangent(ans, a, b, da, db)


@tangent(np.linalg.cholesky)
def cholesky(ans, a, da, upper=False):
    return cholesky_tangent(ans, da, upper=upper)


@tangent(np.linalg.eigh)
def eigh(ans, a, da, UPLO="L"):
    return eigh_tangent(ans, da, uplo=UPLO)


@tangent(np.linalg.eigvalsh)
def eigvalsh(ans, a, da, UPLO="L"):
    return eigvalsh_tangent(a, da, uplo=UPLO)


@tangent(np.linalg.svd)
def svd(ans, a, da, full_matrices=True, compute_uv=True, hermitian=False):
    return svd_tangent(ans, a, da, full_matrices=full_matrices, compute_uv=compute_uv)


@tangent(*_present(np.linalg, "svdvals"))
def svdvals(ans, x, dx):
    return svd_tangent(ans, x, dx, compute_uv=False)


@tangent(np.linalg.qr)
def qr(ans, a, da, mode="reduced"):
    return qr_tangent(ans, a, da, mode=mode)


# ---------------------------------------------------------- norms: the subgradient times dx
@tangent(np.linalg.norm)
def norm(ans, x, dx, ord=None, axis=None, keepdims=False):
    return slope_times(norm_adjoint(np.ones_like(ans), ans, x, ord=ord, axis=axis,
                                    keepdims=keepdims), dx, axis=axis, keepdims=keepdims)


@tangent(*_present(np.linalg, "vector_norm"))
def vector_norm(ans, x, dx, axis=None, keepdims=False, ord=2):
    return slope_times(vector_norm_adjoint(np.ones_like(ans), ans, x, ord=ord, axis=axis,
                                           keepdims=keepdims), dx, axis=axis, keepdims=keepdims)


@tangent(*_present(np.linalg, "matrix_norm"))
def matrix_norm(ans, x, dx, keepdims=False, ord="fro"):
    return slope_times(matrix_norm_adjoint(np.ones_like(ans), ans, x, ord=ord,
                                           keepdims=keepdims), dx, axis=(-2, -1),
                       keepdims=keepdims)


@tangent(np.linalg.cond)
def cond(ans, x, dx, p=None):
    return slope_times(cond_adjoint(np.ones_like(ans), ans, x, p=p), dx, axis=(-2, -1))

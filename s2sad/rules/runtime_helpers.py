"""The helpers generated derivatives call, so that derivatives can be differentiated again.

Each helper is linear in its first argument (the adjoint it moves around), or multilinear
(the matrix-product adjoints); the remaining helpers only read shapes and indexes.
"""

import numpy as np

from .. import runtime
from ..runtime import (
    dot_adjoint_a,
    dot_adjoint_b,
    expand_to,
    matmul_adjoint_a,
    matmul_adjoint_b,
    reciprocal_or_zero,
    unbroadcast,
    zero_at,
)
from .registry import nondiff, reverse


@reverse(runtime.unbroadcast, linear=True)
def unbroadcast_rule(g, ans, grad, x, like=None):
    return expand_to(g, grad) if like is None else unbroadcast(expand_to(g, like), grad)


@reverse(runtime.expand_to, linear=True)
def expand_to_rule(g, ans, d, t):
    return unbroadcast(g, d)


@reverse(runtime.unreduce, linear=True)
def unreduce_rule(g, ans, grad, x, axis=None, keepdims=False):
    return np.sum(g, axis=axis, keepdims=keepdims)


@reverse(runtime.unindex, linear=True)
def unindex_rule(g, ans, grad, x, index):
    return g[index]


@reverse(runtime.zero_at, linear=True)
def zero_at_rule(g, ans, grad, x, index):
    return zero_at(g, x, index)


@reverse(runtime.unreshape, linear=True)
def unreshape_rule(g, ans, grad, a, order):
    return np.reshape(g, np.shape(grad), order=order)


@reverse(runtime.matmul_adjoint_a, multilinear=True)
def matmul_adjoint_a_rule(g, ans, grad, a, b):
    return g @ b, None, matmul_adjoint_b(grad, g, b)


@reverse(runtime.matmul_adjoint_b, multilinear=True)
def matmul_adjoint_b_rule(g, ans, grad, a, b):
    return a @ g, matmul_adjoint_a(grad, a, g)


@reverse(runtime.dot_adjoint_a, multilinear=True)
def dot_adjoint_a_rule(g, ans, grad, a, b):
    return np.dot(g, b), None, dot_adjoint_b(grad, g, b)


@reverse(runtime.dot_adjoint_b, multilinear=True)
def dot_adjoint_b_rule(g, ans, grad, a, b):
    return np.dot(a, g), dot_adjoint_a(grad, a, g)


@reverse(runtime.log_or_zero, elementwise=True)
def log_or_zero_rule(g, ans, x):
    return g * reciprocal_or_zero(x)


nondiff(runtime.zeros_like, runtime.zero_tangent, runtime.require_scalar, runtime.broadcast_of,
        runtime.inverse_permutation, family="shapes and types")

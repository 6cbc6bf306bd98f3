"""Functions whose outputs are piecewise constant or not numbers: no adjoint flows through.

Random draws are registered in ``random_draws`` (as calls with effects, ``pure=False``)."""

import math
import operator

import numpy as np

from ..runtime import stop_gradient
from .registry import nondiff

nondiff(
    operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne,
    operator.not_, operator.invert, operator.floordiv, "compare",
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.logical_and, np.logical_or, np.logical_not, np.logical_xor,
    family="comparisons and logic",
)
nondiff(
    np.sign, np.floor, np.ceil, np.round, np.rint, np.trunc, np.floor_divide,
    np.isnan, np.isinf, np.isfinite, np.argmax, np.argmin, np.argsort,
    math.floor, math.ceil, math.trunc, math.isnan, math.isinf, math.isfinite, round,
    family="piecewise constant",
)
nondiff(
    len, np.shape, np.ndim, np.size, "ndarray.shape", "ndarray.ndim", "ndarray.size",
    "ndarray.dtype", "ndarray.argmax", "ndarray.argmin", "ndarray.argsort",
    int, bool, range, isinstance, type, np.isscalar, np.iscomplexobj, np.isrealobj,
    np.result_type,
    family="shapes and types",
)
nondiff(stop_gradient, family="stopped gradients")
nondiff(
    np.zeros_like, np.ones_like, np.empty_like, np.zeros, np.ones, np.empty,
    np.arange, np.linspace, np.eye, np.identity, np.tri, np.indices,
    np.tril_indices, np.triu_indices, np.diag_indices,
    family="constructors",
)
# np.imag and np.angle of real values: 0, and 0 or pi.
nondiff(
    np.fix, np.around, np.heaviside, np.signbit, np.spacing, np.isposinf, np.isneginf,
    np.isreal, np.iscomplex, np.isclose, np.imag, "ndarray.imag", np.angle, "ndarray.round",
    family="piecewise constant",
)
nondiff(
    np.nonzero, np.flatnonzero, np.argwhere, np.count_nonzero, np.searchsorted, np.digitize,
    np.nanargmax, np.nanargmin, np.argpartition, np.lexsort, np.unravel_index,
    np.ravel_multi_index, np.any, np.all, np.isclose, np.allclose, np.array_equal,
    np.broadcast_shapes, np.isin, "ndarray.nonzero", "ndarray.searchsorted", "ndarray.argpartition",
    "ndarray.any", "ndarray.all",
    family="indexes, counts and tests",
)

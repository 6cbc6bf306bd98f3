"""Rules for polynomials, constructed and selected arrays, partial sorts, unique values,
weighted counts, histograms and elementwise functions with two results
(s2sad/rules/numpy_construction.py), checked against central differences by
``tests.test_rules.check_case`` (and, through ``all_cases``, in forward mode and at second
order); then constants and refused options.

Case functions weigh a non-scalar result by a fixed random array of its shape, so that a
misplaced or transposed adjoint changes the gradient.
"""

from __future__ import annotations

import numpy as np
import pytest

import s2sad
from s2sad.errors import NoRuleError
from s2sad.rules import is_nondiff

from .test_rules import (
    W3,
    W5,
    W6,
    W12,
    W22,
    W34,
    W43,
    W232,
    W_S,
    Case,
    _draw,
    _weight,
    check_case,
)

W33, W35, W44, W53, W7, W8, W9 = (_weight(*s) for s in ((3, 3), (3, 5), (4, 4), (5, 3), (7,),
                                                          (8,), (9,)))
W234, W1234 = _weight(2, 3, 4), _weight(1, 2, 3, 4)
P4 = np.array([0.5, -1.2, 0.3, 2.0])
CONDS = [np.array([True, False, False, True, False]), np.array([True, True, False, False, False])]
CONDS34 = [MASK := np.array([[True, False, True, False]] * 3), ~MASK & (np.arange(4) < 3)]
PICK = np.array([2, 0, 1, 1, 0])
PICK_WRAP = np.array([3, -1, 1, 4, 0])


# --- polynomials ------------------------------------------------------------------------------
def polyval_scalar(p, x): return W_S * np.polyval(p, x)
def polyval_vec(p, x): return np.sum(W5 * np.polyval(p, x))
def polyval_matrix(p, x): return np.sum(W34 * np.polyval(p, x))
def polyval_constant_p(x): return np.sum(W5 * np.polyval(P4, x))
def vander_square(x): return np.sum(W44 * np.vander(x))
def vander_columns(x): return np.sum(W53 * np.vander(x, 3))
def vander_increasing(x): return np.sum(W35 * np.vander(x, 5, increasing=True))


# --- constructed arrays -----------------------------------------------------------------------
def diagflat_vec(v): return np.sum(W44 * np.diagflat(v))
def diagflat_matrix_k(v): return np.sum(W5[:, None] * W5 * np.diagflat(v, 1))
def block_2x2(a, b, c, d): return np.sum(W35 * np.block([[a, b], [c, d]]))
def block_vectors(a, b): return np.sum(W7 * np.block([a, b]))
def broadcast_arrays_two(x, y):
    u, v = np.broadcast_arrays(x, y)
    return np.sum(W34 * u) + np.sum(W34[::-1] * v ** 2)
def broadcast_arrays_three(x, y, z):
    u, v, w = np.broadcast_arrays(x, y, z)
    return np.sum(W234 * u * v) + np.sum(W234 * w)
def meshgrid_xy(x, y):
    u, v = np.meshgrid(x, y)
    return np.sum(W34 * u) + np.sum(W34[::-1] * v ** 2)
def meshgrid_ij(x, y):
    u, v = np.meshgrid(x, y, indexing="ij")
    return np.sum(W34 * u * v)
def meshgrid_three_sparse(x, y, z):
    u, v, w = np.meshgrid(x, y, z, sparse=True)
    return np.sum(W234.transpose(1, 0, 2) * (u + v) * w)
def matrix_transpose_2d(x): return np.sum(W43 * np.matrix_transpose(x))
def matrix_transpose_3d(x): return np.sum(W232 * np.matrix_transpose(x))
def insert_scalar(x, v): return np.sum(W6 * np.insert(x, 2, v))
def insert_many(x, v): return np.sum(W8 * np.insert(x, [1, 3, 3], v))
def insert_row(x, v): return np.sum(W44 * np.insert(x, 1, v, axis=0))
def insert_flat_constant(x): return np.sum(W6 * np.insert(x, [0, 4], 0.5))
def resize_longer(a): return np.sum(W34 * np.resize(a, (3, 4)))
def resize_shorter(a): return np.sum(W5 * np.resize(a, 5))


# --- selected elements ------------------------------------------------------------------------
def select_vec(x, y, d): return np.sum(W5 * np.select(CONDS, [x, y], d))
def select_broadcast(x, y): return np.sum(W34 * np.select(CONDS34, [x, y ** 2], 0.25))
def choose_list(x, y, z): return np.sum(W5 * np.choose(PICK, [x, y, z]))
def choose_array(c): return np.sum(W5 * np.choose(PICK, c))
def choose_wrap(x, y): return np.sum(W5 * np.choose(PICK_WRAP, [x, y], mode="wrap"))
def choose_clip(x, y): return np.sum(W5 * np.choose(PICK_WRAP, [x, y], mode="clip"))
def compress_flat(a): return np.sum(W3 * np.compress([True, False, True, False, True], a))
def compress_axis(a): return np.sum(W22 * np.compress([False, True, True], a, axis=1))
def extract_matrix(a): return np.sum(W3 * np.extract(np.eye(3, 4) > 0, a) ** 2) + W_S * a[0, 1]
def partition_vec(a): return np.sum(W6 * np.partition(a, 2))
def partition_axis0(a): return np.sum(W34 * np.partition(a, 1, axis=0))
def partition_flat(a): return np.sum(W12 * np.partition(a, (2, 7), axis=None))
def unique_distinct(a): return np.sum(W6 * np.unique(a))
def unique_values_vec(a): return np.sum(W5 * np.unique_values(a) ** 2)
def bincount_weights(x): return np.sum(W5 * np.bincount(BINS6, weights=x, minlength=5))
def histogram_edges(a):
    counts, edges = np.histogram(a, bins=4)
    return np.sum(W5 * edges) + W_S * np.sum(counts * edges[:-1])
def histogram_given_edges(a):
    counts, edges = np.histogram(a, bins=np.array([-2.0, 0.0, 2.0]))
    return np.sum(W3 * edges) * np.sum(a)


# --- elementwise functions with two results or a cast -----------------------------------------
def i0_s(x): return W_S * np.i0(x)
def i0_v(x): return np.sum(W5 * np.i0(x))
def i0_m(x): return np.sum(W34 * np.i0(x))
def modf_v(x):
    fractional, integral = np.modf(x)
    return np.sum(W5 * fractional) + np.sum(W5[::-1] * integral * x)
def modf_m(x): return np.sum(W34 * np.modf(x)[0] ** 2)
def frexp_v(x):
    mantissa, exponent = np.frexp(x)
    return np.sum(W5 * mantissa * exponent)
def frexp_s(x): return W_S * np.frexp(x)[0]
def float64_s(x): return W_S * np.float64(x) ** 2
def float64_m(x): return np.sum(W34 * np.float64(x))
def double_v(x): return np.sum(W5 * np.double(x) ** 3)
def float32_v(x): return np.sum(W5 * np.float32(x))


BINS6 = np.array([4, 0, 2, 2, 1, 4])
CASES: list = []


def _case(id, func, args, keys, wrt=None):
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    CASES.append(Case(id, func, tuple(args), wrt, tuple(keys)))


def _distinct(shape):
    """Values at least 0.1 apart (no ties of order statistics)."""
    values = np.linspace(-1.3, 1.3, int(np.prod(shape))) + np.random.default_rng(3).uniform(
        0.0, 0.05, int(np.prod(shape)))
    return np.random.default_rng(4).permutation(values).reshape(shape)


_case("np.polyval-scalar", polyval_scalar, [_draw("real", (4,)), _draw("real")], [np.polyval])
_case("np.polyval-vec", polyval_vec, [_draw("real", (3,)), _draw("real", (5,))], [np.polyval])
_case("np.polyval-matrix", polyval_matrix, [_draw("real", (5,)), _draw("real", (3, 4))],
      [np.polyval])
_case("np.polyval-constant-p", polyval_constant_p, [_draw("real", (5,))], [np.polyval])
_case("np.vander-square", vander_square, [_draw("real", (4,))], [np.vander])
_case("np.vander-columns", vander_columns, [_draw("real", (5,))], [np.vander])
_case("np.vander-increasing", vander_increasing, [_draw("real", (3,))], [np.vander])

_case("np.diagflat-vec", diagflat_vec, [_draw("real", (4,))], [np.diagflat])
_case("np.diagflat-matrix-k", diagflat_matrix_k, [_draw("real", (2, 2))], [np.diagflat])
_case("np.block-2x2", block_2x2, [_draw("real", (1, 2)), _draw("real", (1, 3)),
                                  _draw("real", (2, 2)), _draw("real", (2, 3))], [np.block])
_case("np.block-vectors", block_vectors, [_draw("real", (3,)), _draw("real", (4,))], [np.block])
_case("np.broadcast_arrays-two", broadcast_arrays_two, [_draw("real", (3, 1)), _draw("real", (4,))],
      [np.broadcast_arrays])
_case("np.broadcast_arrays-three", broadcast_arrays_three,
      [_draw("real", (2, 1, 4)), _draw("real", (3, 1)), _draw("real")], [np.broadcast_arrays])
_case("np.meshgrid-xy", meshgrid_xy, [_draw("real", (4,)), _draw("real", (3,))], [np.meshgrid])
_case("np.meshgrid-ij", meshgrid_ij, [_draw("real", (3,)), _draw("real", (4,))], [np.meshgrid])
_case("np.meshgrid-three-sparse", meshgrid_three_sparse,
      [_draw("real", (2,)), _draw("real", (3,)), _draw("real", (4,))], [np.meshgrid])
if hasattr(np, "matrix_transpose"):
    _case("np.matrix_transpose-2d", matrix_transpose_2d, [_draw("real", (3, 4))],
          [np.matrix_transpose])
    _case("np.matrix_transpose-3d", matrix_transpose_3d, [_draw("real", (2, 2, 3))],
          [np.matrix_transpose])
_case("np.insert-scalar", insert_scalar, [_draw("real", (5,)), _draw("real")], [np.insert])
_case("np.insert-many", insert_many, [_draw("real", (5,)), _draw("real", (3,))], [np.insert])
_case("np.insert-row", insert_row, [_draw("real", (3, 4)), _draw("real", (4,))], [np.insert])
_case("np.insert-flat-constant", insert_flat_constant, [_draw("real", (2, 2))], [np.insert])
_case("np.resize-longer", resize_longer, [_draw("real", (5,))], [np.resize])
_case("np.resize-shorter", resize_shorter, [_draw("real", (2, 4))], [np.resize])

_case("np.select-vec", select_vec, [_draw("real", (5,)), _draw("real", (5,)), _draw("real")],
      [np.select])
_case("np.select-broadcast", select_broadcast, [_draw("real", (3, 4)), _draw("real", (4,))],
      [np.select])
_case("np.choose-list", choose_list, [_draw("real", (5,)), _draw("real"), _draw("real", (5,))],
      [np.choose])
_case("np.choose-array", choose_array, [_draw("real", (3, 5))], [np.choose])
_case("np.choose-wrap", choose_wrap, [_draw("real", (5,)), _draw("real", (5,))], [np.choose])
_case("np.choose-clip", choose_clip, [_draw("real", (5,)), _draw("real", (5,))], [np.choose])
_case("np.compress-flat", compress_flat, [_draw("real", (5,))], [np.compress])
_case("np.compress-axis", compress_axis, [_draw("real", (2, 3))], [np.compress])
_case("np.extract-matrix", extract_matrix, [_draw("real", (3, 4))], [np.extract])
_case("np.partition-vec", partition_vec, [_distinct((6,))], [np.partition])
_case("np.partition-axis0", partition_axis0, [_distinct((3, 4))], [np.partition])
_case("np.partition-flat", partition_flat, [_distinct((3, 4))], [np.partition])
_case("np.unique-distinct", unique_distinct, [_distinct((2, 3))], [np.unique])
if hasattr(np, "unique_values"):
    _case("np.unique_values-vec", unique_values_vec, [_distinct((5,))], [np.unique_values])
_case("np.bincount-weights", bincount_weights, [_draw("real", (6,))], [np.bincount])
_case("np.histogram-edges", histogram_edges, [_distinct((7,))], [np.histogram])
_case("np.histogram-given-edges", histogram_given_edges, [_distinct((6,))], [np.histogram])

_case("np.i0-float", i0_s, [_draw("real")], [np.i0])
_case("np.i0-vec", i0_v, [_draw("real", (5,)) * 3], [np.i0])
_case("np.i0-mat", i0_m, [_draw("real", (3, 4))], [np.i0])
_case("np.modf-vec", modf_v, [_draw("pos", (5,)) * 2], [np.modf])
_case("np.modf-mat", modf_m, [_draw("real", (3, 4)) * 2], [np.modf])
_case("np.frexp-vec", frexp_v, [_draw("real", (5,)) * 3], [np.frexp])
_case("np.frexp-float", frexp_s, [_draw("pos") * 3], [np.frexp])
_case("np.float64-float", float64_s, [_draw("real")], [np.float64])
_case("np.float64-mat", float64_m, [_draw("real", (3, 4))], [np.float64])
_case("np.double-vec", double_v, [_draw("real", (5,))], [np.double])
# tiny values: float32 rounds them finely enough for central differences
_case("np.float32-tiny-vec", float32_v, [_draw("real", (5,)) * 1e-5], [np.float32])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_gradient_matches_central_differences(case):
    check_case(case)


def test_float32_cast_passes_the_gradient_through():
    x = np.array([0.5, -1.0, 2.0, 0.25, 1.5])
    np.testing.assert_allclose(s2sad.grad(float32_v)(x), W5, rtol=1e-6)
    np.testing.assert_allclose(s2sad.jvp(float32_v)(x, np.ones(5))[1], np.sum(W5), rtol=1e-6)


def test_unique_shares_a_values_adjoint_among_equal_elements():
    x = np.array([2.0, 1.0, 2.0, 3.0])
    def f(a): return np.sum(np.array([1.0, 10.0, 100.0]) * np.unique(a))
    np.testing.assert_allclose(s2sad.grad(f)(x), [5.0, 1.0, 5.0, 100.0])


def test_a_literal_operand_of_a_linear_function_has_no_tangent():
    x = np.array([0.5, -1.0, 2.0, 0.3])
    for func in (insert_flat_constant, select_broadcast):
        args = (x.reshape(2, 2),) if func is insert_flat_constant else (
            np.outer(W3, x), x)
        tangents = tuple(np.ones_like(a) for a in args)
        grads = s2sad.grad(func, wrt=tuple(range(len(args))))(*args)
        expected = sum(np.sum(g * t) for g, t in zip(grads, tangents))
        np.testing.assert_allclose(
            s2sad.jvp(func, wrt=tuple(range(len(args))))(*args, *tangents)[1], expected)


# --- constants and refused options ------------------------------------------------------------
def test_constants_are_declared():
    for f in (np.isin, np.isscalar, np.iscomplexobj, np.isrealobj, np.result_type,
              np.broadcast_shapes):
        assert is_nondiff(f), f


def counts_of(x): return np.sum(W5 * np.bincount(BINS6, minlength=5)) * np.sum(x)
def membership(x): return np.sum(np.isin(x, [0.5, 2.0]) * x)
def unique_with_counts(x): return np.sum(np.unique(x, return_counts=True)[0])
def histogram_density(x): return np.sum(np.histogram(x, density=True)[0])
def polyval_of_2d(p, x): return np.sum(np.polyval(p, x))


def test_counts_and_membership_are_constants():
    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(s2sad.grad(counts_of)(x), np.full(3, np.sum(W5 * [1, 1, 2, 0, 2])))
    np.testing.assert_allclose(s2sad.grad(membership)(x), [1.0, 0.0, 1.0])


@pytest.mark.parametrize("func", [unique_with_counts, histogram_density])
def test_unsupported_options_are_refused(func):
    with pytest.raises(NoRuleError, match="arguments its derivative rule does not handle"):
        s2sad.grad(func)(np.array([0.5, -1.0, 2.0]))


def test_polyval_of_stacked_coefficients_is_refused():
    with pytest.raises(NotImplementedError, match="1-D coefficients"):
        s2sad.grad(polyval_of_2d)(np.ones((3, 2)), np.array([0.5, 2.0]))

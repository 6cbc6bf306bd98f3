"""Rules for covariances and correlations, NaN-skipping medians and quantiles, ``np.ediff1d``
and ``np.gradient`` (s2sad/rules/numpy_statistics.py), checked against central differences
by ``tests.test_rules.check_case`` (and, through ``all_cases``, in forward mode and at second
order); then the options that must be refused.

Case functions weigh a non-scalar result by a fixed random array of its shape, so that a
misplaced or transposed adjoint changes the gradient.
"""

from __future__ import annotations

import numpy as np
import pytest

import s2sad
from s2sad.errors import NoRuleError

from .test_rules import W3, W4, W5, W6, W22, W34, W_S, Case, _draw, _weight, check_case

W33, W44, W55 = _weight(3, 3), _weight(4, 4), _weight(5, 5)
W_Q = np.array([0.7, -1.3, 0.9])
Q3 = np.array([0.1, 0.5, 0.85])


# --- covariances and correlations -------------------------------------------------------------
def cov_rows(m): return np.sum(W33 * np.cov(m))
def cov_columns(m): return np.sum(W44 * np.cov(m, rowvar=False))
def cov_vector(m): return W_S * np.cov(m)
def cov_bias(m): return np.sum(W33 * np.cov(m, bias=True))
def cov_ddof(m): return np.sum(W33 * np.cov(m, ddof=0))
def cov_two_vectors(m, y): return np.sum(W22 * np.cov(m, y))
def cov_matrix_and_vector(m, y): return np.sum(W44 * np.cov(m, y))
def cov_columns_with_y(m, y): return np.sum(W55 * np.cov(m, y, rowvar=False, ddof=2))
def corrcoef_rows(x): return np.sum(W33 * np.corrcoef(x))
def corrcoef_columns(x): return np.sum(W44 * np.corrcoef(x, rowvar=False))
def corrcoef_two_vectors(x, y): return np.sum(W22 * np.corrcoef(x, y))
def corrcoef_matrix_and_vector(x, y): return np.sum(W44 * np.corrcoef(x, y))


# --- NaN-skipping order statistics ------------------------------------------------------------
def nanmedian_all(x): return W_S * np.nanmedian(x)
def nanmedian_axis0(x): return np.sum(W4 * np.nanmedian(x, axis=0))
def nanmedian_axis1_keepdims(x): return np.sum(W3[:, None] * np.nanmedian(x, axis=1,
                                                                         keepdims=True))
def nanquantile_q_array(x): return np.sum(W_Q * np.nanquantile(x, Q3))
def nanquantile_axis1(x): return np.sum(W_Q[:, None] * W3 * np.nanquantile(x, Q3, axis=1))
def nanquantile_lower(x): return np.sum(W4 * np.nanquantile(x, 0.4, axis=0, method="lower"))
def nanpercentile_axis0(x): return np.sum(W4 * np.nanpercentile(x, 35.0, axis=0))


# --- np.ediff1d and np.gradient ---------------------------------------------------------------
def ediff1d_vec(x): return np.sum(W4 * np.ediff1d(x))
def ediff1d_matrix(x): return np.sum(W5 * np.ediff1d(x))
def ediff1d_ends(x, e, b): return np.sum(W6 * np.ediff1d(x, to_end=e, to_begin=b))
def ediff1d_literal_end(x): return np.sum(W5 * np.ediff1d(x, to_end=0.5, to_begin=-1.0))
def gradient_vec(f): return np.sum(W5 * np.gradient(f))
def gradient_spacing(f): return np.sum(W5 * np.gradient(f, 0.3, edge_order=2))
def gradient_coordinates(f): return np.sum(W5 * np.gradient(f, X5))
def gradient_matrix(f):
    rows, columns = np.gradient(f)
    return np.sum(W34 * rows) + np.sum(W34[::-1] * columns ** 2)
def gradient_matrix_spacings(f):
    rows, columns = np.gradient(f, 0.5, X4, edge_order=2)
    return np.sum(W34 * rows * columns)
def gradient_axis(f): return np.sum(W34 * np.gradient(f, 0.7, axis=1))


X5 = np.array([0.0, 0.4, 1.1, 1.3, 2.0])
X4 = np.array([-1.0, -0.2, 0.5, 1.7])
CASES: list = []


def _case(id, func, args, keys, wrt=None):
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    CASES.append(Case(id, func, tuple(args), wrt, tuple(keys)))


def _with_nans(shape):
    x = _draw("real", shape)
    x.flat[[1, 7 % x.size]] = np.nan
    return x


_case("np.cov-rows", cov_rows, [_draw("real", (3, 5))], [np.cov])
_case("np.cov-columns", cov_columns, [_draw("real", (6, 4))], [np.cov])
_case("np.cov-vector", cov_vector, [_draw("real", (5,))], [np.cov])
_case("np.cov-bias", cov_bias, [_draw("real", (3, 5))], [np.cov])
_case("np.cov-ddof", cov_ddof, [_draw("real", (3, 5))], [np.cov])
_case("np.cov-two-vectors", cov_two_vectors, [_draw("real", (5,)), _draw("real", (5,))],
      [np.cov])
_case("np.cov-matrix-and-vector", cov_matrix_and_vector,
      [_draw("real", (3, 6)), _draw("real", (6,))], [np.cov])
_case("np.cov-columns-with-y", cov_columns_with_y,
      [_draw("real", (7, 3)), _draw("real", (7, 2))], [np.cov])
_case("np.corrcoef-rows", corrcoef_rows, [_draw("real", (3, 5))], [np.corrcoef])
_case("np.corrcoef-columns", corrcoef_columns, [_draw("real", (6, 4))], [np.corrcoef])
_case("np.corrcoef-two-vectors", corrcoef_two_vectors,
      [_draw("real", (5,)), _draw("real", (5,))], [np.corrcoef])
_case("np.corrcoef-matrix-and-vector", corrcoef_matrix_and_vector,
      [_draw("real", (3, 6)), _draw("real", (6,))], [np.corrcoef])

_case("np.nanmedian-all", nanmedian_all, [_with_nans((3, 4))], [np.nanmedian])
_case("np.nanmedian-vec", nanmedian_all, [_with_nans((6,))], [np.nanmedian])
_case("np.nanmedian-axis0", nanmedian_axis0, [_with_nans((5, 4))], [np.nanmedian])
_case("np.nanmedian-axis1-keepdims", nanmedian_axis1_keepdims, [_with_nans((3, 6))],
      [np.nanmedian])
_case("np.nanquantile-q-array", nanquantile_q_array, [_with_nans((3, 4))], [np.nanquantile])
_case("np.nanquantile-axis1", nanquantile_axis1, [_with_nans((3, 6))], [np.nanquantile])
_case("np.nanquantile-lower", nanquantile_lower, [_with_nans((5, 4))], [np.nanquantile])
_case("np.nanpercentile-axis0", nanpercentile_axis0, [_with_nans((5, 4))], [np.nanpercentile])

_case("np.ediff1d-vec", ediff1d_vec, [_draw("real", (5,))], [np.ediff1d])
_case("np.ediff1d-matrix", ediff1d_matrix, [_draw("real", (2, 3))], [np.ediff1d])
_case("np.ediff1d-ends", ediff1d_ends, [_draw("real", (4,)), _draw("real", (2,)), _draw("real")],
      [np.ediff1d])
_case("np.ediff1d-literal-end", ediff1d_literal_end, [_draw("real", (4,))], [np.ediff1d])
_case("np.gradient-vec", gradient_vec, [_draw("real", (5,))], [np.gradient])
_case("np.gradient-spacing", gradient_spacing, [_draw("real", (5,))], [np.gradient])
_case("np.gradient-coordinates", gradient_coordinates, [_draw("real", (5,))], [np.gradient])
_case("np.gradient-matrix", gradient_matrix, [_draw("real", (3, 4))], [np.gradient])
_case("np.gradient-matrix-spacings", gradient_matrix_spacings, [_draw("real", (3, 4))],
      [np.gradient])
_case("np.gradient-axis", gradient_axis, [_draw("real", (3, 4))], [np.gradient])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_gradient_matches_central_differences(case):
    check_case(case)


def test_nanmedian_gives_nans_no_adjoint():
    x = np.array([4.0, np.nan, 1.0, 3.0, 2.0])
    np.testing.assert_allclose(s2sad.grad(nanmedian_all)(x) / W_S, [0.0, 0.0, 0.0, 0.5, 0.5])


# --- options that are refused -----------------------------------------------------------------
def cov_fweights(m): return np.sum(np.cov(m, fweights=np.array([1, 2, 1])))
def cov_aweights(m): return np.sum(np.cov(m, aweights=np.array([1.0, 2.0, 1.0])))
def gradient_of_spacing(f, h): return np.sum(W5 * np.gradient(f, h))


@pytest.mark.parametrize("func", [cov_fweights, cov_aweights])
def test_cov_weights_are_refused(func):
    with pytest.raises(NoRuleError, match="arguments its derivative rule does not handle"):
        s2sad.grad(func)(np.array([[0.5, -1.0, 2.0], [0.1, 0.3, -0.4]]))


def test_gradient_spacing_must_be_constant():
    f = np.array([0.5, -1.0, 2.0, 0.3, 0.9])
    np.testing.assert_allclose(s2sad.grad(gradient_of_spacing, wrt=0)(f, 0.4),
                               s2sad.numeric_grad(gradient_of_spacing, (f, 0.4), "f"),
                               rtol=1e-6)
    with pytest.raises(NotImplementedError, match="spacing arguments must be constants"):
        s2sad.grad(gradient_of_spacing, wrt=1)(f, 0.4)
    with pytest.raises(NotImplementedError, match="spacing arguments must be constants"):
        s2sad.jvp(gradient_of_spacing, wrt=1)(f, 0.4, 1.0)

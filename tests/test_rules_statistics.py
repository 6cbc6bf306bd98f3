"""Rules for order statistics, NaN-skipping products and cumulative sums, differences,
integrals and interpolation (s2sad/rules/numpy_statistics.py), and for ``np.rollaxis``,
``np.asanyarray`` and ``x.item()``, checked against central differences by
``tests.test_rules.check_case``; then the options that must be refused or honoured
(``out=``, ``where=``, an integer ``dtype=``), and a check that every entry point issue 4
lists has a rule or is declared a constant.

Case functions weigh a non-scalar result by a fixed random array of its shape
(``W34``...), so that a misplaced adjoint changes the gradient.
"""

from __future__ import annotations

import numpy as np
import pytest

import s2sad
from s2sad.errors import NoRuleError, UnsupportedSyntaxError
from s2sad.rules import is_nondiff, lookup

from .test_rules import (
    W2,
    W3,
    W4,
    W5,
    W6,
    W12,
    W14,
    W31,
    W34,
    W_S,
    Case,
    _draw,
    check_case,
)

W24 = W34[:2]
W234 = np.concatenate([W34, W34[::-1]]).reshape(2, 3, 4) * 1.1
W_Q = np.array([0.7, -1.3, 0.9])  # weighs the three quantiles of Q3
Q3 = np.array([0.1, 0.5, 0.85])
XP6 = np.array([-1.0, -0.4, 0.1, 0.5, 1.2, 2.0])


# --- NaN-skipping products and cumulative sums ----------------------------------------------
def nanprod_all(x): return W_S * np.nanprod(x)
def nanprod_axis0(x): return np.sum(W4 * np.nanprod(x, axis=0))
def nanprod_axis_neg1_keepdims(x): return np.sum(W31 * np.nanprod(x, axis=-1, keepdims=True))
def nancumsum_flat(x): return np.sum(W12 * np.nancumsum(x))
def nancumsum_axis1(x): return np.sum(W34 * np.nancumsum(x, axis=1))
def nancumprod_axis0(x): return np.sum(W34 * np.nancumprod(x, axis=0))
def nancumprod_vec(x): return np.sum(W5 * np.nancumprod(x))


# --- order statistics -----------------------------------------------------------------------
def median_all(x): return W_S * np.median(x)
def median_axis0(x): return np.sum(W4 * np.median(x, axis=0))
def median_axis1(x): return np.sum(W3 * np.median(x, axis=1))
def median_axis_neg1_keepdims(x): return np.sum(W31 * np.median(x, axis=-1, keepdims=True))
def median_axes_tuple(x): return np.sum(W4 * np.median(x, axis=(0, 1)))
def quantile_scalar_q(x): return np.sum(W4 * np.quantile(x, 0.3, axis=0))
def quantile_q_array(x): return np.sum(W_Q * np.quantile(x, Q3))
def quantile_q_array_axis(x): return np.sum(W_Q[:, None] * W3 * np.quantile(x, Q3, axis=-1))
def quantile_keepdims(x): return np.sum(W14 * np.quantile(x, 0.4, axis=0, keepdims=True))
def quantile_lower(x): return np.sum(W4 * np.quantile(x, 0.4, axis=0, method="lower"))
def quantile_higher(x): return np.sum(W3 * np.quantile(x, 0.4, axis=1, method="higher"))
def quantile_midpoint(x): return np.sum(W_Q * np.quantile(x, Q3, method="midpoint"))
def quantile_nearest(x): return np.sum(W_Q * np.quantile(x, Q3, method="nearest"))
def percentile_axis1(x): return np.sum(W3 * np.percentile(x, 35.0, axis=1))
def percentile_q_array(x): return np.sum(W_Q * np.percentile(x, 100 * Q3))


# --- differences, integrals and interpolation ---------------------------------------------
def diff_vec(x): return np.sum(W4 * np.diff(x))
def diff_axis0(x): return np.sum(W24 * np.diff(x, axis=0))
def diff_n2(x): return np.sum(W3 * np.diff(x, n=2))
def diff_n2_axis0_arr(x): return np.sum(W234[:, :1] * np.diff(x, 2, axis=0))
def diff_prepend_append(x, p, q): return np.sum(W6 * np.diff(x, prepend=p, append=q))
def diff_prepend_row(x, p): return np.sum(W34 * np.diff(x, axis=0, prepend=p))
def trapezoid_vec(y): return W_S * _TRAPEZOID(y)
def trapezoid_dx(y, dx): return np.sum(W3 * _TRAPEZOID(y, dx=dx))
def trapezoid_x_1d(y, x): return np.sum(W3 * _TRAPEZOID(y, x, axis=1))
def trapezoid_x_and_dx(y, x, dx): return np.sum(W3 * _TRAPEZOID(y, x, dx=dx, axis=1))
def trapezoid_x_full(y, x): return np.sum(W4 * _TRAPEZOID(y, x, axis=0))
def interp_all(x, xp, fp): return np.sum(W5 * np.interp(x, xp, fp))
def interp_left_right(x, left, right): return np.sum(W5 * np.interp(x, XP6, W6, left, right))
def interp_scalar(x, fp): return W_S * np.interp(x, XP6, fp)


# --- axes, conversions and items --------------------------------------------------------------
def rollaxis_2_0(x): return np.sum(W234.transpose(2, 0, 1) * np.rollaxis(x, 2))
def rollaxis_0_3(x): return np.sum(W234.transpose(1, 2, 0) * np.rollaxis(x, 0, 3))
def asanyarray_list(a, b): return np.sum(W2 * np.asanyarray([a, b]))
def item_method(x): return W_S * x.item() ** 2


_TRAPEZOID = getattr(np, "trapezoid", None) or np.trapz
CASES: list = []


def _case(id, func, args, keys, wrt=None):
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    CASES.append(Case(id, func, tuple(args), wrt, tuple(keys)))


def _with_nans(shape):
    x = _draw("real", shape)
    x.flat[[1, 5 % x.size]] = np.nan
    return x


for _func, _shape in [(nanprod_all, (3, 4)), (nanprod_axis0, (3, 4)),
                      (nanprod_axis_neg1_keepdims, (3, 4))]:
    _case(f"np.nanprod-{_func.__name__}", _func, [_with_nans(_shape)], [np.nanprod])
_case("np.nanprod-with-zero", nanprod_axis0, [np.where(np.eye(3, 4) > 0, 0.0, _draw("real",
                                                                                   (3, 4)))],
      [np.nanprod])
for _func, _shape in [(nancumsum_flat, (3, 4)), (nancumsum_axis1, (3, 4))]:
    _case(f"np.nancumsum-{_func.__name__}", _func, [_with_nans(_shape)], [np.nancumsum])
for _func, _shape in [(nancumprod_axis0, (3, 4)), (nancumprod_vec, (5,))]:
    _case(f"np.nancumprod-{_func.__name__}", _func, [_with_nans(_shape)], [np.nancumprod])

for _func, _shape in [(median_all, (5,)), (median_all, (3, 4)), (median_axis0, (3, 4)),
                      (median_axis0, (2, 4)), (median_axis1, (3, 5)),
                      (median_axis_neg1_keepdims, (3, 4)), (median_axes_tuple, (2, 3, 4))]:
    _case(f"np.median-{_func.__name__}-{'x'.join(map(str, _shape))}", _func,
          [_draw("real", _shape)], [np.median])
for _func, _shape in [(quantile_scalar_q, (5, 4)), (quantile_q_array, (3, 4)),
                      (quantile_q_array_axis, (3, 6)), (quantile_keepdims, (3, 4)),
                      (quantile_lower, (3, 4)), (quantile_higher, (3, 4)),
                      (quantile_midpoint, (7,)), (quantile_nearest, (3, 4))]:
    _case(f"np.quantile-{_func.__name__}", _func, [_draw("real", _shape)], [np.quantile])
for _func, _shape in [(percentile_axis1, (3, 5)), (percentile_q_array, (4, 3))]:
    _case(f"np.percentile-{_func.__name__}", _func, [_draw("real", _shape)], [np.percentile])

_case("np.diff-vec", diff_vec, [_draw("real", (5,))], [np.diff])
_case("np.diff-axis0", diff_axis0, [_draw("real", (3, 4))], [np.diff])
_case("np.diff-n2", diff_n2, [_draw("real", (5,))], [np.diff])
_case("np.diff-n2-axis0-arr", diff_n2_axis0_arr, [_draw("real", (4, 3, 4))], [np.diff])
_case("np.diff-prepend-append", diff_prepend_append,
      [_draw("real", (4,)), _draw("real"), _draw("real", (2,))], [np.diff])
_case("np.diff-prepend-row", diff_prepend_row, [_draw("real", (3, 4)), _draw("real", (1, 4))],
      [np.diff])
_TRAPEZOID_KEY = _TRAPEZOID
_case("np.trapezoid-vec", trapezoid_vec, [_draw("real", (6,))], [_TRAPEZOID_KEY])
_case("np.trapezoid-dx", trapezoid_dx, [_draw("real", (3, 5)), 0.7], [_TRAPEZOID_KEY])
_case("np.trapezoid-x-1d", trapezoid_x_1d, [_draw("real", (3, 5)), np.cumsum(_draw("pos", (5,)))],
      [_TRAPEZOID_KEY])
_case("np.trapezoid-x-and-dx", trapezoid_x_and_dx,  # NumPy ignores dx: its gradient is 0
      [_draw("real", (3, 5)), np.cumsum(_draw("pos", (5,))), 0.7], [_TRAPEZOID_KEY])
_case("np.trapezoid-x-full", trapezoid_x_full,
      [_draw("real", (5, 4)), np.cumsum(_draw("pos", (5, 4)), axis=0)], [_TRAPEZOID_KEY])
_case("np.interp-all", interp_all,
      [np.array([-1.5, -0.7, 0.3, 0.9, 2.4]), XP6, _draw("real", (6,))], [np.interp])
_case("np.interp-left-right", interp_left_right,
      [np.array([-1.5, -0.7, 0.3, 0.9, 2.4]), 0.3, -0.6], [np.interp])
_case("np.interp-scalar", interp_scalar, [0.27, _draw("real", (6,))], [np.interp])

_case("np.rollaxis-2-0", rollaxis_2_0, [_draw("real", (2, 3, 4))], [np.rollaxis])
_case("np.rollaxis-0-3", rollaxis_0_3, [_draw("real", (2, 3, 4))], [np.rollaxis])
_case("np.asanyarray-list", asanyarray_list, [_draw("real"), _draw("real")], [np.asanyarray])
_case("ndarray.item", item_method, [_draw("real", (1, 1))], ["ndarray.item"])


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_gradient_matches_central_differences(case):
    check_case(case)


def test_median_of_an_even_lane_splits_between_the_middle_elements():
    x = np.array([4.0, 1.0, 3.0, 2.0])
    np.testing.assert_allclose(s2sad.grad(median_all)(x) / W_S, [0.0, 0.0, 0.5, 0.5])


# --- options that are refused, or honoured ------------------------------------------------------
def sum_where(x): return np.sum(x, where=x > 0)
def mean_where(x): return np.mean(x, where=x > 0)
def max_initial(x): return np.max(x, initial=0.0)
def std_correction(x): return np.std(x, correction=1)
def exp_where(x): return np.sum(np.exp(x, where=x > 0))
def quantile_weights(x): return np.quantile(x, 0.5, weights=x)
def median_overwrite_out(x): return np.median(x, out=np.zeros(()))


def cumsum_out(x):
    buf = np.zeros(3)
    y = np.cumsum(x, out=buf)
    return np.sum(y * buf)


def exp_out_statement(x):
    buf = np.zeros(3)
    np.exp(x, out=buf)
    return np.sum(buf)


def sum_out_method(x):
    buf = np.zeros(())
    return x.sum(out=buf)


def integer_sums(x):
    return np.sum(x, dtype=int) + np.sum(np.cumsum(x, dtype=int)) + np.prod(x, dtype=np.int64)


def float32_mean(x):
    return np.mean(x, dtype=np.float32) + np.var(x, dtype=np.float64)


@pytest.mark.parametrize("func", [sum_where, mean_where, max_initial, std_correction,
                                  exp_where, quantile_weights])
def test_unsupported_options_are_located_errors(func):
    with pytest.raises(NoRuleError, match="arguments its derivative rule does not handle") as e:
        s2sad.grad(func)(np.array([0.5, -1.0, 2.0]))
    assert e.value.location is not None and e.value.location.line > 0


@pytest.mark.parametrize("func", [cumsum_out, exp_out_statement, sum_out_method,
                                  median_overwrite_out])
def test_out_arguments_are_refused(func):
    with pytest.raises(UnsupportedSyntaxError, match="out=") as e:
        s2sad.grad(func)(np.array([0.5, -1.0, 2.0]))
    assert e.value.location is not None


def test_integer_dtype_reductions_have_zero_gradient():
    np.testing.assert_array_equal(s2sad.grad(integer_sums)(np.array([0.5, 1.25, 2.5])), 0.0)
    x = np.array([0.5, 1.25, 2.5])
    expected = np.full(3, 1 / 3) + 2 * (x - x.mean()) / 3
    np.testing.assert_allclose(s2sad.grad(float32_mean)(x), expected, rtol=1e-6)


def quantile_weibull(x): return np.quantile(x, 0.5, method="weibull")
def interp_periodic(x): return np.sum(np.interp(x, XP6, W6, period=3.0))


@pytest.mark.parametrize("func, match", [(quantile_weibull, "method='weibull'"),
                                         (interp_periodic, "period=")])
def test_unhandled_option_values_raise(func, match):
    with pytest.raises(NotImplementedError, match=match):
        s2sad.grad(func)(0.5 + np.arange(4.0))


# --- issue 4's list: every entry point has a rule or is a constant ------------------------------
ISSUE_4 = {
    np: """exp2 log2 log10 cbrt reciprocal sinc arcsinh arccosh arctanh deg2rad rad2deg fabs
        logaddexp power arctan2 hypot fmax fmin true_divide mod remainder copysign logaddexp2
        sum mean prod max min amax var std cumsum cumprod nansum reshape ravel squeeze
        expand_dims transpose swapaxes moveaxis concatenate stack hstack vstack tile repeat
        flip roll diag diagonal triu tril trace pad take where clip sort split broadcast_to
        atleast_1d atleast_2d atleast_3d dot matmul tensordot outer inner einsum kron cross
        array asarray argmax argsort shape floor round sign isnan zeros_like ones arange
        less greater equal nanprod nancumsum nancumprod median quantile percentile diff
        interp rollaxis asanyarray""",
    np.linalg: "inv det slogdet solve cholesky eigh norm pinv svd",
}
METHODS = "sum reshape T dot mean clip astype item".split()


def test_every_entry_point_of_issue_4_has_a_rule_or_is_a_constant():
    missing = [f"{module.__name__}.{name}" for module, names in ISSUE_4.items()
               for name in names.split()
               if lookup(getattr(module, name)) is None and not is_nondiff(getattr(module, name))]
    missing += [f"x.{m}" for m in METHODS if lookup(f"ndarray.{m}") is None]
    try:
        from scipy import special
    except ImportError:
        special = None
    if special is not None:
        missing += [f"scipy.special.{n}" for n in "logsumexp expit logit erf gammaln".split()
                    if lookup(getattr(special, n)) is None]
    assert not missing, missing


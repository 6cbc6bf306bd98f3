"""Forward mode and second order through the statistics rules (order statistics, NaN-skipping
products, differences, integrals, interpolation) and the pathwise random draws: the tangent
code reads like a hand derivation, tangents have known values, and the Hessian-vector
product agrees with central differences of the gradient with respect to every
differentiated argument of every case. Integer ``dtype`` options make tangents and
adjoints zero."""

import inspect

import numpy as np
import pytest

import s2sad

from . import test_rules_random as random_cases
from . import test_rules_statistics as statistics_cases

RNG = np.random.default_rng(23)


def _plain(x) -> bool:
    return isinstance(x, (float, np.ndarray)) and not isinstance(x, bool)


# --- the generated code --------------------------------------------------------------------


def drawn(mu, s):
    rng = np.random.default_rng(5)
    z = rng.normal(mu, s, size=(3, 4))
    return np.sum(z * z)


def drawn_loc(mu):
    rng = np.random.default_rng(5)
    z = rng.normal(mu, 2.0, size=3)
    return np.sum(z)


def median_rows(x):
    m = np.median(x, axis=0)
    return np.sum(m * m)


def test_tangents_of_draws_and_medians_read_like_hand_derivations():
    assert "dz = expand_to(dmu, z) + (z - mu) / s * ds" in s2sad.source(
        drawn, wrt=(0, 1), mode="forward")
    assert "dz = expand_to(dmu, z)\n" in s2sad.source(drawn_loc, mode="forward")
    assert "dm = quantile_tangent(x, dx, 0.5, axis=0)" in s2sad.source(median_rows,
                                                                       mode="forward")


def test_the_tangent_of_a_draw_follows_its_path():
    z = np.random.default_rng(5).normal(0.4, 1.5, size=(3, 4))
    _, along_mu = s2sad.jvp(drawn, wrt=(0, 1))(0.4, 1.5, 1.0, 0.0)
    _, along_s = s2sad.jvp(drawn, wrt=(0, 1))(0.4, 1.5, 0.0, 1.0)
    assert along_mu == pytest.approx(np.sum(2 * z))
    assert along_s == pytest.approx(np.sum(2 * z * (z - 0.4) / 1.5))
    value, tangent = s2sad.jvp(drawn_loc)(0.5, 1.0)
    assert tangent == pytest.approx(3.0)  # the location moves each of the 3 draws


def test_the_tangent_of_a_median_is_that_of_the_middle_elements():
    _, odd = s2sad.jvp(median_rows)(np.array([[5.0], [1.0], [3.0]]),
                                    np.array([[10.0], [20.0], [30.0]]))
    assert odd == pytest.approx(2 * 3.0 * 30.0)  # the middle element, 3.0, moves by 30
    _, even = s2sad.jvp(median_rows)(np.array([[4.0], [1.0], [3.0], [2.0]]),
                                     np.array([[1.0], [2.0], [4.0], [8.0]]))
    assert even == pytest.approx(2 * 2.5 * (4.0 + 8.0) / 2)  # the mean of 3.0 and 2.0


def quantiles_kept(x):
    return np.sum(np.quantile(x, [0.2, 0.75], axis=(0, 2), keepdims=True) ** 2)


def test_quantiles_over_several_axes_with_keepdims():
    x = RNG.normal(size=(2, 3, 4))
    v = RNG.normal(size=x.shape)
    _, tangent = s2sad.jvp(quantiles_kept)(x, v)
    h = 1e-6
    expected = (quantiles_kept(x + h * v) - quantiles_kept(x - h * v)) / (2 * h)
    assert tangent == pytest.approx(expected, rel=1e-6)
    assert tangent == pytest.approx(np.sum(s2sad.grad(quantiles_kept)(x) * v), rel=1e-10)


def interpolated(x, xp, fp, left):
    return np.sum(np.interp(x, xp, fp, left, 3.0))


def test_the_tangent_of_an_interpolation_moves_with_every_operand():
    x = np.array([-1.0, 0.3, 0.7, 2.0, 5.0])
    xp, fp = np.array([0.0, 0.5, 1.0, 3.0]), np.array([1.0, 2.0, -1.0, 0.5])
    _, tangent = s2sad.jvp(interpolated, wrt=(0, 1, 2, 3))(
        x, xp, fp, 0.2, np.ones(5), np.full(4, 0.1), np.ones(4), 1.0)
    # slopes 2, -6, 0.75 inside; the points moved together by 0.1 shift every value by
    # -0.1 * slope; fp moved by 1 moves the 3 values inside; left moves the one below
    assert tangent == pytest.approx((2 - 6 + 0.75) - 0.1 * (2 - 6 + 0.75) + 3.0 + 1.0)


# --- second order at every differentiated argument -------------------------------------


CASES = [(case, p) for case in statistics_cases.CASES + random_cases.CASES
         for p in case.wrt if _plain(case.args[p])]


def _name(case, p) -> str:
    return list(inspect.signature(case.func).parameters)[p]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("case, p", CASES, ids=[f"{c.id}-{_name(c, p)}" for c, p in CASES])
def test_hvp_matches_differences_of_the_gradient(case, p):
    x = case.args[p]
    v = float(RNG.normal()) if isinstance(x, float) else RNG.normal(size=np.shape(x))
    v = np.where(np.isnan(x), 0.0, v) if isinstance(x, np.ndarray) else v
    product = s2sad.hvp(case.func, wrt=_name(case, p))(*case.args, v)
    gradient = s2sad.grad(case.func, wrt=_name(case, p))
    h = 1e-5 * max(1.0, float(np.nanmax(np.abs(x))))

    def at(sign):
        args = list(case.args)
        moved = np.asarray(x, dtype=float) + sign * h * np.asarray(v)
        args[p] = float(moved) if isinstance(x, float) else moved
        return np.asarray(gradient(*args), dtype=float)

    assert np.shape(product) == np.shape(x)
    np.testing.assert_allclose(product, (at(1.0) - at(-1.0)) / (2 * h), rtol=1e-4, atol=1e-5)


def test_second_order_through_interpolation_is_not_zero_in_the_sample_points():
    x = np.array([0.3, 0.7, 2.0])
    xp, fp = np.array([0.0, 0.5, 1.0, 3.0]), np.array([1.0, 2.0, -1.0, 0.5])
    hess = s2sad.hessian(interpolated, wrt="xp")(x, xp, fp, 0.2)
    assert np.abs(hess).max() > 1.0
    np.testing.assert_allclose(hess, hess.T, rtol=1e-10, atol=1e-12)


# --- integer dtypes: zero tangents and adjoints ---------------------------------------------


def integer_reductions(x):
    return (np.sum(x, dtype=int) + np.sum(np.cumsum(x, dtype=int)) + np.prod(x, dtype=np.int64)
            + np.sum(np.nancumsum(x, dtype=int)) + np.mean(x, dtype=np.float32) + np.sum(x * x))


def test_an_integer_dtype_makes_the_tangent_zero():
    x, v = np.array([0.5, 1.25, 2.5]), np.array([1.0, -2.0, 0.5])
    value, tangent = s2sad.jvp(integer_reductions)(x, v)
    assert value == pytest.approx(integer_reductions(x))
    assert tangent == pytest.approx(np.sum(v) / 3 + np.sum(2 * x * v), rel=1e-6)
    np.testing.assert_allclose(s2sad.grad(integer_reductions)(x), 1 / 3 + 2 * x, rtol=1e-6)
    source = s2sad.source(integer_reductions, mode="forward")
    assert "astype_tangent(np.sum(dx, dtype=int), t0, int)" in source
    assert "dt7 = np.sum(dt6)" in source  # an operation without a dtype is left alone


def converted(a, b):
    return np.sum(np.array([a, b], dtype=int) * 3.0) + np.sum(np.asarray([a, b], float)) + a * b


def converted_rows(x):
    return np.sum(np.array(x, dtype=np.int32) * x)


def filled(c):
    return np.sum(np.full(3, c, dtype=int)) + c


def converted_cubes(x):
    return np.sum(np.array(x, dtype=int) * x * x)


def test_an_integer_array_conversion_has_no_gradient():
    grads = s2sad.grad(converted, wrt=(0, 1))(1.5, 2.5)
    assert grads == pytest.approx((1.0 + 2.5, 1.0 + 1.5))
    _, tangent = s2sad.jvp(converted, wrt=(0, 1))(1.5, 2.5, 1.0, 10.0)
    assert tangent == pytest.approx(11.0 + 2.5 + 15.0)
    x = np.array([1.5, 2.0])
    np.testing.assert_allclose(s2sad.grad(converted_rows)(x), [1.0, 2.0])  # int(x) only
    assert s2sad.grad(filled)(2.7) == pytest.approx(1.0)
    hess = s2sad.hessian(converted_cubes)(x)
    np.testing.assert_allclose(hess, np.diag([2.0, 4.0]))  # d2/dx2 of int(x) x^2 = 2 int(x)


def joined(a, b):
    return (np.sum(np.concatenate([a, b], dtype=int, casting="unsafe") * 2.0)
            + np.sum(np.hstack([a, b], dtype=int, casting="unsafe"))
            + np.sum(np.vstack([a, b], dtype=np.float32)) + np.sum(a * b))


def test_joining_in_an_integer_dtype_has_no_gradient():
    a, b = np.array([1.5, 2.5]), np.array([0.5, -1.0])
    grad_a, grad_b = s2sad.grad(joined, wrt=(0, 1))(a, b)
    np.testing.assert_allclose(grad_a, 1.0 + b, rtol=1e-6)  # from the float32 rows and a * b
    np.testing.assert_allclose(grad_b, 1.0 + a, rtol=1e-6)
    _, tangent = s2sad.jvp(joined, wrt=(0, 1))(a, b, np.ones(2), np.ones(2))
    assert tangent == pytest.approx(np.sum(1.0 + b) + np.sum(1.0 + a), rel=1e-6)

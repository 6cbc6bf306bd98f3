"""Higher order: derivatives of derivatives (the generated source is transformed again),
Hessians, Hessian-vector products, Jacobians, against finite differences."""

import numpy as np
import pytest

import s2sad

from . import higher_order_functions as h

RNG = np.random.default_rng(11)


def numeric_jacobian(func, x, step=1e-6):
    """d func / dx by central differences; func returns an array (or float)."""
    x = np.asarray(x, dtype=float)
    out = np.asarray(func(x), dtype=float)
    jac = np.zeros(out.shape + x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = step
        up = np.asarray(func(x + e if x.shape else float(x + e)), dtype=float)
        down = np.asarray(func(x - e if x.shape else float(x - e)), dtype=float)
        jac[(...,) + i] = (up - down) / (2 * step)
    return jac


def test_second_and_third_derivative_of_a_scalar_function():
    x = 0.7
    d2 = s2sad.grad(s2sad.grad(h.cubic_sine))(x)
    d3 = s2sad.grad(s2sad.grad(s2sad.grad(h.cubic_sine)))(x)
    exact2 = 6 * x * np.sin(x) + 6 * x ** 2 * np.cos(x) - x ** 3 * np.sin(x)
    exact3 = (6 * np.sin(x) + 18 * x * np.cos(x) - 9 * x ** 2 * np.sin(x)
              - x ** 3 * np.cos(x))
    assert d2 == pytest.approx(exact2, rel=1e-12)
    assert d3 == pytest.approx(exact3, rel=1e-12)


@pytest.mark.parametrize("func, args", [
    (h.mixed, (np.array([0.3, -0.7, 1.1]),)),
    (h.recurrence, (np.array([0.3, -0.7, 1.1]), 4)),
    (h.piecewise, (np.array([0.4, -0.6, 0.9]),)),
    (h.piecewise, (np.array([-0.4, 0.6, -0.9]),)),
])
def test_hessian_matches_differences_of_the_gradient_and_is_symmetric(func, args):
    x = args[0]
    hess = s2sad.hessian(func)(*args)
    gradient = s2sad.grad(func)
    numeric = numeric_jacobian(lambda z: gradient(z, *args[1:]), x)
    assert hess.shape == x.shape + x.shape
    np.testing.assert_allclose(hess, numeric, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(hess, hess.T, rtol=1e-10, atol=1e-12)
    v = RNG.normal(size=x.shape)
    np.testing.assert_allclose(s2sad.hvp(func)(*args, v), hess @ v, rtol=1e-10, atol=1e-12)


def test_hessian_of_the_logistic_regression_loss_matches_its_closed_form():
    X = RNG.normal(size=(30, 4))
    y = (RNG.uniform(size=30) > 0.5).astype(float)
    w = RNG.normal(size=4) * 0.5
    hess = s2sad.hessian(h.logistic_nll)(w, X, y)
    p = 1.0 / (1.0 + np.exp(-X @ w))
    np.testing.assert_allclose(hess, X.T @ ((p * (1 - p))[:, None] * X), rtol=1e-10)
    gradient = s2sad.grad(h.logistic_nll)
    numeric = numeric_jacobian(lambda z: gradient(z, X, y), w)
    np.testing.assert_allclose(hess, numeric, rtol=1e-6, atol=1e-6)


def test_hessian_of_a_matrix_argument_has_shape_x_shape_twice():
    W1, b1 = RNG.normal(size=(2, 3)), RNG.normal(size=3)
    W2, b2 = RNG.normal(size=(3, 1)), RNG.normal(size=1)
    X, y = RNG.normal(size=(5, 2)), RNG.normal(size=(5, 1))
    hess = s2sad.hessian(h.mlp_loss, wrt="W1")(W1, b1, W2, b2, X, y)
    assert hess.shape == (2, 3, 2, 3)
    gradient = s2sad.grad(h.mlp_loss, wrt="W1")
    numeric = numeric_jacobian(lambda z: gradient(z, b1, W2, b2, X, y), W1)
    np.testing.assert_allclose(hess, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("mode", ["forward", "reverse", "auto"])
def test_jacobian_in_both_modes(mode):
    x, W = RNG.normal(size=3), RNG.normal(size=(4, 3))
    jac = s2sad.jacobian(h.matrix_map, mode=mode)(x, W)
    assert jac.shape == (4, 3)
    np.testing.assert_allclose(jac, numeric_jacobian(lambda z: h.matrix_map(z, W), x),
                               rtol=1e-6, atol=1e-8)


def test_jvp_of_a_gradient_and_the_hvp_source_is_readable():
    x, v = np.array([0.3, -0.7, 1.1]), np.array([1.0, 0.5, -2.0])
    _, tangent = s2sad.jvp(s2sad.grad(h.mixed))(x, v)
    np.testing.assert_allclose(tangent, s2sad.hessian(h.mixed)(x) @ v, rtol=1e-10)
    source = s2sad.hvp(h.mixed).source
    assert source.startswith("def dmixed_dx_jvp(x, bt6=1.0, dx=1.0):")
    assert "dbt0 = expand_to(dt1 * bt2, bt0)" in source  # the tangent of an adjoint

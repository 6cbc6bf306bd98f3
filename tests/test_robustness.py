"""Robustness: independent results, NaN and inf, float32, threads, redefinition."""

import threading
import warnings

import numpy as np

import s2sad

from . import canonical as c


def identity(x):
    return x


def scaled(x):
    return 2.0 * x


def test_results_never_alias_inputs():
    x, cotangent = np.ones(3), np.arange(3.0)
    _, pullback = s2sad.vjp(identity)(x)
    g = pullback(cotangent)
    assert g is not cotangent and not np.shares_memory(g, cotangent)
    np.testing.assert_array_equal(g, cotangent)
    v = np.ones(3)
    _, tangent = s2sad.jvp(identity)(x, v)
    assert tangent is not v


def test_nan_and_inf_propagate_like_numpy():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = s2sad.grad(c.nll, wrt="s")(1.5, 0.5, np.nan)
        assert np.isnan(g)
        g = s2sad.grad(c.nll, wrt="m")(np.inf, 0.5, 2.0)
        assert np.isinf(g) or np.isnan(g)


def test_float32_in_float32_out():
    x = np.linspace(0.1, 1.0, 5, dtype=np.float32)
    w1, b1 = np.ones((5, 3), np.float32), np.zeros(3, np.float32)
    w2, b2 = np.ones((3, 2), np.float32), np.zeros(2, np.float32)
    grads = s2sad.grad(c.mlp_loss, wrt=(0, 1, 2, 3))(w1, b1, w2, b2, x[None, :],
                                                     np.ones((1, 2), np.float32))
    assert all(g.dtype == np.float32 for g in grads)


def test_transforms_are_thread_safe():
    def loss(x):
        return np.sum(np.tanh(x) * x)

    results, errors = [], []

    def work():
        try:
            results.append(s2sad.grad(loss)(np.linspace(-1, 1, 4)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 8
    for r in results[1:]:
        np.testing.assert_array_equal(r, results[0])


def test_scaled_vjp_returns_a_new_array():
    _, pullback = s2sad.vjp(scaled)(np.ones(2))
    ct = np.ones(2)
    g = pullback(ct)
    np.testing.assert_array_equal(g, [2.0, 2.0])
    assert g is not ct

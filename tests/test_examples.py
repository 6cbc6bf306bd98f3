"""The example scripts: each runs as a script and prints the course notes' numbers, and the
gradients of their differentiated functions agree with hand-derived formulas."""

import functools
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import s2sad

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = ["gaussian_nll", "trace_table", "shared_value", "logistic_regression", "xor_mlp", "rnn",
         "newton_logistic"]


@functools.cache
def run(name):
    """Run ``examples/NAME.py`` as a script; return its stdout (after checking the exit code)."""
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{name}.py")],
        capture_output=True, text=True, timeout=60, cwd=EXAMPLES.parent,
    )
    assert proc.returncode == 0, f"{name}.py failed:\n{proc.stdout}\n{proc.stderr}"
    assert proc.stderr == ""
    return proc.stdout


@functools.cache
def load(name):
    """Import ``examples/NAME.py`` as a module (its ``main`` does not run)."""
    spec = importlib.util.spec_from_file_location(f"s2sad_example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def numbers_after(label, text):
    return [float(m) for m in re.findall(rf"{label}\s+(-?\d+\.\d+)", text)]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ----------------------------------------------------------------------------- as scripts


@pytest.mark.parametrize("name", NAMES)
def test_example_runs(name):
    out = run(name)
    assert "def " in out  # every example prints generated source


def test_gaussian_nll_script():
    out = run("gaussian_nll")
    assert "def nll(x, m, s):" in out
    assert "def dnll_dm_ds(x, m, s, bc=1.0):" in out
    assert "dc/dm = -0.250000   closed form -0.250000" in out
    assert "dc/ds = +0.375000   closed form +0.375000" in out
    assert "matches the closed form" in out


def test_trace_table_script():
    out = run("trace_table")
    assert "y = f(2, 5)      = 11.652" in out
    assert "(dy/dx1, dy/dx2) = (5.5, 1.716)" in out
    # the notes' adjoint column
    for line in ["bv3 = -bv5", "bx2 = bv3 * np.cos(x2)", "bx1 = bx1 + bv1 / x1"]:
        assert line in out
    for value in ["10.693", "-0.284", "5.000", "1.716", "5.500"]:
        assert value in out


def test_shared_value_script():
    out = run("shared_value")
    assert "ba = ba + bb * 5" in out  # the two contributions to dL/da add up
    assert "at x = 2: L = -80, dL/dx = -160" in out


def test_logistic_regression_script():
    out = run("logistic_regression")
    assert "def dnll_dw_dw0(w, w0, X, y, bL=1.0):" in out
    assert out.count("  yes") == 2 and " NO" not in out  # check_grad rows
    losses = numbers_after("NLL", out)
    assert len(losses) == 6
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    assert losses[-1] < losses[0] / 5
    accuracy = numbers_after("final accuracy", out)
    assert accuracy and accuracy[0] >= 0.9


def test_xor_mlp_script():
    out = run("xor_mlp")
    assert re.search(r"transform of loss \(first call of the gradient\): \d+\.\d ms", out)
    assert "def dloss_dW1_db1_dW2_db2(W1, b1, W2, b2, X, y, bL=1.0):" in out
    losses = numbers_after("loss", out)
    assert len(losses) == 5
    assert all(b < a for a, b in zip(losses, losses[1:])), losses
    assert losses[-1] < 0.05
    assert "predictions: [0, 1, 1, 0]" in out


# ----------------------------------------------------------------------------- in process


def test_gaussian_nll_gradient_matches_closed_form():
    ex = load("gaussian_nll")
    dnll = s2sad.grad(ex.nll, wrt=("m", "s"))
    for x, m, s in [(1.5, 0.5, 2.0), (-0.3, 1.2, 0.7), (4.0, -2.0, 3.5)]:
        np.testing.assert_allclose(dnll(x, m, s), ex.closed_form(x, m, s), rtol=1e-12)
    np.testing.assert_allclose(dnll(1.5, 0.5, 2.0), (-0.25, 0.375), rtol=1e-12)
    assert ex.main() is not None


def test_gaussian_nll_trace_is_the_notes_code():
    ex = load("gaussian_nll")
    lines = [line.strip() for line in s2sad.ssa(ex.nll).splitlines()[1:-1]]
    assert lines == ["t0 = x - m", "t1 = t0 / s", "t2 = np.log(s)", "t3 = t1 ** 2",
                     "t4 = t2 + np.log(2 * np.pi) / 2", "t5 = t3 / 2", "c = t4 + t5"]


def test_trace_table_value_and_gradient():
    ex = load("trace_table")
    value, grads = s2sad.value_and_grad(ex.f, wrt=("x1", "x2"))(2.0, 5.0)
    np.testing.assert_allclose(value, np.log(2) + 10 - np.sin(5), rtol=1e-12)
    np.testing.assert_allclose(value, 11.652, atol=5e-4)
    np.testing.assert_allclose(grads, (0.5 + 5, 2 - np.cos(5)), rtol=1e-12)
    np.testing.assert_allclose(grads, (5.5, 1.716), atol=5e-4)
    for x1, x2 in [(0.5, -1.0), (3.0, 0.25)]:
        got = s2sad.grad(ex.f, wrt=("x1", "x2"))(x1, x2)
        np.testing.assert_allclose(got, (1 / x1 + x2, x1 - np.cos(x2)), rtol=1e-12)


def test_trace_table_main_returns_rounded_numbers(capsys):
    value, (dx1, dx2) = load("trace_table").main()
    assert (round(value, 3), round(dx1, 3), round(dx2, 3)) == (11.652, 5.5, 1.716)
    assert "-0.284" in capsys.readouterr().out


def test_shared_value_gradient():
    ex = load("shared_value")
    np.testing.assert_allclose(s2sad.grad(ex.loss)(2.0), -160.0)
    np.testing.assert_allclose(s2sad.value_and_grad(ex.loss)(2.0), (-80.0, -160.0))
    xs = np.array([-1.5, 0.3, 2.0, 3.0])
    for x in xs:  # L = -5 x**4
        np.testing.assert_allclose(s2sad.grad(ex.loss)(float(x)), -20 * x ** 3, rtol=1e-12)


def test_logistic_regression_gradient_matches_formula():
    ex = load("logistic_regression")
    X, y = ex.make_data()
    rng = np.random.default_rng(3)
    w, w0 = rng.normal(size=2), 0.4
    dw, dw0 = s2sad.grad(ex.nll, wrt=("w", "w0"))(w, w0, X, y)
    sign = 2 * y - 1
    r = -sign * (1 - sigmoid(sign * (X @ w + w0)))  # dNLL/dz_i
    np.testing.assert_allclose(dw, X.T @ r, rtol=1e-10)
    np.testing.assert_allclose(dw0, r.sum(), rtol=1e-10)
    assert s2sad.check_grad(ex.nll, w, w0, X, y, wrt=("w", "w0")).ok


def test_logistic_regression_training(capsys):
    losses, acc = load("logistic_regression").main()
    assert len(losses) == 101
    assert all(b <= a for a, b in zip(losses, losses[1:]))
    assert acc >= 0.9


def backprop(W1, b1, W2, b2, X, y):
    """The notes' backward pass for the two-layer network, written by hand."""
    H = np.tanh(X @ W1 + b1)
    p = sigmoid(H @ W2 + b2)
    dz2 = (p - y) / y.size  # sigmoid + mean cross-entropy
    dH = dz2 @ W2.T
    dz1 = dH * (1 - H ** 2)
    return X.T @ dz1, dz1.sum(axis=0), H.T @ dz2, dz2.sum(axis=0)


def test_xor_mlp_gradient_matches_hand_backprop():
    ex = load("xor_mlp")
    params = ex.init_params(seed=7, hidden=4)
    got = s2sad.grad(ex.loss, wrt=("W1", "b1", "W2", "b2"))(*params, ex.X, ex.Y)
    want = backprop(*params, ex.X, ex.Y)
    assert len(got) == 4
    for g, w, p in zip(got, want, params):
        assert np.shape(g) == np.shape(p)
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-14)
    assert s2sad.check_grad(ex.loss, *params, ex.X, ex.Y, wrt=("W1", "b1", "W2", "b2")).ok


def test_xor_mlp_training(capsys):
    losses, p = load("xor_mlp").main()
    assert losses[-1] < losses[0] / 10
    np.testing.assert_array_equal(np.round(p), [0, 1, 1, 0])
    assert "predictions: [0, 1, 1, 0]" in capsys.readouterr().out


def test_rnn_script_trains_with_a_loop_gradient():
    out = run("rnn")
    assert "for i in range(min(len(xs), len(ys))):" in out  # the loop stays a loop
    assert "in reversed(tape):" in out
    losses = numbers_after("loss", out)
    assert len(losses) >= 5 and losses[-1] < losses[0] / 10


def test_rnn_gradient_matches_hand_bptt():
    ex = load("rnn")
    xs, ys = ex.make_data(steps=12)
    rng = np.random.default_rng(3)
    W_i, W_h, w_o = rng.normal(size=(5, 1)), rng.normal(size=(5, 5)) * 0.4, rng.normal(size=5)
    hs, h = [np.zeros(5)], np.zeros(5)
    for x in xs:
        h = np.tanh(W_i @ x + W_h @ h)
        hs.append(h)
    gi, gh, go, bh = np.zeros_like(W_i), np.zeros_like(W_h), np.zeros_like(w_o), np.zeros(5)
    for t in reversed(range(len(xs))):
        err = 2 * (w_o @ hs[t + 1] - ys[t])
        go += err * hs[t + 1]
        bz = (bh + err * w_o) * (1 - hs[t + 1] ** 2)
        gi += np.outer(bz, xs[t])
        gh += np.outer(bz, hs[t])
        bh = W_h.T @ bz
    got = s2sad.grad(ex.loss, wrt=(0, 1, 2))(W_i, W_h, w_o, xs, ys)
    for g, w in zip(got, (gi, gh, go)):
        np.testing.assert_allclose(g, w, rtol=1e-9, atol=1e-12)


def test_newton_logistic_script():
    out = run("newton_logistic")
    for check in ("H - X^T D X", "H - differences of grad", "hvp(v) - H @ v"):
        error = float(re.search(re.escape(check) + r"\|\s+= (\S+)", out).group(1))
        assert error < 1e-6, check
    assert "step 8   NLL   6.56042" in out


def test_newton_logistic_hessian_is_xtdx():
    module = load("newton_logistic")
    X, y = module.make_data(n=20, seed=3)
    w = np.array([0.5, -0.4, 0.2])
    H = s2sad.hessian(module.nll)(w, X, y)
    np.testing.assert_allclose(H, module.closed_form_hessian(w, X), rtol=1e-10, atol=1e-12)

"""The public API: wrt forms, modes, shapes and dtypes, caching, namespaces, debugging."""

import inspect
import traceback

import numpy as np
import pytest

import s2sad

from . import aliases
from . import canonical as c

RNG = np.random.default_rng(0)


def test_trace_table_of_the_notes():
    value, (d1, d2) = s2sad.value_and_grad(c.trace, wrt=(0, 1))(2.0, 5.0)
    assert round(float(value), 3) == 11.652
    assert d1 == pytest.approx(5.5)
    assert d2 == pytest.approx(5.0 * 0 + 2.0 - np.cos(5.0))
    assert round(float(d2), 3) == 1.716


def test_shared_value_example_of_the_notes():
    assert s2sad.grad(c.shared)(2.0) == pytest.approx(-160.0)


def test_nll_gradient_matches_closed_form():
    x, m, s = 1.5, 0.5, 2.0
    dm, ds = s2sad.grad(c.nll, wrt=("m", "s"))(x, m, s)
    assert dm == pytest.approx(-(x - m) / s ** 2)
    assert ds == pytest.approx(1 / s - (x - m) ** 2 / s ** 3)


@pytest.mark.parametrize("wrt, expected", [(None, "x1"), (0, "x1"), (1, "x2"), ("x2", "x2"),
                                           (-1, "x2")])
def test_single_wrt_gives_one_gradient(wrt, expected):
    g = s2sad.grad(c.trace, wrt=wrt)(2.0, 5.0)
    full = {"x1": 5.5, "x2": 2.0 - np.cos(5.0)}
    assert np.ndim(g) == 0 and g == pytest.approx(full[expected])


def test_tuple_wrt_gives_tuple_in_that_order():
    g = s2sad.grad(c.trace, wrt=("x2", 0))(2.0, 5.0)
    assert isinstance(g, tuple) and len(g) == 2
    assert g[0] == pytest.approx(2.0 - np.cos(5.0)) and g[1] == pytest.approx(5.5)
    (only,) = s2sad.grad(c.trace, wrt=(0,))(2.0, 5.0)
    assert only == pytest.approx(5.5)
    numeric = s2sad.numeric_grad(c.trace, (2.0, 5.0), ("x2", 0))
    assert numeric == pytest.approx((2.0 - np.cos(5.0), 5.5))


def test_decorator_forms():
    @s2sad.grad
    def f(x, y):
        return x * y + x

    @s2sad.grad(wrt="y")
    def g(x, y):
        return x * y + x

    assert f(2.0, 3.0) == pytest.approx(4.0)
    assert g(2.0, 3.0) == pytest.approx(2.0)
    assert f.__name__ == "f" and "def df_dx" in f.source


def test_vjp_pullback_of_a_vector_function():
    def f(x, y):
        return np.sin(x) * y

    x, y, v = RNG.normal(size=4), RNG.normal(size=4), RNG.normal(size=4)
    value, pullback = s2sad.vjp(f, wrt=(0, 1))(x, y)
    np.testing.assert_allclose(value, np.sin(x) * y)
    bx, by = pullback(v)
    np.testing.assert_allclose(bx, v * np.cos(x) * y)
    np.testing.assert_allclose(by, v * np.sin(x))


def test_gradients_have_the_shape_of_their_argument():
    W1, b1 = RNG.normal(size=(3, 5)), RNG.normal(size=5)
    W2, b2 = RNG.normal(size=(5, 2)), RNG.normal(size=2)
    X, y = RNG.normal(size=(7, 3)), RNG.normal(size=(7, 2))
    grads = s2sad.grad(c.mlp_loss, wrt=(0, 1, 2, 3))(W1, b1, W2, b2, X, y)
    for g, p in zip(grads, (W1, b1, W2, b2)):
        assert g.shape == p.shape and g.dtype == np.float64
    s2sad.check_grad(c.mlp_loss, W1, b1, W2, b2, X, y, wrt=(0, 1, 2, 3))


def test_float_argument_gives_float_gradient():
    g = s2sad.grad(c.scalar_math)(0.3, 1.7)
    assert isinstance(g, float)
    s2sad.check_grad(c.scalar_math, 0.3, 1.7, wrt=(0, 1))


def test_float32_stays_float32():
    x = np.linspace(0.5, 1.5, 4, dtype=np.float32)

    def f(x):
        return np.sum(np.tanh(x) * 2.0)

    assert s2sad.grad(f)(x).dtype == np.float32


def test_arguments_are_not_mutated():
    W1, b1 = RNG.normal(size=(3, 5)), RNG.normal(size=5)
    W2, b2 = RNG.normal(size=(5, 2)), RNG.normal(size=2)
    X, y = RNG.normal(size=(7, 3)), RNG.normal(size=(7, 2))
    args = [W1, b1, W2, b2, X, y]
    copies = [a.copy() for a in args]
    s2sad.grad(c.mlp_loss, wrt=(0, 1, 2, 3))(*args)
    for a, b in zip(args, copies):
        np.testing.assert_array_equal(a, b)


def test_aliases_and_module_constants_resolve():
    x = RNG.uniform(0.1, 1.0, size=5)
    g = s2sad.grad(aliases.with_aliases)(x)
    expected = np.exp(x) * np.sin(x) + np.exp(x) * np.cos(x) + np.pi * aliases.SCALE
    np.testing.assert_allclose(g, expected)
    assert "onp.sum" in s2sad.source(aliases.with_aliases)


def test_closures_resolve():
    f = aliases.make_closure(4.0)
    x = RNG.normal(size=3)
    np.testing.assert_allclose(s2sad.grad(f)(x), 8.0 * x)


def test_generated_code_reads_live_module_globals(monkeypatch):
    df = s2sad.grad(aliases.uses_global)
    assert df(2.0) == pytest.approx(12.0)
    monkeypatch.setattr(aliases, "SCALE", 5.0)
    assert df(2.0) == pytest.approx(20.0)


def test_transform_is_cached_and_redefinition_invalidates():
    def f(x):
        return x * x

    assert s2sad.grad(f).function is s2sad.grad(f).function

    def f(x):  # noqa: F811 - a redefinition is the point
        return x * x * x

    assert s2sad.grad(f)(2.0) == pytest.approx(12.0)


def test_repeated_calls_still_check_what_changed_between_them():
    """A call like an earlier one skips the checks: one with other dtypes or kinds must not."""
    def f(x, y):
        return np.sum(x * y)

    df = s2sad.grad(f)
    y = np.arange(3.0)
    for _ in range(2):
        np.testing.assert_array_equal(df(np.ones(3), y), y)
    with pytest.raises(s2sad.errors.WrtError, match="integers"):
        df(np.ones(3, dtype=int), y)
    np.testing.assert_array_equal(df(np.ones(3, dtype=np.float32), y), y)
    np.testing.assert_array_equal(df([1.0, 2.0, 3.0], y), y)
    np.testing.assert_array_equal(df(np.ones(3), y), y)
    assert df(np.ones(4), np.ones(4)).shape == (4,)


def test_parameter_with_no_influence_gets_zero_gradient():
    def f(x, y):
        return x * 2.0

    gx, gy = s2sad.grad(f, wrt=(0, 1))(1.0, np.ones(3))
    assert gx == 2.0
    np.testing.assert_array_equal(gy, np.zeros(3))


def test_returning_a_parameter_and_augmented_assignment():
    def ident(x):
        return x

    def aug(x):
        y = x * 1.0
        y += x
        y *= x
        return y

    assert s2sad.grad(ident)(3.0) == 1.0
    assert s2sad.grad(aug)(3.0) == pytest.approx(12.0)
    assert "y_1 = y + x" in s2sad.ssa(aug) and "y_2 = y_1 * x" in s2sad.ssa(aug)


def test_defaults_and_keyword_arguments():
    def f(x, scale=3.0):
        return scale * x * x

    df = s2sad.grad(f)
    assert df(2.0) == pytest.approx(12.0)
    assert df(2.0, scale=1.0) == pytest.approx(4.0)
    assert df(x=2.0) == pytest.approx(12.0)
    assert "def df_dx(x, scale=3.0, bt1=1.0):" in df.source


def test_side_effect_statements_are_kept(capsys):
    def f(x):
        print("evaluating")
        return x * 2.0

    assert s2sad.grad(f)(1.0) == 2.0
    assert capsys.readouterr().out == "evaluating\n"


def test_subscripts_read():
    w = RNG.normal(size=(4, 5))

    def f(x):
        a = x[1:3, ::2].sum() * x[0, 1]
        b = x[np.array([0, 0, 2])] * x[x > 0.0].sum()
        return a + np.sum(b * w[:3]) + np.sum(x[..., None][:, 1, 0])

    s2sad.check_grad(f, RNG.normal(size=(4, 5)))


def test_stop_gradient_and_custom_rule():
    def softplus(x):
        return np.log1p(np.exp(x))

    @s2sad.rule(softplus, elementwise=True)
    def softplus_rule(g, ans, x):
        return g / (1.0 + np.exp(-x))

    def f(x, y):
        return np.sum(softplus(x) * s2sad.stop_gradient(x * y))

    x, y = RNG.normal(size=4), RNG.normal(size=4)
    expected = 1 / (1 + np.exp(-x)) * x * y
    np.testing.assert_allclose(s2sad.grad(f)(x, y), expected)
    assert "bt0 / (1.0 + np.exp(-x))" in s2sad.source(f)


def test_no_optimize_shows_the_raw_rule_bodies():
    raw = s2sad.source(c.shared, optimize=False)
    assert "x ** (2 - 1)" in raw
    assert "x ** (2 - 1)" not in s2sad.source(c.shared)
    assert s2sad.grad(c.shared, optimize=False)(2.0) == pytest.approx(-160.0)


def test_generated_source_is_visible_to_inspect_and_tracebacks():
    df = s2sad.grad(c.nll, wrt="s")
    assert "bt1 = bt3 * 2 * t1" in inspect.getsource(df.function)

    def f(x):
        return np.sum(np.log(x))

    with pytest.raises(s2sad.errors.NonScalarOutputError) as info:
        s2sad.grad(lambda_free_vec)(np.ones(3))
    frames = traceback.extract_tb(info.value.__traceback__)
    assert any(fr.filename.startswith("<s2sad") and "require_scalar" in fr.line
               for fr in frames)
    assert s2sad.grad(f)(np.ones(2)).tolist() == [1.0, 1.0]


def lambda_free_vec(x):
    return x * 2.0


def _module(tmp_path, name: str, source: str):
    """A module of this source, imported from a file (so that s2sad can read it)."""
    import importlib.util

    path = tmp_path / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_redefining_a_function_the_differentiated_one_calls(tmp_path):
    """The derivative calls the helper's own derivative: rebinding the helper's name (a
    notebook cell run again) must not leave the gradient of the old helper."""
    mod = _module(tmp_path, "calls_helpers", (
        "import numpy as np\n\n"
        "def inner(x):\n    return x * x\n\n"
        "def helper(x):\n    return inner(x) + 0.0\n\n"
        "def loss(x):\n    return np.sum(helper(x))\n"))
    new = _module(tmp_path, "new_helpers", (
        "def inner(x):\n    return 3.0 * x\n\n"
        "def helper(x):\n    return 5.0 * x\n"))
    x = np.array([1.0, 2.0])
    df = s2sad.grad(mod.loss)
    np.testing.assert_array_equal(df(x), [2.0, 4.0])
    np.testing.assert_array_equal(df.function(x), [2.0, 4.0])
    mod.inner = new.inner  # a function the helper calls: the specialized version sees it
    np.testing.assert_array_equal(df(x), [3.0, 3.0])
    mod.helper = new.helper
    np.testing.assert_array_equal(df(x), [5.0, 5.0])
    np.testing.assert_array_equal(df(x), [5.0, 5.0])  # (the quick path)
    np.testing.assert_array_equal(df.function(x), [5.0, 5.0])
    np.testing.assert_array_equal(s2sad.grad(mod.loss)(x), [5.0, 5.0])

"""An operation written twice is computed once (``s2sad.common``): the generated code shows
it, and the gradients stay right where sharing would be wrong (loops that change an
operand, branches, loops that may not run, random draws)."""

import numpy as np
import pytest

import s2sad

from .test_optimize import check

rng = np.random.default_rng(3)


def code(source: str) -> str:
    """The statements of generated source, without the comments."""
    return "\n".join(line.split("#")[0].rstrip() for line in source.splitlines())


def twice(x, y):
    E = x - y
    a = np.sum(E * E)
    b = np.log(1.0 + E * E)
    z = np.sin(x)
    w = np.sin(x)
    return a + np.sum(b) + np.sum(z * w)


def test_a_repeated_operation_is_computed_once():
    source = code(s2sad.grad(twice).source)
    assert source.count("E * E") == 1 and "t2 = 1.0 + t0" in source, source
    assert "w = z" in source and source.count("np.sin(x)") == 1  # your names stay
    assert "bt0 = bt2 + ba" in source  # the two uses' adjoints add up first
    raw = code(s2sad.grad(twice, optimize=False).source)
    assert raw.count("E * E") == 2
    check(twice, (rng.normal(size=3), rng.normal(size=3)), ("x", "y"))


def changed_in_loop(x, n):
    a = np.sin(x)
    for _ in range(n):
        b = np.sin(x)  # x changes from one iteration to the next: not a
        x = x * b + a
    c = np.sin(x)  # nor after the loop
    return np.sum(a * c + x)


def computed_in_loop(x, n):
    total = 0.0
    for _ in range(n):
        a = x * x
        total = total + np.sum(a)
    b = x * x  # the loop may not run: not a
    return np.sum(b) + total


def in_branch(x, c):
    y = x * x if c > 0 else x + 1.0
    z = x * x  # the branch may not have run: not its value
    return np.sum(y * z)


@pytest.mark.parametrize("f, args, wrt", [
    (changed_in_loop, (np.array([0.3, -0.7]), 3), ("x",)),
    (changed_in_loop, (np.array([0.3, -0.7]), 0), ("x",)),
    (computed_in_loop, (np.array([0.3, -0.7]), 0), ("x",)),
    (computed_in_loop, (np.array([0.3, -0.7]), 2), ("x",)),
    (in_branch, (np.array([0.3, -0.7]), 1.0), ("x",)),
    (in_branch, (np.array([0.3, -0.7]), -1.0), ("x",)),
])
def test_no_sharing_where_the_earlier_value_may_differ(f, args, wrt):
    check(f, args, wrt)


def test_a_loop_s_changing_value_is_not_shared():
    source = code(s2sad.grad(changed_in_loop, wrt="x").source)
    for line in ("    a = np.sin(x)", "        b = np.sin(x_1)", "    c = np.sin(x_1)"):
        assert line + "\n" in source, source


def draws(x):
    return np.sum(x * (np.random.uniform(size=3) - np.random.uniform(size=3)))


def test_random_draws_are_not_shared():
    np.random.seed(0)
    g = s2sad.grad(draws)(np.ones(3))
    np.random.seed(0)
    want = np.random.uniform(size=3) - np.random.uniform(size=3)
    np.testing.assert_allclose(g, want)
    assert np.any(g != 0)


def test_forward_mode_through_shared_operations():
    x, y, v = rng.normal(size=3), rng.normal(size=3), rng.normal(size=3)
    _, tangent = s2sad.jvp(twice, wrt=0)(x, y, v)
    np.testing.assert_allclose(tangent, s2sad.grad(twice)(x, y) @ v, rtol=1e-10)
    assert "w = z" in code(s2sad.source(twice, mode="forward"))

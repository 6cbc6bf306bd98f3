"""Forward mode: the tangent code reads like the notes' forward trace, and on every rule
case and every control-flow corpus function the forward derivative agrees with reverse
mode (jvp(f)(x, v) == <grad f(x), v> for random tangents v) and, on every rule case, with
central differences along v."""

import numpy as np
import pytest

import s2sad
from s2sad.rules import REVERSE, TANGENT

from . import canonical
from . import test_control_flow as corpus
from .test_rules import _builtin_rule_keys, _key_name, all_cases

RNG = np.random.default_rng(7)


def _random_like(x):
    if isinstance(x, float):
        return float(RNG.normal())
    return RNG.normal(size=np.shape(x))


def _plain(x) -> bool:
    return isinstance(x, (float, np.ndarray)) and not isinstance(x, bool)


def assert_forward_matches_reverse(func, args, positions, names):
    """jvp along random tangents equals the gradient's inner product with them."""
    grads = s2sad.grad(func, wrt=tuple(names))(*args)
    tangents = [_random_like(args[p]) for p in positions]
    value, tangent = s2sad.jvp(func, wrt=tuple(names))(*args, *tangents)
    np.testing.assert_allclose(value, func(*args), rtol=1e-12, atol=1e-12)
    expected = sum(float(np.sum(np.asarray(g) * t)) for g, t in zip(grads, tangents))
    np.testing.assert_allclose(tangent, expected, rtol=1e-8, atol=1e-10)
    return tangents


def test_forward_trace_of_the_notes():
    value, tangent = s2sad.jvp(canonical.trace, wrt=(0, 1))(2.0, 5.0, 1.0, 0.0)
    assert round(float(value), 3) == 11.652 and tangent == pytest.approx(5.5)
    _, tangent = s2sad.jvp(canonical.trace, wrt=(0, 1))(2.0, 5.0, 0.0, 1.0)
    assert round(float(tangent), 3) == 1.716
    source = s2sad.source(canonical.trace, wrt=(0, 1), mode="forward")
    assert "    t0 = np.log(x1)\n    dt0 = dx1 / x1\n" in source
    assert "dt1 = dx1 * x2 + dx2 * x1" in source and "return t4, dt4" in source


def test_single_wrt_and_default_tangent():
    _, tangent = s2sad.jvp(canonical.shared)(2.0)  # tangent defaults to 1.0
    assert tangent == pytest.approx(-160.0)
    _, tangent = s2sad.jvp(canonical.nll, wrt="s")(1.5, 0.5, 2.0, 2.0)
    assert tangent == pytest.approx(2.0 * (1 / 2.0 - 1.0 ** 2 / 2.0 ** 3))


RULE_CASES = [c for c in all_cases() if all(_plain(c.args[p]) for p in c.wrt)]


def test_every_reverse_rule_has_a_tangent():
    """Forward mode covers every operation reverse mode does: each rule is elementwise,
    (multi)linear, or has a registered tangent."""
    missing = sorted(_key_name(key) for key in _builtin_rule_keys()
                     if not (REVERSE[key].elementwise or REVERSE[key].linear
                             or REVERSE[key].multilinear or key in TANGENT))
    assert not missing, f"reverse rules without a tangent: {', '.join(missing)}"


def test_rule_cases_cover_nearly_every_case():
    assert len(RULE_CASES) > 0.95 * len(all_cases())


def test_generated_tangents_read_like_hand_derivations():
    def inverse(a):
        return np.sum(np.linalg.inv(a))

    def determinant(a):
        return np.linalg.det(a)

    assert "dt0 = -(t0 @ da @ t0)" in s2sad.source(inverse, mode="forward")
    assert "dt0 = t0 * np.trace(np.linalg.solve(a, da), axis1=-2, axis2=-1)" in s2sad.source(
        determinant, mode="forward")
    a = np.array([[2.0, 0.5], [0.3, 1.5]])
    v = np.array([[0.1, -0.2], [0.4, 0.3]])
    _, tangent = s2sad.jvp(determinant)(a, v)
    assert tangent == pytest.approx(np.linalg.det(a) * np.trace(np.linalg.solve(a, v)))


def test_a_custom_rule_with_a_tangent():
    def cube(x):
        return x ** 3

    def cube_tangent(ans, x, dx):
        return 3.0 * x * x * dx

    @s2sad.rule(cube, tangent=cube_tangent)
    def cube_rule(g, ans, x):
        return 3.0 * g * x * x

    def f(x):
        return np.sum(cube(x))

    try:
        x, v = np.array([1.0, -2.0]), np.array([0.5, 2.0])
        _, tangent = s2sad.jvp(f)(x, v)
        assert tangent == pytest.approx(3 * (1.0 * 0.5 + 4.0 * 2.0))
        assert "dt0 = 3.0 * x * x * dx" in s2sad.source(f, mode="forward")
        np.testing.assert_allclose(s2sad.hvp(f)(x, v), 6.0 * x * v)
    finally:
        REVERSE.pop(cube, None)
        TANGENT.pop(cube, None)


def test_a_tangent_that_returns_one_term_per_operand():
    def scaled(a, b):
        return a * np.exp(b)

    def scaled_tangent(ans, a, b, da, db):
        return da * np.exp(b), ans * db

    @s2sad.rule(scaled, tangent=scaled_tangent)
    def scaled_rule(g, ans, a, b):
        return g * np.exp(b), g * ans

    def f(a, b):
        return scaled(a, b)

    try:
        source = s2sad.source(f, wrt="b", mode="forward")
        assert "dt0 = t0 * db" in source and "da" not in source
        _, tangent = s2sad.jvp(f, wrt=("a", "b"))(2.0, 0.5, 1.0, 3.0)
        assert tangent == pytest.approx(np.exp(0.5) + 2.0 * np.exp(0.5) * 3.0)
    finally:
        REVERSE.pop(scaled, None)
        TANGENT.pop(scaled, None)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("case", RULE_CASES, ids=[c.id for c in RULE_CASES])
def test_forward_matches_reverse_and_differences_on_every_rule_case(case):
    params = list(case.func.__code__.co_varnames[: case.func.__code__.co_argcount])
    names = [params[p] for p in case.wrt]
    tangents = assert_forward_matches_reverse(case.func, case.args, case.wrt, names)
    _, tangent = s2sad.jvp(case.func, wrt=tuple(names))(*case.args, *tangents)
    np.testing.assert_allclose(tangent, directional_difference(case, tangents),
                               rtol=1e-5, atol=1e-6)


def directional_difference(case, tangents, step=1e-6):
    """(f(x + h v) - f(x - h v)) / 2h along the tangents ``v`` of the differentiated
    arguments, ``h`` scaled to their size."""
    scale = max([1.0] + [float(np.max(np.abs(case.args[p]))) for p in case.wrt])
    h = step * scale

    def at(sign):
        args = list(case.args)
        for p, t in zip(case.wrt, tangents):
            moved = np.asarray(args[p], dtype=float) + sign * h * np.asarray(t)
            args[p] = float(moved) if isinstance(case.args[p], float) else moved
        return float(np.asarray(case.func(*args), dtype=float))

    return (at(1.0) - at(-1.0)) / (2.0 * h)


CORPUS = [(c, label) for c in corpus.CASES if not c.bugs for label in c.inputs
          if all(_plain(corpus.fresh(c, label)[p]) for p in corpus.wrt_positions(c))]


@pytest.mark.parametrize("c, label", CORPUS, ids=[f"{c.name}-{lb}" for c, lb in CORPUS])
def test_forward_matches_reverse_on_the_control_flow_corpus(c, label):
    args = corpus.fresh(c, label)
    positions = corpus.wrt_positions(c)
    assert_forward_matches_reverse(c.func, args, positions, corpus.wrt_names(c))


WEIGHTS = np.array([0.3, -1.2, 2.0, 0.7, 1.1, -0.4])


def append_literal(x): return np.sum(WEIGHTS[:4] * np.append(x, 2.0))
def diff_literal_ends(x): return np.sum(WEIGHTS[:4] * np.diff(x, prepend=2.0, append=-1.0))
def concatenate_literal(x): return np.sum(WEIGHTS[:4] * np.concatenate([x, [5.0]]))
def pad_literal(x): return np.sum(WEIGHTS[:5] * np.pad(x, 1, constant_values=3.0))


@pytest.mark.parametrize("func", [append_literal, diff_literal_ends, concatenate_literal,
                                  pad_literal])
def test_a_literal_operand_of_a_linear_operation_has_a_zero_tangent(func):
    """``np.append(x, 2.0)``: the tangent is ``np.append(dx, 0.0)``, not ``..., 2.0)``."""
    x, v = np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, -0.5])
    _, tangent = s2sad.jvp(func)(x, v)
    step = 1e-6
    expected = (func(x + step * v) - func(x - step * v)) / (2 * step)
    np.testing.assert_allclose(tangent, expected, rtol=1e-7, atol=1e-9)
    assert_forward_matches_reverse(func, (x,), [0], ["x"])

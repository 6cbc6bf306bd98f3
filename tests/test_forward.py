"""Forward mode: the tangent code reads like the notes' forward trace, and on every rule
case and every control-flow corpus function the forward derivative agrees with reverse
mode: jvp(f)(x, v) == <grad f(x), v> for random tangents v."""

import numpy as np
import pytest

import s2sad
from s2sad.rules import REVERSE

from . import canonical
from . import test_control_flow as corpus
from .test_rules import all_cases

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


def _has_tangent(key) -> bool:
    """Forward mode derives tangents from elementwise, linear and multilinear rules; the
    other rules (linear algebra, max/min, var/std, ...) are reverse-mode only for now."""
    rule = REVERSE[key]
    return rule.elementwise or rule.linear or rule.multilinear


RULE_CASES = [c for c in all_cases() if all(_plain(c.args[p]) for p in c.wrt)
              and all(_has_tangent(k) for k in c.keys if k in REVERSE)]


def test_reverse_only_rules_say_so_in_forward_mode():
    def f(x):
        return np.max(x)

    with pytest.raises(s2sad.errors.NoRuleError, match="no forward-mode"):
        s2sad.jvp(f)(np.array([1.0, 2.0]), np.ones(2))


@pytest.mark.parametrize("case", RULE_CASES, ids=[c.id for c in RULE_CASES])
def test_forward_matches_reverse_on_every_rule_case(case):
    params = list(case.func.__code__.co_varnames[: case.func.__code__.co_argcount])
    names = [params[p] for p in case.wrt]
    assert_forward_matches_reverse(case.func, case.args, case.wrt, names)


CORPUS = [(c, label) for c in corpus.CASES if not c.bugs for label in c.inputs
          if all(_plain(corpus.fresh(c, label)[p]) for p in corpus.wrt_positions(c))]


@pytest.mark.parametrize("c, label", CORPUS, ids=[f"{c.name}-{lb}" for c, lb in CORPUS])
def test_forward_matches_reverse_on_the_control_flow_corpus(c, label):
    args = corpus.fresh(c, label)
    positions = corpus.wrt_positions(c)
    assert_forward_matches_reverse(c.func, args, positions, corpus.wrt_names(c))

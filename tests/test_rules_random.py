"""Random draws (s2sad/rules/random_draws.py): pathwise gradients of location-scale draws
against central differences, and the guarantee that a derivative makes each draw of the
function exactly once, in order, and never again in its adjoint.

Each case function seeds its own generator first, so that every evaluation central
differences make sees the same standard draws.
"""

from __future__ import annotations

import numpy as np
import pytest

import s2sad
from s2sad.errors import NoRuleError, UnsupportedSyntaxError
from tests.test_rules import W3, W34, Case, check_case

MU4, S31 = np.array([0.3, -1.2, 0.8, 2.0]), np.array([[0.7], [1.3], [0.4]])
LOW4, HIGH31 = np.array([-1.0, 0.2, 0.5, -0.3]), np.array([[1.5], [2.0], [3.0]])


# --- np.random module functions (the global RandomState, seeded in the function) --------
def np_normal(mu, s):
    np.random.seed(3)
    return np.sum(W34 * np.random.normal(mu, s, size=(3, 4)))


def np_laplace(mu, s):
    np.random.seed(3)
    return np.sum(W34 * np.random.laplace(mu, s, (3, 4)))


def np_gumbel(mu, s):
    np.random.seed(3)
    return np.sum(W34 * np.random.gumbel(loc=mu, scale=s, size=(3, 4)))


def np_logistic(mu, s):
    np.random.seed(3)
    return np.sum(W34 * np.random.logistic(mu, s, (3, 4)))


def np_uniform(low, high):
    np.random.seed(3)
    return np.sum(W34 * np.random.uniform(low, high, (3, 4)))


def np_exponential(s):
    np.random.seed(3)
    return np.sum(W34 * np.random.exponential(s, (3, 4)))


def np_lognormal(mu, s):
    np.random.seed(3)
    return np.sum(W34 * np.random.lognormal(mu, s, (3, 4)))


# --- Generator methods (a generator made in the function) ---------------------------------
def rng_normal(mu, s):
    rng = np.random.default_rng(5)
    return np.sum(W34 * rng.normal(mu, s, size=(3, 4)))


def rng_normal_scalar(mu, s):
    rng = np.random.default_rng(5)
    return np.sum(W3 * rng.normal(loc=mu, scale=s, size=3) ** 2)


def rng_laplace(mu, s):
    rng = np.random.default_rng(5)
    return np.sum(W34 * rng.laplace(mu, s, (3, 4)))


def rng_gumbel(mu, s):
    rng = np.random.default_rng(5)
    return np.sum(W34 * rng.gumbel(mu, s, (3, 4)))


def rng_logistic(mu, s):
    rng = np.random.default_rng(5)
    return np.sum(W34 * rng.logistic(mu, s, (3, 4)))


def rng_uniform(low, high):
    rng = np.random.default_rng(5)
    return np.sum(W34 * np.tanh(rng.uniform(low, high, (3, 4))))


def rng_exponential(s):
    rng = np.random.default_rng(5)
    return np.sum(W34 * rng.exponential(s, size=(3, 4)))


def rng_lognormal(mu, s):
    rng = np.random.default_rng(5)
    return np.sum(W34 * rng.lognormal(mean=mu, sigma=s, size=(3, 4)))


def rng_reparameterized(mu, s):
    """What the pathwise rules amount to, written by hand."""
    rng = np.random.default_rng(5)
    return np.sum(W34 * (mu + s * rng.standard_normal((3, 4))))


def method(name):
    return f"ndarray.{name}"


CASES: list = []
for _id, _func, _args, _keys in [
    ("np_normal_broadcast", np_normal, (MU4, S31), (np.random.normal,)),
    ("np_normal_float", np_normal, (0.4, 1.7), (np.random.normal,)),
    ("np_laplace", np_laplace, (MU4, 0.9), (np.random.laplace,)),
    ("np_gumbel", np_gumbel, (0.2, S31), (np.random.gumbel,)),
    ("np_logistic", np_logistic, (MU4, S31), (np.random.logistic,)),
    ("np_uniform", np_uniform, (LOW4, HIGH31), (np.random.uniform,)),
    ("np_exponential", np_exponential, (S31,), (np.random.exponential,)),
    ("np_lognormal", np_lognormal, (0.1 * MU4, 0.5 * S31), (np.random.lognormal,)),
    ("rng_normal_broadcast", rng_normal, (MU4, S31), (method("normal"),)),
    ("rng_normal_float", rng_normal_scalar, (0.4, 1.7), (method("normal"),)),
    ("rng_laplace", rng_laplace, (0.3, S31), (method("laplace"),)),
    ("rng_gumbel", rng_gumbel, (MU4, 1.1), (method("gumbel"),)),
    ("rng_logistic", rng_logistic, (MU4, S31), (method("logistic"),)),
    ("rng_uniform", rng_uniform, (LOW4, 2.5), (method("uniform"),)),
    ("rng_exponential", rng_exponential, (2.0,), (method("exponential"),)),
    ("rng_lognormal", rng_lognormal, (0.1 * MU4, 0.5), (method("lognormal"),)),
]:
    CASES.append(Case(_id, _func, _args, tuple(range(len(_args))), _keys))


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_pathwise_gradient_matches_central_differences(case):
    check_case(case)


def test_pathwise_gradient_is_the_reparameterized_one():
    args = (MU4, S31)
    expected = s2sad.grad(rng_reparameterized, wrt=(0, 1))(*args)
    for got, want in zip(s2sad.grad(rng_normal, wrt=(0, 1))(*args), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)


# --- each draw exactly once, in order ------------------------------------------------------
G = np.random.default_rng(11)


def global_generator(x, mu):
    unused = G.normal(size=2)  # nothing needs it: still drawn, so the next draw matches
    z = G.normal(mu, 2.0, size=3)
    return np.sum(G.standard_normal(3) * x) + np.sum(z * x) + 0.0 * np.sum(unused)


def global_module_state(x):
    np.random.seed(8)
    a = np.random.randn(3) * x  # a draw inside an expression the adjoint reads
    np.random.rand(4)  # a draw as a statement
    return np.sum(a * np.random.uniform(0.5, 1.5, size=3))


def test_each_draw_runs_once_per_gradient_call():
    x, mu = np.array([0.5, -1.0, 2.0]), 0.25
    start = G.bit_generator.state
    value = global_generator(x, mu)
    after_call = G.bit_generator.state
    G.bit_generator.state = start
    got_value, (gx, gmu) = s2sad.value_and_grad(global_generator, wrt=(0, 1))(x, mu)
    assert G.bit_generator.state == after_call  # as many draws as the function makes
    assert got_value == value
    replay = np.random.default_rng()
    replay.bit_generator.state = start
    replay.normal(size=2)
    z = replay.normal(mu, 2.0, size=3)
    w = replay.standard_normal(3)
    np.testing.assert_allclose(gx, w + z, rtol=1e-12)
    np.testing.assert_allclose(gmu, np.sum(x), rtol=1e-12)


def test_module_draws_match_the_function_and_finite_differences():
    x = np.array([0.5, -1.0, 2.0])
    value = global_module_state(x)
    after_call = np.random.get_state()[1].copy()
    got_value, grad = s2sad.value_and_grad(global_module_state)(x)
    assert got_value == value
    np.testing.assert_array_equal(np.random.get_state()[1], after_call)
    np.testing.assert_allclose(grad, s2sad.numeric_grad(global_module_state, (x,), "x"),
                               rtol=1e-6)


def test_generated_code_draws_once_and_reads_the_drawn_values():
    def code(source):  # primal and adjoint, without the comments that quote the primal
        halves = source.split("# adjoint")
        return ["\n".join(line.split("#")[0] for line in h.splitlines()) for h in halves]

    primal, adjoint = code(s2sad.grad(global_generator, wrt=(0, 1)).source)
    assert primal.count("G.normal(") == 2 and primal.count("G.standard_normal(") == 1
    assert "G." not in adjoint  # the adjoint reads the drawn values, never draws
    primal, adjoint = code(s2sad.grad(global_module_state).source)
    assert primal.count("np.random.randn(") == 1 and primal.count("np.random.rand(") == 1
    assert "np.random" not in adjoint


def noise():
    return np.random.standard_normal(3)


def helper_draw(x):
    np.random.seed(2)
    return np.sum(noise() * x)


def test_a_helper_that_draws_is_called_once():
    x = np.array([1.0, 2.0, 3.0])
    np.random.seed(2)
    expected = np.random.standard_normal(3)
    np.testing.assert_allclose(s2sad.grad(helper_draw)(x), expected)
    assert s2sad.grad(helper_draw).source.count("noise()") == 1


# --- constants, refusals, forward mode ---------------------------------------------------
def constant_draws(x):
    np.random.seed(1)
    rng = np.random.default_rng(4)
    k = rng.integers(0, 3, size=2)
    p = rng.permutation(3)
    c = rng.choice(3, size=2)
    u = rng.random(3) + np.random.rand(3) + rng.standard_normal(3)
    return np.sum(x[k]) + np.sum(x[p] * u) + np.sum(x[c] ** 2)


def test_draws_of_indexes_and_standard_draws_are_constants():
    x = np.array([0.3, -0.7, 1.1])
    got = s2sad.grad(constant_draws)(x)
    np.testing.assert_allclose(got, s2sad.numeric_grad(constant_draws, (x,), "x"), rtol=1e-6)


def shuffles_argument(x):
    np.random.shuffle(x)
    return np.sum(x * np.arange(3.0))


def shuffles_with_generator(x):
    rng = np.random.default_rng(0)
    rng.shuffle(x)
    return np.sum(x * np.arange(3.0))


def shuffled_result(x):
    y = np.random.shuffle(x)
    return y


def chooses_from_argument(x):
    rng = np.random.default_rng(0)
    return np.sum(rng.choice(x, size=2))


@pytest.mark.parametrize("func", [shuffles_argument, shuffles_with_generator, shuffled_result])
def test_shuffle_is_refused_where_it_is_written(func):
    with pytest.raises(UnsupportedSyntaxError, match="shuffling an array in place") as info:
        s2sad.grad(func)(np.ones(3))
    assert "shuffle(x)" in str(info.value) and "permutation" in str(info.value)


def test_choice_from_a_differentiated_array_has_no_rule():
    with pytest.raises(NoRuleError, match="no derivative rule for rng.choice"):
        s2sad.grad(chooses_from_argument)(np.ones(3))


def test_forward_mode_through_constant_draws():
    x, v = np.array([0.5, -1.0, 2.0]), np.array([1.0, 0.5, -2.0])
    _, tangent = s2sad.jvp(global_module_state)(x, v)
    np.testing.assert_allclose(tangent, np.dot(s2sad.grad(global_module_state)(x), v),
                               rtol=1e-12)


def test_draws_are_listed_by_the_rules_command(capsys):
    from s2sad.cli import main

    main(["rules"])
    out = capsys.readouterr().out
    assert "np.random.normal" in out and "rng.normal()" in out and "np.random.randn" in out


# --- methods of module-level values ------------------------------------------------------
A23 = np.arange(6.0).reshape(2, 3) - 2.5


def global_array_method(x):
    return np.sum(W3[:2] * A23.dot(x))


def test_methods_of_module_level_arrays_use_the_array_method_rules():
    """``A.dot(x)`` with a module-level ``A`` is keyed ``ndarray.dot`` (receiver ``A``), as
    ``G.normal(mu)`` with a module-level generator is keyed ``ndarray.normal``."""
    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(s2sad.grad(global_array_method)(x), A23.T @ W3[:2],
                               rtol=1e-12)

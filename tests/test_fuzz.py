"""Property-based program fuzzer: random programs, differentiated and checked.

``tests/fuzz_programs.py`` generates modules (with ``hypothesis``) from the grammar s2sad
supports: arithmetic (``+ - * / **`` with safe exponents, unary minus), NumPy and ``math``
calls that have a rule in ``s2sad.rules.registry.REVERSE`` (elementwise functions with
arguments kept in their domain, binary functions such as ``np.maximum``, ``np.arctan2``,
``np.where``; reductions with ``axis`` and ``keepdims``; ``@``, ``np.dot``, ``.dot``,
``np.outer``; transposes, reshapes, ``np.stack``, ``np.concatenate``, slices, flips,
``np.cumsum``, ``np.sort``, ``np.clip``), ``if``/``elif``/``else`` and ``a if c else b`` on
data (``and``/``or``/``not``), ``for`` over ``range``, arrays, ``enumerate``, ``zip``,
``reversed`` and lists, ``while`` with a counter, ``break``, ``continue``, ``return`` in
branches and loops, subscript reads and writes (``y[i] = v``, ``y[:, j] += v``), augmented
assignment, tuple unpacking and swaps, lists (literals, ``append``, ``xs[0]``, ``sum``,
``np.stack``), and calls to helper functions of the same module. Parameters are Python
floats, vectors and 2x3 matrices (and maybe an integer ``n`` used as a loop bound); the
entry function ``f`` returns a scalar.

Each program is written to a module file in a temporary directory, imported, and checked
at a random point (every program is defined on all of R^n):

- ``value_and_grad`` returns ``f(*args)``, and gradients of the arguments' shapes that agree
  with central finite differences; points where finite differences are unreliable (a kink
  or a jump of a branch, ``abs``, ``max``, ... within reach of the steps, found by comparing
  the one-sided differences from the left and the right) are skipped with ``assume``;
- ``vjp``'s pullback of a random cotangent is that multiple of the gradient, and
  ``<vjp(ybar), xdot> == <ybar, jvp(xdot)>`` for a random tangent ``xdot``;
- no transform modifies its arguments (nor the cotangent or the tangents).

``KNOWN_BUGS`` in ``tests/test_fuzz_regressions.py`` lists the bugs found so far; the
generator avoids the construct of each whose check still fails (asked once, at import).

The normal test run checks a fixed set of programs (``derandomize``). A longer run, with
the number of programs and a seed (each seed gives other programs)::

    S2SAD_FUZZ_EXAMPLES=5000 S2SAD_FUZZ_SEED=1 pytest tests/test_fuzz.py -x

Hypothesis does not shrink failing programs (shrinking takes minutes); set
``S2SAD_FUZZ_SHRINK=1`` to let it. On a failure the message shows the program source, the
arguments and ``wrt``: save the source to a file and reduce it by hand.
``python -m tests.fuzz_programs SEED`` prints a program.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import itertools
import os
import sys
import tempfile
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, assume, given, note, seed, settings
from hypothesis import strategies as st

import s2sad
from s2sad.errors import NoRuleError, UnsupportedSyntaxError

from .fuzz_programs import Program, generate
from .test_fuzz_regressions import KNOWN_BUGS, still_fails

EXAMPLES = int(os.environ.get("S2SAD_FUZZ_EXAMPLES", "150"))
SEED = os.environ.get("S2SAD_FUZZ_SEED")
SHRINK = os.environ.get("S2SAD_FUZZ_SHRINK") == "1"  # slow: minutes per failure
OPEN_BUGS = frozenset(name for name, check in KNOWN_BUGS.items() if still_fails(check))

# finite differences: central steps for the comparison, one-sided for kinks
STEP, KINK_STEP = 1e-5, 1e-4
RTOL = 1e-5  # analytic vs central difference, relative to the gradient's size
LIMIT = 1e4  # larger values or gradients: finite differences lose too many digits

_tmp = tempfile.TemporaryDirectory(prefix="s2sad_fuzz_")
_count = itertools.count()


class ProgramFailure(AssertionError):
    pass


def load(program: Program):
    """Write ``program`` to a module file and import it (not kept in ``sys.modules``)."""
    digest = hashlib.sha1(program.source.encode()).hexdigest()[:10]
    name = f"fuzz_{digest}_{next(_count)}"
    path = os.path.join(_tmp.name, name + ".py")
    with open(path, "w") as file:
        file.write(program.source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]
    return module


def make_args(program: Program, rng: np.random.Generator) -> list:
    args = []
    for name, shape in program.params:
        if shape == "int":
            args.append(program.ints[name])
        elif shape == ():
            args.append(float(rng.uniform(-1.5, 1.5)))
        else:
            args.append(rng.uniform(-1.5, 1.5, shape))
    return args


def same(a, b) -> bool:
    return type(a) is type(b) and np.array_equal(a, b)


def evaluate(f, args) -> float:
    """``f(*args)`` on copies, as a float; nan where NumPy warns about overflow."""
    with np.errstate(all="ignore"):
        value = f(*copy.deepcopy(args))
    return float(np.asarray(value, dtype=np.float64))


def differences(f, args, index):
    """Per element of ``args[index]``: the central difference (step STEP), and the
    one-sided second-order differences from the right and from the left (KINK_STEP)."""
    x = args[index]
    flat = np.array(x, dtype=np.float64).reshape(-1)
    central, right, left = (np.zeros_like(flat) for _ in range(3))

    def at(i, delta):
        moved = flat.copy()
        moved[i] += delta
        new = list(args)
        new[index] = float(moved[0]) if np.ndim(x) == 0 else moved.reshape(np.shape(x))
        return evaluate(f, new)

    f0 = evaluate(f, args)
    for i in range(flat.size):
        scale = max(1.0, abs(flat[i]))
        h, k = STEP * scale, KINK_STEP * scale
        central[i] = (at(i, h) - at(i, -h)) / (2 * h)
        right[i] = (-3 * f0 + 4 * at(i, k) - at(i, 2 * k)) / (2 * k)
        left[i] = (3 * f0 - 4 * at(i, -k) + at(i, -2 * k)) / (2 * k)
    shape = np.shape(x)
    return central.reshape(shape), right.reshape(shape), left.reshape(shape)


def close(a, b, rtol, atol) -> bool:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= atol + rtol * np.maximum(
        np.abs(a), np.abs(b))))


def report(program: Program, args, message: str) -> ProgramFailure:
    return ProgramFailure(
        f"{message}\n\nwrt={program.wrt}\nargs={args!r}\n\n--- program ---\n{program.source}")


def run_transform(program: Program, args, what: str, call):
    """``call()``, turning an exception into a failure that shows the program (or a
    rejection, where the program may legitimately be refused)."""
    try:
        return call()
    except UnsupportedSyntaxError as exc:
        if program.may_reject:
            assume(False)
        raise report(program, args, f"{what} raised UnsupportedSyntaxError: {exc}") from None
    except ZeroDivisionError:
        if at_singular_point(program):
            assume(False)
        raise report(program, args, f"{what} raised ZeroDivisionError") from None
    except Exception as exc:  # noqa: BLE001 - any error of a transform is a finding
        raise report(program, args, f"{what} raised {type(exc).__name__}: {exc}") from exc


def at_singular_point(program: Program) -> bool:
    """Could an intermediate sit exactly on hypot's or norm's singular point? (Say
    ``math.hypot(x - x, x - x)``: the function is locally constant there, but the adjoint
    computes 0 * nan or 0 / 0.) Then a nan gradient or a ZeroDivisionError is no finding."""
    return "hypot" in program.source or "norm" in program.source


def check_program(program: Program, point: int) -> None:
    module = load(program)
    f = module.f
    rng = np.random.default_rng(point)
    args = make_args(program, rng)
    names = [name for name, _ in program.params]
    positions = [names.index(n) for n in program.wrt]
    single = len(program.wrt) == 1 and point % 2 == 0
    wrt = program.wrt[0] if single else program.wrt

    # the program itself: no overflow, a moderate value, and it leaves its arguments alone
    kept = copy.deepcopy(args)
    try:
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            value = f(*args)
    except (FloatingPointError, OverflowError):
        # an intermediate overflows (say np.exp(2000.0)): the adjoint may meet 0 * inf
        assume(False)
    except Exception as exc:  # noqa: BLE001
        raise report(program, args,
                     f"the generated program raised {exc!r} (a fuzzer bug)") from exc
    if not all(same(a, b) for a, b in zip(args, kept)):
        raise report(program, kept, "the generated program modifies its arguments (a fuzzer bug)")
    value = float(np.asarray(value, dtype=np.float64))
    assume(np.isfinite(value) and abs(value) < LIMIT)

    fds = [differences(f, args, i) for i in positions]
    for central, right, left in fds:
        assume(np.all(np.isfinite(central)) and np.all(np.abs(central) < LIMIT))
        assume(np.all(np.isfinite(right)) and np.all(np.isfinite(left)))
        # from the left and from the right alike: no kink or jump near the point
        assume(close(right, left, 1e-4, 1e-6 * (1.0 + abs(value))))

    # reverse mode against finite differences
    out = run_transform(program, args, "value_and_grad",
                        lambda: s2sad.value_and_grad(f, wrt=wrt)(*args))
    if not all(same(a, b) for a, b in zip(args, kept)):
        raise report(program, kept, "value_and_grad modified its arguments")
    got_value, grads = out
    grads = (grads,) if single else grads
    if not close(got_value, value, 1e-9, 1e-12):
        raise report(program, args, f"value_and_grad value {got_value!r} != f(*args) {value!r}")
    atol = 1e-6 + 1e-8 * abs(value)
    for name, position, g, (central, _, _) in zip(program.wrt, positions, grads, fds):
        if np.shape(g) != np.shape(args[position]) or not np.issubdtype(
                np.asarray(g).dtype, np.floating):
            raise report(program, args, f"gradient of {name} has shape {np.shape(g)}, dtype "
                         f"{np.asarray(g).dtype}; the argument's shape is "
                         f"{np.shape(args[position])}")
        if not np.all(np.isfinite(g)) and at_singular_point(program):
            assume(False)
        if not close(g, central, RTOL, atol):
            raise report(program, args, f"gradient of {name} disagrees with central differences"
                         f"\ns2sad:   {np.asarray(g)!r}\nnumeric: {central!r}")

    # vjp and jvp: <vjp(ybar), xdot> == ybar * jvp(xdot)
    ybar = float(rng.uniform(0.5, 1.5))
    tangents = [float(rng.uniform(-1, 1)) if np.ndim(args[p]) == 0
                else rng.uniform(-1, 1, np.shape(args[p])) for p in positions]
    kept_tangents = copy.deepcopy(tangents)
    got_value, pullback = run_transform(program, args, "vjp",
                                        lambda: s2sad.vjp(f, wrt=wrt)(*args))
    pulled = run_transform(program, args, "the vjp pullback", lambda: pullback(ybar))
    pulled = (pulled,) if single else pulled
    if not all(same(a, b) for a, b in zip(args, kept)):
        raise report(program, kept, "vjp modified its arguments")
    if not close(got_value, value, 1e-9, 1e-12):
        raise report(program, args, f"vjp value {got_value!r} != f(*args) {value!r}")
    for name, g, p in zip(program.wrt, grads, pulled):
        if not close(p, ybar * np.asarray(g), 1e-9, 1e-12):
            raise report(program, args, f"pullback({ybar}) of {name} is not {ybar} * gradient:"
                         f"\n{p!r}\n{g!r}")
    try:  # (helpers are transformed when first called)
        got_value, tangent = s2sad.jvp(f, wrt=wrt)(*args, *tangents)
    except NoRuleError as exc:  # rules without a tangent are reverse-only: not a bug
        if "no forward-mode" in str(exc):
            return
        raise report(program, args, f"jvp raised NoRuleError: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any error of a transform is a finding
        raise report(program, args, f"jvp raised {type(exc).__name__}: {exc}") from exc
    if not all(same(a, b) for a, b in zip(args + tangents, kept + kept_tangents)):
        raise report(program, kept, "jvp modified its arguments or tangents")
    if not close(got_value, value, 1e-9, 1e-12):
        raise report(program, args, f"jvp value {got_value!r} != f(*args) {value!r}")
    terms = [np.sum(np.asarray(p) * t) for p, t in zip(pulled, tangents)]
    inner = float(sum(terms))
    scale = sum(float(np.sum(np.abs(np.asarray(p) * t))) for p, t in zip(pulled, tangents))
    if not np.ndim(tangent) == 0 or not close(ybar * tangent, inner, 1e-8, 1e-10 * (1 + scale)):
        raise report(program, args, f"<vjp(ybar), xdot> = {inner!r} but ybar * jvp(xdot) = "
                     f"{ybar * np.asarray(tangent)!r} (jvp tangent {tangent!r}, tangents "
                     f"{tangents!r})")


@st.composite
def programs(draw):
    return generate(draw(st.randoms(use_true_random=False)), OPEN_BUGS)


_settings = settings(
    max_examples=EXAMPLES, deadline=None, database=None, derandomize=SEED is None,
    suppress_health_check=list(HealthCheck), print_blob=SEED is not None,
    phases=list(Phase) if SHRINK else [Phase.explicit, Phase.reuse, Phase.generate])


def fuzz(test):
    return seed(int(SEED))(test) if SEED is not None else test


@fuzz
@_settings
@given(program=programs(), point=st.integers(0, 2**32 - 1))
def test_random_program(program, point):
    note(program.source)
    check_program(program, point)


def test_generator_respects_open_bugs():
    """The generator runs with every known bug open (all detours at once) and with none."""
    import random

    for open_bugs in (frozenset(KNOWN_BUGS), frozenset()):
        for k in range(20):
            program = generate(random.Random(k), open_bugs)
            compile(program.source, "<fuzz>", "exec")


if __name__ == "__main__":  # quick timing: python -m tests.test_fuzz
    start = time.perf_counter()
    pytest.main([__file__, "-q"])
    print(f"{time.perf_counter() - start:.1f} s")

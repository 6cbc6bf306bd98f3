"""Second order over the rule tables: for one case of every rule (linear algebra
included), the Hessian-vector product (forward mode over the gradient's code) agrees with
central differences of the gradient, and the Hessian is symmetric.

The operations listed in ``NO_SECOND_ORDER`` have first derivatives only; their cases
check that hvp says so. Cases at a kink or a degenerate point (ties of a maximum,
repeated eigenvalues) have no second derivative there and are left out."""

import inspect
import warnings

import numpy as np
import pytest

import s2sad
from s2sad.errors import NoRuleError

from .test_rules import all_cases

RNG = np.random.default_rng(5)

# the gradient's helper (or the derivative's own function) for these has no tangent rule
# (yet): hvp reports it
NO_SECOND_ORDER = {getattr(np.linalg, n) for n in ("multi_dot", "cond", "lstsq", "svd", "qr",
                                                    "svdvals", "tensorinv", "tensorsolve")
                   if hasattr(np.linalg, n)}
try:
    from scipy import special
except ImportError:  # pragma: no cover
    special = None
else:
    NO_SECOND_ORDER |= {special.j1, special.y1, special.i1, special.i1e, special.k1,
                        special.k1e}
DEGENERATE = ("tie", "repeated")


def _plain(x) -> bool:
    return isinstance(x, (float, np.ndarray)) and not isinstance(x, bool)


def _unsupported(case) -> bool:
    return any(_hashable(k) and k in NO_SECOND_ORDER for k in case.keys)


def _sample() -> list:
    """The first case of each rule key whose differentiated argument has at most 16
    elements, not at a degenerate point."""
    chosen, seen = [], set()
    for case in all_cases():
        p = case.wrt[0]
        if (not _plain(case.args[p]) or np.size(case.args[p]) > 16
                or any(word in case.id for word in DEGENERATE)):
            continue
        new = [k for k in case.keys if _hashable(k) and k not in seen]
        if new:
            seen.update(new)
            chosen.append(case)
    return chosen


def _hashable(key) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


SAMPLE = _sample()
SUPPORTED = [c for c in SAMPLE if not _unsupported(c)]
UNSUPPORTED = [c for c in SAMPLE if _unsupported(c)]


def _name(case) -> str:
    return list(inspect.signature(case.func).parameters)[case.wrt[0]]


def _gradient_difference(case, v, step=1e-5):
    """(grad f(x + h v) - grad f(x - h v)) / 2h."""
    p = case.wrt[0]
    gradient = s2sad.grad(case.func, wrt=_name(case))
    h = step * max(1.0, float(np.max(np.abs(case.args[p]))))

    def at(sign):
        args = list(case.args)
        moved = np.asarray(args[p], dtype=float) + sign * h * np.asarray(v)
        args[p] = float(moved) if isinstance(case.args[p], float) else moved
        return np.asarray(gradient(*args), dtype=float)

    return (at(1.0) - at(-1.0)) / (2.0 * h)


def test_the_sample_spans_the_rule_tables():
    linalg = [c for c in SUPPORTED if "linalg" in c.id]
    assert len(SUPPORTED) > 250 and len(linalg) > 15


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("case", SUPPORTED, ids=[c.id for c in SUPPORTED])
def test_hvp_matches_differences_of_the_gradient_and_hessian_is_symmetric(case):
    p = case.wrt[0]
    x = case.args[p]
    v = float(RNG.normal()) if isinstance(x, float) else RNG.normal(size=np.shape(x))
    product = s2sad.hvp(case.func, wrt=_name(case))(*case.args, v)
    assert np.shape(product) == np.shape(x)
    np.testing.assert_allclose(product, _gradient_difference(case, v), rtol=1e-4, atol=1e-5)
    hess = np.asarray(s2sad.hessian(case.func, wrt=_name(case))(*case.args), dtype=float)
    square = hess.reshape(np.size(x), np.size(x))
    np.testing.assert_allclose(square, square.T, rtol=1e-7, atol=1e-8)
    np.testing.assert_allclose(square @ np.ravel(v), np.ravel(product), rtol=1e-8,
                               atol=1e-10)


@pytest.mark.parametrize("case", UNSUPPORTED, ids=[c.id for c in UNSUPPORTED])
def test_operations_without_second_derivatives_say_so(case):
    x = case.args[case.wrt[0]]
    v = 1.0 if isinstance(x, float) else np.ones(np.shape(x))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises((NoRuleError, NotImplementedError),
                           match="forward-mode|second derivatives|no derivative rule"):
            s2sad.hvp(case.func, wrt=_name(case))(*case.args, v)

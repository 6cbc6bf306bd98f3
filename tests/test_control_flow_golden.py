"""Golden tests of generated code with control flow: one branch, one loop, one subroutine.

The expected sources live in tests/golden/{branch,loop,subroutine}.py. After an intended
change to the generated code, regenerate them with
``S2SAD_UPDATE_GOLDEN=1 pytest tests/test_control_flow_golden.py`` and review the diff.
"""

import os
from pathlib import Path

import numpy as np
import pytest

import s2sad

GOLDEN = Path(__file__).parent / "golden"


def huber(r, delta):
    a = np.abs(r)
    if a <= delta:
        loss = 0.5 * r ** 2
    else:
        loss = delta * (a - 0.5 * delta)
    return loss


def rnn(W, U, xs, h):
    for x in xs:
        h = np.tanh(W @ x + U @ h)
    return np.sum(h ** 2)


def softplus(z, beta=1.0):
    return np.log1p(np.exp(beta * z)) / beta


def two_layer(w1, w2, x):
    h = softplus(w1 * x)
    return softplus(w2 * h, beta=2.0)


CASES = {
    "branch": (huber, "r", "reverse"),
    "loop": (rnn, ("W", "U"), "reverse"),
    "subroutine": (two_layer, ("w1", "w2"), "reverse"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_generated_source_matches_golden_file(name):
    func, wrt, mode = CASES[name]
    source = s2sad.source(func, wrt=wrt, mode=mode)
    path = GOLDEN / f"{name}.py"
    if os.environ.get("S2SAD_UPDATE_GOLDEN"):
        path.write_text(source)
    assert source == path.read_text()


RNG = np.random.default_rng(7)
ARGS = {
    "branch": [(0.3, 1.0), (-2.5, 1.0), (1.7, 0.5)],
    "loop": [(RNG.normal(size=(3, 2)) * 0.5, RNG.normal(size=(3, 3)) * 0.5,
              RNG.normal(size=(4, 2)), RNG.normal(size=3))],
    "subroutine": [(0.7, -1.2, 0.9), (-0.4, 2.0, 1.5)],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_functions_have_the_right_gradient(name):
    func, wrt, _ = CASES[name]
    for args in ARGS[name]:
        assert s2sad.check_grad(func, *args, wrt=wrt).ok

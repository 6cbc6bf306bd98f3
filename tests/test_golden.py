"""Golden tests: the generated source of canonical functions, pinned in tests/golden/*.py.

After an intended change to the generated code, regenerate the files with
``S2SAD_UPDATE_GOLDEN=1 pytest tests/test_golden.py`` and review the diff.
"""

import os
from pathlib import Path

import pytest

import s2sad

from . import canonical as c

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "nll_dm_ds": (c.nll, ("m", "s"), "reverse"),
    "trace": (c.trace, (0, 1), "reverse"),
    "trace_vjp": (c.trace, (0, 1), "vjp"),
    "shared": (c.shared, 0, "reverse"),
    "logistic_nll": (c.logistic_nll, 0, "reverse"),
    "mlp_loss": (c.mlp_loss, ("W1", "b1", "W2", "b2"), "reverse"),
    "scalar_math": (c.scalar_math, (0, 1), "value_and_grad"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_generated_source_matches_golden_file(name):
    func, wrt, mode = CASES[name]
    source = s2sad.source(func, wrt=wrt, mode=mode)
    path = GOLDEN / f"{name}.py"
    if os.environ.get("S2SAD_UPDATE_GOLDEN"):
        path.write_text(source)
    assert source == path.read_text()


def test_primal_ssa_of_the_notes_nll_is_the_users_own_code():
    expected = (GOLDEN / "nll_ssa.py").read_text()
    if os.environ.get("S2SAD_UPDATE_GOLDEN"):
        (GOLDEN / "nll_ssa.py").write_text(s2sad.ssa(c.nll))
    assert s2sad.ssa(c.nll) == expected


def test_generation_is_deterministic():
    first = s2sad.source(c.mlp_loss, wrt=("W1", "b1"))
    again = s2sad.source(c.mlp_loss, wrt=("W1", "b1"), optimize=True)
    assert first == again

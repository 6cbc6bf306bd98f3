"""The ``s2sad`` command line: show, check, exit statuses."""

import subprocess
import sys
from pathlib import Path

import pytest

from s2sad.cli import main

CANONICAL = Path(__file__).parent / "canonical.py"
GOLDEN = Path(__file__).parent / "golden"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_show_prints_the_gradient_source(capsys):
    status, out, _ = run(capsys, "show", f"{CANONICAL}:nll", "--wrt", "m,s")
    assert status == 0
    assert out == (GOLDEN / "nll_dm_ds.py").read_text()


def test_show_ssa_vjp_and_no_optimize(capsys):
    _, out, _ = run(capsys, "show", f"{CANONICAL}:nll", "--ssa")
    assert out == (GOLDEN / "nll_ssa.py").read_text()
    _, out, _ = run(capsys, "show", f"{CANONICAL}:trace", "--wrt", "0,1", "--mode", "vjp")
    assert out == (GOLDEN / "trace_vjp.py").read_text()
    _, out, _ = run(capsys, "show", f"{CANONICAL}:shared", "--no-optimize")
    assert "x ** (2 - 1)" in out


def test_check_prints_a_table_and_succeeds(capsys):
    status, out, _ = run(capsys, "check", f"{CANONICAL}:trace", "--args", "2.0, 5.0",
                         "--wrt", "x1,x2")
    assert status == 0
    assert "x1" in out and "5.5" in out and "1.716338" in out and "OK" in out


def test_check_accepts_numpy_arguments(capsys):
    status, out, _ = run(capsys, "check", f"{CANONICAL}:logistic_nll", "--args",
                         "np.linspace(-1, 1, 3), np.ones((4, 3)), np.array([0., 1, 1, 0])")
    assert status == 0, out


def test_check_reports_a_mismatch_with_status_1(tmp_path, capsys):
    module = tmp_path / "wrongrule.py"
    module.write_text(
        "import s2sad\n\n"
        "def cube(x):\n    return x ** 3\n\n"
        "@s2sad.rule(cube)\ndef cube_rule(g, ans, x):\n    return g * x * x\n\n"
        "def f(x):\n    return cube(x)\n"
    )
    status, out, _ = run(capsys, "check", f"{module}:f", "--args", "2.0")
    assert status == 1 and "disagrees" in out and "NO" in out


@pytest.mark.parametrize("target, words", [
    ("missing.py:f", "no such file: missing.py"),
    (f"{CANONICAL}:nope", "defines no function 'nope'"),
    (f"{CANONICAL}", "expected FILE.py:FUNCTION"),
])
def test_bad_targets_exit_2(capsys, target, words):
    status, _, err = run(capsys, "show", target)
    assert status == 2 and words in err


def test_bad_args_exit_2(capsys):
    status, _, err = run(capsys, "check", f"{CANONICAL}:trace", "--args", "open('x')")
    assert status == 2 and "literals and np.* only" in err


def test_transform_errors_exit_1_with_the_located_message(capsys):
    bad = Path(__file__).parent / "bad_functions.py"
    status, _, err = run(capsys, "show", f"{bad}:uses_try")
    assert status == 1
    assert "UnsupportedSyntaxError" in err and "bad_functions.py:" in err and "^" in err


def test_console_script_and_module_entry_point():
    result = subprocess.run([sys.executable, "-m", "s2sad", "show", f"{CANONICAL}:shared"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout == (GOLDEN / "shared.py").read_text()


def test_rules_lists_every_registered_function_by_family(capsys):
    from s2sad.rules import NONDIFF, REVERSE

    status, out, _ = run(capsys, "rules")
    assert status == 0
    assert "np.exp" in out and "math.sin" in out and "a @ b" in out and "x.sum()" in out
    assert out.strip().splitlines()[-1] == (
        f"{len(REVERSE)} differentiable entry points, {len(NONDIFF)} constants")


def test_show_prints_the_hvp_source(capsys):
    status, out, _ = run(capsys, "show", f"{CANONICAL}:nll", "--wrt", "s", "--mode", "hvp")
    assert status == 0
    assert out.startswith("def dnll_ds_jvp(")  # the forward derivative of the gradient
    assert "dbs = " in out  # the tangent of an adjoint: forward over reverse

"""The benchmark suite (benchmarks/run.py) runs, and its hand-written gradients are right.

No timing is asserted: only that the quick run completes and that every hand-written
gradient agrees with s2sad's (and with central differences).
"""

import importlib.util
import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

RUN_PY = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("s2sad_benchmarks_run", RUN_PY)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up by name
    environ = dict(os.environ)  # run.py sets thread-count variables for its own process
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)
        os.environ.clear()
        os.environ.update(environ)


WORKLOAD_KEYS = ["w1_math", "w1_np", "w2_n10", "w2_big", "w3_mlp", "w3_xor", "w4_logreg",
                 "w5_rnn"]


def test_workloads_are_the_documented_ones(bench):
    assert [w.key for w in bench.make_workloads(quick=True)] == WORKLOAD_KEYS


@pytest.mark.parametrize("key", WORKLOAD_KEYS)
def test_hand_gradient_agrees_with_s2sad(bench, key):
    import s2sad

    (w,) = [w for w in bench.make_workloads(quick=True) if w.key == key]
    hand = w.hand(*w.args)
    generated = s2sad.grad(w.fn, wrt=w.wrt)(*w.args)
    assert len(hand) == len(generated) == len(w.wrt)
    for h, g, i in zip(hand, generated, w.positions):
        assert np.shape(h) == np.shape(g) == np.shape(w.args[i])
        np.testing.assert_allclose(h, g, rtol=1e-9, atol=1e-12)
    errors = bench.check_workload(w)  # also central differences
    assert errors["s2sad"] <= bench.HAND_VS_S2SAD_TOL
    assert errors["fd"] <= bench.FD_TOL


def test_unknown_workload_is_refused(bench):
    with pytest.raises(SystemExit, match="unknown workload"):
        bench.main(["--quick", "--tools", "none", "--only", "w9_nothing"])


def test_a_wrong_hand_gradient_aborts(bench):
    (w,) = [w for w in bench.make_workloads(quick=True) if w.key == "w4_logreg"]

    def wrong(*args):
        dw, dw0 = bench.hand_logistic_nll(*args)
        return dw, dw0 * 1.01

    w.hand = wrong
    with pytest.raises(bench.GradientCheckError, match="w4_logreg"):
        bench.check_workload(w)


def test_quick_run_completes_and_writes_json(bench, tmp_path, capsys):
    path = tmp_path / "bench.json"
    report = bench.main(["--quick", "--tools", "none", "--json", str(path)])
    table = capsys.readouterr().out
    assert "Gradient time / hand-written gradient time" in table
    assert json.loads(path.read_text())["workloads"] == json.loads(
        json.dumps(report["workloads"]))
    assert [r["key"] for r in report["workloads"]] == WORKLOAD_KEYS
    for result in report["workloads"]:
        assert result["label"] in table
        assert set(result["timings"]) == {"primal", "hand", "s2sad", "s2sad.fn"}
        assert result["transform_ms"]["median"] > 0


def test_quick_run_with_autograd(bench, capsys):
    pytest.importorskip("autograd")
    report = bench.main(["--quick", "--tools", "autograd", "--only", "w3_xor,w5_rnn"])
    capsys.readouterr()
    for result in report["workloads"]:
        assert "autograd" in result["timings"]
        assert result["check_errors"]["autograd"] <= bench.TOOL_TOL


def test_script_runs_from_the_command_line(tmp_path):
    import subprocess

    path = tmp_path / "out.json"
    env = dict(os.environ)  # this checkout's s2sad first
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(RUN_PY.parent.parent),
                                                      env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, str(RUN_PY), "--quick", "--tools", "none", "--only", "w2_n10",
         "--json", str(path)],
        capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    assert "W2 NLL N=10" in done.stdout
    assert json.loads(path.read_text())["quick"] is True


def test_the_fifty_line_transform_case_differentiates_correctly(bench):
    import s2sad

    case = bench.transform_time
    args = case.example_args()
    grads = s2sad.grad(case.fifty_lines, wrt=case.WRT)(*args)
    assert case.measure(1)["lines"] == 50
    rng = np.random.default_rng(3)
    for i, g in enumerate(grads):  # central differences along a random direction
        v = rng.normal(size=np.shape(args[i]))
        plus, minus = list(args), list(args)
        plus[i], minus[i] = args[i] + 1e-6 * v, args[i] - 1e-6 * v
        fd = (case.fifty_lines(*plus) - case.fifty_lines(*minus)) / 2e-6
        np.testing.assert_allclose(np.sum(g * v), fd, rtol=1e-5, atol=1e-7)

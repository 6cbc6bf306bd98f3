"""The ``s2sad`` command: ``show`` the generated code, ``check`` it against numerics.

    s2sad show FILE.py:FUNC [--wrt a,b] [--mode reverse|value_and_grad|vjp|forward|hvp] [--ssa]
                            [--no-optimize] [--args "np.ones((4, 2)), 0.5"]
    s2sad check FILE.py:FUNC --args "2.0, 5.0" [--wrt a,b] [--rtol R] [--atol A]
    s2sad rules

Exit status: 0 on success, 1 when ``check`` finds a mismatch or s2sad cannot differentiate
the function, 2 for a missing file or function or bad arguments.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import sys
import textwrap
from pathlib import Path
from typing import Callable

import numpy as np

from . import api
from .check import check_grad
from .errors import GradientMismatch, S2sadError


class UsageError(Exception):
    """A command line that names no loadable file or function."""


def load_function(target: str) -> Callable:
    """``path/to/file.py:func`` -> the function object (the file is imported as a module)."""
    path, sep, name = target.rpartition(":")
    if not sep or not path or not name:
        raise UsageError(f"expected FILE.py:FUNCTION, got {target!r}")
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"no such file: {path}")
    module_name = f"s2sad_cli_{file.stem}"
    spec = importlib.util.spec_from_file_location(module_name, file)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    sys.path.insert(0, str(file.resolve().parent))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.pop(0)
    func = getattr(module, name, None)
    if isinstance(func, api.Transformed):
        func = func.func
    if not callable(func):
        defined = sorted(k for k, v in vars(module).items()
                         if callable(v) and getattr(v, "__module__", None) == module_name)
        raise UsageError(f"{path} defines no function {name!r}"
                         + (f" (it defines: {', '.join(defined)})" if defined else ""))
    return func


def parse_args_text(text: str) -> tuple:
    """``"2.0, np.ones(3)"`` -> ``(2.0, array([1., 1., 1.]))``: literals or ``np.`` calls."""
    try:
        tree = ast.parse(f"({text},)", mode="eval")
    except SyntaxError as exc:
        raise UsageError(f"--args is not a Python argument list: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in ("np", "numpy"):
            raise UsageError(f"--args may use literals and np.* only, not {node.id!r}")
    return eval(compile(tree, "<--args>", "eval"), {"__builtins__": {}, "np": np, "numpy": np})


def _wrt(text):
    if text is None:
        return None
    items = tuple(int(w) if w.strip().lstrip("-").isdigit() else w.strip()
                  for w in text.split(","))
    return items[0] if len(items) == 1 else items


def _show(ns) -> int:
    func = load_function(ns.target)
    if ns.ssa:
        print(api.ssa(func), end="")
    elif ns.args is not None:  # the version a call with these arguments runs
        mode = {"reverse": "grad", "forward": "jvp"}.get(ns.mode, ns.mode)
        if mode == "hvp":
            raise UsageError("--args shows the reverse-mode versions only (not --mode hvp)")
        derivative = api.Transformed(func, _wrt(ns.wrt), mode, not ns.no_optimize)
        print(derivative.source_for(*parse_args_text(ns.args)), end="")
    else:
        print(api.source(func, wrt=_wrt(ns.wrt), mode=ns.mode, optimize=not ns.no_optimize),
              end="")
    return 0


def _check(ns) -> int:
    func = load_function(ns.target)
    args = parse_args_text(ns.args)
    try:
        report = check_grad(func, *args, wrt=_wrt(ns.wrt), rtol=ns.rtol, atol=ns.atol)
    except GradientMismatch as exc:
        print(exc.message)
        return 1
    print(report)
    print(f"max error {report.max_error:.3g}: OK")
    return 0


def _rules(ns) -> int:
    """Every function with a derivative rule, grouped by family, then the constants."""
    from .linker import describe
    from .rules import NONDIFF, REVERSE

    families: dict = {}
    for key, rule in REVERSE.items():
        name = describe(key)
        if name.startswith("s2sad."):  # what generated gradients call: for second order
            family = "s2sad's own helpers, which generated gradients call (for second order)"
        else:
            doc = sys.modules[rule.fn.__module__].__doc__ or rule.fn.__module__
            first = " ".join(doc.strip().split("\n\n")[0].split())
            family = first.split(". ")[0].rstrip(".").replace("``", "")
        families.setdefault(family, set()).add(name)
    for key, family in NONDIFF.items():
        families.setdefault(f"constant: {family}", set()).add(describe(key))
    total = 0
    for family in sorted(families, key=lambda f: (f.startswith("constant"), f)):
        names = sorted(families[family])
        total += len(names)
        print(f"{family} ({len(names)})")
        print("    " + "\n    ".join(textwrap.wrap(", ".join(names), 88)))
    print(f"{len(REVERSE)} differentiable entry points, {len(NONDIFF)} constants")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="s2sad", description="Show and check the derivative "
                                     "code s2sad generates for a Python function.")
    sub = parser.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show", help="print the generated derivative source")
    show.add_argument("target", metavar="FILE.py:FUNC")
    show.add_argument("--wrt", help="parameters to differentiate, e.g. 'm,s' or '0,1'")
    show.add_argument("--mode", default="reverse",
                      choices=["reverse", "value_and_grad", "vjp", "forward", "hvp"],
                      help="hvp: the Hessian-vector product (forward mode over the "
                      "gradient's code), second-order code")
    show.add_argument("--ssa", action="store_true", help="print the primal SSA form instead")
    show.add_argument("--no-optimize", action="store_true",
                      help="print the code before optimization")
    show.add_argument("--args", help="arguments, e.g. \"np.ones((4, 2)), 0.5\": print the "
                      "version specialized to their shapes, which a call with them runs")
    show.set_defaults(run=_show)
    check = sub.add_parser("check", help="compare the gradient with central differences")
    check.add_argument("target", metavar="FILE.py:FUNC")
    check.add_argument("--args", required=True, help='arguments, e.g. "2.0, np.ones(3)"')
    check.add_argument("--wrt")
    check.add_argument("--rtol", type=float, default=1e-5)
    check.add_argument("--atol", type=float, default=1e-7)
    check.set_defaults(run=_check)
    rules = sub.add_parser("rules", help="list every function s2sad can differentiate")
    rules.set_defaults(run=_rules)
    return parser


def main(argv=None) -> int:
    ns = build_parser().parse_args(argv)
    try:
        return ns.run(ns)
    except UsageError as exc:
        print(f"s2sad: error: {exc}", file=sys.stderr)
        return 2
    except S2sadError as exc:
        print(f"s2sad: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

"""Central finite differences, and ``check_grad`` comparing them with s2sad's gradient."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .api import Wrt, grad, resolve_wrt
from .errors import GradientMismatch


def numeric_grad(func: Callable, args: tuple, name: Wrt, step: float = 1e-6):
    """d func / d args[name] by central differences, one element at a time (float64).

    ``name`` is a parameter's name or position, or a tuple of them (then a tuple of
    gradients, as ``grad`` gives). A list, tuple or dict argument gets a gradient of the
    same structure."""
    if isinstance(name, (tuple, list)):
        return tuple(numeric_grad(func, args, n, step) for n in name)
    params = list(func.__code__.co_varnames[: func.__code__.co_argcount])
    index = name if isinstance(name, int) else params.index(name)

    def value_at(leaf_value, path):
        moved = list(args)
        moved[index] = _replace(args[index], path, leaf_value)
        return float(np.asarray(func(*moved), dtype=np.float64))

    def leaf_grad(x, path):
        x = np.array(x, dtype=np.float64)
        out = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            h = step * max(1.0, abs(x[i]))
            values = []
            for sign in (1.0, -1.0):
                shifted = x.copy()
                shifted[i] += sign * h
                values.append(value_at(shifted if x.ndim else float(shifted), path))
            out[i] = (values[0] - values[1]) / (2.0 * h)
        return out if x.ndim else float(out)

    return _map_leaves(args[index], leaf_grad)


def _map_leaves(tree, fn, path=()):
    if isinstance(tree, dict):
        return {k: _map_leaves(v, fn, path + (k,)) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return type(tree)(_map_leaves(v, fn, path + (k,)) for k, v in enumerate(tree))
    return fn(tree, path)


def _replace(tree, path, value):
    """``tree`` with the leaf at ``path`` replaced (containers copied along the way)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(tree, dict):
        return {**tree, head: _replace(tree[head], rest, value)}
    items = list(tree)
    items[head] = _replace(items[head], rest, value)
    return type(tree)(items)


def _leaves(tree) -> list:
    out = []
    _map_leaves(tree, lambda leaf, path: out.append(np.asarray(leaf, dtype=np.float64)))
    return out


@dataclass
class CheckRow:
    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    max_abs_error: float
    ok: bool


@dataclass
class CheckReport:
    """Per-argument comparison of the generated and the numeric gradient."""

    rows: list

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def max_error(self) -> float:
        return max(r.max_abs_error for r in self.rows)

    def __str__(self) -> str:
        lines = [f"{'argument':<10} {'s2sad':>24} {'numeric':>24} {'max |error|':>12}  ok"]
        for r in self.rows:
            lines.append(f"{r.name:<10} {_short(r.analytic):>24} {_short(r.numeric):>24} "
                         f"{r.max_abs_error:>12.3g}  {'yes' if r.ok else 'NO'}")
        return "\n".join(lines)


def _short(value) -> str:
    text = np.array2string(np.asarray(value), precision=6, threshold=4, separator=", ")
    text = " ".join(text.split())
    return text if len(text) <= 24 else text[:21] + "..."


def check_grad(func: Callable, *args, wrt: Wrt = None, rtol: float = 1e-5,
               atol: float = 1e-7) -> CheckReport:
    """Compare ``grad(func, wrt)(*args)`` with central differences; raise
    ``GradientMismatch`` (with a per-argument table) when they disagree."""
    names, single = resolve_wrt(func, wrt)
    analytic = grad(func, wrt=names if not single else names[0])(*args)
    rows = []
    for name, value in zip(names, analytic if not single else (analytic,)):
        got, want = _leaves(value), _leaves(numeric_grad(func, args, name))
        ok = len(got) == len(want) and all(
            a.shape == b.shape and np.allclose(a, b, rtol=rtol, atol=atol)
            for a, b in zip(got, want))
        error = max((float(np.max(np.abs(a - b), initial=0.0)) for a, b in zip(got, want)
                     if a.shape == b.shape), default=float("inf"))
        flat = [np.concatenate([a.ravel() for a in got]) if got else np.zeros(0),
                np.concatenate([b.ravel() for b in want]) if want else np.zeros(0)]
        rows.append(CheckRow(name, flat[0] if len(got) > 1 else got[0], flat[1] if len(
            want) > 1 else want[0], error, ok))
    report = CheckReport(rows)
    if not report.ok:
        raise GradientMismatch(
            f"the gradient of {func.__qualname__} disagrees with central differences "
            f"(rtol={rtol}, atol={atol}):\n{report}",
            hint="print the generated code with s2sad.source(f) or `s2sad show` to find "
            "the rule at fault",
        ).with_traceback(None)
    return report

"""Central finite differences, and ``check_grad`` comparing them with s2sad's gradient."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .api import Wrt, grad, resolve_wrt
from .errors import GradientMismatch


def numeric_grad(func: Callable, args: tuple, name: str, step: float = 1e-6):
    """d func / d args[name] by central differences, one element at a time (float64)."""
    params = list(func.__code__.co_varnames[: func.__code__.co_argcount])
    index = params.index(name)
    x = np.array(args[index], dtype=np.float64)
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        h = step * max(1.0, abs(x[i]))
        values = []
        for sign in (1.0, -1.0):
            shifted = x.copy()
            shifted[i] += sign * h
            moved = list(args)
            moved[index] = shifted if x.ndim else float(shifted)
            values.append(float(np.asarray(func(*moved), dtype=np.float64)))
        out[i] = (values[0] - values[1]) / (2.0 * h)
    return out if x.ndim else float(out)


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
    analytic = grad(func, wrt=names)(*args)
    rows = []
    for name, value in zip(names, analytic):
        numeric = numeric_grad(func, args, name)
        value = np.asarray(value, dtype=np.float64)
        error = float(np.max(np.abs(value - numeric), initial=0.0))
        ok = value.shape == np.shape(numeric) and bool(
            np.allclose(value, numeric, rtol=rtol, atol=atol))
        rows.append(CheckRow(name, value, np.asarray(numeric), error, ok))
    report = CheckReport(rows)
    if not report.ok:
        raise GradientMismatch(
            f"the gradient of {func.__qualname__} disagrees with central differences "
            f"(rtol={rtol}, atol={atol}):\n{report}",
            hint="print the generated code with s2sad.source(f) or `s2sad show` to find "
            "the rule at fault",
        ).with_traceback(None)
    return report

"""Stage 5: a ``Derivative`` (or a ``Primal``) -> Python source text.

Statements are printed with astor; each adjoint group carries a trailing comment naming the
primal line it differentiates, aligned in one column. The text is deterministic.
"""

from __future__ import annotations

import gast

from .ir import Derivative, Effect, Op, Primal, Return, render

INDENT = "    "
MAX_COMMENT_COLUMN = 56


def _signature(name: str, params: list, defaults: list) -> str:
    plain = params[: len(params) - len(defaults)]
    with_default = [f"{p}={src}" for p, (src, _) in zip(params[len(plain):], defaults)]
    return f"def {name}({', '.join(plain + with_default)}):"


def _block(lines: list, indent: str) -> list:
    codes = [indent + render(line.stmt) for line in lines]
    widths = [len(c) for c, line in zip(codes, lines) if line.comment]
    column = max([w for w in widths if w + 2 <= MAX_COMMENT_COLUMN], default=0) + 2
    out = []
    for code, line in zip(codes, lines):
        if line.comment:
            code = code.ljust(column - 1) + " # " + line.comment
        out.append(code)
    return out


def emit_derivative(deriv: Derivative) -> str:
    """The source text of a generated derivative function."""
    out = [_signature(deriv.name, deriv.params, deriv.defaults)]
    if deriv.primal:
        out += [INDENT + "# primal"] + _block(deriv.primal, INDENT)
    inner = INDENT
    if deriv.pullback:
        out.append(INDENT + _signature(deriv.pullback, deriv.pullback_params, []))
        inner = INDENT * 2
    if deriv.adjoint:
        out += [inner + "# adjoint"] + _block(deriv.adjoint, inner)
    if deriv.pullback:
        out.append(inner + render(gast.Return(deriv.pullback_result)))
    out.append(INDENT + render(gast.Return(deriv.result)))
    return "\n".join(out) + "\n"


def emit_primal(primal: Primal) -> str:
    """The single-assignment primal form as source text (what ``s2sad.ssa`` returns)."""
    args = primal.parsed.node.args
    defaults = [(render(d), None) for d in args.defaults]
    out = [_signature(primal.name, primal.params, defaults)]
    for stmt in primal.body:
        if isinstance(stmt, Op):
            target = gast.Name(stmt.target, gast.Store(), None, None)
            out.append(INDENT + render(gast.Assign([target], stmt.value, None)))
        elif isinstance(stmt, Effect):
            out.append(INDENT + render(stmt.stmt))
        elif isinstance(stmt, Return):
            out.append(f"{INDENT}return {stmt.name}")
    return "\n".join(out) + "\n"

"""Stage 5: a ``Derivative`` (or a ``Primal``) -> Python source text.

Statements are printed with astor; each adjoint group carries a trailing comment naming the
primal line it differentiates, aligned in one column. The text is deterministic.
"""

from __future__ import annotations

import gast

from .ir import (
    Block,
    Carry,
    Derivative,
    Effect,
    If,
    Jump,
    Line,
    Loop,
    Op,
    Primal,
    Return,
    op_statements,
    render,
)
from .nodes import load_name, store_name

INDENT = "    "
MAX_COMMENT_COLUMN = 56


def _signature(name: str, params: list, defaults: list) -> str:
    plain = params[: len(params) - len(defaults)]
    with_default = [f"{p}={src}" for p, (src, _) in zip(params[len(plain):], defaults)]
    return f"def {name}({', '.join(plain + with_default)}):"


def _block(code: list, indent: str) -> list:
    """Lines of source for generated statements; comments aligned within each block."""
    texts = [indent + (item.header() if isinstance(item, Block) else "" if item.note
                       else render(item.stmt).replace("\n", "\n" + indent)) for item in code]
    widths = [len(t) for t, item in zip(texts, code)
              if item.comment and not getattr(item, "note", False)]
    column = max([w for w in widths if w + 2 <= MAX_COMMENT_COLUMN], default=0) + 2
    out = []
    for text, item in zip(texts, code):
        if getattr(item, "note", False):
            out.append(indent + "# " + item.comment)
            continue
        if item.comment:
            # a comment repeats a primal line, which astor may have wrapped: keep it one line
            text = text.ljust(column - 1) + " # " + " ".join(item.comment.split())
        out.append(text)
        if isinstance(item, Block):
            out += _block(item.body, indent + INDENT)
            if item.orelse:
                out.append(indent + "else:")
                out += _block(item.orelse, indent + INDENT)
    return out


def emit_derivative(deriv: Derivative) -> str:
    """The source text of a generated derivative function."""
    out = [_signature(deriv.name, deriv.params, deriv.defaults)]
    if deriv.primal:
        out += [INDENT + "# " + deriv.primal_label] + _block(deriv.primal, INDENT)
    inner = INDENT
    if deriv.pullback:
        out += ["", INDENT + _signature(deriv.pullback, deriv.pullback_params, [])]
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
    out += _block(_primal_code(primal.body), INDENT)
    return "\n".join(out) + "\n"


def _primal_code(block: list) -> list:
    """IR statements as generated-code items (for printing the SSA form)."""
    code = []
    for stmt in block:
        if isinstance(stmt, Op):
            code += [Line(s) for s in op_statements(stmt)]
        elif isinstance(stmt, Effect):
            code.append(Line(stmt.stmt))
        elif isinstance(stmt, If):
            code.append(Block(gast.If(stmt.test, [], []), _primal_code(stmt.body)
                              or [Line(gast.Pass())], _primal_code(stmt.orelse)))
        elif isinstance(stmt, Loop):
            header = gast.While(stmt.test, [], []) if stmt.test is not None else gast.For(
                store_name(stmt.target), stmt.iter, [], [], None)
            code.append(Block(header, _primal_code(stmt.body) or [Line(gast.Pass())]))
        elif isinstance(stmt, Carry):
            code += [Line(gast.Assign([store_name(c)],
                                      load_name(f), None))
                     for c, f in stmt.pairs]
        elif isinstance(stmt, Jump):
            code.append(Line(gast.Break() if stmt.kind == "break" else gast.Continue()))
        elif isinstance(stmt, Return):
            code.append(Line(gast.Return(load_name(stmt.name))))
    return code

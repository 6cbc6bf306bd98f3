"""Fast source text of the small gast statements and expressions the compiler prints.

``render`` in ``ir`` tries ``fast_source`` first and falls back to astor for anything this
module does not know (it returns None then). The text is the same as astor's: set
``S2SAD_CHECK_RENDER=1`` to have every call compared with astor (the test suite can run so).
"""

from __future__ import annotations

import math

import gast

_ATOM, _POW, _UNARY, _TERM, _ARITH, _COMPARE = 16, 14, 13, 12, 11, 7
_BINOPS = {gast.Add: ("+", _ARITH), gast.Sub: ("-", _ARITH), gast.Mult: ("*", _TERM),
           gast.MatMult: ("@", _TERM), gast.Div: ("/", _TERM), gast.FloorDiv: ("//", _TERM),
           gast.Mod: ("%", _TERM), gast.Pow: ("**", _POW)}
_MAX_LINE = 72  # astor breaks longer lines
_UNARYOPS = {gast.USub: "-", gast.UAdd: "+", gast.Invert: "~"}
_COMPARISONS = {gast.Eq: "==", gast.NotEq: "!=", gast.Lt: "<", gast.LtE: "<=", gast.Gt: ">",
                gast.GtE: ">=", gast.Is: "is", gast.IsNot: "is not", gast.In: "in",
                gast.NotIn: "not in"}
# characters a string constant may hold for its ``repr`` to be astor's text
_PLAIN = frozenset(chr(c) for c in range(32, 127)) - {"'", '"', "\\"}


class _Unknown(Exception):
    """A node this module leaves to astor."""


def fast_source(node) -> str | None:
    """Source text of ``node`` (a statement or an expression), or None if unsupported (and
    for long lines, which astor wraps)."""
    text = _source(node)
    return text if text is not None and len(text) <= _MAX_LINE else None


def _source(node) -> str | None:
    try:
        if isinstance(node, gast.Assign):
            targets = " = ".join(_bare(t) for t in node.targets)
            return f"{targets} = {_bare(node.value)}"
        if isinstance(node, gast.Expr):
            if isinstance(node.value, gast.Constant) and isinstance(node.value.value, str):
                return None  # astor prints a lone string as a docstring
            return _bare(node.value)
        if isinstance(node, gast.Return):
            return "return" if node.value is None else f"return {_bare(node.value)}"
        if isinstance(node, gast.expr):
            return _bare(node)
        if isinstance(node, gast.Pass):
            return "pass"
    except _Unknown:
        return None
    return None


def _bare(node) -> str:
    """An expression at the top of a statement: a tuple without parentheses."""
    if isinstance(node, gast.Tuple) and node.elts:
        return _elements(node.elts) + ("," if len(node.elts) == 1 else "")
    return _expr(node)[0]


def _elements(elts) -> str:
    return ", ".join(_expr(e)[0] for e in elts)


def _expr(node) -> tuple:
    """``(text, precedence)``."""
    kind = type(node)
    if kind is gast.Name:
        return node.id, _ATOM
    if kind is gast.Constant:
        return _constant(node.value)
    if kind is gast.BinOp:
        symbol, prec = _BINOPS.get(type(node.op), (None, 0))
        if symbol is None:
            raise _Unknown
        left, lp = _expr(node.left)
        right, rp = _expr(node.right)
        if lp < prec or (prec == _POW and lp <= _POW):
            left = f"({left})"
        if rp < min(prec, _UNARY) or (rp == prec and prec != _POW):  # `x ** -1` as astor
            right = f"({right})"
        return f"{left} {symbol} {right}", prec
    if kind is gast.UnaryOp:
        symbol = _UNARYOPS.get(type(node.op))
        if symbol is None:
            raise _Unknown
        operand, p = _expr(node.operand)
        if p < _UNARY:
            operand = f"({operand})"
        return symbol + operand, _UNARY
    if kind is gast.Attribute:
        value, p = _expr(node.value)
        if p < _ATOM or isinstance(node.value, gast.Constant):
            raise _Unknown
        return f"{value}.{node.attr}", _ATOM
    if kind is gast.Call:
        func, p = _expr(node.func)
        if p < _ATOM or any(type(a) is gast.Starred for a in node.args):
            raise _Unknown
        parts = [_expr(a)[0] for a in node.args]
        for k in node.keywords:
            if k.arg is None:
                raise _Unknown
            parts.append(f"{k.arg}={_expr(k.value)[0]}")
        return f"{func}({', '.join(parts)})", _ATOM
    if kind is gast.Subscript:
        value, p = _expr(node.value)
        if p < _ATOM:
            raise _Unknown
        return f"{value}[{_index(node.slice)}]", _ATOM
    if kind is gast.Tuple:
        if len(node.elts) == 1:
            return f"({_expr(node.elts[0])[0]},)", _ATOM
        return f"({_elements(node.elts)})", _ATOM
    if kind is gast.List:
        return f"[{_elements(node.elts)}]", _ATOM
    if kind is gast.Compare:
        parts = [_operand(node.left, _COMPARE)]
        for op, right in zip(node.ops, node.comparators):
            parts += (_COMPARISONS[type(op)], _operand(right, _COMPARE))
        return " ".join(parts), _COMPARE
    raise _Unknown


def _operand(node, prec: int) -> str:
    """``node`` as an operand of an operator of precedence ``prec`` that groups neither way
    (parenthesized unless it binds tighter)."""
    text, p = _expr(node)
    return text if p > prec else f"({text})"


def _index(node) -> str:
    if type(node) is gast.Tuple and node.elts:
        return ", ".join(_slice(e) for e in node.elts) + ("," if len(node.elts) == 1 else "")
    return _slice(node)


def _slice(node) -> str:
    if type(node) is gast.Slice:
        lower = _expr(node.lower)[0] if node.lower is not None else ""
        upper = _expr(node.upper)[0] if node.upper is not None else ""
        if node.step is None:
            return f"{lower}:{upper}"
        return f"{lower}:{upper}:{_expr(node.step)[0]}"
    return _expr(node)[0]


def _constant(value) -> tuple:
    if value is None or value is True or value is False:
        return repr(value), _ATOM
    if value is Ellipsis:
        return "...", _ATOM
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        text = repr(value)
        return text, _UNARY if text.startswith("-") else _ATOM
    if type(value) is str and _PLAIN.issuperset(value):
        return repr(value), _ATOM
    raise _Unknown

"""Stage 4: make a ``Derivative`` smaller without changing what it computes.

Passes: constant folding and algebraic identities on each adjoint expression (``2 - 1`` ->
``1``, ``t ** 1`` -> ``t``, ``g * 1`` -> ``g``, ``-(-g)`` -> ``g``), then dead-code
elimination of primal statements nothing reads. Only identities that hold for every
NumPy value are used (never ``0 * x`` -> ``0``, which breaks for ``inf`` and ``nan``).
"""

from __future__ import annotations

import operator

import gast

from .ir import Derivative, Line, names_in

_FOLD = {gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
         gast.Div: operator.truediv, gast.Pow: operator.pow}


def optimize(deriv: Derivative) -> Derivative:
    for line in deriv.adjoint:
        line.stmt = simplify(line.stmt)
    deriv.primal = _live_primal(deriv)
    return deriv


def _number(node):
    if isinstance(node, gast.Constant) and type(node.value) in (int, float):
        return node.value
    return None


class _Simplify(gast.NodeTransformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        left, right, op = _number(node.left), _number(node.right), type(node.op)
        if left is not None and right is not None and op in _FOLD:
            try:
                return gast.Constant(_FOLD[op](left, right), None)
            except (ZeroDivisionError, OverflowError):
                return node
        if right == 1 and op in (gast.Mult, gast.Div, gast.Pow):
            return node.left
        if left == 1 and op is gast.Mult:
            return node.right
        if right == 0 and op in (gast.Add, gast.Sub):
            return node.left
        if left == 0 and op is gast.Add:
            return node.right
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, gast.USub):
            inner = node.operand
            if isinstance(inner, gast.UnaryOp) and isinstance(inner.op, gast.USub):
                return inner.operand
            if _number(inner) is not None:
                return gast.Constant(-inner.value, None)
        if isinstance(node.op, gast.UAdd):
            return node.operand
        return node


def simplify(node):
    """Fold constants and apply value-preserving identities, bottom-up, in place."""
    return _Simplify().visit(node)


def _live_primal(deriv: Derivative) -> list:
    """Primal lines whose results are read later (plus every statement kept for effect)."""
    needed = names_in(deriv.result)
    if deriv.pullback_result is not None:
        needed |= names_in(deriv.pullback_result)
    for line in deriv.adjoint:
        needed |= names_in(line.stmt.value if isinstance(line.stmt, gast.Assign) else line.stmt)
    kept = []
    for line in reversed(deriv.primal):
        if _removable(line) and line.stmt.targets[0].id not in needed:
            continue
        needed |= names_in(line.stmt.value if isinstance(line.stmt, gast.Assign) else line.stmt)
        kept.append(line)
    return kept[::-1]


def _removable(line: Line) -> bool:
    return line.pure and isinstance(line.stmt, gast.Assign)

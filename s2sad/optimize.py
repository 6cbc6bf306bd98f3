"""Stage 4: make a ``Derivative`` smaller without changing what it computes.

Passes: constant folding and algebraic identities on each adjoint expression (``2 - 1`` ->
``1``, ``t ** 1`` -> ``t``, ``g * 1`` -> ``g``, ``-(-g)`` -> ``g``); an adjoint set to zero
and then accumulated once is assigned instead; primal statements nothing reads are dropped.
Only identities that hold for every NumPy value are used (never ``0 * x`` -> ``0``, which
breaks for ``inf`` and ``nan``).
"""

from __future__ import annotations

import operator

import gast

from .ir import Block, Derivative, Line, code_reads, names_in

_FOLD = {gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
         gast.Div: operator.truediv, gast.Pow: operator.pow}


def optimize(deriv: Derivative) -> Derivative:
    deriv.adjoint = _optimize_code(deriv.adjoint)
    _simplify_derived(deriv.primal)  # forward mode's tangent lines
    deriv.primal = _live_primal(deriv)
    return deriv


def _simplify_derived(code: list) -> None:
    for item in code:
        if isinstance(item, Block):
            _simplify_derived(item.body)
            _simplify_derived(item.orelse)
        elif item.derived:
            item.stmt = simplify(item.stmt)


def _optimize_code(code: list) -> list:
    for item in code:
        if isinstance(item, Block):
            item.body = _optimize_code(item.body)
            item.orelse = _optimize_code(item.orelse)
        else:
            item.stmt = simplify(item.stmt)
    return _fold_zero_starts(code)


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


def _assigned_name(item):
    if isinstance(item, Line) and isinstance(item.stmt, gast.Assign) and isinstance(
            item.stmt.targets[0], gast.Name):
        return item.stmt.targets[0].id
    return None


def _is_zeros(item) -> bool:
    value = item.stmt.value
    return isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and \
        value.func.id.startswith("zeros_like")


def _copied_name(item):
    """``c`` for a line ``b = c`` (a plain copy of another name), else None."""
    if _assigned_name(item) and isinstance(item.stmt.value, gast.Name):
        return item.stmt.value.id
    return None


def _fold_zero_starts(code: list) -> list:
    """``b = zeros_like(x)`` ... ``b = b + e`` -> ``b = e``, and ``b = c`` ... ``b = b + e``
    -> ``b = c + e`` (when nothing touches ``b``, or ``c``, in between)."""
    out = list(code)
    for i, item in enumerate(code):
        name = _assigned_name(item)
        copied = _copied_name(item)
        if name is None or not (_is_zeros(item) or copied):
            continue
        for j in range(i + 1, len(code)):
            later = code[j]
            touches = name in code_reads([later]) or _assigned_name(later) == name
            if copied and not touches and _assigned_name(later) == copied:
                break  # the source changes before the accumulation: keep the copy
            if not touches:
                continue
            value = later.stmt.value if isinstance(later, Line) else None
            if (_assigned_name(later) == name and isinstance(value, gast.BinOp)
                    and isinstance(value.left, gast.Name) and value.left.id == name
                    and name not in names_in(value.right)
                    and isinstance(value.op, (gast.Add, gast.Sub))):
                rest = value.right
                if copied:
                    value.left = item.stmt.value
                else:
                    later.stmt.value = rest if isinstance(value.op, gast.Add) else gast.UnaryOp(
                        gast.USub(), rest)
                out[i] = None
            break
    return [item for item in out if item is not None]


def _live_primal(deriv: Derivative) -> list:
    """Primal lines whose results are read later (plus every statement kept for effect)."""
    needed = names_in(deriv.result) | code_reads(deriv.adjoint)
    if deriv.pullback_result is not None:
        needed |= names_in(deriv.pullback_result)
    kept = []
    for item in reversed(deriv.primal):
        name = _assigned_name(item)
        if isinstance(item, Line) and item.pure and name is not None and name not in needed:
            continue
        needed |= code_reads([item])
        kept.append(item)
    return kept[::-1]

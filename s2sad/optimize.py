"""Stage 4: make a ``Derivative`` smaller and faster without changing what it computes.

Passes, repeated until none changes anything:

- constant folding and algebraic identities on each adjoint expression (``2 - 1`` -> ``1``,
  ``t ** 1`` -> ``t``, ``g * 1`` -> ``g``, ``-(-g)`` -> ``g``);
- an adjoint set to zero (or to a copy) and then accumulated once is assigned instead
  (``b = zeros_like(x)``, ``b = b + e`` -> ``b = e``);
- a contribution added to itself is doubled (``b = g * v``, ``b = b + g * v`` ->
  ``b = g * 2 * v``: one array operation fewer when ``g`` is a scalar, and exact);
- copy propagation in loop bodies (run once per iteration): an adjoint that only copies
  another (``bt1 = bx_1``) is replaced by it. Straight-line code keeps its copies, so that
  each adjoint line mirrors a primal line, as in a hand derivation;
- primal statements nothing reads are dropped (dead code elimination);
- in versions specialized to shapes: ``s ** 2`` -> ``s * s`` for a scalar ``s``, and sums
  an adjoint loop adds term by term are taken once after it (``loop_sums``).

The accumulation and copy passes live in ``accumulate`` and ``copies``. Only identities
that hold for every NumPy value are used (never ``0 * x`` -> ``0``, which breaks for
``inf`` and ``nan``). ``s2sad show --no-optimize`` prints the code before this stage.
"""

from __future__ import annotations

import operator

import gast

from . import algebra, loop_sums
from .accumulate import assigned_name, fold_zero_starts, is_zeros
from .copies import count_assignments, propagate_copies
from .ir import Block, Derivative, Line, line_reads, names_in, render
from .line_memo import LineMemo
from .nodes import subtree_fields

_FOLD = {gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
         gast.Div: operator.truediv, gast.Pow: operator.pow}
_AST = gast.AST
_ROUNDS = 4  # fixed-point iterations at most (two are usually enough)


def optimize(deriv: Derivative, shapes: tuple = (), seed_is_one: bool = False) -> Derivative:
    """``shapes``: the signature of a specialized version (``shapes.shape_signature``);
    ``seed_is_one``: the version runs without a seed (``algebra.unit_seed``)."""
    if shapes:
        _scalar_zeros(deriv, {name for name, shape in shapes if shape == ()})
    floats = deriv.floats or None  # (forward mode: not known)
    if seed_is_one:
        algebra.unit_seed(deriv, simplify, floats)
    memo = LineMemo()  # a round redoes only what the last one changed
    for _ in range(_ROUNDS):
        before = _count(deriv.adjoint)
        deriv.adjoint = _optimize_code(deriv.adjoint, floats, memo)
        propagate_copies(deriv, memo)
        if _count(deriv.adjoint) == before:
            break
    if shapes:
        algebra.push_sums(deriv, shapes)
    loop_sums.sum_loop_terms(deriv)
    algebra.square_scalars(deriv.adjoint, deriv.scalars)
    final = LineMemo()  # the lines no longer change: each line's reads are taken once
    reads, lines = _adjoint_reads(deriv, final), _count(deriv.adjoint)
    deriv.adjoint = _keep_read_shapes(deriv.adjoint, reads)
    if _count(deriv.adjoint) != lines:  # the dropped lines read names too
        reads = _adjoint_reads(deriv, final)
    _simplify_derived(deriv.primal)  # forward mode's tangent lines
    deriv.primal = _live_primal(deriv, reads)
    return deriv


def _scalar_zeros(deriv: Derivative, scalars: set) -> None:
    """``zeros_like(y)`` -> ``0.0`` for a parameter ``y`` known to be a scalar (and never
    reassigned)."""
    counts: dict = {}
    count_assignments(deriv.primal, counts)
    count_assignments(deriv.adjoint, counts)
    scalars = {n for n in scalars if not counts.get(n)}

    def visit(code: list) -> None:
        for item in code:
            if isinstance(item, Block):
                visit(item.body)
                visit(item.orelse)
            elif assigned_name(item) and is_zeros(item):
                args = item.stmt.value.args
                if len(args) == 1 and isinstance(args[0], gast.Name) and \
                        args[0].id in scalars and not item.stmt.value.keywords:
                    item.stmt.value = gast.Constant(0.0, None)

    if scalars:
        visit(deriv.adjoint)


def _count(code: list) -> int:
    return sum(1 + _count(i.body) + _count(i.orelse) if isinstance(i, Block) else 1
               for i in code)


def _simplify_derived(code: list) -> None:
    for item in code:
        if isinstance(item, Block):
            _simplify_derived(item.body)
            _simplify_derived(item.orelse)
        elif item.derived:
            item.stmt = simplify(item.stmt)


def _optimize_code(code: list, floats: set | None, memo: LineMemo) -> list:
    for item in code:
        if isinstance(item, Block):
            item.body = _optimize_code(item.body, floats, memo)
            item.orelse = _optimize_code(item.orelse, floats, memo)
        elif not memo.settled(item):  # simplifying twice changes nothing
            item.stmt = simplify(item.stmt, floats)
            memo.settle(item)
    return fold_zero_starts(code, memo)


# -- expressions --------------------------------------------------------------------------

def _number(node):
    if type(node) is gast.Constant and type(node.value) in (int, float):
        return node.value
    return None


def simplify(node, floats: set | None = None):
    """Fold constants and apply value-preserving identities, bottom-up, in place.

    ``floats``: the names known to hold floating-point values. An identity that drops a
    number (``m * 1.0``, ``m + 0.0``) applies only where the rest is surely a float, so the
    value keeps its dtype (a mask ``m`` would otherwise become a boolean gradient). Without
    ``floats``, only comparisons are kept from it."""
    kind = type(node)
    if kind is gast.Name or kind is gast.Constant:
        return node
    attrs = node.__dict__
    for name in subtree_fields(kind):
        value = attrs.get(name)
        cls = value.__class__
        if cls is list:
            attrs[name] = [simplify(v, floats) if isinstance(v, _AST) else v for v in value]
        elif cls is not gast.Name and cls is not gast.Constant and isinstance(value, _AST):
            attrs[name] = simplify(value, floats)
    if kind is gast.BinOp:
        return _binop(node, floats)
    if kind is gast.UnaryOp:
        return _unaryop(node)
    return node


def _binop(node, floats):
    left, right, op = _number(node.left), _number(node.right), type(node.op)
    if left is not None and right is not None and op in _FOLD:
        try:
            return gast.Constant(_FOLD[op](left, right), None)
        except (ZeroDivisionError, OverflowError):
            return node
    if right == 1 and op in (gast.Mult, gast.Div, gast.Pow) and _float(node.left, floats):
        return node.left
    if left == 1 and op is gast.Mult and _float(node.right, floats):
        return node.right
    if right == 0 and op in (gast.Add, gast.Sub) and _float(node.left, floats):
        return node.left
    if left == 0 and op is gast.Add and _float(node.right, floats):
        return node.right
    return node


def _float(node, floats) -> bool:
    """Whether ``node`` keeps its dtype when the number next to it is dropped."""
    if floats is None:
        return not isinstance(node, (gast.Compare, gast.BoolOp)) and not (
            isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not))
    return algebra.surely_float(node, floats)


def _unaryop(node):
    inner = node.operand
    if isinstance(node.op, gast.USub):
        if isinstance(inner, gast.UnaryOp) and isinstance(inner.op, gast.USub):
            return inner.operand
        if _number(inner) is not None:
            return gast.Constant(-inner.value, None)
    if isinstance(node.op, gast.UAdd):
        return inner
    return node


def _adjoint_reads(deriv: Derivative, memo: LineMemo) -> set:
    """Every name the adjoint section and the result read."""
    reads = names_in(deriv.result)
    for item in deriv.adjoint:
        reads |= memo.reads(item)
    if deriv.pullback_result is not None:
        reads |= names_in(deriv.pullback_result)
    return reads


def _keep_read_shapes(code: list, reads: set) -> list:
    """``code`` without the lines ``c_shape = broadcast_of(...)`` whose ``c_shape`` is not in
    ``reads`` (the adjoint it was named for turned out exact)."""
    out, comment = [], ""
    for item in code:
        if isinstance(item, Block):
            item.body = _keep_read_shapes(item.body, reads)
            item.orelse = _keep_read_shapes(item.orelse, reads)
        value = getattr(item.stmt, "value", None) if isinstance(item, Line) else None
        if isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and \
                value.func.id.startswith("broadcast_of") and assigned_name(item) not in reads:
            comment = item.comment  # goes to the next line
            continue
        if comment and not item.comment:
            item.comment = comment
        comment = ""
        out.append(item)
    return out


def _live_primal(deriv: Derivative, reads: set) -> list:
    """Primal lines whose results are read later (plus every statement kept for effect);
    ``reads``: the names the adjoint and the result read."""
    needed = set(reads)
    kept, dropped = [], []
    for item in reversed(deriv.primal):
        name = assigned_name(item)
        if isinstance(item, Line) and item.pure and name is not None and name not in needed:
            dropped.append(item)
            continue
        needed |= line_reads(item)
        kept.append(item)
    notes = []
    if dropped and deriv.adjoint:  # the adjoint's comments name them: show them as comments
        notes = [Line(gast.Pass(), "not needed by the derivative:", note=True)]
        notes += [Line(gast.Pass(), render(item.stmt), note=True) for item in dropped[::-1]]
    return kept[::-1] + notes

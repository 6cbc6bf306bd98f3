"""Activity analysis: which primal values need an adjoint.

A value is *varied* when it depends on a ``wrt`` parameter through differentiable
operations, and *useful* when the returned value depends on it. Only values that are both
get adjoints; every other adjoint would be zero, so it is never emitted. Loops make the
dependence cyclic (through ``Carry``), so both sets are grown to a fixed point.
"""

from __future__ import annotations

import gast

from .binding import bind_operands
from .ir import CONSTANT, Carry, Op, Primal, names_in, walk
from .rules import is_nondiff, lookup, lookup_tangent


def operand_names(op: Op) -> set:
    """The local names an operation reads (its operands that are names)."""
    names = set()
    for atom in list(op.args) + list(op.kwargs.values()):
        names |= names_in(atom)
    return names


def differentiable_operands(op: Op) -> set:
    """The names an operation's output depends on differentiably: every operand, except
    those its rule declares not differentiable (an index, an axis, a shape to match)."""
    rule = lookup(op.key)
    if rule is None:
        own = lookup_tangent(op.key)  # a helper with a forward rule only
        if own is None:
            return operand_names(op)
        params, skip = list(own.tangents), 0
        signature = own.signature
    else:
        params, skip, signature = rule.differentiable, 2, rule.signature
    try:
        bound = bind_operands(signature, skip, op.args, op.kwargs)
    except TypeError:
        return operand_names(op)
    names = set()
    for param in params:
        if isinstance(bound.get(param), gast.AST):
            names |= names_in(bound[param])
    return names


def _edges(primal: Primal) -> list:
    """(target, sources) for every differentiable dependence."""
    edges = []
    for stmt in walk(primal.body):
        if isinstance(stmt, Op):
            differentiable = stmt.key != CONSTANT and not is_nondiff(stmt.key)
            edges.append((stmt.target, differentiable_operands(stmt) if differentiable
                          else set()))
        elif isinstance(stmt, Carry):
            edges.extend((carried, {final}) for carried, final in stmt.pairs)
    return edges


def active_names(primal: Primal, wrt) -> set:
    """Names that are both varied (depend on ``wrt``) and useful (reach the result)."""
    edges = _edges(primal)
    varied = set(wrt)
    changed = True
    while changed:
        changed = False
        for target, sources in edges:
            if target not in varied and sources & varied:
                varied.add(target)
                changed = True
    useful = {primal.result}
    changed = True
    while changed:
        changed = False
        for target, sources in edges:
            if target in useful and not sources <= useful:
                useful |= sources
                changed = True
    return varied & useful

"""Activity analysis: which primal values need an adjoint.

A value is *varied* when it depends on a ``wrt`` parameter through differentiable
operations, and *useful* when the returned value depends on it. Only values that are both
get adjoints; every other adjoint would be zero, so it is never emitted.
"""

from __future__ import annotations

from .ir import CONSTANT, Op, Primal, names_in
from .rules import is_nondiff


def operand_names(op: Op) -> set:
    """The local names an operation reads (its operands that are names)."""
    names = set()
    for atom in list(op.args) + list(op.kwargs.values()):
        names |= names_in(atom)
    return names


def active_names(primal: Primal, wrt) -> set:
    """Names that are both varied (depend on ``wrt``) and useful (reach the result)."""
    varied = set(wrt)
    for op in primal.ops():
        if op.key != CONSTANT and not is_nondiff(op.key) and operand_names(op) & varied:
            varied.add(op.target)
    useful = {primal.result}
    for op in reversed(primal.ops()):
        if op.target in useful:
            useful |= operand_names(op)
    return varied & useful

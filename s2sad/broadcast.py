"""What the compiler can tell about shapes without running the code.

Elementwise rules ignore broadcasting, so their contributions may carry the broadcast
shape ("wide" adjoints). These predicates decide where a contribution surely has the
operand's own shape, and which values may keep a wide adjoint until it is summed back.
"""

from __future__ import annotations

import math

import gast
import numpy as np

from .ir import COPY, Op
from .parse import ParsedFunction
from .rules import lookup


def elementwise_output_shape(atom, op: Op, parsed: ParsedFunction) -> bool:
    """True when ``atom`` surely has the shape of ``op``'s output: every other operand is a
    scalar constant or ``atom`` itself, so nothing broadcast it."""
    return all((isinstance(a, gast.Name) and a.id == atom.id) or is_scalar_constant(a, parsed)
               for a in op.args if a is not atom)


def may_stay_wide(op) -> bool:
    """Whether the adjoint of a value defined by ``op`` may keep a broadcast shape: yes for
    parameters (``op`` is None) and values made by copies and elementwise operations."""
    if op is None or op.key == COPY:
        return True
    rule = lookup(op.key)
    return rule is not None and rule.elementwise


def is_scalar_constant(expr, parsed: ParsedFunction) -> bool:
    """True for expressions that are numbers whatever the program's inputs: literals, module
    constants such as ``np.pi``, and arithmetic or math/NumPy elementwise calls on them."""
    if isinstance(expr, gast.Constant):
        return isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool)
    if isinstance(expr, gast.UnaryOp):
        return is_scalar_constant(expr.operand, parsed)
    if isinstance(expr, gast.BinOp):
        return is_scalar_constant(expr.left, parsed) and is_scalar_constant(expr.right, parsed)
    if isinstance(expr, gast.Attribute):
        owner = parsed.resolve(expr.value)
        return type(owner).__name__ == "module" and isinstance(
            getattr(owner, expr.attr, None), (int, float))
    if isinstance(expr, gast.Call) and not expr.keywords:
        func = parsed.resolve(expr.func)
        elementwise = isinstance(func, np.ufunc) or func is getattr(
            math, getattr(func, "__name__", ""), None)
        return elementwise and all(is_scalar_constant(a, parsed) for a in expr.args)
    return False

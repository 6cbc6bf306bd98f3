"""Stage 3: the primal form -> the adjoint function (``ir.Derivative``).

The derivative function runs the primal statements, then walks them backwards applying one
rule per operation. An adjoint with a single contribution is assigned (``bx = ...``); a later
contribution accumulates (``bx = bx + ...``). Only active values (``activity``) get adjoints.

Modes: ``grad`` returns the gradients and takes the seed as a trailing parameter
(``bc=1.0``); ``value_and_grad`` also returns the value; ``vjp`` returns the value and a
nested ``pullback(bc)`` closure over the primal values.
"""

from __future__ import annotations

import math

import gast
import numpy as np

from .activity import active_names
from .inline import Inliner, Linker
from .ir import CONSTANT, COPY, Derivative, Effect, Line, Op, Primal, render
from .parse import ParsedFunction
from .rules import is_nondiff, lookup

MODES = ("grad", "value_and_grad", "vjp")


def build_reverse(primal: Primal, wrt: tuple, mode: str = "grad",
                  single: bool = True) -> Derivative:
    """The adjoint function of ``primal`` with respect to the parameters named in ``wrt``
    (returning one gradient if ``single``, else a tuple of them)."""
    namer = primal.namer
    linker = Linker(primal.parsed, namer)
    inliner = Inliner(primal.parsed, linker)
    active = active_names(primal, wrt)
    seed = namer.adjoint(primal.result)

    defining = {op.target: op for op in primal.ops()}
    adjoint, have, wide = [], set(), set()
    if primal.result in active:
        have.add(primal.result)
    for op in reversed(primal.ops()):
        if op.target not in active or op.target not in have:
            continue
        g = namer.adjoint(op.target)
        if op.key == COPY:
            contributions, elementwise = [(op.args[0], _name(g))], True
        else:
            contributions, elementwise = inliner.reverse(op, g), lookup(op.key).elementwise
        lines = []
        for atom, contribution in contributions:
            if atom.id not in active:
                continue
            is_wide = elementwise and (
                op.target in wide or not _same_shape_as_output(atom, op, primal.parsed))
            if is_wide and not _may_stay_wide(defining.get(atom.id)):
                contribution = _call(linker.runtime("unbroadcast"), contribution, _name(atom.id))
                is_wide = False
            lines.append(_accumulate(namer.adjoint(atom.id), contribution, atom.id in have))
            have.add(atom.id)
            if is_wide:
                wide.add(atom.id)
        if lines:
            lines[0].comment = render(_primal_stmt(op))
            adjoint.extend(lines)

    grads = [_gradient(p, have, wide, namer, linker) for p in wrt]
    grads_expr = grads[0] if single else gast.Tuple(grads, gast.Load())
    primal_lines = [_primal_line(s) for s in primal.body if isinstance(s, (Op, Effect))]
    params, defaults = _signature(primal)
    name = "d" + primal.name + "".join(f"_d{p}" for p in wrt)
    value = _name(primal.result)
    if mode == "grad":
        check = _call(linker.runtime("require_scalar"), value, gast.Constant(primal.name, None))
        adjoint.insert(0, Line(gast.Expr(check)))
        return Derivative(name, params + [seed], defaults + [("1.0", 1.0)], primal_lines,
                          adjoint, grads_expr, linker.imports)
    if mode == "value_and_grad":
        result = gast.Tuple([value, grads_expr], gast.Load())
        return Derivative(name, params + [seed], defaults + [("1.0", 1.0)], primal_lines,
                          adjoint, result, linker.imports)
    pullback = namer.fresh("pullback")
    result = gast.Tuple([value, _name(pullback)], gast.Load())
    return Derivative(primal.name + "_vjp", params, defaults, primal_lines, adjoint,
                      result, linker.imports, pullback=pullback, pullback_params=[seed],
                      pullback_result=grads_expr)


def _accumulate(target: str, contribution, accumulate: bool) -> Line:
    if accumulate:
        if isinstance(contribution, gast.UnaryOp) and isinstance(contribution.op, gast.USub):
            value = gast.BinOp(_name(target), gast.Sub(), contribution.operand)
        else:
            value = gast.BinOp(_name(target), gast.Add(), contribution)
    else:
        value = contribution
    return Line(gast.Assign([gast.Name(target, gast.Store(), None, None)], value, None))


def _gradient(param: str, have: set, wide: set, namer, linker: Linker):
    """The returned gradient of a parameter, summed back to its shape if it may be wider."""
    if param not in have:
        return _call(linker.runtime("zeros_like"), _name(param))
    g = _name(namer.adjoint(param))
    return _call(linker.runtime("unbroadcast"), g, _name(param)) if param in wide else g


def _same_shape_as_output(atom, op: Op, parsed: ParsedFunction) -> bool:
    """True when ``atom`` surely has the shape of ``op``'s output: every other operand is a
    scalar constant or ``atom`` itself, so nothing broadcast it."""
    return all((isinstance(a, gast.Name) and a.id == atom.id) or _is_scalar_constant(a, parsed)
               for a in op.args if a is not atom)


def _may_stay_wide(op) -> bool:
    """Whether the adjoint of a value defined by ``op`` may keep a broadcast shape: yes for
    parameters (summed once, at the return) and values made by elementwise operations."""
    if op is None or op.key == COPY:
        return True
    rule = lookup(op.key)
    return rule is not None and rule.elementwise


def _is_scalar_constant(expr, parsed: ParsedFunction) -> bool:
    """True for expressions that are numbers whatever the program's inputs: literals, module
    constants such as ``np.pi``, and arithmetic or math/NumPy elementwise calls on them."""
    if isinstance(expr, gast.Constant):
        return isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool)
    if isinstance(expr, gast.UnaryOp):
        return _is_scalar_constant(expr.operand, parsed)
    if isinstance(expr, gast.BinOp):
        return _is_scalar_constant(expr.left, parsed) and _is_scalar_constant(expr.right, parsed)
    if isinstance(expr, gast.Attribute):
        owner = parsed.resolve(expr.value)
        return type(owner).__name__ == "module" and isinstance(
            getattr(owner, expr.attr, None), (int, float))
    if isinstance(expr, gast.Call) and not expr.keywords:
        func = parsed.resolve(expr.func)
        elementwise = isinstance(func, np.ufunc) or func is getattr(
            math, getattr(func, "__name__", ""), None)
        return elementwise and all(_is_scalar_constant(a, parsed) for a in expr.args)
    return False


def _signature(primal: Primal):
    args = primal.parsed.node.args
    params = [a.id for a in args.args]
    values = primal.parsed.func.__defaults__ or ()
    sources = [render(d) for d in args.defaults]
    return params, list(zip(sources, values))


def _primal_stmt(op: Op) -> gast.stmt:
    return gast.Assign([gast.Name(op.target, gast.Store(), None, None)], op.value, None)


def _primal_line(stmt) -> Line:
    if isinstance(stmt, Effect):
        return Line(stmt.stmt)
    return Line(_primal_stmt(stmt), pure=_is_pure(stmt))


def _is_pure(op: Op) -> bool:
    """Known operations have no side effects; an unknown call (``np.random...``) might."""
    if op.key == CONSTANT:
        return not any(isinstance(n, gast.Call) for n in gast.walk(op.value))
    return op.key in (COPY, "tuple", "list") or lookup(op.key) is not None or is_nondiff(op.key)


def _name(name: str) -> gast.Name:
    return gast.Name(name, gast.Load(), None, None)


def _call(func, *args) -> gast.Call:
    return gast.Call(func, list(args), [])

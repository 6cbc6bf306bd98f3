"""Stage 3, forward mode: the primal form -> the tangent function (``ir.Derivative``).

Each primal statement is followed by its tangent, as in the notes' forward tangent trace::

    t0 = np.log(x1)
    dt0 = dx1 / x1

Tangents come from the reverse rules' declarations (``registry.reverse``): elementwise,
linear and multilinear operations need no second rule. Control flow keeps its shape and
needs no tape: a loop carries each variable's tangent along with the variable. Calls to the
user's own functions go through their own forward derivative (``helper_jvp``).
"""

from __future__ import annotations

import gast

from .broadcast import SCALAR
from .builder import DISPLAYS, Builder, derivative_name, is_subroutine
from .folding import replace_nodes
from .ir import (
    CONSTANT,
    COPY,
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
    op_statements,
)
from .nodes import load_name, store_name
from .primal import signature
from .rules import is_nondiff, lookup


def build_forward(primal: Primal, wrt: tuple, single: bool = True,
                  subroutine=None) -> Derivative:
    """``name_jvp(*params, *tangents) -> (value, tangent)`` for the parameters in ``wrt``;
    ``subroutine(func, wrt)`` gives the forward transform of a user function."""
    builder = _Forward(primal, wrt, subroutine)
    # a parameter outside wrt that a loop makes varied (`y = y + x` in a loop) starts with
    # a zero tangent, once, before anything else
    code = [_assign(builder.tangent(p), gast.Call(builder.linker.runtime("zero_tangent"),
                                                  [_load(p)], []))
            for p in primal.params if p in builder.active and p not in wrt]
    code += builder.block(primal.body)
    params, defaults = signature(primal)
    tangents = [builder.namer.tangent(p) for p in wrt]
    # a tangent defaults to 1.0, like the seed of `grad`: jvp(f)(x) is then df/dx for a float
    result = gast.Tuple([_load(primal.result), builder.tangent_expr(primal.result)],
                        gast.Load())
    del single  # one output: the tangent is one value whatever the number of inputs
    return Derivative(derivative_name(primal, "jvp", wrt), params + tangents,
                      defaults + [("1.0", 1.0)] * len(tangents), primal=code, adjoint=[],
                      result=result, imports=builder.linker.imports,
                      subroutines=builder.subroutines,
                      primal_label="forward: each value, then its tangent")


class _Forward(Builder):
    suffix = "jvp"

    def tangent(self, name: str):
        """The tangent variable of ``name``, or None when it is not differentiated."""
        return self.namer.tangent(name) if name in self.active else None

    def tangent_expr(self, name: str):
        if name in self.active:
            return _load(self.namer.tangent(name))
        return gast.Call(self.linker.runtime("zero_tangent"), [_load(name)], [])

    def block(self, block: list) -> list:
        code = []
        for stmt in block:
            if isinstance(stmt, Op):
                code += self.op(stmt)
            elif isinstance(stmt, Effect):
                code.append(Line(stmt.stmt))
            elif isinstance(stmt, If):
                code.append(Block(gast.If(stmt.test, [], []), self.block(stmt.body) or [_pass()],
                                  self.block(stmt.orelse)))
            elif isinstance(stmt, Loop):
                header = gast.While(stmt.test, [], []) if stmt.test is not None else gast.For(
                    _store(stmt.target), stmt.iter, [], [], None)
                code.append(Block(header, self.block(stmt.body) or [_pass()]))
            elif isinstance(stmt, Carry):
                code += [_assign(c, _load(f)) for c, f in stmt.pairs]
                code += [_assign(self.tangent(c), self.tangent_expr(f))
                         for c, f in stmt.pairs if c in self.active]
            elif isinstance(stmt, Jump):
                code.append(Line(gast.Break() if stmt.kind == "break" else gast.Continue()))
        return code

    def op(self, op: Op) -> list:
        if op.target in self.active and is_subroutine(op.key):
            return self.call(op)
        lines = [Line(s) for s in op_statements(op)]
        if op.target not in self.active:
            return lines
        dt = self.tangent(op.target)
        if op.key == "setitem":
            return lines + self.setitem(op)
        value = self.tangent_of(op)
        if value is None:  # constant here, varied elsewhere (a loop's starting value)
            value = gast.Call(self.linker.runtime("zero_tangent"), [_load(op.target)], [])
        lines.append(_assign(dt, value, tangent=True))
        return lines

    def tangent_of(self, op: Op):
        if op.key in (CONSTANT,) or is_nondiff(op.key):
            return None
        if op.key == COPY:
            return self.tangent_expr(op.args[0].id)
        if op.key in DISPLAYS:
            swap = {id(a): self.tangent_expr(a.id) if isinstance(a, gast.Name)
                    else self.constant_tangent(a) for a in op.args}
            return replace_nodes(op.value, swap)
        value = self.inliner.forward(op, self.tangent)
        if value is not None and self.widens(op):
            value = gast.Call(self.linker.runtime("expand_to"), [value, _load(op.target)], [])
        return value

    def constant_tangent(self, value):
        """The tangent of a constant element: ``0.0`` for a number, else zeros like it."""
        if isinstance(value, gast.Constant) and isinstance(value.value, (int, float)):
            return gast.Constant(0.0, None)
        return gast.Call(self.linker.runtime("zero_tangent"), [value], [])

    def widens(self, op: Op) -> bool:
        """Whether an elementwise output may be larger than its tangent: when an operand
        that is not differentiated may be what broadcasting stretched it to (then the
        tangent is broadcast to the output's shape)."""
        rule = lookup(op.key)
        if rule is None or not rule.elementwise:
            return False
        out = self.shapes.of(_load(op.target))
        active = [a for a in op.args if isinstance(a, gast.Name) and a.id in self.active]
        passive = [a for a in op.args if not (isinstance(a, gast.Name) and a.id in self.active)]
        return out != SCALAR and any(self.shapes.of(a) != SCALAR for a in passive) and all(
            self.shapes.of(a) != out for a in active)

    def setitem(self, op: Op) -> list:
        """``x_1 = x.copy(); x_1[i] = v``: the same two steps on the tangents."""
        array, index, item = op.args
        dt = self.tangent(op.target)
        start = (gast.Call(gast.Attribute(_load(self.tangent(array.id)), "copy", gast.Load()),
                           [], []) if array.id in self.active else
                 gast.Call(self.linker.runtime("zero_tangent"), [_load(array.id)], []))
        value = (_load(self.tangent(item.id)) if isinstance(item, gast.Name)
                 and item.id in self.active else gast.Constant(0.0, None))
        element = gast.Subscript(_load(dt), index, gast.Store())
        return [_assign(dt, start), Line(gast.Assign([element], value, None))]

    def call(self, op: Op) -> list:
        """``t0, dt0 = helper_jvp(x, dx)``: the callee's own forward derivative."""
        active = self.active_arguments(op)
        if not active:  # a constant here, varied on another path
            zero = gast.Call(self.linker.runtime("zero_tangent"), [_load(op.target)], [])
            return [Line(s) for s in op_statements(op)] + [
                _assign(self.tangent(op.target), zero, tangent=True)]
        jvp = self.transform_of(op.key, tuple(p for p, _ in active))
        tangents = [_load(self.tangent(a.id)) for _, a in active]
        tangents = gast.keyword("tangents", gast.Tuple(tangents, gast.Load()))
        call = gast.Call(jvp, list(op.value.args), list(op.value.keywords) + [tangents])
        targets = gast.Tuple([_store(op.target), _store(self.tangent(op.target))], gast.Store())
        return [Line(gast.Assign([targets], call, None))]


def _assign(target: str, value, tangent: bool = False) -> Line:
    return Line(gast.Assign([_store(target)], value, None), derived=tangent)


def _pass() -> Line:
    return Line(gast.Pass())


def _store(name: str) -> gast.Name:
    return store_name(name)


def _load(name: str) -> gast.Name:
    return load_name(name)

"""Stage 3: the primal form -> the adjoint function (``ir.Derivative``).

The derivative runs the primal statements, then walks them backwards applying one rule
per operation. An adjoint with a single contribution is assigned (``bx = ...``); a later
contribution accumulates (``bx = bx + ...``). Only active values (``activity``) get adjoints.

Control flow keeps its shape. The adjoint of an ``if`` is an ``if`` on the same test; the
adjoint of a loop is a loop over the iterations in reverse. Each iteration of a primal
loop appends what its adjoint will need (and nothing else) to a list, ``tape``; the
adjoint loop reads it back with ``for ... in reversed(tape)``. Memory and time stay linear
in the number of iterations. Inside loops, each ``if`` keeps its branch's values in a
record ``rec`` that goes on the tape with the rest of the iteration.

Modes: ``grad`` returns the gradients and takes the seed as a trailing parameter
(``bc=1.0``); ``value_and_grad`` also returns the value; ``vjp`` returns the value and a
nested ``pullback(bc)`` closure over the primal values.
"""

from __future__ import annotations

import builtins

import gast
import numpy as np

from .activity import differentiable_operands
from .broadcast import SCALAR, full_sum_operand, may_stay_wide, shape_sources
from .builder import DISPLAYS, Builder, derivative_name, display_contributions, is_subroutine
from .exactness import Exactness
from .ir import (
    CONSTANT,
    COPY,
    Block,
    Carry,
    Derivative,
    If,
    Line,
    Loop,
    Op,
    Primal,
    clone,
    names_in,
    op_statements,
    rename_code,
    render,
    walk,
)
from .ir import add_to as _add
from .ir import assign as _assign
from .ir import call as _call
from .ir import load as _name
from .primal import PrimalWriter, signature
from .records import exported, innermost_loops, needed_names, unpack
from .rules import is_nondiff, lookup
from .shapes import matmul_contributions


def build_reverse(primal: Primal, wrt: tuple, mode: str = "grad", single: bool = True,
                  subroutine=None) -> Derivative:
    """The adjoint function of ``primal`` with respect to the parameters named in ``wrt``
    (one gradient if ``single``, else a tuple). ``subroutine(func, wrt)`` returns the vjp
    transform of a user function called with active arguments."""
    builder = _Reverse(primal, wrt, subroutine)
    adjoint = builder.adjoint(primal.body)
    primal_code = PrimalWriter(builder).write(primal.body)
    return builder.derivative(mode, single, primal_code, adjoint)


class _Reverse(Exactness, Builder):
    suffix = "vjp"

    def __init__(self, primal: Primal, wrt: tuple, subroutine):
        super().__init__(primal, wrt, subroutine)
        # a name the join of two paths defines twice may stay wide only if both allow it
        self.wide_ok: dict = {}
        for op in primal.ops():
            self.wide_ok[op.target] = self.wide_ok.get(op.target, True) and may_stay_wide(op)
        self.loop_of = innermost_loops(primal.body)
        self.loops: list = []  # loops enclosing the statement being differentiated
        self.have: set = set()  # names whose adjoint variable holds a value here
        # adjoint -> the shape class (``broadcast.ShapeClasses``) it has, for adjoints that
        # may be wider than their own value; adjoints of one class add up directly
        self.origin: dict = {}
        self.exact_only: set = set()  # adjoints a branch or loop must keep exact
        # adjoint -> (name ``like``,): the adjoint may be narrower than it stands for (the
        # scalar seed of a full ``np.sum``); broadcast to the shape of ``like`` it is exact
        # (or as wide as its origin); only elementwise operations may read it as it is
        self.narrow: dict = {}
        self.calls: dict = {}  # id(op) -> (vjp name, pullback name) of subroutine calls
        self.records: dict = {}  # id(If or Loop) -> (name, needed names per block)
        # pullbacks and tapes named in program order (the adjoint meets them last first)
        self.pullbacks = {id(op): self.namer.fresh(f"{op.key.__name__}_pullback")
                          for op in primal.ops() if op.target in self.active
                          and is_subroutine(op.key)}
        self.tapes = {id(s): self.namer.fresh("tape") for s in walk(primal.body)
                      if isinstance(s, Loop) and any(self.defines_active(o)
                                                     for o in walk(s.body))}
        if primal.result in self.active:
            self.have.add(primal.result)

    def defines_active(self, stmt) -> bool:
        """Whether ``stmt`` sets an active value (an operation, or a loop-carried value
        at the end of an iteration), so that a loop holding it has an adjoint."""
        if isinstance(stmt, Op):
            return stmt.target in self.active
        return isinstance(stmt, Carry) and any(c in self.active for c, _ in stmt.pairs)

    # -- adjoint statements ---------------------------------------------------------
    def adjoint(self, block: list) -> list:
        code = []
        for stmt in reversed(block):
            if isinstance(stmt, Op):
                code += self.op(stmt)
            elif isinstance(stmt, If):
                code += self.branch(stmt)
            elif isinstance(stmt, Loop):
                code += self.loop(stmt)
            elif isinstance(stmt, Carry):
                code += self.carry(stmt)
        return code

    def op(self, op: Op) -> list:
        if op.target not in self.active or op.target not in self.have \
                or op.key == CONSTANT or is_nondiff(op.key):
            return []
        g = self.namer.adjoint(op.target)
        summed, mean = full_sum_operand(op) if not self.loops else (None, False)
        if summed is not None and summed.id in self.active:  # the same g for every element
            value = gast.BinOp(_name(g), gast.Div(), _call(gast.Attribute(self.linker.name(
                "np", np), "size", gast.Load()), summed)) if mean else _name(g)
            like, lines = shape_sources(summed.id, self.primal, self.shapes), []
            if len(like) > 1:  # name the shape once: `c_shape = broadcast_of(x, m, s)`
                shape = self.namer.fresh(f"{summed.id}_shape")
                lines.append(_assign(shape, _call(self.linker.runtime("broadcast_of"),
                                                  *map(_name, like))))
                like = (shape,)
            lines.append(self.contribute(summed.id, value, None, like))
            lines[0].comment = render(op_statements(op)[-1])
            return lines
        elementwise = op.key == COPY or (op.key not in DISPLAYS and not is_subroutine(op.key)
                                         and getattr(lookup(op.key), "elementwise", False))
        lines = self.materialize(op.target) if not elementwise else []
        like = self.narrow.get(op.target)
        if op.key == COPY:
            contributions = [(op.args[0], _name(g))]
        elif op.key in DISPLAYS:
            contributions = display_contributions(op, g)
        elif is_subroutine(op.key):
            return lines + self.call(op, g)
        else:
            contributions = matmul_contributions(op, _name(g), self.shapes, self.linker.name(
                "np", np)) or self.inliner.reverse(op, g)
        first = len(lines)
        g_shape = self.origin.get(op.target) or self.shapes.of(_name(op.target))
        for atom, contribution in contributions:
            if atom.id in self.active:
                origin = None
                if elementwise and g_shape != self.shapes.of(atom):
                    origin = g_shape
                # a contribution that reads a value of its full shape is no longer narrow
                full = like is None or any(self.shapes.of(_name(n)) == g_shape
                                           for n in names_in(contribution))
                lines.append(self.contribute(atom.id, contribution, origin,
                                             None if full else like))
        if len(lines) > first:
            lines[first].comment = render(op_statements(op)[-1])
        return lines

    def contribute(self, name: str, value, origin, like=None) -> Line:
        """``bname = value``, or ``bname = bname + value`` when it already holds one.

        ``origin`` names the value whose shape ``value`` has when that may be wider than
        ``name`` (broadcasting); ``like`` marks a narrow ``value`` (see ``self.narrow``).
        Adjoints of different origins are first summed back to the shape of ``name``."""
        if not self.may_stay_wide(name):
            value, origin, like = self.exact(value, name, origin, like), None, None
        target = self.namer.adjoint(name)
        if name in self.have:
            current, current_origin = _name(target), self.origin.get(name)
            current_like = self.narrow.pop(name, None)
            if current_origin != origin:
                if current_origin is not None:
                    current, current_like = self.exact(current, name, current_origin,
                                                       current_like), None
                if origin is not None:
                    value, like = self.exact(value, name, origin, like), None
                self.origin.pop(name, None)
            like = like if current_like is not None else None  # narrow only if both are
            value = _add(current, value)
        else:
            self.have.add(name)
            if origin is not None:
                self.origin[name] = origin
        if like is not None:
            self.narrow[name] = like
        return _assign(target, value)

    def call(self, op: Op, g: str) -> list:
        """Adjoint of a call to a user function: call the pullback its vjp returned."""
        active = self.active_arguments(op)
        if not active:
            return []
        vjp = self.transform_of(op.key, tuple(p for p, _ in active), op).id
        pullback = self.pullbacks[id(op)]
        self.calls[id(op)] = (vjp, pullback)
        names = [a.id for _, a in active]
        direct = [n not in self.have and names.count(n) == 1 for n in names]
        targets = [self.namer.adjoint(n) if d else self.namer.fresh(f"g_{n}")
                   for n, d in zip(names, direct)]
        outs = [gast.Name(t, gast.Store(), None, None) for t in targets]
        call = _call(_name(pullback), _name(g))
        target = outs[0] if len(outs) == 1 else gast.Tuple(outs, gast.Store())
        lines = [Line(gast.Assign([target], call, None), render(op_statements(op)[-1]))]
        for name, target, is_direct in zip(names, targets, direct):
            if is_direct:
                self.have.add(name)
            else:
                lines.append(self.contribute(name, _name(target), None))
        return lines

    def branch(self, node: If) -> list:
        touched = self.touched(node, node.body + node.orelse)
        code = self.make_exact(touched & self.have)
        expected = self.have | touched  # adjoints that hold a value after the `if`
        have, origin, exact = set(self.have), dict(self.origin), self.exact_only
        narrow = dict(self.narrow)
        self.exact_only = exact | touched
        then = self.adjoint(node.body) + self.settled(origin, narrow, touched)
        have_then, self.have, self.origin, self.narrow = self.have, set(have), dict(origin), \
            dict(narrow)
        orelse = self.adjoint(node.orelse) + self.settled(origin, narrow, touched)
        have_else = self.have
        nowhere = expected - have_then - have_else  # still nothing on every path: stay so
        then += self.zeros(expected - have_then - nowhere)
        orelse += self.zeros(expected - have_else - nowhere)
        self.have, self.origin, self.exact_only = expected - nowhere, origin, exact
        self.narrow = narrow
        if not then and not orelse:
            return code
        if self.loops:
            shared = exported(node, self.records, self.calls)  # kept by the level above
            needed = [self.needed(then, node.body, exclude=shared),
                      self.needed(orelse, node.orelse, exclude=shared)]
            if any(needed):
                rec = self.namer.fresh("rec")
                self.records[id(node)] = (rec, needed)
                then = unpack(rec, needed[0]) + then
                orelse = unpack(rec, needed[1]) + orelse
        test = clone(node.test)  # the adjoint loop may rename names in its copy
        if not then:
            test, then, orelse = gast.UnaryOp(gast.Not(), test), orelse, []
        return code + [Block(gast.If(test, [], []), then, orelse)]

    def loop(self, node: Loop) -> list:
        touched = self.touched(node, node.body)
        code = self.make_exact(touched & self.have) + self.zeros(touched - self.have)
        expected = self.have | touched
        origin, exact, narrow = dict(self.origin), self.exact_only, dict(self.narrow)
        self.exact_only = exact | touched
        self.loops.append(node)
        body = self.adjoint(node.body)
        body += self.zeros(expected - self.have)  # carried values no iteration path reached
        self.loops.pop()
        self.have, self.origin, self.exact_only = expected, origin, exact
        self.narrow = narrow
        if not body:
            return code
        per_iteration = [node.target] if node.target else []
        per_iteration += list(node.carried.values())
        needed = self.needed(body, node.body, per_iteration)
        tape = self.tapes[id(node)]
        self.records[id(node)] = (tape, [needed])
        # a carried variable outlives the loop: its value at the start of an iteration is
        # read back under its own name, `h_prev`, so the final `h` stays intact
        previous = {c: self.namer.fresh(f"{c}_prev") for c in needed
                    if c in node.carried.values()}
        rename_code(body, previous)
        targets = [gast.Name(previous.get(n, n), gast.Store(), None, None) for n in needed] or [
            gast.Name("_", gast.Store(), None, None)]
        target = targets[0] if len(targets) == 1 else gast.Tuple(targets, gast.Store())
        reverse = _call(self.linker.name("reversed", builtins.reversed), _name(tape))
        header = gast.For(target, reverse, [], [], None)
        return code + [Block(header, body, comment="the loop above, last iteration first")]

    def carry(self, node: Carry) -> list:
        """End of an iteration path, backwards: the adjoint of each carried variable flows
        to its final version in this iteration; the version the iteration started with
        starts again from nothing."""
        lines = []
        for carried, final in node.pairs:
            if carried in self.active and carried in self.have:
                lines.append(self.contribute(final, _name(self.namer.adjoint(carried)), None))
                self.have.discard(carried)
        if lines:
            lines[0].comment = "; ".join(f"{c} = {f}" for c, f in node.pairs)
        return lines

    def touched(self, node, block: list) -> set:
        """Active values defined outside ``block`` whose adjoints ``block`` changes."""
        inside = {s.target for s in walk(block) if isinstance(s, Op)}
        if isinstance(node, Loop) and node.target:
            inside.add(node.target)
        touched = set()
        for stmt in walk(block):
            if isinstance(stmt, Op) and stmt.target in self.active:
                touched |= differentiable_operands(stmt) & self.active
            elif isinstance(stmt, Carry):
                touched |= {name for pair in stmt.pairs for name in pair} & self.active
        return touched - inside

    def zeros(self, names) -> list:
        """``bx = zeros_like(x)`` for each name (the adjoint of a value nothing reached)."""
        zeros = self.linker.runtime("zeros_like")
        lines = [_assign(self.namer.adjoint(n), _call(zeros, _name(n))) for n in sorted(names)]
        self.have |= set(names)
        return lines

    def needed(self, code: list, block: list, extra=(), exclude=()) -> list:
        return needed_names(code, block, self.records, self.calls, extra, exclude)

    # -- the whole function -----------------------------------------------------------
    def derivative(self, mode: str, single: bool, primal_code: list, adjoint: list):
        grads = [self.gradient(p) for p in self.wrt]
        grads_expr = grads[0] if single else gast.Tuple(grads, gast.Load())
        params, defaults = signature(self.primal)
        primal = self.primal
        seed = self.namer.adjoint(primal.result)
        value = _name(primal.result)
        name = derivative_name(primal, mode, self.wrt)
        common = dict(primal=primal_code, adjoint=adjoint, imports=self.linker.imports,
                      subroutines=self.subroutines,
                      floats=set(self.active) | self.namer.adjoints(), **self.static_facts())
        if mode == "grad":
            if self.shapes.of(value) != SCALAR:  # else surely a scalar: nothing to check
                check = _call(self.linker.runtime("require_scalar"), value,
                              gast.Constant(primal.name, None))
                adjoint.insert(0, Line(gast.Expr(check)))
            return Derivative(name, params + [seed], defaults + [("1.0", 1.0)],
                              result=grads_expr, **common)
        if mode == "value_and_grad":
            return Derivative(name, params + [seed], defaults + [("1.0", 1.0)],
                              result=gast.Tuple([value, grads_expr], gast.Load()), **common)
        pullback = self.namer.fresh("pullback")
        return Derivative(name, params, defaults,
                          result=gast.Tuple([value, _name(pullback)], gast.Load()),
                          pullback=pullback, pullback_params=[seed],
                          pullback_result=grads_expr, **common)

    def gradient(self, param: str):
        """The returned gradient of a parameter, summed back to its shape if it may be wider."""
        if param not in self.have:
            return _call(self.linker.runtime("zeros_like"), _name(param))
        value = self.exact(_name(self.namer.adjoint(param)), param, self.origin.get(param),
                           self.narrow.get(param))
        if isinstance(value, gast.Name) and self.shapes.of(_name(param)) == SCALAR and any(
                op.key is np.where for op in self.primal.ops()):
            # np.where of scalars is a 0-d array: a float's gradient is a scalar
            value = _call(self.linker.runtime("unbroadcast"), value, _name(param))
        return value

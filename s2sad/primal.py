"""The primal half of a generated derivative: the user's statements, plus what the adjoint
needs kept (a ``tape`` per loop, a ``rec`` per branch inside a loop), plus the calls of
differentiated subroutines that also return their pullbacks."""

from __future__ import annotations

import gast

from .ir import (
    CONSTANT,
    COPY,
    Block,
    Carry,
    Effect,
    If,
    Jump,
    Line,
    Loop,
    Op,
    Primal,
    op_statements,
    render,
)
from .nodes import load_name, nodes, store_name
from .rules import is_pure


class PrimalWriter:
    """Writes the primal statements of a derivative, given the adjoint builder's records
    (``records``: what each loop iteration and branch keeps) and subroutine ``calls``."""

    def __init__(self, builder):
        self.records = builder.records
        self.calls = builder.calls

    def write(self, block: list, loop=None, pending: tuple = ()) -> list:
        code = []
        for stmt in block:
            if isinstance(stmt, Op):
                code += self.op(stmt)
            elif isinstance(stmt, Effect):
                code.append(Line(stmt.stmt))
            elif isinstance(stmt, If):
                code.append(self.branch(stmt, loop, pending))
            elif isinstance(stmt, Loop):
                code += self.loop(stmt)
            elif isinstance(stmt, Carry):
                code += self.end_of_iteration(stmt, loop, pending)
            elif isinstance(stmt, Jump):
                code.append(Line(gast.Break() if stmt.kind == "break" else gast.Continue()))
        return code

    def op(self, op: Op) -> list:
        if id(op) in self.calls:
            vjp, pullback = self.calls[id(op)]
            targets = gast.Tuple([_store(op.target), _store(pullback)], gast.Store())
            call = gast.Call(_load(vjp), op.value.args, op.value.keywords)
            return [Line(gast.Assign([targets], call, None))]
        statements = op_statements(op)
        return [Line(s, pure=_is_pure(op) and len(statements) == 1) for s in statements]

    def branch(self, node: If, loop, pending: tuple) -> Block:
        record = self.records.get(id(node))
        blocks = []
        for k, block in enumerate((node.body, node.orelse)):
            if node.jumps:  # the record is written where each path ends
                more = ((record, k),) if record else ()
                blocks.append(self.write(block, loop, pending + more))
            else:
                blocks.append(self.write(block, loop, pending)
                              + ([_record(record, k)] if record else []))
        then, orelse = blocks
        return Block(gast.If(node.test, [], []), then or [Line(gast.Pass())], orelse)

    def loop(self, node: Loop) -> list:
        record = self.records.get(id(node))
        code = []
        if record:
            code.append(Line(gast.Assign([_store(record[0])], gast.List([], gast.Load()), None),
                             "what each iteration keeps for the adjoint"))
        if node.test is not None:
            header = gast.While(node.test, [], [])
        else:
            header = gast.For(_store(node.target), node.iter, [], [], None)
        body = self.write(node.body, node, ())
        code.append(Block(header, body or [Line(gast.Pass())]))
        return code

    def end_of_iteration(self, node: Carry, loop, pending: tuple) -> list:
        code = [_record(record, k) for record, k in reversed(pending)]
        record = self.records.get(id(loop))
        if record:
            append = gast.Attribute(_load(record[0]), "append", gast.Load())
            code.append(Line(gast.Expr(gast.Call(append, [_values(record[1][0])], []))))
        code += [Line(gast.Assign([_store(c)], _load(f), None)) for c, f in node.pairs]
        return code


def signature(primal: Primal):
    """The user's parameter names and (source text, value) of their defaults."""
    args = primal.parsed.node.args
    params = [a.id for a in args.args]
    values = primal.parsed.func.__defaults__ or ()
    return params, list(zip([render(d) for d in args.defaults], values))


def _record(record, k: int) -> Line:
    name, needed = record
    return Line(gast.Assign([_store(name)], _values(needed[k]), None))


def _values(names: list):
    if len(names) == 1:
        return _load(names[0])
    if not names:
        return gast.Constant(None, None)
    return gast.Tuple([_load(n) for n in names], gast.Load())


def _is_pure(op: Op) -> bool:
    """Registered operations have no side effects unless declared ``pure=False`` (random
    draws); an unknown call might have some."""
    if op.key == CONSTANT:
        return not any(isinstance(n, gast.Call) for n in nodes(op.value))
    return op.key in (COPY, "tuple", "list", "dict", "append") or is_pure(op.key)


def _store(name: str) -> gast.Name:
    return store_name(name)


def _load(name: str) -> gast.Name:
    return load_name(name)

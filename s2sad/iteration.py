"""Stage 2b: ``for`` loops over anything but a range, as loops over positions.

``for x in xs`` becomes ``for i in range(len(xs)): x = xs[i]`` (``zip``, ``enumerate`` and
``reversed`` likewise), so an element of a value being differentiated is a subscript, whose
adjoint flows back into ``xs``. Also the scans of the AST that ``normalize`` needs to decide
which variables a loop carries.
"""

from __future__ import annotations

import copy

import gast
import numpy as np

from .flatten import call_of, plain_name
from .nodes import load_name, names_in, nodes, store_name
from .parse import UNRESOLVED

_RANGES = (range, np.arange)


class Iteration:
    """Mixin for ``normalize._Normalizer``: lowering of ``for`` loop headers."""

    def iteration(self, stmt: gast.For):
        """(loop variable, iterable over atoms, statements that bind the user's target).

        ``range``/``np.arange`` and constant iterables are iterated directly; anything else
        by position (``for i in range(len(xs)): x = xs[i]``), so that elements of arrays and
        lists being differentiated are subscripts with adjoints."""
        iterable = stmt.iter
        if isinstance(stmt.target, gast.Name) and (
                self.is_constant(iterable) or self.resolves_to(iterable, _RANGES)):
            return stmt.target.id, self.rename(copy.deepcopy(iterable)), []
        if (self.resolves_to(iterable, (enumerate,)) and isinstance(stmt.target, gast.Tuple)
                and isinstance(stmt.target.elts[0], gast.Name) and len(iterable.args) == 1
                and not iterable.keywords):
            index = stmt.target.elts[0].id
            length, element = self.sequence(iterable.args[0])
            bind = [assign_node(stmt.target.elts[1], element(plain_name(index)), stmt)]
            return index, call_of("range", length), bind
        index = self.namer.fresh("i")
        length, element = self.sequence(iterable)
        bind = [assign_node(stmt.target, element(plain_name(index)), stmt)]
        return index, call_of("range", length), bind

    def sequence(self, expr: gast.expr):
        """(length expression, element(index) -> expression) for an iterable."""
        if self.resolves_to(expr, (zip,)) and not expr.keywords:
            parts = [self.sequence(a) for a in expr.args]
            length = parts[0][0] if len(parts) == 1 else call_of("min", *[p[0] for p in parts])
            return length, lambda i: gast.Tuple([p[1](i) for p in parts], gast.Load())
        if self.resolves_to(expr, (enumerate,)) and 1 <= len(expr.args) <= 2:
            length, element = self.sequence(expr.args[0])
            starts = expr.args[1:] or [kw.value for kw in expr.keywords if kw.arg == "start"]
            start = self.atom(starts[0]) if starts else None

            def numbered(i):
                count = i if start is None else gast.BinOp(i, gast.Add(), start)
                return gast.Tuple([count, element(i)], gast.Load())

            return length, numbered
        if self.resolves_to(expr, (reversed,)) and len(expr.args) == 1:
            length, element = self.sequence(expr.args[0])
            last = gast.BinOp(gast.BinOp(length, gast.Sub(), gast.Constant(1, None)),
                              gast.Sub(), load_name("?"))

            def backwards(i):
                index = copy.deepcopy(last)
                index.right = i
                return element(index)

            return length, backwards
        seq = self.atom(expr)
        if isinstance(seq, gast.Name):
            self.read_later.add(seq.id)  # the loop reads it each iteration: keep it intact
        return call_of("len", seq), lambda i: gast.Subscript(seq, i, gast.Load())

    def resolves_to(self, expr: gast.expr, candidates: tuple) -> bool:
        if not isinstance(expr, gast.Call):
            return False
        func = self.parsed.resolve(expr.func) if self.is_constant(expr.func) else UNRESOLVED
        return any(func is c for c in candidates)


def assign_stmt(name: str, value: gast.expr, where) -> gast.Assign:
    return assign_node(store_name(name), value, where)


def assign_node(target: gast.expr, value: gast.expr, where) -> gast.Assign:
    node = gast.Assign([target], value, None)
    for sub in gast.walk(node):
        gast.copy_location(sub, where) if not hasattr(sub, "lineno") else None
    return gast.copy_location(node, where)


def assigned_names(stmts: list) -> set:
    """User variables a block assigns (subscript and augmented targets included)."""
    names = set()
    for stmt in stmts:
        for node in nodes(stmt):
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
                names.add(node.id)
            elif isinstance(node, gast.Subscript) and isinstance(node.ctx, gast.Store) \
                    and isinstance(node.value, gast.Name):
                names.add(node.value.id)
            elif isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) \
                    and isinstance(node.func.value, gast.Name) and node.func.attr in MUTATORS:
                names.add(node.func.value.id)
    return names


MUTATORS = ("append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault",
             "popitem", "sort", "reverse", "fill", "resize", "put", "itemset")


def is_mutation(value: gast.expr, env: dict) -> bool:
    """Whether a bare call statement mutates a local value in place (``xs.append(v)``)."""
    return (isinstance(value, gast.Call) and isinstance(value.func, gast.Attribute)
            and isinstance(value.func.value, gast.Name) and value.func.value.id in env
            and value.func.attr in MUTATORS)


def target_names(stmt) -> set:
    if isinstance(stmt, gast.For):
        return names_in(stmt.target)
    return set()


def read_outside(function: gast.FunctionDef, loop) -> set:
    """Names the function reads anywhere but in the body of ``loop``."""
    header = loop.test if isinstance(loop, gast.While) else loop.iter
    return {n.id for n in nodes(function, prune=loop) + nodes(header)
            if type(n) is gast.Name and isinstance(n.ctx, gast.Load)}

"""Stage 2, with optimization on: an operation written twice is computed once.

In ``np.sum(E * E) + np.log(1.0 + E * E)`` the primal computes ``E * E`` once: a later
operation that applies the same pure operation to the same operands reads the earlier
value instead, where that value is surely current (computed earlier in the same block, or
before the block that holds the later one, and not from a variable a loop changes since).
A compiler temporary is replaced wherever it is read (``t3`` -> ``t0``); a variable of
yours keeps its name as a copy (``z = y``), so the generated code still shows it. Both
halves of the derivative then follow: the primal computes less, and the adjoints of the
two uses add up before the one operation's rule runs.
"""

from __future__ import annotations

import gast

from .ir import CONSTANT, COPY, Carry, Effect, If, Loop, Op, Primal, Return, render, walk
from .nodes import load_name, names_in, rename
from .rules import is_pure


def share_common_operations(primal: Primal) -> None:
    """Rewrite ``primal`` in place (see the module docstring)."""
    kept = _kept_names(primal)
    renames: dict = {}
    primal.body = _block(primal.body, {}, renames, kept)


def _block(body: list, available: dict, renames: dict, kept: set) -> list:
    """``available``: operation (``_signature``) -> (the name holding its value, the names
    it reads)."""
    available = dict(available)  # what this block computes stays in it
    out = []
    for stmt in body:
        _apply(stmt, renames)
        if isinstance(stmt, Op):
            signature = _signature(stmt)
            earlier = available.get(signature, (None,))[0] if signature else None
            if earlier is not None:
                if stmt.target in kept:
                    stmt.key, stmt.value = COPY, load_name(earlier)
                    stmt.args, stmt.kwargs = [stmt.value], {}  # the operand is the value
                else:
                    renames[stmt.target] = earlier
                    continue
            elif signature:
                available[signature] = (stmt.target, names_in(stmt.value))
        elif isinstance(stmt, Effect):
            available.clear()  # it may change what a later operation reads
        elif isinstance(stmt, If):
            stmt.body = _block(stmt.body, available, renames, kept)
            stmt.orelse = _block(stmt.orelse, available, renames, kept)
        elif isinstance(stmt, Loop):
            changing = _changing(stmt)
            for signature, (_, operands) in list(available.items()):
                if operands & changing:
                    del available[signature]
            stmt.body = _block(stmt.body, available, renames, kept)
        out.append(stmt)
    return out


def _signature(op: Op) -> tuple | None:
    """What a pure operation computes (equal signatures, equal values): its rule's key and
    its operands; None for other operations."""
    if op.key in (COPY, CONSTANT, "setitem") or not is_pure(op.key):
        return None
    signature = (op.key, tuple(map(_operand, op.args)),
                 tuple(sorted((k, _operand(v)) for k, v in op.kwargs.items())))
    try:
        hash(signature)
    except TypeError:  # an unhashable key or constant
        return None
    return signature


def _operand(atom):
    if isinstance(atom, gast.Name):
        return atom.id
    if isinstance(atom, gast.Constant):
        return type(atom.value).__name__, atom.value  # 1, 1.0 and True differ
    return "expr", render(atom) if isinstance(atom, gast.AST) else repr(atom)


def _apply(stmt, renames: dict) -> None:
    """Read each renamed temporary under its new name (in place: an operation's operands
    are nodes of its value)."""
    if not renames:
        return
    if isinstance(stmt, Op):
        for node in [stmt.value, *stmt.args, *stmt.kwargs.values()]:
            if isinstance(node, gast.AST):
                rename(node, renames)
    elif isinstance(stmt, Effect):
        rename(stmt.stmt, renames)
    elif isinstance(stmt, If):
        rename(stmt.test, renames)
    elif isinstance(stmt, Loop):
        for node in (stmt.iter, stmt.test):
            if node is not None:
                rename(node, renames)


def _changing(loop: Loop) -> set:
    """The names a loop gives new values from one iteration to the next."""
    names = set(loop.carried) | set(loop.carried.values())
    if loop.target is not None:
        names.add(loop.target)
    for stmt in walk(loop.body):
        if isinstance(stmt, Carry):
            for carried, final in stmt.pairs:
                names |= {carried, final}
    return names


def _kept_names(primal: Primal) -> set:
    """Names that must stay: your variables, branch joins, and what loops carry, returns
    and effects read (a temporary there is copied, not renamed)."""
    kept = set(primal.parsed.local_names) | set(primal.params) | {primal.result}
    assigned: set = set()
    for stmt in walk(primal.body):
        if isinstance(stmt, Op):  # assigned twice: a branch join
            kept |= {stmt.target} & assigned
            assigned.add(stmt.target)
        elif isinstance(stmt, Loop):
            kept |= _changing(stmt)
        elif isinstance(stmt, Return):
            kept.add(stmt.name)
        elif isinstance(stmt, Effect):
            kept |= names_in(stmt.stmt)
    return kept

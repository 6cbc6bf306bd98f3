"""What a loop iteration or a branch inside a loop keeps for its adjoint (and which loop
defines each name).

The adjoint of an iteration runs after the whole loop, when the loop's variables hold their
last values; so each iteration saves (on its loop's ``tape``) the values its adjoint code
reads, and each branch in a loop saves its own in a record ``rec``. These functions decide
which names those are, from the adjoint code and the primal block that defines them.
"""

from __future__ import annotations

import gast

from .ir import If, Line, Loop, Op, code_reads
from .nodes import load_name, store_name


def needed_names(code: list, block: list, records: dict, calls: dict, extra=(),
                  exclude=()) -> list:
    """Names the adjoint ``code`` reads that ``block`` defines at its own level (its
    operations, the values both branches of an ``if`` in it define, the records of the ifs
    and loops in it, and ``extra``), in definition order: what a loop iteration or a branch
    must keep for its adjoint."""
    defined = list(extra) + level_defs(block, records, calls)
    reads = code_reads(code)
    seen, out = set(exclude), []
    for name in defined:
        if name in reads and name not in seen:
            seen.add(name)
            out.append(name)
    return out


def level_defs(block: list, records: dict, calls: dict) -> list:
    """Names every path through ``block`` defines at its level, in order (loops' insides
    are their own level)."""
    defined = []
    for stmt in block:
        if isinstance(stmt, Op):
            defined.append(stmt.target)
            if id(stmt) in calls:
                defined.append(calls[id(stmt)][1])
        elif isinstance(stmt, If):
            defined += exported(stmt, records, calls)
        if isinstance(stmt, (If, Loop)) and id(stmt) in records:
            defined.append(records[id(stmt)][0])
    return defined


def exported(node: If, records: dict, calls: dict) -> list:
    """Names both branches of an ``if`` define (so they exist after it, whichever ran)."""
    other = set(level_defs(node.orelse, records, calls))
    return [n for n in level_defs(node.body, records, calls) if n in other]


def unpack(rec: str, names: list) -> list:
    if not names:
        return []
    targets = [store_name(n) for n in names]
    target = targets[0] if len(targets) == 1 else gast.Tuple(targets, gast.Store())
    return [Line(gast.Assign([target], load_name(rec), None))]


def innermost_loops(block: list, loop=None, out=None) -> dict:
    """name -> id of the innermost loop whose body defines it (None: the function body)."""
    out = {} if out is None else out
    for stmt in block:
        if isinstance(stmt, Op):
            out[stmt.target] = loop
        elif isinstance(stmt, If):
            innermost_loops(stmt.body, loop, out)
            innermost_loops(stmt.orelse, loop, out)
        elif isinstance(stmt, Loop):
            if stmt.target:
                out[stmt.target] = id(stmt)
            for carried in stmt.carried.values():
                out.setdefault(carried, loop)
            innermost_loops(stmt.body, id(stmt), out)
    return out

"""Optimizer pass over straight-line statements: an adjoint accumulation that starts from
zero, from a copy or from the same value becomes one assignment (``fold_zero_starts``)."""

from __future__ import annotations

from bisect import bisect_right

import gast

from .ir import Block, Line, names_in
from .line_memo import LineMemo


def same(a, b) -> bool:
    """Structural equality of two expressions (names, constants, operators, calls)."""
    if type(a) is not type(b):
        return False
    if not isinstance(a, gast.AST):
        if isinstance(a, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        return a == b and type(a) is type(b)
    return all(same(getattr(a, f, None), getattr(b, f, None)) for f in a._fields
               if f not in ("ctx", "type_comment", "annotation"))


def assigned_name(item):
    """``b`` for a line ``b = ...``, else None (a ``Block``, or another target)."""
    stmt = item.stmt if item.__class__ is Line else None
    if stmt.__class__ is gast.Assign and stmt.targets[0].__class__ is gast.Name:
        return stmt.targets[0].id
    return None


def is_zeros(item) -> bool:
    """Whether an assignment sets its target to zeros (``zeros_like(x)`` or ``0.0``)."""
    value = item.stmt.value
    if type(value) is gast.Constant and type(value.value) is float:
        return value.value == 0.0  # ``zeros_like`` of a scalar
    return isinstance(value, gast.Call) and isinstance(value.func, gast.Name) and \
        value.func.id.startswith("zeros_like")


def copied_name(item):
    """``c`` for a line ``b = c`` (a plain copy of another name), else None."""
    if assigned_name(item) and isinstance(item.stmt.value, gast.Name):
        return item.stmt.value.id
    return None


def fold_zero_starts(code: list, memo: LineMemo) -> list:
    """``b = zeros_like(x)`` ... ``b = b + e`` -> ``b = e``, ``b = c`` ... ``b = b + e``
    -> ``b = c + e`` and ``b = e`` ... ``b = b + e`` -> ``b = e * 2`` (when nothing
    touches ``b``, or ``c``, in between). Reports the lines it changes to ``memo``."""
    out = list(code)
    reads = [memo.reads(item) for item in code]
    assigned = [assigned_name(item) for item in code]
    assigning: dict = {}  # name -> the lines assigning it, in order
    for j, name in enumerate(assigned):
        if name is not None:
            assigning.setdefault(name, []).append(j)
    tracked = set(assigning)  # only these names are looked up in ``touching``
    touching: dict = {name: [] for name in tracked}  # -> the lines reading or assigning it
    for j, (read, name) in enumerate(zip(reads, assigned)):
        for n in read & tracked if name is None or name in read else (*(read & tracked), name):
            touching[n].append(j)
    for i, item in enumerate(code):
        name = assigned[i]
        if name is None or name in reads[i]:
            continue
        j = _next_after(touching[name], i)
        copied = copied_name(item)
        if j is None or copied and _next_after(assigning.get(copied, ()), i, j) is not None:
            continue  # nothing touches it later, or the source changes before anything does
        later = code[j]
        value = later.stmt.value if isinstance(later, Line) else None
        if not (assigned[j] == name and isinstance(value, gast.BinOp)
                and isinstance(value.left, gast.Name) and value.left.id == name
                and name not in names_in(value.right)
                and isinstance(value.op, (gast.Add, gast.Sub))):
            continue
        rest = value.right
        if copied:
            value.left = item.stmt.value
        elif is_zeros(item):
            later.stmt.value = rest if isinstance(value.op, gast.Add) else gast.UnaryOp(
                gast.USub(), rest)
        elif isinstance(value.op, gast.Add) and same(item.stmt.value, rest) and \
                not _assigned_between(code, assigned, i, j, names_in(rest)):
            later.stmt.value = _doubled(rest)
        else:
            continue
        memo.changed(later)
        if item.comment and not later.comment:
            later.comment = item.comment
        out[i] = None
    return [item for item in out if item is not None]


def _next_after(lines: list, i: int, before=None):
    """The first of the ordered line numbers ``lines`` after ``i`` (and before ``before``),
    or None."""
    k = bisect_right(lines, i)
    if k < len(lines) and (before is None or lines[k] < before):
        return lines[k]
    return None


def _assigned_between(code: list, assigned: list, i: int, j: int, names: set) -> bool:
    """Whether a line between ``i`` and ``j`` may assign one of ``names`` (``assigned``:
    the name each line assigns)."""
    return any(assigned[k] in names or code[k].__class__ is Block for k in range(i + 1, j))


def _doubled(expr):
    """``e + e`` as ``2 * e``, written ``g * 2 * v`` for a product ``g * v`` (both exact)."""
    two = gast.Constant(2, None)
    if isinstance(expr, gast.BinOp) and isinstance(expr.op, gast.Mult):
        return gast.BinOp(gast.BinOp(expr.left, gast.Mult(), two), gast.Mult(), expr.right)
    return gast.BinOp(two, gast.Mult(), expr)

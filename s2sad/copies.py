"""Optimizer pass: copy propagation in loop bodies (``propagate_copies``)."""

from __future__ import annotations

import gast

from .accumulate import assigned_name, copied_name
from .ir import Block, Derivative, names_in
from .line_memo import LineMemo


def propagate_copies(deriv: Derivative, memo: LineMemo) -> None:
    """In loop bodies, drop adjoint lines ``a = b`` (``a`` assigned nowhere else, ``b`` not
    reassigned after the copy) and read ``b`` wherever ``a`` was read (reported to
    ``memo``)."""
    counts: dict = {}
    count_assignments(deriv.adjoint, counts)
    keep = names_in(deriv.result) | set(deriv.params) | set(deriv.pullback_params)
    if deriv.pullback_result is not None:
        keep |= names_in(deriv.pullback_result)
    mapping: dict = {}
    deriv.adjoint = _drop_copies(deriv.adjoint, False, counts, keep, mapping, memo)
    for a, b in list(mapping.items()):  # resolve chains a -> b -> c
        while b in mapping:
            b = mapping[b]
        mapping[a] = b
    memo.rename(deriv.adjoint, mapping)


def _drop_copies(code: list, in_loop: bool, counts: dict, keep: set, mapping: dict,
                 memo: LineMemo) -> list:
    """``code`` without the copies ``propagate_copies`` drops (``mapping`` gets each one)."""
    out, assigned, read = [], set(), set()
    for item in code:
        if isinstance(item, Block):
            inner = in_loop or not isinstance(item.node, gast.If)
            item.body = _drop_copies(item.body, inner, counts, keep, mapping, memo)
            item.orelse = _drop_copies(item.orelse, inner, counts, keep, mapping, memo)
        else:
            a, b = assigned_name(item), copied_name(item)
            # in a loop, ``b`` must be assigned before the copy in the same iteration,
            # and ``a`` not read before it (that would be the last iteration's ``a``)
            stable = counts.get(b, 0) == 0 or counts.get(b) == 1 and (
                not in_loop or (b in assigned and a not in read))
            if in_loop and b is not None and a not in keep and counts.get(a) == 1 and \
                    stable and a != b:
                mapping[a] = mapping.get(b, b)
                continue
            assigned.add(a)
        if in_loop:
            read |= memo.reads(item)
        out.append(item)
    return out


def count_assignments(code: list, counts: dict) -> None:
    """Times each name is assigned (a loop's target counts as many)."""
    for item in code:
        if isinstance(item, Block):
            if isinstance(item.node, gast.For):
                for n in names_in(item.node.target):
                    counts[n] = counts.get(n, 0) + 2
            count_assignments(item.body, counts)
            count_assignments(item.orelse, counts)
        elif isinstance(item.stmt, gast.Assign):
            for target in item.stmt.targets:
                for n in names_in(target):
                    counts[n] = counts.get(n, 0) + (1 if isinstance(target, gast.Name) else 2)

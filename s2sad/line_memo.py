"""What the optimizer remembers of each adjoint line between the passes of its fixed-point
rounds (``optimize.optimize``), so that a round does not redo work on unchanged lines.

Contract: ``reads(item)`` equals ``ir.line_reads(item)`` (do not change the set it returns);
``settled(line)`` is true once ``settle(line)`` was called and the line has not changed
since. A pass that changes a line in place must call ``changed(line)``; ``rename`` renames
and reports the lines it changes. Only the rounds' own passes report changes: a memo is not
valid past them.
"""

from __future__ import annotations

import gast

from .ir import Block, line_reads
from .nodes import rename


class LineMemo:
    def __init__(self):
        # id(line) -> (line, value): the line is kept so that its id is not reused
        self._reads: dict = {}
        self._settled: dict = {}

    def reads(self, item) -> set:
        """The names a ``Line`` (or a ``Block`` with its body) reads."""
        if item.__class__ is Block:
            names = item.header_reads()
            for inner in item.body:
                names |= self.reads(inner)
            for inner in item.orelse:
                names |= self.reads(inner)
            return names
        entry = self._reads.get(id(item))
        if entry is None:
            entry = self._reads[id(item)] = (item, line_reads(item))
        return entry[1]

    def settled(self, line) -> bool:
        return id(line) in self._settled

    def settle(self, line) -> None:
        self._settled[id(line)] = line

    def changed(self, line) -> None:
        self._reads.pop(id(line), None)
        self._settled.pop(id(line), None)

    def rename(self, code: list, mapping: dict) -> None:
        """``ir.rename_code(code, mapping)``, visiting only the lines that hold a name
        ``mapping`` renames (which may simplify further: they are no longer settled)."""
        if not mapping:
            return
        for item in code:
            if item.__class__ is Block:
                rename(item.node, mapping)
                self.rename(item.body, mapping)
                self.rename(item.orelse, mapping)
                continue
            stmt = item.stmt
            targets = stmt.targets if stmt.__class__ is gast.Assign else ()
            if len(targets) == 1 and targets[0].__class__ is gast.Name and \
                    targets[0].id not in mapping and self.reads(item).isdisjoint(mapping):
                continue  # (other statements are always renamed)
            rename(stmt, mapping)
            self.changed(item)

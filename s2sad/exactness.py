"""Wide and narrow adjoints in reverse mode: when they are summed back to their values'
shapes.

An elementwise rule's contribution may carry the broadcast shape of its output ("wide":
``origin`` names the value whose shape it has), and a full sum's adjoint stays the scalar
seed until something needs it ("narrow": ``like`` names a value of the shape it stands
for). ``Exactness`` decides where they may stay so and writes the lines that make them
exact: ``unbroadcast``/``reduce_to`` sums for wide ones, ``unreduce`` for narrow ones. It is
a part of ``reverse._Reverse`` and reads its state (``origin``, ``narrow``, ``exact_only``,
``loops``, ``loop_of``, ``wide_ok``).
"""

from __future__ import annotations

from .ir import assign as _assign
from .ir import call as _call
from .ir import load as _name
from .shapes import reduce_to


class Exactness:
    """How adjoints keep or lose a wide or narrow shape (mixed into ``reverse._Reverse``)."""

    def exact(self, value, name: str, origin, like):
        """``value`` (an adjoint of ``name`` from ``origin``, narrow if ``like``) summed back
        or spread out to the shape of ``name``."""
        if origin is not None:
            source, target = self.shapes.dims.get(origin), self.shapes.shape(_name(name))
            if like is None and source is not None and target is not None:
                summed = reduce_to(value, source, target)
                if summed is not None:
                    return summed
            args = (value, _name(name)) + ((_name(like[0]),) if like is not None else ())
            return _call(self.linker.runtime("unbroadcast"), *args)
        if like is not None:
            return _call(self.linker.runtime("unreduce"), value, _name(name))
        return value

    def materialize(self, name: str) -> list:
        """``bx = unreduce(bx, like)`` where the adjoint of ``name`` is narrow: before a
        non-elementwise operation reads it."""
        like = self.narrow.pop(name, None)
        if like is None:
            return []
        b = self.namer.adjoint(name)
        return [_assign(b, _call(self.linker.runtime("unreduce"), _name(b), _name(like[0])))]

    def may_stay_wide(self, name: str) -> bool:
        """Parameters and values of elementwise operations may keep a broadcast adjoint
        while they are in the loop iteration (or function body) that defines them."""
        current = id(self.loops[-1]) if self.loops else None
        return name not in self.exact_only and self.loop_of.get(name) == current and \
            self.wide_ok.get(name, True)

    def settled(self, origin: dict, narrow: dict, touched: set) -> list:
        """At the end of a branch: adjoints it ``touched`` (of values from outside it) that
        became wide or narrow in it, made exact (every path leaves them alike)."""
        wide = {n for n, o in self.origin.items() if origin.get(n) != o}
        narrower = {n for n, like in self.narrow.items() if narrow.get(n) != like}
        return self.make_exact(touched & (wide | narrower))

    def make_exact(self, names) -> list:
        """Sum wide adjoints back to their values' shapes before a block adds to them."""
        lines = []
        for name in sorted(n for n in names if n in self.origin or n in self.narrow):
            b = self.namer.adjoint(name)
            value = self.exact(_name(b), name, self.origin.pop(name, None),
                               self.narrow.pop(name, None))
            lines.append(_assign(b, value))
        return lines


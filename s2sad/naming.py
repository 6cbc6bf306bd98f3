"""The only place generated names are minted: deterministic and collision-free.

Primal temporaries are ``t0, t1, ...`` in evaluation order; a reassigned user variable gets
a suffix (``a``, then ``a_1``); the adjoint of ``v`` is ``bv`` ("v bar"); the tangent of
``v`` is ``dv``. A name already in use anywhere in the function is never handed out again.
"""

from __future__ import annotations

from collections.abc import Iterable


class Namer:
    """Hands out fresh names, avoiding every name it has been told is taken."""

    def __init__(self, taken: Iterable[str] = ()):
        self._taken = set(taken)
        self._next_temp = 0
        self._derived: dict = {}

    def reserve(self, name: str) -> None:
        self._taken.add(name)

    def is_taken(self, name: str) -> bool:
        return name in self._taken

    def fresh(self, base: str) -> str:
        """``base`` itself if free, else ``base_1``, ``base_2``, ..."""
        name, k = base, 0
        while name in self._taken:
            k += 1
            name = f"{base}_{k}"
        self._taken.add(name)
        return name

    def temp(self) -> str:
        """The next free primal temporary ``t<k>``."""
        while f"t{self._next_temp}" in self._taken:
            self._next_temp += 1
        name = f"t{self._next_temp}"
        self._taken.add(name)
        return name

    def derived(self, prefix: str, name: str) -> str:
        """The name for ``name``'s adjoint (prefix ``b``) or tangent (prefix ``d``)."""
        key = (prefix, name)
        if key not in self._derived:
            self._derived[key] = self.fresh(prefix + name)
        return self._derived[key]

    def adjoint(self, name: str) -> str:
        return self.derived("b", name)

    def adjoints(self) -> set:
        """Every adjoint name given out so far."""
        return {name for (prefix, _), name in self._derived.items() if prefix == "b"}

    def tangent(self, name: str) -> str:
        return self.derived("d", name)

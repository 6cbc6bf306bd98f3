"""How generated code names the objects it uses, and how messages name rule keys.

``Linker.name`` gives the user's own name for an object when the user's namespace binds it
(``np``), else a fresh name that ``compile`` binds. ``describe`` and ``spelling`` turn rule
keys and operations into the names error messages and ``s2sad rules`` print.
"""

from __future__ import annotations

import operator
import sys

import gast
import numpy as np

from . import runtime
from .ir import Op, render
from .naming import Namer
from .nodes import load_name
from .parse import ParsedFunction
from .rules import NONDIFF, REVERSE, is_pure


class Linker:
    """Chooses how generated code names an object: the user's own name for it if the user's
    namespace binds that name to the same object, else a fresh name bound at compile time."""

    def __init__(self, parsed: ParsedFunction, namer: Namer):
        self.parsed = parsed
        self.namer = namer
        self.imports: dict = {}

    def name(self, preferred: str, obj) -> gast.Name:
        if self.parsed.lookup(preferred) is obj:
            return load_name(preferred)
        for name, bound in self.imports.items():
            if bound is obj:
                return load_name(name)
        name = preferred if not self.namer.is_taken(preferred) else self.namer.fresh(preferred)
        self.namer.reserve(name)
        self.imports[name] = obj
        return load_name(name)

    def runtime(self, helper: str) -> gast.Name:
        return self.name(helper, getattr(runtime, helper))


def spelling(op: Op) -> str:
    """How an error message names the operation: as the user wrote the callee."""
    if isinstance(op.value, gast.Call):
        return render(op.value.func)
    if isinstance(op.value, gast.Attribute):
        return render(op.value)
    return describe(op.key)


_SYMBOLS = {
    operator.add: "a + b", operator.sub: "a - b", operator.mul: "a * b",
    operator.truediv: "a / b", operator.floordiv: "a // b", operator.mod: "a % b",
    operator.pow: "a ** b", operator.matmul: "a @ b", operator.neg: "-a", operator.pos: "+a",
    operator.not_: "not a", operator.invert: "~a", operator.lt: "a < b", operator.le: "a <= b",
    operator.gt: "a > b", operator.ge: "a >= b", operator.eq: "a == b", operator.ne: "a != b",
}
_SPECIAL = {"getitem": "x[i]", "setitem": "x[i] = v", "append": "xs.append(v)",
            "compare": "a < b < c"}


def describe(key) -> str:
    """How messages and ``s2sad rules`` name a rule key."""
    if isinstance(key, str):
        if key.startswith("ndarray."):
            attr = key.split(".", 1)[1]
            owner = "x" if is_pure(key) or not (key in REVERSE or key in NONDIFF) else "rng"
            return f"{owner}.{attr}" if attr in _ATTRIBUTES else f"{owner}.{attr}()"
        return _SPECIAL.get(key, key)
    try:
        if key in _SYMBOLS:
            return _SYMBOLS[key]
    except TypeError:
        pass
    module = getattr(key, "__module__", None) or ("numpy" if isinstance(key, np.ufunc) else "")
    name = getattr(key, "__name__", repr(key))
    special = sys.modules.get("scipy.special")
    if module.startswith("numpy") and getattr(np, name, None) is key:
        module = "np"
    elif module.startswith("numpy.random") and getattr(np.random, name, None) is key:
        module = "np.random"
    elif module.startswith("numpy.linalg") and getattr(np.linalg, name, None) is key:
        module = "np.linalg"
    elif special is not None and getattr(special, name, None) is key:
        module = "scipy.special"
    return f"{module}.{name}" if module and module != "builtins" else name


_ATTRIBUTES = ("T", "shape", "ndim", "size", "dtype", "real", "imag", "flat")

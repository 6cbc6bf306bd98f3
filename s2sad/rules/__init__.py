"""Derivative rules, one module per family; importing this package registers them all."""

from . import (  # noqa: F401
    arith,
    containers,
    linalg,
    math_module,
    nondifferentiable,
    numpy_arrays,
    numpy_ufuncs,
)
from .registry import NONDIFF, REVERSE, Rule, is_nondiff, lookup, nondiff, reverse

__all__ = ["REVERSE", "NONDIFF", "Rule", "reverse", "nondiff", "lookup", "is_nondiff"]

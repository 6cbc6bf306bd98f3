"""Derivative rules, one module per family; importing this package registers them all."""

from . import arith, math_module, nondifferentiable, numpy_arrays, numpy_ufuncs  # noqa: F401
from .registry import NONDIFF, REVERSE, Rule, is_nondiff, lookup, nondiff, reverse

__all__ = ["REVERSE", "NONDIFF", "Rule", "reverse", "nondiff", "lookup", "is_nondiff"]

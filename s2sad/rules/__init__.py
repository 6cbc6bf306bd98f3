"""Derivative rules, one module per family; importing this package registers them all."""

from . import (  # noqa: F401
    arith,
    containers,
    linalg,
    math_module,
    nondifferentiable,
    numpy_arrays,
    numpy_construction,
    numpy_shapes,
    numpy_statistics,
    numpy_ufuncs,
    random_draws,
    runtime_helpers,
    tangent_arrays,
    tangent_construction,
    tangent_helpers,
    tangent_linalg,
    tangent_statistics,
)

try:
    import scipy.special  # noqa: F401
except ImportError:  # SciPy is optional: its rules are registered only when it is installed
    scipy_special = None
else:
    from . import scipy_special  # noqa: F401
from .registry import (
    IMPURE,
    NONDIFF,
    REFUSED,
    REVERSE,
    TANGENT,
    Rule,
    TangentRule,
    is_nondiff,
    is_pure,
    lookup,
    lookup_tangent,
    nondiff,
    refusal,
    refuse,
    reverse,
    tangent,
)

__all__ = ["REVERSE", "NONDIFF", "IMPURE", "REFUSED", "TANGENT", "Rule", "TangentRule",
           "reverse", "tangent", "nondiff", "refuse", "lookup", "lookup_tangent", "is_nondiff",
           "is_pure", "refusal"]

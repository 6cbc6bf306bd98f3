"""Derivative rules, one module per family; importing this package registers them all."""

from . import (  # noqa: F401
    arith,
    containers,
    linalg,
    math_module,
    nondifferentiable,
    numpy_arrays,
    numpy_shapes,
    numpy_statistics,
    numpy_ufuncs,
    random_draws,
    runtime_helpers,
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
    Rule,
    is_nondiff,
    is_pure,
    lookup,
    nondiff,
    refusal,
    refuse,
    reverse,
)

__all__ = ["REVERSE", "NONDIFF", "IMPURE", "REFUSED", "Rule", "reverse", "nondiff", "refuse",
           "lookup", "is_nondiff", "is_pure", "refusal"]

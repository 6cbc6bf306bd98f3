"""s2sad: source-to-source automatic differentiation for Python and NumPy.

``@s2sad.grad`` reads a function's source, lowers it to single-assignment primal statements,
writes the adjoint function from one derivative rule per operation, and compiles it. The
generated gradient is plain Python: print it with ``.source`` or ``s2sad show``.
"""

from . import errors
from .api import (
    Transformed,
    grad,
    hessian,
    hvp,
    jacobian,
    jvp,
    source,
    ssa,
    value_and_grad,
    vjp,
)
from .check import CheckReport, check_grad, numeric_grad
from .errors import GradientMismatch
from .rules.registry import reverse as rule
from .rules.registry import tangent as tangent_rule
from .runtime import stop_gradient

__version__ = "0.1.0"

__all__ = [
    "grad", "value_and_grad", "vjp", "jvp", "hessian", "hvp", "jacobian", "source", "ssa",
    "check_grad", "numeric_grad",
    "CheckReport", "GradientMismatch", "Transformed", "errors", "rule", "tangent_rule",
    "stop_gradient",
    "__version__",
]

"""Lists, tuples and dicts: building them, adding items, and NumPy's views of them.

Subscripts (``getitem``/``setitem``) share the array rules: their helpers handle both."""

import numpy as np

from ..containers import cast_adjoint, sum_items_adjoint, unappend, unstack
from .registry import reverse


@reverse("append", linear=True)
def append(g, ans, xs, v):
    return unappend(g, xs), g[len(xs)]


@reverse(sum, linear=True)
def builtin_sum(g, ans, xs):
    return sum_items_adjoint(g, xs)


@reverse(np.stack, linear=True)
def stack(g, ans, arrays, axis=0):
    return unstack(g, arrays, axis=axis)


@reverse(np.array, np.asarray, np.asanyarray, linear=True)
def array(g, ans, obj, dtype=None):
    """An integer ``dtype`` makes the conversion a step function: a zero adjoint."""
    return unstack(g, obj) if dtype is None else cast_adjoint(unstack(g, obj), obj, dtype)


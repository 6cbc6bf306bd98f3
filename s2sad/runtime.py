"""Small helpers that generated derivative code calls.

Each one is a named step of a hand derivation ("sum the adjoint back to the operand's
shape"), kept out of line so the generated code stays short. They never modify their
arguments and return fresh values.
"""

from __future__ import annotations

import math

import numpy as np

from .containers import CONTAINERS, Items, dense, item_adjoint, without_item, zeros_of
from .errors import NonScalarOutputError


def stop_gradient(x):
    """``x`` itself, as a value no gradient flows through."""
    return x


class BroadcastShape(tuple):
    """The shape values broadcast to together (what ``broadcast_of`` returns): stands for
    a value of that shape where a helper only needs the shape."""


def broadcast_of(*values):
    """The shape of ``values`` broadcast together, without computing anything else."""
    shapes = {v.shape if type(v) is np.ndarray else () if type(v) is float else np.shape(v)
              for v in values}
    shapes.discard(())
    if len(shapes) <= 1:
        return BroadcastShape(shapes.pop() if shapes else ())
    return BroadcastShape(np.broadcast_shapes(*shapes))


def _shape(x):
    return x if type(x) is BroadcastShape else np.shape(x)


def unbroadcast(g, x, like=None):
    """Sum ``g`` over the axes broadcasting added, so that it has the shape of ``x``.

    With ``like``, ``g`` may be narrower than the adjoint it stands for (a scalar standing
    for the adjoint of every element of ``like``, as a full ``np.sum`` leaves it): it is
    first broadcast to the shape of ``like`` (a view, nothing is allocated). ``like`` may
    be a ``broadcast_of(...)`` shape."""
    if like is not None:
        shape, tg = _shape(like), type(g)
        if tg is float or tg is np.float64 or (tg is np.ndarray and g.ndim == 0):
            # a scalar standing for every element: each of x's gets it this many times
            if shape:
                tx = type(x)
                size = 1 if tx is float or tx is np.float64 else math.prod(np.shape(x))
                g = g * (math.prod(shape) // max(size, 1))
        elif (g.shape if tg is np.ndarray else np.shape(g)) != shape:
            full = np.broadcast_to(g, shape)
            out = _unbroadcast(full, x)
            return out.copy() if out is full else out
    return _unbroadcast(g, x)


def _unbroadcast(g, x):
    tg, tx = type(g), type(x)
    if tx is float or tx is np.float64:  # the common cases first
        if tg is float or tg is np.float64:
            return g
        if tg is np.ndarray:
            return g.sum()
    elif tg is np.ndarray and tx is np.ndarray:
        if g.shape == x.shape:
            return g
        if g.ndim > x.ndim and g.shape[g.ndim - x.ndim:] == x.shape:
            return g.sum(axis=tuple(range(g.ndim - x.ndim)))  # only leading axes added
    if isinstance(x, CONTAINERS) or isinstance(g, Items):
        return g
    shape = np.shape(x)
    if np.shape(g) == shape:
        if shape == () and isinstance(g, np.ndarray) and not isinstance(x, np.ndarray):
            return g[()]  # a float's adjoint is a scalar, not the 0-d array np.where makes
        return g
    g = np.asarray(g)
    extra = g.ndim - len(shape)
    if extra > 0:
        g = g.sum(axis=tuple(range(extra)))
    elif extra < 0:  # narrower than x: align the axes, then broadcast below
        g = g.reshape((1,) * -extra + g.shape)
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
    if stretched:
        g = g.sum(axis=stretched, keepdims=True)
    if g.shape != shape:
        g = np.broadcast_to(g, shape).copy()
    return g[()] if g.ndim == 0 else g


def expand_to(d, t):
    """A tangent ``d`` broadcast to the shape of the value ``t`` it is the tangent of."""
    shape = _shape(t)
    return np.broadcast_to(d, shape) if np.shape(d) != shape else d


def unreduce(g, x, axis=None, keepdims=False):
    """Spread the adjoint of a reduction over ``x`` (``axis``) back to the shape of ``x``."""
    if type(x) is float:
        return g
    shape = _shape(x)
    if not shape:
        return g
    g = np.asarray(g)
    if axis is not None and not keepdims:
        axes = axis if isinstance(axis, tuple) else (axis,)
        g = np.expand_dims(g, tuple(a % len(shape) for a in axes))
    if type(x) is BroadcastShape:
        dtype = np.result_type(g, float)
    else:
        dtype = np.asarray(x).dtype if _is_float(x) else g.dtype
    out = np.empty(shape, dtype=dtype)
    out[...] = g
    return out


def zeros_like(x):
    """The adjoint of a value the output does not depend on."""
    return zeros_of(x)


def zero_tangent(x):
    """The tangent of a value that does not depend on the inputs: zeros shaped like ``x``
    (a list, tuple or dict of them for a container)."""
    return dense(zeros_of(x), x)


def require_scalar(y, function_name: str = "the function"):
    """Raise ``NonScalarOutputError`` unless ``y`` is a scalar (what ``grad`` needs)."""
    if type(y) is not float and np.ndim(y) != 0:
        raise NonScalarOutputError(
            f"grad needs a scalar output, but {function_name} returned an array of shape "
            f"{np.shape(y)}",
            hint="use s2sad.vjp(f) and pass a cotangent of that shape, or reduce the output "
            "(for example with np.sum) before returning it",
        )


def not_in_place(value, error: Exception) -> None:
    """Raise ``error`` if ``value`` is an array: an augmented assignment (``y += x``) would
    change it in place, where another name sees the change; on numbers it is harmless."""
    if isinstance(value, np.ndarray):
        raise error


def not_sharing(value, other, error: Exception) -> None:
    """Raise ``error`` if ``value`` and ``other`` share memory (``other = value[i]`` is a view,
    or the very item of a list): a write into ``value`` would change ``other`` too."""
    if _shares(value, other):
        raise error


def _shares(a, b) -> bool:
    if a is b:  # the same object: only a mutable one can be changed in place
        return isinstance(a, (np.ndarray, list, dict))
    if isinstance(b, (list, tuple)):
        return any(_shares(a, item) for item in b)
    if isinstance(a, (list, tuple)):
        return any(_shares(item, b) for item in a)
    return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.shares_memory(a, b)


def log_or_zero(x):
    """``log(x)``, but 0 where ``x`` is 0: the factor of the exponent's adjoint in ``x ** y``
    (``0 ** y`` is 0 for every ``y > 0``), without a ``0 * -inf`` NaN or a ``math`` error."""
    return np.log(np.where(np.equal(x, 0), 1.0, x))


def reciprocal_or_zero(x):
    """``1 / x``, but 0 where ``x`` is 0 (the derivative ``log_or_zero`` takes there)."""
    zero = np.equal(x, 0)
    return np.where(zero, 0.0, 1.0 / np.where(zero, 1.0, x))


def sinc_slope(x):
    """d/dx ``np.sinc(x)`` = (cos(pi x) - sinc(x)) / x, by its Taylor series near 0."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-3
    safe = np.where(small, 1.0, x)
    series = (np.pi ** 2 / 3.0) * x * ((np.pi * x) ** 2 / 10.0 - 1.0)
    slope = np.where(small, series, (np.cos(np.pi * safe) - np.sinc(safe)) / safe)
    return slope[()]


def logsumexp_weights(a, ans, axis=None, keepdims=False, b=None):
    """d logsumexp(a, axis, b) / d a = b * exp(a - ans), the softmax of ``a`` over ``axis``."""
    weights = np.exp(a - unreduce(ans, a, axis=axis, keepdims=keepdims))
    return weights if b is None else weights * b


def matmul_adjoint_a(g, a, b):
    """Adjoint of ``a`` in ``a @ b`` (also ``np.dot`` for 1-D and 2-D operands)."""
    if type(a) is np.ndarray and type(b) is np.ndarray:  # the common cases first
        if a.ndim == 2 and b.ndim == 2:
            return g @ b.T
        if a.ndim == 2 and b.ndim == 1:
            return np.multiply.outer(g, b)
        if a.ndim == 1 and b.ndim == 1:
            return g * b
    a_nd, b_nd = np.ndim(a), np.ndim(b)
    if a_nd == 0 or b_nd == 0:
        return unbroadcast(g * b, a)
    if b_nd == 1:
        return np.multiply.outer(g, b) if a_nd >= 2 else g * b
    if a_nd == 1:
        return unbroadcast((b @ g[..., None])[..., 0], a)
    return unbroadcast(g @ np.swapaxes(b, -1, -2), a)


def matmul_adjoint_b(g, a, b):
    """Adjoint of ``b`` in ``a @ b`` (also ``np.dot`` for 1-D and 2-D operands)."""
    if type(a) is np.ndarray and type(b) is np.ndarray:  # the common cases first
        if a.ndim == 2 and b.ndim == 2:
            return a.T @ g
        if a.ndim == 2 and b.ndim == 1:
            return g @ a
        if a.ndim == 1 and b.ndim == 1:
            return g * a
    a_nd, b_nd = np.ndim(a), np.ndim(b)
    if a_nd == 0 or b_nd == 0:
        return unbroadcast(g * a, b)
    if a_nd == 1:
        return unbroadcast(np.asarray(a)[:, None] * g[..., None, :], b) if b_nd >= 2 else g * a
    if b_nd == 1:
        return unbroadcast(np.swapaxes(a, -1, -2) @ g[..., None], b[..., None])[..., 0]
    return unbroadcast(np.swapaxes(a, -1, -2) @ g, b)


def dot_adjoint_a(g, a, b):
    """Adjoint of ``a`` in ``np.dot(a, b)``: as for ``a @ b``, except when an operand is N-D:
    then ``np.dot`` sums ``a``'s last axis against ``b``'s second-to-last for every pair of
    their other indexes (result shape ``a.shape[:-1] + b.shape[:-2] + b.shape[-1:]``)."""
    if not _is_nd_dot(a, b):
        return matmul_adjoint_a(g, a, b)
    a_nd, b_nd = np.ndim(a), np.ndim(b)
    b_axes = [i for i in range(b_nd) if i != b_nd - 2]  # all but the contracted one
    return np.tensordot(g, b, axes=(list(range(a_nd - 1, np.ndim(g))), b_axes))


def dot_adjoint_b(g, a, b):
    """Adjoint of ``b`` in ``np.dot(a, b)`` (see ``dot_adjoint_a``)."""
    if not _is_nd_dot(a, b):
        return matmul_adjoint_b(g, a, b)
    lead = list(range(np.ndim(a) - 1))  # the axes of a other than the contracted last one
    return np.moveaxis(np.tensordot(a, g, axes=(lead, lead)), 0, -2)


def _is_nd_dot(a, b) -> bool:
    """True for the N-D case of ``np.dot``: both operands at least 2-D and one of them more
    (for an N-D ``b`` it differs from ``a @ b``, which would broadcast a batch)."""
    a_nd, b_nd = np.ndim(a), np.ndim(b)
    return min(a_nd, b_nd) >= 2 and max(a_nd, b_nd) > 2


def unindex(g, x, index):
    """Adjoint of ``x[index]``: ``g`` placed at ``index`` in zeros shaped like ``x``
    (repeated integer indices add up; for a list, tuple or dict, just that item)."""
    if isinstance(x, CONTAINERS):
        return item_adjoint(g, x, index)
    out = np.zeros(np.shape(x), dtype=np.result_type(g, float))
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def zero_at(g, x, index):
    """Adjoint of the array an element assignment overwrote: ``g`` with zeros at ``index``."""
    if isinstance(x, CONTAINERS):
        return without_item(g, x, index)
    out = np.array(g, dtype=np.result_type(g, float))
    out[index] = 0.0
    return out


def _is_basic(index) -> bool:
    """True for indexes that select each element at most once (no integer arrays)."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice))
        or (isinstance(p, np.ndarray) and p.dtype == bool)
        for p in parts
    )


def inverse_permutation(axes, ndim):
    """The axes that undo ``np.transpose(x, axes)`` or ``x.transpose(*axes)`` for an
    ``ndim``-D ``x`` (negative axes count from the end; no axes reverse them all)."""
    if isinstance(axes, tuple) and len(axes) == 1 and not isinstance(axes[0], (int, np.integer)):
        axes = axes[0]  # x.transpose((1, 2, 0)) or x.transpose(None)
    if axes is None or len(axes) == 0:
        return tuple(reversed(range(ndim)))
    return tuple(int(i) for i in np.argsort([int(a) % ndim for a in axes]))


def unreshape(g, a, order):
    """Adjoint of ``np.reshape(a, shape, order)``: ``g`` read back into the shape of ``a`` in
    the index order the reshape used (``order="A"`` follows the memory layout of ``a``)."""
    if order == "A":
        order = "F" if np.isfortran(np.asarray(a)) else "C"
    return np.reshape(g, np.shape(a), order=order)


def _is_float(x) -> bool:
    return np.issubdtype(np.asarray(x).dtype, np.inexact)

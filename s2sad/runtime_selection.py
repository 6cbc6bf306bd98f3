"""Helpers that generated derivatives of copying and selecting functions call: ``np.block``,
``np.insert``, ``np.resize``, ``np.compress``, ``np.extract``, ``np.select``, ``np.choose``,
``np.meshgrid``, ``np.partition``, ``np.unique`` and ``np.bincount``.

Most of these functions copy each element of their result from one element of an operand.
Their adjoints find out which one by running the function itself on *labels* (``1 .. n``
in the operand's shape; 0 marks an element that came from elsewhere), so that NumPy's own
rules for indexes, broadcasting and flattening decide, and then add ``g`` back into the
labelled places. The helpers never modify their arguments; each returns the adjoint of one
operand in its shape (a NumPy scalar for a Python number, ``Items`` for a list).
"""

from __future__ import annotations

import numpy as np

from .containers import Items
from .runtime import unbroadcast
from .runtime_arrays import _fit, _float, unsort


def _labels(x, start: int = 1) -> np.ndarray:
    """``start, start + 1, ...`` in the shape of ``x``: one label per element."""
    return np.arange(start, start + np.size(x)).reshape(np.shape(x))


def _gathered(g, labels, x):
    """The adjoint of ``x`` whose elements, labelled ``1 .. n``, were copied to where
    ``labels`` holds their labels: each gets the sum of ``g`` over its copies."""
    labels = np.broadcast_to(labels, np.shape(g))
    mine = labels > 0
    sums = np.bincount(labels[mine] - 1, weights=_float(g)[mine], minlength=np.size(x))
    return _fit(sums.reshape(np.shape(x)), x)


# ------------------------------------------------------------------------------------------
# copies of whole operands


def _numbered(arrays, start: int) -> tuple:
    """``(labels nested as arrays, next label)``: ``np.block``'s nested lists with each
    array replaced by its labels."""
    if isinstance(arrays, list):
        out = []
        for item in arrays:
            labelled, start = _numbered(item, start)
            out.append(labelled)
        return out, start
    return _labels(arrays, start), start + np.size(arrays)


def _unnumbered(sums, arrays, start: int) -> tuple:
    """``(adjoint, next label)``: the adjoint of the nested lists ``arrays``, read from the
    sums of ``g`` per label."""
    if isinstance(arrays, list):
        items = {}
        for k, item in enumerate(arrays):
            items[k], start = _unnumbered(sums, item, start)
        return Items(arrays, items), start
    size = np.size(arrays)
    return _fit(sums[start - 1:start - 1 + size].reshape(np.shape(arrays)), arrays), start + size


def unblock(g, arrays):
    """Adjoint of the nested lists ``arrays`` in ``np.block(arrays)``: each array gets the
    block of ``g`` it was copied to."""
    labelled, end = _numbered(arrays, 1)
    labels = np.block(labelled)
    sums = np.bincount(np.ravel(labels) - 1, weights=np.ravel(_float(g)), minlength=end - 1)
    return _unnumbered(sums, arrays, 1)[0]


def uninsert(g, arr, obj, values, axis=None):
    """Adjoint of ``arr`` in ``np.insert(arr, obj, values, axis)``: ``g`` without the
    inserted elements."""
    return _gathered(g, np.insert(_labels(arr), obj, 0, axis=axis), arr)


def uninsert_values(g, arr, obj, values, axis=None):
    """Adjoint of ``values`` in ``np.insert(arr, obj, values, axis)``: the sum of ``g`` over
    the inserted copies of each value."""
    return _gathered(g, np.insert(np.zeros(np.shape(arr), dtype=int), obj, _labels(values),
                                  axis=axis), values)


def unresize(g, a, new_shape):
    """Adjoint of ``a`` in ``np.resize(a, new_shape)``: its flattened elements repeat
    cyclically, and each gets the sum of ``g`` over its repeats."""
    return _gathered(g, np.resize(_labels(a), new_shape), a)


def uncompress(g, condition, a, axis=None):
    """Adjoint of ``a`` in ``np.compress(condition, a, axis)``: ``g`` in the places kept."""
    return _gathered(g, np.compress(condition, _labels(a), axis=axis), a)


def unextract(g, condition, arr):
    """Adjoint of ``arr`` in ``np.extract(condition, arr)``: ``g`` in the places taken."""
    return _gathered(g, np.extract(condition, _labels(arr)), arr)


def _given(tangents, operands) -> list:
    """The tangents of the operands that were given (not None)."""
    return [t for t, x in zip(tangents, operands) if x is not None]


def broadcast_arrays_tangent(tangents, operands):
    """Tangent of ``np.broadcast_arrays(*operands)`` (None past the last one)."""
    return np.broadcast_arrays(*_given(tangents, operands))


def meshgrid_tangent(tangents, operands, copy=True, sparse=False, indexing="xy"):
    """Tangent of ``np.meshgrid(*operands, ...)`` (None past the last one)."""
    return np.meshgrid(*_given(tangents, operands), copy=copy, sparse=sparse,
                       indexing=indexing)


def unmeshgrid(g, k, xs, indexing="xy"):
    """Adjoint of the ``k``-th of the arrays ``xs`` (None past the last one) in
    ``np.meshgrid(*xs, indexing=indexing)``: the ``k``-th grid's adjoint summed over the
    axes its (flattened) values are repeated along."""
    count = sum(x is not None for x in xs)
    axis = {0: 1, 1: 0}.get(k, k) if indexing == "xy" and count > 1 else k
    part = np.asarray(g[k], dtype=float)
    others = tuple(i for i in range(part.ndim) if i != axis)
    return _fit(np.sum(part, axis=others).reshape(np.shape(xs[k])), xs[k])


# ------------------------------------------------------------------------------------------
# choices by condition or index


def _first_true(condlist) -> list:
    """For each condition of ``np.select``, where it is the first one that holds."""
    taken = np.zeros(np.broadcast_shapes(*[np.shape(c) for c in condlist]), dtype=bool)
    firsts = []
    for condition in condlist:
        firsts.append(np.asarray(condition, dtype=bool) & ~taken)
        taken = taken | firsts[-1]
    return firsts


def unselect(g, condlist, choicelist):
    """Adjoint of ``choicelist`` in ``np.select(condlist, choicelist, default)``: each
    choice gets ``g`` where its condition is the first that holds."""
    firsts = _first_true(condlist)
    return Items(choicelist, {k: unbroadcast(g * first, choicelist[k])
                              for k, first in enumerate(firsts)})


def unselect_default(g, condlist, default):
    """Adjoint of ``default`` in ``np.select``: ``g`` where no condition holds."""
    none = ~np.any(_first_true(condlist), axis=0)
    return unbroadcast(g * none, default)


def unchoose(g, a, choices, mode="raise"):
    """Adjoint of ``choices`` in ``np.choose(a, choices, mode=mode)``: each choice gets
    ``g`` where ``a`` (wrapped or clipped as ``mode`` says) picks it; a list of choices
    gets ``Items``, an array whose first axis counts the choices an array."""
    n = len(choices)
    index = np.mod(a, n) if mode == "wrap" else np.clip(a, 0, n - 1)
    parts = [unbroadcast(g * (index == k), choices[k]) for k in range(n)]
    if isinstance(choices, (list, tuple)):
        return Items(choices, dict(enumerate(parts)))
    return _fit(np.stack([np.asarray(p, dtype=float) for p in parts]), choices)


# ------------------------------------------------------------------------------------------
# partial sorts, unique values and weighted counts


def unpartition(g, ans, a, axis=-1):
    """Adjoint of ``a`` in ``ans = np.partition(a, kth, axis)``: each element of ``g`` goes
    back to the element of ``a`` of the same rank (NumPy does not promise which order the
    elements around the ``kth`` take, so the ranks of ``ans`` decide)."""
    if axis is None:
        return unpartition(np.ravel(g), np.ravel(ans), np.reshape(a, -1), 0).reshape(
            np.shape(a))
    ranked = np.take_along_axis(np.asarray(g), np.argsort(ans, axis=axis, kind="stable"),
                                axis=axis)
    return unsort(ranked, a, axis=axis)


def partition_tangent(ans, a, da, axis=-1):
    """Tangent of ``ans = np.partition(a, kth, axis)``: the tangent of the element of ``a``
    of the same rank, at each place of ``ans``."""
    if axis is None:
        return partition_tangent(np.ravel(ans), np.ravel(a), np.ravel(da), 0)
    da = np.broadcast_to(da, np.shape(a))
    ranked = np.take_along_axis(da, np.argsort(a, axis=axis, kind="stable"), axis=axis)
    ranks = np.argsort(np.argsort(ans, axis=axis, kind="stable"), axis=axis, kind="stable")
    return np.take_along_axis(ranked, ranks, axis=axis)


def ununique(g, ar):
    """Adjoint of ``ar`` in ``np.unique(ar)``: each unique value's ``g`` shared equally by
    the elements equal to it."""
    _, inverse, counts = np.unique(ar, return_inverse=True, return_counts=True)
    inverse = np.reshape(inverse, np.shape(ar))
    return _fit(np.asarray(g)[inverse] / counts[inverse], ar)


def unique_tangent(ar, dar):
    """Tangent of ``np.unique(ar)``: the mean tangent of the elements equal to each value
    (the reverse rule's sharing)."""
    _, inverse, counts = np.unique(ar, return_inverse=True, return_counts=True)
    dar = np.broadcast_to(dar, np.shape(ar))
    return np.bincount(np.ravel(inverse), weights=np.ravel(dar), minlength=counts.size) / counts


def unbincount(g, x, weights):
    """Adjoint of ``weights`` in ``np.bincount(x, weights)``: ``g`` at each element's bin."""
    return _fit(np.asarray(g)[np.asarray(x)], weights)

"""Helpers that generated derivative code calls for shape, joining and indexing functions.

Like those of ``runtime``, each is one named step of a hand derivation ("each array of a
concatenation gets its slice of the adjoint"), kept out of line so the generated code stays
short. They never modify their arguments. Each returns the adjoint of one operand, shaped
like it: a NumPy scalar for a Python number, ``Items`` for a list or tuple of arrays. The
shared steps at the top (``reshaped_like`` and the dtype helpers) serve
``runtime_reductions`` too.
"""

from __future__ import annotations

import numpy as np

from .containers import CONTAINERS, Items, dense

# ------------------------------------------------------------------------------------------
# shared steps


def _float(x) -> np.ndarray:
    """``x`` as an array of a floating dtype (its own if it has one)."""
    x = np.asarray(x)
    return x if np.issubdtype(x.dtype, np.inexact) else x.astype(float)


def _fit(out, a):
    """``out`` as the adjoint of ``a``: a floating array, or a scalar when ``a`` is one."""
    out = _float(out)
    return out if isinstance(a, np.ndarray) or out.ndim else out[()]


def _zeros(a) -> np.ndarray:
    """Zeros shaped like ``a``, of its floating dtype."""
    return np.zeros(np.shape(a), dtype=_float(a).dtype)


def reshaped_like(g, a):
    """``g`` in the shape of ``a`` (the adjoint of any reshaping of ``a``)."""
    return _fit(np.reshape(g, np.shape(a)), a)


# ------------------------------------------------------------------------------------------
# joining and splitting


def unconcatenate(g, arrays, axis=0):
    """Adjoint of the sequence ``arrays`` in ``np.concatenate(arrays, axis)``: each array
    gets its slice of ``g`` (of the flattened ``g`` when ``axis`` is None)."""
    if axis is None:
        return _unjoin(np.ravel(g), arrays, 0, np.ravel)
    return _unjoin(g, arrays, axis, np.asarray)


def unhstack(g, tup):
    """Adjoint of ``tup`` in ``np.hstack(tup)`` (joined along axis 1, or 0 for 1-D arrays)."""
    axis = 0 if np.ndim(np.atleast_1d(tup[0])) == 1 else 1
    return _unjoin(g, tup, axis, np.atleast_1d)


def unvstack(g, tup):
    """Adjoint of ``tup`` in ``np.vstack(tup)`` (1-D arrays are rows)."""
    return _unjoin(g, tup, 0, np.atleast_2d)


def undstack(g, tup):
    """Adjoint of ``tup`` in ``np.dstack(tup)`` (joined along axis 2)."""
    return _unjoin(g, tup, 2, np.atleast_3d)


def uncolumn_stack(g, tup):
    """Adjoint of ``tup`` in ``np.column_stack(tup)`` (1-D arrays are columns)."""
    return _unjoin(g, tup, 1, _as_column)


def _as_column(x):
    """``x`` as ``np.column_stack`` takes it: a 1-D array as a column."""
    x = np.asarray(x)
    return x.reshape(-1, 1) if x.ndim < 2 else x


def _unjoin(g, arrays, axis, promote):
    """Adjoints of the items of ``arrays`` in a concatenation of ``promote(item)`` along
    ``axis``: item ``k``'s slice of ``g``, in the item's own shape."""
    items = list(arrays)
    sizes = [np.shape(promote(x))[axis] for x in items]
    pieces = np.split(np.asarray(g), np.cumsum(sizes)[:-1], axis=axis)
    return _pack([reshaped_like(p.copy(), x) for p, x in zip(pieces, items)], arrays)


def _pack(adjoints: list, seq):
    """The adjoints of the items of ``seq`` as the adjoint of ``seq``: ``Items`` for a list or
    tuple, an array for an array (whose items are its rows)."""
    if isinstance(seq, CONTAINERS):
        return Items(seq, dict(enumerate(adjoints)))
    return np.reshape(np.stack(adjoints), np.shape(seq))


def unsplit(g, ans, axis=0):
    """Adjoint of the array in ``ans = np.split(ary, ..., axis)`` (or ``array_split``): the
    adjoints of the pieces (zeros for pieces nothing used) joined back along ``axis``."""
    return np.concatenate([_float(p) for p in dense(g, ans)], axis=axis)


def unhsplit(g, ans, ary):
    """Adjoint of ``ary`` in ``ans = np.hsplit(ary, ...)`` (split along axis 1, 0 if 1-D)."""
    return unsplit(g, ans, axis=1 if np.ndim(ary) > 1 else 0)


def ununstack(g, ans, axis=0):
    """Adjoint of the array in ``ans = np.unstack(x, axis=axis)``: the pieces' adjoints
    stacked back along ``axis``."""
    return np.stack([_float(p) for p in dense(g, ans)], axis=axis)


def appended_head(g, arr, axis=None):
    """Adjoint of ``arr`` in ``np.append(arr, values, axis)``: the leading part of ``g``."""
    if axis is None:
        return reshaped_like(np.ravel(g)[:np.size(arr)].copy(), arr)
    return _fit(np.take(g, np.arange(np.shape(arr)[axis]), axis=axis), arr)


def appended_tail(g, arr, values, axis=None):
    """Adjoint of ``values`` in ``np.append(arr, values, axis)``: the trailing part of
    ``g``."""
    if axis is None:
        return reshaped_like(np.ravel(g)[np.size(arr):].copy(), values)
    n = np.shape(arr)[axis]
    return _fit(np.take(g, np.arange(n, np.shape(g)[axis]), axis=axis), values)


# ------------------------------------------------------------------------------------------
# repeating, selecting and rearranging elements


def untile(g, a, reps):
    """Adjoint of ``np.tile(a, reps)``: the copies of each element summed."""
    shape = np.shape(a)
    reps = tuple(int(r) for r in np.atleast_1d(reps))
    ndim = max(len(reps), len(shape))
    shape_ = (1,) * (ndim - len(shape)) + shape
    reps_ = (1,) * (ndim - len(reps)) + reps
    g = np.reshape(g, [n for pair in zip(reps_, shape_) for n in pair])
    return reshaped_like(np.sum(g, axis=tuple(range(0, 2 * ndim, 2))), a)


def unrepeat(g, a, repeats, axis=None):
    """Adjoint of ``np.repeat(a, repeats, axis)``: the copies of each element summed."""
    if axis is None:
        return reshaped_like(unrepeat(np.ravel(g), np.ravel(a), repeats, 0), a)
    source = np.repeat(np.arange(np.shape(a)[axis]), repeats)
    return _scatter(g, a, source, axis)


def untake(g, a, indices, axis=None, mode="raise"):
    """Adjoint of ``np.take(a, indices, axis, mode=mode)``: ``g`` added into zeros at
    ``indices`` (repeated indices add up)."""
    if axis is None:
        return reshaped_like(untake(g, np.ravel(a), indices, 0, mode), a)
    n = np.shape(a)[axis]
    indices = np.asarray(indices)
    if mode == "wrap":
        indices = indices % n
    elif mode == "clip":
        indices = np.clip(indices, 0, n - 1)
    return _scatter(g, a, indices, axis)


def _scatter(g, a, indices, axis):
    """Zeros shaped like ``a`` plus ``g`` at ``indices`` along ``axis`` (as ``np.take``
    reads them; repeated indices add up)."""
    out = _zeros(a)
    np.add.at(out, (slice(None),) * (axis % out.ndim) + (indices,), g)
    return _fit(out, a)


def untake_along_axis(g, arr, indices, axis=-1):
    """Adjoint of ``np.take_along_axis(arr, indices, axis)``: ``g`` added into zeros at the
    positions it was read from."""
    if axis is None:
        return reshaped_like(untake_along_axis(g, np.ravel(arr), indices, 0), arr)
    out = _zeros(arr)
    np.add.at(out, _along_axis(indices, axis, out.ndim), g)
    return out


def _along_axis(indices, axis, ndim):
    """The fancy index that ``take_along_axis`` reads: ``indices`` along ``axis``, every
    position along the other axes."""
    indices = np.asarray(indices)
    axis = axis % ndim
    index = []
    for i in range(ndim):
        if i == axis:
            index.append(indices)
        else:
            shape = [1] * ndim
            shape[i] = -1
            index.append(np.arange(indices.shape[i]).reshape(shape))
    return tuple(index)


def unroll(g, shift, axis=None):
    """Adjoint of ``np.roll(a, shift, axis)``: ``g`` rolled back by ``shift``."""
    return np.roll(g, np.negative(shift), axis)


def unsort(g, a, axis=-1):
    """Adjoint of ``np.sort(a, axis)``: each element of ``g`` goes back to the position its
    sorted element came from (equal elements keep their order)."""
    if axis is None:
        return reshaped_like(unsort(np.ravel(g), np.ravel(a), 0), a)
    out = _zeros(a)
    np.put_along_axis(out, np.argsort(a, axis=axis, kind="stable"), g, axis=axis)
    return _fit(out, a)


def undelete(g, arr, obj, axis=None):
    """Adjoint of ``np.delete(arr, obj, axis)``: ``g`` back in the positions that were kept,
    zeros in the deleted ones."""
    if axis is None:
        return reshaped_like(undelete(g, np.ravel(arr), obj, 0), arr)
    kept = np.delete(np.arange(np.shape(arr)[axis]), obj)
    return _scatter(g, arr, kept, axis)


def undiag(g, v, k=0):
    """Adjoint of ``np.diag(v, k)``: for a 1-D ``v`` (which builds a matrix) the ``k``-th
    diagonal of ``g``; for a matrix ``v`` (whose diagonal it extracts) ``g`` placed on it."""
    if np.ndim(v) == 1:
        return np.diagonal(g, k).copy()
    return undiagonal(g, v, k)


def undiagonal(g, a, offset=0, axis1=0, axis2=1):
    """Adjoint of ``np.diagonal(a, offset, axis1, axis2)``: ``g`` placed on that diagonal of
    zeros shaped like ``a`` (``g``'s last axis runs along the diagonal)."""
    out = _zeros(a)
    view = np.moveaxis(out, (axis1, axis2), (-2, -1))
    rows, cols = view.shape[-2:]
    n = max(0, min(rows, cols - offset) if offset >= 0 else min(rows + offset, cols))
    i = np.arange(n)
    view[..., i + max(-offset, 0), i + max(offset, 0)] = g
    return out


def untrace(g, a, offset=0, axis1=0, axis2=1, dtype=None):
    """Adjoint of ``np.trace(a, offset, axis1, axis2, dtype)``: ``g`` on every element of
    that diagonal (zeros for an integer ``dtype``)."""
    out = undiagonal(np.expand_dims(g, -1), a, offset, axis1, axis2)
    return out if dtype is None else unastype(out, a, dtype)


_COPYING_PADS = ("constant", "edge", "reflect", "symmetric", "wrap")


def unpad(g, array, pad_width, mode="constant", reflect_type="even"):
    """Adjoint of ``array`` in ``np.pad(array, pad_width, mode)``: ``g`` summed back onto the
    elements each padded element copies (constant padding copies none)."""
    if mode not in _COPYING_PADS or reflect_type != "even":
        raise NotImplementedError(
            f"s2sad differentiates np.pad with the modes {', '.join(_COPYING_PADS)} "
            f"(reflect_type='even'), not mode={mode!r}, reflect_type={reflect_type!r}")
    if mode == "constant":
        inside = tuple(slice(before, before + n)
                       for (before, _), n in zip(_pad_widths(pad_width, array), np.shape(array)))
        return _fit(np.asarray(g)[inside].copy(), array)
    source = np.pad(np.arange(np.size(array)).reshape(np.shape(array)), pad_width, mode=mode)
    out = np.zeros(np.size(array), dtype=_float(g).dtype)
    np.add.at(out, source.ravel(), np.ravel(g))
    return reshaped_like(out, array)


def pad_value_adjoint(g, array, pad_width, mode="constant", constant_values=0):
    """Adjoint of a scalar ``constant_values`` in ``np.pad``: the sum of ``g`` over the
    padding."""
    if mode != "constant":
        return _fit(np.zeros(np.shape(constant_values)), constant_values)
    if np.ndim(constant_values) != 0:
        raise NotImplementedError("s2sad differentiates np.pad with respect to a scalar "
                                  "constant_values only")
    inside = np.sum(unpad(g, array, pad_width))
    return _fit(np.sum(g) - inside, constant_values)


def _pad_widths(pad_width, array) -> np.ndarray:
    """``pad_width`` as (before, after) for each axis of ``array``."""
    return np.broadcast_to(np.asarray(pad_width, dtype=int), (np.ndim(array), 2))


def unastype(g, a, dtype):
    """Adjoint of ``a.astype(dtype)``: ``g`` in the floating dtype of ``a`` when ``dtype`` is
    a floating type, zeros when it is an integer or boolean type (a step function)."""
    if not np.issubdtype(np.dtype(dtype), np.inexact):
        return _fit(_zeros(a), a)
    return _fit(np.real(g).astype(_float(a).dtype), a)

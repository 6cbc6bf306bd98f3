"""Reductions beyond sum and mean, shape and indexing functions, and their array methods.

Options a rule does not list (``where=``, ``initial=``, ``out=`` of a copy, ...) make the call
fail to bind, so s2sad reports an unsupported call instead of a wrong derivative. Rules that
are ``linear`` in their differentiable operands say so (forward mode applies them to the
tangents).
"""

import numpy as np

from ..containers import cast_adjoint
from ..runtime import unbroadcast, unreshape
from ..runtime_arrays import (
    appended_head,
    appended_tail,
    pad_value_adjoint,
    reshaped_like,
    unastype,
    uncolumn_stack,
    unconcatenate,
    undelete,
    undiag,
    undiagonal,
    undstack,
    unhsplit,
    unhstack,
    unpad,
    unrepeat,
    unroll,
    unsort,
    unsplit,
    untake,
    untake_along_axis,
    untile,
    untrace,
    ununstack,
    unvstack,
)
from ..runtime_reductions import (
    average_adjoint,
    average_weights_adjoint,
    cumprod_adjoint,
    cumsum_adjoint,
    cumulative_prod_adjoint,
    cumulative_sum_adjoint,
    extremum_adjoint,
    nanmean_adjoint,
    nanstd_adjoint,
    nansum_adjoint,
    nanvar_adjoint,
    prod_adjoint,
    ptp_adjoint,
    std_adjoint,
    var_adjoint,
)
from .registry import reverse


def _since_numpy_2_1(name: str) -> tuple:
    """``(np.<name>,)`` where NumPy has it (2.1 and later), else no key."""
    return (getattr(np, name),) if hasattr(np, name) else ()


# --- reductions ---------------------------------------------------------------------------


@reverse(np.prod, "ndarray.prod")
def prod(g, ans, a, axis=None, dtype=None, out=None, keepdims=False):
    return prod_adjoint(g, a, axis=axis, keepdims=keepdims, dtype=dtype)


@reverse(np.max, np.amax, "ndarray.max", np.min, np.amin, "ndarray.min")
def extremum(g, ans, a, axis=None, out=None, keepdims=False):
    """Ties share ``g`` equally."""
    return extremum_adjoint(g, ans, a, axis=axis, keepdims=keepdims)


@reverse(np.nanmax, np.nanmin)
def nanextremum(g, ans, a, axis=None, out=None, keepdims=False):
    return extremum_adjoint(g, ans, a, axis=axis, keepdims=keepdims)


@reverse(np.ptp)
def ptp(g, ans, a, axis=None, out=None, keepdims=False):
    return ptp_adjoint(g, a, axis=axis, keepdims=keepdims)


@reverse(np.var, "ndarray.var")
def var(g, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return var_adjoint(g, a, axis=axis, ddof=ddof, keepdims=keepdims, dtype=dtype)


@reverse(np.std, "ndarray.std")
def std(g, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return std_adjoint(g, ans, a, axis=axis, ddof=ddof, keepdims=keepdims, dtype=dtype)


@reverse(np.nanvar)
def nanvar(g, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return nanvar_adjoint(g, a, axis=axis, ddof=ddof, keepdims=keepdims, dtype=dtype)


@reverse(np.nanstd)
def nanstd(g, ans, a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return nanstd_adjoint(g, ans, a, axis=axis, ddof=ddof, keepdims=keepdims, dtype=dtype)


@reverse(np.nansum)
def nansum(g, ans, a, axis=None, dtype=None, out=None, keepdims=False):
    return nansum_adjoint(g, a, axis=axis, keepdims=keepdims, dtype=dtype)


@reverse(np.nanmean)
def nanmean(g, ans, a, axis=None, dtype=None, out=None, keepdims=False):
    return nanmean_adjoint(g, a, axis=axis, keepdims=keepdims, dtype=dtype)


@reverse(np.average)
def average(g, ans, a, axis=None, weights=None, *, keepdims=False):
    """Not ``returned=True`` (the call does not bind)."""
    return (average_adjoint(g, a, axis=axis, weights=weights, keepdims=keepdims), None,
            average_weights_adjoint(g, ans, a, axis=axis, weights=weights, keepdims=keepdims))


@reverse(np.cumsum, "ndarray.cumsum", linear=True)
def cumsum(g, ans, a, axis=None, dtype=None, out=None):
    return cumsum_adjoint(g, a, axis=axis, dtype=dtype)


@reverse(np.cumprod, "ndarray.cumprod")
def cumprod(g, ans, a, axis=None, dtype=None, out=None):
    return cumprod_adjoint(g, ans, a, axis=axis, dtype=dtype)


@reverse(*_since_numpy_2_1("cumulative_sum"), linear=True)
def cumulative_sum(g, ans, x, *, axis=None, dtype=None, include_initial=False):
    return cumulative_sum_adjoint(g, x, axis=axis, include_initial=include_initial,
                                  dtype=dtype)


@reverse(*_since_numpy_2_1("cumulative_prod"))
def cumulative_prod(g, ans, x, *, axis=None, dtype=None, include_initial=False):
    return cumulative_prod_adjoint(g, ans, x, axis=axis, include_initial=include_initial,
                                   dtype=dtype)


# --- reshaping and copying: the adjoint takes the operand's shape back ----------------------


@reverse(np.ravel, "ndarray.ravel", "ndarray.flatten", linear=True)
def ravel(g, ans, a, order="C"):
    return reshaped_like(g, a) if order == "C" else unreshape(g, a, order)


@reverse(np.squeeze, "ndarray.squeeze", np.expand_dims, linear=True)
def squeeze(g, ans, a, axis=None):
    return reshaped_like(g, a)


@reverse(np.atleast_1d, np.atleast_2d, np.atleast_3d, linear=True)
def atleast_nd(g, ans, ary):
    """One array (several return a list; that call does not bind)."""
    return reshaped_like(g, ary)


@reverse(np.copy, np.ascontiguousarray, np.asfortranarray, linear=True)
def copy(g, ans, a, order="K", dtype=None):
    return reshaped_like(g, a) if dtype is None else unastype(reshaped_like(g, a), a, dtype)


@reverse("ndarray.copy", linear=True)
def copy_method(g, ans, a, order="C"):
    return reshaped_like(g, a)


@reverse(np.real, "ndarray.real", linear=True)
def real(g, ans, val):
    """For real operands (the real part of a complex one is not differentiated)."""
    return reshaped_like(g, val)


@reverse("ndarray.astype")
def astype(g, ans, a, dtype, order="K", casting="unsafe", subok=True, copy=True):
    return unastype(g, a, dtype)


@reverse(np.broadcast_to, linear=True)
def broadcast_to(g, ans, array, shape):
    return unbroadcast(g, array)


# --- permuting axes and elements ----------------------------------------------------------


@reverse(np.swapaxes, "ndarray.swapaxes", linear=True)
def swapaxes(g, ans, a, axis1, axis2):
    return np.swapaxes(g, axis1, axis2)


@reverse(np.moveaxis, linear=True)
def moveaxis(g, ans, a, source, destination):
    return np.moveaxis(g, destination, source)


@reverse(np.flip, linear=True)
def flip(g, ans, m, axis=None):
    return np.flip(g) if axis is None else np.flip(g, axis)


@reverse(np.fliplr, linear=True)
def fliplr(g, ans, m):
    return np.fliplr(g)


@reverse(np.flipud, linear=True)
def flipud(g, ans, m):
    return np.flipud(g)


@reverse(np.roll, linear=True)
def roll(g, ans, a, shift, axis=None):
    return unroll(g, shift, axis=axis)


@reverse(np.rot90, linear=True)
def rot90(g, ans, m, k=1, axes=(0, 1)):
    return np.rot90(g, -k) if axes == (0, 1) else np.rot90(g, -k, axes)


@reverse(np.sort)
def sort(g, ans, a, axis=-1, kind=None, order=None):
    return unsort(g, a, axis=axis)


# --- joining and splitting ----------------------------------------------------------------


@reverse(np.concatenate, linear=True)
def concatenate(g, ans, arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    return unconcatenate(g, arrays, axis=axis) if dtype is None else cast_adjoint(
        unconcatenate(g, arrays, axis=axis), arrays, dtype)


@reverse(np.hstack, linear=True)
def hstack(g, ans, tup, *, dtype=None, casting="same_kind"):
    return unhstack(g, tup) if dtype is None else cast_adjoint(unhstack(g, tup), tup, dtype)


@reverse(np.vstack, linear=True)
def vstack(g, ans, tup, *, dtype=None, casting="same_kind"):
    return unvstack(g, tup) if dtype is None else cast_adjoint(unvstack(g, tup), tup, dtype)


@reverse(np.dstack, linear=True)
def dstack(g, ans, tup):
    return undstack(g, tup)


@reverse(np.column_stack, linear=True)
def column_stack(g, ans, tup):
    return uncolumn_stack(g, tup)


@reverse(np.split, np.array_split, linear=True)
def split(g, ans, ary, indices_or_sections, axis=0):
    return unsplit(g, ans, axis=axis)


@reverse(np.hsplit, linear=True)
def hsplit(g, ans, ary, indices_or_sections):
    return unhsplit(g, ans, ary)


@reverse(np.vsplit, linear=True)
def vsplit(g, ans, ary, indices_or_sections):
    return unsplit(g, ans, axis=0)


@reverse(np.dsplit, linear=True)
def dsplit(g, ans, ary, indices_or_sections):
    return unsplit(g, ans, axis=2)


@reverse(*_since_numpy_2_1("unstack"), linear=True)
def unstack(g, ans, x, *, axis=0):
    return ununstack(g, ans, axis=axis)


@reverse(np.append, linear=True)
def append(g, ans, arr, values, axis=None):
    return appended_head(g, arr, axis=axis), appended_tail(g, arr, values, axis=axis)


@reverse(np.delete, linear=True)
def delete(g, ans, arr, obj, axis=None):
    return undelete(g, arr, obj, axis=axis)


# --- repeating and selecting elements -----------------------------------------------------


@reverse(np.tile, linear=True)
def tile(g, ans, A, reps):
    return untile(g, A, reps)


@reverse(np.repeat, "ndarray.repeat", linear=True)
def repeat(g, ans, a, repeats, axis=None):
    return unrepeat(g, a, repeats, axis=axis)


@reverse(np.take, "ndarray.take", linear=True)
def take(g, ans, a, indices, axis=None, out=None, mode="raise"):
    return untake(g, a, indices, axis=axis, mode=mode)


@reverse(np.take_along_axis, linear=True)
def take_along_axis(g, ans, arr, indices, axis=-1):
    return untake_along_axis(g, arr, indices, axis=axis)


@reverse(np.diag, linear=True)
def diag(g, ans, v, k=0):
    return undiag(g, v, k=k)


@reverse(np.diagonal, "ndarray.diagonal", linear=True)
def diagonal(g, ans, a, offset=0, axis1=0, axis2=1):
    return undiagonal(g, a, offset=offset, axis1=axis1, axis2=axis2)


@reverse(np.trace, "ndarray.trace", linear=True)
def trace(g, ans, a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return untrace(g, a, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)


@reverse(np.triu, linear=True)
def triu(g, ans, m, k=0):
    return np.triu(g, k)


@reverse(np.tril, linear=True)
def tril(g, ans, m, k=0):
    return np.tril(g, k)


@reverse(np.pad)
def pad(g, ans, array, pad_width, mode="constant", constant_values=0, reflect_type="even"):
    """Modes that copy elements (constant, edge, reflect, symmetric, wrap); a scalar
    ``constant_values`` is differentiated too."""
    return (unpad(g, array, pad_width, mode=mode, reflect_type=reflect_type), None, None,
            pad_value_adjoint(g, array, pad_width, mode=mode, constant_values=constant_values))


# --- filled arrays ------------------------------------------------------------------------


@reverse(np.full, linear=True)
def full(g, ans, shape, fill_value, dtype=None, order="C"):
    return None, unbroadcast(g, fill_value) if dtype is None else unastype(
        unbroadcast(g, fill_value), fill_value, dtype)


@reverse(np.full_like, linear=True)
def full_like(g, ans, a, fill_value, dtype=None, order="K", subok=True, shape=None):
    """``a`` gives only the shape: no adjoint; an integer ``dtype`` makes the output a
    step function of ``fill_value``."""
    return None, unbroadcast(g, fill_value) if dtype is None else unastype(
        unbroadcast(g, fill_value), fill_value, dtype)

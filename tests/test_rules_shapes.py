"""Rules for reductions, shape and indexing functions and their array methods, checked
against central differences like every rule (``check_case`` of ``test_rules``).

As there, a non-scalar result is reduced by a weighted sum against a fixed random array of
its shape (``W35`` for a (3, 5) result), never a plain sum, so that a transposed, permuted
or misplaced adjoint changes the gradient. Inputs come from ``_draw``: continuous random
values, so maxima, minima and sorted orders have no ties (``test_max_ties_share_equally``
covers ties). A few inputs hold exact zeros (``prod``, ``cumprod``) or NaNs (``nan*``).
"""

from __future__ import annotations

import numpy as np
import pytest

import s2sad
from s2sad.errors import NoRuleError

from .test_rules import (
    T3,
    W2,
    W3,
    W4,
    W5,
    W11,
    W12,
    W14,
    W23,
    W31,
    W34,
    W35,
    W43,
    W214,
    W342,
    W432,
    W_S,
    Case,
    M,
    _draw,
    _key_name,
    _shape_label,
    _weight,
    check_case,
)

# weights of result shapes test_rules does not have
W1, W8, W9, W10, W16, W20, W24F = (_weight(n) for n in (1, 8, 9, 10, 16, 20, 24))
W15, W24, W32, W33, W36, W44 = (_weight(*s) for s in ((1, 5), (2, 4), (3, 2), (3, 3),
                                                      (3, 6), (4, 4)))
W47, W54, W55, W56, W64, W312 = (_weight(*s) for s in ((4, 7), (5, 4), (5, 5), (5, 6),
                                                       (6, 4), (3, 12)))
W114, W234, W243, W238, W314, W341, W1314 = (_weight(*s) for s in (
    (1, 1, 4), (2, 3, 4), (2, 4, 3), (2, 3, 8), (3, 1, 4), (3, 4, 1), (1, 3, 1, 4)))
W324 = _weight(3, 2, 4)
# constant indexes
TAKE3 = np.array([3, 1, 1])
ALONG32 = np.array([[3, 0], [1, 1], [2, 0]])
ALONG24 = np.array([[2, 0, 1, 1], [0, 0, 2, 1]])


# ======================================================================================
# Case functions
# ======================================================================================

# --- prod ---------------------------------------------------------------------------------
def prod_all(x): return W_S * np.prod(x)
def prod_axis0(x): return np.sum(W4 * np.prod(x, axis=0))
def prod_axis1_positional(x): return np.sum(W3 * np.prod(x, 1))
def prod_axis_neg1_keepdims(x): return np.sum(W31 * np.prod(x, axis=-1, keepdims=True))
def prod_keepdims(x): return np.sum(W11 * np.prod(x, keepdims=True))
def prod_axis02_3d(x): return np.sum(W3 * np.prod(x, axis=(0, 2)))
def prod_axis_neg2_keepdims_3d(x): return np.sum(W214 * np.prod(x, axis=-2, keepdims=True))
def method_prod_all(x): return W_S * x.prod()
def method_prod_axis1(x): return np.sum(W3 * x.prod(axis=1))
def method_prod_axis01_keepdims_3d(x): return np.sum(W114 * x.prod(axis=(0, 1), keepdims=True))

# --- max, min, amax, amin, nanmax, nanmin, ptp ---------------------------------------------
def max_all(x): return W_S * np.max(x)
def max_axis0(x): return np.sum(W4 * np.max(x, axis=0))
def max_axis_neg1_keepdims(x): return np.sum(W31 * np.max(x, axis=-1, keepdims=True))
def max_axis02_3d(x): return np.sum(W3 * np.max(x, axis=(0, 2)))
def amax_axis1(x): return np.sum(W3 * np.amax(x, axis=1))
def amax_all(x): return W_S * np.amax(x)
def method_max_all(x): return W_S * x.max()
def method_max_axis1_positional(x): return np.sum(W3 * x.max(1))
def method_max_axis_neg2_keepdims_3d(x): return np.sum(W214 * x.max(axis=-2, keepdims=True))
def min_all(x): return W_S * np.min(x)
def min_axis1(x): return np.sum(W3 * np.min(x, axis=1))
def min_axis01_keepdims(x): return np.sum(W11 * np.min(x, axis=(0, 1), keepdims=True))
def min_axis_neg1_3d(x): return np.sum(W23 * np.min(x, axis=-1))
def amin_axis0(x): return np.sum(W4 * np.amin(x, axis=0))
def method_min_all(x): return W_S * x.min()
def method_min_axis0_keepdims(x): return np.sum(W14 * x.min(axis=0, keepdims=True))
def nanmax_all(x): return W_S * np.nanmax(x)
def nanmax_axis1(x): return np.sum(W3 * np.nanmax(x, axis=1))
def nanmin_axis0_keepdims(x): return np.sum(W14 * np.nanmin(x, axis=0, keepdims=True))
def ptp_all(x): return W_S * np.ptp(x)
def ptp_axis1(x): return np.sum(W3 * np.ptp(x, axis=1))
def ptp_axis0_keepdims(x): return np.sum(W14 * np.ptp(x, axis=0, keepdims=True))

# --- var, std, nanvar, nanstd ---------------------------------------------------------------
def var_all(x): return W_S * np.var(x)
def var_axis0(x): return np.sum(W4 * np.var(x, axis=0))
def var_axis1_ddof1(x): return np.sum(W3 * np.var(x, axis=1, ddof=1))
def var_axis_neg1_keepdims(x): return np.sum(W31 * np.var(x, axis=-1, keepdims=True))
def var_axis02_3d(x): return np.sum(W3 * np.var(x, axis=(0, 2)))
def method_var_all(x): return W_S * x.var()
def method_var_axis0_ddof1(x): return np.sum(W4 * x.var(axis=0, ddof=1))
def std_all(x): return W_S * np.std(x)
def std_axis1(x): return np.sum(W3 * np.std(x, axis=1))
def std_axis0_ddof1_keepdims(x): return np.sum(W14 * np.std(x, 0, ddof=1, keepdims=True))
def std_axis_neg1_3d(x): return np.sum(W23 * np.std(x, axis=-1))
def method_std_all_ddof1(x): return W_S * x.std(ddof=1)
def method_std_axis12_3d(x): return np.sum(W2 * x.std(axis=(1, 2)))
def nanvar_all(x): return W_S * np.nanvar(x)
def nanvar_axis1_ddof1(x): return np.sum(W3 * np.nanvar(x, axis=1, ddof=1))
def nanstd_all(x): return W_S * np.nanstd(x)
def nanstd_axis0_keepdims(x): return np.sum(W14 * np.nanstd(x, axis=0, keepdims=True))

# --- nansum, nanmean, average ------------------------------------------------------------
def nansum_all(x): return W_S * np.nansum(x)
def nansum_axis0(x): return np.sum(W4 * np.nansum(x, axis=0))
def nansum_axis1_keepdims(x): return np.sum(W31 * np.nansum(x, axis=1, keepdims=True))
def nanmean_all(x): return W_S * np.nanmean(x)
def nanmean_axis0(x): return np.sum(W4 * np.nanmean(x, axis=0))
def nanmean_axis_neg1_keepdims(x): return np.sum(W31 * np.nanmean(x, axis=-1, keepdims=True))
def average_all(x): return W_S * np.average(x)
def average_axis1(x): return np.sum(W3 * np.average(x, axis=1))
def average_weighted(x, w): return W_S * np.average(x, weights=w)
def average_weighted_axis0(x, w): return np.sum(W4 * np.average(x, axis=0, weights=w))
def average_weights_1d(x, w): return np.sum(W3 * np.average(x, axis=1, weights=w))
def average_weights_1d_keepdims(x, w):
    return np.sum(W14 * np.average(x, axis=0, weights=w, keepdims=True))

# --- cumsum, cumprod, cumulative_sum, cumulative_prod -----------------------------------------
def cumsum_flat(x): return np.sum(W12 * np.cumsum(x))
def cumsum_vec(x): return np.sum(W5 * np.cumsum(x))
def cumsum_axis0(x): return np.sum(W34 * np.cumsum(x, axis=0))
def cumsum_axis_neg1(x): return np.sum(W34 * np.cumsum(x, axis=-1))
def cumsum_axis1_3d(x): return np.sum(W234 * np.cumsum(x, 1))
def method_cumsum_axis1(x): return np.sum(W34 * x.cumsum(axis=1))
def method_cumsum_flat(x): return np.sum(W12 * x.cumsum())
def cumprod_vec(x): return np.sum(W5 * np.cumprod(x))
def cumprod_flat(x): return np.sum(W12 * np.cumprod(x))
def cumprod_axis0(x): return np.sum(W34 * np.cumprod(x, axis=0))
def cumprod_axis_neg1(x): return np.sum(W34 * np.cumprod(x, axis=-1))
def method_cumprod_axis1(x): return np.sum(W34 * x.cumprod(axis=1))
def cumulative_sum_vec(x): return np.sum(W5 * np.cumulative_sum(x))
def cumulative_sum_initial(x): return np.sum(W35 * np.cumulative_sum(x, axis=1,
                                                                      include_initial=True))
def cumulative_prod_vec(x): return np.sum(W5 * np.cumulative_prod(x))
def cumulative_prod_initial(x): return np.sum(W44 * np.cumulative_prod(x, axis=0,
                                                                        include_initial=True))

# --- ravel, flatten, squeeze, expand_dims, atleast_*d, copies, real, astype, broadcast_to ----
def ravel_np(x): return np.sum(W12 * np.ravel(x))
def ravel_np_order_f(x): return np.sum(W12 * np.ravel(x, order="F"))
def method_ravel(x): return np.sum(W12 * x.ravel())
def method_flatten(x): return np.sum(W12 * x.flatten())
def method_flatten_order_f(x): return np.sum(W12 * x.flatten("F"))
def squeeze_np(x): return np.sum(W34 * np.squeeze(x))
def squeeze_np_axis(x): return np.sum(W34 * np.squeeze(x, axis=1))
def method_squeeze(x): return np.sum(W34 * x.squeeze())
def expand_dims_1(x): return np.sum(W314 * np.expand_dims(x, 1))
def expand_dims_tuple(x): return np.sum(W1314 * np.expand_dims(x, (0, 2)))
def atleast_1d_float(x): return np.sum(W1 * np.atleast_1d(x))
def atleast_2d_vec(x): return np.sum(W15 * np.atleast_2d(x))
def atleast_3d_mat(x): return np.sum(W341 * np.atleast_3d(x))
def copy_np(x): return np.sum(W34 * np.copy(x))
def method_copy(x): return np.sum(W34 * x.copy())
def ascontiguousarray_t(x): return np.sum(W43 * np.ascontiguousarray(x.T))
def asfortranarray_np(x): return np.sum(W34 * np.asfortranarray(x))
def copy_float(x): return W_S * np.copy(x)
def real_np(x): return np.sum(W34 * np.real(x))
def attribute_real(x): return np.sum(W34 * x.real)
def astype_float(x): return np.sum(W34 * x.astype(float))
def astype_int_has_no_gradient(x): return np.sum(W34 * x.astype(int)) + np.sum(W34 * x)
def broadcast_to_rows(x): return np.sum(W34 * np.broadcast_to(x, (3, 4)))
def broadcast_to_columns(x): return np.sum(W34 * np.broadcast_to(x, M))
def broadcast_to_from_float(x): return np.sum(W34 * np.broadcast_to(x, (3, 4)))

# --- swapaxes, moveaxis, flip, roll, rot90, sort ------------------------------------------
def swapaxes_np(x): return np.sum(W432 * np.swapaxes(x, 0, 2))
def swapaxes_np_2d(x): return np.sum(W43 * np.swapaxes(x, 0, 1))
def method_swapaxes(x): return np.sum(W243 * x.swapaxes(-1, 1))
def moveaxis_one(x): return np.sum(W342 * np.moveaxis(x, 0, -1))
def moveaxis_two(x): return np.sum(W342 * np.moveaxis(x, (0, 1), (2, 0)))
def flip_all(x): return np.sum(W34 * np.flip(x))
def flip_axis0(x): return np.sum(W34 * np.flip(x, 0))
def flip_axes_3d(x): return np.sum(W234 * np.flip(x, axis=(0, 2)))
def fliplr_np(x): return np.sum(W34 * np.fliplr(x))
def flipud_np(x): return np.sum(W34 * np.flipud(x))
def flipud_vec(x): return np.sum(W5 * np.flipud(x))
def roll_flat(x): return np.sum(W34 * np.roll(x, 2))
def roll_axis1(x): return np.sum(W34 * np.roll(x, -1, axis=1))
def roll_two_axes_3d(x): return np.sum(W234 * np.roll(x, (1, 2), axis=(0, 2)))
def rot90_once(x): return np.sum(W43 * np.rot90(x))
def rot90_twice(x): return np.sum(W34 * np.rot90(x, 2))
def rot90_axes_3d(x): return np.sum(W243 * np.rot90(x, k=3, axes=(1, 2)))
def sort_vec(x): return np.sum(W5 * np.sort(x))
def sort_rows(x): return np.sum(W34 * np.sort(x))
def sort_axis0(x): return np.sum(W34 * np.sort(x, axis=0))
def sort_flat(x): return np.sum(W12 * np.sort(x, axis=None))

# --- concatenate, stack, hstack, vstack, dstack, column_stack, append, delete ----------------
def concatenate_axis0(x, y): return np.sum(W54 * np.concatenate([x, y]))
def concatenate_axis1(x, y): return np.sum(W36 * np.concatenate((x, y), axis=1))
def concatenate_axis_neg1(x, y): return np.sum(W36 * np.concatenate([x, y], axis=-1))
def concatenate_flat(x, y): return np.sum(W20 * np.concatenate([x, y], axis=None))
def concatenate_repeats(x, y): return np.sum(W54[:4, :3] * np.concatenate([x, y * 2.0, x]))
def concatenate_array(x): return np.sum(W64 * np.concatenate(x))
def concat_alias(x, y): return np.sum(W54 * np.concat([x, y]))
def stack_axis1(x, y): return np.sum(W324 * np.stack([x, y], axis=1))
def stack_axis_neg1(x, y): return np.sum(W342 * np.stack((x, y), axis=-1))
def stack_array_rows(x): return np.sum(W43 * np.stack(x, axis=1))
def hstack_vecs(x, y): return np.sum(W8 * np.hstack([x, y]))
def hstack_mats(x, y): return np.sum(W36 * np.hstack((x, y)))
def vstack_vecs(x, y): return np.sum(W24 * np.vstack([x, y]))
def vstack_mats(x, y): return np.sum(W54 * np.vstack([x, y]))
def dstack_mats(x, y): return np.sum(W342 * np.dstack([x, y]))
def column_stack_mixed(x, y): return np.sum(W35 * np.column_stack([x, y]))
def append_flat(x, y): return np.sum(W16 * np.append(x, y))
def append_axis0(x, y): return np.sum(W44 * np.append(x, y, axis=0))
def delete_column(x): return np.sum(W33 * np.delete(x, 1, axis=1))
def delete_flat(x): return np.sum(W10 * np.delete(x, [0, 2]))

# --- split, array_split, hsplit, vsplit, dsplit, unstack ----------------------------------
def split_halves(x):
    a, b = np.split(x, 2, axis=1)
    return np.sum(W32 * a) + np.sum(W32 * b * b)


def split_at_indices_some_unused(x):
    pieces = np.split(x, [1, 3])
    return np.sum(W1 * pieces[0]) + np.sum(W2 * np.sin(pieces[2]))


def array_split_uneven(x):
    a, b, c = np.array_split(x, 3)
    return np.sum(W2 * a) + np.sum(W2 * b) * np.sum(c)


def hsplit_mat(x):
    a, b = np.hsplit(x, 2)
    return np.sum(W32 * a * b)


def vsplit_mat(x):
    parts = np.vsplit(x, [2])
    return np.sum(W24 * parts[0]) + np.sum(W14 * parts[1])


def dsplit_3d(x):
    a, b = np.dsplit(x, 2)
    return np.sum(W234[:, :, :2] * a) - np.sum(W234[:, :, 2:] * b)


def unstack_rows(x):
    a, b, c = np.unstack(x)
    return np.sum(W4 * a * c) + np.sum(b)


def unstack_axis1(x):
    parts = np.unstack(x, axis=1)
    return np.sum(W3 * parts[3])


# --- tile, repeat, take, take_along_axis --------------------------------------------------
def tile_vec(x): return np.sum(W10 * np.tile(x, 2))
def tile_rows(x): return np.sum(W64 * np.tile(x, (2, 1)))
def tile_3d(x): return np.sum(W238 * np.tile(x, (2, 1, 2)))
def tile_float(x): return np.sum(W23 * np.tile(x, (2, 3)))
def repeat_flat(x): return np.sum(W24F * np.repeat(x, 2))
def repeat_axis0(x): return np.sum(W64 * np.repeat(x, 2, axis=0))
def repeat_counts(x): return np.sum(W34 * np.repeat(x, [1, 0, 2], axis=0))
def method_repeat_axis1(x): return np.sum(W312 * x.repeat(3, axis=1))
def take_flat(x): return np.sum(W3 * np.take(x, [0, 2, 2]))
def take_axis1(x): return np.sum(W33 * np.take(x, TAKE3, axis=1))
def take_int_axis0(x): return np.sum(W4 * np.take(x, 2, axis=0))
def take_wrap(x): return np.sum(W32 * np.take(x, [5, -7], axis=1, mode="wrap"))
def method_take_axis0(x): return np.sum(W24 * x.take([1, 1], axis=0))
def take_along_rows(x): return np.sum(W32 * np.take_along_axis(x, ALONG32, axis=1))
def take_along_columns(x): return np.sum(W24 * np.take_along_axis(x, ALONG24, axis=0))
def take_along_flat(x): return np.sum(W3 * np.take_along_axis(x, TAKE3, axis=None))
def take_along_argsort(x): return np.sum(W34 * np.take_along_axis(x, np.argsort(x, axis=1), 1))

# --- diag, diagonal, trace, triu, tril ------------------------------------------------------
def diag_build(x): return np.sum(W44 * np.diag(x))
def diag_build_offset(x): return np.sum(W55 * np.diag(x, 1))
def diag_extract(x): return np.sum(W3 * np.diag(x))
def diag_extract_offset(x): return np.sum(W2 * np.diag(x, -1))
def diagonal_np(x): return np.sum(W3 * np.diagonal(x))
def diagonal_offset(x): return np.sum(W3 * np.diagonal(x, 1))
def diagonal_3d(x): return np.sum(W23 * np.diagonal(x, 0, 1, 2))
def diagonal_3d_negative_offset(x): return np.sum(W31 * np.diagonal(x, -1, 0, 2))
def method_diagonal_offset(x): return np.sum(W2 * x.diagonal(offset=2))
def trace_np(x): return W_S * np.trace(x)
def trace_offset(x): return W_S * np.trace(x, 1)
def trace_3d(x): return np.sum(W2 * np.trace(x, 0, 1, 2))
def method_trace(x): return W_S * x.trace()
def method_trace_negative_offset(x): return W_S * x.trace(offset=-1)
def triu_np(x): return np.sum(W34 * np.triu(x))
def triu_offset(x): return np.sum(W34 * np.triu(x, 1))
def tril_np(x): return np.sum(W34 * np.tril(x))
def tril_negative_offset(x): return np.sum(W34 * np.tril(x, -1))

# --- pad ----------------------------------------------------------------------------------
def pad_constant(x): return np.sum(W56 * np.pad(x, 1))
def pad_constant_widths(x): return np.sum(W47 * np.pad(x, ((1, 0), (2, 1))))
def pad_constant_value(x, c): return np.sum(W56 * np.pad(x, 1, constant_values=c))
def pad_edge(x): return np.sum(W56 * np.pad(x, 1, mode="edge"))
def pad_reflect(x): return np.sum(W9 * np.pad(x, 2, mode="reflect"))
def pad_symmetric(x): return np.sum(W47 * np.pad(x, ((0, 1), (1, 2)), mode="symmetric"))
def pad_wrap(x): return np.sum(W56 * np.pad(x, 1, "wrap"))

# --- full, full_like ----------------------------------------------------------------------
def full_scalar(c): return np.sum(W34 * np.full((3, 4), c))
def full_row(v): return np.sum(W34 * np.full((3, 4), v))
def full_like_scalar(x, c): return np.sum(W34 * np.full_like(x, c)) + np.sum(W34 * x)


# ======================================================================================
# The case table
# ======================================================================================
CASES: list = []
ZEROS34 = _draw("real", M)
ZEROS34[1, 2] = 0.0  # one zero in row 1
ZEROS34[2, 0] = ZEROS34[2, 3] = 0.0  # two zeros in row 2
ZEROS5 = _draw("real", (5,))
ZEROS5[2] = 0.0
NANS34 = _draw("real", M)
NANS34[0, 1] = NANS34[2, 3] = NANS34[2, 1] = np.nan


def _case(id, func, args, keys, wrt=None):
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    CASES.append(Case(id, func, tuple(args), wrt, tuple(keys)))


def _label(shape: tuple) -> str:
    return _shape_label(shape) if len(shape) < 4 else "arr" + "x".join(map(str, shape))


def _table(rows, domain="real"):
    """``(key, case function, input shapes)`` rows: one case per shape."""
    for key, func, shapes in rows:
        for shape in shapes:
            _case(f"{_key_name(key)}-{func.__name__}-{_label(shape)}", func,
                  [_draw(domain, shape)], [key])


def _pairs(rows, domain="real"):
    """``(key, case function, shape of x, shape of y)`` rows."""
    for key, func, sx, sy in rows:
        _case(f"{_key_name(key)}-{func.__name__}-{_shape_label(sx)},{_shape_label(sy)}", func,
              [_draw(domain, sx), _draw(domain, sy)], [key])


V = (5,)
_table([
    (np.prod, prod_all, [(), V, M, T3]),
    (np.prod, prod_axis0, [M]),
    (np.prod, prod_axis1_positional, [M]),
    (np.prod, prod_axis_neg1_keepdims, [M]),
    (np.prod, prod_keepdims, [M]),
    (np.prod, prod_axis02_3d, [T3]),
    (np.prod, prod_axis_neg2_keepdims_3d, [T3]),
    ("ndarray.prod", method_prod_all, [V, M]),
    ("ndarray.prod", method_prod_axis1, [M]),
    ("ndarray.prod", method_prod_axis01_keepdims_3d, [T3]),
    (np.max, max_all, [(), V, M, T3]),
    (np.max, max_axis0, [M]),
    (np.max, max_axis_neg1_keepdims, [M]),
    (np.max, max_axis02_3d, [T3]),
    (np.amax, amax_all, [V]),
    (np.amax, amax_axis1, [M]),
    ("ndarray.max", method_max_all, [V, M]),
    ("ndarray.max", method_max_axis1_positional, [M]),
    ("ndarray.max", method_max_axis_neg2_keepdims_3d, [T3]),
    (np.min, min_all, [V, M]),
    (np.min, min_axis1, [M]),
    (np.min, min_axis01_keepdims, [M]),
    (np.min, min_axis_neg1_3d, [T3]),
    (np.amin, amin_axis0, [M]),
    ("ndarray.min", method_min_all, [M]),
    ("ndarray.min", method_min_axis0_keepdims, [M]),
    (np.nanmax, nanmax_all, [M]),
    (np.nanmax, nanmax_axis1, [M]),
    (np.nanmin, nanmin_axis0_keepdims, [M]),
    (np.ptp, ptp_all, [V, M]),
    (np.ptp, ptp_axis1, [M]),
    (np.ptp, ptp_axis0_keepdims, [M]),
    (np.var, var_all, [V, M, T3]),
    (np.var, var_axis0, [M]),
    (np.var, var_axis1_ddof1, [M]),
    (np.var, var_axis_neg1_keepdims, [M]),
    (np.var, var_axis02_3d, [T3]),
    ("ndarray.var", method_var_all, [M]),
    ("ndarray.var", method_var_axis0_ddof1, [M]),
    (np.std, std_all, [V, M]),
    (np.std, std_axis1, [M]),
    (np.std, std_axis0_ddof1_keepdims, [M]),
    (np.std, std_axis_neg1_3d, [T3]),
    ("ndarray.std", method_std_all_ddof1, [M]),
    ("ndarray.std", method_std_axis12_3d, [T3]),
    (np.nanvar, nanvar_all, [M]),
    (np.nansum, nansum_all, [V, M]),
    (np.nanmean, nanmean_all, [M]),
    (np.average, average_all, [V, M]),
    (np.average, average_axis1, [M]),
    (np.cumsum, cumsum_flat, [M]),
    (np.cumsum, cumsum_vec, [V]),
    (np.cumsum, cumsum_axis0, [M]),
    (np.cumsum, cumsum_axis_neg1, [M]),
    (np.cumsum, cumsum_axis1_3d, [T3]),
    ("ndarray.cumsum", method_cumsum_axis1, [M]),
    ("ndarray.cumsum", method_cumsum_flat, [M]),
    (np.cumprod, cumprod_vec, [V]),
    (np.cumprod, cumprod_flat, [M]),
    (np.cumprod, cumprod_axis0, [M]),
    (np.cumprod, cumprod_axis_neg1, [M]),
    ("ndarray.cumprod", method_cumprod_axis1, [M]),
])
# exact zeros: products of the other factors, never a division by zero
for _key, _func in ((np.prod, prod_all), (np.prod, prod_axis1_positional),
                    (np.prod, prod_axis0), ("ndarray.prod", method_prod_axis1),
                    (np.cumprod, cumprod_axis_neg1), (np.cumprod, cumprod_axis0),
                    (np.cumprod, cumprod_flat)):
    _case(f"{_key_name(_key)}-{_func.__name__}-with-zeros", _func, [ZEROS34], [_key])
_case("np.prod-prod_all-vec-with-zero", prod_all, [ZEROS5], [np.prod])
_case("np.cumprod-cumprod_vec-with-zero", cumprod_vec, [ZEROS5], [np.cumprod])
# NaNs: the nan* reductions skip them (their gradient there is 0)
for _key, _func in ((np.nanmax, nanmax_all), (np.nanmax, nanmax_axis1),
                    (np.nanmin, nanmin_axis0_keepdims), (np.nanvar, nanvar_all),
                    (np.nanvar, nanvar_axis1_ddof1), (np.nanstd, nanstd_all),
                    (np.nanstd, nanstd_axis0_keepdims), (np.nansum, nansum_all),
                    (np.nansum, nansum_axis0), (np.nansum, nansum_axis1_keepdims),
                    (np.nanmean, nanmean_all), (np.nanmean, nanmean_axis0),
                    (np.nanmean, nanmean_axis_neg1_keepdims)):
    _case(f"{_key_name(_key)}-{_func.__name__}-with-nans", _func, [NANS34], [_key])
# weighted averages: the gradient with respect to the values and to the weights
_case("np.average-weighted-mat", average_weighted, [_draw("real", M), _draw("pos", M)],
      [np.average])
_case("np.average-weighted-axis0-mat", average_weighted_axis0,
      [_draw("real", M), _draw("pos", M)], [np.average])
_case("np.average-weights-1d-axis1", average_weights_1d, [_draw("real", M), _draw("pos", (4,))],
      [np.average])
_case("np.average-weights-1d-axis0-keepdims", average_weights_1d_keepdims,
      [_draw("real", M), _draw("pos", (3,))], [np.average])

_table([
    (np.ravel, ravel_np, [M]),
    (np.ravel, ravel_np_order_f, [M]),
    ("ndarray.ravel", method_ravel, [M]),
    ("ndarray.flatten", method_flatten, [M]),
    ("ndarray.flatten", method_flatten_order_f, [M]),
    (np.squeeze, squeeze_np, [(3, 1, 4), (1, 3, 4, 1)]),
    (np.squeeze, squeeze_np_axis, [(3, 1, 4)]),
    ("ndarray.squeeze", method_squeeze, [(3, 1, 4)]),
    (np.expand_dims, expand_dims_1, [M]),
    (np.expand_dims, expand_dims_tuple, [M]),
    (np.atleast_1d, atleast_1d_float, [(), (1,)]),
    (np.atleast_2d, atleast_2d_vec, [V]),
    (np.atleast_3d, atleast_3d_mat, [M]),
    (np.copy, copy_np, [M]),
    (np.copy, copy_float, [()]),
    ("ndarray.copy", method_copy, [M]),
    (np.ascontiguousarray, ascontiguousarray_t, [M]),
    (np.asfortranarray, asfortranarray_np, [M]),
    (np.real, real_np, [M]),
    ("ndarray.real", attribute_real, [M]),
    ("ndarray.astype", astype_float, [M]),
    ("ndarray.astype", astype_int_has_no_gradient, [M]),
    (np.broadcast_to, broadcast_to_rows, [(4,)]),
    (np.broadcast_to, broadcast_to_columns, [(3, 1), M]),
    (np.broadcast_to, broadcast_to_from_float, [()]),
    (np.swapaxes, swapaxes_np, [T3]),
    (np.swapaxes, swapaxes_np_2d, [M]),
    ("ndarray.swapaxes", method_swapaxes, [T3]),
    (np.moveaxis, moveaxis_one, [T3]),
    (np.moveaxis, moveaxis_two, [T3]),
    (np.flip, flip_all, [M]),
    (np.flip, flip_axis0, [M]),
    (np.flip, flip_axes_3d, [T3]),
    (np.fliplr, fliplr_np, [M]),
    (np.flipud, flipud_np, [M]),
    (np.flipud, flipud_vec, [V]),
    (np.roll, roll_flat, [M]),
    (np.roll, roll_axis1, [M]),
    (np.roll, roll_two_axes_3d, [T3]),
    (np.rot90, rot90_once, [M]),
    (np.rot90, rot90_twice, [M]),
    (np.rot90, rot90_axes_3d, [T3]),
    (np.sort, sort_vec, [V]),
    (np.sort, sort_rows, [M]),
    (np.sort, sort_axis0, [M]),
    (np.sort, sort_flat, [M]),
    (np.concatenate, concatenate_array, [T3]),
    (np.stack, stack_array_rows, [M]),
    (np.delete, delete_column, [M]),
    (np.delete, delete_flat, [M]),
    (np.split, split_halves, [(3, 4)]),
    (np.split, split_at_indices_some_unused, [V]),
    (np.array_split, array_split_uneven, [(5,)]),
    (np.hsplit, hsplit_mat, [M]),
    (np.vsplit, vsplit_mat, [M]),
    (np.dsplit, dsplit_3d, [T3]),
    (np.tile, tile_vec, [V]),
    (np.tile, tile_rows, [M]),
    (np.tile, tile_3d, [M]),
    (np.tile, tile_float, [()]),
    (np.repeat, repeat_flat, [M]),
    (np.repeat, repeat_axis0, [M]),
    (np.repeat, repeat_counts, [M]),
    ("ndarray.repeat", method_repeat_axis1, [M]),
    (np.take, take_flat, [M]),
    (np.take, take_axis1, [M]),
    (np.take, take_int_axis0, [M]),
    (np.take, take_wrap, [M]),
    ("ndarray.take", method_take_axis0, [M]),
    (np.take_along_axis, take_along_rows, [M]),
    (np.take_along_axis, take_along_columns, [M]),
    (np.take_along_axis, take_along_flat, [M]),
    (np.take_along_axis, take_along_argsort, [M]),
    (np.diag, diag_build, [(4,)]),
    (np.diag, diag_build_offset, [(4,)]),
    (np.diag, diag_extract, [M]),
    (np.diag, diag_extract_offset, [M]),
    (np.diagonal, diagonal_np, [M]),
    (np.diagonal, diagonal_offset, [M]),
    (np.diagonal, diagonal_3d, [T3]),
    (np.diagonal, diagonal_3d_negative_offset, [(2, 3, 4)]),
    ("ndarray.diagonal", method_diagonal_offset, [M]),
    (np.trace, trace_np, [M, (4, 4)]),
    (np.trace, trace_offset, [M]),
    (np.trace, trace_3d, [T3]),
    ("ndarray.trace", method_trace, [M]),
    ("ndarray.trace", method_trace_negative_offset, [M]),
    (np.triu, triu_np, [M]),
    (np.triu, triu_offset, [M]),
    (np.tril, tril_np, [M]),
    (np.tril, tril_negative_offset, [M]),
    (np.pad, pad_constant, [M]),
    (np.pad, pad_constant_widths, [M]),
    (np.pad, pad_edge, [M]),
    (np.pad, pad_reflect, [V]),
    (np.pad, pad_symmetric, [M]),
    (np.pad, pad_wrap, [M]),
    (np.full, full_scalar, [()]),
    (np.full, full_row, [(4,), (3, 1)]),
])
_case("np.pad-constant-value-mat3x4", pad_constant_value, [_draw("real", M), _draw("real")],
      [np.pad])
_case("np.full_like-scalar-mat3x4", full_like_scalar, [_draw("real", M), _draw("real")],
      [np.full_like])
_pairs([
    (np.concatenate, concatenate_axis0, M, (2, 4)),
    (np.concatenate, concatenate_axis1, M, (3, 2)),
    (np.concatenate, concatenate_axis_neg1, M, (3, 2)),
    (np.concatenate, concatenate_flat, M, (2, 4)),
    (np.concatenate, concatenate_repeats, (1, 3), (2, 3)),
    (np.stack, stack_axis1, M, M),
    (np.stack, stack_axis_neg1, M, M),
    (np.hstack, hstack_vecs, V, (3,)),
    (np.hstack, hstack_mats, M, (3, 2)),
    (np.vstack, vstack_vecs, (4,), (4,)),
    (np.vstack, vstack_mats, M, (2, 4)),
    (np.dstack, dstack_mats, M, M),
    (np.column_stack, column_stack_mixed, (3,), M),
    (np.append, append_flat, M, (4,)),
    (np.append, append_axis0, M, (1, 4)),
])

if hasattr(np, "cumulative_sum"):  # NumPy 2.1 and later
    _table([
        (np.cumulative_sum, cumulative_sum_vec, [V]),
        (np.cumulative_sum, cumulative_sum_initial, [M]),
        (np.cumulative_prod, cumulative_prod_vec, [V]),
        (np.cumulative_prod, cumulative_prod_initial, [M]),
        (np.unstack, unstack_rows, [M]),
        (np.unstack, unstack_axis1, [M]),
    ])
    _case("np.cumulative_prod-cumulative_prod_vec-with-zero", cumulative_prod_vec, [ZEROS5],
          [np.cumulative_prod])
    _pairs([(np.concatenate, concat_alias, M, (2, 4))])  # np.concat is np.concatenate


@pytest.mark.filterwarnings("ignore:.is. with .*literal:SyntaxWarning")
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_gradient_matches_central_differences(case):
    check_case(case)


def test_case_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


# ======================================================================================
# Ties, unsupported options, functions that carry no derivative
# ======================================================================================
def max_of_vector(x): return np.max(x)
def min_of_rows(x): return np.sum(W2 * np.min(x, axis=1))


def test_max_ties_share_equally():
    grad = s2sad.grad(max_of_vector)(np.array([1.0, 3.0, -2.0, 3.0]))
    np.testing.assert_array_equal(grad, [0.0, 0.5, 0.0, 0.5])
    grad = s2sad.grad(min_of_rows)(np.array([[1.0, 1.0, 1.0], [2.0, 0.5, 4.0]]))
    np.testing.assert_allclose(grad, [[W2[0] / 3] * 3, [0.0, W2[1], 0.0]])


def max_with_initial(x): return np.max(x, initial=0.0)
def average_returned(x): return np.average(x, returned=True)[0]
def pad_linear_ramp(x): return np.sum(np.pad(x, 1, mode="linear_ramp"))


def test_unsupported_options_are_reported():
    with pytest.raises(NoRuleError, match="arguments its derivative rule does not handle"):
        s2sad.grad(max_with_initial)(np.ones(3))
    with pytest.raises(NoRuleError, match="arguments its derivative rule does not handle"):
        s2sad.grad(average_returned)(np.ones(3))
    with pytest.raises(NotImplementedError, match="linear_ramp"):
        s2sad.grad(pad_linear_ramp)(np.ones(3))


def uses_nondifferentiable_functions(x):
    rng = np.random.default_rng(3)
    noise = rng.normal(size=x.shape)  # a draw whose parameters are not differentiated
    k = np.argmax(x)
    nonzero = np.count_nonzero(x > 0.0)
    where = np.nonzero(x > 0.5)[0]
    positive = np.where(x > 0.0)  # one argument: the indexes
    position = np.searchsorted(np.sort(x), 0.3)
    lower = np.tril_indices(3)
    flat = np.flatnonzero(x < 0.0)
    z = np.zeros_like(x) + np.ones(np.shape(x)) + np.full_like(x, 2.0)
    picked = x[k] * nonzero + np.sum(x[where]) + np.sum(x[positive]) + x[position]
    picked = picked + np.sum(x[flat] ** 2)
    if np.any(x > 5.0):
        picked = picked * 0.0
    if np.isclose(np.sum(z), 4.0 * np.size(x)):
        picked = picked * 2.0
    return picked + np.sum(noise * x) + np.sum(z * x) + np.sum(np.ones((3, 3))[lower] * x[0])


def test_nondifferentiable_functions_inside_a_differentiated_function():
    x = np.array([0.7, -0.2, 1.1, 0.4, -0.9])
    grad = s2sad.grad(uses_nondifferentiable_functions)(x)
    expected = s2sad.numeric_grad(uses_nondifferentiable_functions, (x,), "x")
    np.testing.assert_allclose(grad, expected, rtol=1e-6, atol=1e-8)


def unused_draw_before_used_draw(x):
    rng = np.random.default_rng(5)
    ignored = np.sum(rng.normal(size=3))  # only added to the result: no adjoint needs it
    z = rng.normal(size=x.shape)
    return np.sum(z * x) + ignored


def module_random_draws(x):
    np.random.seed(4)
    z = np.random.randn(5)
    u = np.random.uniform(-1.0, 1.0, size=np.shape(x))
    return np.sum(z * x * u)


def test_random_draws_run_as_written():
    """The derivative makes the same draws as the function, including the draws whose
    values no adjoint needs (random draws are registered with pure=False, so the compiler
    never drops them as side-effect free)."""
    x = np.array([0.7, -0.2, 1.1])
    z = np.random.default_rng(5).normal(size=(2, 3))[1]
    np.testing.assert_allclose(s2sad.grad(unused_draw_before_used_draw)(x), z)
    x = np.linspace(-1.0, 1.0, 5)
    expected = s2sad.numeric_grad(module_random_draws, (x,), "x")
    np.testing.assert_allclose(s2sad.grad(module_random_draws)(x), expected, rtol=1e-6)

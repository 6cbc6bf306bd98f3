"""Helpers that generated derivative code calls for reductions, statistics and cumulative
sums and products.

Each is one named step of a hand derivation ("share the adjoint of a maximum among the
elements that attain it"), kept out of line so the generated code stays short. They take
``axis`` as NumPy does (None, an int or a tuple of ints, negatives allowed) and ``keepdims``,
never modify their arguments, and return the adjoint of one operand shaped like it (a NumPy
scalar for a Python number). A ``dtype`` option that is an integer or boolean type makes
the adjoint zero: the reduction is then a step function.
"""

from __future__ import annotations

import numpy as np

from .runtime_arrays import _fit, _float, reshaped_like, unastype

# ------------------------------------------------------------------------------------------
# reduced axes


def _axes(axis, ndim: int) -> tuple:
    """``axis`` (None, an int or a tuple of them, negatives allowed) as sorted axes >= 0."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(sorted(int(a) % ndim for a in axes))


def _count(a, axes: tuple) -> int:
    """How many elements of ``a`` a reduction over ``axes`` combines into each result."""
    return int(np.prod([np.shape(a)[i] for i in axes]))


def _typed(out, a, dtype):
    """``out`` as the adjoint of ``a`` through a reduction computed in ``dtype``: zeros for an
    integer or boolean ``dtype`` (the result is then a step function of ``a``)."""
    return _fit(out, a) if dtype is None else unastype(out, a, dtype)


def keep_axes(g, a, axis=None, keepdims=False):
    """The adjoint ``g`` of a reduction of ``a`` over ``axis`` with the reduced axes put back
    as length-1 axes, so that it broadcasts against ``a``."""
    g = np.asarray(g)
    if keepdims or np.ndim(a) == 0:
        return g
    axes = _axes(axis, np.ndim(a))
    return np.reshape(g, [1 if i in axes else n for i, n in enumerate(np.shape(a))])


# ------------------------------------------------------------------------------------------
# reductions


def prod_adjoint(g, a, axis=None, keepdims=False, dtype=None):
    """Adjoint of ``np.prod(a, axis)``: ``g`` times the product of the other elements each
    element was multiplied with (no division, so zeros in ``a`` are exact)."""
    return _typed(keep_axes(g, a, axis, keepdims) * _others_product(a, axis), a, dtype)


def _others_product(a, axis) -> np.ndarray:
    """For each element of ``a``, the product of the other elements of its reduction."""
    a = _float(a)
    if a.ndim == 0:
        return np.ones_like(a)
    axes = _axes(axis, a.ndim)
    order = [i for i in range(a.ndim) if i not in axes] + list(axes)
    moved = np.transpose(a, order)
    lanes = moved.reshape(moved.shape[:a.ndim - len(axes)] + (_count(a, axes),))
    ones = np.ones(lanes.shape[:-1] + (1,), dtype=lanes.dtype)
    before = np.cumprod(np.concatenate([ones, lanes[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, lanes[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.transpose((before * after).reshape(moved.shape), np.argsort(order))


def extremum_adjoint(g, ans, a, axis=None, keepdims=False):
    """Adjoint of the maximum (or minimum) ``ans`` of ``a`` over ``axis``: ``g`` goes to the
    elements equal to it, split equally among ties (NaNs, which nanmax skips, get none)."""
    hits = np.equal(a, keep_axes(ans, a, axis, keepdims))
    ties = np.sum(hits, axis=_axes(axis, np.ndim(a)), keepdims=True)
    return _fit(keep_axes(g, a, axis, keepdims) * hits / np.maximum(ties, 1), a)


def ptp_adjoint(g, a, axis=None, keepdims=False):
    """Adjoint of ``np.ptp(a, axis)``, the maximum less the minimum."""
    high = np.max(a, axis=axis, keepdims=keepdims)
    low = np.min(a, axis=axis, keepdims=keepdims)
    return extremum_adjoint(g, high, a, axis, keepdims) - extremum_adjoint(g, low, a, axis,
                                                                          keepdims)


def var_adjoint(g, a, axis=None, ddof=0, keepdims=False, dtype=None):
    """Adjoint of ``np.var(a, axis, ddof=ddof)``: ``g * 2 (a - mean) / (n - ddof)``."""
    return _typed(_var_adjoint(g, a, axis, ddof, keepdims, nan=False), a, dtype)


def std_adjoint(g, ans, a, axis=None, ddof=0, keepdims=False, dtype=None):
    """Adjoint of the standard deviation ``ans = np.std(a, ...)``: that of the variance,
    times ``1 / (2 ans)`` (0 where ``ans`` is 0, a subgradient)."""
    return _typed(_var_adjoint(_over_twice(g, ans), a, axis, ddof, keepdims, nan=False), a,
                  dtype)


def nanvar_adjoint(g, a, axis=None, ddof=0, keepdims=False, dtype=None):
    """Adjoint of ``np.nanvar``: as for ``np.var`` over the elements that are not NaN."""
    return _typed(_var_adjoint(g, a, axis, ddof, keepdims, nan=True), a, dtype)


def nanstd_adjoint(g, ans, a, axis=None, ddof=0, keepdims=False, dtype=None):
    """Adjoint of ``np.nanstd``: as for ``np.std`` over the elements that are not NaN."""
    return _typed(_var_adjoint(_over_twice(g, ans), a, axis, ddof, keepdims, nan=True), a,
                  dtype)


def _over_twice(g, std):
    """``g / (2 std)``, 0 where ``std`` is 0."""
    zero = np.equal(std, 0)
    return np.where(zero, 0.0, np.divide(g, np.where(zero, 1.0, np.multiply(2.0, std))))


def _var_adjoint(g, a, axis, ddof, keepdims, nan):
    """The adjoint of a variance, over the elements that are not NaN if ``nan``."""
    a = _float(a)
    axes = _axes(axis, a.ndim)
    if nan:
        present = ~np.isnan(a)
        n = np.sum(present, axis=axes, keepdims=True)
        centered = np.where(present, a - np.nanmean(a, axis=axes, keepdims=True), 0.0)
    else:
        n = _count(a, axes)
        centered = a - np.mean(a, axis=axes, keepdims=True)
    return _fit(keep_axes(g, a, axis, keepdims) * (2.0 / (n - ddof)) * centered, a)


def nansum_adjoint(g, a, axis=None, keepdims=False, dtype=None):
    """Adjoint of ``np.nansum(a, axis)``: ``g`` spread over the elements that are not NaN."""
    return _typed(np.where(np.isnan(a), 0.0, keep_axes(g, a, axis, keepdims)), a, dtype)


def nanmean_adjoint(g, a, axis=None, keepdims=False, dtype=None):
    """Adjoint of ``np.nanmean(a, axis)``: ``g / count`` on the elements that are not NaN."""
    present = ~np.isnan(a)
    count = np.sum(present, axis=_axes(axis, np.ndim(a)), keepdims=True)
    return _typed(np.where(present, keep_axes(g, a, axis, keepdims) / np.maximum(count, 1),
                           0.0), a, dtype)


def average_adjoint(g, a, axis=None, weights=None, keepdims=False):
    """Adjoint of ``a`` in ``np.average(a, axis, weights)``: ``g * w / sum(w)``."""
    w = _weights_like(a, axis, weights)
    total = np.sum(w, axis=_axes(axis, np.ndim(a)), keepdims=True)
    return _fit(keep_axes(g, a, axis, keepdims) * w / total, a)


def average_weights_adjoint(g, ans, a, axis=None, weights=None, keepdims=False):
    """Adjoint of ``weights`` in ``ans = np.average(a, axis, weights)``:
    ``g * (a - ans) / sum(w)``, summed over the axes 1-D weights are broadcast along."""
    w = _weights_like(a, axis, weights)
    axes = _axes(axis, np.ndim(a))
    total = np.sum(w, axis=axes, keepdims=True)
    out = keep_axes(g, a, axis, keepdims) * (a - keep_axes(ans, a, axis, keepdims)) / total
    if np.shape(weights) != np.shape(a):  # 1-D weights along `axis`
        out = np.sum(out, axis=tuple(i for i in range(np.ndim(a)) if i not in axes))
    return _fit(out, weights)


def _weights_like(a, axis, weights) -> np.ndarray:
    """The weights of ``np.average`` broadcast to the shape of ``a``."""
    if weights is None:
        return np.ones(np.shape(a))
    w = np.asarray(weights)
    if w.shape != np.shape(a):
        shape = [1] * np.ndim(a)
        shape[_axes(axis, np.ndim(a))[0]] = w.size
        w = w.reshape(shape)
    return np.broadcast_to(w, np.shape(a))


# ------------------------------------------------------------------------------------------
# cumulative sums and products


def cumsum_adjoint(g, a, axis=None, dtype=None):
    """Adjoint of ``np.cumsum(a, axis)``: at each position, the sum of ``g`` from there to
    the end of its axis (of the flattened ``a`` when ``axis`` is None)."""
    if axis is None:
        return _typed(reshaped_like(_sums_to_end(np.ravel(g), 0), a), a, dtype)
    return _typed(_sums_to_end(np.asarray(g), axis), a, dtype)


def _sums_to_end(g, axis):
    """Sums of ``g`` from each position to the end of ``axis`` (cumsum's transpose)."""
    return np.flip(np.cumsum(np.flip(g, axis), axis), axis)


def cumprod_adjoint(g, ans, a, axis=None, dtype=None):
    """Adjoint of ``ans = np.cumprod(a, axis)``: element ``i`` gets the sum over ``j >= i``
    of ``g[j]`` times the product of ``a[:j + 1]`` without ``a[i]`` (exact with zeros)."""
    if axis is None:
        return _typed(reshaped_like(
            cumprod_adjoint(np.ravel(g), np.ravel(ans), np.ravel(a), 0), a), a, dtype)
    a, g, ans = (np.moveaxis(_float(v), axis, -1) for v in (a, g, ans))
    if np.all(a != 0):
        out = _sums_to_end(g * ans, -1) / a
    else:  # products of all but one factor, without dividing: O(n^2) per lane
        n = a.shape[-1]
        skip_one = np.where(np.eye(n, dtype=bool), 1.0, a[..., None, :])  # [..., i, k]
        partial = np.cumprod(skip_one, axis=-1) * np.triu(np.ones((n, n)))  # j >= i
        out = np.einsum("...ij,...j->...i", partial, g)
    return _typed(np.moveaxis(out, -1, axis), a, dtype)


def cumulative_sum_adjoint(g, x, axis=None, include_initial=False, dtype=None):
    """Adjoint of ``np.cumulative_sum(x, axis=axis, include_initial=...)``."""
    axis = 0 if axis is None else axis
    return cumsum_adjoint(_drop_initial(g, axis, include_initial), x, axis, dtype)


def cumulative_prod_adjoint(g, ans, x, axis=None, include_initial=False, dtype=None):
    """Adjoint of ``np.cumulative_prod(x, axis=axis, include_initial=...)``."""
    axis = 0 if axis is None else axis
    return cumprod_adjoint(_drop_initial(g, axis, include_initial),
                           _drop_initial(ans, axis, include_initial), x, axis, dtype)


def _drop_initial(g, axis, include_initial):
    """``g`` without the leading slice an ``include_initial=True`` result adds."""
    g = np.asarray(g)
    return np.delete(g, 0, axis=axis) if include_initial else g


# ------------------------------------------------------------------------------------------
# reductions that skip NaNs, and order statistics


def nanprod_adjoint(g, a, axis=None, keepdims=False, dtype=None):
    """Adjoint of ``np.nanprod(a, axis)``: that of the product with NaNs read as 1, and
    zero on the NaNs."""
    nan = np.isnan(a)
    out = prod_adjoint(g, np.where(nan, 1.0, a), axis, keepdims, dtype)
    return _fit(np.where(nan, 0.0, out), a)


def nancumsum_adjoint(g, a, axis=None, dtype=None):
    """Adjoint of ``np.nancumsum(a, axis)``: that of ``cumsum``, zero on the NaNs."""
    return _fit(np.where(np.isnan(a), 0.0, cumsum_adjoint(g, a, axis, dtype)), a)


def nancumprod_adjoint(g, ans, a, axis=None, dtype=None):
    """Adjoint of ``ans = np.nancumprod(a, axis)``: that of ``cumprod`` with NaNs read as
    1, zero on the NaNs."""
    nan = np.isnan(a)
    out = cumprod_adjoint(g, ans, np.where(nan, 1.0, a), axis, dtype)
    return _fit(np.where(nan, 0.0, out), a)


_PICKS = ("linear", "lower", "higher", "midpoint", "nearest")


def quantile_lanes(a, axis, method: str) -> tuple:
    """``(a as floats, the axes reduced, the axes kept)`` for a quantile's derivative."""
    if method not in _PICKS:
        raise NotImplementedError(f"the derivative of np.quantile with method={method!r} "
                                  f"(s2sad handles {', '.join(_PICKS)})")
    a = _float(a)
    axes = _axes(axis, a.ndim)
    return a, axes, [i for i in range(a.ndim) if i not in axes]


def quantile_adjoint(g, a, q, axis=None, keepdims=False, method="linear"):
    """Adjoint of ``np.quantile(a, q, axis, method=method, keepdims=keepdims)``: each
    quantile is a weighted mean of one or two order statistics of its lane, and ``g`` goes
    to the elements that are those order statistics, with those weights."""
    a, axes, kept = quantile_lanes(a, axis, method)
    moved = np.transpose(a, kept + list(axes))
    lanes = moved.reshape(moved.shape[:len(kept)] + (-1,))
    n = lanes.shape[-1]
    order = np.argsort(lanes, axis=-1, kind="stable")
    q = np.asarray(q, dtype=float)
    g = np.reshape(g, q.shape + lanes.shape[:-1])  # drops keepdims' length-1 axes
    out = np.zeros_like(lanes)
    for qk, gk in zip(q.reshape(-1), g.reshape((-1,) + lanes.shape[:-1])):
        for index, weight in _order_statistics(qk * (n - 1), method):
            source = np.take(order, [int(index)], axis=-1)
            part = np.zeros_like(lanes)
            np.put_along_axis(part, source, weight * gk[..., None], axis=-1)
            out += part
    out = out.reshape(moved.shape)
    return _fit(np.transpose(out, np.argsort(kept + list(axes))), a)


def _order_statistics(index: float, method: str) -> list:
    """The (position, weight) pairs whose weighted sum of sorted values is the quantile at
    the virtual ``index`` (``q (n - 1)``) under ``method``."""
    low, high = np.floor(index), np.ceil(index)
    if method == "linear":
        return [(low, 1.0 - (index - low)), (high, index - low)] if high > low else [(low, 1.0)]
    if method == "midpoint":
        return [(low, 0.5), (high, 0.5)]
    return [({"lower": low, "higher": high, "nearest": np.around(index)}[method], 1.0)]

"""Helpers that generated derivatives of covariances, correlations, NaN-skipping quantiles,
histograms' bin edges, ``np.ediff1d`` and ``np.gradient`` call.

Like those of ``runtime``, each is one named step of a hand derivation, kept out of line so
the generated code stays short. They never modify their arguments, and each returns the
adjoint of one operand in that operand's shape (a NumPy scalar for a Python number).
"""

from __future__ import annotations

import numpy as np

from .runtime_arrays import _fit, _float, reshaped_like
from .runtime_differences import undiff
from .runtime_reductions import extremum_adjoint, quantile_adjoint, quantile_lanes
from .runtime_tangents import quantile_tangent

# ------------------------------------------------------------------------------------------
# covariances and correlations: np.cov(m, y) is Xc @ Xc.T / fact, where X holds the
# variables in rows (those of m, then those of y) and Xc is X with each row's mean removed


def _flipped(x, rowvar) -> bool:
    """Whether ``np.cov`` transposes ``x`` (given as at least 2-D) to put variables in rows."""
    return not rowvar and np.array(x, ndmin=2).shape[0] != 1


def _variables(x, rowvar) -> np.ndarray:
    """``x`` as ``np.cov`` reads it: a float matrix with one variable per row."""
    rows = np.array(x, ndmin=2, dtype=float)
    return rows.T if _flipped(x, rowvar) else rows


def _observations(m, y, rowvar) -> np.ndarray:
    """The matrix ``X`` of ``np.cov(m, y, rowvar)``: the variables of ``m``, then of ``y``."""
    rows = _variables(m, rowvar)
    return rows if y is None else np.concatenate([rows, _variables(y, rowvar)], axis=0)


def _centered(rows) -> np.ndarray:
    """``rows`` less each row's mean (a projection: it is its own adjoint)."""
    return rows - np.mean(rows, axis=1, keepdims=True)


def _divisor(rows, bias, ddof) -> float:
    """``N - ddof``: what ``np.cov`` divides the sums of products by."""
    if ddof is None:
        ddof = 0 if bias else 1
    return rows.shape[1] - ddof


def _cov_rows_adjoint(g, rows, bias, ddof) -> np.ndarray:
    """Adjoint of ``X`` in ``C = Xc @ Xc.T / fact``: ``center((G + G.T) @ Xc) / fact``."""
    k = rows.shape[0]
    g = np.reshape(g, (k, k))
    return _centered((g + g.T) @ _centered(rows)) / _divisor(rows, bias, ddof)


def _own_rows(rows_adjoint, x, rowvar, first: bool):
    """The rows of the adjoint of ``X`` that belong to ``x`` (its first or its last
    ones), in the layout and shape of ``x``."""
    count = _variables(x, rowvar).shape[0]
    part = rows_adjoint[:count] if first else rows_adjoint[rows_adjoint.shape[0] - count:]
    return reshaped_like(part.T if _flipped(x, rowvar) else part, x)


def cov_adjoint_m(g, m, y=None, rowvar=True, bias=False, ddof=None):
    """Adjoint of ``m`` in ``np.cov(m, y, rowvar, bias, ddof)``."""
    rows = _cov_rows_adjoint(g, _observations(m, y, rowvar), bias, ddof)
    return _own_rows(rows, m, rowvar, first=True)


def cov_adjoint_y(g, m, y, rowvar=True, bias=False, ddof=None):
    """Adjoint of ``y`` in ``np.cov(m, y, rowvar, bias, ddof)``."""
    rows = _cov_rows_adjoint(g, _observations(m, y, rowvar), bias, ddof)
    return _own_rows(rows, y, rowvar, first=False)


def cov_adjoint_tangent(g, m, y, dm, dy, rowvar=True, bias=False, ddof=None) -> tuple:
    """The change of the adjoints of ``m`` and ``y`` in ``np.cov`` as ``m`` and ``y`` move
    along ``dm`` and ``dy`` (``g`` fixed): they are linear in ``X``, so it is their value at
    ``dX``. ``dy`` is ignored without ``y``."""
    rows = _cov_rows_adjoint(g, _moved_observations(m, y, dm, dy, rowvar), bias, ddof)
    return (_own_rows(rows, m, rowvar, first=True),
            None if y is None else _own_rows(rows, y, rowvar, first=False))


def _moved_observations(m, y, dm, dy, rowvar) -> np.ndarray:
    """``dX``: the tangents of ``m`` and ``y`` laid out as ``np.cov`` lays out ``X``."""
    dm = np.broadcast_to(dm, np.shape(m))
    return _observations(dm, None if y is None else np.broadcast_to(dy, np.shape(y)), rowvar)


def cov_tangent(m, y, dm, dy, rowvar=True, bias=False, ddof=None):
    """Tangent of ``np.cov(m, y, rowvar, bias, ddof)``: ``(dXc Xc.T + Xc dXc.T) / fact``."""
    rows = _observations(m, y, rowvar)
    centered, moved = _centered(rows), _centered(_moved_observations(m, y, dm, dy, rowvar))
    product = moved @ centered.T
    return np.squeeze((product + product.T) / _divisor(rows, bias, ddof))


def _correlation_parts(c) -> tuple:
    """``(C, d, P, R)`` of a covariance ``c``: ``d`` its diagonal, ``P = 1 / sqrt(d d.T)``
    and the correlations ``R = C * P``."""
    c = np.atleast_2d(c)
    d = np.diagonal(c)
    scale = 1.0 / np.sqrt(np.outer(d, d))
    return c, d, scale, c * scale


def corrcoef_cov_adjoint(g, c):
    """Adjoint of the covariance ``C`` in ``R = C / sqrt(d d.T)`` (``d = diag(C)``):
    ``G * P - diag(v / 2d)`` with ``v = rowsums + colsums of G * R``."""
    c, d, scale, r = _correlation_parts(c)
    g = np.reshape(g, c.shape)
    v = np.sum(g * r, axis=0) + np.sum(g * r, axis=1)
    return g * scale - np.diag(v / (2.0 * d))


def corrcoef_cov_adjoint_tangent(g, c, dc):
    """The change of ``corrcoef_cov_adjoint(g, c)`` as ``c`` moves along ``dc``."""
    c, d, scale, r = _correlation_parts(c)
    g, dc = np.reshape(g, c.shape), np.reshape(dc, c.shape)
    u = np.diagonal(dc) / (2.0 * d)
    dscale = -scale * (u[:, None] + u[None, :])
    dr = dc * scale + c * dscale
    v = np.sum(g * r, axis=0) + np.sum(g * r, axis=1)
    dv = np.sum(g * dr, axis=0) + np.sum(g * dr, axis=1)
    return g * dscale - np.diag(dv / (2.0 * d) - v * np.diagonal(dc) / (2.0 * d * d))


def corrcoef_tangent(ans, c, dc):
    """Tangent of the correlations ``ans`` of the covariance ``c`` along ``dc``:
    ``dC * P - R * (u_i + u_j)`` with ``u = diag(dC) / 2d``."""
    c, d, scale, r = _correlation_parts(c)
    dc = np.reshape(dc, c.shape)
    u = np.diagonal(dc) / (2.0 * d)
    return np.reshape(dc * scale - r * (u[:, None] + u[None, :]), np.shape(ans))


# ------------------------------------------------------------------------------------------
# quantiles that skip NaNs: the quantiles of each lane's numbers


def _lanes(a, axis, method) -> tuple:
    """``(lanes, kept, axes)``: ``a`` as floats with the reduced axes joined into the last
    one (of length n), and the axes kept and reduced."""
    a, axes, kept = quantile_lanes(a, axis, method)
    moved = np.transpose(a, kept + list(axes))
    return moved.reshape(moved.shape[:len(kept)] + (-1,)), kept, list(axes)


def _back_from_lanes(lanes, a, kept, axes):
    """The inverse of ``_lanes``: values per lane element back in the layout of ``a``."""
    shape = tuple(np.shape(a)[i] for i in kept + axes)
    return _fit(np.transpose(lanes.reshape(shape), np.argsort(kept + axes)), a)


def nanquantile_adjoint(g, a, q, axis=None, keepdims=False, method="linear"):
    """Adjoint of ``np.nanquantile(a, q, axis, method=method, keepdims=keepdims)``: that of
    ``np.quantile`` of each lane's numbers (NaNs get zero; so does a lane of NaNs)."""
    lanes, kept, axes = _lanes(a, axis, method)
    q = np.asarray(q, dtype=float)
    g = np.reshape(g, q.shape + lanes.shape[:-1])
    out = np.zeros_like(lanes)
    for lane in np.ndindex(lanes.shape[:-1]):
        numbers = ~np.isnan(lanes[lane])
        if numbers.any():
            out[lane][numbers] = quantile_adjoint(g[(Ellipsis,) + lane],
                                                  lanes[lane][numbers], q, method=method)
    return _back_from_lanes(out, a, kept, axes)


def nanquantile_tangent(a, da, q, axis=None, keepdims=False, method="linear"):
    """Tangent of ``np.nanquantile(a, q, axis, ...)``: that of ``np.quantile`` of each
    lane's numbers (NaN for a lane of NaNs, as the quantile itself)."""
    lanes, kept, axes = _lanes(a, axis, method)
    dlanes, _, _ = _lanes(np.broadcast_to(da, np.shape(a)), axis, method)
    q = np.asarray(q, dtype=float)
    out = np.full(q.shape + lanes.shape[:-1], np.nan)
    for lane in np.ndindex(lanes.shape[:-1]):
        numbers = ~np.isnan(lanes[lane])
        if numbers.any():
            out[(Ellipsis,) + lane] = quantile_tangent(lanes[lane][numbers],
                                                       dlanes[lane][numbers], q, method=method)
    if keepdims:
        return np.reshape(out, q.shape + tuple(1 if i in axes else n
                                               for i, n in enumerate(np.shape(a))))
    return out


# ------------------------------------------------------------------------------------------
# histograms: the counts are piecewise constant, the edges may move with the data


def _edge_positions(bins, range):
    """Where each edge of ``np.histogram(a, bins, range)`` lies between the smallest and
    the largest element of ``a`` (0 to 1), or None when the edges are constants (given
    edges, or a ``range``)."""
    if isinstance(bins, str):
        raise NotImplementedError(f"the derivative of np.histogram with bins={bins!r}")
    if range is not None or np.ndim(bins) != 0:
        return None
    return np.linspace(0.0, 1.0, int(bins) + 1)


def _extreme_shares(a) -> tuple:
    """How the smallest and the largest element of ``a`` move with each element (ties
    share equally, as for ``np.min`` and ``np.max``)."""
    return (extremum_adjoint(1.0, np.min(a), a), extremum_adjoint(1.0, np.max(a), a))


def histogram_adjoint(g, a, bins=10, range=None):
    """Adjoint of ``a`` in ``(counts, edges) = np.histogram(a, bins, range)``: with a
    number of bins and no range, edge ``i`` is ``lo + (hi - lo) i / bins`` for the
    smallest and largest elements ``lo`` and ``hi``; otherwise zero."""
    positions = _edge_positions(bins, range)
    if positions is None:
        return _fit(np.zeros(np.shape(a)), a)
    edges = np.asarray(g[1], dtype=float)
    low, high = _extreme_shares(a)
    return _fit(np.sum(edges * (1.0 - positions)) * low + np.sum(edges * positions) * high, a)


def histogram_tangent(ans, a, da, bins=10, range=None):
    """Tangent of ``(counts, edges) = np.histogram(a, bins, range)``: zero counts, and the
    edges' move with the smallest and largest elements."""
    counts = np.zeros(np.shape(ans[0]))
    positions = _edge_positions(bins, range)
    if positions is None:
        return counts, np.zeros(np.shape(ans[1]))
    low, high = (np.sum(share * da) for share in _extreme_shares(a))
    return counts, low * (1.0 - positions) + high * positions


# ------------------------------------------------------------------------------------------
# np.ediff1d and np.gradient


def _ediff1d_sizes(ary, to_end, to_begin) -> tuple:
    """How many elements of ``np.ediff1d``'s result come from ``to_begin``, the
    differences and ``to_end``."""
    return (0 if to_begin is None else np.size(to_begin), max(np.size(ary) - 1, 0),
            0 if to_end is None else np.size(to_end))


def unediff1d(g, ary, to_end=None, to_begin=None):
    """Adjoint of ``ary`` in ``np.ediff1d(ary, to_end, to_begin)``: that of ``np.diff`` of
    the flattened ``ary``, for the middle part of ``g``."""
    begin, middle, _ = _ediff1d_sizes(ary, to_end, to_begin)
    flat = np.ravel(_float(ary))
    return reshaped_like(undiff(np.ravel(g)[begin:begin + middle], flat), ary)


def unediff1d_end(g, ary, to_end=None, to_begin=None):
    """Adjoint of ``to_end`` in ``np.ediff1d``: the last elements of ``g``."""
    begin, middle, _ = _ediff1d_sizes(ary, to_end, to_begin)
    return reshaped_like(np.ravel(g)[begin + middle:], to_end)


def unediff1d_begin(g, ary, to_end=None, to_begin=None):
    """Adjoint of ``to_begin`` in ``np.ediff1d``: the first elements of ``g``."""
    begin, _, _ = _ediff1d_sizes(ary, to_end, to_begin)
    return reshaped_like(np.ravel(g)[:begin], to_begin)


def ediff1d_tangent(dary, to_end=None, to_begin=None, dto_end=0.0, dto_begin=0.0):
    """Tangent of ``np.ediff1d(ary, to_end, to_begin)``: the same differences of the
    tangents (the ends that are not given stay out)."""
    return np.ediff1d(dary, to_end=None if to_end is None else dto_end,
                      to_begin=None if to_begin is None else dto_begin)


def _gradient_axes(f, axis) -> tuple:
    """The axes ``np.gradient(f, axis=axis)`` differentiates along, as ints >= 0."""
    if axis is None:
        return tuple(range(np.ndim(f)))
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    return tuple(int(a) % np.ndim(f) for a in axes)


def _spacing_along(spacing: tuple, k: int, count: int) -> tuple:
    """The spacing arguments of ``np.gradient`` for its ``k``-th axis (of ``count``): none,
    one scalar for every axis, or one scalar or coordinate array per axis."""
    given = [s for s in spacing if s is not None]
    if not given:
        return ()
    if len(given) == 1 and np.ndim(given[0]) == 0:
        return (given[0],)
    if len(given) != count:
        raise TypeError("invalid number of spacing arguments to np.gradient")
    return (given[k],)


def ungradient(g, f, spacing=(), axis=None, edge_order=1):
    """Adjoint of ``f`` in ``np.gradient(f, *spacing, axis=axis, edge_order=edge_order)``.
    Along each axis the result is ``L @ f`` for a constant matrix ``L`` (``np.gradient`` of
    the identity): its adjoint is ``L.T @ g``, summed over the axes' results."""
    axes = _gradient_axes(f, axis)
    parts = [g] if len(axes) == 1 else [g[k] for k in range(len(axes))]
    out = np.zeros(np.shape(f))
    for k, (ax, part) in enumerate(zip(axes, parts)):
        n = np.shape(f)[ax]
        matrix = np.gradient(np.eye(n), *_spacing_along(spacing, k, len(axes)), axis=0,
                             edge_order=edge_order)
        moved = np.tensordot(matrix, np.moveaxis(np.asarray(part, dtype=float), ax, 0),
                             axes=(0, 0))
        out = out + np.moveaxis(moved, 0, ax)
    return _fit(out, f)


def gradient_tangent(df, spacing=(), axis=None, edge_order=1):
    """Tangent of ``np.gradient(f, *spacing, ...)`` along ``df``: the same differences of
    ``df`` (the spacing is constant)."""
    return np.gradient(df, *[s for s in spacing if s is not None], axis=axis,
                       edge_order=edge_order)


def constant_spacing_only(spacing):
    """Raise: s2sad differentiates ``np.gradient`` for constant spacing arguments only."""
    raise NotImplementedError("s2sad differentiates np.gradient with respect to the samples "
                              "only: its spacing arguments must be constants")

"""Adjoints of lists, tuples and dicts.

The adjoint of a container is ``Items``: the container it belongs to and the adjoints of
the items that something reached, by position or key; every other item's adjoint is zero.
Adding two ``Items`` adds item by item (never concatenates), so generated code accumulates
them with ``+`` like any other adjoint. ``dense`` turns one into a plain list, tuple or dict.
"""

from __future__ import annotations

import numpy as np

CONTAINERS = (list, tuple, dict)


class Items:
    """Adjoints of some items of ``primal`` (a list, tuple or dict); the rest are zero."""

    __slots__ = ("primal", "items")

    def __init__(self, primal, items=None):
        self.primal = primal
        self.items = {} if items is None else items

    def key(self, k):
        """Normalize a position (negative positions count from the end)."""
        if isinstance(self.primal, dict):
            return k
        return k + len(self.primal) if k < 0 else k

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[p] for p in range(len(self.primal))[k]]
        k = self.key(k)
        if k in self.items:
            return self.items[k]
        return zeros_of(self.primal[k])

    def __add__(self, other):
        if isinstance(other, Items):
            items = dict(self.items)
            for k, v in other.items.items():
                items[k] = items[k] + v if k in items else v
            return Items(self.primal, items)
        if isinstance(other, CONTAINERS):
            return self + as_items(other, self.primal)
        return NotImplemented

    __radd__ = __add__

    def __repr__(self) -> str:
        return f"Items({self.items!r}, of {type(self.primal).__name__}; others zero)"


def as_items(g, primal) -> Items:
    """An adjoint given as a plain list, tuple or dict (a cotangent), as ``Items``."""
    if isinstance(g, Items):
        return g
    keys = g.keys() if isinstance(g, dict) else range(len(g))
    return Items(primal, {k: g[k] for k in keys})


def zeros_of(x):
    """Zeros shaped like ``x``, item by item for containers."""
    if isinstance(x, CONTAINERS):
        return Items(x)
    if isinstance(x, np.ndarray):
        return np.zeros_like(x, dtype=x.dtype if np.issubdtype(x.dtype, np.inexact) else float)
    return 0.0  # a float, or None: a value that was never set


def dense(g, x):
    """The adjoint ``g`` of ``x`` as a value of ``x``'s own structure (zeros filled in)."""
    if not isinstance(x, CONTAINERS):
        return g
    if not isinstance(g, Items):
        g = as_items(g, x)
    if isinstance(x, dict):
        return {k: dense(g[k], v) for k, v in x.items()}
    return type(x)(dense(g[k], v) for k, v in enumerate(x))


def item_adjoint(g, x, index):
    """Adjoint of ``x`` in ``x[index]`` for a container ``x``: ``g`` at ``index`` only (a
    slice's adjoint spreads over the positions it took)."""
    if isinstance(index, slice):
        positions = range(len(x))[index]
        part = as_items(g, x[index])
        return Items(x, {p: part[j] for j, p in enumerate(positions) if j in part.items})
    return Items(x, {Items(x).key(index): g})


def without_item(g, x, index):
    """Adjoint of the container an item assignment overwrote: ``g`` less the item at
    ``index`` (its old value did not reach the output)."""
    g = as_items(g, x)
    items = dict(g.items)
    items.pop(g.key(index), None)
    return Items(x, items)


def unappend(g, xs):
    """Adjoint of ``xs`` in ``xs + [v]``: the adjoints of its first ``len(xs)`` items."""
    if isinstance(g, Items):
        return Items(xs, {k: v for k, v in g.items.items() if k < len(xs)})
    return as_items(list(g)[:len(xs)], xs)


def each_item(g, xs):
    """Adjoint of ``xs`` in ``sum(xs)`` or ``np.stack(xs)``-like uses where every item
    receives ``g`` (or its slice ``g[k]`` when ``g`` is a sequence of them)."""
    return Items(xs, {k: g for k in range(len(xs))})


def slices_of(g, xs, axis=0):
    """Adjoint of the list ``xs`` in ``np.stack(xs, axis)``: item ``k`` gets ``g``'s
    ``k``-th slice along ``axis``."""
    g = np.moveaxis(np.asarray(g), axis, 0)
    return Items(xs, {k: g[k] for k in range(len(xs))})


def unstack(g, xs, axis=0):
    """Adjoint of ``xs`` in ``np.stack(xs, axis)`` or ``np.array(xs)``: item ``k`` gets
    ``g``'s ``k``-th slice along ``axis`` (an array ``xs``, stacked as its rows, gets ``g``
    with ``axis`` moved back to the front)."""
    if not isinstance(xs, CONTAINERS):
        return g if axis == 0 else np.moveaxis(g, axis, 0)
    return slices_of(g, xs, axis)


def cast_adjoint(adjoint, x, dtype):
    """The adjoint of ``x`` through a conversion to ``dtype`` (``np.array(x, dtype=int)``):
    ``adjoint`` for a floating ``dtype``, zeros like ``x`` for an integer or boolean one (the
    conversion is then a step function)."""
    if dtype is None or np.issubdtype(np.dtype(dtype), np.inexact):
        return adjoint
    return zeros_of(x)


def sum_items_adjoint(g, xs):
    """Adjoint of ``xs`` in the built-in ``sum(xs)``: every item (row, for an array) gets
    ``g``."""
    if isinstance(xs, CONTAINERS):
        return each_item(g, xs)
    return np.broadcast_to(g, np.shape(xs)).copy()

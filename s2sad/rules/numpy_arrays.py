"""Reductions, shape functions and products on whole arrays."""

import numpy as np

from ..runtime import (
    dot_adjoint_a,
    dot_adjoint_b,
    inverse_permutation,
    unbroadcast,
    unindex,
    unreduce,
    unreshape,
    zero_at,
)
from ..runtime_arrays import reshaped_like, unastype
from .registry import reverse


@reverse(np.sum, "ndarray.sum", linear=True)
def sum(g, ans, a, axis=None, dtype=None, out=None, keepdims=False):
    """An integer ``dtype`` makes the sum a step function of ``a``: a zero adjoint."""
    return unreduce(g, a, axis=axis, keepdims=keepdims) if dtype is None else unastype(
        unreduce(g, a, axis=axis, keepdims=keepdims), a, dtype)


@reverse(np.mean, "ndarray.mean", linear=True)
def mean(g, ans, a, axis=None, dtype=None, out=None, keepdims=False):
    return (unreduce(g / np.size(a), a) if axis is None else unreduce(
        g * (np.size(ans) / np.size(a)), a, axis=axis, keepdims=keepdims)) if dtype is None \
        else unastype(unreduce(g * (np.size(ans) / np.size(a)), a, axis=axis,
                               keepdims=keepdims), a, dtype)


@reverse(np.transpose, linear=True)
def transpose(g, ans, a, axes=None):
    return np.transpose(g) if axes is None else np.transpose(
        g, inverse_permutation(axes, np.ndim(a)))


@reverse("ndarray.transpose", linear=True)
def transpose_method(g, ans, a, *axes):
    """``x.transpose()``, ``x.transpose((1, 2, 0))`` and ``x.transpose(1, 2, 0)``."""
    return np.transpose(g) if axes == () or axes == (None,) else np.transpose(
        g, inverse_permutation(axes, np.ndim(a)))


@reverse("ndarray.T", linear=True)
def T(g, ans, a):
    return g.T


@reverse(np.reshape, linear=True)
def reshape(g, ans, a, shape=None, order="C", **options):
    return np.reshape(g, np.shape(a)) if order == "C" else unreshape(g, a, order)


@reverse("ndarray.reshape", linear=True)
def reshape_method(g, ans, a, *shape, order="C", **options):
    """``x.reshape(2, 6)`` and ``x.reshape((2, 6))``; ``order`` is keyword-only here."""
    return np.reshape(g, np.shape(a)) if order == "C" else unreshape(g, a, order)


@reverse(np.dot, "ndarray.dot", multilinear=True)
def dot(g, ans, a, b):
    return dot_adjoint_a(g, a, b), dot_adjoint_b(g, a, b)


@reverse("getitem", linear=True)
def getitem(g, ans, x, index):
    return unindex(g, x, index)


@reverse("setitem", linear=True)
def setitem(g, ans, x, index, v):
    return zero_at(g, x, index), None, unbroadcast(g[index], v)


@reverse(np.rollaxis, linear=True)
def rollaxis(g, ans, a, axis, start=0):
    """``np.moveaxis(a, axis, start)``, less one when ``start`` (>= 0) is past ``axis``."""
    return np.moveaxis(g, start - 1 if start > axis % np.ndim(a) else start, axis)


@reverse("ndarray.item", linear=True)
def item(g, ans, a):
    """``x.item()`` of a one-element array (not ``x.item(i)``: the call does not bind)."""
    return reshaped_like(g, a)

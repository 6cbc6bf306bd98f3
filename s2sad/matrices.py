"""``hessian`` and ``jacobian``: whole derivative matrices, one product per row or column."""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np

from . import api
from .errors import WrtError
from .wrapper import param_names, resolve_wrt


def hessian(func: Callable, wrt: api.Wrt = None, optimize: bool = True) -> Callable:
    """``hessian(f, wrt=i)(*args)``: the matrix of second derivatives, of shape
    ``x.shape + x.shape`` for ``x = args[i]``, one Hessian-vector product per element."""
    product = api.hvp(func, wrt=wrt, optimize=optimize)
    position = _position(func, wrt)

    @functools.wraps(func)
    def hess(*args, **kwargs):
        x = np.asarray(args[position], dtype=float)
        columns = [product(*args, basis, **kwargs) for basis in _basis(x)]
        return np.stack([np.asarray(c, dtype=float) for c in columns], axis=-1).reshape(
            x.shape + x.shape) if x.shape else float(columns[0])

    return hess


def jacobian(func: Callable, wrt: api.Wrt = None, mode: str = "auto",
             optimize: bool = True) -> Callable:
    """``jacobian(f, wrt=i)(*args)``: shape ``out.shape + x.shape``. ``mode`` ``"reverse"``
    builds it row by row (one pullback per output element), ``"forward"`` column by column
    (one jvp per input element); ``"auto"`` picks the one with fewer passes."""
    if mode not in ("auto", "forward", "reverse"):
        raise ValueError(f"unknown mode {mode!r}: use 'auto', 'forward' or 'reverse'")
    position = _position(func, wrt)
    pull = api.vjp(func, wrt=wrt, optimize=optimize)
    push = api.Transformed(func, wrt, "jvp", optimize)

    @functools.wraps(func)
    def jac(*args, **kwargs):
        x = np.asarray(args[position], dtype=float)
        value, pullback = pull(*args, **kwargs)
        out = np.asarray(value, dtype=float)
        use_reverse = mode == "reverse" or (mode == "auto" and out.size <= x.size)
        if use_reverse:
            rows = [np.asarray(pullback(e), dtype=float) for e in _basis(out)]
            return np.stack(rows).reshape(out.shape + x.shape)
        columns = [np.asarray(push(*args, tangents=(e,), **kwargs)[1], dtype=float)
                   for e in _basis(x)]
        return np.stack(columns, axis=-1).reshape(out.shape + x.shape)

    return jac


def _basis(x: np.ndarray):
    """The unit vectors of ``x``'s shape (a float 1.0 for a scalar)."""
    if not x.shape:
        yield 1.0
        return
    for k in range(x.size):
        e = np.zeros(x.size)
        e[k] = 1.0
        yield e.reshape(x.shape)


def _position(func: Callable, wrt: api.Wrt) -> int:
    target = func.function if isinstance(func, api.Transformed) else func
    names, single = resolve_wrt(target, wrt)
    if not single:
        raise WrtError("hessian, hvp and jacobian take one wrt parameter")
    return param_names(target).index(names[0])

"""What the call wrapper (``api.Transformed.__call__``) checks of and does to values, and
which parameters a ``wrt`` names."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from typing import Any, Callable, Union

import numpy as np

from .containers import Items, dense
from .errors import S2sadError, WrtError
from .parse import parse_function

_FLOAT64 = np.dtype(float)

Wrt = Union[None, int, str, Sequence[Union[int, str]]]


def param_names(func: Callable) -> list:
    try:
        return list(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return []


def resolve_wrt(func: Callable, wrt: Wrt) -> tuple:
    """``(names, single)``: the parameter names to differentiate with respect to, and
    whether the caller asked for one gradient (not a tuple)."""
    params = param_names(func)
    single = wrt is None or not isinstance(wrt, (tuple, list))
    items = [0 if wrt is None else wrt] if single else list(wrt)
    names = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (int, str)):
            raise WrtError(f"wrt must be parameter names or positions, got {item!r}")
        if isinstance(item, int):
            if not -len(params) <= item < len(params):
                raise WrtError(
                    f"wrt={item} is out of range: {func.__name__}{_signature(params)} has "
                    f"{len(params)} parameter(s)",
                    _def_location(func),
                    hint=f"use a position from 0 to {len(params) - 1} or a name",
                )
            item = params[item]
        elif item not in params:
            raise WrtError(
                f"wrt={item!r} names no parameter of {func.__name__}{_signature(params)}",
                _def_location(func),
                hint=f"choose one of {', '.join(map(repr, params))}",
            )
        names.append(item)
    if not names:
        raise WrtError("wrt is empty: name at least one parameter to differentiate")
    return tuple(names), single


def _signature(params: list) -> str:
    return f"({', '.join(params)})"


def _def_location(func: Callable):
    try:
        parsed = parse_function(func)
    except S2sadError:
        return None
    return parsed.location(parsed.node)


def call_key(args: tuple) -> tuple:
    """What picks a call's specialized version and settles its checks: per argument, a
    float64 array's shape, another array's ``("array", dtype, shape)``, or the type."""
    keyer = _KEYERS.get(len(args))
    if keyer is None:
        keyer = _KEYERS[len(args)] = _keyer(len(args))
    return keyer(args)


def is_stale(uses: tuple) -> bool:
    """Whether a name a derivative found a function of yours by now holds another one
    (``uses``: ``(namespace, name, function)``): the function was redefined."""
    for namespace, name, function in uses:
        if namespace.get(name) is not function:
            return True
    return False


def merged_uses(uses: tuple, more: tuple) -> tuple:
    """Both tuples of ``(namespace, name, function)``, each name of a namespace once."""
    return tuple({(id(ns), name): (ns, name, obj) for ns, name, obj in uses + more}.values())


def is_float_kind(kind) -> bool:
    """Whether a ``call_key`` element stands for a float: a Python or NumPy float, or a
    float64 array (its shape: a tuple of ints)."""
    if isinstance(kind, tuple):
        return not kind or type(kind[0]) is int
    return kind is float or kind is np.float64


def _array_kind(array: np.ndarray) -> tuple:
    return ("array", array.dtype.str, array.shape)


def _keyer(n: int):
    """``call_key`` for ``n`` arguments, unrolled (a third of a comprehension's time)."""
    names = [f"a{i}" for i in range(n)]
    items = "".join(f"({a}.shape if {a}.dtype is float64 else array_kind({a})) "
                    f"if type({a}) is ndarray else type({a}), " for a in names)
    unpack = f"    {''.join(a + ', ' for a in names)}= args\n" if n else ""
    source = f"def key(args):\n{unpack}    return ({items})\n"
    namespace = {"ndarray": np.ndarray, "float64": _FLOAT64, "array_kind": _array_kind}
    exec(source, namespace)
    return namespace["key"]


_KEYERS: dict = {}


def check_wrt_values(positions: list, args: tuple, kwargs: dict) -> None:
    """Raise ``WrtError`` unless each ``wrt`` argument (``(index, name)`` in ``positions``)
    is a number, an array of floats, or a list, tuple or dict of them."""
    for index, name in positions:
        value = args[index] if index < len(args) else kwargs.get(name)
        kind = type(value)  # floats and float arrays first: the common case is quick
        if kind is float or kind is np.ndarray and value.dtype is _FLOAT64:
            continue
        if _is_integer(value):
            raise WrtError(
                f"cannot differentiate with respect to {name}={value!r}: it holds integers",
                hint=f"pass floats, e.g. {name}=np.asarray({name}, dtype=float)",
            ).with_traceback(None)
        if not _is_numeric(value):
            raise WrtError(
                f"cannot differentiate with respect to {name}={value!r}: it is not a "
                "number, an array of numbers, or a list, tuple or dict of them",
                hint=f"pass floats for {name}, or leave it out of wrt",
            ).with_traceback(None)


def dense_gradients(grads, single: bool, positions: list, args: tuple, kwargs: dict,
                    defaults: dict):
    """Gradients of list, tuple and dict arguments (``(index, name)`` in ``positions``) as
    plain values of their structure."""
    many = grads if not single else (grads,)
    for g in many:
        if type(g) not in _PLAIN:
            break
    else:
        return grads
    if not any(isinstance(g, Items) for g in many):
        return grads
    values = [args[i] if i < len(args) else kwargs.get(n, defaults.get(n)) for i, n in positions]
    many = tuple(dense(g, v) for g, v in zip(many, values))
    return many[0] if single else many


_PLAIN = frozenset((np.ndarray, float, np.float64))  # gradients that need no densifying


def unshared(result, *inputs):
    """``result`` with any array that is one of ``inputs`` (an identity function passes a
    cotangent or tangent straight through) replaced by a copy: results never alias inputs."""
    if isinstance(result, tuple):
        return tuple(unshared(r, *inputs) for r in result)
    if isinstance(result, np.ndarray) and any(result is i for i in inputs):
        return result.copy()
    return result


def _is_numeric(value: Any) -> bool:
    """Whether ``value`` can be differentiated: numbers, numeric arrays, containers of them."""
    if isinstance(value, (float, complex, np.floating, np.complexfloating)):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc"
    if isinstance(value, dict):
        return all(_is_numeric(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(_is_numeric(v) or _is_integer(v) for v in value)
    return False


def _is_integer(value: Any) -> bool:
    if isinstance(value, (bool, int, np.integer, np.bool_)):
        return True
    return isinstance(value, np.ndarray) and value.dtype.kind in "biu"



"""What the call wrapper (``api.Transformed.__call__``) checks of and does to values."""

from __future__ import annotations

from typing import Any

import numpy as np

from .containers import Items, dense
from .errors import WrtError

_FLOAT64 = np.dtype(float)


def call_key(args: tuple) -> tuple:
    """What picks a call's specialized version and settles its checks: per argument, a
    float64 array's shape, another array's ``("array", dtype, shape)``, or the type."""
    keyer = _KEYERS.get(len(args))
    if keyer is None:
        keyer = _KEYERS[len(args)] = _keyer(len(args))
    return keyer(args)


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



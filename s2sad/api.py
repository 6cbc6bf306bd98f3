"""The public API: ``grad``, ``value_and_grad``, ``vjp``, ``source``, ``ssa``, ``check_grad``.

Each transform returns a ``Transformed`` callable. The derivative is generated on first
use (so helpers defined later in the module resolve), cached per function, ``wrt``, mode
and optimization setting, and a redefined function gets a fresh transform. A call with
scalar arguments (Python or NumPy floats, ints) runs a version specialized to them, with
no ``unbroadcast`` where they meet other scalars; ``.source`` and ``.function`` are the
general version. Errors raised while transforming are re-raised from here, without the
compiler's internal frames.
"""

from __future__ import annotations

import functools
import inspect
import threading
import weakref
from collections.abc import Sequence
from typing import Any, Callable, Union

import numpy as np

from .compile import compile_derivative
from .containers import Items, dense
from .emit import emit_derivative, emit_primal
from .errors import S2sadError, SourceUnavailableError, WrtError
from .forward import build_forward
from .normalize import normalize
from .optimize import optimize as optimize_derivative
from .parse import parse_function
from .reverse import build_reverse

Wrt = Union[None, int, str, Sequence[Union[int, str]]]

_cache: weakref.WeakKeyDictionary[Callable, dict] = weakref.WeakKeyDictionary()
_lock = threading.RLock()


def _param_names(func: Callable) -> list:
    try:
        return list(inspect.signature(func).parameters)
    except (TypeError, ValueError):
        return []


def resolve_wrt(func: Callable, wrt: Wrt) -> tuple:
    """``(names, single)``: the parameter names to differentiate with respect to, and
    whether the caller asked for one gradient (not a tuple)."""
    params = _param_names(func)
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


def transform(func: Callable, wrt: tuple, single: bool, mode: str, optimize: bool = True,
              subroutine: bool = False, scalars: frozenset = frozenset()):
    """``(callable, source, subroutines)`` of the derivative of ``func``, generated once and
    cached. ``scalars`` names parameters the derivative may assume hold scalars (Python or
    NumPy floats and ints): a version specialized to them (no ``unbroadcast`` for them)."""
    key = (wrt, single, mode, optimize, subroutine, scalars)
    with _lock:
        entry = _cache.get(func)
        if entry is None or entry["code"] is not func.__code__:
            entry = _cache[func] = {"code": func.__code__}
        if key not in entry:
            parsed = parse_function(func)
            primal = normalize(parsed, subroutine)
            primal.scalar_params = scalars
            if mode == "jvp":
                deriv = build_forward(primal, wrt, single, subroutine=lambda f, w: Transformed(
                    f, w, "jvp", optimize, subroutine=True))
            else:
                deriv = build_reverse(primal, wrt, mode, single, subroutine=lambda f, w:
                                      Transformed(f, w, "vjp", optimize, subroutine=True))
            if optimize:
                deriv = optimize_derivative(deriv)
            source = emit_derivative(deriv)
            entry[key] = (compile_derivative(source, deriv, parsed), source,
                          deriv.subroutines)
        return entry[key]


class Transformed:
    """A derivative of ``func``: call it like ``func`` (plus a seed for ``grad``).

    ``.source`` is the generated Python source; ``.function`` the compiled function itself.
    """

    def __init__(self, func: Callable, wrt: Wrt, mode: str, optimize: bool = True,
                 subroutine: bool = False):
        if isinstance(func, Transformed):
            if func.mode not in ("grad", "jvp"):
                raise S2sadError(
                    f"cannot differentiate the {func.mode} of {func.func.__qualname__}: it "
                    "returns a function or a tuple",
                    hint="differentiate s2sad.grad(f) or s2sad.jvp(f) instead")
            arity = func._arity  # the seed parameter is not an argument to split off
            func = func.function  # its generated source is what gets differentiated
        else:
            arity = None
        if not inspect.isfunction(func):
            raise SourceUnavailableError(
                f"cannot differentiate {func!r}: s2sad transforms Python functions written "
                "with `def`, and this object has no such source",
                hint="wrap it in a `def` of your own that calls it",
            ).with_traceback(None)
        functools.update_wrapper(self, func)
        self.func = func
        self.mode = mode
        self.optimize = optimize
        self.subroutine = subroutine
        self.wrt, self.single = resolve_wrt(func, wrt)
        params = _param_names(func)
        self._positions = [(params.index(n), n) for n in self.wrt]
        self._defaults = {n: p.default for n, p in inspect.signature(func).parameters.items()}
        self._arity = len(self._defaults) if arity is None else arity
        self._compiled: Callable | None = None
        self._params = params
        self._special: dict = {}  # positions of scalar arguments -> specialized function

    @property
    def function(self) -> Callable:
        if self._compiled is None or self._code is not self.func.__code__:
            self._code = self.func.__code__
            self._compiled = self._transform()[0]
        return self._compiled

    @property
    def source(self) -> str:
        """The generated source, followed by that of the subroutines it calls."""
        texts, seen, todo = [], set(), [self]
        while todo:
            item = todo.pop(0)
            key = (item.func, item.wrt, item.mode)
            if key in seen:
                continue
            seen.add(key)
            _, text, subroutines = item._transform()
            texts.append(text)
            todo += subroutines
        return "\n\n".join(texts)

    def _transform(self, scalars: frozenset = frozenset()):
        try:
            return transform(self.func, self.wrt, self.single, self.mode, self.optimize,
                             self.subroutine, scalars)
        except S2sadError as exc:
            raise exc.with_traceback(None) from None

    def __call__(self, *args, **kwargs):
        fn = self._compiled
        if fn is None or self._code is not self.func.__code__:
            fn = self.function
            self._special.clear()
        if self.mode != "jvp":
            types = tuple(map(type, args))
            special = self._special.get(types)
            fn = special if special is not None else self._specialize(types, fn)
        for index, name in self._positions:
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
        if self.mode == "jvp":
            return self._forward(fn, args, kwargs)
        result = fn(*args, **kwargs)
        if self.mode == "vjp":
            value, pullback = result

            def pull(cotangent):
                return _unshared(self._dense(pullback(cotangent), args, kwargs), cotangent)

            return value, pull
        if self.mode == "value_and_grad":
            return result[0], self._dense(result[1], args, kwargs)
        return self._dense(result, args, kwargs)

    def _forward(self, fn, args, kwargs):
        """``jvp(f)(*args, *tangents)``: the positional arguments past ``f``'s parameters
        are the tangents, or pass them as ``tangents=(...)``; a missing tangent is 1.0."""
        tangents = kwargs.pop("tangents", None)
        if tangents is None and len(args) > self._arity:
            args, tangents = args[:self._arity], args[self._arity:]
        if tangents is not None:
            kwargs = {**kwargs, **dict(zip(self._tangent_names(fn), tangents))}
        value, tangent = fn(*args, **kwargs)
        return value, _unshared(tangent, *(tangents or ()))

    def _specialize(self, types: tuple, general: Callable) -> Callable:
        """The derivative for positional arguments of these ``types``: specialized to the
        scalar ones (generated once), or ``general`` if there are none."""
        names = frozenset(p for p, t in zip(self._params, types) if t in _SCALAR_TYPES)
        fn = self._transform(names)[0] if names else general
        if len(self._special) < 64:
            self._special[types] = fn
        return fn

    def _tangent_names(self, fn) -> list:
        return list(inspect.signature(fn).parameters)[-len(self.wrt):]

    def _dense(self, grads, args, kwargs):
        """Gradients of list, tuple and dict arguments as plain values of their structure."""
        many = grads if not self.single else (grads,)
        for g in many:
            if type(g) not in _PLAIN:
                break
        else:
            return grads
        if not any(isinstance(g, Items) for g in many):
            return grads
        values = [args[i] if i < len(args) else kwargs.get(n, self._defaults.get(n))
                  for i, n in self._positions]
        many = tuple(dense(g, v) for g, v in zip(many, values))
        return many[0] if self.single else many

    def __repr__(self) -> str:
        return f"<s2sad {self.mode} of {self.func.__qualname__} wrt {', '.join(self.wrt)}>"


_SCALAR_TYPES = (float, int, np.float64)
_FLOAT64 = np.dtype(float)
_PLAIN = frozenset((np.ndarray, float, np.float64))  # gradients that need no densifying


def _unshared(result, *inputs):
    """``result`` with any array that is one of ``inputs`` (an identity function passes a
    cotangent or tangent straight through) replaced by a copy: results never alias inputs."""
    if isinstance(result, tuple):
        return tuple(_unshared(r, *inputs) for r in result)
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


def _decorator(mode: str):
    def make(func: Callable | None = None, *, wrt: Wrt = None, optimize: bool = True):
        if func is None:
            return lambda f: Transformed(f, wrt, mode, optimize)
        return Transformed(func, wrt, mode, optimize)

    return make


grad = _decorator("grad")
grad.__doc__ = """Gradient of a scalar-valued ``func`` (w.r.t. its first parameter by default).

``wrt`` is a parameter position or name (one gradient) or a tuple of them (a tuple of
gradients, in that order). Works as ``@grad``, ``@grad(wrt=...)`` or ``grad(f, wrt=...)``.
"""
value_and_grad = _decorator("value_and_grad")
value_and_grad.__doc__ = "Like ``grad``, but the derivative returns ``(value, gradients)``."
jvp = _decorator("jvp")
jvp.__doc__ = """Forward mode: ``jvp(f, wrt=...)(*args, *tangents)`` returns ``(value, tangent)``,
the directional derivative of ``f`` along the tangents (one per ``wrt`` parameter, in
order; each defaults to 1.0)."""
vjp = _decorator("vjp")
vjp.__doc__ = """Vector-Jacobian product: ``vjp(f)(*args)`` returns ``(value, pullback)``;
``pullback(cotangent)`` returns the gradients of ``sum(cotangent * f(*args))``."""


def source(func: Callable, wrt: Wrt = None, mode: str = "reverse",
           optimize: bool = True) -> str:
    """The generated source of ``func``'s derivative. ``mode`` is ``"reverse"`` (the
    gradient), ``"value_and_grad"``, ``"vjp"``, ``"forward"`` (the ``jvp``) or ``"hvp"``
    (the Hessian-vector product: the forward derivative of the gradient's code)."""
    if mode == "hvp":
        return hvp(func, wrt=wrt, optimize=optimize).source
    mode = {"reverse": "grad", "forward": "jvp"}.get(mode, mode)
    if mode not in ("grad", "value_and_grad", "vjp", "jvp"):
        raise ValueError(f"unknown mode {mode!r}: use 'reverse', 'value_and_grad', 'vjp', "
                         "'forward' or 'hvp'")
    return Transformed(func, wrt, mode, optimize).source


def hvp(func: Callable, wrt: Wrt = None, optimize: bool = True) -> Callable:
    """Hessian-vector product, forward over reverse: ``hvp(f, wrt=i)(*args, v)`` is
    ``H @ v`` (shape of ``args[i]``) without ever forming the Hessian ``H``."""
    tangent_of_gradient = Transformed(grad(func, wrt=wrt, optimize=optimize), wrt, "jvp",
                                      optimize)

    @functools.wraps(func)
    def product(*args, **kwargs):
        *args, v = args
        return tangent_of_gradient(*args, tangents=(v,), **kwargs)[1]

    product.source = tangent_of_gradient.source
    return product


def hessian(func: Callable, wrt: Wrt = None, optimize: bool = True) -> Callable:
    """``hessian(f, wrt=i)(*args)``: the matrix of second derivatives, of shape
    ``x.shape + x.shape`` for ``x = args[i]``, one Hessian-vector product per element."""
    product = hvp(func, wrt=wrt, optimize=optimize)
    position = _position(func, wrt)

    @functools.wraps(func)
    def hess(*args, **kwargs):
        x = np.asarray(args[position], dtype=float)
        columns = [product(*args, basis, **kwargs) for basis in _basis(x)]
        return np.stack([np.asarray(c, dtype=float) for c in columns], axis=-1).reshape(
            x.shape + x.shape) if x.shape else float(columns[0])

    return hess


def jacobian(func: Callable, wrt: Wrt = None, mode: str = "auto",
             optimize: bool = True) -> Callable:
    """``jacobian(f, wrt=i)(*args)``: shape ``out.shape + x.shape``. ``mode`` ``"reverse"``
    builds it row by row (one pullback per output element), ``"forward"`` column by column
    (one jvp per input element); ``"auto"`` picks the one with fewer passes."""
    if mode not in ("auto", "forward", "reverse"):
        raise ValueError(f"unknown mode {mode!r}: use 'auto', 'forward' or 'reverse'")
    position = _position(func, wrt)
    pull = vjp(func, wrt=wrt, optimize=optimize)
    push = Transformed(func, wrt, "jvp", optimize)

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


def _position(func: Callable, wrt: Wrt) -> int:
    names, single = resolve_wrt(func.function if isinstance(func, Transformed) else func, wrt)
    if not single:
        raise WrtError("hessian, hvp and jacobian take one wrt parameter")
    target = func.function if isinstance(func, Transformed) else func
    return _param_names(target).index(names[0])


def ssa(func: Callable) -> str:
    """The single-assignment primal form of ``func`` as source text."""
    try:
        return emit_primal(normalize(parse_function(func)))
    except S2sadError as exc:
        raise exc.with_traceback(None) from None

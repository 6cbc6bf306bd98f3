"""The public API: ``grad``, ``value_and_grad``, ``vjp``, ``source``, ``ssa``, ``check_grad``.

Each transform returns a ``Transformed`` callable. The derivative is generated on first
use (so helpers defined later in the module resolve), cached per function, ``wrt``, mode
and optimization setting, and a redefined function gets a fresh transform.

A gradient, ``value_and_grad`` or ``vjp`` call runs a version specialized to the shapes of
its positional arguments (``shapes.shape_signature``: the ranks of the arrays, which axes
have length 1 and which lengths are equal, and which arguments are scalars), generated once
per signature (a call makes only the version it runs; the general one waits until a call
or ``.source`` needs it): it sums adjoints back over the axes it knows (``bt1.sum(axis=0)``, no
``unbroadcast``) and writes matrix products' adjoints out (``bt2 @ W2.T``).
``.source_for(*args)`` prints that version; ``.source`` and ``.function`` are the general
one. Errors raised while transforming are re-raised from here, without the compiler's
internal frames.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import inspect
import threading
import weakref
from typing import Callable

from .builder import is_subroutine
from .common import share_common_operations
from .compile import compile_derivative
from .emit import emit_derivative, emit_primal
from .errors import S2sadError, SourceUnavailableError
from .forward import build_forward
from .matrices import hessian, jacobian  # noqa: F401 - part of the API
from .normalize import normalize
from .optimize import optimize as optimize_derivative
from .parse import parse_function
from .reverse import build_reverse
from .shapes import describe, shape_signature
from .wrapper import (
    Wrt,
    call_key,
    check_wrt_values,
    dense_gradients,
    is_float_kind,
    is_stale,
    merged_uses,
    param_names,
    resolve_wrt,
    unshared,
)

_cache: weakref.WeakKeyDictionary[Callable, dict] = weakref.WeakKeyDictionary()
_lock = threading.RLock()


def transform(func: Callable, wrt: tuple, single: bool, mode: str, optimize: bool = True,
              subroutine: bool = False, shapes: tuple = (), seed_is_one: bool = False):
    """``(callable, source, subroutines, uses)`` of the derivative of ``func``, generated
    once and cached (``uses``: the functions of yours it calls, by the names that find
    them; the cache drops a derivative once one of them is rebound). ``shapes``
    (``((name, shape), ...)`` from ``shapes.shape_signature``, or a set of names holding
    scalars) gives the static shapes the derivative may assume: a version specialized to
    them; ``seed_is_one`` a version for calls that pass no seed (``grad`` and
    ``value_and_grad`` with shapes only)."""
    if isinstance(shapes, (set, frozenset)):
        shapes = tuple((name, ()) for name in sorted(shapes))
    seed_is_one = seed_is_one and bool(shapes) and mode in ("grad", "value_and_grad")
    key = (wrt, single, mode, optimize, subroutine, shapes, seed_is_one)
    with _lock:
        entry = _cache.get(func)
        if entry is None or entry["code"] is not func.__code__ or (
                key in entry and is_stale(entry[key][3])):  # redefined, or what it calls
            entry = _cache[func] = {"code": func.__code__}
        if key not in entry:
            if (func, key) in _building:
                raise _Recursive
            _building.add((func, key))
            try:
                with _collection_paused():
                    entry[key] = _build(func, wrt, single, mode, optimize, subroutine, shapes,
                                        seed_is_one)
            finally:
                _building.discard((func, key))
        return entry[key]


def _build(func, wrt, single, mode, optimize, subroutine, shapes, seed_is_one) -> tuple:
    """One derivative, through every stage (``transform`` caches it)."""
    parsed = parse_function(func)
    primal = normalize(parsed, subroutine)
    if optimize:
        share_common_operations(primal)
    primal.param_shapes = shapes
    if mode == "jvp":
        deriv = build_forward(primal, wrt, single, subroutine=lambda f, w: Transformed(
            f, w, "jvp", optimize, subroutine=True))
    else:
        deriv = build_reverse(primal, wrt, mode, single, subroutine=lambda f, w:
                              Transformed(f, w, "vjp", optimize, subroutine=True))
    if optimize:
        deriv = optimize_derivative(deriv, shapes, seed_is_one)
    source = emit_derivative(deriv)
    if shapes:
        source = f"# specialized to {describe(shapes)}\n{source}"
    return compile_derivative(source, deriv, parsed), source, deriv.subroutines, _uses(
        parsed, deriv.subroutines)


def _uses(parsed, subroutines: list) -> tuple:
    """The functions of yours a derivative calls (``(namespace, name, function)``), those
    of the specialized versions of them it calls directly included."""
    uses = tuple(use for use in parsed.functions_used if is_subroutine(use[2]))
    for transformed, shapes, _ in subroutines:
        if shapes:
            try:
                uses = merged_uses(uses, transformed._transform(shapes)[3])
            except _Recursive:  # called through its wrapper, which checks for itself
                continue
    return merged_uses(uses, ())


class _Recursive(Exception):
    """A transform asked for while it is being made (a recursive call): the caller calls
    the function's wrapper instead."""


_building: set = set()  # (function, key) of the transforms being made


@contextlib.contextmanager
def _collection_paused():
    """Pause the cyclic garbage collector: it would traverse the new trees over and over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class Transformed:
    """A derivative of ``func``: call it like ``func`` (plus a seed for ``grad``).

    ``.source`` is the generated Python source; ``.function`` the compiled function itself
    (both the general version); ``.source_for(*args)`` the source of the version a call
    with these arguments runs, specialized to their shapes.
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
        params = param_names(func)
        self._positions = [(params.index(n), n) for n in self.wrt]
        self._defaults = {n: p.default for n, p in inspect.signature(func).parameters.items()}
        self._arity = len(self._defaults) if arity is None else arity
        self._compiled: Callable | None = None
        self._compiled_uses: tuple = ()
        self._uses: tuple = ()  # the functions the versions in ``_special`` call (``_uses``)
        self._code = self._special_code = None  # the code object they were made from
        self._params = params
        self._special: dict = {}  # argument shapes and types -> specialized function
        # the same, for calls whose checks the key settles
        self._quick: dict = {}

    @property
    def function(self) -> Callable:
        if self._compiled is None or self._code is not self.func.__code__ or is_stale(
                self._compiled_uses):
            self._code = self.func.__code__
            self._compiled, _, _, self._compiled_uses = self._transform()
        return self._compiled

    @property
    def source(self) -> str:
        """The generated source, followed by that of the subroutines it calls."""
        return _sources([(self, (), "")], self._transform())

    def source_for(self, *args) -> str:
        """The source of the derivative a call with these positional arguments runs: the
        version specialized to their shapes (see the module docstring; its first line names
        the shapes), or the general ``.source`` when none of them is a scalar or an array.
        The user's functions it calls follow, specialized where their arguments' shapes
        are known at the call."""
        shapes = shape_signature(self._params, args) if self.mode != "jvp" else ()
        if not shapes:
            return self.source
        return _sources([(self, shapes, "")], self._transform(shapes, len(args) <= self._arity))

    def callable_for(self, shapes: tuple):
        """What a caller's generated code calls: the version specialized to ``shapes``
        (a signature of this function's parameters) itself, or this wrapper for none."""
        if not shapes:
            return self
        try:
            return self._transform(shapes)[0]
        except _Recursive:
            return self

    def _transform(self, shapes: tuple = (), seed_is_one: bool = False):
        try:
            return transform(self.func, self.wrt, self.single, self.mode, self.optimize,
                             self.subroutine, shapes, seed_is_one)
        except S2sadError as exc:
            raise exc.with_traceback(None) from None

    def __call__(self, *args, **kwargs):
        if self._special_code is not self.func.__code__ or self._uses and is_stale(
                self._uses):  # first call, or it or a function it calls was redefined
            self._special.clear()
            self._quick.clear()
            self._special_code, self._uses = self.func.__code__, ()
        elif not kwargs:  # the quick path: a call like an earlier one (see ``_quick``)
            fn = self._quick.get(call_key(args))
            if fn is not None:
                return fn(*args)
        if self.mode != "jvp":
            key = call_key(args)
            if kwargs:  # keywords may name the seed: no version that assumes it is 1
                fn = self._specialize(args, None)
            else:
                fn = self._special.get(key)
                if fn is None:  # only then is the general version made (if needed at all)
                    fn = self._specialize(args, key)
        else:
            fn = self.function
        check_wrt_values(self._positions, args, kwargs)
        if self.mode == "jvp":
            return self._forward(fn, args, kwargs)
        result = fn(*args, **kwargs)
        if self.mode == "vjp":
            value, pullback = result

            def pull(cotangent):
                return unshared(self._dense(pullback(cotangent), args, kwargs), cotangent)

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
        return value, unshared(tangent, *(tangents or ()))

    def _specialize(self, args: tuple, key: tuple | None) -> Callable:
        """The derivative for these positional arguments (``key``: their shapes and types,
        None when keywords are passed too): specialized to their shapes (generated once per
        signature; for a call without a seed, to a seed of 1), or the general one."""
        shapes = shape_signature(self._params, args)
        unit = key is not None and len(args) <= self._arity
        if shapes:
            fn, _, _, uses = self._transform(shapes, unit)
        else:
            fn, uses = self.function, self._compiled_uses
        self._uses = merged_uses(self._uses, uses)
        if key is None:
            return fn
        if len(self._special) >= 64:  # many shapes: keep the latest ones
            self._special.clear()
            self._quick.clear()
        self._special[key] = fn
        if self.mode in ("grad", "value_and_grad"):
            self._remember(args, key, fn)
        return fn

    def _remember(self, args: tuple, key: tuple, fn: Callable) -> None:
        """Let calls of this key take the quick path when what ``__call__`` checks (each
        ``wrt`` argument a float, a NumPy float or an array of floats: no integers, no
        containers to densify) follows from the key alone."""
        for index, _ in self._positions:
            if index >= len(args) or not is_float_kind(key[index]):
                return
        self._quick[key] = fn

    def _tangent_names(self, fn) -> list:
        return list(inspect.signature(fn).parameters)[-len(self.wrt):]

    def _dense(self, grads, args, kwargs):
        return dense_gradients(grads, self.single, self._positions, args, kwargs,
                               self._defaults)

    def __repr__(self) -> str:
        return f"<s2sad {self.mode} of {self.func.__qualname__} wrt {', '.join(self.wrt)}>"




def _sources(todo: list, first: tuple) -> str:
    """The source of ``todo[0]`` (``first``: its transform), then of every subroutine it
    calls, each once (``todo``: a ``Transformed``, a shape signature and the name the
    caller calls it by: a second version of one function gets another name)."""
    texts, seen = [], set()
    while todo:
        item, shapes, name = todo.pop(0)
        key = (item.func, item.wrt, item.mode, shapes)
        if key in seen:
            continue
        seen.add(key)
        _, text, subroutines, _ = first if not texts else item._transform(shapes)
        own = f"{item.func.__name__}_{item.mode}"  # (builder.derivative_name)
        if name and name != own:
            text = text.replace(f"def {own}(", f"def {name}(", 1)
        texts.append(text)
        todo += subroutines
    return "\n\n".join(texts)


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


def ssa(func: Callable) -> str:
    """The single-assignment primal form of ``func`` as source text."""
    try:
        return emit_primal(normalize(parse_function(func)))
    except S2sadError as exc:
        raise exc.with_traceback(None) from None

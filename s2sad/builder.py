"""What reverse and forward mode share while writing a derivative.

``Builder`` holds the namer, the linker and inliner, the activity and shape analyses, and
the derivative transforms of the user functions the primal calls (one per function and set
of differentiated parameters, named ``helper_vjp``/``helper_jvp`` in the generated code).
"""

from __future__ import annotations

import inspect

import gast
import numpy as np

from .activity import active_names
from .broadcast import ShapeClasses
from .errors import S2sadError
from .inline import Inliner
from .ir import Effect, Op, Primal, walk
from .linker import Linker
from .nodes import load_name, nodes
from .normalize import normalize
from .parse import parse_function
from .rules import is_nondiff, lookup, lookup_tangent
from .runtime_products import sum_outers, sum_products


class Builder:
    suffix = ""  # "vjp" or "jvp": the kind of transform a called user function gets

    def __init__(self, primal: Primal, wrt: tuple, subroutine):
        self.primal = primal
        self.wrt = wrt
        self.namer = primal.namer
        reserve_derivative_names(primal)
        self.linker = Linker(primal.parsed, self.namer)
        for effect in walk(primal.body):
            if isinstance(effect, Effect) and effect.links:
                for node in nodes(effect.stmt):
                    if isinstance(node, gast.Name) and node.id in effect.links:
                        node.id = self.linker.name(node.id, effect.links[node.id]).id
                effect.links = {}
        self.inliner = Inliner(primal.parsed, self.linker)
        self.active = active_names(primal, wrt)
        self.shapes = ShapeClasses(primal, callee_shapes if primal.param_shapes else None)
        self.subroutine = subroutine
        self.subroutines: list = []
        self._transforms: dict = {}

    def active_arguments(self, op: Op) -> list:
        """(parameter, atom) for the arguments of a user-function call being differentiated."""
        bound = inspect.signature(op.key).bind(*op.args, **op.kwargs).arguments
        return [(p, a) for p, a in bound.items()
                if isinstance(a, gast.Name) and a.id in self.active]

    def transform_of(self, func, params: tuple, call: Op | None = None) -> gast.Name:
        """The generated code's name for ``func``'s derivative w.r.t. ``params``: the
        version specialized to the static shapes of the arguments of ``call`` where they
        cover every parameter in ``params``, called directly; else the general one,
        through its wrapper (which checks and densifies gradients)."""
        signature = self.shapes.signatures.get(id(call), ()) if call is not None else ()
        if not set(params) <= {param for param, _ in signature}:
            signature = ()  # an argument of unknown shape (a list, say): the wrapper
        key = (func, params, signature)
        if key not in self._transforms:
            wrt = params[0] if len(params) == 1 else params
            transformed = self.subroutine(func, wrt)
            name = self.linker.name(f"{func.__name__}_{self.suffix}",
                                    transformed.callable_for(signature)).id
            self._transforms[key] = name
            self.subroutines.append((transformed, signature, name))
        return load_name(self._transforms[key])

    def static_facts(self) -> dict:
        """For the optimizer, in a version specialized to shapes (else nothing): the names
        of NumPy and of ``loop_sums``' helpers in the generated code, and which values are
        surely arrays and which surely scalars."""
        if not self.primal.param_shapes:
            return {}
        links = {name: self.linker.name(name, obj).id for name, obj in (
            ("np", np), ("sum_outers", sum_outers), ("sum_products", sum_products))}
        known = {name: self.shapes.dims.get(cls) for name, cls in self.shapes.classes.items()
                 if name not in self.shapes.unknown}
        return dict(links=links, arrays={name for name, dims in known.items() if dims},
                    scalars={name for name, dims in known.items() if dims == ()})


def callee_shapes(op: Op, shapes: ShapeClasses) -> tuple | None:
    """For a call of a user function (``op``) in a version specialized to shapes: the
    callee's shape signature (its arguments of known rank 1 or more) and the static shape
    of its result (None if unknown). None if no argument's shape is known."""
    if not is_subroutine(op.key):
        return None
    try:
        bound = inspect.signature(op.key).bind(*op.args, **op.kwargs).arguments
    except (TypeError, ValueError):
        return None
    signature = tuple((param, shapes.shape(atom)) for param, atom in bound.items()
                      if isinstance(atom, gast.AST) and shapes.shape(atom))
    if not signature:
        return None
    key = (op.key.__code__, signature)
    if key not in _RESULT_SHAPES:
        _RESULT_SHAPES[key] = None  # a recursive call: unknown
        _RESULT_SHAPES[key] = _result_shape(op.key, signature)
    return signature, _RESULT_SHAPES[key]


def _result_shape(func, signature: tuple) -> tuple | None:
    try:
        primal = normalize(parse_function(func), subroutine=True)
    except S2sadError:  # reported when the call is differentiated
        return None
    primal.param_shapes = signature
    return ShapeClasses(primal, callee_shapes).shape(load_name(primal.result))


_RESULT_SHAPES: dict = {}  # (code, signature) -> the result's static shape


def derivative_name(primal: Primal, mode: str, wrt: tuple) -> str:
    """``dnll_dm_ds`` (gradient), ``nll_vjp`` or ``nll_jvp``."""
    if mode in ("vjp", "jvp"):
        return f"{primal.name}_{mode}"
    return "d" + primal.name + "".join(f"_d{p}" for p in wrt)


def reserve_derivative_names(primal: Primal) -> None:
    """Keep the generated functions' own names free (a recursive call must not reach the
    generated function under the name of the linked transform)."""
    for mode in ("vjp", "jvp"):
        primal.namer.reserve(derivative_name(primal, mode, ()))


def is_subroutine(key) -> bool:
    """A call of the user's own Python function (no rule): differentiated through its own
    derivative transform. s2sad's own helpers are never transformed: one without a rule
    for the mode at hand is reported as such."""
    return (inspect.isfunction(key) and lookup(key) is None and lookup_tangent(key) is None
            and not is_nondiff(key) and not key.__module__.startswith("s2sad."))


DISPLAYS = ("list", "tuple", "dict")  # keys of the ops that build containers


def display_contributions(op: Op, g: str) -> list:
    """``t = [a, b]`` (or a tuple or dict display): ``ba = bt[0]``, ``bb = bt[1]``."""
    keys = op.value.keys if op.key == "dict" else [
        gast.Constant(k, None) for k in range(len(op.args))]
    return [(atom, gast.Subscript(load_name(g), key, gast.Load()))
            for atom, key in zip(op.args, keys) if isinstance(atom, gast.Name)]

"""The derivative-rule registry.

A reverse rule is an ordinary Python function ``rule(g, ans, *operands, **options)``: ``g`` is
the adjoint of the output, ``ans`` the output. Its body is one ``return`` of the adjoint
contributions, one per differentiable operand in order (a single expression for the first
operand alone; ``None`` for an operand that is not differentiable). Operands past the
returned ones (``axis``, ``keepdims``, ...) are options, never differentiated. A rule that
is not elementwise receives ``g`` with exactly the output's shape and returns contributions
with exactly its operands' shapes.

The compiler does not call rules: it inlines the returned expressions with the operands'
names substituted, so the generated code reads ``bx = bt0 * np.cos(x)``.
"""

from __future__ import annotations

import copy
import functools
import inspect
import textwrap
from dataclasses import dataclass
from typing import Any, Callable

import gast

REVERSE: dict = {}
NONDIFF: dict = {}
IMPURE: set = set()  # registered keys whose calls have effects (random draws)
REFUSED: dict = {}  # key -> (what, hint): calls s2sad refuses to compile
TANGENT: dict = {}


@dataclass
class Rule:
    """A registered reverse rule and its parsed return expressions."""

    fn: Callable
    elementwise: bool = False
    linear: bool = False
    multilinear: bool = False

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def namespace(self) -> dict:
        return self.fn.__globals__

    @functools.cached_property
    def signature(self) -> inspect.Signature:
        return inspect.signature(self.fn)

    @functools.cached_property
    def returns(self) -> list:
        """The rule's returned expressions, parsed once (``None`` where not differentiable);
        never modify them: ``contributions()`` gives copies."""
        return _parse_returns(self.fn)

    @functools.cached_property
    def operands(self) -> list:
        """The names of the rule's parameters past ``g`` and ``ans``."""
        return list(self.signature.parameters)[2:]

    @functools.cached_property
    def differentiable(self) -> list:
        """The names of the operands the rule returns a contribution for."""
        return [p for p, e in zip(self.operands, self.returns) if e is not None]

    def contributions(self) -> list:
        """Fresh copies of the rule's returned expressions (``None`` where not differentiable)."""
        return [copy.deepcopy(e) for e in self.returns]


def _parse_returns(fn: Callable) -> list:
    tree = gast.parse(textwrap.dedent(inspect.getsource(fn)))
    body = [s for s in tree.body[0].body if not _is_docstring(s)]
    if len(body) != 1 or not isinstance(body[0], gast.Return) or body[0].value is None:
        raise TypeError(f"rule {fn.__name__} must consist of a single `return` statement")
    value = body[0].value
    elts = value.elts if isinstance(value, gast.Tuple) else [value]
    return [None if _is_none(e) else e for e in elts]


def _is_docstring(stmt) -> bool:
    return isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Constant)


def _is_none(expr) -> bool:
    return isinstance(expr, gast.Constant) and expr.value is None


def reverse(*keys: Any, elementwise: bool = False, linear: bool = False,
            multilinear: bool = False, pure: bool = True,
            tangent: Callable | None = None) -> Callable:
    """Register the decorated function as the reverse rule of every key in ``keys``.

    ``elementwise=True`` declares an elementwise (broadcasting) operation. Its rule ignores
    broadcasting: a contribution may keep the broadcast shape, and the compiler sums it back
    to the operand's shape (``unbroadcast``) only where that is needed, once.

    The same declarations give forward mode its tangent, with no second rule to write: an
    elementwise operation's tangent is the sum of its contributions with ``g`` replaced by
    each operand's tangent; a ``linear`` operation (``np.sum``, ``x.T``, ``x[i]``) is applied
    to the tangents of its differentiable operands; a ``multilinear`` one (``a @ b``) is the
    sum over its operands of itself with that operand replaced by its tangent.

    ``pure=False`` declares a call with an effect besides its value (a random draw advances
    its generator): the compiler then keeps every such call where the function makes it,
    runs it once, and never drops it as unused nor repeats it in the adjoint. By default a
    registered function is pure.

    Any other operation gets its forward-mode rule from ``tangent=`` (a function written as
    for ``@tangent``, see there), e.g. for a matrix inverse::

        def inv_tangent(ans, a, da):
            return -(ans @ da @ ans)

        @s2sad.rule(my_inv, tangent=inv_tangent)
        def inv_rule(g, ans, a):
            return -(ans.T @ g @ ans.T)
    """

    def register(fn: Callable) -> Callable:
        rule = Rule(fn, elementwise, linear, multilinear)
        for key in keys:
            REVERSE[key] = rule
        if not pure:
            IMPURE.update(keys)
        if tangent is not None:
            _register_tangent(keys, TangentRule(tangent))
        return fn

    return register


@dataclass
class TangentRule:
    """A registered forward-mode rule: a function ``fn(ans, *operands, *tangents, **options)``
    with one ``return``, or a declaration that the operation is linear or multilinear in
    some of its operands (``fn`` is then the operation itself, read for its signature)."""

    fn: Callable
    linear: tuple = ()
    multilinear: tuple = ()
    names: dict | None = None  # {operand: tangent parameter} where ``d<operand>`` clashes

    @property
    def declared(self) -> bool:
        return bool(self.linear or self.multilinear)

    @property
    def name(self) -> str:
        return getattr(self.fn, "__name__", repr(self.fn))

    @property
    def namespace(self) -> dict:
        return self.fn.__globals__

    @functools.cached_property
    def tangents(self) -> dict:
        """``{operand: tangent parameter}``: the parameters ``d<operand>`` of the rule."""
        if self.declared:
            return {p: None for p in self.linear + self.multilinear}
        if self.names:
            return dict(self.names)
        params = list(inspect.signature(self.fn).parameters)
        return {p[1:]: p for p in params[1:] if p.startswith("d") and p[1:] in params[1:]}

    @functools.cached_property
    def signature(self) -> inspect.Signature:
        """The operation's own signature: the rule's, without ``ans`` and the tangents."""
        sig = inspect.signature(self.fn)
        if self.declared:
            return sig
        tangent_params = set(self.tangents.values())
        params = [p for n, p in list(sig.parameters.items())[1:] if n not in tangent_params]
        return sig.replace(parameters=params)

    @functools.cached_property
    def returns(self) -> list:
        """The returned expressions: one per tangent parameter (the terms of a sum) when the
        rule returns that many, else the one joint expression. Never modify them."""
        if self.declared:
            return []
        values = _parse_returns(self.fn)
        if len(values) == len(self.tangents) > 1:
            return values
        body = [s for s in gast.parse(textwrap.dedent(inspect.getsource(self.fn))).body[0].body
                if not _is_docstring(s)]
        return [body[0].value]

    @property
    def joint(self) -> bool:
        """Whether the rule returns one expression of all its tangents (not a sum of terms)."""
        return not self.declared and (len(self.returns) != len(self.tangents)
                                      or len(self.tangents) == 1)


def _register_tangent(keys: tuple, rule: TangentRule) -> None:
    for key in keys:
        TANGENT[key] = rule


def tangent(*keys: Any, linear: tuple = (), multilinear: tuple = (),
            names: dict | None = None) -> Callable | None:
    """Register the forward-mode (tangent) rule of every key in ``keys``.

    As a decorator, the function is ``rule(ans, *operands, *tangents, **options)``: ``ans``
    is the output, the operands and options are named as in the operation's own signature,
    and ``d<operand>`` is the tangent of ``<operand>`` (only operands with such a parameter
    are differentiated). Its body is one ``return``. The compiler inlines it like a reverse
    rule, so the generated forward code reads as a hand derivation::

        @tangent(np.linalg.inv)
        def inv(ans, a, da):
            return -(ans @ da @ ans)          # ->   dt1 = -(t1 @ dx @ t1)

    With several tangents, return either one term per tangent (a tuple, in the order of
    the tangent parameters: the tangent is the sum of the terms of the operands being
    differentiated) or one joint expression (a missing tangent is then zeros). A tuple-valued
    operation returns its tangent as one expression (``type(ans)(dw, dv)``).

    Without a function, ``tangent(key, linear=("g",))`` declares the operation linear in
    those operands (the tangent is the operation applied to their tangents, the other
    operands kept), and ``multilinear=("g", "b")`` multilinear in them (a sum with one of
    them replaced by its tangent at a time).

    ``names`` maps operands to their tangent parameters where ``d<operand>`` would clash
    with an operand's own name (``np.trapezoid(y, x, dx)``: ``{"x": "tx", ...}``).
    """
    if linear or multilinear:
        for key in keys:
            _register_tangent((key,), TangentRule(key, tuple(linear), tuple(multilinear)))
        return None

    def register(fn: Callable) -> Callable:
        _register_tangent(keys, TangentRule(fn, names=names))
        return fn

    return register


def nondiff(*keys: Any, family: str = "", pure: bool = True) -> None:
    """Declare functions whose outputs do not depend differentiably on their inputs
    (``pure=False`` as for ``reverse``: calls with effects, such as random draws)."""
    for key in keys:
        NONDIFF[key] = family
    if not pure:
        IMPURE.update(keys)


def refuse(*keys: Any, what: str, hint: str = "") -> None:
    """Declare calls s2sad cannot differentiate around (``np.random.shuffle`` changes its
    argument in place): compiling one is an error that names ``what`` and gives ``hint``."""
    for key in keys:
        REFUSED[key] = (what, hint)


def lookup(key: Any) -> Rule | None:
    try:
        return REVERSE.get(key)
    except TypeError:  # unhashable callee
        return None


def lookup_tangent(key: Any) -> TangentRule | None:
    try:
        return TANGENT.get(key)
    except TypeError:
        return None


def is_nondiff(key: Any) -> bool:
    try:
        return key in NONDIFF
    except TypeError:
        return False


def is_pure(key: Any) -> bool:
    """Whether a call of ``key`` has no effect but its value, so that the compiler may drop it
    when nothing reads the value, or evaluate it again: registered keys not declared
    ``pure=False``. Anything unregistered may have effects."""
    try:
        return (key in REVERSE or key in NONDIFF) and key not in IMPURE
    except TypeError:
        return False


def refusal(key: Any) -> tuple | None:
    """``(what, hint)`` if s2sad refuses calls of ``key`` (see ``refuse``), else None."""
    try:
        return REFUSED.get(key)
    except TypeError:
        return None

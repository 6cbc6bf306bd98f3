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
    def differentiable(self) -> list:
        """The names of the operands the rule returns a contribution for."""
        params = list(self.signature.parameters)[2:]
        return [p for p, e in zip(params, self.returns) if e is not None]

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
            multilinear: bool = False, pure: bool = True) -> Callable:
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
    """

    def register(fn: Callable) -> Callable:
        rule = Rule(fn, elementwise, linear, multilinear)
        for key in keys:
            REVERSE[key] = rule
        if not pure:
            IMPURE.update(keys)
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

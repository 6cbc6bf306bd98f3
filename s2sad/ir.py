"""The primal form that ``normalize`` produces and ``reverse`` consumes.

A ``Primal`` is a function body of single-assignment statements, each applying one
primitive operation to *atoms*: local names or constant expressions (expressions that
mention no local variable, such as ``np.log(2 * np.pi) / 2``, stay whole).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

import astor
import gast

from .errors import Location
from .naming import Namer
from .parse import ParsedFunction

# Keys of operations that need no rule: a copy ``a = b`` and a constant ``a = 2.0``.
COPY = "copy"
CONSTANT = "constant"


@dataclass
class Op:
    """``target = value``: one primitive operation on atoms.

    ``key`` is what the rule registry is keyed on (``operator.add``, ``np.exp``,
    ``"ndarray.sum"``, ``COPY``, ``CONSTANT``); ``args``/``kwargs`` are the operands in the
    order the rule receives them (a method's receiver comes first).
    """

    target: str
    value: gast.expr
    key: Any
    args: list
    kwargs: dict
    loc: Location


@dataclass
class Effect:
    """A statement kept only for its side effect (``print(x)``); never differentiated."""

    stmt: gast.stmt


@dataclass
class Return:
    name: str
    loc: Location


Stmt = Union[Op, Effect, Return]


@dataclass
class Primal:
    """A normalized function: parameters, single-assignment body, and its namer."""

    parsed: ParsedFunction
    body: list
    namer: Namer
    result: str
    defaults: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.parsed.name

    @property
    def params(self) -> list:
        return self.parsed.params

    def ops(self) -> list:
        return [s for s in self.body if isinstance(s, Op)]


def names_in(node: gast.AST) -> set:
    """Every name an expression reads."""
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name)}


@dataclass
class Line:
    """One generated statement and the comment printed beside it."""

    stmt: gast.stmt
    comment: str = ""
    pure: bool = False


@dataclass
class Derivative:
    """A generated function, before it is printed: signature, sections and result.

    ``defaults`` pairs the source text and value of each trailing default. ``imports`` are
    the objects the code names (``np``, ``unbroadcast``) that the user's namespace does not
    provide under those names; ``compile`` binds them. In ``vjp`` mode the adjoint section
    forms a nested function ``pullback(*pullback_params)`` returning ``pullback_result``.
    """

    name: str
    params: list
    defaults: list
    primal: list
    adjoint: list
    result: gast.expr
    imports: dict
    pullback: str = ""
    pullback_params: list = field(default_factory=list)
    pullback_result: gast.expr | None = None


def render(node: gast.AST) -> str:
    """Python source of a gast node (an expression without redundant outer parentheses)."""
    if isinstance(node, gast.expr):
        node = gast.Expr(node)
    return astor.to_source(gast.gast_to_ast(node)).strip()

"""The primal form that ``normalize`` produces and ``reverse`` consumes.

A ``Primal`` is a function body of single-assignment statements, each applying one
primitive operation to *atoms*: local names or constant expressions (expressions that
mention no local variable, such as ``np.log(2 * np.pi) / 2``, stay whole).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Union

import astor
import gast

from .errors import Location
from .naming import Namer
from .nodes import (  # noqa: F401 - clone re-exported
    assign_node,
    binop_node,
    call_node,
    clone,
    load_name,
    names_in,
    rename,
    store_name,
)
from .parse import ParsedFunction
from .unparse import fast_source

_CHECK_RENDER = bool(os.environ.get("S2SAD_CHECK_RENDER"))

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
    """A statement kept only for its side effect (``print(x)``); never differentiated.
    ``links`` binds names the compiler put into the statement to their objects."""

    stmt: gast.stmt
    links: dict = field(default_factory=dict)


@dataclass
class Return:
    name: str
    loc: Location


@dataclass
class If:
    """``if test: body else: orelse``; ``test`` reads atoms only. ``jumps`` marks an ``if``
    whose branches end the loop iteration (``break``/``continue``) on some path."""

    test: gast.expr
    body: list
    orelse: list
    loc: Location
    jumps: bool = False


@dataclass
class Loop:
    """``for target in iter`` (``iter`` over atoms, e.g. ``range(n)``) or ``while test``.

    ``carried`` maps each variable the loop carries from one iteration to the next to its
    name at the start of an iteration; every path through the body ends with a ``Carry``.
    """

    target: str | None
    iter: gast.expr | None
    test: gast.expr | None
    body: list
    loc: Location
    carried: dict = field(default_factory=dict)


@dataclass
class Carry:
    """End of a path through a loop body: ``carried = final`` for each (carried, final)."""

    pairs: list


@dataclass
class Jump:
    """``break`` or ``continue``, always the last statement of a path."""

    kind: str


Stmt = Union[Op, Effect, Return, If, Loop, Carry, Jump]


def op_statements(op: Op) -> list:
    """The primal statements an operation is printed as: ``target = value``, except an
    element assignment, which copies the array first (``x_1 = x.copy()``, ``x_1[i] = v``)."""
    target = store_name(op.target)
    if op.key != "setitem":
        return [assign_node(target, op.value)]
    array, index, item = op.args
    copied = gast.Call(gast.Attribute(array, "copy", gast.Load()), [], [])
    element = gast.Subscript(load_name(op.target), index, gast.Store())
    return [gast.Assign([target], copied, None), gast.Assign([element], item, None)]


def walk(block: list):
    """Every statement of ``block`` and of the blocks nested in it, in program order."""
    for stmt in block:
        yield stmt
        if isinstance(stmt, If):
            yield from walk(stmt.body)
            yield from walk(stmt.orelse)
        elif isinstance(stmt, Loop):
            yield from walk(stmt.body)


@dataclass
class Primal:
    """A normalized function: parameters, single-assignment body, and its namer."""

    parsed: ParsedFunction
    body: list
    namer: Namer
    result: str
    defaults: list = field(default_factory=list)
    # ((parameter, static shape), ...) in the calls this transform serves (``shapes``)
    param_shapes: tuple = ()

    @property
    def name(self) -> str:
        return self.parsed.name

    @property
    def params(self) -> list:
        return self.parsed.params

    def ops(self) -> list:
        """Every operation, nested ones included, in program order."""
        return [s for s in walk(self.body) if isinstance(s, Op)]


@dataclass
class Line:
    """One generated statement and the comment printed beside it."""

    stmt: gast.stmt
    comment: str = ""
    pure: bool = False
    derived: bool = False  # a derivative line the compiler wrote (simplified freely)
    note: bool = False  # no statement (``pass``): printed as the comment alone


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
    subroutines: list = field(default_factory=list)
    primal_label: str = "primal"
    # names surely holding floats: active values (they depend differentiably on the float
    # arguments being differentiated) and adjoints; the optimizer keeps others' dtypes
    floats: set = field(default_factory=set)
    # in versions specialized to shapes (``Builder.static_facts``): NumPy's and the
    # ``loop_sums`` helpers' names in the code, and the names surely arrays or scalars
    links: dict = field(default_factory=dict)
    arrays: set = field(default_factory=set)
    scalars: set = field(default_factory=set)


@dataclass
class Block:
    """A compound statement of generated code: the header of ``node`` (a gast ``If``,
    ``For`` or ``While`` whose own body is ignored), then ``body`` and ``orelse`` (lists of
    ``Line`` and ``Block``)."""

    node: gast.stmt
    body: list
    orelse: list = field(default_factory=list)
    comment: str = ""

    def header(self) -> str:
        node = self.node
        if isinstance(node, gast.If):
            return f"if {render(node.test)}:"
        if isinstance(node, gast.While):
            return f"while {render(node.test)}:"
        return f"for {render(node.target)} in {render(node.iter)}:"

    def header_reads(self) -> set:
        node = self.node
        return names_in(node.iter if isinstance(node, gast.For) else node.test)


def code_reads(code: list) -> set:
    """Every name a list of generated statements reads (nested blocks included)."""
    names = set()
    for item in code:
        names |= line_reads(item)
    return names


def line_reads(item) -> set:
    """Every name one generated statement (a ``Line``, or a ``Block`` with its body) reads."""
    if item.__class__ is Block:
        return item.header_reads() | code_reads(item.body) | code_reads(item.orelse)
    stmt = item.stmt
    if stmt.__class__ is not gast.Assign:
        return names_in(stmt)
    names = names_in(stmt.value)
    for target in stmt.targets:
        if target.__class__ is not gast.Name:  # subscript targets read their array
            names |= {n.id for n in gast.walk(target) if isinstance(n, gast.Name)
                      and isinstance(n.ctx, gast.Load)}
    return names


def rename_code(code: list, mapping: dict) -> None:
    """Rename names throughout generated statements, in place."""
    if not mapping:
        return
    for item in code:
        rename(item.node if isinstance(item, Block) else item.stmt, mapping)
        if isinstance(item, Block):
            rename_code(item.body, mapping)
            rename_code(item.orelse, mapping)



def render(node: gast.AST) -> str:
    """Python source of a gast node (an expression without redundant outer parentheses)."""
    fast = fast_source(node)
    if fast is None or _CHECK_RENDER:
        slow = _astor_source(node)
        if fast is not None and fast != slow:
            raise AssertionError(f"fast_source gave {fast!r}, astor {slow!r}")
        return slow
    return fast


def _astor_source(node: gast.AST) -> str:
    if isinstance(node, gast.expr):
        node = gast.Expr(node)
    # one line per statement, however long: astor's wrapping breaks lines at odd places
    return astor.to_source(gast.gast_to_ast(node), pretty_source="".join).strip()


# -- small constructors of generated code ---------------------------------------------------
def load(name: str) -> gast.Name:
    """The expression reading ``name``."""
    return load_name(name)


def call(func, *args) -> gast.Call:
    return call_node(func, list(args), [])


def assign(target: str, value) -> Line:
    """The line ``target = value``."""
    return Line(assign_node(store_name(target), value))


def add_to(current, value):
    """``current + value``, or ``current - v`` for ``value = -v``."""
    if isinstance(value, gast.UnaryOp) and isinstance(value.op, gast.USub):
        return binop_node(current, gast.Sub(), value.operand)
    return binop_node(current, gast.Add(), value)

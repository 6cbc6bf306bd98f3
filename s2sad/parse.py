"""Stage 1: a Python function -> its gast ``FunctionDef`` plus everything needed to read it.

Contract: ``parse_function(f)`` returns a ``ParsedFunction`` holding the decorator-free,
dedented gast tree, where it came from (file, line and column offsets, the file's lines for
error excerpts), and the namespace its free names resolve in (closure, then globals, then
builtins). It raises ``SourceUnavailableError`` when there is no source to read.
"""

from __future__ import annotations

import ast
import builtins
import copy
import inspect
import linecache
from dataclasses import dataclass, field
from typing import Any, Callable

import gast
from gast.ast3 import Ast3ToGAst

from .errors import Location, SourceUnavailableError, UnsupportedSyntaxError
from .nodes import LOAD, STORE, clone, nodes

UNRESOLVED = object()


@dataclass
class ParsedFunction:
    """A user function read back from its source."""

    func: Callable
    node: gast.FunctionDef
    filename: str
    line_offset: int
    col_offset: int
    closure: dict = field(default_factory=dict)
    local_names: frozenset = frozenset()
    # (namespace, name, function): functions found through a module's names, which a
    # redefinition rebinds (``api`` checks that the derivative's still stand)
    functions_used: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def globals(self) -> dict:
        return self.func.__globals__

    @property
    def params(self) -> list:
        return [a.id for a in self.node.args.args]

    def location(self, node: gast.AST) -> Location:
        """The user's file:line:col of a node of this function's tree."""
        line = getattr(node, "lineno", 1) + self.line_offset
        col = getattr(node, "col_offset", 0) + self.col_offset
        end_col = None
        if getattr(node, "end_lineno", None) == getattr(node, "lineno", None):
            end_col = getattr(node, "end_col_offset", None)
            end_col = None if end_col is None else end_col + self.col_offset
        text = linecache.getline(self.filename, line).rstrip("\n")
        return Location(self.filename, line, col, text, end_col)

    def lookup(self, name: str) -> Any:
        """The object a free name of the function refers to, or ``UNRESOLVED``."""
        if name in self.local_names:
            return UNRESOLVED
        if name in self.closure:
            return self.closure[name]
        for scope in (self.func.__globals__, vars(builtins)):
            if name in scope:
                return self._noted(scope, name, scope[name])
        return UNRESOLVED

    def resolve(self, expr: gast.expr) -> Any:
        """Evaluate a dotted name (``np.linalg.inv``) that refers to no local variable."""
        if isinstance(expr, gast.Name):
            return self.lookup(expr.id)
        if isinstance(expr, gast.Attribute):
            base = self.resolve(expr.value)
            if base is UNRESOLVED:
                return UNRESOLVED
            value = getattr(base, expr.attr, UNRESOLVED)
            return self._noted(vars(base), expr.attr, value) if inspect.ismodule(base) \
                else value
        return UNRESOLVED

    def _noted(self, namespace: dict, name: str, value: Any) -> Any:
        if inspect.isfunction(value):
            self.functions_used.append((namespace, name, value))
        return value


# attribute of a nested function s2sad compiled from a rewritten def: its gast node, with the
# line and column offsets of the enclosing function's source
NESTED_SOURCE = "__s2sad_nested_source__"

_SOURCES: dict = {}  # code object -> (source lines, first line): tokenizing is slow


def _source_lines(func: Callable) -> tuple[list[str], int]:
    name = getattr(func, "__qualname__", repr(func))
    hint = "define the function with `def` in a .py file (or a notebook cell) and pass that"
    if not inspect.isfunction(func):
        raise SourceUnavailableError(
            f"cannot differentiate {name!r}: it is not a Python function "
            f"(a builtin, a C extension or a callable object has no source to transform)",
            hint=hint,
        )
    if func.__name__ == "<lambda>":
        raise SourceUnavailableError(
            f"cannot differentiate the lambda {name!r}: a lambda's source cannot be isolated",
            hint="write it as a named function with `def`",
        )
    code = func.__code__
    if code in _SOURCES:  # a redefined function has a new code object: read anew
        return _SOURCES[code]
    try:
        if len(_SOURCES) > 256:
            _SOURCES.clear()
        found = _SOURCES[code] = inspect.getsourcelines(func)
        return found
    except (OSError, TypeError) as exc:
        raise SourceUnavailableError(
            f"cannot read the source of {name!r} ({exc}); functions typed at an interactive "
            f"prompt or built with exec have none",
            hint=hint,
        ) from None


# code object -> (gast tree, file name, line offset, indent), never handed out itself (copies
# are): a function transformed for several argument kinds is parsed twice at most (None
# after the first parse: most functions are transformed once, and need no copy; a
# redefinition has a new code object)
_TREES: dict = {}


def _read_tree(func: Callable) -> tuple:
    lines, first_line = _source_lines(func)
    indent = len(lines[0]) - len(lines[0].lstrip())
    dedented = "".join(line[indent:] if line[:indent].isspace() else line for line in lines)
    filename = inspect.getsourcefile(func) or func.__code__.co_filename
    return to_gast(ast.parse(dedented)).body[0], filename, max(first_line, 1) - 1, indent


class _ToGast(Ast3ToGAst):
    """gast's own conversion from ``ast`` (``gast.parse`` is ``ast_to_gast(ast.parse(...))``),
    node for node the same, with its generic case (most nodes) done several times faster:
    what each node class becomes is worked out once."""

    _plans: dict = {}  # ast class -> (gast's own visit method or None, gast class, fields)

    def visit(self, node):
        plan = self._plans.get(node.__class__) or self._plan(node.__class__)
        special, target, fields = plan
        if special is not None:
            return special(self, node)
        if target is None:
            return None
        new = _new_node(target)
        attrs, visit = new.__dict__, self.visit
        for name in fields:  # fields, then location attributes, as gast sets them
            value = getattr(node, name, _MISSING)
            if value.__class__ is list:
                attrs[name] = [self._visit(n) for n in value]
            elif isinstance(value, _AST):
                attrs[name] = visit(value)
            elif value is not _MISSING:
                attrs[name] = value
        for name in node._attributes:
            value = getattr(node, name, _MISSING)
            if value is not _MISSING:
                attrs[name] = value
        return new

    def _name(self, node):  # gast's visit_Name, without its generic steps
        new = _new_node(gast.Name)
        attrs = new.__dict__
        attrs["id"], attrs["ctx"] = node.id, _CONTEXTS.get(node.ctx.__class__) or self.visit(
            node.ctx)
        attrs["annotation"] = attrs["type_comment"] = None
        attrs["lineno"], attrs["col_offset"] = node.lineno, node.col_offset
        attrs["end_lineno"], attrs["end_col_offset"] = node.end_lineno, node.end_col_offset
        return new

    def _plan(self, cls) -> tuple:
        special = _ToGast._name if cls is ast.Name else getattr(
            Ast3ToGAst, "visit_" + cls.__name__, None)
        if special is getattr(ast.NodeVisitor, "visit_" + cls.__name__, None):
            special = None  # ast's own fallbacks end in the generic case
        plan = self._plans[cls] = (special, getattr(gast, cls.__name__, None), cls._fields)
        return plan

    def _visit(self, node):
        if isinstance(node, ast.AST):
            return self.visit(node)
        if node.__class__ is list:
            return [self._visit(n) for n in node]
        return node


_MISSING = object()
_AST = ast.AST
_new_node = gast.AST.__new__
_CONTEXTS = {ast.Load: LOAD, ast.Store: STORE}  # shared, as ``nodes.load_name`` shares them


def to_gast(tree: ast.AST) -> gast.AST:
    """``gast.ast_to_gast(tree)``, faster."""
    return _ToGast().visit(tree)


def parse_function(func: Callable) -> ParsedFunction:
    """Read ``func``'s source and parse it into a decorator-free gast ``FunctionDef``."""
    attached = getattr(func, NESTED_SOURCE, None)
    if attached is not None:  # a nested def s2sad rewrote: (node, line offset, column offset)
        node, line_offset, indent = copy.deepcopy(attached[0]), attached[1], attached[2]
        filename = func.__code__.co_filename
    else:
        code = func.__code__
        found = _TREES.get(code)
        if found is None:  # parsed for the first or second time: keep the tree the second
            found = _read_tree(func)
            node = found[0]
            if code in _TREES:
                _TREES[code], node = found, clone(node)
            else:
                if len(_TREES) > 256:
                    _TREES.clear()
                _TREES[code] = None
        else:
            node = clone(found[0])  # each transform rewrites its own copy
        _, filename, line_offset, indent = found
    if not isinstance(node, gast.FunctionDef):
        raise SourceUnavailableError(f"the source of {func.__qualname__!r} is not a `def`")
    node.decorator_list = []
    parsed = ParsedFunction(
        func=func,
        node=node,
        filename=filename,
        line_offset=line_offset,
        col_offset=indent,
        closure=inspect.getclosurevars(func).nonlocals,
        local_names=frozenset(local_names_of(node)),
    )
    _check_signature(parsed)
    return parsed


def local_names_of(node: gast.FunctionDef, names=None) -> set:
    """The function's parameters and every name it assigns (``names``: its ``Name`` nodes,
    if already at hand)."""
    params = {a.id for a in node.args.args + node.args.kwonlyargs}
    if names is None:
        names = [n for n in nodes(node) if type(n) is gast.Name]
    return params | {n.id for n in names if isinstance(n.ctx, (gast.Store, gast.Del))}


def _check_signature(parsed: ParsedFunction) -> None:
    args = parsed.node.args
    for star, what in ((args.vararg, "*args"), (args.kwarg, "**kwargs")):
        if star is not None:
            raise UnsupportedSyntaxError(
                f"{what} parameters are not supported in differentiated functions",
                parsed.location(star),
                hint="list the parameters explicitly",
            )
    if args.posonlyargs or args.kwonlyargs:
        node = (args.posonlyargs or args.kwonlyargs)[0]
        raise UnsupportedSyntaxError(
            "positional-only and keyword-only parameters are not supported yet",
            parsed.location(node),
            hint="make them ordinary parameters",
        )

"""Stage 2: a parsed function -> single-assignment primal statements (``ir.Primal``).

Each statement applies one primitive operation to atoms; nested expressions are split into
temporaries ``t0, t1, ...`` in Python's evaluation order. A user's statement that already is
one operation on atoms comes back unchanged; a reassigned variable gets a suffix
(``a``, ``a_1``). Subexpressions that mention no local variable are constants and stay whole.
"""

from __future__ import annotations

import operator

import gast

from .errors import NoRuleError, UnsupportedSyntaxError
from .ir import CONSTANT, COPY, Effect, Op, Primal, Return, names_in
from .naming import Namer
from .parse import UNRESOLVED, ParsedFunction

BINARY = {
    gast.Add: operator.add,
    gast.Sub: operator.sub,
    gast.Mult: operator.mul,
    gast.Div: operator.truediv,
    gast.FloorDiv: operator.floordiv,
    gast.Mod: operator.mod,
    gast.Pow: operator.pow,
    gast.MatMult: operator.matmul,
}
UNARY = {
    gast.USub: operator.neg,
    gast.UAdd: operator.pos,
    gast.Not: operator.not_,
    gast.Invert: operator.invert,
}
COMPARE = {
    gast.Lt: operator.lt,
    gast.LtE: operator.le,
    gast.Gt: operator.gt,
    gast.GtE: operator.ge,
    gast.Eq: operator.eq,
    gast.NotEq: operator.ne,
}

_LATER = "s2sad does not differentiate this construct yet"
UNSUPPORTED_STATEMENTS = {
    gast.If: ("`if` statements", _LATER),
    gast.For: ("`for` loops", _LATER),
    gast.While: ("`while` loops", _LATER),
    gast.Try: ("`try` blocks", "move the error handling outside the differentiated function"),
    gast.With: ("`with` blocks", "move the `with` outside the differentiated function"),
    gast.Global: ("`global` declarations", "pass the value in as a parameter"),
    gast.Nonlocal: ("`nonlocal` declarations", "pass the value in as a parameter"),
    gast.FunctionDef: ("nested function definitions", "define the helper at module level"),
    gast.AsyncFunctionDef: ("`async def`", "differentiate a plain function"),
    gast.ClassDef: ("class definitions", "define the class outside the function"),
    gast.Delete: ("`del`", "remove the `del` statement"),
    gast.Raise: ("`raise`", "check inputs before calling the differentiated function"),
    gast.Assert: ("`assert`", "check inputs before calling the differentiated function"),
}


class _Normalizer:
    def __init__(self, parsed: ParsedFunction):
        self.parsed = parsed
        taken = set(parsed.local_names) | names_in(parsed.node)
        self.namer = Namer(taken)
        self.env = {p: p for p in parsed.params}  # user name -> current SSA name
        self.defined = set(parsed.params)
        self.body: list = []
        self.result = None

    # -- statements -----------------------------------------------------------------
    def function(self) -> Primal:
        stmts = self.parsed.node.body
        for i, stmt in enumerate(stmts):
            if self.result is not None:
                raise UnsupportedSyntaxError(
                    "code after `return` is never run", self.parsed.location(stmt),
                    hint="remove the unreachable statements",
                )
            self.statement(stmt, is_docstring=i == 0)
        if self.result is None:
            raise UnsupportedSyntaxError(
                f"function {self.parsed.name!r} returns nothing",
                self.parsed.location(self.parsed.node),
                hint="end it with `return <value>`",
            )
        return Primal(self.parsed, self.body, self.namer, self.result)

    def statement(self, stmt: gast.stmt, is_docstring: bool = False) -> None:
        if isinstance(stmt, gast.Assign):
            if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], gast.Name):
                raise self.unsupported(stmt.targets[0] if len(stmt.targets) == 1 else stmt,
                                       "assignment to anything but a single plain name")
            self.assign(stmt.targets[0].id, stmt.value)
        elif isinstance(stmt, gast.AnnAssign) and stmt.value is not None:
            if not isinstance(stmt.target, gast.Name):
                raise self.unsupported(stmt.target, "annotated assignment to a non-name")
            self.assign(stmt.target.id, stmt.value)
        elif isinstance(stmt, gast.AugAssign):
            if not isinstance(stmt.target, gast.Name):
                raise self.unsupported(stmt.target, "augmented assignment to a non-name")
            load = gast.Name(stmt.target.id, gast.Load(), None, None)
            gast.copy_location(load, stmt.target)
            value = gast.copy_location(gast.BinOp(load, stmt.op, stmt.value), stmt)
            self.assign(stmt.target.id, value)
        elif isinstance(stmt, gast.Return):
            value = stmt.value
            if value is None:
                raise self.unsupported(stmt, "`return` without a value")
            atom = self.atom(value)
            if not isinstance(atom, gast.Name):
                atom = self.bind(self.namer.temp(), atom, value, CONSTANT, [], {})
            self.result = atom.id
            self.body.append(Return(atom.id, self.parsed.location(stmt)))
        elif isinstance(stmt, gast.Expr):
            if is_docstring and isinstance(stmt.value, gast.Constant):
                return
            if isinstance(stmt.value, (gast.Yield, gast.YieldFrom, gast.Await)):
                raise self.unsupported(stmt.value, _EXPRESSION_NAMES[type(stmt.value)],
                                       "return the values instead (generators and coroutines "
                                       "cannot be differentiated)")
            if isinstance(stmt.value, gast.Call):
                self.body.append(Effect(self.rename(stmt)))
            # any other bare expression has no effect: drop it
        elif isinstance(stmt, gast.Pass):
            return
        else:
            what, hint = UNSUPPORTED_STATEMENTS.get(type(stmt), (type(stmt).__name__, ""))
            raise self.unsupported(stmt, what, hint)

    def assign(self, name: str, value: gast.expr) -> None:
        key, args, kwargs, prim = self.primitive(value)
        self.bind(self.new_version(name), prim, value, key, args, kwargs)

    def new_version(self, name: str) -> str:
        ssa = name if name not in self.defined else self.namer.fresh(name)
        self.defined.add(name)
        self.env[name] = ssa
        return ssa

    def bind(self, target, prim, original, key, args, kwargs) -> gast.Name:
        loc = self.parsed.location(original)
        self.body.append(Op(target, prim, key, args, kwargs, loc))
        return gast.Name(target, gast.Load(), None, None)

    # -- expressions ----------------------------------------------------------------
    def atom(self, expr: gast.expr) -> gast.expr:
        """A local name or constant expression with the same value as ``expr``."""
        if self.is_constant(expr):
            return expr
        if isinstance(expr, gast.Name):
            return self.load(expr)
        key, args, kwargs, prim = self.primitive(expr)
        return self.bind(self.namer.temp(), prim, expr, key, args, kwargs)

    def primitive(self, expr: gast.expr):
        """(key, args, kwargs, rebuilt expression) for one operation on atoms."""
        if self.is_constant(expr):
            return CONSTANT, [], {}, expr
        if isinstance(expr, gast.Name):
            name = self.load(expr)
            return COPY, [name], {}, name
        if isinstance(expr, gast.BinOp):
            left, right = self.atom(expr.left), self.atom(expr.right)
            return BINARY[type(expr.op)], [left, right], {}, gast.BinOp(left, expr.op, right)
        if isinstance(expr, gast.UnaryOp):
            operand = self.atom(expr.operand)
            return UNARY[type(expr.op)], [operand], {}, gast.UnaryOp(expr.op, operand)
        if isinstance(expr, gast.Compare):
            left = self.atom(expr.left)
            rest = [self.atom(c) for c in expr.comparators]
            key = COMPARE.get(type(expr.ops[0]), "compare") if len(rest) == 1 else "compare"
            return key, [left, *rest], {}, gast.Compare(left, expr.ops, rest)
        if isinstance(expr, gast.Call):
            return self.call(expr)
        if isinstance(expr, gast.Attribute):
            receiver = self.atom(expr.value)
            prim = gast.Attribute(receiver, expr.attr, gast.Load())
            return f"ndarray.{expr.attr}", [receiver], {}, prim
        if isinstance(expr, gast.Subscript):
            value, index = self.atom(expr.value), self.index(expr.slice)
            return "getitem", [value, index], {}, gast.Subscript(value, index, gast.Load())
        if isinstance(expr, (gast.Tuple, gast.List)):
            elts = [self.atom(e) for e in expr.elts]
            return type(expr).__name__.lower(), elts, {}, type(expr)(elts, gast.Load())
        raise self.unsupported(expr, _EXPRESSION_NAMES.get(type(expr), type(expr).__name__))

    def index(self, node: gast.expr) -> gast.expr:
        """A subscript's index with every part an atom (slices keep their shape)."""
        if isinstance(node, gast.Slice):
            bounds = (node.lower, node.upper, node.step)
            parts = [None if p is None else self.atom(p) for p in bounds]
            return gast.Slice(*parts)
        if isinstance(node, gast.Tuple):
            return gast.Tuple([self.index(e) for e in node.elts], gast.Load())
        return self.atom(node)

    def call(self, expr: gast.Call):
        for arg in expr.args:
            if isinstance(arg, gast.Starred):
                raise self.unsupported(arg, "`*args` in a call", "pass the arguments one by one")
        if any(kw.arg is None for kw in expr.keywords):
            raise self.unsupported(expr, "`**kwargs` in a call", "pass keywords one by one")
        func = expr.func
        receiver = []
        if self.is_constant(func):
            key = self.parsed.resolve(func)
            if key is UNRESOLVED:
                raise NoRuleError(
                    f"cannot resolve {_dotted(func)!r} to a function",
                    self.parsed.location(func),
                    hint="import it at module level so s2sad can find its derivative rule",
                )
        elif isinstance(func, gast.Attribute):
            receiver = [self.atom(func.value)]
            key = f"ndarray.{func.attr}"
            func = gast.Attribute(receiver[0], func.attr, gast.Load())
        else:
            raise self.unsupported(func, "calling a function held in a local variable",
                                   "call it by its module-level name")
        args = [self.atom(a) for a in expr.args]
        kwargs = {kw.arg: self.atom(kw.value) for kw in expr.keywords}
        prim = gast.Call(func, args, [gast.keyword(k, v) for k, v in kwargs.items()])
        return key, receiver + args, kwargs, prim

    def load(self, name: gast.Name) -> gast.Name:
        if name.id not in self.env:
            raise UnsupportedSyntaxError(
                f"variable {name.id!r} is read before it is assigned", self.parsed.location(name)
            )
        return gast.Name(self.env[name.id], gast.Load(), None, None)

    def is_constant(self, expr: gast.expr) -> bool:
        """True when ``expr`` mentions no local variable (so it is not differentiated)."""
        return not (names_in(expr) & self.parsed.local_names) and not any(
            isinstance(n, (gast.Lambda, gast.Yield, gast.YieldFrom, gast.Await, gast.NamedExpr))
            for n in gast.walk(expr)
        )

    def rename(self, node: gast.AST) -> gast.AST:
        """``node`` with every local name replaced by its current SSA name."""
        for sub in gast.walk(node):
            if isinstance(sub, gast.Name) and sub.id in self.env:
                sub.id = self.env[sub.id]
        return node

    def unsupported(self, node, what: str, hint: str = "") -> UnsupportedSyntaxError:
        return UnsupportedSyntaxError(
            f"unsupported syntax: {what}", self.parsed.location(node), hint=hint
        )


_EXPRESSION_NAMES = {
    gast.IfExp: "conditional expressions `a if c else b`",
    gast.BoolOp: "`and` / `or`",
    gast.Lambda: "`lambda`",
    gast.ListComp: "list comprehensions",
    gast.SetComp: "set comprehensions",
    gast.DictComp: "dict comprehensions",
    gast.GeneratorExp: "generator expressions",
    gast.Dict: "dict displays",
    gast.Set: "set displays",
    gast.Yield: "`yield`",
    gast.YieldFrom: "`yield from`",
    gast.Await: "`await`",
    gast.NamedExpr: "assignment expressions `:=`",
    gast.Starred: "starred expressions",
    gast.JoinedStr: "f-strings of local values",
}


def _dotted(expr: gast.expr) -> str:
    if isinstance(expr, gast.Attribute):
        return f"{_dotted(expr.value)}.{expr.attr}"
    return getattr(expr, "id", "?")


def normalize(parsed: ParsedFunction) -> Primal:
    """Lower ``parsed`` to single-assignment primal statements."""
    return _Normalizer(parsed).function()

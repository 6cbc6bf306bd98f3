"""Stage 2a: expressions -> operations on atoms (the expression half of ``normalize``).

``Flattener.atom(expr)`` returns a local name or a constant expression with the value of
``expr``, first emitting one ``Op`` per operation it contains, in Python's evaluation
order, into the current block. Names are read through the current SSA environment.
"""

from __future__ import annotations

import copy
import operator

import gast
import numpy as np

from .errors import NoRuleError, UnsupportedSyntaxError
from .ir import CONSTANT, COPY, Op, names_in
from .nodes import binop_node, load_name, mentions, nodes, store_name
from .parse import UNRESOLVED
from .rules import is_nondiff, is_pure, refusal

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


class Flattener:
    """Expression lowering; ``normalize._Normalizer`` adds statements and control flow.

    Expects ``parsed``, ``env`` (user name -> SSA name), ``body`` (the block being built),
    ``namer``, ``local_names``, ``read_later`` (a set), ``nested`` (functions defined in
    the body, by name), ``captured`` (the enclosing variables each reads) and
    ``conditional(name, ifexp)`` on the instance."""

    def bind(self, target, prim, original, key, args, kwargs) -> gast.Name:
        loc = self.parsed.location(original)
        self.body.append(Op(target, prim, key, args, kwargs, loc))
        self.note_view(target, key, args)  # (``in_place``: what a write may change too)
        # versions an adjoint rule may read later: operands, outputs of real operations
        self.read_later |= names_in(prim)
        if key not in (CONSTANT, COPY) and not is_nondiff(key):
            self.read_later.add(target)
        return ssa_name(target)

    # -- expressions ----------------------------------------------------------------
    def atom(self, expr: gast.expr) -> gast.expr:
        """A local name or constant expression with the same value as ``expr``."""
        if self.is_constant(expr):
            if self.repeatable(expr):
                return expr
            # a call that may draw or have another effect: evaluated once, here, and named,
            # so that no adjoint evaluates it again
            return self.bind(self.namer.temp(), expr, expr, CONSTANT, [], {})
        if isinstance(expr, gast.Name):
            return self.load(expr)
        if isinstance(expr, gast.BoolOp):
            return self.atom(self.boolean(expr))
        if isinstance(expr, (gast.ListComp, gast.GeneratorExp)):
            return self.comprehension(expr)
        if isinstance(expr, gast.IfExp):
            temp = self.namer.temp()
            self.local_names.add(temp)
            self.conditional(temp, expr)
            return ssa_name(self.env[temp])
        key, args, kwargs, prim = self.primitive(expr, variable=True)
        return self.bind(self.namer.temp(), prim, expr, key, args, kwargs)

    def comprehension(self, expr) -> gast.Name:
        """``[e for v in xs if c]`` (or a generator expression, taken as a list) as a loop
        that appends to a new list; ``v`` gets a fresh name, as the comprehension's own."""
        expr = copy.deepcopy(expr)
        first_iter = expr.generators[0].iter
        targets = {n.id for g in expr.generators for n in gast.walk(g.target)
                   if isinstance(n, gast.Name)}
        fresh = {name: self.namer.fresh(name) for name in sorted(targets)}
        self.local_names |= set(fresh.values())
        for node in [expr.elt] + [part for g in expr.generators for part in
                                  [g.target, *g.ifs] + ([g.iter] if g.iter is not first_iter
                                                        else [])]:
            for sub in gast.walk(node):
                if isinstance(sub, gast.Name) and sub.id in fresh:
                    sub.id = fresh[sub.id]
        items = self.namer.temp()
        self.local_names.add(items)
        append = gast.Attribute(load_name(items), "append", gast.Load())
        body = gast.Expr(gast.Call(append, [expr.elt], []))
        for generator in reversed(expr.generators):
            if generator.is_async:
                raise self.unsupported(expr, "`async for` in a comprehension")
            for condition in reversed(generator.ifs):
                body = gast.If(condition, [body], [])
            body = gast.For(generator.target, generator.iter, [body], [], None)
        start = gast.Assign([store_name(items)],
                            gast.List([], gast.Load()), None)
        for statement in (start, body):
            for sub in gast.walk(statement):
                if hasattr(sub, "lineno") and getattr(sub, "lineno", None) is None:
                    gast.copy_location(sub, expr)
            self.statement(statement)
        return self.load(load_name(items))

    def boolean(self, expr: gast.BoolOp) -> gast.IfExp:
        """``a and b`` as ``b if a else a`` (``a or b``: ``a if a else b``), ``a`` evaluated
        once and first; the short circuit is kept, and the rest may be a ``BoolOp`` again."""
        first = self.atom(expr.values[0])
        rest = expr.values[1:]
        rest = rest[0] if len(rest) == 1 else gast.copy_location(gast.BoolOp(expr.op, rest), expr)
        if isinstance(expr.op, gast.And):
            return gast.copy_location(gast.IfExp(first, rest, first), expr)
        return gast.copy_location(gast.IfExp(first, first, rest), expr)

    def primitive(self, expr: gast.expr, variable: bool = False):
        """(key, args, kwargs, rebuilt expression) for one operation on atoms (``variable``:
        ``expr`` is known not to be constant)."""
        if not variable and self.is_constant(expr):
            return CONSTANT, [], {}, expr
        if isinstance(expr, gast.Name):
            name = self.load(expr)
            return COPY, [name], {}, name
        if isinstance(expr, gast.BinOp):
            left, right = self.atom(expr.left), self.atom(expr.right)
            return BINARY[type(expr.op)], [left, right], {}, binop_node(left, expr.op, right)
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
        if isinstance(expr, gast.Dict):
            if not all(isinstance(k, gast.Constant) for k in expr.keys):
                raise self.unsupported(expr, "dict displays with computed keys",
                                       "use constant keys such as {'W': W}")
            values = [self.atom(v) for v in expr.values]
            return "dict", values, {}, gast.Dict(expr.keys, values)
        if isinstance(expr, (gast.Tuple, gast.List)):
            elts = [self.atom(e) for e in expr.elts]
            return type(expr).__name__.lower(), elts, {}, type(expr)(elts, gast.Load())
        raise self.unsupported(expr, EXPRESSION_NAMES.get(type(expr), type(expr).__name__),
                               EXPRESSION_HINTS.get(type(expr), ""))

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
        key = self.callee(func)
        self.check_refused(expr, key)
        receiver = []
        if isinstance(key, str) and key.startswith("ndarray."):
            receiver = [self.atom(func.value)]
            func = gast.Attribute(receiver[0], func.attr, gast.Load())
        args = [self.atom(a) for a in expr.args]
        kwargs = {kw.arg: self.atom(kw.value) for kw in expr.keywords}
        if isinstance(func, gast.Name) and func.id in self.nested:
            for var in self.captured.get(func.id, ()):
                kwargs[var] = self.atom(gast.copy_location(gast.Name(var, gast.Load(), None,
                                                                     None), expr))
        prim = gast.Call(func, args, [gast.keyword(k, v) for k, v in kwargs.items()])
        return key, receiver + args, kwargs, prim

    def callee(self, func: gast.expr):
        """The rule key of a call's callee: the function, or ``"ndarray.<name>"`` for a
        method of a local value or of a module-level array or random generator."""
        if isinstance(func, gast.Name) and func.id in self.nested:
            return self.nested[func.id]
        if self.is_constant(func) and not _is_method_of_value(func):
            if isinstance(func, gast.Attribute) and isinstance(
                    self.parsed.resolve(func.value), _METHOD_OWNERS):
                return f"ndarray.{func.attr}"
            key = self.parsed.resolve(func)
            if key is UNRESOLVED:
                raise NoRuleError(
                    f"cannot resolve {_dotted(func)!r} to a function",
                    self.parsed.location(func),
                    hint="import it at module level so s2sad can find its derivative rule",
                )
            return key
        if isinstance(func, gast.Attribute):
            return f"ndarray.{func.attr}"
        if self.parsed.filename.startswith("<s2sad"):  # a derivative's own code
            raise self.unsupported(
                func, "a derivative of a derivative through a call of your own function "
                "(the pullback it returned)", "for second derivatives, write the function's "
                "body into its caller (first derivatives through it work)")
        raise self.unsupported(func, "calling a function held in a local variable",
                               "call it by its module-level name")

    def check_refused(self, call: gast.Call, key=None) -> None:
        """Raise the error ``rules.refuse`` declares for calls of this callee, if any, and
        refuse ``out=`` (a write into an existing array the compiler would not see)."""
        refused = refusal(self.callee(call.func) if key is None else key)
        if refused:
            what, hint = refused
            raise self.unsupported(call, what, hint)
        for kw in call.keywords:
            if kw.arg == "out" and not (isinstance(kw.value, gast.Constant)
                                        and kw.value.value is None):
                raise self.unsupported(kw.value, "writing a result into an existing array "
                                       "(`out=`)", "assign the result to a name instead")

    def repeatable(self, expr: gast.expr) -> bool:
        """Whether evaluating the constant ``expr`` again (in the adjoint) gives the same
        value and no other effect: it calls registered pure functions only."""
        for node in nodes(expr):
            if isinstance(node, gast.Call):
                key = self.parsed.resolve(node.func)
                if key is UNRESOLVED or not (is_pure(key) or isinstance(key, type)):
                    return False
        return True

    def load(self, name: gast.Name) -> gast.Name:
        if getattr(name, "ssa", False):
            return name
        if name.id not in self.env:
            raise UnsupportedSyntaxError(
                f"variable {name.id!r} is read before it is assigned", self.parsed.location(name)
            )
        return ssa_name(self.env[name.id])

    def is_constant(self, expr: gast.expr) -> bool:
        """True when ``expr`` mentions no local variable (so it is not differentiated)."""
        return not mentions(expr, self.local_names, _NOT_CONSTANT)

    def rename(self, node: gast.AST) -> gast.AST:
        """``node`` with every local name replaced by its current SSA name."""
        for sub in nodes(node):
            if isinstance(sub, gast.Name) and not getattr(sub, "ssa", False) \
                    and sub.id in self.env:
                sub.id = self.env[sub.id]
                sub.ssa = True
        return node

    def unsupported(self, node, what: str, hint: str = "") -> UnsupportedSyntaxError:
        return UnsupportedSyntaxError(
            f"unsupported syntax: {what}", self.parsed.location(node), hint=hint
        )


_NOT_CONSTANT = (gast.Lambda, gast.Yield, gast.YieldFrom, gast.Await, gast.NamedExpr)

# module-level values whose method calls use the array-method rules ("ndarray.dot")
_METHOD_OWNERS = (np.ndarray, np.random.Generator, np.random.RandomState)

EXPRESSION_HINTS = {
    gast.Lambda: "write a nested `def` instead (it may read the enclosing function's variables)",
    gast.SetComp: "build a list with a list comprehension or a loop",
    gast.DictComp: "build the dict with a loop, or a dict display with constant keys",
    gast.NamedExpr: "assign the value on a line of its own",
}
EXPRESSION_NAMES = {
    gast.IfExp: "conditional expressions `a if c else b`",
    gast.Lambda: "`lambda`",
    gast.SetComp: "set comprehensions",
    gast.DictComp: "dict comprehensions",
    gast.Set: "set displays",
    gast.Yield: "`yield`",
    gast.YieldFrom: "`yield from`",
    gast.Await: "`await`",
    gast.NamedExpr: "assignment expressions `:=`",
    gast.Starred: "starred expressions",
    gast.JoinedStr: "f-strings of local values",
}


def ssa_name(name: str) -> gast.Name:
    """A name that already refers to an SSA version (never renamed again)."""
    node = load_name(name)
    node.ssa = True
    return node


def plain_name(name: str) -> gast.Name:
    return load_name(name)


def call_of(func: str, *args) -> gast.Call:
    return gast.Call(plain_name(func), list(args), [])


def _is_method_of_value(func: gast.expr) -> bool:
    """``(expr).method``: a method of a computed value, not a dotted name like ``np.sum``."""
    if not isinstance(func, gast.Attribute):
        return False
    owner = func.value
    while isinstance(owner, gast.Attribute):
        owner = owner.value
    return not isinstance(owner, gast.Name)


def _dotted(expr: gast.expr) -> str:
    if isinstance(expr, gast.Attribute):
        return f"{_dotted(expr.value)}.{expr.attr}"
    return getattr(expr, "id", "?")

"""Random programs for the s2sad fuzzer (``tests/test_fuzz.py``).

``generate(rnd, open_bugs)`` writes the source of a module: up to two helper functions and
an entry function ``f`` whose float parameters are scalars, vectors and small matrices (and
maybe an integer ``n``) and which returns a scalar. Every program is valid Python that runs
on any real input: elementwise functions get arguments inside their domain by construction
(``np.log(e * e + 1.0)``, ``np.arcsin(np.tanh(e) * 0.9)``, ``a / (b * b + 1.0)``), and loops
are bounded. The generator tracks, per variable, its shape, whether it depends on the
differentiated parameters (activity), whether it is a fresh array that no other name or
list shares (only those are written in place: ``y[i] = v``, ``y += v``, so the program
never modifies its arguments nor an aliased array), and whether it last came from a
reduction.

``open_bugs`` is the set of ``KNOWN_BUGS`` names (``tests/test_fuzz_regressions.py``) whose
check still fails: the generator steers around those constructs (the ``_open`` tests
below), and covers them again once the bug is fixed.

Run ``python -m tests.fuzz_programs [SEED]`` to print one program.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import numpy as np

from s2sad.rules.registry import REVERSE

Shape = tuple

# shapes of parameters, and every shape an expression may have
PARAM_SHAPES = [(), (), (3,), (2,), (2, 3)]
SHAPES = [(), (2,), (3,), (2, 3), (3, 2), (6,)]

# ---------------------------------------------------------------- the NumPy vocabulary
# Unary elementwise functions as templates that keep the argument in the domain; each is
# used only while the rule registry has its key.
_UNARY = [
    (np.sin, "np.sin({e})"), (np.cos, "np.cos({e})"), (np.tanh, "np.tanh({e})"),
    (np.arctan, "np.arctan({e})"), (np.exp, "np.exp(np.sin({e}))"),
    (np.exp, "np.exp({e} * 0.5)"), (np.log, "np.log({e} * {e} + 1.0)"),
    (np.log, "np.log(np.abs({e}) + 0.5)"), (np.log1p, "np.log1p({e} * {e})"),
    (np.sqrt, "np.sqrt({e} * {e} + 0.5)"), (np.square, "np.square({e})"),
    (np.abs, "np.abs({e})"), (np.expm1, "np.expm1(np.tanh({e}))"),
    (np.arcsin, "np.arcsin(np.tanh({e}) * 0.9)"), (np.arccos, "np.arccos(np.sin({e}) * 0.9)"),
    (np.sinh, "np.sinh(np.tanh({e}))"), (np.cosh, "np.cosh(np.sin({e}))"),
    (np.arcsinh, "np.arcsinh({e})"), (np.arctanh, "np.arctanh(np.tanh({e}) * 0.9)"),
    (np.log2, "np.log2({e} * {e} + 0.5)"), (np.log10, "np.log10({e} * {e} + 0.5)"),
    (np.reciprocal, "np.reciprocal({e} * {e} + 1.0)"), (np.cbrt, "np.cbrt({e} * {e} + 0.5)"),
    (np.tan, "np.tan(np.tanh({e}))"), (np.negative, "np.negative({e})"),
    (np.exp2, "np.exp2(np.cos({e}))"),
]
_UNARY_SCALAR = [  # math functions (scalars only) and builtins
    (math.sin, "math.sin({e})"), (math.exp, "math.exp(math.sin({e}))"),
    (math.log, "math.log({e} * {e} + 1.0)"), (math.sqrt, "math.sqrt({e} * {e} + 0.5)"),
    (math.tanh, "math.tanh({e})"), (math.atan, "math.atan({e})"), (abs, "abs({e})"),
    (math.cos, "math.cos({e})"), (float, "float({e})"),
]
_BINARY = [  # two operands of the same (or broadcast) shape
    (np.maximum, "np.maximum({a}, {b})"), (np.minimum, "np.minimum({a}, {b})"),
    (np.arctan2, "np.arctan2({a}, {b} * {b} + 0.5)"), (np.hypot, "np.hypot({a}, {b})"),
    (np.logaddexp, "np.logaddexp({a}, {b})"), (np.where, "np.where({a} > {b}, {a}, {b})"),
    (np.add, "np.add({a}, {b})"), (np.multiply, "np.multiply({a}, {b})"),
    (np.power, "np.power({a} * {a} + 0.5, {b} * 0.5)"),
    (np.divide, "np.divide({a}, {b} * {b} + 1.0)"),
]
_REDUCE = [  # array -> scalar
    (np.sum, "np.sum({e})"), (np.mean, "np.mean({e})"), (np.max, "np.max({e})"),
    (np.min, "np.min({e})"), (np.prod, "np.prod({e})"), (np.var, "np.var({e})"),
    (np.linalg.norm, "np.linalg.norm({e})"), ("ndarray.sum", "{e}.sum()"),
    ("ndarray.mean", "{e}.mean()"), (np.std, "np.std({e} + np.arange({n}) * 0.5)"),
]
_REDUCE_AXIS = [  # (2, 3) -> (3,) with axis=0, (2,) with axis=1
    (np.sum, "np.sum({e}, axis={k})"), (np.mean, "np.mean({e}, axis={k})"),
    (np.max, "np.max({e}, axis={k})"), ("ndarray.sum", "{e}.sum(axis={k})"),
    (np.min, "np.min({e}, axis={k})"),
]
_KEEPDIMS = [  # (2, 3) op reduce((2, 3), keepdims) -> (2, 3)
    (np.sum, "np.sum({e}, axis={k}, keepdims=True)"),
    (np.mean, "np.mean({e}, axis={k}, keepdims=True)"),
    (np.max, "np.max({e}, axis={k}, keepdims=True)"),
]


def _available(table):
    return [(key, text) for key, text in table if _has_rule(key)]


def _has_rule(key) -> bool:
    try:
        return key in REVERSE
    except TypeError:
        return False


UNARY, UNARY_SCALAR, BINARY = _available(_UNARY), _available(_UNARY_SCALAR), _available(_BINARY)
REDUCE, REDUCE_AXIS, KEEPDIMS = (_available(_REDUCE), _available(_REDUCE_AXIS),
                                 _available(_KEEPDIMS))


# ---------------------------------------------------------------- values and variables


@dataclass
class Expr:
    code: str
    shape: Shape
    const: bool = False  # mentions no variable
    active: bool = False  # depends on a differentiated parameter
    fresh: bool = True  # a new array, not a view of or a reference to another value
    reduced: bool = False  # the outermost operation is a reduction
    aliases: frozenset = frozenset()  # variables the value may share memory with


@dataclass
class Var:
    name: str
    shape: Shape
    kind: str = "value"  # "value", "list", "index" (an int below `bound`), "int"
    active: bool = False
    fresh: bool = False  # may be written in place
    reduced: bool = False
    param: bool = False
    bound: int = 0  # index: values < bound
    min_len: int = 0  # list: items it surely holds
    outer: bool = False  # defined outside the loop being generated


@dataclass
class Ctx:
    """Where a statement is generated."""

    loops: int = 0  # enclosing loops
    branches: int = 0  # enclosing if/else
    depth: int = 0  # nesting of blocks
    returns: Shape | None = ()  # shape of the function's result
    iterated: frozenset = frozenset()  # names the enclosing for-loops iterate over
    loop_locals: frozenset | None = None  # names defined inside the innermost loop


@dataclass
class Program:
    source: str
    params: list  # (name, shape) for floats, (name, "int") for the integer parameter
    wrt: tuple
    ints: dict = field(default_factory=dict)  # integer parameter -> its value
    may_reject: bool = False  # UnsupportedSyntaxError is an acceptable outcome


class Generator:
    def __init__(self, rnd: random.Random, open_bugs: frozenset):
        self.rnd = rnd
        self.open = open_bugs
        self.counter = 0
        self.helpers: list = []  # (name, [param shapes], return shape)
        self.env: dict = {}
        self.scope: list = []  # names visible here, in definition order
        self.may_reject = False
        self.has_loop_return = self.has_early_return = False
        self._iterating = ()
        self.loop_depth = 0  # loops around the statement being generated

    # ------------------------------------------------------------ small helpers
    def chance(self, p: float) -> bool:
        return self.rnd.random() < p

    def pick(self, seq):
        return seq[self.rnd.randrange(len(seq))]

    def fresh_name(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def _open(self, bug: str) -> bool:
        return bug in self.open

    def visible(self, kind="value"):
        return [self.env[n] for n in self.scope if self.env[n].kind == kind]

    def define(self, var: Var):
        self.env[var.name] = var
        self.scope.append(var.name)

    def const(self, shape: Shape) -> Expr:
        c = self.pick(["0.5", "1.5", "-0.7", "2.0", "0.3", "-1.2"])
        if shape == ():
            code = c
        else:
            dims = shape[0] if len(shape) == 1 else shape
            code = self.pick([f"np.ones({dims})", f"np.full({dims}, {c})"])
            if len(shape) == 1:
                code = self.pick([code, f"np.linspace(-0.5, {c}, {shape[0]})"])
        return Expr(code, shape, const=True)

    # ------------------------------------------------------------ expressions
    def leaf(self, shape: Shape, need) -> Expr:
        """A variable of ``shape`` (``need``: None, "var" or "active"), or a constant."""
        if need is None and self.chance(0.25):
            return self.const(shape)
        candidates = [v for v in self.visible() if v.shape == shape and self._meets(v, need)]
        if shape == () and need != "active":
            candidates += [v for v in self.visible("index") + self.visible("int")]
        if candidates and self.chance(0.85):
            v = self.pick(candidates)
            return Expr(v.name, shape, active=v.active, fresh=False,
                        aliases=frozenset([v.name]) if v.kind == "value" else frozenset())
        return self.adapt(shape, need or "var")

    def _meets(self, v: Var, need) -> bool:
        return need != "active" or v.active

    def adapt(self, shape: Shape, need) -> Expr:
        """An expression of ``shape`` built from a variable of another shape."""
        sources = [v for v in self.visible() if self._meets(v, need)]
        if not sources:
            sources = [v for v in self.visible()]
        v = self.pick(sources)
        src = Expr(v.name, v.shape, active=v.active, fresh=False, aliases=frozenset([v.name]))
        return self.convert(src, shape)

    def convert(self, e: Expr, shape: Shape) -> Expr:
        """``e`` brought to ``shape`` by an indexing, reduction, shape or broadcast."""
        if e.shape == shape:
            return e
        s, view = None, False
        if e.shape == (2, 3) and shape == (3,):
            s, view = self.pick([(f"{e.code}[{self.pick([0, 1, -1])}]", True),
                                 (f"np.sum({e.code}, axis=0)", False)])
        elif e.shape == (2, 3) and shape == (2,):
            s, view = self.pick([(f"{e.code}[:, {self.pick([0, 1, 2])}]", True),
                                 (f"np.mean({e.code}, axis=1)", False)])
        elif e.shape == (2, 3) and shape == (3, 2):
            s, view = self.pick([(f"{e.code}.T", True), (f"np.transpose({e.code})", True)])
        elif e.shape == (3, 2) and shape == (2, 3):
            s, view = self.pick([(f"{e.code}.T", True), (f"np.reshape({e.code}, (2, 3))",
                                                         True)])  # (NumPy: a view)
        elif e.shape == (2, 3) and shape == (6,):
            s, view = self.pick([(f"np.ravel({e.code})", True), (f"{e.code}.reshape(6)", True),
                                 (f"{e.code}.flatten()", False)])
        elif e.shape == (6,) and shape == (2, 3):
            s, view = f"np.reshape({e.code}, (2, 3))", True
        elif e.shape == (3,) and shape == (2,):
            s, view = self.pick([(f"{e.code}[:2]", True), (f"{e.code}[1:]", True)])
        elif len(e.shape) == 1 and shape == ():
            s, view = f"{e.code}[{self.pick([0, -1, e.shape[0] - 1])}]", False
        if s is not None and s.startswith(e.code + ".") and e.const and self._open(
                "dot_method_on_constant"):
            s = None  # a method on a constant receiver
        if s is None:
            if e.shape == ():
                s, view = f"({e.code} * np.ones({self._dims(shape)}))", False
            elif shape == ():
                s, view = f"np.sum({e.code})", False
            else:
                s, view = f"(np.sum({e.code}) * np.ones({self._dims(shape)}))", False
        return Expr(s, shape, const=e.const, active=e.active, fresh=not view,
                    reduced=len(shape) < len(e.shape) and not view,
                    aliases=e.aliases if view else frozenset())

    @staticmethod
    def _dims(shape: Shape) -> str:
        return str(shape[0]) if len(shape) == 1 else str(shape)

    def expr(self, shape: Shape, depth: int, need=None) -> Expr:
        if depth <= 0 or self.chance(0.2):
            return self.leaf(shape, need)
        if need is None and self._open("long_primal_line"):
            need = "var"  # no constant subexpression made of several operations
        makers = [self.e_unary, self.e_binop, self.e_binop, self.e_div, self.e_pow,
                  self.e_neg, self.e_func2, self.e_reduce, self.e_product, self.e_shape,
                  self.e_ternary, self.e_call, self.e_list, self.e_misc]
        for _ in range(4):
            e = self.pick(makers)(shape, depth - 1, need)
            if e is not None:
                return e
        return self.leaf(shape, need)

    def other(self, shape: Shape, depth: int) -> Expr:
        """A second operand: no requirement, but no constant expression while the
        long-primal-line bug is open (a constant leaf is fine)."""
        if self._open("long_primal_line"):  # templates repeat operands: `b * b + 1.0`
            return self.expr(shape, depth, "var")
        return self.expr(shape, depth, None)

    def operands(self, shapes, depth, need):
        """Expressions of ``shapes``; one of them (at random) meets ``need``."""
        first = self.rnd.randrange(len(shapes))
        return [self.expr(s, depth, need) if i == first else self.other(s, depth)
                for i, s in enumerate(shapes)]

    def list_items(self, shapes, depth, need):
        """Operands that are items of a list (no constant while jvp mistakes a constant
        item for its own tangent)."""
        if self._open("jvp_constant_list_element"):
            return [self.expr(s, depth, need or "var") for s in shapes]
        return self.operands(shapes, depth, need)

    @staticmethod
    def combine(code: str, shape: Shape, parts, *, reduced=False, view=False) -> Expr:
        return Expr(code, shape, const=all(p.const for p in parts),
                    active=any(p.active for p in parts), fresh=not view, reduced=reduced,
                    aliases=frozenset().union(*(p.aliases for p in parts)) if view
                    else frozenset())

    def e_unary(self, shape, depth, need):
        table = UNARY + (UNARY_SCALAR if shape == () else [])
        _, text = self.pick(table)
        (a,) = self.operands([shape], depth, need)
        return self.combine(text.format(e=a.code), shape, [a])

    def operand_shapes(self, shape):
        """Shapes of two operands that broadcast to ``shape``."""
        options = [(shape, shape), (shape, ()), ((), shape)]
        if len(shape) == 2:
            options += [(shape, shape[1:]), (shape[1:], shape)]
        return self.pick(options)

    def e_binop(self, shape, depth, need):
        op = self.pick(["+", "-", "*"])
        sa, sb = self.operand_shapes(shape)
        a, b = self.operands([sa, sb], depth, need)
        if shape == (2, 3) and self.chance(0.2):  # a column times a row
            a, b = self.operands([(2,), (3,)], depth, need)
            return self.combine(f"({a.code}[:, None] {op} {b.code})", shape, [a, b])
        return self.combine(f"({a.code} {op} {b.code})", shape, [a, b])

    def e_div(self, shape, depth, need):
        if self.chance(0.3):
            (a,) = self.operands([shape], depth, need)
            return self.combine(f"({a.code} / {self.pick(['2.0', '-0.5', '3.0'])})", shape,
                                [a])
        sa, sb = self.operand_shapes(shape)
        a, b = self.operands([sa, sb], depth, need)
        return self.combine(f"({a.code} / ({b.code} * {b.code} + 1.0))", shape, [a, b])

    def e_pow(self, shape, depth, need):
        (a,) = self.operands([shape], depth, need)
        text = self.pick(["({e} ** 2)", "({e} ** 3)", "(({e} * {e} + 0.5) ** 0.5)",
                          "(({e} * {e} + 0.5) ** 1.5)", "(({e} * {e} + 0.5) ** -1.0)",
                          "(2.0 ** np.sin({e}))", "(({e} * {e} + 0.5) ** np.cos({e}))"])
        return self.combine(text.format(e=a.code), shape, [a])

    def e_neg(self, shape, depth, need):
        (a,) = self.operands([shape], depth, need)
        return self.combine(f"(-{a.code})", shape, [a])

    def e_func2(self, shape, depth, need):
        _, text = self.pick(BINARY)
        sa, sb = self.operand_shapes(shape)
        if "{a} > {b}, {a}" in text or "{a} * {a}" in text:
            sa = shape  # np.where's and np.power's result has the shape of a
        a, b = self.operands([sa, sb], depth, need)
        if text.startswith("np.where") and shape == ():  # not a 0-d array: += would alias
            return self.combine(f"float({text.format(a=a.code, b=b.code)})", shape, [a, b])
        return self.combine(text.format(a=a.code, b=b.code), shape, [a, b])

    def e_reduce(self, shape, depth, need):
        if shape == ():
            src = self.pick([(2,), (3,), (2, 3), (6,)])
            key, text = self.pick(REDUCE)
            (a,) = self.operands([src], depth, need)
            if "ndarray" in str(key) and a.const and self._open("dot_method_on_constant"):
                return None
            code = text.format(e=a.code, n=src[0] if len(src) == 1 else str(src))
            if src == (2, 3) and "np.arange" in code:
                code = text.format(e=a.code, n=6).replace("np.arange(6)",
                                                           "np.arange(6).reshape(2, 3)")
            return self.combine(code, shape, [a], reduced=True)
        if shape in ((3,), (2,)):
            k = 0 if shape == (3,) else 1
            key, text = self.pick(REDUCE_AXIS)
            (a,) = self.operands([(2, 3)], depth, need)
            if "ndarray" in str(key) and a.const and self._open("dot_method_on_constant"):
                return None
            return self.combine(text.format(e=a.code, k=k), shape, [a], reduced=True)
        if shape == (2, 3):
            _, text = self.pick(KEEPDIMS)
            op = self.pick(["-", "*", "+"])
            a, b = self.operands([shape, shape], depth, need)
            return self.combine(f"({b.code} {op} {text.format(e=a.code, k=self.pick([0, 1]))})",
                                shape, [a, b])
        return None

    def e_product(self, shape, depth, need):
        """matmul and dot."""
        if shape == ():
            n = self.pick([2, 3])
            a, b = self.operands([(n,), (n,)], depth, need)
            if a.const and self._open("dot_method_on_constant"):
                forms = ["({a} @ {b})", "np.dot({a}, {b})"]
            else:
                forms = ["({a} @ {b})", "np.dot({a}, {b})", "{a}.dot({b})"]
            return self.combine(self.pick(forms).format(a=a.code, b=b.code), shape, [a, b],
                                reduced=True)
        if shape == (2,):
            a, b = self.operands([(2, 3), (3,)], depth, need)
            form = self.pick(["({a} @ {b})", "np.dot({a}, {b})", "np.matmul({a}, {b})"])
            return self.combine(form.format(a=a.code, b=b.code), shape, [a, b], reduced=True)
        if shape == (3,):
            a, b = self.operands([(2,), (2, 3)], depth, need)
            form = self.pick(["({a} @ {b})", "np.dot({a}, {b})"])
            return self.combine(form.format(a=a.code, b=b.code), shape, [a, b], reduced=True)
        if shape == (2, 3):
            if self.chance(0.5):
                a, b = self.operands([(2,), (3,)], depth, need)
                return self.combine(f"np.outer({a.code}, {b.code})", shape, [a, b])
            a, b = self.operands([(2, 3), (3, 2)], depth, need)
            c = self.other((2, 3), depth)
            return self.combine(f"(({a.code} @ {b.code}) @ {c.code})", shape, [a, b, c])
        if shape == (3, 2):
            a, b = self.operands([(3, 2), (2, 3)], depth, need)
            c = self.other((3, 2), depth)
            return self.combine(f"(({a.code} @ {b.code}) @ {c.code})", shape, [a, b, c])
        return None

    def e_shape(self, shape, depth, need):
        """Shape functions, slices and subscripts."""
        if shape in ((2, 3), (6,)) and self.chance(0.4):  # from a list of arrays
            a, b = self.list_items([(3,), (3,)], depth, need)
            if shape == (2, 3):
                return self.combine(f"np.stack([{a.code}, {b.code}])", shape, [a, b])
            return self.combine(f"np.concatenate([{a.code}, {b.code}])", shape, [a, b])
        if len(shape) == 1 and self.chance(0.5):
            (a,) = self.operands([shape], depth, need)
            text, view = self.pick([("{e}[::-1]", True), ("np.flip({e})", True),
                                    ("np.roll({e}, 1)", False), ("np.cumsum({e})", False),
                                    ("np.clip({e}, -0.5, 0.8)", False),
                                    ("np.sort({e})", False)])
            if text.startswith("np.sort") and self.loop_depth and self._open("sort_in_loop"):
                return None
            return self.combine(text.format(e=a.code), shape, [a], view=view)
        if shape == () and self.chance(0.5):  # an element, maybe at a loop index
            src = self.pick([(3,), (2,), (2, 3)])
            (a,) = self.operands([src], depth, need)
            return self.combine(f"{a.code}[{self.index(src)}]", shape, [a])
        if shape in ((3,), (2,)) and self.chance(0.5):
            (a,) = self.operands([(2, 3)], depth, need)
            if shape == (3,):
                return self.combine(f"{a.code}[{self.index((2,))}]", shape, [a], view=True)
            return self.combine(f"{a.code}[:, {self.index((3,))}]", shape, [a], view=True)
        src = self.pick([s for s in SHAPES if s != shape])
        (a,) = self.operands([src], depth, need)
        if a.const and self._open("long_primal_line"):
            return None
        return self.convert(a, shape)

    def index(self, shape: Shape) -> str:
        """An index into the leading axes of an array of ``shape``: constants or loop
        indices known to be in range."""
        parts = []
        for n in shape:
            indices = [v.name for v in self.visible("index") if v.bound <= n]
            if indices and self.chance(0.6):
                parts.append(self.pick(indices))
            else:
                parts.append(str(self.rnd.randrange(-n, n)))
        return ", ".join(parts)

    def cond(self, depth: int = 1, simple: bool = False) -> str:
        """A test on data (a comparison, maybe combined with and/or)."""
        def comparison():
            e = self.expr((), depth, "var")
            op = self.pick([">", "<", ">=", "<="])
            return f"{e.code} {op} {self.pick(['0.1', '-0.2', '0.5', '0.0'])}"

        test = comparison()
        if simple:
            return test
        if self.chance(0.3):
            test = f"{test} {self.pick(['and', 'or'])} {comparison()}"
            if not self._open("nested_boolop") and self.chance(0.4):
                if self.chance(0.5):
                    test = f"{test} {self.pick(['and', 'or'])} {comparison()}"
                else:
                    test = (f"{comparison()} {self.pick(['and', 'or'])} "
                            f"({test})")
        elif self.chance(0.1):
            test = f"not {test}"
        return test

    def e_ternary(self, shape, depth, need):
        a, b = self.operands([shape, shape], depth, need)
        if self._open("branch_merge_keeps_wide_adjoint") and a.reduced != b.reduced:
            return None
        test = self.cond(0)
        if self._open("write_after_ternary_of_name"):  # its operands are never written again
            for name in a.aliases | b.aliases:
                self.env[name].fresh = False
        return self.combine(f"({a.code} if {test} else {b.code})", shape, [a, b], view=True,
                            reduced=a.reduced)

    def e_call(self, shape, depth, need):
        helpers = [h for h in self.helpers if h[2] == shape]
        if not helpers:
            return None
        name, shapes, _ = self.pick(helpers)
        need_arg = need
        if self._open("jvp_call_with_inactive_arguments"):
            need_arg = "active"
        args = self.operands(shapes, depth, need_arg)
        return self.combine(f"{name}({', '.join(a.code for a in args)})", shape, args,
                            view=True)

    def e_list(self, shape, depth, need):
        lists = [v for v in self.visible("list") if v.shape == shape and v.min_len > 0
                 and self._meets(v, need)]
        if not lists:
            return None
        v = self.pick(lists)
        form = self.pick(["{xs}[0]", "{xs}[-1]", "sum({xs})", "np.sum(np.stack({xs}), axis=0)"
                          if shape else "np.sum(np.stack({xs}))"])
        view = form.endswith("]")
        return Expr(form.format(xs=v.name), shape, active=v.active, fresh=not view,
                    aliases=frozenset([v.name]) if view else frozenset())

    def e_misc(self, shape, depth, need):
        if shape == () and self.chance(0.5):
            a, b = self.operands([(), ()], depth, need)
            form = self.pick(["math.hypot({a}, {b})", "math.atan2({a}, {b} * {b} + 0.5)",
                              "math.pow({a} * {a} + 0.5, 1.5)", "max({a}, {b})"])
            if form.startswith("max") and not _has_rule(max):
                form = "np.maximum({a}, {b})"
            if "{b}" not in form:  # one operand: the one that meets `need`
                (a,) = self.operands([()], depth, need)
                return self.combine(form.format(a=a.code), shape, [a])
            return self.combine(form.format(a=a.code, b=b.code), shape, [a, b])
        if shape and self.chance(0.5):
            (a,) = self.operands([shape], depth, need)
            return self.combine(f"np.array({a.code})" if self.chance(0.3) else
                                f"({a.code} * 1.0)", shape, [a])
        return None

    # ------------------------------------------------------------ statements
    def block(self, ctx: Ctx, size: int, keep: bool = False) -> list:
        lines, mark = [], len(self.scope)
        for _ in range(size):
            stmt = self.statement(ctx)
            lines += stmt
            if stmt and stmt[-1].strip().startswith(("return", "break", "continue")) and \
                    not stmt[-1].startswith(" "):
                break  # nothing after a jump
        if not keep:  # names defined here are not known to be defined after it
            del self.scope[mark:]
        return lines or ["pass"]

    def statement(self, ctx: Ctx) -> list:
        simple = [self.s_assign, self.s_assign, self.s_reassign, self.s_reassign,
                  self.s_augassign, self.s_setitem, self.s_unpack, self.s_list, self.s_append]
        compound = [self.s_if, self.s_for_range, self.s_for_array, self.s_while]
        jumps = [self.s_jump, self.s_return] if ctx.loops or ctx.branches else [self.s_return]
        makers = simple * 3
        if ctx.depth < 2:
            makers += compound * 2
        if ctx.depth > 0:
            makers += jumps
        for _ in range(4):
            out = self.pick(makers)(ctx)
            if out:
                return out
        return self.s_assign(ctx)

    def shares_across_iterations(self, ctx: Ctx, target: str, e: Expr) -> bool:
        """Would storing ``e`` in ``target`` (a variable the loop carries, or a list) make an
        array shared across iterations, so that an in-place write earlier in the body
        changes it? Such statements are not generated."""
        return bool(ctx.loops and e.shape and e.aliases and (
            ctx.loop_locals is None or target not in ctx.loop_locals))

    def store(self, var: Var, e: Expr, ctx: Ctx, reassign: bool):
        for name in e.aliases:  # now shared: never written in place again
            if name in self.env:
                self.env[name].fresh = False
        if reassign:  # on one path of several, the value may be either
            var.active = e.active if not (ctx.loops or ctx.branches) else var.active or e.active
            var.fresh = var.fresh and e.fresh and not e.aliases and var.shape != ()
            var.reduced = var.reduced or e.reduced
        else:
            var.active, var.reduced = e.active, e.reduced
            var.fresh = e.fresh and not e.aliases and var.shape != ()

    def s_assign(self, ctx):
        shape = self.pick(SHAPES + [()])
        e = self.expr(shape, self.pick([1, 2, 3]))
        var = Var(self.fresh_name("v"), shape)
        self.store(var, e, ctx, False)
        self.define(var)
        return [f"{var.name} = {e.code}"]

    def assignable(self, ctx) -> list:
        """Variables that may be reassigned here."""
        out = []
        for v in self.visible():
            if v.name in ctx.iterated and self._open("loop_over_rebound_name"):
                continue
            if ctx.loops and self._open("loop_overwrites_earlier_value") and (
                    ctx.loop_locals is None or v.name not in ctx.loop_locals):
                continue
            out.append(v)
        return out

    def value_for(self, var: Var, ctx: Ctx) -> Expr | None:
        """A new value for ``var``, within the detours of the open bugs."""
        need = None
        if ctx.loops and var.active and self._open("loop_assigns_inactive_value"):
            need = "active"
        for _ in range(3):
            e = self.expr(var.shape, self.pick([1, 2, 3]), need)
            if self._open("branch_merge_keeps_wide_adjoint") and e.reduced != var.reduced:
                continue
            return e
        return None

    def s_reassign(self, ctx):
        targets = self.assignable(ctx)
        if not targets:
            return None
        var = self.pick(targets)
        e = self.value_for(var, ctx)
        if e is None:
            return None
        if self.chance(0.3):  # built from its own value: a carried dependency
            own = Expr(var.name, var.shape, active=var.active, fresh=False,
                       aliases=frozenset([var.name]))
            e = self.combine(f"({own.code} {self.pick(['+', '-', '*'])} {e.code})", var.shape,
                             [own, e])
            e.reduced = False
            if self._open("branch_merge_keeps_wide_adjoint") and var.reduced:
                return None
        if self.shares_across_iterations(ctx, var.name, e):
            return None
        self.store(var, e, ctx, True)
        return [f"{var.name} = {e.code}"]

    def s_augassign(self, ctx):
        targets = [v for v in self.assignable(ctx) if v.shape == () or v.fresh]
        if self.may_reject is False and not self._open("augassign_on_shared_array") and \
                self.chance(0.1):
            return self.s_alias_augassign(ctx)
        if not targets:
            return None
        var = self.pick(targets)
        op = self.pick(["+=", "-=", "*=", "/="])
        shape = self.pick([var.shape, ()])
        e = self.expr(shape, self.pick([1, 2]))
        if op == "/=":
            e = self.combine(f"({e.code} * {e.code} + 1.0)", shape, [e])
        var.active = var.active or e.active
        for name in e.aliases:
            self.env[name].fresh = False
        return [f"{var.name} {op} {e.code}"]

    def s_alias_augassign(self, ctx):
        """``z = y; z += e`` on an array: NumPy changes ``y`` too; s2sad may reject it."""
        arrays = [v for v in self.assignable(ctx) if v.shape and v.fresh]
        if not arrays:
            return None
        var = self.pick(arrays)
        e = self.expr(var.shape, 1)
        alias = Var(self.fresh_name("v"), var.shape, active=var.active, fresh=False)
        var.fresh = False
        var.active = var.active or e.active
        alias.active = var.active
        self.define(alias)
        self.may_reject = True
        return [f"{alias.name} = {var.name}", f"{alias.name} += {e.code}"]

    def s_setitem(self, ctx):
        targets = [v for v in self.assignable(ctx) if v.shape and v.fresh]
        if not targets:
            return None
        var = self.pick(targets)
        shape = var.shape
        if len(shape) == 1:
            target, vshape = self.pick([(f"[{self.index(shape)}]", ()),
                                        ("[:2]" if shape[0] >= 3 else "[1:]", (2,) if
                                         shape[0] >= 3 else (shape[0] - 1,))])
        else:
            target, vshape = self.pick([(f"[{self.index(shape[:1])}]", shape[1:]),
                                        (f"[{self.index(shape)}]", ()),
                                        (f"[:, {self.index(shape[1:])}]", shape[:1])])
        if vshape not in SHAPES + [(1,)]:
            return None
        if vshape == (1,):
            vshape = ()
        e = self.expr(vshape, self.pick([1, 2]))
        var.active = var.active or e.active
        for name in e.aliases:
            self.env[name].fresh = False
        return [f"{var.name}{target} {self.pick(['=', '=', '+=', '*='])} {e.code}"]

    def s_unpack(self, ctx):
        same = [v for v in self.assignable(ctx)]
        if len(same) >= 2 and self.chance(0.4):  # a swap
            a = self.pick(same)
            partners = [v for v in same if v.shape == a.shape and v is not a]
            if ctx.loops and self._open("loop_assigns_inactive_value"):
                partners = [v for v in partners if v.active == a.active]
            if self._open("branch_merge_keeps_wide_adjoint"):
                partners = [v for v in partners if v.reduced == a.reduced]
            if ctx.loops:  # an in-place write earlier in the body would hit the other
                partners = [v for v in partners if v.fresh == a.fresh]
            if partners:
                b = self.pick(partners)
                a.fresh = b.fresh = a.fresh and b.fresh
                a.active = b.active = a.active or b.active
                return [f"{a.name}, {b.name} = {b.name}, {a.name}"]
        shapes = [self.pick(SHAPES), self.pick(SHAPES)]
        need = "var" if self._open("jvp_constant_tuple_element") else None
        values = [self.expr(s, self.pick([1, 2]), need) for s in shapes]
        names = []
        for s, e in zip(shapes, values):
            var = Var(self.fresh_name("v"), s)
            self.store(var, e, ctx, False)
            # s2sad's activity is per tuple: an item of a tuple with an active item is active
            var.active = any(v.active for v in values)
            names.append(var)
        for var in names:
            self.define(var)
        if self.chance(0.5):
            return [f"{names[0].name}, {names[1].name} = {values[0].code}, {values[1].code}"]
        pair = self.fresh_name("p")
        for var in names:  # the very objects the tuple holds: writing one changes the tuple
            var.fresh = False
        return [f"{pair} = ({values[0].code}, {values[1].code})",
                f"{names[0].name}, {names[1].name} = {pair}"]

    def s_list(self, ctx):
        shape = self.pick([(), (3,), (2,), (2, 3)])
        need = "var" if self._open("jvp_constant_list_element") else None
        items = [self.expr(shape, self.pick([0, 1, 2]), need)
                 for _ in range(self.pick([1, 2, 3]))]
        var = Var(self.fresh_name("xs"), shape, kind="list", min_len=len(items),
                  active=any(e.active for e in items))
        for e in items:
            for name in e.aliases:
                self.env[name].fresh = False
        self.define(var)
        return [f"{var.name} = [{', '.join(e.code for e in items)}]"]

    def s_append(self, ctx):
        lists = [v for v in self.visible("list") if v.name not in ctx.iterated]
        if not lists:  # (appending to the list a loop walks would never end)
            return None
        var = self.pick(lists)
        need = "var" if self._open("jvp_constant_list_element") else None
        if ctx.loops and var.active and self._open("loop_assigns_inactive_value"):
            need = "active"
        e = self.expr(var.shape, self.pick([1, 2]), need)
        if self.shares_across_iterations(ctx, var.name, e):
            return None
        var.active = var.active or e.active
        for name in e.aliases:
            self.env[name].fresh = False
        if not ctx.loops and not ctx.branches:
            var.min_len += 1
        return [f"{var.name}.append({e.code})"]

    def indent(self, lines):
        return ["    " + line for line in lines]

    def s_if(self, ctx):
        inner = Ctx(ctx.loops, ctx.branches + 1, ctx.depth + 1, ctx.returns, ctx.iterated,
                    ctx.loop_locals)
        lines = [f"if {self.cond()}:"] + self.indent(self.block(inner, self.pick([1, 2, 3])))
        if self.chance(0.2):
            lines += [f"elif {self.cond()}:"] + self.indent(self.block(inner, self.pick([1, 2])))
        if self.chance(0.6):
            lines += ["else:"] + self.indent(self.block(inner, self.pick([1, 2, 3])))
        return lines

    def loop_ctx(self, ctx, iterated=frozenset()):
        return Ctx(ctx.loops + 1, ctx.branches, ctx.depth + 1, ctx.returns,
                   ctx.iterated | iterated, frozenset())

    def loop_body(self, ctx, header, defined):
        """``header`` and a body; ``defined`` are the loop's own variables."""
        mark = len(self.scope)
        for var in defined:
            self.define(var)
        inner = self.loop_ctx(ctx, frozenset(getattr(self, "_iterating", ())))
        inner.loop_locals = frozenset(v.name for v in defined)
        self.loop_depth += 1
        body = self.loop_block(inner, self.pick([1, 2, 3]))
        self.loop_depth -= 1
        del self.scope[mark:]
        return [header] + self.indent(body)

    def loop_block(self, ctx, size):
        """A loop body; names it defines count as its own (they may be reassigned)."""
        lines, mark = [], len(self.scope)
        for _ in range(size):
            stmt = self.statement(ctx)
            lines += stmt
            ctx.loop_locals = ctx.loop_locals | frozenset(self.scope[mark:])
            if stmt and stmt[-1].startswith(("return", "break", "continue")):
                break
        del self.scope[mark:]
        return lines or ["pass"]

    def s_for_range(self, ctx):
        ints = [v for v in self.visible("int") if v.param]
        k = self.pick([1, 2, 3])
        bound_text = str(k)
        if ints and self.chance(0.4):
            bound_text, k = ints[0].name, ints[0].bound
        elif self.chance(0.2):
            arr = [v for v in self.visible() if len(v.shape) >= 1]
            if arr:
                v = self.pick(arr)
                bound_text, k = f"len({v.name})", v.shape[0]
        if self.chance(0.2):
            bound_text = f"{self.pick([0, 1])}, {bound_text}"
        i = Var(self.fresh_name("i"), (), kind="index", bound=k)
        self._iterating = ()
        if self.chance(0.2):
            return self.loop_body(ctx, f"for _ in range({bound_text}):", [])
        return self.loop_body(ctx, f"for {i.name} in range({bound_text}):", [i])

    def s_for_array(self, ctx):
        arrays = [v for v in self.visible() if v.shape]
        lists = [v for v in self.visible("list") if v.min_len > 0]
        if not arrays:
            return None
        if lists and self.chance(0.2):
            xs = self.pick(lists)
            item = Var(self.fresh_name("r"), xs.shape, active=xs.active, fresh=False)
            self._iterating = (xs.name,)
            return self.loop_body(ctx, f"for {item.name} in {xs.name}:", [item])
        x = self.pick(arrays)
        x.fresh = False  # its rows are views while the loop runs
        self._iterating = (x.name,)
        row = Var(self.fresh_name("r"), x.shape[1:], active=x.active)
        form = self.rnd.randrange(4)
        if form == 0:
            i = Var(self.fresh_name("i"), (), kind="index", bound=x.shape[0])
            return self.loop_body(ctx, f"for {i.name}, {row.name} in enumerate({x.name}):",
                                  [i, row])
        if form == 1:
            others = [v for v in arrays if v.shape[:1] == x.shape[:1]]
            y = self.pick(others)
            y.fresh = False
            self._iterating = (x.name, y.name)
            row2 = Var(self.fresh_name("r"), y.shape[1:], active=y.active)
            return self.loop_body(ctx, f"for {row.name}, {row2.name} in zip({x.name}, {y.name}):",
                                  [row, row2])
        if form == 2:
            return self.loop_body(ctx, f"for {row.name} in reversed({x.name}):", [row])
        return self.loop_body(ctx, f"for {row.name} in {x.name}:", [row])

    def s_while(self, ctx):
        j = Var(self.fresh_name("j"), (), kind="int", bound=4)
        k = self.pick([1, 2, 3])
        test = f"{j.name} < {k}"
        if self.chance(0.3):
            # parenthesized: an `or` in the condition must not bypass the counter
            test += f" and ({self.cond(0, simple=self._open('nested_boolop'))})"
        self._iterating = ()
        self.define(j)
        mark = len(self.scope)
        inner = self.loop_ctx(ctx)
        self.loop_depth += 1
        body = self.loop_block(inner, self.pick([1, 2, 3]))
        self.loop_depth -= 1
        del self.scope[mark:]
        return [f"{j.name} = 0", f"while {test}:", f"    {j.name} += 1"] + self.indent(body)

    def s_jump(self, ctx):
        if not ctx.loops:
            return None
        jump = self.pick(["break", "continue"])
        if self.chance(0.7):
            return [f"if {self.cond()}:", f"    {jump}"]
        return [jump]

    def s_return(self, ctx):
        if ctx.depth == 0:
            return None
        need = None
        self.has_early_return = True
        if ctx.loops:
            self.has_loop_return = True
            if self._open("loop_assigns_inactive_value"):
                need = "active"
        e = self.expr(ctx.returns, self.pick([1, 2]), need)
        if e.code.isidentifier() and self._open("return_name_in_branch_and_loop"):
            e = self.combine(f"({e.code} * 1.0)", e.shape, [e])  # not a bare name
        if self.chance(0.6):
            return [f"if {self.cond()}:", f"    return {e.code}"]
        return [f"return {e.code}"]

    # ------------------------------------------------------------ functions
    def function(self, name: str, params: list, returns: Shape, size: int) -> list:
        self.env, self.scope = {}, []
        for p in params:
            self.define(p)
        body = self.block(Ctx(returns=returns), size, keep=True)
        if not body[-1].startswith("return"):
            body.append(f"return {self.final(returns).code}")
        signature = ", ".join(p.name for p in params)
        return [f"def {name}({signature}):"] + self.indent(body)

    def final(self, shape: Shape) -> Expr:
        """The last ``return``: a sum over several of the live values."""
        values = [v for v in self.visible() if v.kind == "value"]
        chosen = self.rnd.sample(values, min(len(values), self.pick([1, 2, 3])))
        bare = not (self.has_loop_return and self._open("return_in_loop_then_name")) and not (
            self.has_early_return and self._open("return_in_branch_then_name"))
        if shape == () and len(chosen) == 1 and not chosen[0].shape and self.chance(0.3) and bare:
            return Expr(chosen[0].name, ())  # a bare name
        terms = []
        for v in chosen:
            e = Expr(v.name, v.shape, active=v.active)
            terms.append(self.convert(e, shape).code if self.chance(0.7) or not v.shape
                         else f"np.sum(np.sin({v.name}))" if shape == () else
                         self.convert(e, shape).code)
        terms.append(self.expr(shape, 1, "var").code)
        return Expr(" + ".join(terms), shape)


def generate(rnd: random.Random, open_bugs=frozenset()) -> Program:
    """A random module; its entry function is ``f``."""
    g = Generator(rnd, frozenset(open_bugs))
    lines = ["import math", "", "import numpy as np", ""]
    for h in range(g.pick([0, 0, 1, 1, 2])):
        shapes = [g.pick(PARAM_SHAPES) for _ in range(g.pick([1, 2]))]
        params = [Var(f"a{k}", s, active=True) for k, s in enumerate(shapes)]
        returns = g.pick(PARAM_SHAPES)
        name = f"h{h}"
        g.has_loop_return = g.has_early_return = False
        lines += ["", *g.function(name, params, returns, g.pick([1, 2, 3])), ""]
        g.helpers.append((name, shapes, returns))
    shapes = [g.pick(PARAM_SHAPES) for _ in range(g.pick([1, 2, 2, 3]))]
    names = ["x", "y", "z"][:len(shapes)]
    if g._open("jvp_parameter_reassigned_in_loop") or g._open(
            "jvp_parameter_reassigned_in_nested_loop") or len(names) == 1 or g.chance(0.5):
        wrt = tuple(names)
    else:
        wrt = tuple(n for n in names if g.chance(0.6)) or (names[0],)
    params = [Var(n, s, active=n in wrt, param=True) for n, s in zip(names, shapes)]
    ints = {}
    if g.chance(0.3):
        ints["n"] = g.pick([1, 2, 3])
        params.append(Var("n", (), kind="int", bound=ints["n"], param=True))
    g.has_loop_return = g.has_early_return = False
    lines += ["", *g.function("f", params, (), g.pick([2, 3, 4, 5, 6]))]
    signature = [(n, s) for n, s in zip(names, shapes)] + [(n, "int") for n in ints]
    return Program("\n".join(lines) + "\n", signature, wrt, ints, g.may_reject)


if __name__ == "__main__":
    import sys

    print(generate(random.Random(int(sys.argv[1]) if len(sys.argv) > 1 else 0)).source)

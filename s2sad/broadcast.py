"""What the compiler can tell about shapes without running the code.

Elementwise rules ignore broadcasting, so their contributions may carry the broadcast
shape ("wide" adjoints). ``ShapeClasses`` groups values that surely have the same shape
(``x``, ``np.sin(x)``, ``2 * x``, ...; every scalar in ``SCALAR``): a contribution whose
shape class is its operand's needs no ``unbroadcast``, and two adjoints of one class add up
directly. ``may_stay_wide`` says which values may keep a wide adjoint until it is summed back.

In a version specialized to its arguments' shapes (``shapes.shape_signature``), values
whose shape follows from those (elementwise operations, ``@``, ``x[i]``, ``x.T``) get the
class of that static shape, ``"<shape n0,n1>"``, and ``dims`` maps it to the shape.
"""

from __future__ import annotations

import math
import operator

import gast
import numpy as np

from . import runtime
from .ir import CONSTANT, COPY, Carry, If, Loop, Op, walk
from .nodes import load_name
from .parse import ParsedFunction
from .rules import lookup
from .shapes import MATMULS, broadcast, indexed_shape, matmul_shape, reduced_shape

SCALAR = "<scalar>"
_FULL_REDUCTIONS = (np.sum, np.mean, "ndarray.sum", "ndarray.mean")
_SCALAR_RESULTS = (len, float, int, round)
# identity tests (``key is k`` for one of them) as set lookups: these objects live forever
_FULL_REDUCTION_IDS = frozenset(id(k) for k in _FULL_REDUCTIONS if not isinstance(k, str))
_SCALAR_RESULT_IDS = frozenset(map(id, _SCALAR_RESULTS))
_MATMUL_IDS = frozenset(map(id, MATMULS))


class ShapeClasses:
    """Shape classes of a primal function's values (a name's class is a name standing for
    "the shape of that value"; unknown shapes get a class of their own)."""

    def __init__(self, primal, callee_shapes=None):
        """``callee_shapes(op, self)``: ``(signature, result shape)`` of a call of a user
        function from the static shapes of its arguments (``builder.callee_shapes``), or None."""
        self.parsed = primal.parsed
        self.callee_shapes = callee_shapes
        self.signatures: dict = {}  # id of a user-function call -> its arguments' signature
        self.dims: dict = {SCALAR: ()}  # class -> its static shape, where known
        self.ints: set = set()  # targets of loops over ``range``: integers
        self.classes: dict = {p: self.static(s) for p, s in primal.param_shapes}
        self.unknown: set = set()  # names found to have no one shape: so for every pass
        self.top: dict | None = None  # for shape_sources: the body's own operations
        self.carried: set = set()  # and the names loops carry
        self.sources: dict = {}  # and, per name, the sources found for it
        self.kinds: dict = {}  # id(op) -> ``kind(op)``
        self.lengths: dict = {}  # name -> the axis length (a label) or shape it holds
        for _ in range(20):  # loops: grow to a fixed point
            self.changed, self.seen = False, set()
            self.block(primal.body)
            if not self.changed:
                break

    def of(self, atom) -> str:
        if isinstance(atom, gast.Name):
            cls = self.classes.get(atom.id)
            if cls is None:  # a parameter, or a global: a number is a scalar
                return SCALAR if type(self.parsed.lookup(atom.id)) in (int, float) else atom.id
            return cls
        return SCALAR if is_scalar_constant(atom, self.parsed) else f"<{id(atom)}>"

    def static(self, shape: tuple) -> str:
        """The class of the values of this static shape."""
        if not shape:
            return SCALAR
        cls = f"<shape {','.join(map(str, shape))}>"
        self.dims[cls] = shape
        return cls

    def shape(self, atom) -> tuple | None:
        """The static shape of ``atom``, or None if unknown."""
        if isinstance(atom, gast.Name):
            return self.dims.get(self.of(atom))
        return () if is_scalar_constant(atom, self.parsed) else None

    def set(self, name: str, cls: str) -> None:
        if name in self.seen and self.classes.get(name) != cls:
            self.unknown.add(name)  # assigned on two paths with different shapes
        if name in self.unknown:
            cls = name
        self.seen.add(name)
        if self.classes.get(name) != cls:
            self.classes[name] = cls
            self.changed = True

    def block(self, block: list) -> None:
        for stmt in block:
            if isinstance(stmt, Op):
                self.set(stmt.target, self.op(stmt))
            elif isinstance(stmt, If):
                self.block(stmt.body)
                self.block(stmt.orelse)
            elif isinstance(stmt, Loop):
                if stmt.target is not None:
                    ranged = isinstance(stmt.iter, gast.Call) and self.parsed.resolve(
                        stmt.iter.func) in (range, np.arange)
                    self.set(stmt.target, SCALAR if ranged else stmt.target)
                    if ranged:
                        self.ints.add(stmt.target)
                self.block(stmt.body)
            elif isinstance(stmt, Carry):
                for carried, final in stmt.pairs:
                    if self.of(_load(final)) != self.of(_load(carried)):
                        self.unknown.add(carried)
                        self.set(carried, carried)

    def op(self, op: Op) -> str:
        if op.key in _LENGTH_KEYS:
            self.note_length(op)
        fixed, like, elementwise = self.kinds.get(id(op)) or self.kind(op)
        if fixed is not None:
            return fixed
        if like is not None:
            return self.of(op.args[like])
        if elementwise is None and self.callee_shapes is not None:  # no rule: yours?
            found = self.callee_shapes(op, self)
            if found is not None:
                self.signatures[id(op)], result = found
                if result is not None:
                    return self.static(result)
        shape = self.static_shape(op, elementwise) if len(self.dims) > 1 else None
        if shape is not None:
            return self.static(shape)
        if not elementwise:
            return op.target
        shaped = {self.of(a) for a in op.args} - {SCALAR}
        if not shaped:
            return SCALAR
        return shaped.pop() if len(shaped) == 1 else op.target

    def kind(self, op: Op) -> tuple:
        """What ``op`` alone says of its class (worked out once per operation): ``(class,
        None, False)`` if that settles it, ``(None, i, False)`` for the class of operand
        ``i``, else ``(None, None, elementwise)`` (``elementwise`` None: no rule)."""
        key = op.key
        if key == COPY:
            kind = (None, 0, False)
        elif key == CONSTANT:
            kind = (SCALAR if is_scalar_constant(op.value, self.parsed) else op.target, None,
                    False)
        elif id(key) in _SCALAR_RESULT_IDS or getattr(key, "__module__", "") == "math" or \
                _is_full_reduction(op):
            kind = (SCALAR, None, False)
        else:
            shaped_like = _SHAPED_LIKE_OPERAND.get(key) if callable(key) else None
            if shaped_like is not None and len(op.args) > shaped_like and \
                    "shape" not in op.kwargs:
                kind = (None, shaped_like, False)
            else:
                rule = lookup(key)
                kind = (None, None, None if rule is None and key not in _COMPARISONS else
                        (rule is not None and rule.elementwise) or key in _COMPARISONS)
        self.kinds[id(op)] = kind
        return kind

    def static_shape(self, op: Op, elementwise: bool) -> tuple | None:
        """The shape of ``op``'s result from its operands' static shapes, if known."""
        key, args = op.key, op.args
        if elementwise:
            shapes = [self.shape(a) for a in args]
            return broadcast(shapes) if shapes and None not in shapes else None
        if id(key) in _MATMUL_IDS and len(args) == 2 and not op.kwargs:
            a, b = self.shape(args[0]), self.shape(args[1])
            return matmul_shape(a, b) if a is not None and b is not None else None
        if key == "getitem":
            x = self.shape(args[0])
            return indexed_shape(x, args[1], self.ints) if x is not None else None
        if key == "ndarray.T":
            x = self.shape(args[0])
            return x[::-1] if x is not None else None
        if key in _AXIS_REDUCTIONS and args:
            return reduced_shape(self.shape(args[0]), op.args, op.kwargs)
        if key in _CREATIONS and args and not op.kwargs.keys() - {"dtype", "fill_value"}:
            shape = self.length_of(args[0])
            return (shape,) if shape is not None and not isinstance(shape, tuple) else shape
        return None

    def note_length(self, op: Op) -> None:
        """Remember the static lengths ``x.shape``, ``x.shape[k]``, ``len(x)`` and tuples
        of them hold, for arrays made from them (``np.zeros(W.shape[0])``)."""
        key, args = op.key, op.args
        if key == "ndarray.shape":
            value = self.shape(args[0])
        elif key is len:
            shape = self.shape(args[0])
            value = shape[0] if shape else None
        elif key == "getitem":
            shape = self.length_of(args[0])
            index = args[1]
            value = shape[index.value] if isinstance(shape, tuple) and isinstance(
                index, gast.Constant) and type(index.value) is int and -len(shape) <= \
                index.value < len(shape) else None
        else:  # a tuple
            items = [self.length_of(a) for a in args]
            value = tuple(items) if all(isinstance(i, (str, int)) for i in items) else None
        if value is None:
            self.lengths.pop(op.target, None)
        else:
            self.lengths[op.target] = value

    def length_of(self, atom):
        """The static length (a label, or 1) or shape an atom holds, or None."""
        if isinstance(atom, gast.Name):
            return self.lengths.get(atom.id) if atom.id not in self.unknown else None
        if isinstance(atom, gast.Constant) and atom.value == 1 and type(atom.value) is int:
            return 1
        return None


def may_stay_wide(op) -> bool:
    """Whether the adjoint of a value defined by ``op`` may keep a broadcast shape: yes for
    parameters (``op`` is None) and values made by copies and elementwise operations."""
    if op is None or op.key == COPY:
        return True
    rule = lookup(op.key)
    return rule is not None and rule.elementwise


def is_scalar_constant(expr, parsed: ParsedFunction) -> bool:
    """True for expressions that are numbers whatever the program's inputs: literals, module
    constants such as ``np.pi``, and arithmetic or math/NumPy elementwise calls on them."""
    if isinstance(expr, gast.Constant):
        return isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool)
    if isinstance(expr, gast.UnaryOp):
        return is_scalar_constant(expr.operand, parsed)
    if isinstance(expr, gast.BinOp):
        return is_scalar_constant(expr.left, parsed) and is_scalar_constant(expr.right, parsed)
    if isinstance(expr, gast.Attribute):
        owner = parsed.resolve(expr.value)
        return type(owner).__name__ == "module" and isinstance(
            getattr(owner, expr.attr, None), (int, float))
    if isinstance(expr, gast.Call) and not expr.keywords:
        func = parsed.resolve(expr.func)
        elementwise = isinstance(func, np.ufunc) or func is getattr(
            math, getattr(func, "__name__", ""), None)
        return elementwise and all(is_scalar_constant(a, parsed) for a in expr.args)
    return False


# runtime helpers whose result has the shape of one of their operands (by position)
_SHAPED_LIKE_OPERAND = {
    runtime.unreduce: 1, runtime.unbroadcast: 1, runtime.expand_to: 1, runtime.unindex: 1,
    runtime.zero_at: 1, runtime.matmul_adjoint_a: 1, runtime.matmul_adjoint_b: 2,
    runtime.dot_adjoint_a: 1, runtime.dot_adjoint_b: 2, runtime.zeros_like: 0,
    runtime.zero_tangent: 0, np.zeros_like: 0, np.ones_like: 0, np.empty_like: 0,
    np.full_like: 0,
}
_LENGTH_KEYS = ("ndarray.shape", len, "getitem", "tuple")
_CREATIONS = (np.zeros, np.ones, np.empty, np.full)  # new arrays of a given shape
_AXIS_REDUCTIONS = (np.sum, np.mean, np.max, np.min, np.amax, np.amin, np.prod, np.std,
                    np.var, "ndarray.sum", "ndarray.mean", "ndarray.max", "ndarray.min",
                    "ndarray.prod", "ndarray.std", "ndarray.var")
_COMPARISONS = (operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne)


def _load(name: str) -> gast.Name:
    return load_name(name)


def full_sum_operand(op):
    """``(x, mean)`` for ``np.sum(x)``, ``x.sum()``, ``np.mean(x)`` or ``x.mean()`` (no axis:
    every element of ``x`` gets the same adjoint), else ``(None, False)``."""
    if _is_full_reduction(op) and isinstance(op.args[0], gast.Name):
        return op.args[0], op.key is np.mean or op.key == "ndarray.mean"
    return None, False


def _is_full_reduction(op) -> bool:
    key = op.key
    known = key in _FULL_REDUCTIONS if isinstance(key, str) else id(key) in _FULL_REDUCTION_IDS
    return known and len(op.args) == 1 and not op.kwargs


def shape_sources(name: str, primal, shapes: ShapeClasses, limit: int = 4) -> tuple:
    """Values that, broadcast together, have the shape of ``name``: the parameters and
    non-elementwise results that the elementwise operations defining it start from (the
    function body's own level only; ``(name,)`` itself when that would take more than
    ``limit`` values or a value a loop reassigns). Nothing but their shapes is read, so the
    elementwise operations in between need not be computed for that."""
    if shapes.top is None:  # computed once per function
        shapes.top = {s.target: s for s in primal.body if isinstance(s, Op)}
        shapes.carried = {n for s in walk(primal.body) if isinstance(s, Loop)
                          for pair in s.carried.items() for n in pair}
        shapes.carried |= {n for s in walk(primal.body) if isinstance(s, Carry)
                           for pair in s.pairs for n in pair}
    carried, out = shapes.carried, _elementwise_sources(name, primal, shapes)
    if not out or len(out) > limit or carried & set(out):
        return (name,)
    params = primal.params
    return tuple(sorted(out, key=lambda n: params.index(n) if n in params else len(params)))


def _elementwise_sources(name: str, primal, shapes: ShapeClasses) -> list:
    """The sources ``shape_sources`` collects for ``name``, in depth-first order (worked out
    once per name; do not change the list)."""
    found = shapes.sources.get(name)
    if found is not None:
        return found
    op = shapes.top.get(name)
    # a constant array operand (`np.full((2, 3), 0.5) * m`) may widen the shape too:
    # then the value itself is the source
    if op is not None and (op.key == COPY or getattr(lookup(op.key), "elementwise", False)) \
            and all(isinstance(a, gast.Name) or shapes.of(a) == SCALAR for a in op.args):
        found = []
        for atom in op.args:
            if isinstance(atom, gast.Name) and shapes.of(atom) != SCALAR and not \
                    isinstance(primal.parsed.resolve(atom), (int, float)):
                found += [n for n in _elementwise_sources(atom.id, primal, shapes)
                          if n not in found]
    else:
        found = [name]
    shapes.sources[name] = found
    return found

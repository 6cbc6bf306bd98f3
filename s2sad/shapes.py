"""Static shapes: versions of a derivative specialized to the shapes of their arguments.

A call ``f(X, W, b)`` with arrays of shapes ``(4, 2)``, ``(2, 3)`` and ``(3,)`` runs a
derivative generated for the *signature* ``X: (n0, n1), W: (n1, n2), b: (n2,)``: each
argument's rank, with every axis either of length 1 or named by a label shared by the
axes of equal length (``shape_signature``). The same version serves every call whose
arguments have that signature (a batch of 5 rows instead of 4 included), and what it
assumes holds for all of them: two axes with different labels differ in length, so two
shapes broadcast together exactly as their labels do (``broadcast``), and ``a @ b`` has
the shape ``matmul_shape`` says. Scalars (Python and NumPy floats, ints) have shape ``()``.

With shapes known, the generated code sums an adjoint back to its operand's shape with
the axes written out (``bt1.sum(axis=0)``, ``reduce_to``) instead of calling
``unbroadcast``, and writes a matrix product's adjoints as in the course notes
(``bt2 @ W2.T``, ``np.outer(bt4, h)``: ``matmul_adjoints``) instead of calling
``matmul_adjoint_a``/``matmul_adjoint_b``, which look at the ranks at run time.
"""

from __future__ import annotations

import operator

import gast
import numpy as np

from .ir import clone

SCALAR_TYPES = (float, int, np.float64)
MATMULS = (operator.matmul, np.matmul, np.dot)


def shape_signature(params: list, args: tuple) -> tuple:
    """``((name, shape), ...)`` for the positional arguments that are scalars (shape
    ``()``) or arrays of rank 1 or more; axes of length 1 are ``1``, the others labels
    ``"n0"``, ``"n1"``, ... (equal lengths, equal labels). Other arguments (lists, 0-d
    arrays, ...) are left out: the derivative makes no assumption about them."""
    labels: dict = {}
    out = []
    for name, value in zip(params, args):
        kind = type(value)
        if kind in SCALAR_TYPES:
            out.append((name, ()))
        elif kind is np.ndarray and value.ndim:
            out.append((name, tuple(1 if n == 1 else labels.setdefault(n, f"n{len(labels)}")
                                    for n in value.shape)))
    return tuple(out)


def describe(signature: tuple) -> str:
    """``"X: (n0, n1), b: (n1,), s: scalar"``: a signature as a comment line shows it."""
    def one(shape):
        if not shape:
            return "scalar"
        return "(" + ", ".join(map(str, shape)) + (",)" if len(shape) == 1 else ")")

    return ", ".join(f"{name}: {one(shape)}" for name, shape in signature)


def broadcast(shapes: list) -> tuple | None:
    """The shape of an elementwise operation on values of these shapes, or None if they
    cannot broadcast together (the primal would raise: no shape to assume)."""
    rank = max(map(len, shapes))
    out = []
    for k in range(rank):
        axis = {s[len(s) - rank + k] for s in shapes if len(s) - rank + k >= 0} - {1}
        if len(axis) > 1:
            return None
        out.append(axis.pop() if axis else 1)
    return tuple(out)


def matmul_shape(a: tuple, b: tuple) -> tuple | None:
    """The shape of ``a @ b`` for operands of rank 1 or 2, else None."""
    if not (1 <= len(a) <= 2 and 1 <= len(b) <= 2) or a[-1] != b[0]:
        return None
    return a[:-1] + b[1:]


def matmul_adjoints(g: gast.Name, a: gast.Name, b: gast.Name, ranks: tuple, np_name):
    """The adjoints of ``a`` and ``b`` in ``ans = a @ b`` given the adjoint ``g`` of ``ans``
    and the operands' ranks (1 or 2): ``g @ b.T`` and ``a.T @ g`` for two matrices, an
    outer product where a vector meets a matrix, ``g * b`` and ``g * a`` for two vectors."""
    def outer(x, y):
        return gast.Call(gast.Attribute(clone(np_name), "outer", gast.Load()),
                         [clone(x), clone(y)], [])

    def mat(x, y):
        return gast.BinOp(clone(x), gast.MatMult(), clone(y))

    def t(x):
        return gast.Attribute(clone(x), "T", gast.Load())

    if ranks == (2, 2):
        return mat(g, t(b)), mat(t(a), g)
    if ranks == (2, 1):
        return outer(g, b), mat(g, a)
    if ranks == (1, 2):
        return mat(b, g), outer(a, g)
    return gast.BinOp(clone(g), gast.Mult(), clone(b)), gast.BinOp(clone(g), gast.Mult(),
                                                                   clone(a))


def indexed_shape(shape: tuple, index, ints: set = frozenset()) -> tuple | None:
    """The static shape of ``x[index]`` for ``x`` of ``shape`` (``ints``: names holding
    integers): integers drop an axis, ``:`` keeps it, ``:1`` and ``None`` make one of
    length 1, ``...`` keeps the rest; None for other indices (``x[1:]``, masks, arrays)."""
    items = index.elts if isinstance(index, gast.Tuple) else [index]
    out, axis = [], 0
    for k, item in enumerate(items):
        if isinstance(item, gast.Constant) and item.value is Ellipsis:
            rest = len(shape) - axis - sum(not _is_new_axis(i) for i in items[k + 1:])
            if rest < 0:
                return None
            out += shape[axis:axis + rest]
            axis += rest
        elif _is_new_axis(item):
            out.append(1)
        elif axis >= len(shape):
            return None
        elif (isinstance(item, gast.Name) and item.id in ints) or (
                isinstance(item, gast.Constant) and type(item.value) is int):
            axis += 1
        elif isinstance(item, gast.Slice) and item.step is None and item.lower is None \
                and (item.upper is None or isinstance(item.upper, gast.Constant)
                     and item.upper.value == 1 and type(item.upper.value) is int):
            out.append(shape[axis] if item.upper is None else 1)
            axis += 1
        else:
            return None
    return tuple(out) + shape[axis:]


def _is_new_axis(item) -> bool:
    return isinstance(item, gast.Constant) and item.value is None


def reduced_shape(shape, args: list, kwargs: dict) -> tuple | None:
    """The static shape of a reduction of a value of ``shape`` over constant axes
    (``np.sum(x, axis=1, keepdims=True)``, ``x.max(0)``), or None."""
    axis = kwargs.get("axis", args[1] if len(args) > 1 else None)
    keepdims = kwargs.get("keepdims", gast.Constant(False, None))
    if shape is None or set(kwargs) - {"axis", "keepdims", "ddof"} or len(args) > 2 \
            or not isinstance(keepdims, gast.Constant) or type(keepdims.value) is not bool:
        return None
    if isinstance(axis, gast.Constant) and type(axis.value) is int:
        axes = [axis.value]
    elif isinstance(axis, gast.Tuple) and all(isinstance(a, gast.Constant) and
                                               type(a.value) is int for a in axis.elts):
        axes = [a.value for a in axis.elts]
    else:
        return None
    if not all(-len(shape) <= a < len(shape) for a in axes):
        return None
    axes = {a % len(shape) for a in axes}
    if keepdims.value:
        return tuple(1 if k in axes else n for k, n in enumerate(shape))
    return tuple(n for k, n in enumerate(shape) if k not in axes)


def reduce_to(value, source: tuple, target: tuple):
    """``value``, of shape ``source`` (a broadcast of ``target``), summed back to
    ``target``: over the leading axes broadcasting added, then, keeping them, over the axes
    where ``target`` has length 1. None if ``source`` is not such a broadcast."""
    lead = len(source) - len(target)
    if lead < 0 or broadcast([source, target]) != source:
        return None
    if not target:
        return _sum(value, None, False)
    if lead:
        value = _sum(value, tuple(range(lead)), False)
    kept = tuple(k for k, n in enumerate(target) if n == 1 and source[lead + k] != 1)
    return _sum(value, kept, True) if kept else value


def _sum(value, axes, keepdims: bool):
    """``value.sum(axis=..., keepdims=True)``: ``value`` has a rank of 1 or more, so it is
    an array (and the method is quicker to call than ``np.sum``)."""
    keywords = []
    if axes is not None:
        axis = gast.Constant(axes[0], None) if len(axes) == 1 else gast.Tuple(
            [gast.Constant(k, None) for k in axes], gast.Load())
        keywords.append(gast.keyword("axis", axis))
    if keepdims:
        keywords.append(gast.keyword("keepdims", gast.Constant(True, None)))
    return gast.Call(gast.Attribute(value, "sum", gast.Load()), [], keywords)


def matmul_contributions(op, g: gast.Name, shapes, np_name) -> list:
    """``[(a, adjoint of a), (b, adjoint of b)]`` for ``op``, ``a @ b``, when ``shapes``
    (``broadcast.ShapeClasses``) knows both operands' ranks, 1 or 2; else ``[]``."""
    if not any(op.key is k for k in MATMULS) or len(op.args) != 2 or op.kwargs:
        return []
    a, b = op.args
    ranks = tuple(len(s) if s else 0 for s in map(shapes.shape, op.args))
    if not (isinstance(a, gast.Name) and isinstance(b, gast.Name)) or not set(ranks) <= {1, 2}:
        return []
    return list(zip(op.args, matmul_adjoints(g, a, b, ranks, np_name)))

"""Algebra on a derivative specialized to its arguments' shapes (part of stage 4).

Run by ``optimize`` on the versions ``shapes.shape_signature`` specializes, where the
shapes of the parameters, hence of most values, are known:

- ``unit_seed``: a gradient called without a seed runs a version where the seed is ``1.0``;
  a scalar adjoint that is a number (``bt5 = 0.5``) is read as that number further down,
  so constant factors fold (``bt4 * 2 * E`` -> ``E`` when ``bt4 = 0.5``);
- ``square_scalars``: ``s ** 2`` -> ``s * s`` for a scalar ``s`` (half the time);
- ``push_sums``: an adjoint the result only sums (``return bm.sum()``) is computed as its
  sum from the start, the way a hand derivation writes it: the sum goes through negations,
  scalar factors and sums (``sum(-bt0)`` -> ``-sum(bt0)``, ``sum(k * a)`` ->
  ``k * sum(a)``), a scalar spread over ``n`` elements sums to ``k * n``, and the sum of a
  product of two vectors is their dot product (``sum(a * b)`` -> ``a @ b``). Adjoints
  read only inside such sums become sums themselves, and values that are a scalar
  multiple of another (``bt1 = t1``, ``t1 = t0 / s``) are expanded, so no array of
  per-element adjoints is built when only their sums are needed. Sums of differences are
  never split into differences of sums of arrays (that would cancel catastrophically).

``unit_seed`` and ``push_sums`` run only on straight-line code (no loop or branch in the
function).
"""

from __future__ import annotations

import gast

from .ir import Block, Derivative, Line, clone, names_in, render
from .shapes import broadcast, matmul_shape


def _name(name: str) -> gast.Name:
    return gast.Name(name, gast.Load(), None, None)


def _target(item) -> str | None:
    if isinstance(item, Line) and isinstance(item.stmt, gast.Assign) and \
            len(item.stmt.targets) == 1 and isinstance(item.stmt.targets[0], gast.Name):
        return item.stmt.targets[0].id
    return None


def _straight(deriv: Derivative) -> bool:
    """No loop or branch, and every statement assigns one name (or is a note)."""
    return not deriv.pullback and all(
        isinstance(i, Line) and (i.note or _target(i) is not None)
        for i in deriv.primal + deriv.adjoint)


def _number(node) -> bool:
    return type(node) is gast.Constant and type(node.value) in (int, float)


# -- the unit seed ------------------------------------------------------------------------

def unit_seed(deriv: Derivative, simplify, floats: set | None) -> None:
    """Read the seed (the last parameter) as ``1.0`` and scalar adjoints assigned a number
    once as that number (``simplify(node, floats)`` folds them)."""
    if not _straight(deriv):
        return
    counts = _assignments(deriv.adjoint)
    seed = deriv.params[-1]
    if counts.get(seed):
        return
    values = {seed: gast.Constant(1.0, None)}
    for item in deriv.adjoint:
        if not isinstance(item, Line) or item.note:
            continue
        if not names_in(item.stmt.value) & set(values):
            continue
        _substitute(item.stmt, values)
        item.stmt = simplify(item.stmt, floats)
        name = _target(item)
        if name is not None and counts.get(name) == 1 and _number(item.stmt.value):
            values[name] = item.stmt.value
    keep = names_in(deriv.result)
    for name in list(values):
        if name in keep:
            del values[name]
    deriv.result = _substituted(deriv.result, values)


def surely_float(node, floats: set) -> bool:
    """Whether an expression's value is floating point: it mentions a float number or a
    value known to be float (and is not a comparison)."""
    if isinstance(node, (gast.Compare, gast.BoolOp)) or (
            isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.Not)):
        return False
    return bool(names_in(node) & floats) or any(
        type(sub) is gast.Constant and type(sub.value) is float for sub in gast.walk(node))


def _assignments(code: list) -> dict:
    counts: dict = {}
    for item in code:
        if isinstance(item, Line) and isinstance(item.stmt, gast.Assign):
            for target in item.stmt.targets:
                for n in names_in(target):
                    counts[n] = counts.get(n, 0) + 1
    return counts


def _substitute(stmt, values: dict) -> None:
    if isinstance(stmt, gast.Assign):
        stmt.value = _substituted(stmt.value, values)


def _substituted(node, values: dict):
    if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) and node.id in values:
        return clone(values[node.id])
    for field in node._fields:
        value = getattr(node, field, None)
        if isinstance(value, list):
            setattr(node, field, [_substituted(v, values) if isinstance(v, gast.AST) else v
                                  for v in value])
        elif isinstance(value, gast.AST):
            setattr(node, field, _substituted(value, values))
    return node


# -- static shapes of the generated code ----------------------------------------------------

def infer(node, env: dict):
    """The static shape of an expression (labels as in ``shapes.shape_signature``)."""
    kind = type(node)
    if kind is gast.Name:
        return env.get(node.id)
    if kind is gast.Constant:
        return () if type(node.value) in (int, float) else None
    if kind is gast.UnaryOp and isinstance(node.op, (gast.USub, gast.UAdd)):
        return infer(node.operand, env)
    if kind is gast.BinOp:
        left, right = infer(node.left, env), infer(node.right, env)
        if left is None or right is None:
            return None
        if isinstance(node.op, gast.MatMult):
            return matmul_shape(left, right) if left and right else None
        if isinstance(node.op, (gast.Add, gast.Sub, gast.Mult, gast.Div, gast.Pow)):
            return broadcast([left, right])
        return None
    if kind is gast.Call and not node.keywords:
        func = node.func
        if isinstance(func, gast.Attribute) and func.attr == "sum" and not node.args and \
                infer(func.value, env) is not None:
            return ()
        if isinstance(func, gast.Name) and func.id == "len" and len(node.args) == 1 and \
                infer(node.args[0], env):
            return ()
    return None


# -- sums pushed up the adjoint ---------------------------------------------------------------

def _sum_of(node) -> str | None:
    """``v`` for ``v.sum()``."""
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) and \
            node.func.attr == "sum" and not node.args and not node.keywords and \
            isinstance(node.func.value, gast.Name):
        return node.func.value.id
    return None


def _call_sum(node):
    return gast.Call(gast.Attribute(node, "sum", gast.Load()), [], [])


def _bin(left, op, right):
    return gast.BinOp(left, op, right)


class _Sums:
    """One attempt at computing the adjoints in ``summed`` (name -> shape) as their sums."""

    def __init__(self, deriv: Derivative, signature: tuple):
        self.deriv = deriv
        self.env = {name: shape for name, shape in signature}
        self.params = [name for name, _ in signature]
        self.defs: dict = {}  # name -> its one defining expression (primal or adjoint)
        self.count: dict = {}
        self.at: list = []  # the shapes in scope before each adjoint line
        self.adjoint_names: set = set()
        self.in_result: set = set()
        for item in deriv.primal:
            self._define(item)
        for item in deriv.adjoint:
            self.at.append(dict(self.env))
            name = self._define(item)
            if name is not None:
                self.adjoint_names.add(name)
        self.reads: dict = {}
        for item in deriv.adjoint:
            if isinstance(item, Line) and not item.note:
                for node in gast.walk(item.stmt):
                    if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load):
                        self.reads[node.id] = self.reads.get(node.id, 0) + 1
        for node in gast.walk(deriv.result):
            if isinstance(node, gast.Name):
                self.reads[node.id] = self.reads.get(node.id, 0) + 1

    def _define(self, item) -> str | None:
        name = _target(item)
        if name is None:
            return None
        self.count[name] = self.count.get(name, 0) + 1
        self.defs[name] = item.stmt.value
        self.env[name] = infer(item.stmt.value, self.env)
        return name

    def size(self, shape: tuple):
        for name in self.params:
            if self.env.get(name) == shape and not self.count.get(name):
                if len(shape) == 1:
                    return gast.Call(_name("len"), [_name(name)], [])
                return gast.Attribute(_name(name), "size", gast.Load())
        return None

    def linear(self, name: str):
        """The definition of ``name`` if it is a scalar multiple of one array (a copy,
        a negation, a product with or quotient by a scalar) of names assigned once."""
        value = self.defs.get(name)
        if value is None or self.count.get(name) != 1 or any(
                self.count.get(n, 0) > 1 for n in names_in(value)):
            return None
        if isinstance(value, gast.Name):
            return value
        if name in self.adjoint_names:  # an adjoint of its own: summed rather than expanded
            return None
        if isinstance(value, gast.UnaryOp) and isinstance(value.op, gast.USub):
            return value
        if isinstance(value, gast.BinOp) and isinstance(value.op, (gast.Mult, gast.Div)):
            sides = (value.right,) if isinstance(value.op, gast.Div) else (value.left,
                                                                           value.right)
            if any(infer(s, self.env) == () for s in sides):
                return value
        return None

    def run(self, summed: dict) -> dict | None:
        """New values of the adjoint lines (index -> expression), or None if some adjoint
        in ``summed`` is read outside a sum; ``self.wanted`` counts the reads of other
        adjoints inside sums."""
        self.summed, self.used, self.wanted, self.expanded = summed, {}, {}, set()
        out = {}
        for i, item in enumerate(self.deriv.adjoint):
            name = _target(item)
            if name in summed:
                self.env_now = self.at[i]
                value = self.sum(item.stmt.value, summed[name])
                if value is None:
                    raise _Fail(name)
                out[i] = value
        for v in summed:
            if self.used.get(v, 0) + (v in self.in_result) != self.reads.get(v, 0):
                raise _Fail(v)
        return out

    def shape(self, node):
        return infer(node, self.env_now)

    def sum(self, node, target: tuple):
        """The sum over ``target`` of ``node`` (broadcast to ``target``), or None."""
        if isinstance(node, gast.Name) and self.summed.get(node.id) == target:
            self.used[node.id] = self.used.get(node.id, 0) + 1
            return _name(node.id)  # already a sum over ``target``
        shape = self.shape(node)
        if shape == ():
            if not target:
                return node
            size = self.size(target)
            return None if size is None else _bin(clone(node), gast.Mult(), size)
        if shape != target:
            return None
        if isinstance(node, gast.Name):
            name = node.id
            value = self.linear(name)
            if value is not None:
                self.expanded.add(name)
                return self.sum(value, target)
            if name in self.adjoint_names:
                self.wanted[name] = self.wanted.get(name, 0) + 1
            return _call_sum(_name(name))
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
            inner = self.sum(node.operand, target)
            return None if inner is None else gast.UnaryOp(gast.USub(), inner)
        if isinstance(node, gast.BinOp):
            left, right = self.shape(node.left), self.shape(node.right)
            op = node.op
            if isinstance(op, (gast.Add, gast.Sub)):
                a, b = self.sum(node.left, target), self.sum(node.right, target)
                return None if a is None or b is None else _bin(a, op, b)
            if isinstance(op, gast.Mult) and left == ():
                inner = self.sum(node.right, target)
                return None if inner is None else _bin(clone(node.left), op, inner)
            if isinstance(op, (gast.Mult, gast.Div)) and right == ():
                inner = self.sum(node.left, target)
                return None if inner is None else _bin(inner, op, clone(node.right))
            if isinstance(op, gast.Mult) and left == right == target and len(target) == 1:
                return self.dot(node.left, node.right)
        return _call_sum(self.plain(node))

    def plain(self, node):
        """``node`` with its names read as arrays (an adjoint in ``summed`` cannot be)."""
        for n in names_in(node):
            if n in self.summed:
                self.used[n] = -10 ** 6  # read as an array: fails the count check
        return clone(node)

    def dot(self, a, b):
        for first, second, swap in ((a, b, False), (b, a, True)):
            if isinstance(first, gast.Name):
                value = self.linear(first.id)
                if value is not None:
                    self.expanded.add(first.id)
                    return self.dot(value, second) if not swap else self.dot(second, value)
            if isinstance(first, gast.UnaryOp) and isinstance(first.op, gast.USub):
                inner = self.dot(first.operand, second)
                return gast.UnaryOp(gast.USub(), inner)
            if isinstance(first, gast.BinOp) and isinstance(first.op, (gast.Mult, gast.Div)):
                if self.shape(first.right) == ():
                    return _bin(self.dot(first.left, second), first.op, clone(first.right))
                if isinstance(first.op, gast.Mult) and self.shape(first.left) == ():
                    return _bin(clone(first.left), first.op, self.dot(first.right, second))
        return _bin(self.plain(a), gast.MatMult(), self.plain(b))


class _Fail(Exception):
    pass


def push_sums(deriv: Derivative, signature: tuple) -> None:
    if not signature or not _straight(deriv):
        return
    results = deriv.result.elts if isinstance(deriv.result, gast.Tuple) else [deriv.result]
    sums = _Sums(deriv, signature)
    summed = {}
    for node in results:
        v = _sum_of(node)
        if v in sums.adjoint_names and sums.env.get(v):
            summed[v] = sums.env[v]
            sums.in_result.add(v)
    plan = None
    while summed:
        try:
            plan = sums.run(summed)
        except _Fail as failed:
            del summed[failed.args[0]]
            continue
        more = {w: sums.env[w] for w, n in sums.wanted.items()
                if w not in summed and n == sums.reads.get(w) and sums.env.get(w) and
                sums.count.get(w) == sum(1 for i in deriv.adjoint if _target(i) == w)}
        if not more:
            break
        summed.update(more)
    if not summed or plan is None:
        return
    for i, value in plan.items():
        deriv.adjoint[i].stmt.value = value
    if isinstance(deriv.result, gast.Tuple):
        deriv.result.elts = [_name(_sum_of(n)) if _sum_of(n) in summed else n
                             for n in results]
    elif _sum_of(deriv.result) in summed:
        deriv.result = _name(_sum_of(deriv.result))
    _note_unread(deriv, sums.expanded)


def _note_unread(deriv: Derivative, names: set) -> None:
    """Adjoint lines of ``names`` nothing reads any more become notes (comments)."""
    reads = names_in(deriv.result)
    for item in reversed(deriv.adjoint):
        name = _target(item)
        if name in names and name not in reads and not item.note:
            text = render(item.stmt)
            item.comment = f"{text}  ({item.comment}: in the sums below)" if item.comment \
                else f"{text}  (in the sums below)"
            item.stmt, item.note = gast.Pass(), True
            continue
        if isinstance(item, Line) and not item.note:
            reads |= names_in(item.stmt.value) if isinstance(item.stmt, gast.Assign) \
                else names_in(item.stmt)


# -- squares of scalars ------------------------------------------------------------------------

def square_scalars(code: list, scalars: set) -> None:
    """``s ** 2`` -> ``s * s`` for a value ``s`` known to be a scalar (the same number, in
    half the time; for arrays ``** 2`` is as quick)."""
    if not scalars:
        return
    for item in code:
        if isinstance(item, Block):
            square_scalars(item.body, scalars)
            square_scalars(item.orelse, scalars)
            continue
        for node in gast.walk(item.stmt):
            if isinstance(node, gast.BinOp) and isinstance(node.op, gast.Pow) and \
                    isinstance(node.right, gast.Constant) and node.right.value == 2 and \
                    isinstance(node.left, gast.Name) and node.left.id in scalars:
                node.op, node.right = gast.Mult(), _name(node.left.id)

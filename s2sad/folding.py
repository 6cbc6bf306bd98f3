"""Compile-time folding of rule bodies, and node replacement.

Rules are written for every option (``... if axis is None else ...``); once an operation's
options are substituted as literals, ``fold_static_choices`` keeps the branch that applies,
so the generated code shows only it. ``replace_nodes`` copies a tree with chosen nodes
swapped (forward mode puts tangents in place of operands).
"""

from __future__ import annotations

import operator

import gast

from .ir import clone

_CMP = {gast.Is: operator.is_, gast.IsNot: operator.is_not, gast.Eq: operator.eq,
        gast.NotEq: operator.ne}


def replace_nodes(tree, swap: dict):
    """A copy of ``tree`` with the nodes whose ids are keys of ``swap`` replaced."""
    if id(tree) in swap:
        return clone(swap[id(tree)])
    if isinstance(tree, list):
        return [replace_nodes(item, swap) for item in tree]
    if not isinstance(tree, gast.AST):
        return tree
    fields = {name: replace_nodes(getattr(tree, name), swap) for name in tree._fields}
    return type(tree)(**fields)


def fold_static_choices(expr):
    """Resolve ``a if <constant test> else b`` left by rules whose options are literals."""
    if type(expr) is gast.IfExp:
        test = static_truth(fold_static_choices(expr.test))
        if test is not None:
            return fold_static_choices(expr.body if test else expr.orelse)
    for key, value in expr.__dict__.items():
        if value.__class__ is list:
            expr.__dict__[key] = [fold_static_choices(v) if isinstance(v, gast.AST) else v
                                  for v in value]
        elif isinstance(value, gast.AST) and value._fields:
            expr.__dict__[key] = fold_static_choices(value)
    return expr


def static_truth(test):
    """The truth of a test made of literals (``None is None``, ``axis == 0``), or None."""
    if isinstance(test, gast.Constant):
        return bool(test.value)
    if isinstance(test, gast.BoolOp):
        values = [static_truth(v) for v in test.values]
        if isinstance(test.op, gast.Or) and True in values:
            return True
        if isinstance(test.op, gast.And) and False in values:
            return False
        return None if None in values else isinstance(test.op, gast.And)
    if isinstance(test, gast.Compare) and len(test.ops) == 1 and type(test.ops[0]) in _CMP:
        left, right = literal(test.left), literal(test.comparators[0])
        if left is not _UNKNOWN and right is not _UNKNOWN:
            return _CMP[type(test.ops[0])](left, right)
    return None


_UNKNOWN = object()


_TYPES = {t.__name__: t for t in (int, float, bool, complex)}


def literal(node):
    """The value of a literal constant or tuple of literals, else ``_UNKNOWN``."""
    if isinstance(node, gast.Constant):
        return node.value
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
        value = literal(node.operand)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value if isinstance(node.op, gast.USub) else value
        return _UNKNOWN
    if isinstance(node, gast.Name) and node.id in _TYPES:
        return _TYPES[node.id]  # a dtype written as a built-in type (`dtype=int`)
    if isinstance(node, gast.Tuple):
        items = tuple(literal(e) for e in node.elts)
        return _UNKNOWN if any(i is _UNKNOWN for i in items) else items
    return _UNKNOWN

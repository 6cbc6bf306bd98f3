"""Fast walks over gast trees (the transform visits each tree many times).

Contract: ``nodes(tree)`` lists every node of ``tree`` (``tree`` first, then in no
particular order), like ``gast.walk`` but several times faster and without the expression
contexts (``Load()``, ``Store()``) and operators (``Add()``), which have no fields;
``names_in(tree)`` is the set of every ``Name`` id in it. Both read only the fields a node
class declares (``_fields``), as do ``rename`` (in place) and ``mentions`` (a test).
``load_name``/``store_name`` (and ``assign_node``, ``binop_node``, ``call_node``) build
nodes quickly; ``clone`` copies a tree.
"""

from __future__ import annotations

import gast

_AST = gast.AST
_NAME = gast.Name
_CONSTANT = gast.Constant
# fields that never hold a subtree (strings, numbers, contexts, operators)
_SKIP = frozenset(("ctx", "type_comment", "kind", "op", "ops", "id", "attr", "arg", "level",
                   "is_async", "conversion", "simple"))
_FIELDS: dict = {}  # node class -> the fields that may hold a subtree


def subtree_fields(cls) -> tuple:
    """The fields of a node class that may hold a subtree (none for ``Constant``)."""
    fields = _FIELDS.get(cls)
    return fields if fields is not None else _fields_of(cls)


def _fields_of(cls) -> tuple:
    fields = _FIELDS.get(cls)
    if fields is None:
        fields = () if cls is gast.Constant else tuple(
            f for f in cls._fields if f not in _SKIP)
        _FIELDS[cls] = fields
    return fields


def nodes(tree, prune=None) -> list:
    """Every node of ``tree`` but the expression contexts (and but those inside the node
    ``prune``, if given)."""
    out, stack = [], [tree]
    pop, push, add = stack.pop, stack.append, out.append
    fields_of = _FIELDS.get
    while stack:
        node = pop()
        add(node)
        if node is prune:
            continue
        cls = node.__class__
        fields = fields_of(cls) or _fields_of(cls)
        attrs = node.__dict__
        for name in fields:
            value = attrs.get(name)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, _AST):
                        push(item)
            elif isinstance(value, _AST):
                push(value)
    return out


def names_in(tree) -> set:
    """Every name an expression (or statement) mentions."""
    if tree.__class__ is _NAME:
        return {tree.id}
    names: set = set()
    _collect_names(tree, names.add)
    return names


def _collect_names(node, add) -> None:
    # recursive (one frame per level: parsing bounds the depth far below the limit), with
    # names and constants handled in place: most subtrees are one of them
    attrs = node.__dict__
    for name in _FIELDS.get(node.__class__) or _fields_of(node.__class__):
        value = attrs.get(name)
        cls = value.__class__
        if cls is _NAME:
            add(value.id)
        elif cls is list:
            for item in value:
                kind = item.__class__
                if kind is _NAME:
                    add(item.id)
                elif kind is not _CONSTANT and isinstance(item, _AST):
                    _collect_names(item, add)
        elif cls is not _CONSTANT and isinstance(value, _AST):
            _collect_names(value, add)


def rename(tree, mapping: dict) -> None:
    """Rename the ``Name`` nodes of ``tree`` whose ids ``mapping`` maps, in place."""
    if tree.__class__ is _NAME:
        tree.id = mapping.get(tree.id, tree.id)
        return
    attrs = tree.__dict__
    for name in _FIELDS.get(tree.__class__) or _fields_of(tree.__class__):
        value = attrs.get(name)
        if value.__class__ is list:
            for item in value:
                if item.__class__ is not _CONSTANT and isinstance(item, _AST):
                    rename(item, mapping)
        elif value.__class__ is not _CONSTANT and isinstance(value, _AST):
            rename(value, mapping)


def mentions(tree, names, kinds: tuple) -> bool:
    """Whether ``tree`` holds a node of one of the classes ``kinds``, or a ``Name`` whose id
    is in ``names`` or which is marked ``ssa`` (``flatten.ssa_name``)."""
    cls = tree.__class__
    if cls is _NAME:
        return tree.id in names or "ssa" in tree.__dict__ and tree.ssa
    if cls in kinds:
        return True
    attrs = tree.__dict__
    for name in _FIELDS.get(cls) or _fields_of(cls):
        value = attrs.get(name)
        if value.__class__ is list:
            for item in value:
                if item.__class__ is not _CONSTANT and isinstance(item, _AST) and \
                        mentions(item, names, kinds):
                    return True
        elif value.__class__ is not _CONSTANT and isinstance(value, _AST) and \
                mentions(value, names, kinds):
            return True
    return False


# -- fast constructors: ``gast.Name(id, gast.Load(), None, None)`` costs several times more
LOAD, STORE = gast.Load(), gast.Store()  # contexts are shared, as ``ast.parse`` shares them
_new = _AST.__new__


def load_name(name: str) -> gast.Name:
    """The expression reading ``name`` (``gast.Name(name, gast.Load(), None, None)``)."""
    node = _new(_NAME)
    attrs = node.__dict__
    attrs["id"], attrs["ctx"], attrs["annotation"], attrs["type_comment"] = \
        name, LOAD, None, None
    return node


def store_name(name: str) -> gast.Name:
    """The target ``name`` of an assignment (``gast.Name(name, gast.Store(), None, None)``)."""
    node = _new(_NAME)
    attrs = node.__dict__
    attrs["id"], attrs["ctx"], attrs["annotation"], attrs["type_comment"] = \
        name, STORE, None, None
    return node


def assign_node(target, value) -> gast.Assign:
    """``gast.Assign([target], value, None)``."""
    node = _new(gast.Assign)
    attrs = node.__dict__
    attrs["targets"], attrs["value"], attrs["type_comment"] = [target], value, None
    return node


def binop_node(left, op, right) -> gast.BinOp:
    """``gast.BinOp(left, op, right)``."""
    node = _new(gast.BinOp)
    attrs = node.__dict__
    attrs["left"], attrs["op"], attrs["right"] = left, op, right
    return node


def call_node(func, args: list, keywords: list) -> gast.Call:
    """``gast.Call(func, args, keywords)``."""
    node = _new(gast.Call)
    attrs = node.__dict__
    attrs["func"], attrs["args"], attrs["keywords"] = func, args, keywords
    return node


def clone(node):
    """A deep copy of a gast tree (much faster than ``copy.deepcopy``; leaves such as
    strings and numbers are shared, as they are immutable)."""
    cls = node.__class__
    if cls is _NAME and node.__dict__.get("annotation") is None:  # all leaves
        new = _new(_NAME)
        new.__dict__.update(node.__dict__)
        return new
    if cls is list:
        return [clone(n) for n in node]
    if not isinstance(node, gast.AST) or not node._fields:
        return node  # leaves, and contexts and operators (``Load()``, ``Add()``): shared
    new = cls.__new__(cls)
    fields = new.__dict__
    for key, value in node.__dict__.items():
        fields[key] = clone(value) if value.__class__ is list or isinstance(
            value, gast.AST) else value
    return new

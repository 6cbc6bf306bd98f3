"""Inline a derivative rule at one primal operation.

``Inliner.reverse(op, g)`` binds the operation's operands to the rule's parameters, substitutes
them (and ``g``, ``ans``) into the rule's returned expressions, links the rule's global names
(``np``, ``unbroadcast``) to names the generated code can see, and folds the rule's static
choices (``... if axis is None else ...``). It returns ``(operand, contribution)`` pairs.
"""

from __future__ import annotations

import builtins
import inspect

import gast
import numpy as np

from . import runtime_tangents
from .binding import bind_operands
from .errors import NoRuleError
from .folding import fold_static_choices, literal, replace_nodes, static_truth
from .ir import Op, clone
from .linker import Linker, spelling
from .nodes import load_name, subtree_fields
from .parse import UNRESOLVED, ParsedFunction
from .rules import Rule, TangentRule, lookup, lookup_tangent


class Inliner:
    def __init__(self, parsed: ParsedFunction, linker: Linker):
        self.parsed = parsed
        self.linker = linker

    def reverse(self, op: Op, g: str) -> list:
        """``[(operand atom, contribution expression), ...]`` for the operands of ``op``."""
        rule = self._rule(op)
        bound = self._bind(rule, op)
        params = rule.operands
        env = {"g": load_name(g),
               "ans": load_name(op.target)}
        env.update({name: value if value.__class__ is gast.Name else self._as_expr(value)
                    for name, value in bound.items()})
        out = []
        for param, expr in zip(params, rule.returns):
            if expr is None or not isinstance(bound.get(param), gast.Name):
                continue
            out.append((bound[param], self._substitute(expr, rule, env, bound)))
        return out

    def forward(self, op: Op, tangent) -> gast.expr | None:
        """The tangent of ``op``'s output, given ``tangent(name)``: the tangent variable of
        an operand (None when the operand is not being differentiated)."""
        own = lookup_tangent(op.key)
        value = self._tangent_rule(own, op, tangent) if own else self._derived_tangent(op, tangent)
        if value is None or own and not own.declared and any(
                isinstance(n, gast.Name) and n.id == "dtype"
                for e in own.returns for n in gast.walk(e)):
            return value  # a rule that reads `dtype` handles it
        sig, skip = (own.signature, 0) if own else (lookup(op.key).signature, 2)
        dtype = self._bind_to(sig, skip, op).get("dtype")
        if dtype is None or literal(dtype) is None:
            return value
        # computed in an integer or boolean dtype, the output is a step function: astype_tangent
        # makes the tangent zero then, as the reverse rules make the adjoint
        cast = self.linker.name("astype_tangent", runtime_tangents.astype_tangent)
        return gast.Call(cast, [value, _load(op.target), clone(self._as_expr(dtype))],
                         [])

    def _derived_tangent(self, op: Op, tangent):
        """The tangent of ``op`` from the declarations of its reverse rule."""
        if lookup(op.key) is None and str(getattr(op.key, "__module__", "")).startswith(
                "s2sad."):
            raise NoRuleError(
                f"no forward-mode (tangent) rule for {spelling(op)}", op.loc,
                hint="a gradient's code calls this helper: second derivatives (hvp, hessian) "
                "through the operation it differentiates are not supported yet")
        rule = self._rule(op)
        bound = self._bind(rule, op)
        params = rule.operands
        differentiable = [(param, bound[param]) for param in rule.differentiable
                          if isinstance(bound.get(param), gast.Name)]
        active = [(p, atom) for p, atom in differentiable if tangent(atom.id)]
        if not active:
            return None
        if rule.elementwise:
            env = {"ans": load_name(op.target)}
            env.update({name: self._as_expr(value) for name, value in bound.items()})
            terms = []
            for param, expr in zip(params, rule.returns):
                atom = bound.get(param)
                if expr is None or not isinstance(atom, gast.Name) or not tangent(atom.id):
                    continue
                env["g"] = load_name(tangent(atom.id))
                terms.append(self._substitute(expr, rule, env, bound))
            return _total(terms)
        if rule.linear:  # every differentiable operand by its tangent, a literal's is zero
            zeros = self.linker.runtime("zero_tangent")
            swap = {}
            for param in rule.differentiable:
                atom = bound.get(param)
                if isinstance(atom, gast.Name) and tangent(atom.id):
                    swap[id(atom)] = _load(tangent(atom.id))
                elif isinstance(atom, gast.Constant) and type(atom.value) in (int, float):
                    swap[id(atom)] = gast.Constant(0.0, None)
                elif isinstance(atom, gast.AST) and not _is_none(atom):
                    swap[id(atom)] = gast.Call(zeros, [clone(atom)], [])
            return replace_nodes(op.value, swap)
        if rule.multilinear:
            return _total([replace_nodes(op.value, {id(atom): _load(tangent(atom.id))})
                           for _, atom in active])
        raise NoRuleError(
            f"no forward-mode (tangent) rule for {spelling(op)}", op.loc,
            hint="its reverse rule is neither elementwise nor (multi)linear; give it a "
            "tangent with @s2sad.rule(..., tangent=...), or use reverse mode")

    def _tangent_rule(self, rule: TangentRule, op: Op, tangent):
        """Inline a registered tangent rule (``registry.tangent``) at ``op``."""
        bound = self._bind_to(rule.signature, 0, op)
        atoms = {p: bound.get(p) for p in rule.tangents}
        active = [p for p, atom in atoms.items()
                  if isinstance(atom, gast.Name) and tangent(atom.id)]
        if not active:
            return None
        zeros = self.linker.runtime("zero_tangent")

        def tangent_of(param):
            atom = atoms[param]
            if param in active:
                return _load(tangent(atom.id))
            return gast.Call(zeros, [clone(self._as_expr(atom))], [])

        if rule.linear:
            swap = {id(atom): tangent_of(p) for p, atom in atoms.items()
                    if isinstance(atom, gast.AST)}
            return replace_nodes(op.value, swap)
        if rule.multilinear:
            return _total([replace_nodes(op.value, {id(atoms[p]): tangent_of(p)})
                           for p in active])
        env = {"ans": _load(op.target)}
        env.update({name: self._as_expr(value) for name, value in bound.items()})
        env.update({dparam: tangent_of(p) for p, dparam in rule.tangents.items()})
        if rule.joint:
            expressions = rule.returns
        else:
            expressions = [e for p, e in zip(rule.tangents, rule.returns) if p in active]
        terms = [self._substitute(e, rule, env, bound) for e in expressions]
        return _total(terms)

    def _rule(self, op: Op) -> Rule:
        rule = lookup(op.key)
        if rule is None:
            name = spelling(op)
            raise NoRuleError(
                f"no derivative rule for {name}",
                op.loc,
                hint=f"register one with @s2sad.rule({name}) (see README, 'Custom rules'), or "
                "if no gradient should flow through it, wrap its input in "
                "s2sad.stop_gradient(...)",
            )
        return rule

    def _as_expr(self, value):
        """A bound operand as an expression: atoms stay, an index with slices becomes
        ``np.s_[...]``, tuples of atoms (``*shape``) a tuple, Python defaults literals."""
        if isinstance(value, tuple):
            return gast.Tuple([self._as_expr(v) for v in value], gast.Load())
        if not isinstance(value, gast.AST):
            return gast.Constant(value, None)
        parts = value.elts if isinstance(value, gast.Tuple) else [value]
        if any(isinstance(p, gast.Slice) for p in parts):
            index_maker = gast.Attribute(self.linker.name("np", np), "s_", gast.Load())
            return gast.Subscript(index_maker, value, gast.Load())
        return value

    def _bind(self, rule: Rule, op: Op) -> dict:
        return self._bind_to(rule.signature, 2, op)

    def _bind_to(self, sig, skip: int, op: Op) -> dict:
        """The operation's operands by parameter name, past the ``skip`` leading parameters
        (``g`` and ``ans`` of a reverse rule)."""
        try:
            return bind_operands(sig, skip, op.args, op.kwargs)
        except TypeError as exc:
            raise NoRuleError(
                f"{spelling(op)} is called with arguments its derivative rule does not "
                f"handle ({exc})",
                op.loc,
                hint=f"the rule accepts ({', '.join(list(sig.parameters)[skip:])}); call it "
                "that way, or register your own rule with @s2sad.rule",
            ) from None

    def _substitute(self, expr, rule: Rule, env: dict, raw: dict):
        """A copy of a rule's returned expression with its parameters replaced by the
        operands (``env``; ``raw`` for indexes, which keep their syntax), its free names
        linked and its static choices folded (``expr`` itself is left as it is)."""
        return _Substitute(rule, env, raw, self.linker).copy(expr)


class _Substitute:
    """One substitution (a plain recursive copy: a ``NodeTransformer`` costs several times
    more on these small trees), folding static choices as it goes: of ``a if <literal test>
    else b`` only the branch that applies is copied (``folding.fold_static_choices``)."""

    def __init__(self, rule: Rule, env: dict, raw: dict, linker: Linker):
        self.rule, self.env, self.raw, self.linker = rule, env, raw, linker

    def copy(self, node):
        cls = node.__class__
        if cls is list:
            return [self.copy(n) for n in node]
        if cls is gast.Name:
            return self.name(node)
        fields = _COPIED.get(cls)
        if fields is None:
            fields = _copied_fields(cls)
        if fields is _SHARED:
            return node
        if cls is gast.IfExp:
            truth = static_truth(self.copy(node.test))
            if truth is not None:
                return self.copy(node.body if truth else node.orelse)
        if cls is gast.Subscript and node.slice.__class__ is gast.Name and \
                node.slice.id in self.raw:  # g[index] keeps index syntax
            return gast.Subscript(self.copy(node.value), _folded(self.raw[node.slice.id]),
                                  node.ctx)
        new = _new(cls)
        attrs = new.__dict__
        attrs.update(node.__dict__)
        for key in fields:
            value = attrs.get(key)
            if value.__class__ is list or isinstance(value, _AST):
                attrs[key] = self.copy(value)
        if cls is gast.Call:
            _drop_default_keywords(new, self.linker)
        return new

    def name(self, node):
        rule, linker = self.rule, self.linker
        if node.id in self.env:
            return _folded(self.env[node.id])
        if node.id in rule.namespace:
            return linker.name(node.id, rule.namespace[node.id])
        if hasattr(builtins, node.id):
            return linker.name(node.id, getattr(builtins, node.id))
        raise TypeError(f"rule {rule.name} reads unknown name {node.id!r}")


_AST = gast.AST
_new = _AST.__new__
_SHARED = ("(shared)",)  # leaves, contexts and operators: not copied
_COPIED: dict = {}  # node class -> the fields a copy copies (``_SHARED``: none, not the node)


def _copied_fields(cls) -> tuple:
    """The fields of a node class that may hold a subtree or a list (``Compare.ops``)."""
    if not issubclass(cls, _AST) or not cls._fields:
        fields = _SHARED
    else:
        fields = subtree_fields(cls) + tuple(f for f in ("ops",) if f in cls._fields)
    _COPIED[cls] = fields
    return fields


def _folded(operand):
    """A copy of a substituted operand, its static choices folded."""
    copied = clone(operand)
    return copied if copied.__class__ is gast.Name else fold_static_choices(copied)


def _drop_default_keywords(call: gast.Call, linker: Linker) -> None:
    """Omit keyword arguments a runtime helper would get by default anyway."""
    if not isinstance(call.func, gast.Name):
        return
    func = linker.imports.get(call.func.id, linker.parsed.lookup(call.func.id))
    if func is UNRESOLVED or not str(getattr(func, "__module__", "")).startswith("s2sad."):
        return
    defaults = _DEFAULTS.get(func)
    if defaults is None:
        defaults = _DEFAULTS[func] = {n: p.default for n, p in
                                      inspect.signature(func).parameters.items()}
    call.keywords = [kw for kw in call.keywords if not _is_default(kw, defaults)]


_DEFAULTS: dict = {}  # runtime helper -> its parameters' defaults


def _is_default(kw: gast.keyword, defaults: dict) -> bool:
    if not isinstance(kw.value, gast.Constant) or kw.arg not in defaults:
        return False
    value, default = kw.value.value, defaults[kw.arg]
    return type(value) is type(default) and value == default


def _load(name: str) -> gast.Name:
    return load_name(name)


def _total(terms: list):
    """``a + b - c`` from the terms ``[a, b, -c]``."""
    total = terms[0]
    for term in terms[1:]:
        if isinstance(term, gast.UnaryOp) and isinstance(term.op, gast.USub):
            total = gast.BinOp(total, gast.Sub(), term.operand)
        else:
            total = gast.BinOp(total, gast.Add(), term)
    return total


def _is_none(atom) -> bool:
    return isinstance(atom, gast.Constant) and atom.value is None

"""Stage 2c: statements that change a value in place or define functions.

``xs.append(v)`` becomes a new version of the list; ``y[i] = v`` and ``y += v`` are checked
against Python's sharing (another name for the same array would see the change, which a new
version cannot show): element writes are refused, and an augmented assignment gets a run-time
check that raises the same located error when its value is an array. A nested ``def`` is
compiled in the user's file, the enclosing variables it reads turned into parameters.
"""

from __future__ import annotations

import ast
import copy

import gast
import numpy as np

from . import runtime
from .ir import COPY, Effect
from .nodes import load_name
from .parse import NESTED_SOURCE, local_names_of

_OPERATORS = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.FloorDiv: "//",
              gast.Mod: "%", gast.Pow: "**", gast.MatMult: "@", gast.BitAnd: "&",
              gast.BitOr: "|", gast.BitXor: "^", gast.LShift: "<<", gast.RShift: ">>"}


class InPlace:
    """Mixin for ``normalize._Normalizer``: in-place changes and nested functions."""

    def nested_function(self, node: gast.FunctionDef) -> None:
        """A ``def`` in the body: differentiated like a module-level function. Variables it
        reads from the enclosing function become extra parameters, which every call passes
        by keyword with their values at the call, as Python's late binding would."""
        inner = local_names_of(node)
        reads = {n.id for n in gast.walk(node) if isinstance(n, gast.Name)
                 and isinstance(n.ctx, gast.Load)} - inner
        captured = sorted((reads & self.local_names) | (reads & set(self.parsed.closure)))
        if captured:
            node = copy.deepcopy(node)
            extra = [gast.Name(v, gast.Param(), None, None) for v in captured]
            if node.args.defaults:  # parameters after defaults need defaults too
                node.args.defaults += [gast.Constant(None, None) for _ in captured]
                extra += node.args.defaults[-len(captured):]
            node.args.args += extra[:len(captured)]
            for new in extra:
                gast.copy_location(new, node)
        self.captured[node.name] = captured
        module = gast.gast_to_ast(gast.Module([copy.deepcopy(node)], []))
        ast.increment_lineno(module, self.parsed.line_offset)
        scope: dict = {}
        exec(compile(module, self.parsed.filename, "exec"), self.parsed.globals, scope)
        self.nested[node.name] = scope[node.name]
        setattr(scope[node.name], NESTED_SOURCE,
                (node, self.parsed.line_offset, self.parsed.col_offset))
        self.env[node.name] = node.name
        self.body.append(Effect(node))

    def mutation(self, call: gast.Call) -> None:
        """``xs.append(v)``: a new version of the list, ``xs_1 = xs + [v]``."""
        method, owner = call.func.attr, call.func.value
        if method != "append" or len(call.args) != 1 or call.keywords:
            raise self.unsupported(call, f"`.{method}(...)` on a local value",
                                   "build a new value instead (e.g. `xs = xs + [v]`)")
        self.check_in_place(call, owner.id)
        xs, item = self.load(owner), self.atom(call.args[0])
        prim = gast.BinOp(xs, gast.Add(), gast.List([item], gast.Load()))
        self.bind(self.new_version(owner.id), prim, call, "append", [xs, item], {})

    def check_in_place(self, node, owner: str, augmented: bool = False) -> None:
        """Refuse in-place changes that Python would make visible through another name.

        Another name for the same object (``z = y``): an element write is refused; an
        augmented assignment (``owner op= v``) changes only arrays in place, so the generated
        code checks the value (``not_in_place``) and raises the error for an array. A name
        indexed from the other (``r = X[i]``) may be a view or a number: the generated code
        checks whether the two share memory (``not_sharing``) and raises the error if so."""
        version = self.env.get(owner)
        obj = self.same_object.get(version, version)
        # the user's own variables bound on every path (a temporary is read only by the
        # expression that made it; a variable one branch may not have bound cannot be read)
        mine = {v: ssa for v, ssa in self.env.items() if v not in (owner, self.result_var)
                and v in self.parsed.local_names and v not in self.unbound_somewhere}
        others = [v for v, ssa in mine.items() if self.same_object.get(ssa, ssa) == obj]
        family = self.view_root(version)
        views = [v for v, ssa in mine.items() if v not in others
                 and self.view_root(ssa) == family]
        op = f"{_OPERATORS[type(node.op)]}" if augmented else ""
        change = f"`{owner} {op}= ...` on an array" if augmented \
            else f"changing {owner!r} in place"
        hint = f"make an independent copy first, e.g. `{owner} = {owner}.copy()`"
        if augmented:
            hint = f"write `{owner} = {owner} {op} ...` (a new value), or {hint}"
        if others:
            error = self.unsupported(
                node, f"{change} while {others[0]!r} may refer to the same object", hint)
            if not augmented:
                raise error
            self.guard("not_in_place", [version], error)
        elif self.subroutine and version in self.parsed.params:
            error = self.unsupported(
                node, f"{change}: it changes the argument {owner!r} of a function that is "
                "differentiated as a subroutine (the caller would see the change)", hint)
            if not augmented:
                raise error
            self.guard("not_in_place", [version], error)
        for other in views:
            error = self.unsupported(
                node, f"{change} while {other!r} shares its memory (one was indexed, "
                "reshaped or transposed from the other)", hint)
            self.guard("not_sharing", [version, mine[other]], error)

    def note_view(self, target: str, key, args: list) -> None:
        """Remember that ``target`` is the object ``args[0]`` names (a copy ``y = x``), or
        may be a view of it (an element or slice of it, or its memory reshaped or
        transposed)."""
        if not args or not isinstance(args[0], gast.Name):
            return
        if key == COPY:  # also the copies a loop starts its carried versions with
            self.same_object.setdefault(target, self.same_object.get(args[0].id, args[0].id))
        elif key == "getitem" or key in _VIEW_MAKERS:
            self.views[target] = args[0].id

    def view_root(self, version: str) -> str:
        """The value ``version`` was (repeatedly) indexed or copied from."""
        while True:
            version = self.same_object.get(version, version)
            if version not in self.views:
                return version
            version = self.views[version]

    def guard(self, helper: str, names: list, error) -> None:
        """A run-time check in the primal: ``helper(*names, in_place_error)``."""
        call = gast.Call(_name(helper), [_name(n) for n in names] + [_name("in_place_error")],
                         [])
        self.body.append(Effect(gast.Expr(call), {helper: getattr(runtime, helper),
                                                  "in_place_error": error}))


# operations whose result may share its first operand's memory (NumPy returns views)
_VIEW_MAKERS = frozenset([
    np.reshape, np.ravel, np.transpose, np.swapaxes, np.moveaxis, np.squeeze, np.expand_dims,
    np.asarray, np.asanyarray, np.atleast_1d, np.atleast_2d, np.atleast_3d, np.diagonal,
    "ndarray.reshape", "ndarray.ravel", "ndarray.T", "ndarray.transpose", "ndarray.swapaxes",
    "ndarray.squeeze", "ndarray.view", "ndarray.diagonal", "ndarray.real"])


def _name(name: str) -> gast.Name:
    return load_name(name)

"""Stage 2: a parsed function -> single-assignment primal statements (``ir.Primal``).

Each statement applies one primitive operation to atoms; nested expressions are split into
temporaries ``t0, t1, ...`` in Python's evaluation order. A user's statement that already is
one operation on atoms comes back unchanged; a reassigned variable gets a suffix
(``a``, ``a_1``). Subexpressions that mention no local variable are constants and stay whole.

Control flow keeps its structure. Where the branches of an ``if`` leave a variable in
different versions, both end by assigning one name (SSA with the join made explicit). A
loop *carries* the variables it updates: an iteration starts from their carried names, works
on fresh versions, and every path through it ends with a ``Carry`` copying the final
versions back. ``return`` assigns a pseudo-variable, so several returns join like any value.
Assignments to ``x[i]`` make a new version of ``x`` (the caller's array is never written).
"""

from __future__ import annotations

import copy

import gast

from .errors import UnsupportedSyntaxError
from .flatten import EXPRESSION_NAMES, Flattener, ssa_name
from .in_place import InPlace
from .ir import CONSTANT, COPY, Carry, Effect, If, Jump, Loop, Op, Primal, Return, walk
from .iteration import (
    Iteration,
    assign_stmt,
    assigned_names,
    is_mutation,
    read_outside,
    target_names,
)
from .naming import Namer
from .nodes import load_name, names_in, nodes
from .parse import ParsedFunction, local_names_of
from .restructure import LOOP_JUMPS, always_jumps, is_simple_test, jumps_in, restructure_function

RESULT = "<return>"  # the pseudo-variable a `return` assigns

UNSUPPORTED_STATEMENTS = {
    gast.Try: ("`try` blocks", "move the error handling outside the differentiated function"),
    gast.With: ("`with` blocks", "move the `with` outside the differentiated function"),
    gast.Global: ("`global` declarations", "pass the value in as a parameter"),
    gast.Nonlocal: ("`nonlocal` declarations", "pass the value in as a parameter"),
    gast.AsyncFunctionDef: ("`async def`", "differentiate a plain function"),
    gast.ClassDef: ("class definitions", "define the class outside the function"),
    gast.Delete: ("`del`", "remove the `del` statement"),
    gast.Raise: ("`raise`", "check inputs before calling the differentiated function"),
    gast.Assert: ("`assert`", "check inputs before calling the differentiated function"),
}


class _Normalizer(Iteration, InPlace, Flattener):
    def __init__(self, parsed: ParsedFunction, subroutine: bool = False):
        self.parsed = parsed
        restructure_function(parsed.node)
        names = [n for n in nodes(parsed.node) if type(n) is gast.Name]
        self.local_names = local_names_of(parsed.node, names)
        self.namer = Namer(self.local_names | {n.id for n in names})
        self.env = {p: p for p in parsed.params}  # user name -> current SSA name
        self.defined = set(parsed.params)
        self.unbound_somewhere: set = set()  # variables a path to here may not have bound
        self.minted: list = []  # every SSA version created, in order
        self.body: list = []
        self.loops: list = []  # enclosing loops (innermost last)
        self.result_var = RESULT
        self.nested: dict = {}
        self.captured: dict = {}  # nested function -> enclosing variables it reads
        self.read_later: set = set()
        self.same_object: dict = {}  # SSA version -> the version it is another name for
        self.views: dict = {}  # SSA version -> the version it may be a view of
        self.subroutine = subroutine

    # -- statements -----------------------------------------------------------------
    def function(self) -> Primal:
        node = self.parsed.node
        body = node.body
        if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
            body = body[1:]  # docstring
        self.body = self.block(body)
        if self.result_var not in self.env:
            raise UnsupportedSyntaxError(
                f"function {self.parsed.name!r} returns nothing", self.parsed.location(node),
                hint="end it with `return <value>`",
            )
        result = self.env[self.result_var]
        self.body.append(Return(result, self.parsed.location(node)))
        return Primal(self.parsed, self.body, self.namer, result)

    def block(self, stmts: list) -> list:
        """Normalize ``stmts`` into a fresh IR block (the current one is restored)."""
        outer, self.body = self.body, []
        for stmt in stmts:
            self.statement(stmt)
        inner, self.body = self.body, outer
        return inner

    def statement(self, stmt: gast.stmt) -> None:
        if isinstance(stmt, gast.Assign):
            if len(stmt.targets) == 1:
                self.assign_to(stmt.targets[0], stmt.value)
            else:
                value = self.atom(stmt.value)
                for target in stmt.targets:
                    self.assign_to(target, value)
        elif isinstance(stmt, gast.AnnAssign) and stmt.value is not None:
            self.assign_to(stmt.target, stmt.value)
        elif isinstance(stmt, gast.AugAssign):
            if isinstance(stmt.target, gast.Name):  # in place on an array: NumPy's `+=`
                self.check_in_place(stmt, stmt.target.id, augmented=True)
            load = copy.deepcopy(stmt.target)
            for node in gast.walk(load):
                if hasattr(node, "ctx"):
                    node.ctx = gast.Load()
            value = gast.copy_location(gast.BinOp(load, stmt.op, stmt.value), stmt)
            self.assign_to(stmt.target, value)
        elif isinstance(stmt, gast.Return):
            if stmt.value is None:
                raise self.unsupported(stmt, "`return` without a value")
            self.assign(self.result_var, stmt.value)
        elif isinstance(stmt, gast.If):
            self.if_statement(stmt)
        elif isinstance(stmt, (gast.For, gast.While)):
            self.loop(stmt)
        elif isinstance(stmt, (gast.Break, gast.Continue)):
            self.end_iteration()
            self.body.append(Jump("break" if isinstance(stmt, gast.Break) else "continue"))
        elif isinstance(stmt, gast.Expr):
            if isinstance(stmt.value, (gast.Yield, gast.YieldFrom, gast.Await)):
                raise self.unsupported(stmt.value, EXPRESSION_NAMES[type(stmt.value)],
                                       "return the values instead (generators and coroutines "
                                       "cannot be differentiated)")
            if is_mutation(stmt.value, self.env):
                self.mutation(stmt.value)
            elif isinstance(stmt.value, gast.Call):
                self.check_refused(stmt.value)
                self.body.append(Effect(self.rename(stmt)))
            # any other bare expression has no effect: drop it
        elif isinstance(stmt, gast.FunctionDef):
            self.nested_function(stmt)
        elif isinstance(stmt, gast.Pass):
            return
        else:
            what, hint = UNSUPPORTED_STATEMENTS.get(type(stmt), (type(stmt).__name__, ""))
            raise self.unsupported(stmt, what, hint)

    def assign_to(self, target: gast.expr, value: gast.expr) -> None:
        """``target = value`` for a name, a tuple of targets, or a subscript."""
        if isinstance(target, gast.Name):
            self.assign(target.id, value)
        elif isinstance(target, (gast.Tuple, gast.List)):
            if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(
                    target.elts):
                values = [self.atom(v) for v in value.elts]  # all read before any is written
            else:
                whole = self.atom(value)
                values = [gast.Subscript(whole, gast.Constant(k, None), gast.Load())
                          for k in range(len(target.elts))]
            for sub, v in zip(target.elts, values):
                self.assign_to(sub, v)
        elif isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
            self.check_in_place(target, target.value.id)
            array = self.load(target.value)
            index, item = self.index(target.slice), self.atom(value)
            prim = gast.Call(load_name("updated"),
                             [array, index, item], [])
            self.bind(self.new_version(target.value.id), prim, target, "setitem",
                      [array, index, item], {})
        else:
            raise self.unsupported(target, "assignment to this kind of target",
                                   "assign to names, tuples of names, or `name[index]`")

    def assign(self, name: str, value: gast.expr) -> None:
        if name == RESULT and isinstance(value, gast.Name):
            self.env[RESULT] = self.load(value).id  # `return y` returns y itself
            return
        if isinstance(value, (gast.ListComp, gast.GeneratorExp)) and \
                not self.is_constant(value):
            value = self.comprehension(value)
        if isinstance(value, gast.BoolOp) and not self.is_constant(value):
            value = self.boolean(value)
        if isinstance(value, gast.IfExp) and not self.is_constant(value):
            self.conditional(name, value)
            return
        key, args, kwargs, prim = self.primitive(value)
        self.bind(self.new_version(name), prim, value, key, args, kwargs)

    def new_version(self, name: str) -> str:
        if name == RESULT:
            ssa = self.namer.temp()
        else:
            ssa = name if name not in self.defined else self.namer.fresh(name)
        self.defined.add(name)
        self.unbound_somewhere.discard(name)
        self.env[name] = ssa
        self.minted.append(ssa)
        return ssa

    # -- control flow ---------------------------------------------------------------
    def test(self, test: gast.expr) -> gast.expr:
        """A branch or loop test on atoms: simple tests stay whole, others get a temporary."""
        if is_simple_test(test) and not isinstance(test, gast.Constant):
            return self.rename(copy.deepcopy(test))
        return self.atom(test)

    def if_statement(self, stmt: gast.If) -> None:
        if isinstance(stmt.test, gast.Constant):  # `if False:` and the like: one side runs
            for inner in stmt.body if stmt.test.value else stmt.orelse:
                self.statement(inner)
            return
        test = self.test(stmt.test)
        jumps = bool(self.loops) and jumps_in(stmt, LOOP_JUMPS)
        before, mark = dict(self.env), len(self.minted)
        body = self.block(stmt.body)
        if jumps:
            self.close_path(body)
        after_body, mark_else = self.env, len(self.minted)
        self.env = dict(before)
        orelse = self.block(stmt.orelse)
        if jumps:
            self.close_path(orelse)
        after_else = self.env
        node = If(test, body, orelse, self.parsed.location(stmt), jumps)
        if jumps:  # each branch ended its own path; nothing follows this `if`
            self.env = after_else if not always_jumps(stmt.orelse, LOOP_JUMPS) else after_body
        else:
            made_then = set(self.minted[mark:mark_else])
            made_else = set(self.minted[mark_else:])
            self.env = self.join(node, after_body, after_else, made_then, made_else)
        self.body.append(node)

    def join(self, node: If, env_then: dict, env_else: dict, made_then, made_else) -> dict:
        """Merge the branches' variables: where they differ, both branches end by assigning
        one name (the one a branch created, renamed in the other, or a copy). Two variables
        that share a version on one side but not on the other join into different names."""
        env, renamed = {}, {}
        claimed: dict = {}  # join name -> the (then, else) versions it stands for
        for var in list(env_then) + [v for v in env_else if v not in env_then]:
            a, b = env_then.get(var), env_else.get(var)
            b = renamed.get(b, b)
            if a == b or a is None or b is None:
                env[var] = a or b
                if (a is None) != (b is None):  # bound by one branch only
                    self.unbound_somewhere.add(var)
                continue
            if claimed.get(a, (a, b)) != (a, b) or claimed.get(b, (a, b)) != (a, b):
                joined = self.namer.temp() if var == RESULT else self.namer.fresh(var)
                node.body.append(self.copy_op(joined, a, node))
                node.orelse.append(self.copy_op(joined, b, node))
            elif a in claimed or b in claimed:  # joined already, for another variable
                joined = a if a in claimed else b
            elif a in made_then and b in made_else:
                rename_block(node.orelse, {b: a})
                renamed[b], joined = a, a
            elif a in made_then:
                node.orelse.append(self.copy_op(a, b, node))
                joined = a
            elif b in made_else:
                node.body.append(self.copy_op(b, a, node))
                joined = b
            else:
                joined = self.namer.temp() if var == RESULT else self.namer.fresh(var)
                node.body.append(self.copy_op(joined, a, node))
                node.orelse.append(self.copy_op(joined, b, node))
            claimed[joined] = (a, b)
            env[var] = joined
        return env

    def copy_op(self, target: str, source: str, node) -> Op:
        atom = ssa_name(source)
        return Op(target, atom, COPY, [atom], {}, node.loc)

    def conditional(self, name: str, expr: gast.IfExp) -> None:
        """``name = a if c else b`` as an ``if`` statement, so only one side runs."""
        branch = gast.If(expr.test, [assign_stmt(name, expr.body, expr)],
                         [assign_stmt(name, expr.orelse, expr)])
        self.if_statement(gast.copy_location(branch, expr))

    def loop(self, stmt) -> None:
        loc = self.parsed.location(stmt)
        prologue = []
        if isinstance(stmt, gast.For):
            target, iter_expr, prologue = self.iteration(stmt)
            test = None
        else:
            target, iter_expr, test = None, None, None
        carried, outside = {}, None  # outside: the names read outside the loop, when needed
        # local variables only: `np.sort(x)` looks like `xs.sort()` but changes nothing
        assigned = (assigned_names(stmt.body + prologue) | target_names(stmt)) & self.local_names
        for var in sorted(assigned):
            if var in self.env:
                if self.env[var] in self.read_later:
                    # the loop works on its own name for the variable (`v_1 = v`): the
                    # version before the loop stays intact for the adjoints that read it
                    before = ssa_name(self.env[var])
                    self.bind(self.new_version(var), before, stmt, COPY, [before], {})
                carried[var] = self.env[var]
                continue
            if outside is None:
                outside = read_outside(self.parsed.node, stmt)
            if var in outside:
                # first set inside the loop, read after it: it starts as None, so that it
                # has a value (and its adjoint a zero) whether or not an iteration sets it
                none = gast.Constant(None, None)
                self.bind(self.new_version(var), none, stmt, CONSTANT, [], {})
                carried[var] = self.env[var]
        outer_env = dict(self.env)
        self.env.update(carried)
        if isinstance(stmt, gast.While):  # tested on the loop's own names each time
            test = self.rename(copy.deepcopy(stmt.test))
        if target is not None:
            target = self.new_version(target)
        self.loops.append(carried)
        body = self.block(prologue + stmt.body)
        self.close_path(body)
        self.loops.pop()
        self.env = {**outer_env, **carried}
        self.body.append(Loop(target, iter_expr, test, body, loc, carried))

    def close_path(self, block: list) -> None:
        """End ``block`` with a ``Carry`` unless its paths already ended (in a jump)."""
        last = block[-1] if block else None
        if not isinstance(last, Jump) and not (isinstance(last, If) and last.jumps):
            outer, self.body = self.body, block
            self.end_iteration()
            self.body = outer

    def end_iteration(self) -> None:
        """Close a path through the innermost loop body: carry its variables over."""
        carried = self.loops[-1]
        pairs = [(c, self.env[v]) for v, c in carried.items() if self.env.get(v, c) != c]
        self.body.append(Carry(pairs))


def rename_block(block: list, mapping: dict) -> None:
    """Rename SSA versions throughout an IR block (versions are unique, so this is safe)."""

    def names(node):
        for sub in nodes(node):
            if isinstance(sub, gast.Name) and sub.id in mapping:
                sub.id = mapping[sub.id]

    for stmt in walk(block):
        if isinstance(stmt, Op):
            stmt.target = mapping.get(stmt.target, stmt.target)
            for node in [stmt.value, *stmt.args, *stmt.kwargs.values()]:
                names(node)
        elif isinstance(stmt, Effect):
            names(stmt.stmt)
        elif isinstance(stmt, If):
            names(stmt.test)
        elif isinstance(stmt, Loop):
            for node in (stmt.iter, stmt.test):
                if node is not None:
                    names(node)
            stmt.target = mapping.get(stmt.target, stmt.target)
            stmt.carried = {v: mapping.get(c, c) for v, c in stmt.carried.items()}
        elif isinstance(stmt, Carry):
            stmt.pairs = [(mapping.get(c, c), mapping.get(f, f)) for c, f in stmt.pairs]

def normalize(parsed: ParsedFunction, subroutine: bool = False) -> Primal:
    """Lower ``parsed`` to single-assignment primal statements. A ``subroutine`` (a function
    differentiated for a caller) may not change its arguments in place."""
    primal = _Normalizer(parsed, subroutine).function()
    changing = set()  # what loops write back to the same names
    for stmt in walk(primal.body):
        if isinstance(stmt, Loop):
            changing |= set(stmt.carried.values()) | {stmt.target} | {
                name for carry in walk(stmt.body) if isinstance(carry, Carry)
                for pair in carry.pairs for name in pair}
    if changing:
        primal.body = _settled_tests(primal.body, changing, primal.namer)
    return primal


def _settled_tests(body: list, changing: set, namer) -> list:
    """Outside loops, an ``if`` whose test reads a variable a loop changes (later, or in the
    ``if`` itself) tests a name holding the test's value (``cond = y >= 0.0``): its
    adjoint, which runs after the whole primal, reads that name and takes the same branch."""
    out = []
    for stmt in body:
        if isinstance(stmt, If):
            if names_in(stmt.test) & changing:
                cond = namer.fresh("cond")
                out.append(Op(cond, stmt.test, CONSTANT, [], {}, stmt.loc))
                stmt.test = load_name(cond)
            stmt.body = _settled_tests(stmt.body, changing, namer)
            stmt.orelse = _settled_tests(stmt.orelse, changing, namer)
        out.append(stmt)
    return out


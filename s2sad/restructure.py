"""Stage 1b: rewrite jumps so every one of them ends a path (gast -> gast, same meaning).

After this pass, ``return`` (in a function body) and ``break``/``continue`` (in a loop
body) appear only as the last statement of a path: code that followed an ``if`` whose
branch jumps is moved into the branches that fall through::

    for x in xs:                    for x in xs:
        if x > 1:                       if x > 1:
            break            ->             break
        s = s + x                       else:
                                            s = s + x

The reverse pass can then treat each branch of such an ``if`` as one whole path through
the iteration. A ``return`` inside a loop first becomes ``result = v; returned = True``
and a ``break`` (out of each enclosing loop), with ``if returned: return result`` after
it. A ``while`` loop whose test is not a plain comparison of names becomes ``while True:``
whose body starts with ``if test: ... else: break``.
"""

from __future__ import annotations

import copy

import gast

from .nodes import load_name, names_in, nodes, store_name

LOOP_JUMPS = (gast.Break, gast.Continue)


def restructure_function(node: gast.FunctionDef) -> gast.FunctionDef:
    """Rewrite ``node`` in place (see the module docstring) and return it."""
    taken = names_in(node)
    flags = (_fresh("returned", taken), _fresh("result", taken))
    taken |= set(flags)
    body = _lift_loop_returns(_lower_loop_else(node.body, taken), flags)
    node.body = _paths(_lower_loops(body), (gast.Return,))
    return node


def _lower_loop_else(stmts: list, taken: set) -> list:
    """``for ...: ... else: E`` becomes ``completed = True; for ...: ...; if completed: E``,
    where each ``break`` of the loop first sets ``completed = False``."""
    out = []
    for stmt in stmts:
        for field in ("body", "orelse"):
            if isinstance(stmt, (gast.If, gast.For, gast.While)):
                setattr(stmt, field, _lower_loop_else(getattr(stmt, field), taken))
        if isinstance(stmt, (gast.For, gast.While)) and stmt.orelse:
            flag = _fresh("completed", taken)
            taken.add(flag)
            stmt.body = _flag_breaks(stmt.body, flag)
            out += [_at(gast.Assign([_store(flag)], gast.Constant(True, None), None), stmt),
                    stmt, _at(gast.If(_load(flag), stmt.orelse, []), stmt)]
            stmt.orelse = []
            continue
        out.append(stmt)
    return out


def _flag_breaks(stmts: list, flag: str) -> list:
    """Precede each ``break`` of this loop (not of loops inside it) by ``flag = False``."""
    out = []
    for stmt in stmts:
        if isinstance(stmt, gast.Break):
            out.append(_at(gast.Assign([_store(flag)], gast.Constant(False, None), None), stmt))
        elif isinstance(stmt, gast.If):
            stmt.body, stmt.orelse = _flag_breaks(stmt.body, flag), _flag_breaks(stmt.orelse, flag)
        out.append(stmt)
    return out


def _fresh(base: str, taken: set) -> str:
    name, k = base, 0
    while name in taken:
        k += 1
        name = f"{base}_{k}"
    return name


def _lift_loop_returns(stmts: list, flags: tuple) -> list:
    """``return v`` inside a loop becomes ``result = v; returned = True; break`` (out of
    every enclosing loop), followed after the loop by ``if returned: return result``."""
    out = []
    for stmt in stmts:
        if isinstance(stmt, (gast.For, gast.While)) and _has_return(stmt):
            returned, result = flags
            out.append(_at(gast.Assign([_store(returned)], gast.Constant(False, None), None),
                           stmt))
            stmt.body = _returns_to_breaks(stmt.body, flags)
            out += [stmt, _at(gast.If(_load(returned), [gast.Return(_load(result))], []), stmt)]
            continue
        if isinstance(stmt, gast.If):
            stmt.body = _lift_loop_returns(stmt.body, flags)
            stmt.orelse = _lift_loop_returns(stmt.orelse, flags)
        out.append(stmt)
    return out


def _returns_to_breaks(stmts: list, flags: tuple) -> list:
    returned, result = flags
    out = []
    for stmt in stmts:
        if isinstance(stmt, gast.Return):
            out += [_at(gast.Assign([_store(result)], stmt.value, None), stmt),
                    _at(gast.Assign([_store(returned)], gast.Constant(True, None), None), stmt),
                    _at(gast.Break(), stmt)]
            continue
        if isinstance(stmt, gast.If):
            stmt.body = _returns_to_breaks(stmt.body, flags)
            stmt.orelse = _returns_to_breaks(stmt.orelse, flags)
        elif isinstance(stmt, (gast.For, gast.While)) and _has_return(stmt):
            stmt.body = _returns_to_breaks(stmt.body, flags)
            out += [stmt, _at(gast.If(_load(returned), [gast.Break()], []), stmt)]
            continue
        out.append(stmt)
    return out


def _has_return(node) -> bool:
    return any(isinstance(n, gast.Return) for n in nodes(node))


def _at(node, where):
    for sub in gast.walk(node):
        if not hasattr(sub, "lineno") or sub.lineno is None:
            gast.copy_location(sub, where)
    return node


def _store(name: str) -> gast.Name:
    return store_name(name)


def _load(name: str) -> gast.Name:
    return load_name(name)


def is_simple_test(test: gast.expr) -> bool:
    """A loop or branch test that needs no operation of its own: names, constants, and
    comparisons, ``not``, ``and``/``or`` of those."""
    if isinstance(test, (gast.Name, gast.Constant)):
        return True
    if isinstance(test, gast.Compare):
        return all(isinstance(o, (gast.Name, gast.Constant))
                   for o in [test.left, *test.comparators])
    if isinstance(test, gast.UnaryOp) and isinstance(test.op, gast.Not):
        return is_simple_test(test.operand)
    if isinstance(test, gast.BoolOp):
        return all(is_simple_test(v) for v in test.values)
    return False


def _lower_loops(stmts: list) -> list:
    """Restructure every loop body below ``stmts`` (innermost first)."""
    for stmt in stmts:
        if isinstance(stmt, gast.While) and not is_simple_test(stmt.test):
            leave = gast.If(stmt.test, [gast.Pass()], [gast.Break()])
            for node in (leave, leave.body[0], leave.orelse[0]):
                gast.copy_location(node, stmt.test)
            stmt.body = [leave, *stmt.body]
            stmt.test = gast.copy_location(gast.Constant(True, None), stmt.test)
        if isinstance(stmt, (gast.For, gast.While)):
            stmt.body = _paths(_lower_loops(stmt.body), LOOP_JUMPS)
        elif isinstance(stmt, gast.If):
            stmt.body = _lower_loops(stmt.body)
            stmt.orelse = _lower_loops(stmt.orelse)
    return stmts


def jumps_in(node, jumps: tuple) -> bool:
    """Whether ``node`` contains a jump of the given kinds that leaves the current block
    (``break``/``continue`` inside a nested loop belong to that loop)."""
    if isinstance(node, jumps):
        return True
    if isinstance(node, list):
        return any(jumps_in(s, jumps) for s in node)
    if isinstance(node, gast.If):
        return jumps_in(node.body, jumps) or jumps_in(node.orelse, jumps)
    if isinstance(node, (gast.For, gast.While)) and jumps == LOOP_JUMPS:
        return False
    if isinstance(node, (gast.For, gast.While)):
        return jumps_in(node.body, jumps) or jumps_in(node.orelse, jumps)
    return False


def always_jumps(block: list, jumps: tuple) -> bool:
    """Whether every path through ``block`` ends in a jump."""
    if not block:
        return False
    last = block[-1]
    if isinstance(last, jumps):
        return True
    return isinstance(last, gast.If) and always_jumps(last.body, jumps) and always_jumps(
        last.orelse, jumps)


def _paths(stmts: list, jumps: tuple) -> list:
    out = []
    for i, stmt in enumerate(stmts):
        out.append(stmt)
        if isinstance(stmt, jumps):
            return out  # what follows a jump never runs
        if isinstance(stmt, gast.If) and jumps_in(stmt, jumps):
            rest = stmts[i + 1:]
            for branch in ("body", "orelse"):
                block = getattr(stmt, branch)
                tail = [] if always_jumps(block, jumps) else copy.deepcopy(rest)
                setattr(stmt, branch, _paths(block + tail, jumps))
            return out
    return out

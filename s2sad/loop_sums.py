"""Stage 4, one pass: what an adjoint loop adds up term by term, summed once after it.

The adjoint of ``h = np.tanh(W @ h + ...)`` in a loop adds one outer product to ``bW`` per
iteration, ``bW = bW + np.outer(bt4, h_prev)``: a new matrix each time. When nothing else
in the loop reads or writes ``bW``, the loop only collects the factors, and one matrix
product after it adds them all, as a hand-written gradient does with ``G.T @ H``::

    bt4_all = []  # the loop below collects the factors of bW
    h_prev_all = []
    for h_prev, h_1 in reversed(tape):
        ...
        bt4_all.append(bt4)  # t3 = W @ h
        h_prev_all.append(h_prev)
    bW = bW + sum_outers(bt4_all, h_prev_all)  # each summed at once

The same goes for ``b = b + s * v`` where ``s`` or ``v`` is an array (``sum_products``: one
dot product over the iterations when the ``s`` are scalars). Two sums with a factor in
common share its list. Both helpers compute exactly the sum the loop did (in another
order), for any shapes. Run on the versions specialized to their arguments' shapes, whose
``Derivative.links`` name NumPy and the helpers and whose ``arrays`` say which values are
arrays (where collecting pays).
"""

from __future__ import annotations

import gast

from .ir import Block, Derivative, Line, assign, call, load, names_in


def sum_loop_terms(deriv: Derivative) -> None:
    """Rewrite every adjoint loop's term-by-term sums (see the module docstring)."""
    if deriv.links:
        deriv.adjoint = _code(deriv.adjoint, deriv, _all_names(deriv))


def _code(code: list, deriv: Derivative, taken: set) -> list:
    out = []
    for item in code:
        if isinstance(item, Block):
            item.body = _code(item.body, deriv, taken)
            item.orelse = _code(item.orelse, deriv, taken)
            if not isinstance(item.node, gast.If) and not item.orelse and _plain(item):
                out += _collect(item, deriv, taken)
                continue
        out.append(item)
    return out


def _collect(loop: Block, deriv: Derivative, taken: set) -> list:
    """The loop's sums rewritten: ``[lists..., loop, sums...]``."""
    lists: dict = {}  # factor -> the list collecting it, while the factor keeps its value
    before, body, after = [], [], []
    for line in loop.body:
        term = _term(line, loop, deriv)
        if term is None:
            body.append(line)
            for name in _assigned([line]):
                lists.pop(name, None)
            continue
        total, helper, factors, subtract = term
        appends = []
        for factor in factors:
            if factor not in lists:
                lists[factor] = _fresh(f"{factor}_all", taken)
                before.append(assign(lists[factor], gast.List([], gast.Load())))
                append = gast.Attribute(load(lists[factor]), "append", gast.Load())
                appends.append(Line(gast.Expr(call(append, load(factor)))))
        if not appends and line.comment:
            appends.append(Line(gast.Pass(), line.comment, note=True))
        elif appends:
            appends[0].comment = line.comment
        body += appends
        summed = call(load(deriv.links[helper]), *(load(lists[f]) for f in factors))
        after.append(assign(total, gast.BinOp(load(total), gast.Sub() if subtract
                                              else gast.Add(), summed)))
    if not after:
        return [loop]
    loop.body = body
    totals = [line.stmt.targets[0].id for line in after]
    listed = ", ".join(totals[:-1]) + " and " + totals[-1] if len(totals) > 1 else totals[0]
    before[0].comment = f"the loop below collects the factors of {listed}"
    after[0].comment = "each summed at once"
    return before + [loop] + after


def _term(line, loop: Block, deriv: Derivative):
    """``(total, helper, [a, b], subtract)`` for a line ``total = total + np.outer(a, b)``
    (or ``total + a * b`` with ``a`` or ``b`` an array; ``a`` and ``b`` names) that is the
    loop's only use of ``total``; else None."""
    if not isinstance(line, Line) or not isinstance(line.stmt, gast.Assign):
        return None
    target, value = line.stmt.targets[0], line.stmt.value
    if not (isinstance(target, gast.Name) and isinstance(value, gast.BinOp)
            and isinstance(value.op, (gast.Add, gast.Sub)) and isinstance(value.left, gast.Name)
            and value.left.id == target.id):
        return None
    total, term = target.id, value.right
    if isinstance(term, gast.Call) and not term.keywords and len(term.args) == 2 and \
            isinstance(term.func, gast.Attribute) and term.func.attr == "outer" and \
            isinstance(term.func.value, gast.Name) and term.func.value.id == deriv.links["np"]:
        helper, pair = "sum_outers", term.args
    elif isinstance(term, gast.BinOp) and isinstance(term.op, gast.Mult) and any(
            isinstance(f, gast.Name) and f.id in deriv.arrays for f in (term.left, term.right)):
        helper, pair = "sum_products", [term.left, term.right]
    else:
        return None
    if not all(isinstance(f, gast.Name) for f in pair) or _uses(loop, total) != 2:
        return None  # (the loop's only mention of ``total`` is this line's two)
    return total, helper, [f.id for f in pair], isinstance(value.op, gast.Sub)


def _uses(loop: Block, name: str) -> int:
    """How often the loop (header and body, nested blocks included) mentions ``name``."""
    return sum(isinstance(node, gast.Name) and node.id == name for node in _nodes([loop]))


def _nodes(code: list):
    """Every gast node of generated code (block headers included)."""
    for item in code:
        if isinstance(item, Block):
            yield from gast.walk(item.node.test if isinstance(item.node, (gast.If, gast.While))
                                 else gast.Tuple([item.node.target, item.node.iter], gast.Load()))
            yield from _nodes(item.body)
            yield from _nodes(item.orelse)
        else:
            yield from gast.walk(item.stmt)


def _plain(loop: Block) -> bool:
    """Whether every iteration runs the loop's body to its end (no ``break`` or
    ``continue``) and changes no array in place (a factor collected earlier might be it)."""
    for node in _nodes(loop.body):
        if isinstance(node, (gast.Break, gast.Continue, gast.AugAssign)) or isinstance(
                node, (gast.Subscript, gast.Attribute)) and isinstance(node.ctx, gast.Store):
            return False
    return True


def _assigned(code: list) -> set:
    return {node.id for node in _nodes(code)
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store)}


def _all_names(deriv: Derivative) -> set:
    """The names the generated function uses (a new one must differ from all)."""
    names = set(deriv.params) | set(deriv.pullback_params) | set(deriv.imports) | {
        node.id for node in _nodes(deriv.primal + deriv.adjoint) if isinstance(node, gast.Name)}
    for result in (deriv.result, deriv.pullback_result):
        names |= names_in(result) if result is not None else set()
    return names | {deriv.pullback}


def _fresh(name: str, taken: set) -> str:
    candidate, k = name, 1
    while candidate in taken:
        candidate, k = f"{name}_{k}", k + 1
    taken.add(candidate)
    return candidate

"""Helpers that generated derivatives of products call: inner, tensordot, einsum, kron,
cross, convolve and correlate, vecdot, matvec and vecmat, multi_dot and matrix_power.

Each one is a named step of a hand derivation ("the adjoint of ``a`` in ``np.kron(a, b)``"),
kept out of line so that the generated code stays short. Each returns the adjoint of one
operand, shaped like it (summed over the axes broadcasting added). Real arrays only. The
helpers never modify their arguments and return fresh values.
"""

from __future__ import annotations

import string

import numpy as np

from .containers import CONTAINERS, Items
from .runtime import unbroadcast


def mT(x):
    """``x`` with its last two axes swapped: the transpose of each matrix (NumPy 2's ``.mT``)."""
    return np.swapaxes(x, -1, -2)


# ----------------------------------------------------------------------------- products
def inner_adjoint_a(g, a, b):
    """Adjoint of ``a`` in ``np.inner(a, b)`` (a sum over the last axes of both)."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * b, a)
    a_nd, g_nd = np.ndim(a), np.ndim(g)
    return np.tensordot(g, b, axes=(list(range(a_nd - 1, g_nd)), list(range(np.ndim(b) - 1))))


def inner_adjoint_b(g, a, b):
    """Adjoint of ``b`` in ``np.inner(a, b)``."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(g * a, b)
    lead = list(range(np.ndim(a) - 1))
    return np.moveaxis(np.tensordot(a, g, axes=(lead, lead)), 0, -1)


def _tensordot_axes(axes, a_nd: int, b_nd: int) -> tuple:
    """The contracted axes of ``a`` and of ``b`` in ``np.tensordot(a, b, axes)``, pairwise."""
    if isinstance(axes, (int, np.integer)):
        return list(range(a_nd - axes, a_nd)), list(range(axes))
    a_axes, b_axes = axes
    a_axes = [a_axes] if isinstance(a_axes, (int, np.integer)) else list(a_axes)
    b_axes = [b_axes] if isinstance(b_axes, (int, np.integer)) else list(b_axes)
    return [int(i) % a_nd for i in a_axes], [int(i) % b_nd for i in b_axes]


def tensordot_adjoint_a(g, a, b, axes=2):
    """Adjoint of ``a`` in ``np.tensordot(a, b, axes)``: ``g`` contracted with ``b``'s free
    axes, the result's axes put back in ``a``'s order."""
    a_nd, b_nd = np.ndim(a), np.ndim(b)
    a_axes, b_axes = _tensordot_axes(axes, a_nd, b_nd)
    a_free = [i for i in range(a_nd) if i not in a_axes]
    b_free = [i for i in range(b_nd) if i not in b_axes]
    t = np.tensordot(g, b, axes=(list(range(len(a_free), np.ndim(g))), b_free))
    order = a_free + [a_axes[b_axes.index(j)] for j in sorted(b_axes)]
    return np.transpose(t, np.argsort(order))


def tensordot_adjoint_b(g, a, b, axes=2):
    """Adjoint of ``b`` in ``np.tensordot(a, b, axes)``."""
    a_nd, b_nd = np.ndim(a), np.ndim(b)
    a_axes, b_axes = _tensordot_axes(axes, a_nd, b_nd)
    a_free = [i for i in range(a_nd) if i not in a_axes]
    b_free = [i for i in range(b_nd) if i not in b_axes]
    t = np.tensordot(a, g, axes=(a_free, list(range(len(a_free)))))
    order = [b_axes[a_axes.index(i)] for i in sorted(a_axes)] + b_free
    return np.transpose(t, np.argsort(order))


def einsum_adjoint(g, subscripts, k, a, b=None, c=None, d=None, e=None):
    """Adjoint of operand ``k`` of ``np.einsum(subscripts, a, b, ...)``: the einsum of ``g``
    with the other operands whose output has operand ``k``'s subscripts (a repeated index
    puts ``g`` on a diagonal, an index only operand ``k`` has spreads it)."""
    operands = [x for x in (a, b, c, d, e) if x is not None]
    specs, out = _einsum_specs(subscripts, [np.shape(x) for x in operands])
    terms = [(out, g)] + [(s, x) for j, (s, x) in enumerate(zip(specs, operands)) if j != k]
    fresh = (letter for letter in string.ascii_letters
             if letter not in "".join(specs) + out)
    shape, target = np.shape(operands[k]), []
    for letter, n in zip(specs[k], shape):
        if letter in target:  # a repeated index: link a new one to it by the identity
            target.append(next(fresh))
            terms.append((letter + target[-1], np.eye(n)))
        else:
            target.append(letter)
    present = set("".join(s for s, _ in terms))
    for letter, n in zip(target, shape):
        if letter not in present:  # summed over in operand k alone: every element gets g
            terms.append((letter, np.ones(n)))
    spec = ",".join(s for s, _ in terms) + "->" + "".join(target)
    return np.einsum(spec, *[x for _, x in terms], optimize=len(terms) > 2)


def _einsum_specs(subscripts, shapes: list) -> tuple:
    """Each operand's subscripts and the output's, one letter per axis: ``...`` spelled out
    in letters of its own, and a length-1 axis that broadcasts given a letter no other
    operand has (so that it sums in the adjoint)."""
    if not isinstance(subscripts, str):
        raise TypeError("the derivative of np.einsum needs the subscripts as a string")
    text = subscripts.replace(" ", "")
    inputs, arrow, out = text.partition("->")
    specs = inputs.split(",")
    if len(specs) != len(shapes):
        raise ValueError(f"{subscripts!r} names {len(specs)} operands, got {len(shapes)}")
    free = iter(c for c in string.ascii_letters if c not in text)
    ell_nd = max([len(s) - len(p) + 3 for p, s in zip(specs, shapes) if "..." in p],
                 default=0)
    ellipsis = "".join(next(free) for _ in range(ell_nd))
    if not arrow:
        once = sorted(c for c in inputs if c.isalpha() and inputs.count(c) == 1)
        out = ellipsis + "".join(once)
    out = out.replace("...", ellipsis)
    specs = [p.replace("...", ellipsis[ell_nd - (len(s) - len(p) + 3):]) if "..." in p else p
             for p, s in zip(specs, shapes)]
    sizes: dict = {}
    for p, s in zip(specs, shapes):
        for letter, n in zip(p, s):
            sizes[letter] = max(sizes.get(letter, 1), n)
    specs = ["".join(next(free) if n == 1 and sizes[letter] > 1 else letter
                     for letter, n in zip(p, s)) for p, s in zip(specs, shapes)]
    return specs, out


def kron_adjoint_a(g, a, b):
    """Adjoint of ``a`` in ``np.kron(a, b)``: ``g`` seen as blocks ``a[i] * b``, each block
    contracted with ``b``."""
    g4, sa, sb = _kron_blocks(g, a, b)
    nd = len(sa)
    t = np.tensordot(g4, np.reshape(b, sb), axes=(list(range(1, 2 * nd, 2)), list(range(nd))))
    return np.reshape(t, np.shape(a))


def kron_adjoint_b(g, a, b):
    """Adjoint of ``b`` in ``np.kron(a, b)``."""
    g4, sa, sb = _kron_blocks(g, a, b)
    nd = len(sa)
    t = np.tensordot(np.reshape(a, sa), g4, axes=(list(range(nd)), list(range(0, 2 * nd, 2))))
    return np.reshape(t, np.shape(b))


def _kron_blocks(g, a, b):
    """``g`` reshaped to axes ``(a0, b0, a1, b1, ...)`` and the shapes of ``a`` and ``b``
    padded to one length with leading 1s, as ``np.kron`` pads them."""
    nd = max(np.ndim(a), np.ndim(b))
    sa = (1,) * (nd - np.ndim(a)) + np.shape(a)
    sb = (1,) * (nd - np.ndim(b)) + np.shape(b)
    return np.reshape(g, [n for pair in zip(sa, sb) for n in pair]), sa, sb


def cross_adjoint_a(g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Adjoint of ``a`` in ``np.cross(a, b)`` (3-vectors): ``b x g``, summed over the axes
    broadcasting added."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a_, b_, g_ = _cross_vectors(a, b, g, axisa, axisb, axisc)
    return np.moveaxis(unbroadcast(np.cross(b_, g_), a_), -1, axisa)


def cross_adjoint_b(g, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """Adjoint of ``b`` in ``np.cross(a, b)`` (3-vectors): ``g x a``."""
    if axis is not None:
        axisa = axisb = axisc = axis
    a_, b_, g_ = _cross_vectors(a, b, g, axisa, axisb, axisc)
    return np.moveaxis(unbroadcast(np.cross(g_, a_), b_), -1, axisb)


def _cross_vectors(a, b, g, axisa, axisb, axisc):
    """``a``, ``b`` and ``g`` with their vector axes last."""
    a_, b_ = np.moveaxis(a, axisa, -1), np.moveaxis(b, axisb, -1)
    if a_.shape[-1] != 3 or b_.shape[-1] != 3:
        raise NotImplementedError("the derivative of np.cross needs 3-vectors")
    return a_, b_, np.moveaxis(g, axisc, -1)


def convolve_adjoint_a(g, a, v, mode="full"):
    """Adjoint of ``a`` in ``np.convolve(a, v, mode)``: the full-length adjoint correlated
    with ``v``."""
    return np.correlate(_full_adjoint(g, len(a), len(v), mode, False), v, "valid")


def convolve_adjoint_v(g, a, v, mode="full"):
    """Adjoint of ``v`` in ``np.convolve(a, v, mode)``."""
    return np.correlate(_full_adjoint(g, len(a), len(v), mode, False), a, "valid")


def correlate_adjoint_a(g, a, v, mode="valid"):
    """Adjoint of ``a`` in ``np.correlate(a, v, mode)`` (a convolution with ``v`` reversed)."""
    return np.correlate(_full_adjoint(g, len(a), len(v), mode, True), v[::-1], "valid")


def correlate_adjoint_v(g, a, v, mode="valid"):
    """Adjoint of ``v`` in ``np.correlate(a, v, mode)``."""
    return np.correlate(_full_adjoint(g, len(a), len(v), mode, True), a, "valid")[::-1]


def _full_adjoint(g, n: int, m: int, mode: str, correlate: bool):
    """``g`` placed where the ``mode`` output sits in the full output (length n + m - 1)."""
    full = np.zeros(n + m - 1, dtype=np.result_type(g, float))
    short = min(n, m)
    kind = mode[0].lower() if isinstance(mode, str) else "vsf"[mode]
    if kind == "f":
        start = 0
    elif kind == "v":
        start = short - 1
    else:  # "same": centred; np.correlate swaps a longer v and reverses the result
        start = (short - 1) // 2
        if correlate and m > n:
            start = short - 1 - start
    full[start:start + len(g)] = g
    return full


def vecdot_adjoint(g, x, y, axis=-1):
    """Adjoint of ``x`` in ``np.vecdot(x, y, axis)`` (a sum of ``x * y`` over ``axis``)."""
    return unbroadcast(np.expand_dims(g, axis) * y, x)


def multi_dot_adjoint(g, arrays):
    """Adjoint of the list ``arrays`` in ``np.linalg.multi_dot(arrays)``: each matrix gets
    the product of the matrices left of it, transposed, times ``g``, times the transposed
    product of those right of it."""
    mats = [np.asarray(x) for x in arrays]
    shapes = [m.shape for m in mats]
    if mats[0].ndim == 1:
        mats[0] = mats[0][None, :]
    if mats[-1].ndim == 1:
        mats[-1] = mats[-1][:, None]
    g = np.reshape(g, (mats[0].shape[0], mats[-1].shape[1]))
    left = [np.eye(mats[0].shape[0])]
    for m in mats[:-1]:
        left.append(left[-1] @ m)
    right = [np.eye(mats[-1].shape[1])]
    for m in mats[:0:-1]:
        right.append(m @ right[-1])
    right.reverse()
    grads = [np.reshape(left[k].T @ g @ right[k].T, shapes[k]) for k in range(len(mats))]
    if isinstance(arrays, CONTAINERS):
        return Items(arrays, dict(enumerate(grads)))
    return np.stack(grads)


def matrix_power_adjoint(g, a, n):
    """Adjoint of ``a`` in ``np.linalg.matrix_power(a, n)``: the sum over the ``n`` places
    ``a`` holds in the product of ``(a^T)^k g (a^T)^(n-1-k)``; through ``inv(a)`` for
    ``n < 0``."""
    if n < 0:
        inv = np.linalg.inv(a)
        return -(mT(inv) @ matrix_power_adjoint(g, inv, -n) @ mT(inv))
    at = mT(np.asarray(a, dtype=float))
    powers = [np.broadcast_to(np.eye(at.shape[-1]), at.shape)]
    for _ in range(n - 1):
        powers.append(powers[-1] @ at)
    total = np.zeros(at.shape, dtype=np.result_type(g, float))
    for k in range(n):
        total = total + powers[k] @ g @ powers[n - 1 - k]
    return total


def matvec_adjoint_a(g, a, x):
    """Adjoint of the matrices ``a`` in ``np.matvec(a, x)`` (``a @ x`` for stacks of
    vectors ``x``): ``g`` times ``x`` outer."""
    return unbroadcast(g[..., :, None] * x[..., None, :], a)


def matvec_adjoint_x(g, a, x):
    """Adjoint of the vectors ``x`` in ``np.matvec(a, x)``: ``a^T g``."""
    return unbroadcast((mT(a) @ g[..., :, None])[..., 0], x)


def vecmat_adjoint_x(g, x, a):
    """Adjoint of the vectors ``x`` in ``np.vecmat(x, a)`` (``x^T a``): ``a g``."""
    return unbroadcast((a @ g[..., :, None])[..., 0], x)


def vecmat_adjoint_a(g, x, a):
    """Adjoint of the matrices ``a`` in ``np.vecmat(x, a)``: ``x`` outer ``g``."""
    return unbroadcast(x[..., :, None] * g[..., None, :], a)


# ------------------------------------------------------------- sums over loop iterations
def sum_outers(firsts: list, seconds: list):
    """``sum(np.outer(a, b) for a, b in zip(firsts, seconds))`` (0.0 for none) as one
    matrix product, ``A.T @ B`` with the flattened ``a`` and ``b`` as the rows of ``A`` and
    ``B``: what a loop that adds an outer product per iteration collects (``loop_sums``)."""
    if not firsts:
        return 0.0
    a, b = _stacked(firsts), _stacked(seconds)
    if a is None or b is None:
        return sum(np.outer(x, y) for x, y in zip(firsts, seconds))
    if a.ndim != 2 or b.ndim != 2:  # scalars or arrays of rank 2 or more: flattened
        a, b = np.reshape(a, (len(firsts), -1)), np.reshape(b, (len(firsts), -1))
    return a.T @ b


def sum_products(firsts: list, seconds: list):
    """``sum(a * b for a, b in zip(firsts, seconds))`` (0.0 for none): a dot product over
    the iterations where the ``a`` (or the ``b``) are scalars, else one elementwise product
    summed over them; a plain sum where the ``a`` (or the ``b``) differ in shape."""
    if not firsts:
        return 0.0
    a, b = _stacked(firsts), _stacked(seconds)
    if a is None or b is None:
        return sum(x * y for x, y in zip(firsts, seconds))
    if a.ndim == 1 and b.ndim <= 2:
        return a @ b
    if b.ndim == 1 and a.ndim <= 2:
        return b @ a
    rank = max(a.ndim, b.ndim) - 1
    return (_lead(a, rank) * _lead(b, rank)).sum(axis=0)


def _stacked(values: list):
    """The values stacked into one array (a new first axis), or None if they differ in
    shape."""
    try:
        stack = np.array(values)
    except ValueError:  # ragged
        return None
    return None if stack.dtype == object else stack


def _lead(stack, rank: int):
    """A stack of values (first axis) with axes of length 1 after the first, up to ``rank``
    axes per value, so that two stacks broadcast as their values do."""
    missing = rank - (stack.ndim - 1)
    return stack.reshape(stack.shape[:1] + (1,) * missing + stack.shape[1:]) if missing else stack

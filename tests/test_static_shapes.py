"""Static shapes in versions specialized to the arguments' shapes, beyond elementwise
operations and matrix products: your own functions (the callee's derivative is specialized to
its arguments' shapes at the call and called directly; the caller knows its result's shape),
arrays made from the arguments' lengths, and reductions over constant axes. Gradients
against central differences; recursion, lists and tuples fall back to the general version
where shapes are not known."""

import numpy as np
import pytest

import s2sad

from .test_optimize import check

rng = np.random.default_rng(11)


def step(Wi, Wh, h, x):
    return np.tanh(Wi @ x + Wh @ h)


def rnn(Wi, Wh, wo, h0, xs, ys):
    h = h0
    L = 0.0
    for x, y in zip(xs, ys):
        h = step(Wi, Wh, h, x)
        L = L + (wo @ h - y) ** 2
    return L


def rnn_args(steps=4, hidden=3, inputs=2):
    return (rng.normal(size=(hidden, inputs)), rng.normal(size=(hidden, hidden)) * 0.5,
            rng.normal(size=hidden), rng.normal(size=hidden), rng.normal(size=(steps, inputs)),
            rng.normal(size=steps))


def test_a_helper_is_specialized_to_the_shapes_at_its_call():
    args = rnn_args()
    source = s2sad.grad(rnn, wrt=(0, 1, 2)).source_for(*args)
    caller, callee = source.split("\n\n\n")
    assert "# specialized to Wi: (n0, n1), Wh: (n0, n0), h: (n0,), x: (n1,)" in callee
    assert "bWh = np.outer(bt1, h)" in callee and "bh = bt1 @ Wh" in callee
    # the caller knows the helper's result is a vector: no run-time shape checks
    for helper in ("matmul_adjoint", "unbroadcast", "require_scalar"):
        assert helper not in source, source
    check(rnn, args, ("Wi", "Wh", "wo", "h0"))
    check(rnn, rnn_args(steps=1, hidden=2, inputs=3), ("Wi", "Wh", "wo", "h0"))


def layer_of(W, v):
    return np.tanh(W @ v)


def two_shapes(W, v, u):
    return np.sum(layer_of(W, v)) * np.sum(layer_of(W.T, u))


def test_two_calls_with_other_shapes_get_two_versions_under_their_own_names():
    args = (rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=2))
    source = s2sad.grad(two_shapes, wrt=(0, 1, 2)).source_for(*args)
    assert "layer_of_vjp(W, v)" in source or "layer_of_vjp_1(W, v)" in source
    assert "def layer_of_vjp(W, v):" in source and "def layer_of_vjp_1(W, v):" in source
    check(two_shapes, args, ("W", "v", "u"))


def power(x, n):
    if n == 0:
        return np.ones_like(x)
    return x * power(x, n - 1)


def uses_power(x, n):
    return np.sum(power(x, n) * x)


@pytest.mark.parametrize("n", [0, 1, 3])
def test_a_recursive_helper_on_arrays(n):
    check(uses_power, (rng.normal(size=3), n), ("x",))


def layer(W, v):
    return np.sum(np.tanh(W @ v))


def on_items(pair):
    return layer(pair[0], pair[1])


def uses_a_list(W, v):
    return on_items([W, v]) + layer(W, v) * layer(W.T, v)


def test_helpers_given_lists_and_called_twice_with_other_shapes():
    check(uses_a_list, (rng.normal(size=(2, 2)), rng.normal(size=2)), ("W", "v"))


def split(x):
    return np.sin(x), np.cos(x)


def uses_a_tuple(x, W):
    s, c = split(W @ x)
    return np.sum(s * c)


def test_a_helper_returning_a_tuple():
    check(uses_a_tuple, (rng.normal(size=3), rng.normal(size=(2, 3))), ("x", "W"))


def test_second_order_through_a_helper_is_refused_clearly():
    args = rnn_args(steps=2, hidden=2, inputs=2)
    with pytest.raises(s2sad.errors.UnsupportedSyntaxError) as info:
        s2sad.hvp(rnn, wrt=0)(*args, np.ones(args[0].shape))
    message = str(info.value)
    assert "a derivative of a derivative through a call of your own function" in message
    assert "write the function's body into its caller" in message


# -- arrays made from the arguments' lengths have static shapes too --------------------------

def zero_state_rnn(Wi, Wh, xs):
    h = np.zeros(Wh.shape[0])  # the length of an axis: (n0,)
    for x in xs:
        h = np.tanh(Wi @ x + Wh @ h)
    return np.sum(h * h)


def made_from_lengths(W, x, c):
    a = np.zeros((W.shape[0], len(x))) + W[:, :1] * x  # (n0, n2)
    b = np.ones(W.shape) * W  # (n0, n1)
    d = np.full_like(x, 2.0) * x + np.full(len(x), c)
    return np.sum(a * a) + np.sum(b @ W.T) + np.sum(d * x)


def test_arrays_made_from_the_arguments_lengths():
    args = (rng.normal(size=(3, 2)), rng.normal(size=(3, 3)) * 0.5, rng.normal(size=(4, 2)))
    source = s2sad.grad(zero_state_rnn, wrt=(0, 1)).source_for(*args)
    for helper in ("matmul_adjoint", "unbroadcast"):
        assert helper not in source, source
    assert "sum_outers(" in source
    check(zero_state_rnn, args, ("Wi", "Wh"))
    args = (rng.normal(size=(3, 2)), rng.normal(size=4), 0.7)
    source = s2sad.grad(made_from_lengths, wrt=(0, 1, 2)).source_for(*args)
    for line in ("bt6 = ba ", "bb = bt16 @ t15.T", "bx = d + bt10 * t9"):  # shapes known
        assert line in source, source
    check(made_from_lengths, args, ("W", "x", "c"))


def softmax_xent(W, b, X, Y):
    Z = X @ W + b
    Z = Z - np.max(Z, axis=1, keepdims=True)
    E = np.exp(Z)
    P = E / np.sum(E, axis=1, keepdims=True)
    return -np.mean(np.sum(Y * np.log(P), axis=1))


def reductions(x, T):
    a = x.std(0, ddof=1) * x  # (n0, n1) * (n1,)
    b = np.mean(T, axis=(0, -1)) - np.var(T, -1).sum(axis=1)  # (n1,) - (n2,)... see args
    return np.sum(a * a) + np.sum(b * b) + np.sum(np.prod(T, axis=2, keepdims=True) * T)


def test_reductions_over_constant_axes_have_static_shapes():
    args = (rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(5, 3)),
            np.eye(4)[[0, 2, 1, 3, 3]])
    source = s2sad.grad(softmax_xent, wrt=(0, 1)).source_for(*args)
    assert ".sum(axis=1, keepdims=True)" in source and "unbroadcast" not in source, source
    check(softmax_xent, args, ("W", "b"))
    args = (rng.normal(size=(3, 2)), rng.normal(size=(2, 2, 3)))
    check(reductions, args, ("x", "T"))


def pairwise(X, Y, w):
    D = X[:, None, :] - Y[None, :, :]
    S = np.sum(D * D, axis=-1)
    return (np.sum(np.exp(-S) * w[:, None]) + np.sum(X[:, :1] * X[..., 0][:, None])
            + np.sum(X[0] * w[0]) + np.sum(X[..., None][1:] * 2.0))


def test_indexing_with_new_axes_full_slices_and_ellipses():
    args = (rng.normal(size=(3, 2)), rng.normal(size=(4, 2)), rng.normal(size=3))
    source = s2sad.grad(pairwise, wrt=(0, 1, 2)).source_for(*args)
    assert "bt0 = bD.sum(axis=1, keepdims=True)" in source, source  # D's operands known
    check(pairwise, args, ("X", "Y", "w"))
    check(pairwise, (rng.normal(size=(1, 2)), rng.normal(size=(1, 2)), rng.normal(size=1)),
          ("X", "Y", "w"))

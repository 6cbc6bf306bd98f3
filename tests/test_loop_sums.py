"""Sums an adjoint loop adds term by term, taken once after it (``s2sad.loop_sums``): the
helpers compute exactly the loop's sum for every shape, the generated code shows the
rewrite only where it is valid, and the gradients stay right (central differences)."""

import numpy as np
import pytest

import s2sad
from s2sad.runtime_products import sum_outers, sum_products

from .test_optimize import check

rng = np.random.default_rng(7)


def pairs(first_shapes, second_shapes):
    return ([rng.normal(size=s) for s in first_shapes],
            [rng.normal(size=s) for s in second_shapes])


@pytest.mark.parametrize("first, second", [
    ([(4,)] * 5, [(3,)] * 5),  # the matrix-vector adjoint
    ([()] * 5, [(3,)] * 5),  # scalars: one row
    ([(2, 2)] * 3, [(3,)] * 3),  # np.outer flattens
    ([(4,)] * 5, [()] * 5),
    ([(1,)], [(3,)]),  # one term
    ([(4,), (1,), (4,)], [(3,)] * 3),  # ragged (broadcasting): summed one by one
])
def test_sum_outers_is_the_sum_of_the_outer_products(first, second):
    a, b = pairs(first, second)
    want = sum(np.outer(x, y) for x, y in zip(a, b))
    got = sum_outers(a, b)
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("first, second", [
    ([()] * 6, [(3,)] * 6),  # a scalar times a vector: one dot product
    ([(3,)] * 6, [()] * 6),
    ([()] * 6, [(2, 3)] * 6),
    ([()] * 6, [()] * 6),
    ([(3,)] * 4, [(3,)] * 4),  # elementwise
    ([(2, 3)] * 4, [(3,)] * 4),  # broadcasting
    ([(2, 1)] * 4, [(1, 3)] * 4),
    ([()] * 3, [(2, 2, 2)] * 3),
    ([(3,), (1,)], [(3,), (3,)]),  # ragged: summed one by one
])
def test_sum_products_is_the_sum_of_the_products(first, second):
    a, b = pairs(first, second)
    want = sum(x * y for x, y in zip(a, b))
    got = sum_products(a, b)
    assert np.shape(got) == np.shape(want)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_no_terms_add_nothing():
    assert sum_outers([], []) == 0.0 and sum_products([], []) == 0.0


# -- the rewrite in generated code -------------------------------------------------------

def row_rnn(W, h, xs):
    """``h @ W``: a vector times a matrix, so the adjoint of ``W`` is ``np.outer(h, g)``."""
    for x in xs:
        h = np.tanh(h @ W + x)
    return np.sum(h * h)


def test_a_vector_times_a_matrix_in_a_loop():
    args = (rng.normal(size=(3, 3)) * 0.5, rng.normal(size=3), rng.normal(size=(4, 3)))
    source = s2sad.grad(row_rnn, wrt=(0, 1)).source_for(*args)
    assert "bW = bW + sum_outers(h_prev_all, bt1_all)" in source, source
    assert "np.outer" not in source
    check(row_rnn, args, ("W", "h"))


def test_a_loop_that_runs_no_times_keeps_the_gradient_s_shape():
    W, h = rng.normal(size=(3, 3)), rng.normal(size=3)
    gW = s2sad.grad(row_rnn)(W, h, np.zeros((0, 3)))
    assert isinstance(gW, np.ndarray) and gW.shape == (3, 3) and not gW.any()


def decaying(W, h, xs):
    """``W`` changes in the loop: its adjoint is read every iteration, so no rewrite."""
    for x in xs:
        h = np.tanh(W @ h + x)
        W = W * 0.9
    return np.sum(h)


def test_a_total_the_loop_reads_is_left_alone():
    args = (rng.normal(size=(3, 3)) * 0.5, rng.normal(size=3), rng.normal(size=(4, 3)))
    source = s2sad.grad(decaying, wrt=(0, 1)).source_for(*args)
    assert "np.outer" in source and "sum_outers" not in source, source
    check(decaying, args, ("W", "h"))


def nested(W, h, n, m):
    """A loop in a loop (and a ``while``): each adjoint loop sums its own terms."""
    i = 0
    while i < n:
        for _ in range(m):
            h = np.sin(W @ h) - h
        i = i + 1
    return np.sum(h ** 2)


def test_nested_loops_and_a_difference():
    args = (rng.normal(size=(3, 3)) * 0.5, rng.normal(size=3), 2, 3)
    source = s2sad.grad(nested, wrt=(0, 1)).source_for(*args)
    assert "sum_outers" in source, source
    check(nested, args, ("W", "h"))


def readout(w, hs):
    """``w @ h`` per row: the adjoint of ``w`` sums a scalar times a vector per iteration."""
    total = 0.0
    for h in hs:
        total = total + np.sin(w @ h)
    return total


def test_scalar_times_vector_terms_are_one_dot_product():
    args = (rng.normal(size=4), rng.normal(size=(5, 4)))
    source = s2sad.grad(readout).source_for(*args)
    assert "sum_products(" in source, source
    check(readout, args, ("w",))


def scalar_loop(x, y):
    """Floats: nothing to gain from stacking, so no rewrite."""
    for _ in range(5):
        x = np.sin(x) * y + np.cos(x * y)
    return x


def test_scalar_loops_are_left_alone():
    source = s2sad.grad(scalar_loop, wrt=(0, 1)).source_for(1.0, 0.5)
    assert "sum_products" not in source and "sum_outers" not in source
    check(scalar_loop, (0.3, 0.5), ("x", "y"))


def early_exit(W, h, xs, limit):
    """A ``break``: the adjoint loop runs over the iterations the primal ran."""
    for x in xs:
        h = np.tanh(W @ h + x)
        if np.sum(h) > limit:
            break
    return np.sum(h * h)


@pytest.mark.parametrize("limit", [-10.0, 0.0, 10.0])
def test_a_loop_that_breaks(limit):
    args = (rng.normal(size=(3, 3)) * 0.5, rng.normal(size=3), rng.normal(size=(5, 3)), limit)
    check(early_exit, args, ("W", "h"))

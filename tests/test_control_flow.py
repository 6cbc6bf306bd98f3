"""Reverse mode through control flow: a corpus of small functions, each checked at several
inputs (different branches, different trip counts) against central finite differences.

Every corpus function is registered with ``@case(wrt=..., label=args, ...)``; each label
becomes a test id such as ``branch_relu-neg``. For every (function, input) the tests check:

- the gradient agrees with ``s2sad.numeric_grad`` (rtol=1e-5, atol=1e-7);
- ``value_and_grad`` returns ``f(*args)`` and the same gradient as ``grad``, and the pullback
  of ``vjp`` agrees too;
- every gradient has its argument's shape and a float dtype;
- no argument is modified (the functions that assign into their arguments' elements would
  modify them if called directly; the generated code must not).

Known s2sad bugs (``Bug`` below) mark the affected (function, input, check) as strict xfails
that must fail with the expected exception. Constructs that are not supported yet are at the
end, as strict xfails that assert what a user would expect. Either kind fails loudly (XPASS)
once fixed or supported: then drop the mark.
"""

from __future__ import annotations

import copy
import inspect
from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as np
import pytest

import s2sad
from s2sad.errors import NoRuleError, UnsupportedSyntaxError

RTOL, ATOL = 1e-5, 1e-7
_rng = np.random.default_rng(20240611)


def vec(*values):
    return np.array(values, dtype=float)


def rand(*shape, scale=1.0):
    return scale * _rng.standard_normal(shape)


TESTS = ("gradient", "value", "shape", "mutation")


@dataclass(frozen=True)
class Bug:
    """A known s2sad bug: the ``tests`` of a case (at ``labels``, default all inputs) are
    strict xfails that must fail with ``raises``, so they fail loudly (XPASS) once the bug
    is fixed, and differently if the failure changes."""

    reason: str
    tests: tuple = ("gradient",)
    labels: tuple = ()
    raises: type = AssertionError


@dataclass
class Case:
    func: Callable
    wrt: Any
    inputs: dict  # label -> tuple of arguments
    bugs: tuple = ()

    @property
    def name(self) -> str:
        return self.func.__name__


CASES: list = []


def case(wrt=0, bugs=(), **inputs):
    """Register a corpus function with named inputs (each a tuple of arguments)."""

    def register(func):
        CASES.append(Case(func, wrt, inputs, tuple(bugs)))
        return func

    return register


# Known bugs, found by this corpus (minimal reproducers are in the report of the commit
# that added this file).
def at(bug: Bug, *labels) -> Bug:
    """``bug``, for the inputs ``labels`` only."""
    return replace(bug, labels=labels)


# =============================================================================== branches


@case(neg=(-1.5,), pos=(2.0,))
def branch_relu(x):
    if x > 0:
        y = x * x
    else:
        y = 0.5 * x
    return y


@case(below=(0.3,), above=(1.7,))
def branch_if_without_else(x):
    y = 2.0 * x
    if x < 1:
        y = y * x
    return y + np.sin(x)


@case(low=(-2.0,), mid=(0.4,), high=(1.8,))
def branch_elif(x):
    if x < -1:
        y = -(x ** 2)
    elif x < 1:
        y = np.sin(x)
    else:
        y = x ** 3
    return y


@case(wrt=(0, 1), a=(-3.0, 1.0), b=(-0.5, 2.0), c=(0.5, -1.0), d=(3.0, 0.7))
def branch_elif_four_way(x, y):
    if x < -2:
        z = x * y
    elif x < 0:
        z = x + y * y
    elif x < 2:
        z = np.exp(x) * y
    else:
        z = x / y
    return z


@case(small=(vec(0.2, -0.3, 0.1),), large=(vec(1.2, -0.8, 2.0),))
def branch_test_computed_from_active_value(x):
    if np.sum(x ** 2) > 1.0:
        y = np.sum(np.sqrt(x ** 2 + 1.0))
    else:
        y = np.sum(x ** 3)
    return y


@case(pos=(0.5,), neg=(2.5,))
def branch_test_on_intermediate(x):
    s = np.sin(x)
    c = np.cos(x)
    if s * c > 0:
        z = s * x
    else:
        z = c / x
    return z + s


@case(wrt=(0, 1), pp=(1.0, 2.0), pn=(1.5, -0.5), np=(-1.0, 0.7), nn=(-0.3, -2.0))
def branch_nested(x, y):
    if x > 0:
        if y > 0:
            z = x * y
        else:
            z = x - y ** 2
    else:
        if y > 0:
            z = np.exp(x) + y
        else:
            z = x * x * y
    return z


@case(neg=(-0.7,), pos=(1.3,))
def branch_not(x):
    if not x > 0:
        y = np.exp(x)
    else:
        y = np.log(x + 1.0)
    return y * x


@case(wrt=(0, 1), both=(1.0, 2.0), one=(1.0, -2.0), none=(-1.0, -2.0))
def branch_and_or_of_comparisons(x, y):
    if x > 0 and y > 0:
        z = x * y
    elif x > 0 or y > 0:
        z = x + 2.0 * y
    else:
        z = x * x + y * y
    return z


@case(wrt=(0, 1), both=(vec(1.0, 2.0), 0.5), neither=(vec(-1.0, 0.5), -0.5))
def branch_and_of_precomputed_flags(x, a):
    big = np.sum(x) > 0
    positive = a > 0
    if big and positive:
        z = np.sum(x * a)
    else:
        z = np.sum(x) * a * a
    return z


@case(mode0=(1.3, 0), mode1=(1.3, 1), mode2=(1.3, 2))
def branch_on_integer_argument(x, mode):
    if mode == 0:
        y = x * x
    elif mode == 1:
        y = np.sin(x)
    else:
        y = x ** 3 / 3.0
    return y


@case(first=(vec(2.0, 1.0, 0.5),), second=(vec(0.5, 1.0, 2.0),))
def branch_on_element(x):
    if x[0] > x[1]:
        y = x[0] * x[2]
    else:
        y = x[1] * np.sum(x)
    return y


@case(pos=(1.2,), neg=(-0.8,))
def branch_different_variables_assigned(x):
    if x > 0:
        a = x * 2.0
        b = x
    else:
        a = x
        b = x * x
    return a * b + a


@case(flat=(2.0,), curved=(0.5,))
def branch_constant_in_one_branch(x):
    if x > 1:
        y = 3.0
    else:
        y = x * x
    return y


@case(pos_trace=(np.array([[1.0, 0.5], [-0.3, 2.0]]),),
      neg_trace=(np.array([[-1.0, 0.5], [0.3, -2.0]]),))
def branch_on_matrix(A):
    if A[0, 0] + A[1, 1] > 0:
        y = np.sum(A @ A)
    else:
        y = np.sum(A.T * A) + np.sum(A)
    return y


@case(pos=(1.5,), neg=(-1.5,))
def branch_reassigns_argument(x):
    if x > 0:
        x = x * 2.0
    else:
        x = -x
    return x ** 2


@case(small=(1.5,), big=(3.0,))
def branch_reassigns_argument_one_side(x):
    if x > 2:
        x = np.log(x)
    return x * x


@case(pos=(vec(1.0, -2.0, 0.5),), neg=(vec(-1.0, -2.0, 0.5),))
def branch_vector_then_scalar(x):
    if x[0] > 0:
        y = x * x
    else:
        y = np.exp(x)
    return np.sum(y * vec(1.0, 2.0, 3.0))


# =========================================================================== a if c else b


@case(neg=(-1.5,), pos=(2.0,))
def ifexp_basic(x):
    y = x * x if x > 0 else -x
    return y


@case(low=(0.5,), high=(1.5,))
def ifexp_inside_expression(x):
    return 2.0 * (x if x > 1 else x ** 3) + 1.0


@case(cos_pos=(0.5,), cos_neg=(2.5,))
def ifexp_computed_test(x):
    y = np.sin(x) if np.cos(x) > 0 else np.cos(x) * x
    return y


@case(neg=(-0.5,), mid=(0.5,), high=(2.0,))
def ifexp_nested(x):
    y = x if x > 1 else (x ** 2 if x > 0 else -(x ** 3))
    return y * x


@case(pos=(vec(0.5, 1.0, -0.2),), neg=(vec(-0.5, -1.0, 0.2),))
def ifexp_vector(x):
    s = np.sum(x)
    return s * s if s > 0 else np.sum(x * x * x)


@case(k_pos=(1.1, 1), k_zero=(1.1, 0))
def ifexp_constant_choice(x, k):
    scale = 2.0 if k > 0 else 3.0
    return scale * x * x


@case(wrt=(0, 1), x_big=(2.0, 1.0), y_big=(1.0, 2.0))
def ifexp_max_of_two(x, y):
    m = x if x > y else y
    return m * m + x * y


# ================================================================================ returns


@case(early=(3.0,), late=(1.0,))
def return_early(x):
    if x > 2:
        return x ** 2
    y = np.sin(x)
    return y * x


@case(neg=(-1.0,), mid=(0.5,), high=(4.0,))
def return_in_elif_chain(x):
    if x < 0:
        return -x * x
    elif x < 1:
        return x * x * x
    return np.sqrt(x)


@case(wrt=(0, 1), x_gt=(2.0, 1.0), x_le=(0.5, 1.5))
def return_in_both_branches(x, y):
    if x > y:
        return x * y
    else:
        return x + y * y


@case(a=(0.5,), b=(1.5,), c=(-0.5,))
def return_in_nested_if(x):
    if x > 0:
        if x > 1:
            return np.log(x) * x
        y = x * 3.0
    else:
        y = np.exp(x)
    return y * y


@case(n0=(1.3, 0), n3=(1.3, 3))
def return_after_loop_in_branch(x, n):
    if n > 0:
        s = 0.0
        for i in range(n):
            s = s + x ** i
        return s
    return np.cos(x)


@case(early=(2.0,), late=(0.4,), never=(0.1,))
def return_inside_for_loop(x):
    s = 0.0
    for i in range(5):
        s = s + x * i
        if s > 3.0:
            return s * s
    return s


@case(early=(0.5,), never=(0.01,))
def return_inside_while_loop(x):
    k = 0
    while k < 10:
        x = x * 1.5
        if x > 3.0:
            return x * 2.0
        k = k + 1
    return x


@case(inner=(0.4, 4), never=(0.1, 3))
def return_inside_nested_loops(x, n):
    s = 0.0
    for i in range(n):
        for j in range(n):
            s = s + x * (i + j)
            if s > 5.0:
                return s * s
    return s


@case(a=(0.7,), b=(-1.3,))
def nested_def_without_enclosing_variables(x):
    def g(v, w=2.0):
        return v * v * w

    return g(x) + g(np.sin(x), w=3.0)


# ============================================================================= for loops


@case(a=(0.7,), b=(-1.3,))
def loop_range_constant(x):
    s = 0.0
    for i in range(4):
        s = s + np.sin(x * i) + x
    return s


@case(n0=(0.7, 0), n1=(0.7, 1), n5=(0.7, 5))
def loop_range_argument(x, n):
    s = x
    for i in range(n):
        s = s * x + i
    return s


@case(n2=(1.1, 2), n7=(1.1, 7))
def loop_range_start_stop_step(x, n):
    s = 0.0
    for i in range(1, n, 2):
        s = s + x ** i / i
    return s


@case(a=(0.3,), b=(1.7,))
def loop_arange_constant(x):
    s = 0.0
    for t in np.arange(4):
        s = s + np.cos(t * x) * t
    return s


@case(n0=(0.9, 0), n3=(0.9, 3), n6=(0.9, 6))
def loop_arange_argument(x, n):
    p = 1.0
    for t in np.arange(n):
        p = p * (1.0 + x / (t + 1.0))
    return p


@case(m2x3=(rand(2, 3),), m4x3=(rand(4, 3),))
def loop_over_matrix_rows(X):
    s = 0.0
    for row in X:
        s = s + np.sum(row ** 2) * np.sum(row)
    return s


@case(wrt=(0, 1), m3=(rand(3), rand(3, 3)), m5=(rand(3), rand(5, 3)))
def loop_over_rows_weighted(w, X):
    s = 0.0
    for row in X:
        s = s + np.tanh(row @ w)
    return s


@case(three=(1.5, [1.0, -2.0, 3.0]), five=(-0.7, [0.5, 1.0, 2.0, -1.0, 4.0]), none=(0.3, []))
def loop_over_list_argument_horner(x, coeffs):
    s = 0.0
    for c in coeffs:
        s = s * x + c
    return s


@case(pair=(1.2, (2.0, 3.0)), single=(0.4, (5.0,)))
def loop_over_tuple_argument(x, scales):
    s = 0.0
    for k in scales:
        s = s + np.sin(k * x)
    return s


@case(vector=(vec(0.5, -1.0, 2.0),), longer=(rand(6),))
def loop_over_vector_elements(x):
    s = 0.0
    for v in x:
        s = s + v * v * v
    return s


@case(wrt=(0, 1), n3=(rand(3), rand(3)), n5=(rand(5), rand(5)))
def loop_zip(x, y):
    s = 0.0
    for a, b in zip(x, y):
        s = s + a * b * b
    return s


@case(wrt=(0, 1), short=(rand(2), rand(4)), equal=(rand(3), rand(3)))
def loop_zip_unequal_lengths(x, y):
    s = 0.0
    for a, b in zip(x, y):
        s = s + np.exp(a - b)
    return s


@case(wrt=(0, 2), rows=(rand(3, 2), [1.0, 2.0, 3.0], rand(3)))
def loop_zip_three(X, weights, y):
    s = 0.0
    for row, w, t in zip(X, weights, y):
        s = s + w * (np.sum(row) - t) ** 2
    return s


@case(n3=(vec(0.5, -1.0, 2.0),), n5=(rand(5),))
def loop_enumerate(x):
    s = 0.0
    for i, v in enumerate(x):
        s = s + (i + 1) * v ** 2
    return s


@case(m=(rand(3, 2),))
def loop_enumerate_rows(X):
    s = 0.0
    for i, row in enumerate(X):
        s = s + np.sum(row * row) * i + np.sum(row)
    return s


@case(n3=(vec(0.5, -1.0, 2.0),), n4=(rand(4),))
def loop_reversed(x):
    acc = 0.0
    for v in reversed(x):
        acc = acc * 0.5 + v * v
    return acc + x[0] * acc


@case(n0=(1.2, 0), n4=(1.2, 4))
def loop_reversed_range(x, n):
    s = 1.0
    for i in reversed(range(n)):
        s = s * x + i
    return s


@case(n3=(rand(3),), n4=(rand(4),))
def loop_reversed_enumerate_zip(x):
    s = 0.0
    for i, (a, b) in enumerate(zip(x, reversed(x))):
        s = s + i * a * b + a
    return s


@case(wrt=(0, 1), n2m3=(rand(2, 3), rand(3), 2, 3), n3m2=(rand(3, 3), rand(3), 3, 2))
def loop_nested(X, x, n, m):
    s = 0.0
    for i in range(n):
        for j in range(m):
            s = s + X[i, j] * x[j] * x[j]
    return s


@case(n3=(rand(3),), n5=(rand(5),))
def loop_nested_triangular(x):
    s = 0.0
    for i in range(len(x)):
        for j in range(i):
            s = s + x[i] * x[j] * (i - j)
    return s


@case(a=(0.8, 2), b=(1.7, 4))
def loop_nested_while_in_for(x, n):
    s = 0.0
    for i in range(n):
        k = 0
        while k < i:
            s = s + np.sin(x * k) * x
            k = k + 1
    return s


@case(n0=(0.5, 0), n5=(0.5, 5))
def loop_overwrites_variable_many_times(x, n):
    for _ in range(n):
        x = np.cos(x) * 0.9 + 0.1 * x
    return x


@case(x=(rand(3),))
def loop_gradient_descent_unrolled(x):
    A = np.array([[3.0, 0.5, 0.0], [0.5, 2.0, 0.3], [0.0, 0.3, 1.0]])
    b = vec(1.0, -1.0, 0.5)
    for _ in range(10):
        x = x - 0.1 * (A @ x - b)
    return np.sum(x ** 2)


@case(wrt=(0, 1), k0=(rand(2, 2), rand(2), 0), k3=(rand(2, 2), rand(2), 3))
def loop_matrix_power(A, v, k):
    P = np.eye(2)
    for _ in range(k):
        P = P @ A
    return np.sum((P @ v) ** 2)


@case(wrt=(0, 1, 3), t3=(rand(3, 3, scale=0.5), rand(3, 3, scale=0.5), rand(4, 2, 3), rand(3)),
      t1=(rand(3, 3, scale=0.5), rand(3, 3, scale=0.5), rand(1, 2, 3), rand(3)))
def loop_rnn(W, U, xs, h0):
    loss = 0.0
    for seq in xs:
        h = h0
        for x in seq:
            h = np.tanh(W @ x + U @ h)
        loss = loss + np.sum(h ** 2)
    return loss


@case(wrt=(0, 1, 3), t4=(rand(3, 2, scale=0.5), rand(3, 3, scale=0.5), rand(4, 2), rand(3)),
      t0=(rand(3, 2, scale=0.5), rand(3, 3, scale=0.5), np.zeros((0, 2)), rand(3)))
def loop_rnn_recurrence(W, U, xs, h):
    for x in xs:
        h = np.tanh(W @ x + U @ h)
    return np.sum(h ** 2) + np.sum(h)


@case(v=(vec(0.5, -1.0, 2.0),))
def loop_accumulate_array(x):
    y = np.zeros_like(x)
    for i in range(4):
        y = y + x ** 2 * i - x
    return np.sum(y * y)


@case(a=(rand(3, 2),))
def loop_accumulate_matrix_rows(X):
    total = np.zeros(2)
    for row in X:
        total = total + row * row
    return np.sum(total * vec(1.0, 3.0))


@case(n2=(1.4, 2), n6=(1.4, 6))
def loop_integer_counter_flows_through(x, n):
    count = 0
    s = 0.0
    for i in range(n):
        if i % 2 == 0:
            count = count + 1
        s = s + x * count
    return s * count


# =========================================================================== while loops


@case(n0=(0.3, 0), n4=(0.3, 4))
def while_counter(x, n):
    k = 0
    while k < n:
        x = np.sin(x) + x
        k += 1
    return x


@case(few=(0.01,), many=(3.0,), neg=(-0.5,))
def while_computed_condition_with_cap(x):
    k = 0
    while np.abs(x) > 1e-3:
        x = x * 0.5 + x ** 3 * 0.01
        k = k + 1
        if k >= 50:
            break
    return x * x + x


@case(two=(2.0,), ten=(10.0,))
def while_newton_sqrt(a):
    y = a
    k = 0
    while abs(y * y - a) > 1e-6 * a:
        y = 0.5 * (y + a / y)
        k = k + 1
        if k > 30:
            break
    return y


@case(inside=(vec(0.3, 0.4),), outside=(vec(2.0, -1.5),))
def while_test_on_vector(x):
    k = 0
    while np.sum(x ** 2) > 1.0:
        x = x * 0.8
        k = k + 1
    return np.sum(x * vec(1.0, 2.0)) + k


@case(a=(0.4,), b=(2.5,))
def while_true_with_break(x):
    s = 0.0
    while True:
        s = s + x
        x = x * 1.5
        if x > 5.0:
            break
    return s


@case(wrt=(0, 1), short=(1.0, 3.0), long=(1.0, 20.0))
def while_bound_depends_on_argument_value(x, limit):
    y = x
    while y < limit:
        y = y * 1.3 + x
    return y


# ========================================================================= break/continue


@case(no_break=(vec(0.5, 1.0, 2.0),), breaks=(vec(0.5, -1.0, 2.0),), first=(vec(-1.0, 1.0),))
def break_in_for(x):
    s = 0.0
    for v in x:
        if v < 0:
            break
        s = s + v ** 2
    return s


@case(none=(vec(0.5, 1.0, 2.0),), some=(vec(0.5, -1.0, 2.0, -3.0),))
def continue_in_for(x):
    s = 0.0
    for v in x:
        if v < 0:
            continue
        s = s + v ** 3
    return s + np.sum(x)


@case(breaks=(vec(0.1, 0.2, 0.9, 0.3),), runs=(vec(0.1, 0.2, 0.3, 0.4),))
def break_inside_nested_if(x):
    s = 0.0
    for i in range(len(x)):
        if i > 1:
            if x[i] > 0.5:
                break
            s = s + x[i] * 10.0
        s = s + x[i] ** 2
    return s


@case(a=(vec(0.5, -1.0, 3.0, 0.2, 0.7),), b=(vec(0.5, 0.1, 0.2, 0.3),))
def break_and_continue(x):
    s = 0.0
    for v in x:
        if v < 0:
            continue
        elif v > 2:
            break
        s = s + np.exp(v)
    return s


@case(m=(np.array([[0.5, -1.0, 2.0], [1.0, 2.0, -0.5], [-1.0, 1.0, 1.0]]),))
def break_inner_loop_only(X):
    s = 0.0
    for row in X:
        for v in row:
            if v < 0:
                break
            s = s + v * v
    return s


@case(a=(0.3,), b=(2.0,))
def continue_in_while(x):
    k = 0
    s = 0.0
    while k < 6:
        k = k + 1
        if k % 2 == 0:
            continue
        s = s + x ** k
    return s


@case(short=(1.5,), long=(0.2,))
def break_after_update_in_range(x):
    s = x
    for _ in range(10):
        s = s * 1.5 + x
        if s > 4.0:
            break
    return s


# ===================================================== element assignment (y[i] = v, +=)


@case(n3=(vec(0.5, -1.0, 2.0),), n5=(rand(5),))
def setitem_into_new_array(x):
    y = np.zeros(len(x))
    for i in range(len(x)):
        y[i] = x[i] ** 2 * (i + 1)
    return np.sum(y * y)


@case(n3=(vec(0.5, -1.0, 2.0),), n5=(rand(5),))
def setitem_augmented_into_new_array(x):
    y = np.ones_like(x)
    for i in range(1, len(x)):
        y[i] += x[i] * x[i - 1]
        y[i - 1] *= x[i]
    return np.sum(y)


@case(v=(vec(0.5, -1.0, 2.0),))
def setitem_into_argument(x):
    x[0] = x[0] * 3.0
    return np.sum(x * x)


@case(n3=(vec(0.5, -1.0, 2.0),), n5=(rand(5),))
def setitem_into_argument_in_loop(x):
    for i in range(1, len(x)):
        x[i] = x[i] + x[i - 1] * 0.5
    return np.sum(x ** 2)


@case(a=(0.7, np.zeros(3)), b=(-1.2, vec(1.0, 2.0, 3.0)))
def setitem_into_non_wrt_argument(x, buf):
    buf[0] = x * 2.0
    buf[2] = buf[0] * x
    return np.sum(buf * buf)


@case(m=(rand(2, 3),))
def setitem_matrix_element(A):
    for i in range(2):
        for j in range(3):
            if (i + j) % 2 == 0:
                A[i, j] = A[i, j] * A[1 - i, j]
    return np.sum(A ** 2)


@case(v=(rand(4),))
def setitem_slice(x):
    y = np.zeros(5)
    y[1:] = x * 2.0
    y[:2] += x[:2] ** 2
    return np.sum(y * np.arange(5.0))


@case(wrt=(0, 1), m=(rand(3, 2), rand(2)))
def setitem_row_augmented(M, v):
    for i in range(3):
        M[i] += v * i
    return np.sum(M ** 2)


@case(v=(vec(0.5, -1.0, 2.0, 0.3),))
def setitem_in_branch_in_loop(x):
    y = np.zeros_like(x)
    for i in range(len(x)):
        if x[i] > 0:
            y[i] = x[i] ** 2
        else:
            y[i] = np.sin(x[i])
    return np.sum(y * x)


@case(v=(vec(0.5, -1.0, 2.0),))
def setitem_overwrites_same_element(x):
    y = np.zeros(2)
    for v in x:
        y[0] = y[0] * v + v
        y[1] = y[0] * 2.0
    return np.sum(y ** 2)


# ================================================================ tuples and augmentation


@case(a=(0.7,))
def tuple_unpacking(x):
    a, b = x * 2.0, x + 1.0
    return a * b


@case(wrt=(0, 1), a=(0.7, 1.3))
def tuple_swap(x, y):
    a, b = x, y
    for _ in range(3):
        a, b = b, a * b + 0.1
    return a + 2.0 * b


@case(m=(rand(2, 3),))
def tuple_unpack_rows_and_shape(X):
    n, m = X.shape
    r0, r1 = X
    return np.sum(r0 * r1) / (n * m)


@case(a=(0.7,), b=(-1.4,))
def augmented_assignment_operators(x):
    y = x
    y += x
    y *= x
    y -= 1.0
    y /= 2.0
    y **= 2
    return y


@case(v=(vec(0.5, -1.0, 2.0),))
def augmented_assignment_vector(x):
    y = x * 1.0
    y += 2.0
    y *= x
    y /= (1.0 + x * x)
    return np.sum(y)


@case(no_break=(1.5,), breaks=(3.0,))
def for_else(x):
    s = x
    for _ in range(3):
        s = s * x
        if s > 10.0:
            break
    else:
        s = s + 1.0
    return s


@case(no_break=(0.5,), breaks=(1.2,))
def while_else_with_inner_loop_break(x):
    s = x
    j = 0
    while j < 3:
        j += 1
        for k in range(3):
            if k > 1:
                break  # leaves the inner loop only: the else still runs
            s = s + x * k
        if s > 4.0:
            break
    else:
        s = s * 2.0
    return s * x


@case(a=(0.7,), b=(-1.3,))
def nested_def_reading_enclosing_variable(x):
    k = x * 2.0

    def g(v):
        return v * k

    y = g(x)
    k = np.sin(x)  # late binding: the second call sees the new k
    return y + g(x) + x


@case(a=(0.7,))
def nested_def_with_default_reading_enclosing_variable(x):
    k = x * x

    def g(v, scale=2.0):
        return v * k * scale

    return g(x) + g(x, scale=0.5)


@case(v=(vec(0.3, -0.2, 0.7), 1.3))
def list_comprehension_with_condition(x, w):
    ys = [np.sin(xi) * w for xi in x if xi > 0]
    return sum(y * y for y in ys)


@case(v=(vec(0.3, -0.2, 0.7),))
def nested_comprehension_over_pairs(x):
    return sum([a * b for a in x for b in x if a < b])


@case(s=(0.6,))
def comprehension_variable_keeps_outer_name(x):
    k = x * 3.0
    ks = [k * x for k in range(3)]  # this k is the comprehension's own
    return sum(ks) + k


@case(m=(rand(3, 2),))
def comprehension_into_stack(X):
    rows = np.stack([np.tanh(r) * 2.0 for r in X])
    return np.sum(rows * X)


@case(big=(0.9,), small=(0.2,))
def and_or_as_values(x):
    z = (x > 0.5 and x * 2.0) or x * 3.0
    return z * x


# ======================================================================= subscript reads


@case(v=(vec(0.5, -1.0, 2.0),))
def subscript_integer(x):
    return x[0] * x[2] + x[-1] ** 2


@case(m=(rand(3, 2),))
def subscript_two_indices(X):
    return X[1, 0] * X[0, 1] + X[2, 1]


@case(v=(rand(5),))
def subscript_slices(x):
    return np.sum(x[1:] * x[:-1]) + np.sum(x[::2])


@case(v=(rand(3),))
def subscript_new_axis(x):
    return np.sum(x[..., None] * x[None, :] * vec(1.0, 2.0, 3.0))


@case(mixed=(vec(0.5, -1.0, 2.0, -0.3),), positive=(vec(0.5, 1.0),))
def subscript_boolean_mask(x):
    return np.sum(x[x > 0] ** 2)


@case(v=(rand(4),))
def subscript_integer_array_repeated(x):
    idx = np.array([0, 2, 2, 3])
    return np.sum(x[idx] ** 2)


@case(m=(rand(3, 4),))
def subscript_rows_columns(X):
    return np.sum(X[:, 1] * X[0, :3]) + np.sum(X[1] ** 2)


@case(m=(rand(3, 3),))
def subscript_in_nested_loop(X):
    s = 0.0
    for i in range(3):
        for j in range(3):
            if i != j:
                s = s + X[i, j] * X[j, i]
    return s


@case(v=(rand(6),))
def subscript_index_from_integer_arithmetic(x):
    s = 0.0
    n = len(x)
    for i in range(n):
        j = (i * 3 + 1) % n
        s = s + x[i] * x[j]
    return s


# ======================================================== integer code, len, shape, masks


@case(some=(vec(0.5, -1.0, 2.0),), all=(vec(0.5, 1.0, 2.0),))
def integer_count_of_positive(x):
    count = 0
    for v in x:
        if v > 0:
            count += 1
    return np.sum(x) * count


@case(m=(rand(3, 2),))
def len_and_shape(X):
    n, m = X.shape
    return np.sum(X * X) / (n * m) + len(X) * np.sum(X)


@case(v=(vec(0.5, -1.0, 2.0),))
def comparison_as_mask(x):
    mask = x > 0
    return np.sum(x * mask * x)


@case(a=(2.3,), b=(-1.7,))
def floor_flows_into_loop_bound(x):
    n = int(np.floor(np.abs(x)))
    s = 0.0
    for i in range(n + 1):
        s = s + x * (i + 1)
    return s


@case(v=(vec(0.5, -1.0, 2.0),))
def argmax_selects_element(x):
    k = np.argmax(x)
    return x[k] ** 2 + np.sum(x)


@case(v=(vec(0.5, -1.0, 2.0),))
def sign_and_shape_constants(x):
    s = np.sign(x)
    return np.sum(s * x) + np.size(x) * x[0]


# ============================================================= calls to module functions


def square_plus(x, i):
    return x * x + i


def scaled(x, scale=2.0, shift=0.0):
    return scale * x + shift


def inner_helper(x):
    return np.sin(x) * x


def outer_helper(x):
    return inner_helper(x) + inner_helper(2.0 * x)


def power(x, n):
    if n == 0:
        return 1.0
    return x * power(x, n - 1)


def power_ifexp(x, n):
    return 1.0 if n == 0 else x * power_ifexp(x, n - 1)


def helper_sum_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + x / (i + 1.0)
    return s


def helper_piecewise(x):
    if x > 0:
        y = x * x
    else:
        y = -x
    return y


def helper_two(a, b):
    return a * b + a


def vector_helper(v, w):
    return np.sum(v * w) + np.sum(v ** 2)


def fib_like(x, n):
    if n <= 1:
        return x
    return fib_like(x, n - 1) + 0.5 * fib_like(x, n - 2)


def bump_first(v):
    v[0] = v[0] * 2.0
    return np.sum(v * v)


def power_keyword(x, n=0):
    if n == 0:
        return 1.0
    return x * power_keyword(x, n=n - 1)


@case(n0=(0.8, 0), n3=(0.8, 3))
def call_helper_in_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + square_plus(x, i)
    return s + x


@case(a=(0.8,))
def call_helper_calling_helper(x):
    return outer_helper(x) * x


@case(a=(0.8,))
def call_helper_keyword_and_default(x):
    return scaled(x) + scaled(x, scale=3.0) + scaled(x, shift=1.0, scale=-1.0)


@case(wrt=(0, 1), a=(0.8, 1.5))
def call_helper_active_keyword(x, y):
    return scaled(x, scale=y) * scaled(y, shift=x)


@case(n0=(1.3, 0), n1=(1.3, 1), n4=(1.3, 4))
def call_recursive_power(x, n):
    return power(x, n) + x


@case(n0=(1.3, 0), n3=(1.3, 3))
def call_recursive_power_ifexp(x, n):
    return power_ifexp(x, n)


@case(n1=(0.9, 1), n4=(0.9, 4))
def call_recursive_twice(x, n):
    return fib_like(x, n) * x


@case(n2=(0.6, 2), n5=(0.6, 5))
def call_helper_with_loop(x, n):
    return helper_sum_loop(x, n) * helper_sum_loop(x * x, 2)


@case(pos=(0.7,), neg=(-0.7,))
def call_helper_with_branch_in_branch(x):
    if x > 0:
        y = helper_piecewise(x) + helper_piecewise(-x)
    else:
        y = helper_piecewise(x * 3.0)
    return y


@case(wrt=(0, 1), a=(0.8, -1.1))
def call_helper_two_active_arguments(x, y):
    return helper_two(x, y) + helper_two(y, 2.0)


@case(a=(0.8,))
def call_helper_same_argument_twice(x):
    return helper_two(x, x)


@case(wrt=(0, 1), v=(rand(3), rand(3)))
def call_vector_helper_in_loop(v, w):
    s = 0.0
    for i in range(3):
        s = s + vector_helper(v * i, w)
    return s


@case(n1=(0.5, 1), n3=(0.5, 3))
def call_helper_in_loop_overwrites(x, n):
    for _ in range(n):
        x = inner_helper(x) + 0.5
    return x


# ======================================================================== combinations


@case(pos_n3=(0.8, 3), neg_n3=(-0.8, 3), pos_n0=(0.8, 0))
def combo_loop_inside_branch(x, n):
    if x > 0:
        s = 0.0
        for i in range(n):
            s = s + x ** (i + 1)
    else:
        s = x
        k = 0
        while k < n:
            s = s * np.cos(s)
            k = k + 1
    return s


@case(mixed=(vec(0.5, -1.0, 2.0, -0.3),), positive=(vec(0.5, 1.0),))
def combo_branch_inside_loop(x):
    s = 0.0
    for v in x:
        if v > 0:
            s = s + v ** 2
        else:
            s = s - np.sin(v)
    return s


@case(n2=(0.7, 2), n6=(0.7, 6), big=(3.5, 6))
def combo_branch_on_carried_value(x, n):
    for _ in range(n):
        if x > 1:
            x = x / 2.0 + 0.1
        else:
            x = x * 3.0
    return x


@case(a=(vec(0.5, -1.0, 2.0),))
def combo_branch_in_nested_loop(x):
    s = 0.0
    for i in range(len(x)):
        for j in range(len(x)):
            if x[i] > x[j]:
                s = s + x[i] * x[j]
            elif i == j:
                s = s + x[i] ** 2
    return s


@case(a=(0.3,), b=(1.9,))
def combo_while_with_branch(x):
    k = 0
    while k < 5:
        if x < 1:
            x = x * 2.0
        else:
            x = np.sqrt(x)
        k = k + 1
    return x


@case(wrt=(0, 1), a=(vec(1.0, 2.0), vec(0.5, -0.5)))
def combo_ifexp_in_loop(x, y):
    s = 0.0
    for a, b in zip(x, y):
        s = s + (a * b if a > b else a - b)
    return s


@case(a=(vec(0.2, 0.4, 0.9),), b=(vec(0.9, 0.2, 0.1),))
def combo_softmax_loop(x):
    m = 0.0
    for v in x:
        m = v if v > m else m
    e = np.exp(x - m)
    z = 0.0
    for v in e:
        z = z + v
    return np.log(z) + m


@case(a=(vec(0.5, 1.5),))
def combo_running_product_of_helper(x):
    p = 1.0
    for v in x:
        p = p * scaled(v, scale=v)
    return p


@case(wrt=(0, 1), a=(vec(1.0, -2.0, 0.5), 1.5), b=(vec(-1.0, 2.0), -0.5))
def combo_branch_value_used_after_branch_in_loop(x, w):
    s = 0.0
    for v in x:
        if v > 0:
            y = v
        else:
            y = 0.1 * v
        s = s + w * y
    return s


@case(few=(0.01,), many=(3.0,), neg=(-0.5,))
def while_computed_condition_cap_checked_first(x):
    k = 0
    while np.abs(x) > 1e-3:
        if k >= 50:
            break
        x = x * 0.5 + x ** 3 * 0.01
        k = k + 1
    return x * x + x


@case(few=(0.01,), many=(3.0,))
def loop_convergence_break_at_top(x):
    for _ in range(50):
        if np.abs(x) < 1e-3:
            break
        x = x * 0.5
    return x * 7.0 + x * x


@case(n0=(0.7, 1.3, 0), n3=(0.7, 1.3, 3), wrt=(0, 1))
def loop_pure_swap(x, y, n):
    a, b = x, y
    for _ in range(n):
        a, b = b, a
        a = a * 1.1
    return a * a + 3.0 * b


@case(wrt=(0, 1), a=(0.7, 1.3))
def loop_over_tuple_of_active_values(x, y):
    s = 0.0
    for v in (x, y, x * y):
        s = s + v ** 2
    return s


@case(a=(0.7,), b=(-1.2,))
def loop_over_list_of_active_values(x):
    p = 1.0
    for v in [x, 2.0 * x, np.sin(x)]:
        p = p * v
    return p


@case(two=(rand(3), [rand(3, 3, scale=0.5), rand(3, 3, scale=0.5)]), none=(rand(3), []))
def loop_over_list_of_matrices(x, mats):
    for M in mats:
        x = np.tanh(M @ x)
    return np.sum(x * x)


@case(m=(rand(3, 2),))
def loop_unpack_rows(X):
    s = 0.0
    for a, b in X:
        s = s + a * b * b
    return s


@case(a=(0.6,))
def loop_arange_float_steps(x):
    s = 0.0
    for t in np.arange(0.0, 1.0, 0.25):
        s = s + np.exp(-t * x)
    return s


@case(v=(vec(0.5, -1.0, 2.0),))
def loop_variable_first_assigned_inside(x):
    s = 0.0
    for v in x:
        last = v * 2.0
        s = s + last
    return last * s


@case(n1=(0.8, 1), n4=(0.8, 4))
def loop_target_used_after_loop(x, n):
    s = x
    for i in range(n):  # noqa: B007 (the loop variable is read after the loop)
        s = s * x + 1.0
    return s * i


@case(m=(rand(3, 2),))
def loop_accumulator_changes_shape(X):
    s = 0.0
    for row in X:
        s = s + row * row
    return np.sum(s * vec(1.0, 2.0))


@case(wrt=(0, 1), a=(rand(3), rand(2, 3)))
def loop_broadcast_bias(b, X):
    h = np.zeros((2, 3))
    for i in range(3):
        h = np.tanh(h + b * i + X)
    return np.sum(h)


@case(short=(vec(0.5, -1.0),), long=(vec(0.5, -1.0, 2.0, 0.3),))
def loop_bound_from_shape_and_len(x):
    s = 0.0
    for i in range(x.shape[0]):
        if len(x) > 2:
            s = s + x[i] ** 3
        else:
            s = s + x[i] * 2.0
    return s


@case(v=(vec(0.5, -1.0, 2.0),))
def while_index_loop(x):
    i = 0
    s = 0.0
    while i < len(x):
        s = s * 0.5 + x[i] ** 2
        i = i + 1
    return s


@case(pos=(0.6,), neg=(-0.6,))
def ifexp_chooses_trip_count(x):
    n = 3 if x > 0 else 1
    s = 0.0
    for i in range(n):
        s = s + x ** (i + 1)
    return s


def call_helper_assigning_into_its_argument(x):
    return bump_first(x) * 3.0


def call_helper_mutation_seen_by_caller(x):
    return bump_first(x) + np.sum(x * 3.0)


def setitem_through_alias(x):
    y = x
    y[0] = 5.0 * y[1]
    return np.sum(x * x)


@case(n0=(1.2, 0), n3=(1.2, 3))
def call_recursive_keyword_argument(x, n):
    return power_keyword(x, n=n) * 2.0


@case(a=(0.4,), b=(-0.9,))
def call_helper_chain_in_loop(x):
    s = 0.0
    for i in range(3):
        s = s + outer_helper(x * i) + helper_piecewise(x - i)
    return s


@case(pos=(0.5,), neg=(-0.5,))
def return_constant_in_one_branch(x):
    if x < 0:
        return 2.0
    return x * x


@case(m=(rand(3, 3),))
def combo_nested_loops_setitem_and_break(A):
    out = np.zeros(3)
    for i in range(3):
        for j in range(3):
            if j > i:
                break
            out[i] += A[i, j] * A[j, i]
    return np.sum(out * out)


@case(a=(0.9,), b=(1.6,))
def continue_after_update(x):
    s = 1.0
    for _ in range(4):
        s = s * x
        if s > 2.0:
            continue
        s = s + 0.5
    return s


@case(mixed=(vec(0.5, -1.0, 2.0),), positive=(vec(0.5, 1.0),))
def combo_helper_in_branch_in_loop(x):
    s = 0.0
    for v in x:
        if v > 0:
            s = s + inner_helper(v)
        else:
            s = s + scaled(v, scale=-2.0)
    return s


@case(n2=(0.9, 2), n3=(0.9, 3))
def combo_recursion_in_loop(x, n):
    s = 0.0
    for i in range(n):
        s = s + power(x, i + 1) / (i + 1.0)
    return s


# ======================================================== lists, tuples and dicts as values


@case(a=(1.3,), b=(-0.6,))
def list_append_then_iterate(x):
    xs = []
    for i in range(3):
        xs.append(x ** i)
    s = 0.0
    for v in xs:
        s = s + v * v
    return s


@case(n0=(0.8, 0), n4=(0.8, 4))
def list_append_in_loop_then_index(x, n):
    hs = [x]
    for i in range(n):
        hs.append(np.sin(hs[i]) + x)
    return hs[-1] * hs[0]


@case(a=(0.7,))
def dict_values(x):
    d = {"a": x * 2.0, "b": np.sin(x)}
    return d["a"] * d["b"]


@case(wrt=(0, 1), a=(0.7, -1.1))
def dict_item_assignment_in_branch(x, y):
    d = {"p": x}
    if x > y:
        d["q"] = x * y
    else:
        d["q"] = y
    return d["p"] * d["q"]


@case(two=([vec(1.0, 2.0), vec(0.5, -1.0, 3.0)],))
def list_argument_wrt(xs):
    return np.sum(xs[0]) * np.sum(xs[1] ** 2)


@case(wrt=(0, 1), two=([rand(3, 3, scale=0.5), rand(3, 3, scale=0.5)], rand(3)))
def list_argument_wrt_in_loop(mats, x):
    for M in mats:
        x = np.tanh(M @ x)
    return np.sum(x ** 2)


@case(pair=((0.5, vec(1.0, -2.0)),))
def tuple_argument_wrt(params):
    a, b = params
    return a * np.sum(b ** 2)


@case(d=({"w": vec(0.5, -1.0), "b": 0.3},))
def dict_argument_wrt(params):
    return np.sum(np.tanh(params["w"] * 2.0 + params["b"]))


# ===================================================================== parametrization


def _param_names(func):
    return list(inspect.signature(func).parameters)


def wrt_names(c: Case) -> list:
    params = _param_names(c.func)
    items = c.wrt if isinstance(c.wrt, tuple) else (c.wrt,)
    return [params[w] if isinstance(w, int) else w for w in items]


def wrt_positions(c: Case) -> list:
    params = _param_names(c.func)
    return [params.index(name) for name in wrt_names(c)]


def _params(test: str) -> list:
    out = []
    for c in CASES:
        for label in c.inputs:
            marks = [pytest.mark.xfail(strict=True, raises=bug.raises, reason=bug.reason)
                     for bug in c.bugs
                     if test in bug.tests and (not bug.labels or label in bug.labels)]
            out.append(pytest.param(c, label, id=f"{c.name}-{label}", marks=marks))
    return out


class Copying:
    """Calls ``func`` on deep copies of its arguments. Some corpus functions assign into
    their arguments' elements (which plain Python does in place), and ``numeric_grad``
    passes the same non-differentiated arguments to every call. ``__code__`` is the
    function's own, which is how ``numeric_grad`` finds the parameter names."""

    def __init__(self, func):
        self.func = func
        self.__code__ = func.__code__

    def __call__(self, *args):
        return self.func(*copy.deepcopy(args))


def fresh(c: Case, label: str) -> tuple:
    return copy.deepcopy(c.inputs[label])


def as_tuple(c: Case, grads):
    return grads if isinstance(c.wrt, tuple) else (grads,)


def assert_close(actual, desired, err_msg=""):
    """``assert_allclose`` leaf by leaf through lists, tuples and dicts (which must match)."""
    if isinstance(desired, dict):
        assert isinstance(actual, dict) and actual.keys() == desired.keys(), err_msg
        for k in desired:
            assert_close(actual[k], desired[k], err_msg)
    elif isinstance(desired, (list, tuple)):
        assert type(actual) is type(desired) and len(actual) == len(desired), err_msg
        for a, d in zip(actual, desired):
            assert_close(a, d, err_msg)
    else:
        np.testing.assert_allclose(actual, desired, rtol=RTOL, atol=ATOL, err_msg=err_msg)


def assert_shaped_like(g, arg, name):
    """``g`` has the structure of ``arg``, and each leaf its shape and a float dtype (a
    scalar for a float)."""
    if isinstance(arg, dict):
        assert isinstance(g, dict) and g.keys() == arg.keys(), name
        for k in arg:
            assert_shaped_like(g[k], arg[k], name)
    elif isinstance(arg, (list, tuple)):
        assert type(g) is type(arg) and len(g) == len(arg), name
        for h, a in zip(g, arg):
            assert_shaped_like(h, a, name)
    else:
        assert np.shape(g) == np.shape(arg), name
        assert np.asarray(g).dtype.kind == "f", name
        if isinstance(arg, float):
            assert np.ndim(g) == 0, name


def assert_same(a, b):
    assert type(a) is type(b)
    if isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            assert_same(x, y)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            assert_same(a[k], b[k])
    elif isinstance(a, np.ndarray):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    else:
        assert a == b


# ================================================================================ tests


def test_corpus_is_large_and_names_are_unique():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 90
    assert all(c.inputs for c in CASES)


@pytest.mark.parametrize("c, label", _params("gradient"))
def test_gradient_matches_central_differences(c, label):
    args = fresh(c, label)
    grads = as_tuple(c, s2sad.grad(c.func, wrt=c.wrt)(*args))
    names = wrt_names(c)
    assert len(grads) == len(names)
    for name, g in zip(names, grads):
        numeric = s2sad.numeric_grad(Copying(c.func), fresh(c, label), name)
        assert_close(g, numeric, err_msg=f"d{c.name}/d{name} at {label}")


@pytest.mark.parametrize("c, label", _params("value"))
def test_value_and_grad_value_is_the_function_value(c, label):
    value, grads = s2sad.value_and_grad(c.func, wrt=c.wrt)(*fresh(c, label))
    expected = c.func(*fresh(c, label))
    assert np.ndim(value) == 0
    np.testing.assert_array_equal(value, expected)
    plain = s2sad.grad(c.func, wrt=c.wrt)(*fresh(c, label))
    for g, h in zip(as_tuple(c, grads), as_tuple(c, plain)):
        assert_close(g, h)
    value_vjp, pullback = s2sad.vjp(c.func, wrt=c.wrt)(*fresh(c, label))
    np.testing.assert_array_equal(value_vjp, expected)
    for g, h in zip(as_tuple(c, pullback(1.0)), as_tuple(c, plain)):
        assert_close(g, h)


@pytest.mark.parametrize("c, label", _params("shape"))
def test_gradients_have_the_arguments_shape(c, label):
    args = fresh(c, label)
    params = _param_names(c.func)
    grads = as_tuple(c, s2sad.grad(c.func, wrt=c.wrt)(*args))
    for name, g in zip(wrt_names(c), grads):
        assert_shaped_like(g, args[params.index(name)], name)


@pytest.mark.parametrize("c, label", _params("mutation"))
def test_arguments_are_not_modified(c, label):
    args = fresh(c, label)
    before = copy.deepcopy(args)
    s2sad.grad(c.func, wrt=c.wrt)(*args)
    s2sad.value_and_grad(c.func, wrt=c.wrt)(*args)
    _, pullback = s2sad.vjp(c.func, wrt=c.wrt)(*args)
    pullback(1.0)
    for arg, original in zip(args, before):
        assert_same(arg, original)


# ============================================================ not supported yet (xfail)


def _expect_matches_numeric(func, *args):
    g = s2sad.grad(func)(*args)
    np.testing.assert_allclose(g, s2sad.numeric_grad(func, args, "x"), rtol=RTOL, atol=ATOL)


UNSUPPORTED = (UnsupportedSyntaxError, NoRuleError)


@pytest.mark.parametrize("func, words", [
    (setitem_through_alias, "changing 'y' in place while 'x' may refer to the same object"),
    (call_helper_assigning_into_its_argument, "changes the argument 'v' of a function"),
    (call_helper_mutation_seen_by_caller, "changes the argument 'v' of a function"),
])
def test_in_place_changes_python_would_share_are_refused(func, words):
    """Python would make these changes visible through another name; s2sad copies arrays
    it assigns into, so it refuses them rather than compute something else."""
    with pytest.raises(s2sad.errors.UnsupportedSyntaxError) as info:
        s2sad.grad(func)(vec(0.5, -1.0, 2.0))
    assert words in str(info.value) and ".copy()" in info.value.hint

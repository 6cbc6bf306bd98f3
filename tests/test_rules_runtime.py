"""Rules of the helpers that generated derivatives call (so derivatives differentiate
again): each checked against central differences like every other rule."""

import math

import numpy as np
import pytest

from s2sad import runtime as rt

from .test_rules import W3, W4, W34, Case, M, _draw, check_case

A34, B4, V3 = _draw("real", M), _draw("real", (4,)), _draw("real", (3,))
POS = _draw("pos", (3,))


def unbroadcast_rows(g):
    return np.sum(W4 * rt.unbroadcast(g, B4))


def expand_to_rows(d):
    return np.sum(W34 * rt.expand_to(d, A34))


def unreduce_axis1(g):
    return np.sum(W34 * rt.unreduce(g, A34, axis=1))


def unreduce_all(g):
    return np.sum(W34 * rt.unreduce(g, A34))


def unindex_row(g):
    return np.sum(W34 * rt.unindex(g, A34, 1))


def zero_at_column(g):
    return np.sum(W34 * rt.zero_at(g, A34, np.s_[:, 2]))


def unreshape_fortran(g):
    return np.sum(W34 * rt.unreshape(g, A34, "F"))


def matmul_adjoint_a_case(g, b):
    return np.sum(W34 * rt.matmul_adjoint_a(g, A34, b))


def matmul_adjoint_b_case(a, g):
    return np.sum(W4 * rt.matmul_adjoint_b(g, a, B4))


def dot_adjoint_a_case(g, b):
    return np.sum(W34 * rt.dot_adjoint_a(g, A34, b))


def dot_adjoint_b_case(a, g):
    return np.sum(W4 * rt.dot_adjoint_b(g, a, B4))


def log_or_zero_case(x):
    return np.sum(W3 * rt.log_or_zero(x))


def reciprocal_or_zero_case(x):
    return np.sum(W3 * rt.reciprocal_or_zero(x))


def copysign_case(x, y):
    """``math.copysign`` (``math.fabs``'s adjoint calls it): 0 with respect to ``y``."""
    return 1.5 * math.copysign(x, y)


CASES = [
    Case("unbroadcast-mat-to-vec", unbroadcast_rows, (_draw("real", M),), (0,),
         (rt.unbroadcast,)),
    Case("expand_to-vec-to-mat", expand_to_rows, (_draw("real", (4,)),), (0,), (rt.expand_to,)),
    Case("unreduce-axis1", unreduce_axis1, (_draw("real", (3,)),), (0,), (rt.unreduce,)),
    Case("unreduce-all", unreduce_all, (_draw("real"),), (0,), (rt.unreduce,)),
    Case("unindex-row", unindex_row, (_draw("real", (4,)),), (0,), (rt.unindex,)),
    Case("zero_at-column", zero_at_column, (_draw("real", M),), (0,), (rt.zero_at,)),
    Case("unreshape-F", unreshape_fortran, (_draw("real", (12,)),), (0,), (rt.unreshape,)),
    Case("matmul_adjoint_a", matmul_adjoint_a_case, (_draw("real", (3,)), B4), (0, 1),
         (rt.matmul_adjoint_a,)),
    Case("matmul_adjoint_b", matmul_adjoint_b_case, (_draw("real", M), V3), (0, 1),
         (rt.matmul_adjoint_b,)),
    Case("dot_adjoint_a", dot_adjoint_a_case, (_draw("real", (3,)), B4), (0, 1),
         (rt.dot_adjoint_a,)),
    Case("dot_adjoint_b", dot_adjoint_b_case, (_draw("real", M), V3), (0, 1),
         (rt.dot_adjoint_b,)),
    Case("log_or_zero", log_or_zero_case, (POS,), (0,), (rt.log_or_zero,)),
    Case("reciprocal_or_zero", reciprocal_or_zero_case, (POS,), (0,),
         (rt.reciprocal_or_zero,)),
    Case("math.copysign", copysign_case, (0.7, -1.3), (0, 1), (math.copysign,)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_runtime_helper_rule(case):
    check_case(case)

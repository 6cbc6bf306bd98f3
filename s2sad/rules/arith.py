"""Python's arithmetic operators and their NumPy twins."""

import operator

import numpy as np

from ..runtime import log_or_zero, matmul_adjoint_a, matmul_adjoint_b
from .registry import reverse


@reverse(operator.add, np.add, elementwise=True)
def add(g, ans, x, y):
    return g, g


@reverse(operator.sub, np.subtract, elementwise=True)
def sub(g, ans, x, y):
    return g, -g


@reverse(operator.mul, np.multiply, elementwise=True)
def mul(g, ans, x, y):
    return g * y, g * x


@reverse(operator.truediv, np.divide, np.true_divide, elementwise=True)
def div(g, ans, x, y):
    return g / y, -(g * x / y ** 2)


@reverse(operator.pow, np.power, elementwise=True)
def power(g, ans, x, y):
    return g * y * x ** (y - 1), g * ans * log_or_zero(x)


@reverse(operator.neg, np.negative, elementwise=True)
def neg(g, ans, x):
    return -g


@reverse(operator.pos, np.positive, elementwise=True)
def pos(g, ans, x):
    return g


@reverse(operator.matmul, np.matmul, multilinear=True)
def matmul(g, ans, a, b):
    return matmul_adjoint_a(g, a, b), matmul_adjoint_b(g, a, b)


@reverse(float, elementwise=True)
def to_float(g, ans, x):
    return g

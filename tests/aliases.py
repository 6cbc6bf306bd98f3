"""Functions that reach NumPy and math through aliases, closures and module constants."""

import math as m

import numpy as onp
from numpy import exp
from numpy import sin as sine

SCALE = 3.0


def with_aliases(x):
    return onp.sum(exp(x) * sine(x)) + m.pi * SCALE * onp.sum(x)


def make_closure(k):
    def scaled(x):
        return onp.sum(k * x ** 2)

    return scaled


def uses_global(x):
    return SCALE * x * x

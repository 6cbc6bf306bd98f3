"""Canonical functions whose generated code is pinned by golden files (tests/golden/)."""

import math

import numpy as np


def nll(x, m, s):
    t0 = x - m
    t1 = t0 / s
    t2 = np.log(s)
    t3 = t1 ** 2
    t4 = t2 + np.log(2 * np.pi) / 2
    t5 = t3 / 2
    c = t4 + t5
    return c


def trace(x1, x2):
    return np.log(x1) + x1 * x2 - np.sin(x2)


def shared(x):
    a = x ** 2
    b = 5 * a
    c = a * b
    L = -c
    return L


def logistic_nll(w, X, y):
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def mlp_loss(W1, b1, W2, b2, X, y):
    h = np.tanh(X @ W1 + b1)
    out = h @ W2 + b2
    err = out - y
    return np.mean(err ** 2)


def scalar_math(x, y):
    a = math.sin(x) * y
    a = a + math.cos(x * y)
    return a

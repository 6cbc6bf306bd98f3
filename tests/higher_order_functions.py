"""Functions for the higher-order tests (module level, so s2sad can read their source)."""

import numpy as np


def cubic_sine(x):
    return x ** 3 * np.sin(x)


def mixed(x):
    return np.sum(np.sin(x) * x ** 2) + np.sum(x) ** 2


def logistic_nll(w, X, y):
    z = X @ w
    p = 1.0 / (1.0 + np.exp(-z))
    return -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def recurrence(x, n):
    for _ in range(n):
        x = np.tanh(x * 1.3 + 0.2)
    return np.sum(x ** 2)


def piecewise(x):
    s = 0.0
    for i in range(3):
        if x[i] > 0.0:
            s = s + x[i] ** 3
        else:
            s = s - x[i] * x[0]
    return s * x[1]


def matrix_map(x, W):
    return np.tanh(W @ x) * x[0]


def mlp_loss(W1, b1, W2, b2, X, y):
    h = np.tanh(X @ W1 + b1)
    out = h @ W2 + b2
    return np.mean((out - y) ** 2)

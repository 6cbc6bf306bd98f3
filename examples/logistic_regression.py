"""Logistic regression trained by gradient descent with an s2sad-generated gradient.

The course notes (004_automatic_differentiation, "Motivation") start from the negative
log-likelihood of logistic regression with labels y in {0, 1}:

    NLL(w0, w) = - sum_i log sigma((2 y_i - 1) (x_i . w + w0)),   sigma(s) = 1 / (1 + e^-s)

``nll`` is that formula written with NumPy; s2sad generates its gradient with respect to
``w`` and ``w0``, which we check once against central differences (``s2sad.check_grad``) and
then use for 100 steps of gradient descent on two Gaussian blobs.

Run: python examples/logistic_regression.py
"""

import numpy as np

import s2sad


def nll(w, w0, X, y):
    z = X @ w + w0
    s = (2 * y - 1) * z
    p = 1 / (1 + np.exp(-s))
    L = -np.sum(np.log(p))
    return L


def make_data(n=100, seed=0):
    """``n`` points in 2-D: half around (-1.5, -1.5) labelled 0, half around (1.5, 1.5)
    labelled 1, each with unit-variance Gaussian noise (the classes overlap a little)."""
    rng = np.random.default_rng(seed)
    y = np.repeat([0.0, 1.0], n // 2)
    X = rng.normal(size=(n, 2)) + 1.5 * (2 * y[:, None] - 1)
    return X, y


def accuracy(w, w0, X, y):
    return float(np.mean(((X @ w + w0) > 0) == (y == 1)))


STEPS = 100
LEARNING_RATE = 0.01  # per unit of the summed NLL


def main():
    X, y = make_data()
    print("Generated gradient (s2sad.source(nll, wrt=('w', 'w0'))):")
    print(s2sad.source(nll, wrt=("w", "w0")))

    print("Check against central differences at a random point:")
    rng = np.random.default_rng(1)
    print(s2sad.check_grad(nll, rng.normal(size=2), 0.3, X, y, wrt=("w", "w0")))
    print()

    dnll = s2sad.grad(nll, wrt=("w", "w0"))
    w, w0 = np.zeros(2), 0.0
    losses = []
    for step in range(STEPS + 1):
        loss = float(nll(w, w0, X, y))
        losses.append(loss)
        if step % 20 == 0:
            print(f"step {step:3d}   NLL {loss:9.4f}   accuracy {accuracy(w, w0, X, y):.2f}")
        if step < STEPS:
            dw, dw0 = dnll(w, w0, X, y)
            w = w - LEARNING_RATE * dw
            w0 = w0 - LEARNING_RATE * dw0
    acc = accuracy(w, w0, X, y)
    print(f"final w = {np.round(w, 3)}, w0 = {float(w0):.3f}")
    print(f"final accuracy {acc:.2f}")
    return losses, acc


if __name__ == "__main__":
    main()

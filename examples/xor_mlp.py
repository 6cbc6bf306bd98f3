"""XOR with a two-layer perceptron, trained with an s2sad-generated gradient.

XOR is not linearly separable (000_neural_networks_mlp, "How many layers required to model
'XOR'?"), so it needs a hidden layer. The network is the notes' two-layer MLP

    H = tanh(X W1 + b1)          hidden layer, 3 units
    p = sigma(H W2 + b2)         output probability, sigma(z) = 1 / (1 + e^-z)
    L = -mean(y log p + (1 - y) log(1 - p))     cross-entropy

and ``loss`` is that, written with NumPy for all four inputs at once (full batch). s2sad
writes the backward pass of 001_backpropagation_algorithm ("Back-Propagation Algorithm for
two-layer neural network") for us: dL/dW2, dL/db2, then back through tanh to dL/dW1, dL/db1.

``loss`` calls ``predict``, an ordinary Python function: s2sad differentiates it too, as a
subroutine. The generated gradient calls ``predict_vjp`` (printed below it), which returns
the prediction and a ``pullback`` that carries the adjoint back into the weights.

Run: python examples/xor_mlp.py
"""

import time

import numpy as np

import s2sad


def predict(W1, b1, W2, b2, X):
    H = np.tanh(X @ W1 + b1)
    return 1 / (1 + np.exp(-(H @ W2 + b2)))


def loss(W1, b1, W2, b2, X, y):
    p = predict(W1, b1, W2, b2, X)
    L = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    return L


X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
Y = np.array([[0.0], [1.0], [1.0], [0.0]])

HIDDEN = 3
SEED = 0
STEPS = 2000
LEARNING_RATE = 0.5


def init_params(seed=SEED, hidden=HIDDEN):
    rng = np.random.default_rng(seed)
    W1 = rng.normal(size=(2, hidden))
    b1 = np.zeros(hidden)
    W2 = rng.normal(size=(hidden, 1))
    b2 = np.zeros(1)
    return W1, b1, W2, b2


def main():
    dloss = s2sad.grad(loss, wrt=("W1", "b1", "W2", "b2"))
    W1, b1, W2, b2 = init_params()

    # The gradient is generated on its first call: parse, single-assignment form, adjoint,
    # compile. Later calls run the compiled function only.
    start = time.perf_counter()
    dloss(W1, b1, W2, b2, X, Y)
    first_ms = (time.perf_counter() - start) * 1e3
    start = time.perf_counter()
    dloss(W1, b1, W2, b2, X, Y)
    second_ms = (time.perf_counter() - start) * 1e3
    print(f"transform of loss (first call of the gradient): {first_ms:.1f} ms; "
          f"a later call: {second_ms:.3f} ms")
    print()
    print("The gradient these calls run (dloss.source_for(W1, b1, W2, b2, X, Y)): generated")
    print("for the shapes of the arguments, as is predict's derivative for its own:")
    print(dloss.source_for(W1, b1, W2, b2, X, Y))

    losses = []
    for step in range(STEPS + 1):
        losses.append(float(loss(W1, b1, W2, b2, X, Y)))
        if step % 500 == 0:
            print(f"step {step:4d}   loss {losses[-1]:.4f}")
        if step < STEPS:
            dW1, db1, dW2, db2 = dloss(W1, b1, W2, b2, X, Y)
            W1 = W1 - LEARNING_RATE * dW1
            b1 = b1 - LEARNING_RATE * db1
            W2 = W2 - LEARNING_RATE * dW2
            b2 = b2 - LEARNING_RATE * db2

    p = predict(W1, b1, W2, b2, X).ravel()
    print()
    print("x1 x2  XOR  p(y=1)  rounded")
    for (x1, x2), target, prob in zip(X, Y.ravel(), p):
        print(f" {x1:.0f}  {x2:.0f}   {target:.0f}   {prob:.3f}     {round(prob)}")
    print(f"predictions: {[int(round(v)) for v in p]}")
    return losses, p


if __name__ == "__main__":
    main()

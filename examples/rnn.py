"""A recurrent network, written as an ordinary Python loop, trained with s2sad's gradient.

The notes' recurrent network (000_neural_networks_mlp) reads a sequence x_1 ... x_T and
keeps a hidden state

    h_t = tanh(W_i x_t + W_h h_{t-1}),      h_0 = 0

and here predicts the next value of a noisy sine wave from each h_t: the loss is the squared
error summed over the steps, L = sum_t (w_o . h_t - y_t)^2. ``loss`` is a plain ``for`` loop.
s2sad keeps the loop in the gradient: the primal loop saves what each step's adjoint needs
on a ``tape``, and the adjoint loop walks the steps last to first (backpropagation through
time), so memory grows linearly with the sequence length. Each step's adjoint only collects
the factors of the weights' outer products (``bt2_all.append(bt2)``); one matrix product
after the loop sums them, as a hand-written BPTT does.

Run: python examples/rnn.py
"""

import numpy as np

import s2sad


def loss(W_i, W_h, w_o, xs, ys):
    h = np.zeros(W_h.shape[0])
    L = 0.0
    for x, y in zip(xs, ys):
        h = np.tanh(W_i @ x + W_h @ h)
        L = L + (w_o @ h - y) ** 2
    return L


def make_data(steps=40, seed=0):
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 4.0 * np.pi, steps + 1)
    wave = np.sin(t) + 0.05 * rng.normal(size=t.shape)
    xs = wave[:-1, None]  # one input per step, shape (steps, 1)
    ys = wave[1:]  # the next value
    return xs, ys


def main(train_steps=150, learning_rate=0.01, hidden=8, seed=1):
    xs, ys = make_data()
    rng = np.random.default_rng(seed)
    W_i = rng.normal(scale=0.5, size=(hidden, 1))
    W_h = rng.normal(scale=0.3, size=(hidden, hidden))
    w_o = rng.normal(scale=0.5, size=hidden)

    dloss = s2sad.value_and_grad(loss, wrt=("W_i", "W_h", "w_o"))
    print("The gradient the training calls run (dloss.source_for(W_i, W_h, w_o, xs, ys)):")
    print(dloss.source_for(W_i, W_h, w_o, xs, ys))
    s2sad.check_grad(loss, W_i, W_h, w_o, xs[:5], ys[:5], wrt=(0, 1, 2))
    print("the generated gradient agrees with central differences\n")

    losses = []
    for step in range(train_steps + 1):
        value, (g_i, g_h, g_o) = dloss(W_i, W_h, w_o, xs, ys)
        losses.append(float(value))
        if step % 30 == 0:
            print(f"step {step:4d}   loss {value:9.4f}")
        W_i = W_i - learning_rate * g_i
        W_h = W_h - learning_rate * g_h
        w_o = w_o - learning_rate * g_o
    print(f"loss fell from {losses[0]:.4f} to {losses[-1]:.4f}")
    return losses


if __name__ == "__main__":
    main()

"""Time of a Hessian-vector product relative to a gradient, on MLP losses.

``s2sad.hvp`` is forward mode over the gradient's generated code: one pass carries each
value of the gradient's code together with its tangent, so an hvp should cost a small
constant times a gradient (about 2-4x). Two MLPs like ``examples/xor_mlp.py`` (tanh hidden
layer, sigmoid output, cross-entropy): XOR (4 x 2 x 3 x 1) and a 256 x 64 x 128 x 10 batch.
The hvp is taken with respect to W1. Gradient and hvp calls are interleaved, round by
round, and the table shows the medians. BLAS runs on one thread (unless
``OPENBLAS_NUM_THREADS`` says otherwise): on a shared machine its threads make single
matrix products vary by 10x.

Run: python benchmarks/hvp.py [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

import s2sad  # noqa: E402


def loss(W1, b1, W2, b2, X, y):
    H = np.tanh(X @ W1 + b1)
    p = 1 / (1 + np.exp(-(H @ W2 + b2)))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def problem(batch: int, inputs: int, hidden: int, outputs: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    args = (rng.normal(size=(inputs, hidden)) / np.sqrt(inputs), np.zeros(hidden),
            rng.normal(size=(hidden, outputs)) / np.sqrt(hidden), np.zeros(outputs),
            rng.normal(size=(batch, inputs)), (rng.uniform(size=(batch, outputs)) > 0.5) * 1.0)
    return args, rng.normal(size=(inputs, hidden))


def _time(call, repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        call()
    return (time.perf_counter() - start) / repeat


def measure(name: str, sizes: tuple, rounds: int) -> tuple:
    args, v = problem(*sizes)
    gradient = s2sad.grad(loss, wrt="W1")
    product = s2sad.hvp(loss, wrt="W1")
    gradient(*args), product(*args, v)  # generate and compile both first
    repeat = max(1, int(0.01 / max(_time(lambda: gradient(*args), 1), 1e-7)))
    grads, hvps = [], []
    for _ in range(rounds):  # interleaved, so drifts in machine load hit both alike
        grads.append(_time(lambda: gradient(*args), repeat))
        hvps.append(_time(lambda: product(*args, v), repeat))
    g, h = statistics.median(grads), statistics.median(hvps)
    return name, g, h, h / g


def main(argv=None) -> list:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    ns = parser.parse_args(argv)
    rows = [measure("xor 4x2x3x1", (4, 2, 3, 1), ns.rounds),
            measure("mlp 256x64x128x10", (256, 64, 128, 10), ns.rounds)]
    print(f"{'loss':<20} {'grad':>10} {'hvp':>10} {'hvp/grad':>9}")
    for name, g, h, ratio in rows:
        print(f"{name:<20} {g * 1e6:>8.1f}us {h * 1e6:>8.1f}us {ratio:>9.2f}")
    return rows


if __name__ == "__main__":
    main()

"""The transform time of a 50-line function: what ``s2sad.grad(f)`` costs on first use.

``python benchmarks/transform_time.py [--profile]`` prints the median and first of a few
transforms (parse, single-assignment form, adjoint, optimization, printing, compilation;
the caches cleared each time), the first-call latency of an MLP's gradient (everything a
first ``s2sad.grad(mlp)(*args)`` costs) and, with ``--profile``, where the time goes.
benchmarks/run.py prints the same figure under its tables.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

import s2sad
import s2sad.api
import s2sad.parse

WRT = ("W1", "b1", "W2", "b2")


def fifty_lines(W1, b1, W2, b2, X, Y, lam):
    """A 50-line loss: two layers, several activations, penalties, a loop and a branch."""
    Z1 = X @ W1 + b1
    H1 = np.tanh(Z1)
    S1 = 1.0 / (1.0 + np.exp(-Z1))
    G1 = H1 * S1
    R1 = np.maximum(G1, 0.0)
    N1 = R1 / (1.0 + np.abs(R1))
    Z2 = N1 @ W2 + b2
    P = np.exp(Z2 - np.max(Z2))
    Q = P / np.sum(P)
    E = Q - Y
    L1 = np.sum(E * E)
    L2 = np.mean(np.abs(E))
    L3 = np.sum(np.log(1.0 + E * E))
    reg1 = lam * np.sum(W1 * W1)
    reg2 = lam * np.sum(W2 * W2)
    reg3 = lam * np.sum(np.abs(b1))
    reg4 = lam * np.sum(b2 ** 2)
    a = np.sin(L1) + np.cos(L2)
    b = np.sqrt(1.0 + L3 * L3)
    c = a * b + reg1
    d = c / (1.0 + reg2)
    e = d - reg3 * reg4
    f = np.exp(-e * e)
    g = f + e
    h = g * g
    k = np.log1p(h)
    m = k + 0.5 * L1
    n = m * m - L2
    acc = 0.0
    for i in range(3):
        acc = acc + np.sin(n * i) * lam
        acc = acc * 0.9
    if acc > 0:
        out = acc + n
    else:
        out = n - acc
    u = np.tanh(out)
    v = u * u + out
    w = np.sqrt(v * v + 1.0)
    x = w / (1.0 + w)
    y = x + np.sum(H1) * 1e-3
    z = y * y
    r = z + np.mean(S1)
    s = r - np.mean(N1)
    t = s * 2.0
    q = t + np.sum(Q * Q)
    o = q / 3.0
    return o + L1 + L2 + L3


def example_args():
    rng = np.random.default_rng(0)
    return (rng.normal(size=(4, 5)), rng.normal(size=5), rng.normal(size=(5, 3)),
            rng.normal(size=3), rng.normal(size=(6, 4)), rng.normal(size=(6, 3)), 0.1)


def clear_caches() -> None:
    """Forget every transform and parse (but not the source text read from the file)."""
    s2sad.api._cache.clear()
    s2sad.parse._TREES.clear()


def transform_once() -> float:
    """Milliseconds for one transform of ``fifty_lines`` (the caches cleared first)."""
    clear_caches()
    start = time.perf_counter()
    s2sad.api.transform(fifty_lines, WRT, False, "grad", True)
    return (time.perf_counter() - start) * 1e3


def measure(repeats: int = 15) -> dict:
    """``{"median", "first", "min"}`` in ms over ``repeats`` transforms."""
    times = [transform_once() for _ in range(repeats)]
    return {"median": statistics.median(times), "first": times[0], "min": min(times),
            "lines": _body_lines()}


def mlp(W1, b1, W2, b2, X, Y):
    H = np.tanh(X @ W1 + b1)
    E = H @ W2 + b2 - Y
    return 0.5 * np.sum(E * E)


def first_call(repeats: int = 15) -> dict:
    """``{"median", "min"}`` in ms of a first call ``s2sad.grad(mlp, wrt=...)(*args)``."""
    rng = np.random.default_rng(0)
    args = (rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 1)),
            rng.normal(size=1), rng.normal(size=(8, 2)), rng.normal(size=(8, 1)))
    times = []
    for _ in range(repeats):
        clear_caches()
        start = time.perf_counter()
        s2sad.grad(mlp, wrt=WRT)(*args)
        times.append((time.perf_counter() - start) * 1e3)
    return {"median": statistics.median(times), "min": min(times)}


def _body_lines() -> int:
    import inspect

    return len(inspect.getsource(fifty_lines).splitlines())


def main(argv=None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    s2sad.grad(fifty_lines, wrt=WRT)(*example_args())  # runs, and warms the imports up
    result = measure()
    print(f"transform of a {result['lines']}-line function: median {result['median']:.1f} ms, "
          f"min {result['min']:.1f} ms, first {result['first']:.1f} ms")
    latency = first_call()
    print(f"first call of grad(mlp)(*args): median {latency['median']:.1f} ms, "
          f"min {latency['min']:.1f} ms")
    if "--profile" in argv:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(lambda: [transform_once() for _ in range(10)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()

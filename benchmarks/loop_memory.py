"""Peak memory of a loop's gradient against the number of iterations (should be linear).

Run: python benchmarks/loop_memory.py
"""

import tracemalloc

import numpy as np

import s2sad


def recurrence(x, w, n):
    h = x
    for _ in range(n):
        h = np.tanh(w * h + 0.1)
    return np.sum(h)


def peak_bytes(n: int, size: int = 100) -> int:
    x, w = np.linspace(-1.0, 1.0, size), np.full(size, 0.9)
    dfun = s2sad.grad(recurrence, wrt=(0, 1))
    dfun(x, w, 2)  # transform outside the measurement
    tracemalloc.start()
    dfun(x, w, n)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main():
    print(f"{'iterations':>10} {'peak MiB':>10} {'bytes/iteration':>16}")
    for n in (1_000, 2_000, 5_000, 10_000):
        peak = peak_bytes(n)
        print(f"{n:>10} {peak / 2**20:>10.2f} {peak / n:>16.0f}")


if __name__ == "__main__":
    main()

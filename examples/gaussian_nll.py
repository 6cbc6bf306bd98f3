"""The Gaussian negative log-likelihood of the course notes, differentiated by s2sad.

The notes (000_neural_networks_mlp, "Computational Graph") write the negative log-likelihood
of one observation ``x`` under a normal distribution with mean ``m`` and standard deviation
``s`` as a list of elementary steps:

    -log N(x | m, s) = log(s) + log(2 pi) / 2 + ((x - m) / s)**2 / 2

``nll`` below is that list, line for line. s2sad reads it, keeps it as the primal trace, and
writes the adjoint (reverse) trace: one line per primal line, last to first, where ``bv``
holds dc/dv ("v bar" in the notes). We compare its gradient with the closed form

    dc/dm = -(x - m) / s**2          dc/ds = 1/s - (x - m)**2 / s**3

Run: python examples/gaussian_nll.py
"""

import numpy as np

import s2sad


def nll(x, m, s):
    t0 = x - m
    t1 = t0 / s
    t2 = np.log(s)
    t3 = t1 ** 2
    t4 = t2 + np.log(2 * np.pi) / 2
    t5 = t3 / 2
    c = t4 + t5
    return c


def closed_form(x, m, s):
    """The hand-derived gradient (dc/dm, dc/ds)."""
    return -(x - m) / s ** 2, 1 / s - (x - m) ** 2 / s ** 3


X, M, S = 1.5, 0.5, 2.0


def main():
    print("Primal trace (s2sad.ssa):")
    print(s2sad.ssa(nll))
    print("Generated adjoint (s2sad.source(nll, wrt=('m', 's'))):")
    print(s2sad.source(nll, wrt=("m", "s")))

    value, (dm, ds) = s2sad.value_and_grad(nll, wrt=("m", "s"))(X, M, S)
    want_dm, want_ds = closed_form(X, M, S)
    print(f"at x = {X}, m = {M}, s = {S}:")
    print(f"  nll   = {float(value):.6f}")
    print(f"  dc/dm = {float(dm):+.6f}   closed form {want_dm:+.6f}")
    print(f"  dc/ds = {float(ds):+.6f}   closed form {want_ds:+.6f}")
    np.testing.assert_allclose([dm, ds], [want_dm, want_ds], rtol=1e-12)
    print("s2sad's gradient matches the closed form.")
    return value, (dm, ds)


if __name__ == "__main__":
    main()

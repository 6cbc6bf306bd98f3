"""The Gaussian negative log-likelihood of the course notes, differentiated by s2sad."""

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


if __name__ == "__main__":
    print(s2sad.ssa(nll))
    print(s2sad.source(nll, wrt=("m", "s")))
    dnll = s2sad.grad(nll, wrt=("m", "s"))
    print(dnll(1.5, 0.5, 2.0))

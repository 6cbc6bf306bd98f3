"""Functions s2sad must reject with a located error (the tests find lines by marker)."""

import numpy as np


def opaque(x):
    return x


def uses_try(x):
    try:  # MARK:try
        y = x * 2.0
    except ValueError:
        y = x
    return y


def uses_with(x):
    with open("f") as fh:  # MARK:with
        y = x * float(fh.read())
    return y


def uses_global(x):
    global COUNTER  # MARK:global
    return x


def uses_yield(x):
    yield x * 2.0  # MARK:yield


def uses_lambda(x):
    f = lambda v: v * 2.0  # noqa: E731  MARK:lambda
    return f(x)


def no_rule(x):
    y = 2.0 * np.fft.hfft(x)  # MARK:norule
    return np.sum(y)


def unhandled_options(x):
    return np.sum(x, where=x > 0)  # MARK:options


def star_call(x):
    args = (x,)
    return np.sum(*args)  # MARK:star


def vector_out(x):
    return x * 2.0


def no_return(x):
    y = x * 2.0  # noqa: F841


def star_params(*xs):
    return xs


def unknown_name(x):
    return undefined_function(x)  # noqa: F821  MARK:unknown


def line_of(marker):
    """The 1-based line number of the source line carrying ``MARK:<marker>``."""
    with open(__file__) as fh:
        for number, line in enumerate(fh, 1):
            if f"MARK:{marker}" in line and "def line_of" not in line:
                return number
    raise LookupError(marker)

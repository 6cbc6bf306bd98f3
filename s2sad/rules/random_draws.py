"""Random draws: ``np.random.*`` and the methods of ``np.random.default_rng()`` Generators.

Every draw is registered ``pure=False``: the derivative makes the same draws as the function,
in the same order, each exactly once per call (the adjoint reads the drawn value and never
draws again), including the draws whose values no derivative needs. Seeding the generator
before a call of the derivative therefore reproduces the function's own values.

Draws from a location-scale family differentiate pathwise (the reparameterization
gradient): ``ans = np.random.normal(mu, sigma)`` is ``mu + sigma * z`` for a standard draw
``z``, recovered from the drawn value as ``(ans - mu) / sigma`` (so the derivative with
respect to a scale of exactly 0 is undefined). Likewise ``uniform`` (``low + (high - low) *
u``), ``exponential`` (``scale * e``) and ``lognormal`` (``exp(mean + sigma * z)``).
Standard draws, integer draws and discrete distributions are constants: their values are
piecewise constant in their parameters. Writing ``mu + sigma * rng.standard_normal(n)`` gives
the same gradient as ``rng.normal(mu, sigma, n)``.

Forward mode differentiates the same path: ``z = rng.normal(loc, scale, size)`` has the
tangent ``dz = dloc + (z - loc) / scale * dscale``. The rules are not declared elementwise
(the shape analysis does not read ``size=``), so a tangent that is only a parameter's is
broadcast to the draw's shape (``expand_to(dloc, z)``).

Generator methods are keyed like array methods (``"ndarray.normal"``, the generator the
first operand), whether the generator is a local variable or a module-level one.
``choice`` and ``permutation`` have no rule: they run as written on constant arrays, and
an array being differentiated is an error (index it with a drawn permutation instead:
``x[rng.permutation(len(x))]``). ``shuffle`` changes its argument in place and is refused.
"""

import numpy as np

from ..runtime import expand_to, unbroadcast
from .registry import nondiff, refuse, reverse, tangent


def _module(*names) -> tuple:
    """The ``np.random`` functions of these names that this NumPy has."""
    return tuple(getattr(np.random, name) for name in names if hasattr(np.random, name))


def _methods(*names) -> tuple:
    """The Generator method keys of these names."""
    return tuple(f"ndarray.{name}" for name in names)


_LOCATION_SCALE = ("normal", "laplace", "gumbel", "logistic")


@reverse(*_module(*_LOCATION_SCALE), pure=False)
def location_scale(g, ans, loc=0.0, scale=1.0, size=None):
    """``ans = loc + scale * z``: ``z = (ans - loc) / scale``."""
    return unbroadcast(g, loc), unbroadcast(g * (ans - loc) / scale, scale)


@tangent(*_module(*_LOCATION_SCALE))
def location_scale_tangent(ans, loc=0.0, scale=1.0, dloc=0.0, dscale=0.0, size=None):
    return expand_to(dloc, ans), (ans - loc) / scale * dscale


@reverse(*_methods(*_LOCATION_SCALE), pure=False)
def location_scale_method(g, ans, rng, loc=0.0, scale=1.0, size=None):
    return None, unbroadcast(g, loc), unbroadcast(g * (ans - loc) / scale, scale)


@tangent(*_methods(*_LOCATION_SCALE))
def location_scale_method_tangent(ans, rng, loc=0.0, scale=1.0, dloc=0.0, dscale=0.0,
                                  size=None):
    return expand_to(dloc, ans), (ans - loc) / scale * dscale


@reverse(*_module("uniform"), pure=False)
def uniform(g, ans, low=0.0, high=1.0, size=None):
    """``ans = low + (high - low) * u``: ``u = (ans - low) / (high - low)``."""
    return (unbroadcast(g * (high - ans) / (high - low), low),
            unbroadcast(g * (ans - low) / (high - low), high))


@tangent(*_module("uniform"))
def uniform_tangent(ans, low=0.0, high=1.0, dlow=0.0, dhigh=0.0, size=None):
    return (high - ans) / (high - low) * dlow, (ans - low) / (high - low) * dhigh


@reverse(*_methods("uniform"), pure=False)
def uniform_method(g, ans, rng, low=0.0, high=1.0, size=None):
    return (None, unbroadcast(g * (high - ans) / (high - low), low),
            unbroadcast(g * (ans - low) / (high - low), high))


@tangent(*_methods("uniform"))
def uniform_method_tangent(ans, rng, low=0.0, high=1.0, dlow=0.0, dhigh=0.0, size=None):
    return (high - ans) / (high - low) * dlow, (ans - low) / (high - low) * dhigh


@reverse(*_module("exponential"), pure=False)
def exponential(g, ans, scale=1.0, size=None):
    """``ans = scale * e`` for a standard exponential draw ``e``."""
    return unbroadcast(g * ans / scale, scale)


@tangent(*_module("exponential"))
def exponential_tangent(ans, scale=1.0, dscale=0.0, size=None):
    return ans / scale * dscale


@reverse(*_methods("exponential"), pure=False)
def exponential_method(g, ans, rng, scale=1.0, size=None):
    return None, unbroadcast(g * ans / scale, scale)


@tangent(*_methods("exponential"))
def exponential_method_tangent(ans, rng, scale=1.0, dscale=0.0, size=None):
    return ans / scale * dscale


@reverse(*_module("lognormal"), pure=False)
def lognormal(g, ans, mean=0.0, sigma=1.0, size=None):
    """``ans = exp(mean + sigma * z)``: ``z = (log(ans) - mean) / sigma``."""
    return (unbroadcast(g * ans, mean),
            unbroadcast(g * ans * (np.log(ans) - mean) / sigma, sigma))


@tangent(*_module("lognormal"))
def lognormal_tangent(ans, mean=0.0, sigma=1.0, dmean=0.0, dsigma=0.0, size=None):
    return ans * dmean, ans * (np.log(ans) - mean) / sigma * dsigma


@reverse(*_methods("lognormal"), pure=False)
def lognormal_method(g, ans, rng, mean=0.0, sigma=1.0, size=None):
    return (None, unbroadcast(g * ans, mean),
            unbroadcast(g * ans * (np.log(ans) - mean) / sigma, sigma))


@tangent(*_methods("lognormal"))
def lognormal_method_tangent(ans, rng, mean=0.0, sigma=1.0, dmean=0.0, dsigma=0.0,
                             size=None):
    return ans * dmean, ans * (np.log(ans) - mean) / sigma * dsigma


_CONSTANT_DRAWS = ("random", "standard_normal", "standard_exponential", "standard_cauchy",
                   "binomial", "poisson", "geometric", "negative_binomial",
                   "hypergeometric", "multinomial")
nondiff(*_module(*_CONSTANT_DRAWS, "rand", "randn", "random_sample", "randint"),
        *_methods(*_CONSTANT_DRAWS, "integers"),
        family="random draws", pure=False)
nondiff(np.random.default_rng, np.random.RandomState, family="random generators", pure=False)

refuse(np.random.shuffle, "ndarray.shuffle", what="shuffling an array in place",
       hint="draw a shuffled copy instead: `x = rng.permutation(x)`, or "
       "`x = x[rng.permutation(len(x))]` to differentiate with respect to x")

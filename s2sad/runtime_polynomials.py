"""Helpers that generated derivatives of polynomials, Vandermonde matrices and the Bessel
function ``np.i0`` call.

A polynomial's derivatives in its coefficients are powers of ``x``, and in ``x`` the
derivatives of those powers: ``power_columns`` gives both (``order`` times differentiated),
so each helper's own derivative is the same helper one order higher.
"""

from __future__ import annotations

import numpy as np

from .runtime_arrays import _fit, _float

_I0_NODES = np.cos(2.0 * np.pi * np.arange(128) / 128)  # cos t on a grid of one period


def power_columns(x, n=None, increasing=False, order=0):
    """The ``order``-th derivatives of ``x ** e`` for the exponents ``e`` of the columns of
    ``np.vander(x, n, increasing)`` (``n``: the size of ``x`` when None), as an array of
    shape ``np.shape(x) + (n,)``."""
    x = _float(x)
    n = np.size(x) if n is None else int(n)
    exponents = np.arange(n) if increasing else np.arange(n)[::-1]
    factors = np.ones(n)
    for i in range(order):
        factors = factors * (exponents - i)
    return factors * x[..., None] ** np.maximum(exponents - order, 0)


def vander_adjoint(g, x, N=None, increasing=False, order=1):
    """Adjoint of ``x`` in ``np.vander(x, N, increasing)`` (``order=1``): each row of ``g``
    times the derivatives of its powers, summed."""
    return _fit(np.sum(g * power_columns(x, N, increasing, order), axis=-1), x)


def vander_tangent(x, dx, N=None, increasing=False):
    """Tangent of ``np.vander(x, N, increasing)``: each row's derivatives times ``dx``."""
    return power_columns(x, N, increasing, 1) * np.expand_dims(dx, -1)


def _coefficients(p) -> np.ndarray:
    """``p`` as the 1-D float array of coefficients s2sad differentiates ``np.polyval`` for."""
    p = _float(p)
    if p.ndim != 1:
        raise NotImplementedError("s2sad differentiates np.polyval for 1-D coefficients only")
    return p


def polyval_adjoint_p(g, p, x, order=0):
    """Adjoint of ``p`` in ``np.polyval(p, x)`` (``order=0``): ``g`` times each power of
    ``x``, summed over ``x``; ``order`` differentiates the powers that many times."""
    columns = power_columns(x, _coefficients(p).size, order=order)
    return _fit(np.tensordot(g, columns, axes=np.ndim(x)), p)


def polyval_slope(p, x, order=1):
    """The ``order``-th derivative of the polynomial ``p`` at ``x``."""
    coefficients = _coefficients(p)
    return power_columns(x, coefficients.size, order=order) @ coefficients


def i0_derivative(x, order=1):
    """The ``order``-th derivative of ``np.i0`` at ``x``: the mean of
    ``exp(x cos t) cos(t) ** order`` over a period (Abramowitz and Stegun 9.6.19), by the
    trapezoidal rule, which converges exponentially fast for periodic integrands."""
    x = _float(x)
    return np.mean(np.exp(x[..., None] * _I0_NODES) * _I0_NODES ** order, axis=-1)

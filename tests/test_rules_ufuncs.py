"""Reverse rules of NumPy's elementwise functions (beyond those in tests/test_rules.py),
checked against central differences by ``tests.test_rules.check_case``.

As in tests/test_rules.py, each case is a small module-level function whose result is reduced
to a scalar by a weighted sum (``W_S``, ``W5``, ``W34``, ...). The suffix of a case function
names its result: _s a scalar, _v a (5,) vector, _m a (3, 4) matrix (also reached by
broadcasting smaller operands). Inputs stay inside each function's domain and away from its
kinks and jumps (``KINKS``).
"""

from __future__ import annotations

import operator

import numpy as np
import pytest

import s2sad
from tests.test_rules import (
    BINARY_SHAPES,
    RNG,
    W5,
    W34,
    W_S,
    Case,
    M,
    _draw,
    _key_name,
    _shape_label,
    check_case,
)


# ======================================================================================
# Case functions
# ======================================================================================
# --- NumPy unary: the float / (5,) / (3, 4) cases of each key -----------------------
def exp2_s(x): return W_S * np.exp2(x)
def exp2_v(x): return np.sum(W5 * np.exp2(x))
def exp2_m(x): return np.sum(W34 * np.exp2(x))

def log2_s(x): return W_S * np.log2(x)
def log2_v(x): return np.sum(W5 * np.log2(x))
def log2_m(x): return np.sum(W34 * np.log2(x))

def log10_s(x): return W_S * np.log10(x)
def log10_v(x): return np.sum(W5 * np.log10(x))
def log10_m(x): return np.sum(W34 * np.log10(x))

def cbrt_s(x): return W_S * np.cbrt(x)
def cbrt_v(x): return np.sum(W5 * np.cbrt(x))
def cbrt_m(x): return np.sum(W34 * np.cbrt(x))

def reciprocal_s(x): return W_S * np.reciprocal(x)
def reciprocal_v(x): return np.sum(W5 * np.reciprocal(x))
def reciprocal_m(x): return np.sum(W34 * np.reciprocal(x))

def sinc_s(x): return W_S * np.sinc(x)
def sinc_v(x): return np.sum(W5 * np.sinc(x))
def sinc_m(x): return np.sum(W34 * np.sinc(x))

def arcsinh_s(x): return W_S * np.arcsinh(x)
def arcsinh_v(x): return np.sum(W5 * np.arcsinh(x))
def arcsinh_m(x): return np.sum(W34 * np.arcsinh(x))

def arccosh_s(x): return W_S * np.arccosh(x)
def arccosh_v(x): return np.sum(W5 * np.arccosh(x))
def arccosh_m(x): return np.sum(W34 * np.arccosh(x))

def arctanh_s(x): return W_S * np.arctanh(x)
def arctanh_v(x): return np.sum(W5 * np.arctanh(x))
def arctanh_m(x): return np.sum(W34 * np.arctanh(x))

def deg2rad_s(x): return W_S * np.deg2rad(x)
def deg2rad_v(x): return np.sum(W5 * np.deg2rad(x))
def deg2rad_m(x): return np.sum(W34 * np.deg2rad(x))

def radians_s(x): return W_S * np.radians(x)
def radians_v(x): return np.sum(W5 * np.radians(x))
def radians_m(x): return np.sum(W34 * np.radians(x))

def rad2deg_s(x): return W_S * np.rad2deg(x)
def rad2deg_v(x): return np.sum(W5 * np.rad2deg(x))
def rad2deg_m(x): return np.sum(W34 * np.rad2deg(x))

def degrees_s(x): return W_S * np.degrees(x)
def degrees_v(x): return np.sum(W5 * np.degrees(x))
def degrees_m(x): return np.sum(W34 * np.degrees(x))

def fabs_s(x): return W_S * np.fabs(x)
def fabs_v(x): return np.sum(W5 * np.fabs(x))
def fabs_m(x): return np.sum(W34 * np.fabs(x))

def nan_to_num_s(x): return W_S * np.nan_to_num(x)
def nan_to_num_v(x): return np.sum(W5 * np.nan_to_num(x))
def nan_to_num_m(x): return np.sum(W34 * np.nan_to_num(x))

def real_s(x): return W_S * np.real(x)
def real_v(x): return np.sum(W5 * np.real(x))
def real_m(x): return np.sum(W34 * np.real(x))

def attr_real_s(x): return W_S * x.real
def attr_real_v(x): return np.sum(W5 * x.real)
def attr_real_m(x): return np.sum(W34 * x.real)

def conjugate_s(x): return W_S * np.conjugate(x)
def conjugate_v(x): return np.sum(W5 * np.conjugate(x))
def conjugate_m(x): return np.sum(W34 * np.conjugate(x))

def method_conjugate_s(x): return W_S * x.conjugate()
def method_conjugate_v(x): return np.sum(W5 * x.conjugate())
def method_conjugate_m(x): return np.sum(W34 * x.conjugate())

# --- NumPy binary (also at broadcast shapes) ----------------------------------------
def float_power_s(x, y): return W_S * np.float_power(x, y)
def float_power_v(x, y): return np.sum(W5 * np.float_power(x, y))
def float_power_m(x, y): return np.sum(W34 * np.float_power(x, y))

def logaddexp_s(x, y): return W_S * np.logaddexp(x, y)
def logaddexp_v(x, y): return np.sum(W5 * np.logaddexp(x, y))
def logaddexp_m(x, y): return np.sum(W34 * np.logaddexp(x, y))

def logaddexp2_s(x, y): return W_S * np.logaddexp2(x, y)
def logaddexp2_v(x, y): return np.sum(W5 * np.logaddexp2(x, y))
def logaddexp2_m(x, y): return np.sum(W34 * np.logaddexp2(x, y))

def arctan2_s(x, y): return W_S * np.arctan2(x, y)
def arctan2_v(x, y): return np.sum(W5 * np.arctan2(x, y))
def arctan2_m(x, y): return np.sum(W34 * np.arctan2(x, y))

def hypot_s(x, y): return W_S * np.hypot(x, y)
def hypot_v(x, y): return np.sum(W5 * np.hypot(x, y))
def hypot_m(x, y): return np.sum(W34 * np.hypot(x, y))

def copysign_s(x, y): return W_S * np.copysign(x, y)
def copysign_v(x, y): return np.sum(W5 * np.copysign(x, y))
def copysign_m(x, y): return np.sum(W34 * np.copysign(x, y))

def remainder_s(x, y): return W_S * np.remainder(x, y)
def remainder_v(x, y): return np.sum(W5 * np.remainder(x, y))
def remainder_m(x, y): return np.sum(W34 * np.remainder(x, y))

def mod_s(x, y): return W_S * x % y
def mod_v(x, y): return np.sum(W5 * x % y)
def mod_m(x, y): return np.sum(W34 * x % y)

def fmod_s(x, y): return W_S * np.fmod(x, y)
def fmod_v(x, y): return np.sum(W5 * np.fmod(x, y))
def fmod_m(x, y): return np.sum(W34 * np.fmod(x, y))

def fmax_s(x, y): return W_S * np.fmax(x, y)
def fmax_v(x, y): return np.sum(W5 * np.fmax(x, y))
def fmax_m(x, y): return np.sum(W34 * np.fmax(x, y))

def fmin_s(x, y): return W_S * np.fmin(x, y)
def fmin_v(x, y): return np.sum(W5 * np.fmin(x, y))
def fmin_m(x, y): return np.sum(W34 * np.fmin(x, y))

# --- NumPy: options, methods, special points -----------------------------------------
def method_conj_v(x): return np.sum(W5 * x.conj())
def method_conj_m(x): return np.sum(W34 * x.conj())
def nan_to_num_options(x): return np.sum(W34 * np.nan_to_num(x, nan=0.5, posinf=9.0, neginf=-9.0))

def ldexp_s(x, i): return W_S * np.ldexp(x, i)
def ldexp_v(x, i): return np.sum(W5 * np.ldexp(x, i))
def ldexp_m(x, i): return np.sum(W34 * np.ldexp(x, i))

def mod_constant_divisor(x): return np.sum(W34 * (x % 0.7))
def wrap_angle(x): return np.sum(W34 * ((x + np.pi) % (2.0 * np.pi) - np.pi))

def clip_constants(x): return np.sum(W34 * np.clip(x, -0.5, 0.7))
def clip_s(x, lo, hi): return W_S * np.clip(x, lo, hi)
def clip_m(x, lo, hi): return np.sum(W34 * np.clip(x, lo, hi))
def clip_lower_only(x, lo): return np.sum(W34 * np.clip(x, lo, None))
def clip_keywords(x, lo, hi): return np.sum(W34 * np.clip(x, min=lo, max=hi))
def clip_upper_keyword(x, hi): return np.sum(W34 * np.clip(x, max=hi))
def method_clip_m(x, lo, hi): return np.sum(W34 * x.clip(lo, hi))
def method_clip_min(x, lo): return np.sum(W34 * x.clip(min=lo))
def method_clip_max(x, hi): return np.sum(W34 * x.clip(max=hi))


# --- functions declared not differentiable, inside a differentiated function ----------
def uses_nondiff(x):
    step = np.heaviside(x, 0.5)
    k = np.fix(3.0 * x) + np.around(x, 1) + x.round(2)
    flags = 1.0 * np.signbit(x) + np.isclose(x, 0.25) + np.spacing(x) + np.imag(x) + np.angle(x)
    return np.sum(W34 * (x * step + np.sin(x) * k + flags * x))


# ======================================================================================
# Inputs and the case table
# ======================================================================================
EXTRA_DOMAINS = {"gt1": (1.3, 3.0, False), "prob": (0.1, 0.85, False), "deg": (20.0, 70.0, True)}


def _in(domain: str, shape: tuple = ()):
    """Values inside a function's domain: the domains of ``tests.test_rules._draw``, and
    ``gt1`` in [1.3, 3] (arccosh), ``prob`` in [0.1, 0.85] (logit, ndtri, ellipk, spence),
    ``deg`` with |x| in [20, 70] degrees (tandg, cotdg), ``unit+1`` in 1 + unit (erfcinv)."""
    if domain == "unit+1":
        return 1.0 + _draw("unit", shape)
    if domain not in EXTRA_DOMAINS:
        return _draw(domain, shape)
    low, high, signed = EXTRA_DOMAINS[domain]
    x = RNG.uniform(low, high, shape)
    if signed:
        x = x * RNG.choice((-1.0, 1.0), shape)
    return float(x) if shape == () else x


def _quotient_kink(x, y):
    """How far x / y is from an integer, where remainders jump."""
    q = np.divide(x, y)
    return np.abs(q - np.round(q))


KINKS = {  # rule key: distance of its operands to a kink or jump, kept above 0.05
    np.fmax: lambda x, y: np.abs(np.subtract(x, y)),
    np.fmin: lambda x, y: np.abs(np.subtract(x, y)),
    np.remainder: _quotient_kink,
    operator.mod: _quotient_kink,
    np.fmod: _quotient_kink,
}


def _pair(dx: str, dy: str, sx: tuple, sy: tuple, kink=None):
    """Two operands inside their domains, ``kink(x, y) > 0.05`` everywhere if given."""
    while True:
        x, y = _in(dx, sx), _in(dy, sy)
        if kink is None or np.min(kink(x, y)) > 0.05:
            return x, y


CASES: list = []


def _case(id, func, args, keys, wrt=None, marks=()):
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    CASES.append(Case(id, func, tuple(args), wrt, tuple(keys), marks))


# --- elementwise: a float, a (5,) vector, a (3, 4) matrix; binary also broadcast -----
UNARY = [  # (rule key, input domain, case functions for float / (5,) / (3, 4) inputs)
    (np.exp2, "real", (exp2_s, exp2_v, exp2_m)),
    (np.log2, "pos", (log2_s, log2_v, log2_m)),
    (np.log10, "pos", (log10_s, log10_v, log10_m)),
    (np.cbrt, "real", (cbrt_s, cbrt_v, cbrt_m)),
    (np.reciprocal, "real", (reciprocal_s, reciprocal_v, reciprocal_m)),
    (np.sinc, "real", (sinc_s, sinc_v, sinc_m)),
    (np.arcsinh, "real", (arcsinh_s, arcsinh_v, arcsinh_m)),
    (np.arccosh, "gt1", (arccosh_s, arccosh_v, arccosh_m)),
    (np.arctanh, "unit", (arctanh_s, arctanh_v, arctanh_m)),
    (np.deg2rad, "real", (deg2rad_s, deg2rad_v, deg2rad_m)),
    (np.radians, "real", (radians_s, radians_v, radians_m)),
    (np.rad2deg, "real", (rad2deg_s, rad2deg_v, rad2deg_m)),
    (np.degrees, "real", (degrees_s, degrees_v, degrees_m)),
    (np.fabs, "real", (fabs_s, fabs_v, fabs_m)),
    (np.nan_to_num, "real", (nan_to_num_s, nan_to_num_v, nan_to_num_m)),
    (np.real, "real", (real_s, real_v, real_m)),
    ("ndarray.real", "real", (attr_real_s, attr_real_v, attr_real_m)),
    (np.conjugate, "real", (conjugate_s, conjugate_v, conjugate_m)),
    ("ndarray.conjugate", "real", (method_conjugate_s, method_conjugate_v, method_conjugate_m)),
]
BINARY = [  # (rule key, domain of x, domain of y, case functions by result shape)
    (np.float_power, "pos", "real", (float_power_s, float_power_v, float_power_m)),
    (np.logaddexp, "real", "real", (logaddexp_s, logaddexp_v, logaddexp_m)),
    (np.logaddexp2, "real", "real", (logaddexp2_s, logaddexp2_v, logaddexp2_m)),
    (np.arctan2, "real", "real", (arctan2_s, arctan2_v, arctan2_m)),
    (np.hypot, "real", "real", (hypot_s, hypot_v, hypot_m)),
    (np.copysign, "real", "real", (copysign_s, copysign_v, copysign_m)),
    (np.remainder, "real", "real", (remainder_s, remainder_v, remainder_m)),
    (operator.mod, "real", "real", (mod_s, mod_v, mod_m)),
    (np.fmod, "real", "real", (fmod_s, fmod_v, fmod_m)),
    (np.fmax, "real", "real", (fmax_s, fmax_v, fmax_m)),
    (np.fmin, "real", "real", (fmin_s, fmin_v, fmin_m)),
]
for _key, _domain, _funcs in UNARY:
    for _shape, _func in zip(((), (5,), M), _funcs):
        _case(f"{_key_name(_key)}-{_shape_label(_shape)}", _func, [_in(_domain, _shape)],
              [_key])

for _key, _dx, _dy, _funcs in BINARY:
    for _sx, _sy, _which in BINARY_SHAPES:
        _case(f"{_key_name(_key)}-{_shape_label(_sx)},{_shape_label(_sy)}", _funcs[_which],
              _pair(_dx, _dy, _sx, _sy, KINKS.get(_key)), [_key])

# --- NumPy: special points, options, methods --------------------------------------------
_case("np.sinc-at-and-near-zero", sinc_v, [np.array([0.0, 1e-5, -4e-4, 0.5, -1.2])], [np.sinc])
_case("ndarray.conj-vec5", method_conj_v, [_in("real", (5,))], ["ndarray.conj"])
_case("ndarray.conj-mat3x4", method_conj_m, [_in("real", M)], ["ndarray.conj"])
_NONFINITE = _in("real", M)
_NONFINITE[0, 1], _NONFINITE[1, 2], _NONFINITE[2, 0] = np.nan, np.inf, -np.inf
_case("np.nan_to_num-options-nonfinite", nan_to_num_options, [_NONFINITE], [np.nan_to_num],
      marks=(pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning"),))
for _shape, _func in zip(((), (5,), M), (ldexp_s, ldexp_v, ldexp_m)):
    _exponent = int(RNG.integers(-2, 3)) if _shape == () else RNG.integers(-2, 3, _shape)
    _case(f"np.ldexp-{_shape_label(_shape)}", _func, [_in("real", _shape), _exponent],
          [np.ldexp], wrt=[0])
_case("np.ldexp-broadcast-exponent", ldexp_m, [_in("real", M), RNG.integers(-2, 3, (4,))],
      [np.ldexp], wrt=[0])
_WITH_NAN = _in("real", M)
_WITH_NAN[0, 0], _WITH_NAN[2, 1] = np.nan, np.nan
for _key, _func in ((np.fmax, fmax_m), (np.fmin, fmin_m)):
    _case(f"{_key_name(_key)}-nan-operand-loses", _func, [_in("real", M), _WITH_NAN], [_key],
          wrt=[0])
    _case(f"{_key_name(_key)}-nan-operand-first", _func, [_WITH_NAN, _in("real", M)], [_key],
          wrt=[1])
_case("operator.mod-constant-divisor", mod_constant_divisor,
      [0.7 * RNG.integers(-3, 3, M) + RNG.uniform(0.1, 0.6, M)], [operator.mod])
_case("operator.mod-wrap-angle", wrap_angle,
      [np.pi * (2.0 * RNG.integers(-2, 3, M) + RNG.uniform(-0.9, 0.9, M))], [operator.mod])



def _away(x, *bounds):
    """``x`` moved off the bounds (ties of an operand with a bound are kinks); bounds at
    least 0.3 apart."""
    for b in bounds:
        x = np.where(np.abs(x - b) < 0.05, x + 0.1, x)
    return x


_case("np.clip-constant-bounds", clip_constants, [_away(_in("real", M), -0.5, 0.7)], [np.clip])
_LO, _HI = -_in("pos", (4,)) * 0.5, _in("pos", (3, 1)) * 0.5  # in [-1, -0.15] and [0.15, 1]
_XC = _away(_in("real", M) * 1.2, _LO, _HI)
_case("np.clip-scalars-below", clip_s, [-0.9, -0.5, 0.6], [np.clip])
_case("np.clip-scalars-inside", clip_s, [0.3, -0.5, 0.6], [np.clip])
_case("np.clip-scalars-above", clip_s, [0.9, -0.5, 0.6], [np.clip])
_case("np.clip-scalars-inverted-bounds", clip_s, [0.1, 0.6, -0.5], [np.clip])
_case("np.clip-broadcast-bounds", clip_m, [_XC, _LO, _HI], [np.clip])
_case("np.clip-matrix-bounds", clip_m, [_XC, np.broadcast_to(_LO, M).copy(),
                                        np.broadcast_to(_HI, M).copy()], [np.clip])
_case("np.clip-inverted-bounds", clip_m, [_XC, -_LO, -_HI], [np.clip])
_case("np.clip-lower-only", clip_lower_only, [_XC, _LO], [np.clip])
if np.lib.NumpyVersion(np.__version__) >= "2.1.0":  # np.clip(x, min=..., max=...)
    _case("np.clip-keywords", clip_keywords, [_XC, _LO, _HI], [np.clip])
    _case("np.clip-upper-keyword", clip_upper_keyword, [_XC, _HI], [np.clip])
_case("ndarray.clip-broadcast-bounds", method_clip_m, [_XC, _LO, _HI], ["ndarray.clip"])
_case("ndarray.clip-min", method_clip_min, [_XC, _LO], ["ndarray.clip"])
_case("ndarray.clip-max", method_clip_max, [_XC, _HI], ["ndarray.clip"])

# ======================================================================================
# Tests
# ======================================================================================
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_gradient_matches_central_differences(case):
    check_case(case)


def test_case_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_nondifferentiable_functions_inside_a_differentiated_function():
    """heaviside, fix, around, x.round(), signbit, isclose, spacing, imag and angle are
    piecewise constant: no adjoint flows through them, the rest of the gradient is exact."""
    x = _away(_in("real", M), 0.25)
    got = s2sad.grad(uses_nondiff)(x)
    step = np.heaviside(x, 0.5)
    k = np.fix(3.0 * x) + np.around(x, 1) + x.round(2)
    flags = 1.0 * np.signbit(x) + np.isclose(x, 0.25) + np.spacing(x) + np.angle(x)
    np.testing.assert_allclose(got, W34 * (step + np.cos(x) * k + flags), rtol=1e-12)
    check_case(Case("nondiff-functions", uses_nondiff, (x,), (0,), ()))


def test_remainder_gradient_is_not_zero():
    """``x % y`` used to be declared not differentiable (a zero gradient)."""
    got = s2sad.grad(mod_constant_divisor)(np.full(M, 1.0))
    np.testing.assert_array_equal(got, W34)

"""Reverse rules of ``scipy.special`` (s2sad/rules/scipy_special.py), checked against central
differences by ``tests.test_rules.check_case``, as in tests/test_rules_ufuncs.py.

SciPy is optional: without it s2sad registers none of these rules and ``CASES`` is empty.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_rules import (
    BINARY_SHAPES,
    T3,
    W3,
    W4,
    W5,
    W11,
    W14,
    W31,
    W34,
    W_S,
    Case,
    M,
    _shape_label,
    check_case,
)
from tests.test_rules_ufuncs import _in, _pair

try:
    from scipy import special
except ImportError:  # SciPy is optional
    special = None


# ======================================================================================
# Case functions (special.f where SciPy is installed; never called otherwise)
# ======================================================================================
# --- unary: the float / (5,) / (3, 4) cases of each key ----------------------------
def sp_expm1_s(x): return W_S * special.expm1(x)
def sp_expm1_v(x): return np.sum(W5 * special.expm1(x))
def sp_expm1_m(x): return np.sum(W34 * special.expm1(x))

def sp_log1p_s(x): return W_S * special.log1p(x)
def sp_log1p_v(x): return np.sum(W5 * special.log1p(x))
def sp_log1p_m(x): return np.sum(W34 * special.log1p(x))

def sp_exp2_s(x): return W_S * special.exp2(x)
def sp_exp2_v(x): return np.sum(W5 * special.exp2(x))
def sp_exp2_m(x): return np.sum(W34 * special.exp2(x))

def sp_cbrt_s(x): return W_S * special.cbrt(x)
def sp_cbrt_v(x): return np.sum(W5 * special.cbrt(x))
def sp_cbrt_m(x): return np.sum(W34 * special.cbrt(x))

def exp10_s(x): return W_S * special.exp10(x)
def exp10_v(x): return np.sum(W5 * special.exp10(x))
def exp10_m(x): return np.sum(W34 * special.exp10(x))

def cosm1_s(x): return W_S * special.cosm1(x)
def cosm1_v(x): return np.sum(W5 * special.cosm1(x))
def cosm1_m(x): return np.sum(W34 * special.cosm1(x))

def sindg_s(x): return W_S * special.sindg(x)
def sindg_v(x): return np.sum(W5 * special.sindg(x))
def sindg_m(x): return np.sum(W34 * special.sindg(x))

def cosdg_s(x): return W_S * special.cosdg(x)
def cosdg_v(x): return np.sum(W5 * special.cosdg(x))
def cosdg_m(x): return np.sum(W34 * special.cosdg(x))

def tandg_s(x): return W_S * special.tandg(x)
def tandg_v(x): return np.sum(W5 * special.tandg(x))
def tandg_m(x): return np.sum(W34 * special.tandg(x))

def cotdg_s(x): return W_S * special.cotdg(x)
def cotdg_v(x): return np.sum(W5 * special.cotdg(x))
def cotdg_m(x): return np.sum(W34 * special.cotdg(x))

def expit_s(x): return W_S * special.expit(x)
def expit_v(x): return np.sum(W5 * special.expit(x))
def expit_m(x): return np.sum(W34 * special.expit(x))

def logit_s(x): return W_S * special.logit(x)
def logit_v(x): return np.sum(W5 * special.logit(x))
def logit_m(x): return np.sum(W34 * special.logit(x))

def log_expit_s(x): return W_S * special.log_expit(x)
def log_expit_v(x): return np.sum(W5 * special.log_expit(x))
def log_expit_m(x): return np.sum(W34 * special.log_expit(x))

def erf_s(x): return W_S * special.erf(x)
def erf_v(x): return np.sum(W5 * special.erf(x))
def erf_m(x): return np.sum(W34 * special.erf(x))

def erfc_s(x): return W_S * special.erfc(x)
def erfc_v(x): return np.sum(W5 * special.erfc(x))
def erfc_m(x): return np.sum(W34 * special.erfc(x))

def erfcx_s(x): return W_S * special.erfcx(x)
def erfcx_v(x): return np.sum(W5 * special.erfcx(x))
def erfcx_m(x): return np.sum(W34 * special.erfcx(x))

def erfinv_s(x): return W_S * special.erfinv(x)
def erfinv_v(x): return np.sum(W5 * special.erfinv(x))
def erfinv_m(x): return np.sum(W34 * special.erfinv(x))

def erfcinv_s(x): return W_S * special.erfcinv(x)
def erfcinv_v(x): return np.sum(W5 * special.erfcinv(x))
def erfcinv_m(x): return np.sum(W34 * special.erfcinv(x))

def dawsn_s(x): return W_S * special.dawsn(x)
def dawsn_v(x): return np.sum(W5 * special.dawsn(x))
def dawsn_m(x): return np.sum(W34 * special.dawsn(x))

def ndtr_s(x): return W_S * special.ndtr(x)
def ndtr_v(x): return np.sum(W5 * special.ndtr(x))
def ndtr_m(x): return np.sum(W34 * special.ndtr(x))

def log_ndtr_s(x): return W_S * special.log_ndtr(x)
def log_ndtr_v(x): return np.sum(W5 * special.log_ndtr(x))
def log_ndtr_m(x): return np.sum(W34 * special.log_ndtr(x))

def ndtri_s(x): return W_S * special.ndtri(x)
def ndtri_v(x): return np.sum(W5 * special.ndtri(x))
def ndtri_m(x): return np.sum(W34 * special.ndtri(x))

def gamma_s(x): return W_S * special.gamma(x)
def gamma_v(x): return np.sum(W5 * special.gamma(x))
def gamma_m(x): return np.sum(W34 * special.gamma(x))

def gammaln_s(x): return W_S * special.gammaln(x)
def gammaln_v(x): return np.sum(W5 * special.gammaln(x))
def gammaln_m(x): return np.sum(W34 * special.gammaln(x))

def loggamma_s(x): return W_S * special.loggamma(x)
def loggamma_v(x): return np.sum(W5 * special.loggamma(x))
def loggamma_m(x): return np.sum(W34 * special.loggamma(x))

def digamma_s(x): return W_S * special.digamma(x)
def digamma_v(x): return np.sum(W5 * special.digamma(x))
def digamma_m(x): return np.sum(W34 * special.digamma(x))

def polygamma_s(x): return W_S * special.polygamma(1, x)
def polygamma_v(x): return np.sum(W5 * special.polygamma(1, x))
def polygamma_m(x): return np.sum(W34 * special.polygamma(1, x))

def entr_s(x): return W_S * special.entr(x)
def entr_v(x): return np.sum(W5 * special.entr(x))
def entr_m(x): return np.sum(W34 * special.entr(x))

def j0_s(x): return W_S * special.j0(x)
def j0_v(x): return np.sum(W5 * special.j0(x))
def j0_m(x): return np.sum(W34 * special.j0(x))

def j1_s(x): return W_S * special.j1(x)
def j1_v(x): return np.sum(W5 * special.j1(x))
def j1_m(x): return np.sum(W34 * special.j1(x))

def y0_s(x): return W_S * special.y0(x)
def y0_v(x): return np.sum(W5 * special.y0(x))
def y0_m(x): return np.sum(W34 * special.y0(x))

def y1_s(x): return W_S * special.y1(x)
def y1_v(x): return np.sum(W5 * special.y1(x))
def y1_m(x): return np.sum(W34 * special.y1(x))

def i0_s(x): return W_S * special.i0(x)
def i0_v(x): return np.sum(W5 * special.i0(x))
def i0_m(x): return np.sum(W34 * special.i0(x))

def i1_s(x): return W_S * special.i1(x)
def i1_v(x): return np.sum(W5 * special.i1(x))
def i1_m(x): return np.sum(W34 * special.i1(x))

def i0e_s(x): return W_S * special.i0e(x)
def i0e_v(x): return np.sum(W5 * special.i0e(x))
def i0e_m(x): return np.sum(W34 * special.i0e(x))

def i1e_s(x): return W_S * special.i1e(x)
def i1e_v(x): return np.sum(W5 * special.i1e(x))
def i1e_m(x): return np.sum(W34 * special.i1e(x))

def k0_s(x): return W_S * special.k0(x)
def k0_v(x): return np.sum(W5 * special.k0(x))
def k0_m(x): return np.sum(W34 * special.k0(x))

def k1_s(x): return W_S * special.k1(x)
def k1_v(x): return np.sum(W5 * special.k1(x))
def k1_m(x): return np.sum(W34 * special.k1(x))

def k0e_s(x): return W_S * special.k0e(x)
def k0e_v(x): return np.sum(W5 * special.k0e(x))
def k0e_m(x): return np.sum(W34 * special.k0e(x))

def k1e_s(x): return W_S * special.k1e(x)
def k1e_v(x): return np.sum(W5 * special.k1e(x))
def k1e_m(x): return np.sum(W34 * special.k1e(x))

def ellipk_s(x): return W_S * special.ellipk(x)
def ellipk_v(x): return np.sum(W5 * special.ellipk(x))
def ellipk_m(x): return np.sum(W34 * special.ellipk(x))

def ellipe_s(x): return W_S * special.ellipe(x)
def ellipe_v(x): return np.sum(W5 * special.ellipe(x))
def ellipe_m(x): return np.sum(W34 * special.ellipe(x))

def spence_s(x): return W_S * special.spence(x)
def spence_v(x): return np.sum(W5 * special.spence(x))
def spence_m(x): return np.sum(W34 * special.spence(x))

def softplus_s(x): return W_S * special.softplus(x)
def softplus_v(x): return np.sum(W5 * special.softplus(x))
def softplus_m(x): return np.sum(W34 * special.softplus(x))

# --- binary (also at broadcast shapes) -----------------------------------------------
def beta_s(x, y): return W_S * special.beta(x, y)
def beta_v(x, y): return np.sum(W5 * special.beta(x, y))
def beta_m(x, y): return np.sum(W34 * special.beta(x, y))

def betaln_s(x, y): return W_S * special.betaln(x, y)
def betaln_v(x, y): return np.sum(W5 * special.betaln(x, y))
def betaln_m(x, y): return np.sum(W34 * special.betaln(x, y))

def xlogy_s(x, y): return W_S * special.xlogy(x, y)
def xlogy_v(x, y): return np.sum(W5 * special.xlogy(x, y))
def xlogy_m(x, y): return np.sum(W34 * special.xlogy(x, y))

def xlog1py_s(x, y): return W_S * special.xlog1py(x, y)
def xlog1py_v(x, y): return np.sum(W5 * special.xlog1py(x, y))
def xlog1py_m(x, y): return np.sum(W34 * special.xlog1py(x, y))

def rel_entr_s(x, y): return W_S * special.rel_entr(x, y)
def rel_entr_v(x, y): return np.sum(W5 * special.rel_entr(x, y))
def rel_entr_m(x, y): return np.sum(W34 * special.rel_entr(x, y))

def kl_div_s(x, y): return W_S * special.kl_div(x, y)
def kl_div_v(x, y): return np.sum(W5 * special.kl_div(x, y))
def kl_div_m(x, y): return np.sum(W34 * special.kl_div(x, y))

def huber_s(x, y): return W_S * special.huber(x, y)
def huber_v(x, y): return np.sum(W5 * special.huber(x, y))
def huber_m(x, y): return np.sum(W34 * special.huber(x, y))

def pseudo_huber_s(x, y): return W_S * special.pseudo_huber(x, y)
def pseudo_huber_v(x, y): return np.sum(W5 * special.pseudo_huber(x, y))
def pseudo_huber_m(x, y): return np.sum(W34 * special.pseudo_huber(x, y))


# --- orders, the ternary radian, reductions over axes ------------------------------
def polygamma_order2(x): return np.sum(W34 * special.polygamma(2, x))

def radian_s(d, m, s): return W_S * special.radian(d, m, s)
def radian_m(d, m, s): return np.sum(W34 * special.radian(d, m, s))

def logsumexp_all(a): return W_S * special.logsumexp(a)
def logsumexp_axis0(a): return np.sum(W4 * special.logsumexp(a, axis=0))
def logsumexp_axis1(a): return np.sum(W3 * special.logsumexp(a, axis=1))
def logsumexp_axis_neg1(a): return np.sum(W3 * special.logsumexp(a, axis=-1))
def logsumexp_axis01(a): return W_S * special.logsumexp(a, axis=(0, 1))
def logsumexp_keepdims(a): return np.sum(W11 * special.logsumexp(a, keepdims=True))
def logsumexp_axis0_keepdims(a): return np.sum(W14 * special.logsumexp(a, axis=0, keepdims=True))
def logsumexp_axis1_keepdims(a):
    return np.sum(W31 * special.logsumexp(a, axis=1, keepdims=True))
def logsumexp_axis02_3d(a): return np.sum(W3 * special.logsumexp(a, axis=(0, 2)))
def logsumexp_weighted(a, b): return W_S * special.logsumexp(a, b=b)
def logsumexp_weighted_axis1(a, b): return np.sum(W3 * special.logsumexp(a, axis=1, b=b))

def softmax_all(x): return np.sum(W34 * special.softmax(x))
def softmax_vec(x): return np.sum(W5 * special.softmax(x))
def softmax_axis0(x): return np.sum(W34 * special.softmax(x, axis=0))
def softmax_axis1(x): return np.sum(W34 * special.softmax(x, axis=1))
def softmax_axis_neg1(x): return np.sum(W34 * special.softmax(x, axis=-1))
def log_softmax_all(x): return np.sum(W34 * special.log_softmax(x))
def log_softmax_vec(x): return np.sum(W5 * special.log_softmax(x))
def log_softmax_axis0(x): return np.sum(W34 * special.log_softmax(x, axis=0))
def log_softmax_axis1(x): return np.sum(W34 * special.log_softmax(x, axis=1))
def log_softmax_axis_neg1(x): return np.sum(W34 * special.log_softmax(x, axis=-1))


# ======================================================================================
# Inputs and the case table
# ======================================================================================
def _huber_kink(delta, r):
    """huber(delta, r) has kinks where |r| = delta."""
    return np.abs(np.abs(r) - delta)


KINKS = {} if special is None else {special.huber: _huber_kink}
CASES: list = []


def _case(id, func, args, keys, wrt=None):
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    CASES.append(Case(id, func, tuple(args), wrt, tuple(keys)))


# --- elementwise: a float, a (5,) vector, a (3, 4) matrix; binary also broadcast -----
UNARY = [] if special is None else [  # (key, domain, float / (5,) / (3, 4) cases)
    (special.expm1, "real", (sp_expm1_s, sp_expm1_v, sp_expm1_m)),
    (special.log1p, "pos", (sp_log1p_s, sp_log1p_v, sp_log1p_m)),
    (special.exp2, "real", (sp_exp2_s, sp_exp2_v, sp_exp2_m)),
    (special.cbrt, "real", (sp_cbrt_s, sp_cbrt_v, sp_cbrt_m)),
    (special.exp10, "real", (exp10_s, exp10_v, exp10_m)),
    (special.cosm1, "real", (cosm1_s, cosm1_v, cosm1_m)),
    (special.sindg, "deg", (sindg_s, sindg_v, sindg_m)),
    (special.cosdg, "deg", (cosdg_s, cosdg_v, cosdg_m)),
    (special.tandg, "deg", (tandg_s, tandg_v, tandg_m)),
    (special.cotdg, "deg", (cotdg_s, cotdg_v, cotdg_m)),
    (special.expit, "real", (expit_s, expit_v, expit_m)),
    (special.logit, "prob", (logit_s, logit_v, logit_m)),
    (special.log_expit, "real", (log_expit_s, log_expit_v, log_expit_m)),
    (special.erf, "real", (erf_s, erf_v, erf_m)),
    (special.erfc, "real", (erfc_s, erfc_v, erfc_m)),
    (special.erfcx, "real", (erfcx_s, erfcx_v, erfcx_m)),
    (special.erfinv, "unit", (erfinv_s, erfinv_v, erfinv_m)),
    (special.erfcinv, "unit+1", (erfcinv_s, erfcinv_v, erfcinv_m)),
    (special.dawsn, "real", (dawsn_s, dawsn_v, dawsn_m)),
    (special.ndtr, "real", (ndtr_s, ndtr_v, ndtr_m)),
    (special.log_ndtr, "real", (log_ndtr_s, log_ndtr_v, log_ndtr_m)),
    (special.ndtri, "prob", (ndtri_s, ndtri_v, ndtri_m)),
    (special.gamma, "pos", (gamma_s, gamma_v, gamma_m)),
    (special.gammaln, "pos", (gammaln_s, gammaln_v, gammaln_m)),
    (special.loggamma, "pos", (loggamma_s, loggamma_v, loggamma_m)),
    (special.digamma, "pos", (digamma_s, digamma_v, digamma_m)),
    (special.polygamma, "pos", (polygamma_s, polygamma_v, polygamma_m)),
    (special.entr, "pos", (entr_s, entr_v, entr_m)),
    (special.j0, "real", (j0_s, j0_v, j0_m)),
    (special.j1, "real", (j1_s, j1_v, j1_m)),
    (special.y0, "pos", (y0_s, y0_v, y0_m)),
    (special.y1, "pos", (y1_s, y1_v, y1_m)),
    (special.i0, "real", (i0_s, i0_v, i0_m)),
    (special.i1, "real", (i1_s, i1_v, i1_m)),
    (special.i0e, "real", (i0e_s, i0e_v, i0e_m)),
    (special.i1e, "real", (i1e_s, i1e_v, i1e_m)),
    (special.k0, "pos", (k0_s, k0_v, k0_m)),
    (special.k1, "pos", (k1_s, k1_v, k1_m)),
    (special.k0e, "pos", (k0e_s, k0e_v, k0e_m)),
    (special.k1e, "pos", (k1e_s, k1e_v, k1e_m)),
    (special.ellipk, "prob", (ellipk_s, ellipk_v, ellipk_m)),
    (special.ellipe, "prob", (ellipe_s, ellipe_v, ellipe_m)),
    (special.spence, "prob", (spence_s, spence_v, spence_m)),
] + ([(special.softplus, "real", (softplus_s, softplus_v, softplus_m))]
      if hasattr(special, "softplus") else [])  # SciPy 1.15+
BINARY = [] if special is None else [  # (key, domain of x, of y, cases by shape)
    (special.beta, "pos", "pos", (beta_s, beta_v, beta_m)),
    (special.betaln, "pos", "pos", (betaln_s, betaln_v, betaln_m)),
    (special.xlogy, "real", "pos", (xlogy_s, xlogy_v, xlogy_m)),
    (special.xlog1py, "real", "pos", (xlog1py_s, xlog1py_v, xlog1py_m)),
    (special.rel_entr, "pos", "pos", (rel_entr_s, rel_entr_v, rel_entr_m)),
    (special.kl_div, "pos", "pos", (kl_div_s, kl_div_v, kl_div_m)),
    (special.huber, "pos", "real", (huber_s, huber_v, huber_m)),
    (special.pseudo_huber, "pos", "real", (pseudo_huber_s, pseudo_huber_v, pseudo_huber_m)),
]
for _key, _domain, _funcs in UNARY:
    for _shape, _func in zip(((), (5,), M), _funcs):
        _case(f"special.{_key.__name__}-{_shape_label(_shape)}", _func,
              [_in(_domain, _shape)], [_key])

for _key, _dx, _dy, _funcs in BINARY:
    for _sx, _sy, _which in BINARY_SHAPES:
        _case(f"special.{_key.__name__}-{_shape_label(_sx)},{_shape_label(_sy)}",
              _funcs[_which], _pair(_dx, _dy, _sx, _sy, KINKS.get(_key)), [_key])

# --- special points, orders, the ternary radian and reductions ---------------------
if special is not None:
    _case("special.i1-at-zero", i1_v, [np.array([0.0, 0.3, -0.7, 1.1, -2.0])], [special.i1])
    _case("special.gammaln-negative", gammaln_v, [np.array([-0.5, -1.5, -2.3, -0.2, -3.7])],
          [special.gammaln])
    _case("special.log_ndtr-tail", log_ndtr_v, [np.array([-20.0, -8.0, -3.0, 0.5, 4.0])],
          [special.log_ndtr])
    _case("special.polygamma-order2", polygamma_order2, [_in("pos", M)], [special.polygamma])
    _case("special.radian-floats", radian_s, [_in("real"), _in("real"), _in("real")],
          [special.radian])
    for _shapes in ((M, M, M), ((3, 1), (1, 4), ()), ((4,), M, (3, 1))):
        _case(f"special.radian-{','.join(_shape_label(s) for s in _shapes)}", radian_m,
              [_in("real", s) for s in _shapes], [special.radian])
    for _func, _shape in ((logsumexp_all, (5,)), (logsumexp_all, M), (logsumexp_axis0, M),
                          (logsumexp_axis1, M), (logsumexp_axis_neg1, M),
                          (logsumexp_axis01, M), (logsumexp_keepdims, M),
                          (logsumexp_axis0_keepdims, M), (logsumexp_axis1_keepdims, M),
                          (logsumexp_axis02_3d, T3)):
        _case(f"special.logsumexp-{_func.__name__}-{_shape_label(_shape)}", _func,
              [_in("real", _shape) * 2.0], [special.logsumexp])
    for _func, _sa, _sb in ((logsumexp_weighted, M, M), (logsumexp_weighted, M, (4,)),
                            (logsumexp_weighted_axis1, M, M),
                            (logsumexp_weighted_axis1, M, (4,))):
        _case(f"special.logsumexp-{_func.__name__}-{_shape_label(_sa)},{_shape_label(_sb)}",
              _func, [_in("real", _sa) * 2.0, _in("pos", _sb)], [special.logsumexp])
    for _key, _funcs in ((special.softmax, (softmax_all, softmax_axis0, softmax_axis1,
                                            softmax_axis_neg1)),
                         (special.log_softmax, (log_softmax_all, log_softmax_axis0,
                                                log_softmax_axis1, log_softmax_axis_neg1))):
        for _func in _funcs:
            _case(f"special.{_key.__name__}-{_func.__name__}-mat3x4", _func, [_in("real", M) * 2.0],
                  [_key])
    _case("special.softmax-vec5", softmax_vec, [_in("real", (5,))], [special.softmax])
    _case("special.log_softmax-vec5", log_softmax_vec, [_in("real", (5,))],
          [special.log_softmax])


# ======================================================================================
# Tests
# ======================================================================================
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_gradient_matches_central_differences(case):
    check_case(case)


def test_case_ids_are_unique():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})

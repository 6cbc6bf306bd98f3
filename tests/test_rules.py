"""Every registered reverse rule, checked against central finite differences.

s2sad differentiates source code, so each case below is a small module-level function. A
non-scalar result is reduced to a scalar by a weighted sum against a fixed random array of
the result's shape (``W34`` for a (3, 4) result, ``W_S`` for a scalar), never a plain sum, so
that a transposed, permuted or wrongly broadcast adjoint changes the gradient. The weights
are module-level constants: s2sad treats global names as constants.

The tables below the functions map rule keys of ``s2sad.rules.REVERSE`` to cases (function,
arguments, which arguments to differentiate); ``test_every_rule_has_a_case`` fails when a rule
s2sad ships has none. Python's ``math`` functions and ``float`` accept scalars only, so their
cases are Python floats. ``KNOWN_BUGS`` marks the cases that fail because of a defect in s2sad.
"""

from __future__ import annotations

import importlib
import inspect
import math
import operator
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

import s2sad
from s2sad.normalize import normalize
from s2sad.parse import parse_function
from s2sad.rules import REVERSE

RTOL, ATOL = 1e-5, 1e-7
RNG = np.random.default_rng(20240611)


def _weight(*shape):
    """Random weights with |w| in [0.5, 1.5], so that every output element counts."""
    return RNG.uniform(0.5, 1.5, shape) * RNG.choice((-1.0, 1.0), shape)


# ------------------------------------------------------------------------------ weights
# W_S weighs scalar results; W<dims> weighs a result of that shape (W235: (2, 3, 5)).
W_S = float(_weight())
W2, W3, W4, W5, W6, W12 = (_weight(n) for n in (2, 3, 4, 5, 6, 12))
W11, W13, W14, W22, W23, W25, W26 = (_weight(*s) for s in ((1, 1), (1, 3), (1, 4), (2, 2),
                                                            (2, 3), (2, 5), (2, 6)))
W31, W34, W35, W43, W62 = (_weight(*s) for s in ((3, 1), (3, 4), (3, 5), (4, 3), (6, 2)))
W214, W232, W235, W325 = (_weight(*s) for s in ((2, 1, 4), (2, 3, 2), (2, 3, 5), (3, 2, 5)))
W342, W423, W432 = (_weight(*s) for s in ((3, 4, 2), (4, 2, 3), (4, 3, 2)))
# constant indexes and masks
IDX4 = np.array([0, 2, 2, 4])  # repeated integer index: the adjoint must add up
ROWS4, COLS4 = np.array([0, 2, 2, 1]), np.array([3, 1, 1, 0])
MASK5 = np.array([True, False, False, True, False])
MASK34 = np.array([[True, False, True, True], [False, False, True, False],
                   [True, True, False, False]])


# ======================================================================================
# Case functions. In the elementwise blocks the suffix names the result: _s a scalar,
# _v a (5,) vector, _m a (3, 4) matrix (also reached by broadcasting smaller operands).
# ======================================================================================

# --- NumPy elementwise unary functions and unary operators ----------------------------
def exp_s(x): return W_S * np.exp(x)
def exp_v(x): return np.sum(W5 * np.exp(x))
def exp_m(x): return np.sum(W34 * np.exp(x))

def log_s(x): return W_S * np.log(x)
def log_v(x): return np.sum(W5 * np.log(x))
def log_m(x): return np.sum(W34 * np.log(x))

def log1p_s(x): return W_S * np.log1p(x)
def log1p_v(x): return np.sum(W5 * np.log1p(x))
def log1p_m(x): return np.sum(W34 * np.log1p(x))

def expm1_s(x): return W_S * np.expm1(x)
def expm1_v(x): return np.sum(W5 * np.expm1(x))
def expm1_m(x): return np.sum(W34 * np.expm1(x))

def sqrt_s(x): return W_S * np.sqrt(x)
def sqrt_v(x): return np.sum(W5 * np.sqrt(x))
def sqrt_m(x): return np.sum(W34 * np.sqrt(x))

def square_s(x): return W_S * np.square(x)
def square_v(x): return np.sum(W5 * np.square(x))
def square_m(x): return np.sum(W34 * np.square(x))

def sin_s(x): return W_S * np.sin(x)
def sin_v(x): return np.sum(W5 * np.sin(x))
def sin_m(x): return np.sum(W34 * np.sin(x))

def cos_s(x): return W_S * np.cos(x)
def cos_v(x): return np.sum(W5 * np.cos(x))
def cos_m(x): return np.sum(W34 * np.cos(x))

def tan_s(x): return W_S * np.tan(x)
def tan_v(x): return np.sum(W5 * np.tan(x))
def tan_m(x): return np.sum(W34 * np.tan(x))

def arcsin_s(x): return W_S * np.arcsin(x)
def arcsin_v(x): return np.sum(W5 * np.arcsin(x))
def arcsin_m(x): return np.sum(W34 * np.arcsin(x))

def arccos_s(x): return W_S * np.arccos(x)
def arccos_v(x): return np.sum(W5 * np.arccos(x))
def arccos_m(x): return np.sum(W34 * np.arccos(x))

def arctan_s(x): return W_S * np.arctan(x)
def arctan_v(x): return np.sum(W5 * np.arctan(x))
def arctan_m(x): return np.sum(W34 * np.arctan(x))

def sinh_s(x): return W_S * np.sinh(x)
def sinh_v(x): return np.sum(W5 * np.sinh(x))
def sinh_m(x): return np.sum(W34 * np.sinh(x))

def cosh_s(x): return W_S * np.cosh(x)
def cosh_v(x): return np.sum(W5 * np.cosh(x))
def cosh_m(x): return np.sum(W34 * np.cosh(x))

def tanh_s(x): return W_S * np.tanh(x)
def tanh_v(x): return np.sum(W5 * np.tanh(x))
def tanh_m(x): return np.sum(W34 * np.tanh(x))

def absolute_s(x): return W_S * np.abs(x)
def absolute_v(x): return np.sum(W5 * np.abs(x))
def absolute_m(x): return np.sum(W34 * np.abs(x))

def abs_s(x): return W_S * abs(x)
def abs_v(x): return np.sum(W5 * abs(x))
def abs_m(x): return np.sum(W34 * abs(x))

def neg_s(x): return W_S * -x
def neg_v(x): return np.sum(W5 * -x)
def neg_m(x): return np.sum(W34 * -x)

def negative_s(x): return W_S * np.negative(x)
def negative_v(x): return np.sum(W5 * np.negative(x))
def negative_m(x): return np.sum(W34 * np.negative(x))

def pos_s(x): return W_S * +x
def pos_v(x): return np.sum(W5 * +x)
def pos_m(x): return np.sum(W34 * +x)

def positive_s(x): return W_S * np.positive(x)
def positive_v(x): return np.sum(W5 * np.positive(x))
def positive_m(x): return np.sum(W34 * np.positive(x))

# --- binary elementwise: operators and their NumPy twins ------------------------------
def add_s(x, y): return W_S * (x + y)
def add_v(x, y): return np.sum(W5 * (x + y))
def add_m(x, y): return np.sum(W34 * (x + y))

def np_add_s(x, y): return W_S * np.add(x, y)
def np_add_v(x, y): return np.sum(W5 * np.add(x, y))
def np_add_m(x, y): return np.sum(W34 * np.add(x, y))

def sub_s(x, y): return W_S * (x - y)
def sub_v(x, y): return np.sum(W5 * (x - y))
def sub_m(x, y): return np.sum(W34 * (x - y))

def np_subtract_s(x, y): return W_S * np.subtract(x, y)
def np_subtract_v(x, y): return np.sum(W5 * np.subtract(x, y))
def np_subtract_m(x, y): return np.sum(W34 * np.subtract(x, y))

def mul_s(x, y): return W_S * (x * y)
def mul_v(x, y): return np.sum(W5 * (x * y))
def mul_m(x, y): return np.sum(W34 * (x * y))

def np_multiply_s(x, y): return W_S * np.multiply(x, y)
def np_multiply_v(x, y): return np.sum(W5 * np.multiply(x, y))
def np_multiply_m(x, y): return np.sum(W34 * np.multiply(x, y))

def div_s(x, y): return W_S * (x / y)
def div_v(x, y): return np.sum(W5 * (x / y))
def div_m(x, y): return np.sum(W34 * (x / y))

def np_divide_s(x, y): return W_S * np.divide(x, y)
def np_divide_v(x, y): return np.sum(W5 * np.divide(x, y))
def np_divide_m(x, y): return np.sum(W34 * np.divide(x, y))

def pow_s(x, y): return W_S * x ** y
def pow_v(x, y): return np.sum(W5 * x ** y)
def pow_m(x, y): return np.sum(W34 * x ** y)

def np_power_s(x, y): return W_S * np.power(x, y)
def np_power_v(x, y): return np.sum(W5 * np.power(x, y))
def np_power_m(x, y): return np.sum(W34 * np.power(x, y))

def maximum_s(x, y): return W_S * np.maximum(x, y)
def maximum_v(x, y): return np.sum(W5 * np.maximum(x, y))
def maximum_m(x, y): return np.sum(W34 * np.maximum(x, y))

def minimum_s(x, y): return W_S * np.minimum(x, y)
def minimum_v(x, y): return np.sum(W5 * np.minimum(x, y))
def minimum_m(x, y): return np.sum(W34 * np.minimum(x, y))

def where_s(x, y): return W_S * np.where(x < y, x, y)
def where_v(x, y): return np.sum(W5 * np.where(MASK5, x, y))
def where_m(x, y): return np.sum(W34 * np.where(MASK34, x, y))


# --- elementwise special cases: repeated operands, constants, inactive operands --------
def mul_same_operand(x): return np.sum(W34 * (x * x))
def add_same_operand(x): return np.sum(W34 * (x + x))
def sub_same_operand(x): return np.sum(W34 * (x - 2.0 * x))
def div_shared_operand(x): return np.sum(W34 * (x / (x + 2.0)))
def pow_same_operand(x): return np.sum(W34 * x ** x)
def pow_int_exponent(x): return np.sum(W34 * x ** 2)
def pow_negative_int_exponent(x): return np.sum(W34 * x ** -2)
def pow_float_exponent(x): return np.sum(W34 * x ** 0.5)
def pow_constant_base(x): return np.sum(W34 * 2.0 ** x)
def np_power_int_exponent(x): return np.sum(W34 * np.power(x, 3))
def pow_inactive_exponent(x, y): return np.sum(W34 * x ** y)
def pow_zero_base(x, y): return np.sum(W34 * x ** y)
def rsub_constant(x): return np.sum(W34 * (1.5 - x))
def rdiv_constant(x): return np.sum(W34 * (3.0 / x))
def relu_maximum(x): return np.sum(W34 * np.maximum(x, 0.0))
def relu_minimum(x): return np.sum(W34 * np.minimum(0.0, x))
def leaky_relu_where(x): return np.sum(W34 * np.where(x > 0.0, x, 0.1 * x))


# --- Python's math module (scalars only) and builtins float/abs -----------------------
def math_exp(x): return W_S * math.exp(x)
def math_log(x): return W_S * math.log(x)
def math_log1p(x): return W_S * math.log1p(x)
def math_expm1(x): return W_S * math.expm1(x)
def math_log2(x): return W_S * math.log2(x)
def math_log10(x): return W_S * math.log10(x)
def math_sqrt(x): return W_S * math.sqrt(x)
def math_sin(x): return W_S * math.sin(x)
def math_cos(x): return W_S * math.cos(x)
def math_tan(x): return W_S * math.tan(x)
def math_asin(x): return W_S * math.asin(x)
def math_acos(x): return W_S * math.acos(x)
def math_atan(x): return W_S * math.atan(x)
def math_sinh(x): return W_S * math.sinh(x)
def math_cosh(x): return W_S * math.cosh(x)
def math_tanh(x): return W_S * math.tanh(x)
def math_fabs(x): return W_S * math.fabs(x)
def math_erf(x): return W_S * math.erf(x)
def math_erfc(x): return W_S * math.erfc(x)
def math_degrees(x): return W_S * math.degrees(x)
def math_radians(x): return W_S * math.radians(x)
def math_log_constant_base(x): return W_S * math.log(x, 3.0)
def math_log_variable_base(x, b): return W_S * math.log(x, b)
def math_pow(x, y): return W_S * math.pow(x, y)
def math_pow_zero_base(x, y): return W_S * math.pow(x, y)
def math_atan2(y, x): return W_S * math.atan2(y, x)
def math_hypot(x, y): return W_S * math.hypot(x, y)
def math_hypot_three(x, y, z): return W_S * math.hypot(x, y, z)
def math_hypot_one(x): return W_S * math.hypot(x)
def math_hypot_four(x, y, z, w): return W_S * math.hypot(x, y, z, w)
def float_of_float(x): return W_S * float(x)
def float_of_numpy_scalar(x): return W_S * float(np.sum(W34 * x))
def float_then_math(x): return W_S * math.sin(float(np.tanh(x)))


# --- reductions: np.sum / np.mean and the methods .sum() / .mean() --------------------
def sum_all(x): return W_S * np.sum(x)
def sum_axis0_to_scalar(x): return W_S * np.sum(x, axis=0)
def sum_axis0(x): return np.sum(W4 * np.sum(x, axis=0))
def sum_axis1(x): return np.sum(W3 * np.sum(x, axis=1))
def sum_axis_neg1(x): return np.sum(W3 * np.sum(x, axis=-1))
def sum_axis1_positional(x): return np.sum(W3 * np.sum(x, 1))
def sum_axis01(x): return W_S * np.sum(x, axis=(0, 1))
def sum_keepdims(x): return np.sum(W11 * np.sum(x, keepdims=True))
def sum_axis0_keepdims(x): return np.sum(W14 * np.sum(x, axis=0, keepdims=True))
def sum_axis1_keepdims(x): return np.sum(W31 * np.sum(x, axis=1, keepdims=True))
def sum_axis_neg1_keepdims(x): return np.sum(W31 * np.sum(x, axis=-1, keepdims=True))
def sum_axis01_keepdims(x): return np.sum(W11 * np.sum(x, axis=(0, 1), keepdims=True))
def sum_axis02_3d(x): return np.sum(W3 * np.sum(x, axis=(0, 2)))
def sum_axis_neg1_0_3d(x): return np.sum(W3 * np.sum(x, axis=(-1, 0)))
def sum_axis_neg2_keepdims_3d(x): return np.sum(W214 * np.sum(x, axis=-2, keepdims=True))

def method_sum_all(x): return W_S * x.sum()
def method_sum_axis0(x): return np.sum(W4 * x.sum(axis=0))
def method_sum_axis1_positional(x): return np.sum(W3 * x.sum(1))
def method_sum_axis_neg1_keepdims(x): return np.sum(W31 * x.sum(axis=-1, keepdims=True))
def method_sum_axis01(x): return W_S * x.sum(axis=(0, 1))
def method_sum_axis01_keepdims(x): return np.sum(W11 * x.sum(axis=(0, 1), keepdims=True))
def method_sum_axis12_3d(x): return np.sum(W2 * x.sum(axis=(1, 2)))

def mean_all(x): return W_S * np.mean(x)
def mean_axis0_to_scalar(x): return W_S * np.mean(x, axis=0)
def mean_axis0(x): return np.sum(W4 * np.mean(x, axis=0))
def mean_axis1(x): return np.sum(W3 * np.mean(x, axis=1))
def mean_axis_neg1(x): return np.sum(W3 * np.mean(x, axis=-1))
def mean_axis1_positional(x): return np.sum(W3 * np.mean(x, 1))
def mean_axis01(x): return W_S * np.mean(x, axis=(0, 1))
def mean_keepdims(x): return np.sum(W11 * np.mean(x, keepdims=True))
def mean_axis0_keepdims(x): return np.sum(W14 * np.mean(x, axis=0, keepdims=True))
def mean_axis1_keepdims(x): return np.sum(W31 * np.mean(x, axis=1, keepdims=True))
def mean_axis_neg1_keepdims(x): return np.sum(W31 * np.mean(x, axis=-1, keepdims=True))
def mean_axis01_keepdims(x): return np.sum(W11 * np.mean(x, axis=(0, 1), keepdims=True))
def mean_axis02_3d(x): return np.sum(W3 * np.mean(x, axis=(0, 2)))
def mean_axis_neg1_0_3d(x): return np.sum(W3 * np.mean(x, axis=(-1, 0)))
def mean_axis_neg2_keepdims_3d(x): return np.sum(W214 * np.mean(x, axis=-2, keepdims=True))

def method_mean_all(x): return W_S * x.mean()
def method_mean_axis0(x): return np.sum(W4 * x.mean(axis=0))
def method_mean_axis1_positional(x): return np.sum(W3 * x.mean(1))
def method_mean_axis_neg1_keepdims(x): return np.sum(W31 * x.mean(axis=-1, keepdims=True))
def method_mean_axis01(x): return W_S * x.mean(axis=(0, 1))
def method_mean_axis01_keepdims(x): return np.sum(W11 * x.mean(axis=(0, 1), keepdims=True))
def method_mean_axis12_3d(x): return np.sum(W2 * x.mean(axis=(1, 2)))

# --- matmul (operator @ and np.matmul), np.dot and .dot() ----------------------------
def matmul_vv(x, y): return W_S * (x @ y)
def matmul_mv(x, y): return np.sum(W3 * (x @ y))
def matmul_vm(x, y): return np.sum(W5 * (x @ y))
def matmul_mm(x, y): return np.sum(W35 * (x @ y))
def matmul_batched(x, y): return np.sum(W235 * (x @ y))
def matmul_tv(x, y): return np.sum(W23 * (x @ y))
def matmul_vt(x, y): return np.sum(W25 * (x @ y))

def np_matmul_vv(x, y): return W_S * np.matmul(x, y)
def np_matmul_mv(x, y): return np.sum(W3 * np.matmul(x, y))
def np_matmul_vm(x, y): return np.sum(W5 * np.matmul(x, y))
def np_matmul_mm(x, y): return np.sum(W35 * np.matmul(x, y))
def np_matmul_batched(x, y): return np.sum(W235 * np.matmul(x, y))

def dot_vv(x, y): return W_S * np.dot(x, y)
def dot_mv(x, y): return np.sum(W3 * np.dot(x, y))
def dot_vm(x, y): return np.sum(W5 * np.dot(x, y))
def dot_mm(x, y): return np.sum(W35 * np.dot(x, y))
def dot_with_scalar(x, y): return np.sum(W34 * np.dot(x, y))
def dot_3d_2d(x, y): return np.sum(W235 * np.dot(x, y))
def dot_2d_3d(x, y): return np.sum(W325 * np.dot(x, y))
def dot_3d_3d(x, y): return np.sum(W235[:, :, None, :] * W25 * np.dot(x, y))

def method_dot_vv(x, y): return W_S * x.dot(y)
def method_dot_mv(x, y): return np.sum(W3 * x.dot(y))
def method_dot_vm(x, y): return np.sum(W5 * x.dot(y))
def method_dot_mm(x, y): return np.sum(W35 * x.dot(y))
def method_dot_3d_3d(x, y): return np.sum(W235[:, :, None, :] * W25 * x.dot(y))


# --- transpose, .T, reshape -----------------------------------------------------------
def transpose_1d(x): return np.sum(W5 * np.transpose(x))
def transpose_2d(x): return np.sum(W43 * np.transpose(x))
def transpose_3d(x): return np.sum(W432 * np.transpose(x))
def transpose_3d_axes(x): return np.sum(W342 * np.transpose(x, (1, 2, 0)))
def transpose_3d_axes_list(x): return np.sum(W342 * np.transpose(x, [1, 2, 0]))
def transpose_3d_axes_keyword(x): return np.sum(W423 * np.transpose(x, axes=(2, 0, 1)))
def transpose_3d_negative_axes(x): return np.sum(W423 * np.transpose(x, (-1, 0, 1)))
def method_transpose_2d(x): return np.sum(W43 * x.transpose())
def method_transpose_3d(x): return np.sum(W432 * x.transpose())
def method_transpose_3d_tuple(x): return np.sum(W342 * x.transpose((1, 2, 0)))
def method_transpose_3d_varargs(x): return np.sum(W423 * x.transpose(2, 0, 1))
def method_transpose_3d_varargs_negative(x): return np.sum(W423 * x.transpose(-1, 0, 1))
def method_transpose_3d_none(x): return np.sum(W432 * x.transpose(None))
def attribute_T_1d(x): return np.sum(W5 * x.T)
def attribute_T_2d(x): return np.sum(W43 * x.T)
def attribute_T_3d(x): return np.sum(W432 * x.T)

def reshape_np(x): return np.sum(W62 * np.reshape(x, (6, 2)))
def reshape_np_to_4x3(x): return np.sum(W43 * np.reshape(x, (4, 3)))
def reshape_np_3d(x): return np.sum(W232 * np.reshape(x, (2, 3, 2)))
def reshape_np_inferred(x): return np.sum(W26 * np.reshape(x, (2, -1)))
def reshape_np_from_vector(x): return np.sum(W34 * np.reshape(x, (3, 4)))
def reshape_np_order_f(x): return np.sum(W62 * np.reshape(x, (6, 2), order="F"))
def method_reshape_varargs(x): return np.sum(W26 * x.reshape(2, 6))
def method_reshape_tuple(x): return np.sum(W26 * x.reshape((2, 6)))
def method_reshape_flatten(x): return np.sum(W12 * x.reshape(-1))
def method_reshape_order_f(x): return np.sum(W26 * x.reshape(2, 6, order="F"))


# --- subscripts x[index] (rule key "getitem") ----------------------------------------
def index_int_vec(x): return W_S * x[3]
def index_negative_int_vec(x): return W_S * x[-1]
def index_int_mat(x): return np.sum(W4 * x[1])
def index_int_pair(x): return W_S * x[1, 2]
def index_column(x): return np.sum(W3 * x[:, 2])
def index_slices(x): return np.sum(W22 * x[1:, ::2])
def index_reversed(x): return np.sum(W5 * x[::-1])
def index_ellipsis(x): return np.sum(W23 * x[..., 1])
def index_newaxis(x): return np.sum(W13 * x[None, :, 1])
def index_parameter(x, i): return np.sum(W4 * x[i])
def index_slice_parameter(x, k): return np.sum(W34[:, 1:] * x[:, k:])
def index_bool_mask(x): return np.sum(W6 * x[MASK34])
def index_int_array_repeats(x): return np.sum(W4 * x[IDX4])
def index_int_list_repeats(x): return np.sum(W3 * x[[0, 0, 3]])
def index_int_arrays_pair(x): return np.sum(W4 * x[ROWS4, COLS4])
def index_twice(x): return W_S * x[2][1]


# --- element assignment x[index] = v (rule key "setitem") -----------------------------
def setitem_int(x):
    y = x * 1.0
    y[1] = x[0] * 3.0
    return np.sum(W5 * y)


def setitem_slice_broadcast_scalar(x, v):
    y = x * 2.0
    y[1:, ::2] = v
    return np.sum(W34 * y)


def setitem_row_from_vector(x, v):
    y = x + 0.0
    y[2] = v * v
    return np.sum(W34 * y)


def setitem_into_zeros(x):
    y = np.zeros((3, 4))
    y[:, 1] = x
    y[0] += x[1]
    return np.sum(W34 * y)


# --- containers: list append, built-in sum, np.stack and np.array of a list -------------
def append_then_stack(x, v):
    xs = [x, x * 2.0]
    xs.append(v)
    return np.sum(W34[:3] * np.stack(xs))


def builtin_sum_of_list(x, v):
    return np.sum(W4 * sum([x, v * x, v]))


def builtin_sum_of_matrix_rows(x):
    return np.sum(W4 * sum(x))


def array_of_list(x, v):
    return np.sum(W34[:2] * np.array([x, v]))


def asarray_of_scalars(a, b):
    return np.sum(W4[:2] * np.asarray([a, b * a]))


# --- a dedicated function for test_literal_tuple_options_compile_without_warning ------
def mean_over_literal_tuple(x): return W_S * np.mean(x, axis=(0, 1))


# ======================================================================================
# Inputs and the case table
# ======================================================================================
M, T3 = (3, 4), (2, 3, 4)
DOMAINS = {"real": (0.2, 1.3, True), "pos": (0.3, 2.0, False), "unit": (0.05, 0.8, True)}


def _draw(domain: str, shape: tuple = ()):
    """Values inside a rule's domain: ``real`` has |x| in [0.2, 1.3] (away from the kinks of
    abs, maximum, minimum and where at 0), ``pos`` is in [0.3, 2] (log, sqrt, the base of
    pow), ``unit`` has |x| in [0.05, 0.8] (arcsin, arccos). Shape () gives a Python float."""
    low, high, signed = DOMAINS[domain]
    x = RNG.uniform(low, high, shape)
    if signed:
        x = x * RNG.choice((-1.0, 1.0), shape)
    return float(x) if shape == () else x


def _draw_pair(dx: str, dy: str, sx: tuple, sy: tuple):
    """Two operands whose broadcast elements differ by more than 0.1 (no ties)."""
    while True:
        x, y = _draw(dx, sx), _draw(dy, sy)
        if np.min(np.abs(np.subtract(x, y))) > 0.1:
            return x, y


def _signed_points(domain: str) -> tuple:
    """Two scalar points, one of each sign when the domain allows it."""
    a, b = abs(_draw(domain)), abs(_draw(domain))
    return (a, b) if domain == "pos" else (a, -b)


def _shape_label(shape: tuple) -> str:
    if shape == ():
        return "float"
    return {1: "vec", 2: "mat", 3: "arr"}[len(shape)] + "x".join(map(str, shape))


def _key_name(key: Any) -> str:
    """``np.exp``, ``math.exp``, ``operator.add``, ``abs``, ``ndarray.sum``."""
    if isinstance(key, str):
        return key
    if isinstance(key, np.ufunc):
        return f"np.{key.__name__}"
    module = getattr(key, "__module__", None) or ""
    module = {"_operator": "operator", "builtins": "", "numpy": "np"}.get(module, module)
    return f"{module}.{key.__name__}" if module else key.__name__


def _bug(reason: str, raises: type = AssertionError):
    """A known defect in s2sad: the case must fail, and fail that way, until it is fixed."""
    return pytest.mark.xfail(strict=True, raises=raises, reason=reason)


@dataclass(frozen=True)
class Case:
    id: str
    func: Callable
    args: tuple
    wrt: tuple  # positions of the differentiated arguments
    keys: tuple  # the REVERSE keys this case exercises
    marks: tuple = ()


# Cases that fail because of a defect in s2sad (not in this file). Each must keep failing
# the stated way (strict xfail); when a fix lands, pytest reports XPASS: delete the entry.
KNOWN_BUGS: dict = {}


CASES: list = []


def _case(id, func, args, keys, wrt=None):
    wrt = tuple(range(len(args))) if wrt is None else tuple(wrt)
    marks = KNOWN_BUGS.get(id, ())
    marks = marks if isinstance(marks, tuple) else (marks,)
    CASES.append(Case(id, func, tuple(args), wrt, tuple(keys), marks))


# --- elementwise unary: a Python float, a (5,) vector and a (3, 4) matrix each ----------
UNARY = [  # (rule key, input domain, case functions for float / (5,) / (3, 4) inputs)
    (np.exp, "real", (exp_s, exp_v, exp_m)),
    (np.log, "pos", (log_s, log_v, log_m)),
    (np.log1p, "pos", (log1p_s, log1p_v, log1p_m)),
    (np.expm1, "real", (expm1_s, expm1_v, expm1_m)),
    (np.sqrt, "pos", (sqrt_s, sqrt_v, sqrt_m)),
    (np.square, "real", (square_s, square_v, square_m)),
    (np.sin, "real", (sin_s, sin_v, sin_m)),
    (np.cos, "real", (cos_s, cos_v, cos_m)),
    (np.tan, "real", (tan_s, tan_v, tan_m)),
    (np.arcsin, "unit", (arcsin_s, arcsin_v, arcsin_m)),
    (np.arccos, "unit", (arccos_s, arccos_v, arccos_m)),
    (np.arctan, "real", (arctan_s, arctan_v, arctan_m)),
    (np.sinh, "real", (sinh_s, sinh_v, sinh_m)),
    (np.cosh, "real", (cosh_s, cosh_v, cosh_m)),
    (np.tanh, "real", (tanh_s, tanh_v, tanh_m)),
    (np.absolute, "real", (absolute_s, absolute_v, absolute_m)),
    (abs, "real", (abs_s, abs_v, abs_m)),
    (operator.neg, "real", (neg_s, neg_v, neg_m)),
    (np.negative, "real", (negative_s, negative_v, negative_m)),
    (operator.pos, "real", (pos_s, pos_v, pos_m)),
    (np.positive, "real", (positive_s, positive_v, positive_m)),
]
for _key, _domain, _funcs in UNARY:
    for _shape, _func in zip(((), (5,), M), _funcs):
        _case(f"{_key_name(_key)}-{_shape_label(_shape)}", _func, [_draw(_domain, _shape)],
              [_key])

# --- elementwise binary: same shapes, scalar with array both ways, broadcasting ---------
BINARY = [  # (rule key, domain of x, domain of y, case functions for () / (5,) / (3, 4))
    (operator.add, "real", "real", (add_s, add_v, add_m)),
    (np.add, "real", "real", (np_add_s, np_add_v, np_add_m)),
    (operator.sub, "real", "real", (sub_s, sub_v, sub_m)),
    (np.subtract, "real", "real", (np_subtract_s, np_subtract_v, np_subtract_m)),
    (operator.mul, "real", "real", (mul_s, mul_v, mul_m)),
    (np.multiply, "real", "real", (np_multiply_s, np_multiply_v, np_multiply_m)),
    (operator.truediv, "real", "real", (div_s, div_v, div_m)),
    (np.divide, "real", "real", (np_divide_s, np_divide_v, np_divide_m)),
    (operator.pow, "pos", "real", (pow_s, pow_v, pow_m)),
    (np.power, "pos", "real", (np_power_s, np_power_v, np_power_m)),
    (np.maximum, "real", "real", (maximum_s, maximum_v, maximum_m)),
    (np.minimum, "real", "real", (minimum_s, minimum_v, minimum_m)),
    (np.where, "real", "real", (where_s, where_v, where_m)),
]
BINARY_SHAPES = [  # (shape of x, shape of y, index of the case function by result shape)
    ((), (), 0), ((5,), (5,), 1), (M, M, 2),
    ((), (5,), 1), ((5,), (), 1), ((), M, 2), (M, (), 2),
    ((3, 1), (1, 4), 2), ((1, 4), (3, 1), 2), ((4,), M, 2), (M, (4,), 2),
]
for _key, _dx, _dy, _funcs in BINARY:
    for _sx, _sy, _which in BINARY_SHAPES:
        _case(f"{_key_name(_key)}-{_shape_label(_sx)},{_shape_label(_sy)}", _funcs[_which],
              _draw_pair(_dx, _dy, _sx, _sy), [_key])

_case("operator.mul-same-operand", mul_same_operand, [_draw("real", M)], [operator.mul])
_case("operator.add-same-operand", add_same_operand, [_draw("real", M)], [operator.add])
_case("operator.sub-same-operand", sub_same_operand, [_draw("real", M)], [operator.sub])
_case("operator.truediv-shared-operand", div_shared_operand, [_draw("real", M)],
      [operator.truediv])
_case("operator.truediv-constant-numerator", rdiv_constant, [_draw("real", M)],
      [operator.truediv])
_case("operator.sub-constant-minuend", rsub_constant, [_draw("real", M)], [operator.sub])
_case("operator.pow-same-operand", pow_same_operand, [_draw("pos", M)], [operator.pow])
_case("operator.pow-int-exponent", pow_int_exponent, [_draw("real", M)], [operator.pow])
_case("operator.pow-negative-int-exponent", pow_negative_int_exponent, [_draw("real", M)],
      [operator.pow])
_case("operator.pow-float-exponent", pow_float_exponent, [_draw("pos", M)], [operator.pow])
_case("operator.pow-constant-base", pow_constant_base, [_draw("real", M)], [operator.pow])
_case("operator.pow-inactive-exponent", pow_inactive_exponent,
      [_draw("real", M), RNG.integers(1, 4, M).astype(float)], [operator.pow], wrt=[0])
_case("operator.pow-zero-base-wrt-exponent", pow_zero_base,
      [np.where(MASK34, _draw("pos", M), 0.0), _draw("pos", M)], [operator.pow], wrt=[1])
_case("np.power-int-exponent", np_power_int_exponent, [_draw("real", M)], [np.power])
_case("np.maximum-relu", relu_maximum, [_draw("real", M)], [np.maximum])
_case("np.minimum-constant-first", relu_minimum, [_draw("real", M)], [np.minimum])
_case("np.where-leaky-relu", leaky_relu_where, [_draw("real", M)], [np.where])

# --- math module and float(): scalars only (math functions reject arrays) --------------
MATH_UNARY = [  # (rule key, input domain, case function)
    (math.exp, "real", math_exp), (math.log, "pos", math_log), (math.log1p, "pos", math_log1p),
    (math.expm1, "real", math_expm1), (math.log2, "pos", math_log2),
    (math.log10, "pos", math_log10), (math.sqrt, "pos", math_sqrt),
    (math.sin, "real", math_sin), (math.cos, "real", math_cos), (math.tan, "real", math_tan),
    (math.asin, "unit", math_asin), (math.acos, "unit", math_acos),
    (math.atan, "real", math_atan), (math.sinh, "real", math_sinh),
    (math.cosh, "real", math_cosh), (math.tanh, "real", math_tanh),
    (math.fabs, "real", math_fabs), (math.erf, "real", math_erf),
    (math.erfc, "real", math_erfc), (math.degrees, "real", math_degrees),
    (math.radians, "real", math_radians),
]
for _key, _domain, _func in MATH_UNARY:
    for _x in _signed_points(_domain):
        _case(f"{_key_name(_key)}-x={_x:+.3f}", _func, [_x], [_key])

_case("math.log-constant-base", math_log_constant_base, [1.7], [math.log])
_case("math.log-variable-base", math_log_variable_base, [1.7, 2.5], [math.log])
for _y, _x in ((0.7, 1.1), (0.7, -1.1), (-0.4, -0.9), (-0.4, 0.9)):
    _case(f"math.atan2-y={_y:+},x={_x:+}", math_atan2, [_y, _x], [math.atan2])
for _x, _y in ((0.8, -1.3), (-0.6, 0.25)):
    _case(f"math.hypot-x={_x:+},y={_y:+}", math_hypot, [_x, _y], [math.hypot])
_case("math.hypot-three-arguments", math_hypot_three, [0.8, -1.3, 0.5], [math.hypot])
_case("math.hypot-one-argument", math_hypot_one, [-0.8], [math.hypot])
_case("math.hypot-four-arguments", math_hypot_four, [0.8, -1.3, 0.5, -0.2], [math.hypot])
for _x, _y in ((1.7, 0.6), (0.4, -1.3), (2.0, 3.0)):
    _case(f"math.pow-x={_x:+},y={_y:+}", math_pow, [_x, _y], [math.pow])
_case("math.pow-zero-base-wrt-exponent", math_pow_zero_base, [0.0, 2.5], [math.pow], wrt=[1])
_case("float-of-float", float_of_float, [0.7], [float])
_case("float-of-numpy-scalar", float_of_numpy_scalar, [_draw("real", M)], [float])
_case("float-then-math", float_then_math, [0.3], [float])

# --- reductions --------------------------------------------------------------------------
REDUCTIONS = [  # (rule key, case function, input shapes)
    (np.sum, sum_all, [(), (5,), M, T3]),
    (np.sum, sum_axis0_to_scalar, [(5,)]),
    (np.sum, sum_axis0, [M]),
    (np.sum, sum_axis1, [M]),
    (np.sum, sum_axis_neg1, [M]),
    (np.sum, sum_axis1_positional, [M]),
    (np.sum, sum_axis01, [M]),
    (np.sum, sum_keepdims, [M]),
    (np.sum, sum_axis0_keepdims, [M]),
    (np.sum, sum_axis1_keepdims, [M]),
    (np.sum, sum_axis_neg1_keepdims, [M]),
    (np.sum, sum_axis01_keepdims, [M]),
    (np.sum, sum_axis02_3d, [T3]),
    (np.sum, sum_axis_neg1_0_3d, [T3]),
    (np.sum, sum_axis_neg2_keepdims_3d, [T3]),
    ("ndarray.sum", method_sum_all, [(5,), M]),
    ("ndarray.sum", method_sum_axis0, [M]),
    ("ndarray.sum", method_sum_axis1_positional, [M]),
    ("ndarray.sum", method_sum_axis_neg1_keepdims, [M]),
    ("ndarray.sum", method_sum_axis01, [M]),
    ("ndarray.sum", method_sum_axis01_keepdims, [M]),
    ("ndarray.sum", method_sum_axis12_3d, [T3]),
    (np.mean, mean_all, [(), (5,), M, T3]),
    (np.mean, mean_axis0_to_scalar, [(5,)]),
    (np.mean, mean_axis0, [M]),
    (np.mean, mean_axis1, [M]),
    (np.mean, mean_axis_neg1, [M]),
    (np.mean, mean_axis1_positional, [M]),
    (np.mean, mean_axis01, [M]),
    (np.mean, mean_keepdims, [M]),
    (np.mean, mean_axis0_keepdims, [M]),
    (np.mean, mean_axis1_keepdims, [M]),
    (np.mean, mean_axis_neg1_keepdims, [M]),
    (np.mean, mean_axis01_keepdims, [M]),
    (np.mean, mean_axis02_3d, [T3]),
    (np.mean, mean_axis_neg1_0_3d, [T3]),
    (np.mean, mean_axis_neg2_keepdims_3d, [T3]),
    ("ndarray.mean", method_mean_all, [(5,), M]),
    ("ndarray.mean", method_mean_axis0, [M]),
    ("ndarray.mean", method_mean_axis1_positional, [M]),
    ("ndarray.mean", method_mean_axis_neg1_keepdims, [M]),
    ("ndarray.mean", method_mean_axis01, [M]),
    ("ndarray.mean", method_mean_axis01_keepdims, [M]),
    ("ndarray.mean", method_mean_axis12_3d, [T3]),
]
for _key, _func, _shapes in REDUCTIONS:
    for _shape in _shapes:
        _case(f"{_key_name(_key)}-{_func.__name__}-{_shape_label(_shape)}", _func,
              [_draw("real", _shape)], [_key])

# --- products ----------------------------------------------------------------------------
PRODUCTS = [  # (rule key, case function, shape of x, shape of y)
    (operator.matmul, matmul_vv, (4,), (4,)),
    (operator.matmul, matmul_mv, M, (4,)),
    (operator.matmul, matmul_vm, (4,), (4, 5)),
    (operator.matmul, matmul_mm, M, (4, 5)),
    (operator.matmul, matmul_batched, T3, (4, 5)),
    (operator.matmul, matmul_batched, M, (2, 4, 5)),
    (operator.matmul, matmul_batched, T3, (2, 4, 5)),
    (operator.matmul, matmul_batched, (1, 3, 4), (2, 4, 5)),
    (operator.matmul, matmul_batched, T3, (1, 4, 5)),
    (operator.matmul, matmul_tv, T3, (4,)),
    (operator.matmul, matmul_vt, (4,), (2, 4, 5)),
    (np.matmul, np_matmul_vv, (4,), (4,)),
    (np.matmul, np_matmul_mv, M, (4,)),
    (np.matmul, np_matmul_vm, (4,), (4, 5)),
    (np.matmul, np_matmul_mm, M, (4, 5)),
    (np.matmul, np_matmul_batched, T3, (4, 5)),
    (np.dot, dot_vv, (4,), (4,)),
    (np.dot, dot_mv, M, (4,)),
    (np.dot, dot_vm, (4,), (4, 5)),
    (np.dot, dot_mm, M, (4, 5)),
    (np.dot, dot_with_scalar, (), M),
    (np.dot, dot_with_scalar, M, ()),
    (np.dot, dot_3d_2d, T3, (4, 5)),
    (np.dot, dot_2d_3d, M, (2, 4, 5)),
    (np.dot, dot_3d_3d, T3, (2, 4, 5)),
    ("ndarray.dot", method_dot_vv, (4,), (4,)),
    ("ndarray.dot", method_dot_mv, M, (4,)),
    ("ndarray.dot", method_dot_vm, (4,), (4, 5)),
    ("ndarray.dot", method_dot_mm, M, (4, 5)),
    ("ndarray.dot", method_dot_3d_3d, T3, (2, 4, 5)),
]
for _key, _func, _sx, _sy in PRODUCTS:
    _case(f"{_key_name(_key)}-{_func.__name__}-{_shape_label(_sx)},{_shape_label(_sy)}",
          _func, [_draw("real", _sx), _draw("real", _sy)], [_key])

# --- shape functions -------------------------------------------------------------------
SHAPE_FUNCTIONS = [  # (rule key, case function, input shape)
    (np.transpose, transpose_1d, (5,)),
    (np.transpose, transpose_2d, M),
    (np.transpose, transpose_3d, T3),
    (np.transpose, transpose_3d_axes, T3),
    (np.transpose, transpose_3d_axes_list, T3),
    (np.transpose, transpose_3d_axes_keyword, T3),
    (np.transpose, transpose_3d_negative_axes, T3),
    ("ndarray.transpose", method_transpose_2d, M),
    ("ndarray.transpose", method_transpose_3d, T3),
    ("ndarray.transpose", method_transpose_3d_tuple, T3),
    ("ndarray.transpose", method_transpose_3d_varargs, T3),
    ("ndarray.transpose", method_transpose_3d_varargs_negative, T3),
    ("ndarray.transpose", method_transpose_3d_none, T3),
    ("ndarray.T", attribute_T_1d, (5,)),
    ("ndarray.T", attribute_T_2d, M),
    ("ndarray.T", attribute_T_3d, T3),
    (np.reshape, reshape_np, M),
    (np.reshape, reshape_np_to_4x3, M),
    (np.reshape, reshape_np_3d, M),
    (np.reshape, reshape_np_inferred, M),
    (np.reshape, reshape_np_from_vector, (12,)),
    (np.reshape, reshape_np_order_f, M),
    ("ndarray.reshape", method_reshape_varargs, M),
    ("ndarray.reshape", method_reshape_tuple, M),
    ("ndarray.reshape", method_reshape_flatten, M),
    ("ndarray.reshape", method_reshape_order_f, M),
]
for _key, _func, _shape in SHAPE_FUNCTIONS:
    _case(f"{_key_name(_key)}-{_func.__name__}-{_shape_label(_shape)}", _func,
          [_draw("real", _shape)], [_key])


# --- subscripts ---------------------------------------------------------------------------
SUBSCRIPTS = [  # (case function, input shape, extra arguments not differentiated)
    (index_int_vec, (5,), ()),
    (index_negative_int_vec, (5,), ()),
    (index_reversed, (5,), ()),
    (index_int_array_repeats, (5,), ()),
    (index_int_list_repeats, (5,), ()),
    (index_int_mat, M, ()),
    (index_int_pair, M, ()),
    (index_column, M, ()),
    (index_slices, M, ()),
    (index_parameter, M, (2,)),
    (index_slice_parameter, M, (1,)),
    (index_bool_mask, M, ()),
    (index_int_arrays_pair, M, ()),
    (index_twice, M, ()),
    (index_ellipsis, T3, ()),
    (index_newaxis, M, ()),
]
for _func, _shape, _extra in SUBSCRIPTS:
    _case(f"getitem-{_func.__name__}-{_shape_label(_shape)}", _func,
          [_draw("real", _shape), *_extra], ["getitem"], wrt=[0])
_case("append-stack-vec4", append_then_stack, [_draw("real", (4,)), _draw("real", (4,))],
      ["append", np.stack], wrt=[0, 1])
_case("builtin_sum-list-vec4", builtin_sum_of_list, [_draw("real", (4,)), _draw("real", (4,))],
      [sum], wrt=[0, 1])
_case("builtin_sum-rows-mat3x4", builtin_sum_of_matrix_rows, [_draw("real", M)], [sum],
      wrt=[0])
_case("np.array-list-vec4", array_of_list, [_draw("real", (4,)), _draw("real", (4,))],
      [np.array], wrt=[0, 1])
_case("np.asarray-scalars", asarray_of_scalars, [_draw("real"), _draw("real")], [np.asarray],
      wrt=[0, 1])
_case("setitem-int-vec5", setitem_int, [_draw("real", (5,))], ["setitem"], wrt=[0])
_case("setitem-slice-scalar-mat3x4", setitem_slice_broadcast_scalar,
      [_draw("real", M), _draw("real")], ["setitem"], wrt=[0, 1])
_case("setitem-row-vec4", setitem_row_from_vector, [_draw("real", M), _draw("real", (4,))],
      ["setitem"], wrt=[0, 1])
_case("setitem-into-zeros-vec3", setitem_into_zeros, [_draw("real", (3,))], ["setitem"],
      wrt=[0])


# ======================================================================================
# Tests
# ======================================================================================
def _copy(value):
    return value.copy() if isinstance(value, np.ndarray) else value


@pytest.mark.filterwarnings("ignore:.is. with .*literal:SyntaxWarning")
@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=c.marks) for c in CASES])
def test_gradient_matches_central_differences(case):
    check_case(case)


def check_case(case: Case) -> None:
    """The gradient of ``case`` has its arguments' shapes and dtypes, leaves them unchanged,
    and agrees with central differences. Family files (``test_rules_*.py``) use it too."""
    params = list(inspect.signature(case.func).parameters)
    args = tuple(_copy(a) for a in case.args)
    grads = s2sad.grad(case.func, wrt=case.wrt)(*args)
    for before, after in zip(case.args, args):
        np.testing.assert_array_equal(after, before, err_msg="the gradient changed its input")
    assert isinstance(grads, tuple) and len(grads) == len(case.wrt)
    for position, got in zip(case.wrt, grads):
        name, arg = params[position], case.args[position]
        what = f"d {case.func.__name__} / d {name}"
        assert np.shape(got) == np.shape(arg), f"{what}: shape {np.shape(got)} != {np.shape(arg)}"
        assert np.issubdtype(np.asarray(got).dtype, np.floating), f"{what}: dtype {type(got)}"
        if isinstance(arg, float):
            assert np.ndim(got) == 0 and not isinstance(got, np.ndarray), (
                f"{what}: a float argument got a {type(got)} gradient")
        expected = s2sad.numeric_grad(case.func, case.args, name)
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=ATOL, err_msg=what)


def _builtin_rule_keys() -> list:
    """The keys of the rules s2sad ships (defined in s2sad.rules), not of rules that other
    tests register with s2sad.rule for functions of their own."""
    return [key for key, rule in REVERSE.items()
            if rule.fn.__module__.startswith("s2sad.rules.")]


def all_cases() -> list:
    """The cases of this file and of every family file ``tests/test_rules_*.py`` (each
    defines its own ``CASES`` list of ``Case``)."""
    cases = list(CASES)
    for path in sorted(Path(__file__).parent.glob("test_rules_*.py")):
        cases += importlib.import_module(f"tests.{path.stem}").CASES
    return cases


def test_every_rule_has_a_case():
    covered = {key for case in all_cases() for key in case.keys}
    missing = sorted(_key_name(key) for key in _builtin_rule_keys() if key not in covered)
    assert not missing, f"registered reverse rules without a test case: {', '.join(missing)}"
    unregistered = sorted(_key_name(key) for key in covered if key not in REVERSE)
    assert not unregistered, f"cases name keys with no rule: {', '.join(unregistered)}"


def test_cases_call_the_rules_they_claim():
    """Each case function really contains an operation with each key the case claims."""
    wrong = []
    for case in all_cases():
        used = [op.key for op in normalize(parse_function(case.func)).ops()]
        wrong += [f"{case.id}: {_key_name(key)}" for key in case.keys if key not in used]
    assert not wrong, "cases that do not call their rule:\n" + "\n".join(wrong)


def test_case_ids_are_unique_and_known_bugs_name_cases():
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert not set(KNOWN_BUGS) - set(ids), sorted(set(KNOWN_BUGS) - set(ids))


def test_literal_tuple_options_compile_without_syntax_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s2sad.grad(mean_over_literal_tuple)(np.ones(M))
    syntax = [str(w.message) for w in caught if issubclass(w.category, SyntaxWarning)]
    assert not syntax, syntax

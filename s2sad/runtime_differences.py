"""Helpers that generated derivatives of differences, integrals and interpolation call:
``np.diff``, ``np.trapezoid`` (``np.trapz``) and ``np.interp``.

Like those of ``runtime``, each is one named step of a hand derivation, kept out of line so
the generated code stays short. They never modify their arguments, and each returns the
adjoint of one operand in that operand's shape (a NumPy scalar for a Python number).
"""

from __future__ import annotations

import numpy as np

from .runtime import unbroadcast, zero_tangent, zeros_like
from .runtime_arrays import _fit, _float

trapezoid_integral = getattr(np, "trapezoid", None) or np.trapz  # (np.trapz before NumPy 2)


# ------------------------------------------------------------------------------------------
# differences


def undiff(g, a, n=1, axis=-1, prepend=None, append=None):
    """Adjoint of ``a`` in ``np.diff(a, n, axis, prepend=..., append=...)``."""
    return _fit(_diff_pieces(g, a, n, axis, prepend, append)[1], a)


def undiff_prepend(g, a, n=1, axis=-1, prepend=None, append=None):
    """Adjoint of ``prepend`` in ``np.diff(a, n, axis, prepend=prepend, ...)``."""
    return unbroadcast(_diff_pieces(g, a, n, axis, prepend, append)[0], prepend)


def undiff_append(g, a, n=1, axis=-1, prepend=None, append=None):
    """Adjoint of ``append`` in ``np.diff(a, n, axis, ..., append=append)``."""
    return unbroadcast(_diff_pieces(g, a, n, axis, prepend, append)[2], append)


def _diff_pieces(g, a, n, axis, prepend, append) -> list:
    """The adjoint of the array ``np.diff`` differences (``a`` with ``prepend`` and
    ``append`` joined along ``axis``), split into those three parts. One difference
    ``c[i + 1] - c[i]`` sends ``g[i]`` to ``c[i + 1]`` and ``-g[i]`` to ``c[i]``."""
    g = _float(g)
    for _ in range(n):
        g = -np.diff(g, axis=axis, prepend=0.0, append=0.0)
    axis = axis % np.ndim(a)
    sizes = [_length(prepend, a, axis), np.shape(a)[axis], _length(append, a, axis)]
    return np.split(g, np.cumsum(sizes)[:-1], axis=axis)


def _length(value, a, axis: int) -> int:
    """How long ``np.diff`` makes ``prepend`` or ``append`` along ``axis`` (a scalar or an
    array with fewer axes counts as one slice)."""
    if value is None:
        return 0
    return np.shape(value)[axis] if np.ndim(value) == np.ndim(a) else 1


# ------------------------------------------------------------------------------------------
# the trapezoidal rule


def trapezoid_adjoint_y(g, y, x=None, dx=1.0, axis=-1):
    """Adjoint of ``y`` in ``np.trapezoid(y, x, dx, axis)``: ``g`` times each sample's
    weight, half the width of the intervals on either side of it."""
    steps = _steps(y, x, dx, axis)
    zero = np.zeros_like(np.take(steps, [0], axis=axis))
    weights = (np.concatenate([zero, steps], axis=axis)
               + np.concatenate([steps, zero], axis=axis)) / 2
    return unbroadcast(np.expand_dims(g, axis) * weights, y)


def trapezoid_adjoint_x(g, y, x, dx=1.0, axis=-1):
    """Adjoint of the sample points ``x`` in ``np.trapezoid(y, x, axis=axis)``: moving
    ``x[j]`` widens the interval before it and narrows the one after it, each weighted by
    its mean height."""
    y = _float(y)
    heights = (np.take(y, range(1, y.shape[axis]), axis=axis)
               + np.take(y, range(y.shape[axis] - 1), axis=axis)) / 2
    full = np.expand_dims(g, axis) * -np.diff(heights, axis=axis, prepend=0.0, append=0.0)
    if np.ndim(x) == 1:  # the same points along `axis` for every lane
        return _fit(np.reshape(np.moveaxis(full, axis, -1), (-1, np.size(x))).sum(axis=0), x)
    return unbroadcast(full, x)


def trapezoid_adjoint_dx(g, y, x=None, dx=1.0, axis=-1):
    """Adjoint of the spacing ``dx`` in ``np.trapezoid(y, dx=dx, axis=axis)``: ``g`` times
    the integral with unit spacing (zero when sample points ``x`` are given: NumPy then
    ignores ``dx``)."""
    if x is not None:
        return zeros_like(dx)
    return unbroadcast(np.multiply(g, trapezoid_integral(y, axis=axis)), dx)


def trapezoid_spacing_tangent(y, x, tdx, axis=-1):
    """The part of ``np.trapezoid(y, x, dx)``'s tangent that comes from the tangent ``tdx``
    of ``dx``: the integral with spacing ``tdx``, or zero when ``x`` is given."""
    if x is not None:
        return zero_tangent(trapezoid_integral(y, axis=axis))
    return trapezoid_integral(y, dx=tdx, axis=axis)


def _steps(y, x, dx, axis):
    """The widths of the intervals between samples along ``axis``, broadcastable to the
    differences of ``y``."""
    if x is None:
        return np.broadcast_to(np.asarray(dx, dtype=float), np.shape(np.diff(y, axis=axis)))
    d = np.diff(x)
    if np.ndim(x) == 1:
        shape = [1] * np.ndim(y)
        shape[axis] = d.size
        return np.reshape(d, shape) * np.ones(np.shape(np.diff(y, axis=axis)))
    return np.diff(x, axis=axis) * np.ones(np.shape(np.diff(y, axis=axis)))


# ------------------------------------------------------------------------------------------
# piecewise linear interpolation


def _interp_pieces(x, xp, fp, period=None) -> tuple:
    """The segment ``k`` each ``x`` falls in (the last one ending at it), its ``width``,
    the fraction ``t`` of the way along it, its ``slope``, and where ``x`` is ``inside``
    ``[xp[0], xp[-1]]``."""
    if period is not None:
        raise NotImplementedError("the derivative of np.interp with period=")
    x, xp, fp = _float(x), _float(xp), _float(fp)
    k = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, xp.size - 2)
    width = xp[k + 1] - xp[k]
    t = (x - xp[k]) / width
    slope = (fp[k + 1] - fp[k]) / width
    return k, width, t, slope, (x >= xp[0]) & (x <= xp[-1])


def interp_adjoints(g, x, xp, fp, left=None, right=None, period=None) -> tuple:
    """Adjoints of ``x``, ``xp``, ``fp``, ``left`` and ``right`` in
    ``np.interp(x, xp, fp, left, right)``: inside ``[xp[0], xp[-1]]`` the value is
    ``fp[k] + t (fp[k + 1] - fp[k])``, ``t = (x - xp[k]) / (xp[k + 1] - xp[k])``; outside it
    is ``left`` or ``right`` (``fp[0]``, ``fp[-1]`` when those are None)."""
    k, _, t, slope, within = _interp_pieces(x, xp, fp, period)
    x, xp, fp = _float(x), _float(xp), _float(fp)
    g = np.broadcast_to(_float(g), x.shape)
    below, above = x < xp[0], x > xp[-1]
    inside = g * within
    gx = inside * slope
    gxp, gfp = np.zeros_like(xp), np.zeros_like(fp)
    np.add.at(gxp, k, inside * slope * (t - 1.0))
    np.add.at(gxp, k + 1, -inside * slope * t)
    np.add.at(gfp, k, inside * (1.0 - t))
    np.add.at(gfp, k + 1, inside * t)
    g_left, g_right = np.sum(g * below), np.sum(g * above)
    if left is None:
        gfp[0] += g_left
    if right is None:
        gfp[-1] += g_right
    return gx, gxp, gfp, g_left, g_right


def uninterp_x(g, x, xp, fp, left=None, right=None, period=None):
    """Adjoint of ``x`` in ``np.interp(x, xp, fp, ...)``: ``g`` times the slope there."""
    return _fit(interp_adjoints(g, x, xp, fp, left, right, period)[0], x)


def uninterp_xp(g, x, xp, fp, left=None, right=None, period=None):
    """Adjoint of the sample points ``xp`` in ``np.interp(x, xp, fp, ...)``."""
    return _fit(interp_adjoints(g, x, xp, fp, left, right, period)[1], xp)


def uninterp_fp(g, x, xp, fp, left=None, right=None, period=None):
    """Adjoint of the sample values ``fp`` in ``np.interp(x, xp, fp, ...)``."""
    return _fit(interp_adjoints(g, x, xp, fp, left, right, period)[2], fp)


def uninterp_left(g, x, xp, fp, left=None, right=None, period=None):
    """Adjoint of ``left`` in ``np.interp``: the sum of ``g`` where ``x < xp[0]``."""
    return _fit(interp_adjoints(g, x, xp, fp, left, right, period)[3], left)


def uninterp_right(g, x, xp, fp, left=None, right=None, period=None):
    """Adjoint of ``right`` in ``np.interp``: the sum of ``g`` where ``x > xp[-1]``."""
    return _fit(interp_adjoints(g, x, xp, fp, left, right, period)[4], right)


# ------------------------------------------------------------------------------------------
# tangents of interpolation (forward mode, and second order through the adjoints above)


def interp_slope(x, xp, fp, period=None):
    """d ``np.interp(x, xp, fp)`` / d ``x``: the slope of the segment ``x`` falls in, 0
    outside ``[xp[0], xp[-1]]`` (the segments the reverse rule picks)."""
    _, _, _, slope, inside = _interp_pieces(x, xp, fp, period)
    return (slope * inside)[()]


def interp_tangent_xp(x, xp, fp, dxp, period=None):
    """Tangent of ``np.interp(x, xp, fp)`` along the sample points' tangent ``dxp``: moving
    the ends of the segment ``k`` by ``dxp[k]`` and ``dxp[k + 1]`` moves the value by
    ``slope ((t - 1) dxp[k] - t dxp[k + 1])``."""
    k, _, t, slope, inside = _interp_pieces(x, xp, fp, period)
    dxp = np.broadcast_to(_float(dxp), np.shape(xp))
    return (inside * slope * ((t - 1.0) * dxp[k] - t * dxp[k + 1]))[()]


_INTERP_OPERANDS = ("x", "xp", "fp", "left", "right")


def uninterp_tangent(which, g, x, xp, fp, dg, dx, dxp, dfp, left=None, right=None,
                     period=None):
    """Tangent of ``uninterp_<which>(g, x, xp, fp, left, right, period)`` (``which`` one of
    x, xp, fp, left, right) along ``dg``, ``dx``, ``dxp`` and ``dfp``: the product rule
    through each piece of ``interp_adjoints``."""
    operand = dict(zip(_INTERP_OPERANDS, (x, xp, fp, left, right)))[which]
    k, width, t, slope, within = _interp_pieces(x, xp, fp, period)
    x, xp, fp = _float(x), _float(xp), _float(fp)
    g, dg, dx = (np.broadcast_to(_float(v), x.shape) for v in (g, dg, dx))
    dxp, dfp = np.broadcast_to(_float(dxp), xp.shape), np.broadcast_to(_float(dfp), fp.shape)
    dwidth = dxp[k + 1] - dxp[k]
    dt = (dx - dxp[k] - t * dwidth) / width
    dslope = (dfp[k + 1] - dfp[k] - slope * dwidth) / width
    inside, dinside = g * within, dg * within
    below, above = x < xp[0], x > xp[-1]
    out = {"x": dinside * slope + inside * dslope,
           "left": np.sum(dg * below), "right": np.sum(dg * above)}
    dgxp, dgfp = np.zeros_like(xp), np.zeros_like(fp)
    moved = (dinside * slope + inside * dslope) * t + inside * slope * dt  # of inside*slope*t
    np.add.at(dgxp, k, moved - (dinside * slope + inside * dslope))
    np.add.at(dgxp, k + 1, -moved)
    np.add.at(dgfp, k, dinside * (1.0 - t) - inside * dt)
    np.add.at(dgfp, k + 1, dinside * t + inside * dt)
    if left is None:
        dgfp[0] += out["left"]
    if right is None:
        dgfp[-1] += out["right"]
    out.update(xp=dgxp, fp=dgfp)
    return _fit(out[which], operand)

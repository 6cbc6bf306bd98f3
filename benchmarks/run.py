"""Benchmark suite: s2sad's generated gradients against hand-written NumPy and other AD tools.

Run: python benchmarks/run.py [--quick] [--json PATH] [--tools autograd,jax,torch]

Every workload is one function written once against an array namespace ``xp`` (``math``,
``numpy``, ``autograd.numpy``, ``jax.numpy`` or ``torch``), so every tool differentiates the
same source, plus a hand-written NumPy gradient. At startup each hand-written gradient is
checked against s2sad's and against central differences along random directions, and each
other tool's gradient against the hand-written one: any mismatch aborts the run.

Timings are interleaved: in every round each contender takes one sample in turn (the order
rotates from round to round), a sample runs the contender enough times to last at least
``--min-time``, and the table reports medians over the rounds. See benchmarks/README.md.
"""

from __future__ import annotations

import os

# One thread for every library, unless the caller set these: on a small shared machine the
# thread pools of NumPy's BLAS, PyTorch and XLA otherwise spin against each other and
# against whichever contender runs next, and the interleaved timings turn to noise.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
if os.environ["OMP_NUM_THREADS"] == "1" and "XLA_FLAGS" not in os.environ:
    os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"

import argparse  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from typing import Any, Callable  # noqa: E402

import numpy as np  # noqa: E402

import s2sad  # noqa: E402
import s2sad.api  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import transform_time  # noqa: E402

LOG_2PI_HALF = math.log(2.0 * math.pi) / 2.0
OPTIONAL_TOOLS = ("autograd", "jax", "torch")
# Table columns: gradient contenders in order; "primal" is the plain NumPy function.
COLUMNS = ("primal", "hand", "s2sad", "s2sad.fn", "autograd", "jax", "jax.jit", "torch")
GRADIENT_COLUMNS = COLUMNS[1:]


# ---------------------------------------------------------------------------------------
# Workloads: one factory per function (``make(xp)``) and one hand-written NumPy gradient.
# ---------------------------------------------------------------------------------------

def make_scalar_loop(xp):
    def scalar_loop(x, y):
        for _ in range(100):
            x = xp.sin(x) * y + xp.cos(x * y)
        return x

    return scalar_loop


def hand_scalar_loop_math(x, y):
    tape = []
    for _ in range(100):
        xy = x * y
        sx = math.sin(x)
        tape.append((x, sx, xy))
        x = sx * y + math.cos(xy)
    bx, by = 1.0, 0.0
    for x, sx, xy in reversed(tape):
        sxy = math.sin(xy)
        by += bx * (sx - sxy * x)
        bx *= (math.cos(x) - sxy) * y
    return bx, by


def hand_scalar_loop_np(x, y):
    tape = []
    for _ in range(100):
        xy = x * y
        sx = np.sin(x)
        tape.append((x, sx, xy))
        x = sx * y + np.cos(xy)
    bx, by = np.float64(1.0), np.float64(0.0)
    for x, sx, xy in reversed(tape):
        sxy = np.sin(xy)
        by += bx * (sx - sxy * x)
        bx *= (np.cos(x) - sxy) * y
    return bx, by


def make_gaussian_nll(xp):
    # The course notes' steps, for every sample of x, summed.
    def gaussian_nll(x, m, s):
        t0 = x - m
        t1 = t0 / s
        t2 = xp.log(s)
        t3 = t1 ** 2
        t4 = t2 + LOG_2PI_HALF
        t5 = t3 / 2
        c = t4 + t5
        return xp.sum(c)

    return gaussian_nll


def hand_gaussian_nll(x, m, s):
    t0 = x - m
    return -np.sum(t0) / s ** 2, t0.size / s - (t0 @ t0) / s ** 3


def make_mlp(xp):
    def mlp(W1, b1, W2, b2, X, Y):
        H = xp.tanh(X @ W1 + b1)
        E = H @ W2 + b2 - Y
        return 0.5 * xp.sum(E * E)

    return mlp


def hand_mlp(W1, b1, W2, b2, X, Y):
    H = np.tanh(X @ W1 + b1)
    E = H @ W2 + b2 - Y
    dZ = (E @ W2.T) * (1.0 - H * H)
    return X.T @ dZ, dZ.sum(axis=0), H.T @ E, E.sum(axis=0)


def make_logistic_nll(xp):
    def logistic_nll(w, w0, X, y):
        z = X @ w + w0
        s = (2 * y - 1) * z
        p = 1 / (1 + xp.exp(-s))
        return -xp.sum(xp.log(p))

    return logistic_nll


def hand_logistic_nll(w, w0, X, y):
    sign = 2 * y - 1
    p = 1 / (1 + np.exp(-sign * (X @ w + w0)))
    dz = sign * (p - 1)
    return X.T @ dz, np.sum(dz)


def make_rnn(xp):
    def rnn(Wi, Wh, wo, h0, xs, ys):
        h = h0
        L = 0.0
        for x, y in zip(xs, ys):
            h = xp.tanh(Wi @ x + Wh @ h)
            L = L + (wo @ h - y) ** 2
        return L

    return rnn


def hand_rnn(Wi, Wh, wo, h0, xs, ys):
    steps = len(xs)
    hs = np.empty((steps + 1, h0.shape[0]))
    hs[0] = h0
    for t in range(steps):
        hs[t + 1] = np.tanh(Wi @ xs[t] + Wh @ hs[t])
    e2 = 2.0 * (hs[1:] @ wo - ys)  # dL/d(wo @ h_t - y_t)
    bz = np.empty((steps, h0.shape[0]))
    bh = np.zeros(h0.shape[0])
    for t in range(steps - 1, -1, -1):
        h = hs[t + 1]
        bz[t] = (bh + e2[t] * wo) * (1.0 - h * h)
        bh = bz[t] @ Wh
    return bz.T @ xs, bz.T @ hs[:-1], e2 @ hs[1:]


@dataclass
class Workload:
    key: str
    label: str
    make: Callable  # make(xp) -> the function
    xp: Any  # the namespace of the NumPy (primal, s2sad) version: math or numpy
    wrt: tuple  # parameter names
    args: tuple  # NumPy / float arguments
    hand: Callable
    others: bool = True  # also run autograd, JAX and PyTorch
    fn: Callable = field(init=False)

    def __post_init__(self):
        self.fn = self.make(self.xp)

    @property
    def positions(self) -> tuple:
        import inspect

        params = list(inspect.signature(self.fn).parameters)
        return tuple(params.index(n) for n in self.wrt)


def make_workloads(quick: bool = False) -> list:
    rng = np.random.default_rng(0)
    normal = rng.normal

    def mlp_args(batch, n_in, hidden, n_out):
        return (normal(scale=1 / math.sqrt(n_in), size=(n_in, hidden)),
                normal(scale=0.1, size=hidden),
                normal(scale=1 / math.sqrt(hidden), size=(hidden, n_out)),
                normal(scale=0.1, size=n_out),
                normal(size=(batch, n_in)), normal(size=(batch, n_out)))

    n_big = 1000 if quick else 1_000_000
    batch, n_in, hidden, n_out = (8, 4, 5, 3) if quick else (256, 64, 128, 10)
    n_lr, d_lr = (50, 5) if quick else (10_000, 100)
    steps, h_rnn, i_rnn = (5, 4, 3) if quick else (20, 32, 16)

    xor_x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    xor_y = np.array([[0.0], [1.0], [1.0], [0.0]])
    xor = mlp_args(4, 2, 3, 1)[:4] + (xor_x, xor_y)

    y_lr = (rng.random(n_lr) < 0.5).astype(float)
    X_lr = normal(size=(n_lr, d_lr)) + 0.5 * (2 * y_lr[:, None] - 1)
    rnn_args = (normal(scale=0.5 / math.sqrt(i_rnn), size=(h_rnn, i_rnn)),
                normal(scale=0.5 / math.sqrt(h_rnn), size=(h_rnn, h_rnn)),
                normal(scale=1 / math.sqrt(h_rnn), size=h_rnn),
                np.zeros(h_rnn), normal(size=(steps, i_rnn)), normal(size=steps))
    mlp_wrt = ("W1", "b1", "W2", "b2")
    return [
        Workload("w1_math", "W1 loop100 math", make_scalar_loop, math, ("x", "y"),
                 (0.4, 1.3), hand_scalar_loop_math),
        Workload("w1_np", "W1 loop100 np.f64", make_scalar_loop, np, ("x", "y"),
                 (np.float64(0.4), np.float64(1.3)), hand_scalar_loop_np, others=False),
        Workload("w2_n10", "W2 NLL N=10", make_gaussian_nll, np, ("m", "s"),
                 (normal(1.0, 2.0, size=10), 0.5, 1.5), hand_gaussian_nll),
        Workload("w2_big", f"W2 NLL N={n_big:.0e}".replace("+0", ""), make_gaussian_nll, np,
                 ("m", "s"), (normal(1.0, 2.0, size=n_big), 0.5, 1.5), hand_gaussian_nll),
        Workload("w3_mlp", f"W3 MLP {batch}x{n_in}x{hidden}x{n_out}", make_mlp, np, mlp_wrt,
                 mlp_args(batch, n_in, hidden, n_out), hand_mlp),
        Workload("w3_xor", "W3 MLP XOR 4x2x3x1", make_mlp, np, mlp_wrt, xor, hand_mlp),
        Workload("w4_logreg", f"W4 logreg {n_lr}x{d_lr}", make_logistic_nll, np,
                 ("w", "w0"), (normal(scale=0.1, size=d_lr), 0.2, X_lr, y_lr),
                 hand_logistic_nll),
        Workload("w5_rnn", f"W5 RNN T={steps} H={h_rnn} I={i_rnn}", make_rnn, np,
                 ("Wi", "Wh", "wo"), rnn_args, hand_rnn),
    ]


# ---------------------------------------------------------------------------------------
# Gradient checks
# ---------------------------------------------------------------------------------------

class GradientCheckError(AssertionError):
    """A hand-written gradient disagrees with s2sad, finite differences or another tool."""


def _as_numpy(g) -> np.ndarray:
    if hasattr(g, "detach"):  # torch
        g = g.detach().numpy()
    return np.asarray(g, dtype=float)


def max_rel_error(got, want) -> float:
    """Largest difference over all gradients, relative to the size of each gradient."""
    worst = 0.0
    for a, b in zip(got, want):
        a, b = _as_numpy(a), _as_numpy(b)
        if a.shape != b.shape:
            return math.inf
        scale = max(float(np.max(np.abs(b), initial=0.0)), 1e-300)
        worst = max(worst, float(np.max(np.abs(a - b), initial=0.0)) / scale)
    return worst


def directional_fd_error(w: Workload, grads, directions: int = 3, seed: int = 1) -> float:
    """Central differences of the primal along random directions ``v`` against
    ``sum <g, v>``, relative to ``|g| |v|``: the largest over ``directions`` directions."""
    rng = np.random.default_rng(seed)
    worst = 0.0
    gs = [_as_numpy(g) for g in grads]
    for _ in range(directions):
        vs = [rng.normal(size=np.shape(w.args[i])) for i in w.positions]

        def at(step, vs=vs):
            args = list(w.args)
            for i, v in zip(w.positions, vs):
                args[i] = args[i] + step * (v if np.ndim(v) else float(v))
            return float(w.fn(*args))

        h = 1e-6
        fd = (at(h) - at(-h)) / (2 * h)
        exact = sum(float(np.sum(g * v)) for g, v in zip(gs, vs))
        scale = math.sqrt(sum(float(np.sum(g * g)) for g in gs)) * math.sqrt(
            sum(float(np.sum(v * v)) for v in vs))
        worst = max(worst, abs(fd - exact) / max(scale, 1e-300))
    return worst


HAND_VS_S2SAD_TOL = 1e-9
FD_TOL = 1e-5
TOOL_TOL = 1e-8


def check_workload(w: Workload, tools: dict | None = None) -> dict:
    """Check the hand-written gradient against s2sad and central differences (and each
    other tool against it); raise ``GradientCheckError`` on a mismatch."""
    hand = w.hand(*w.args)
    s2 = s2sad.grad(w.fn, wrt=w.wrt)(*w.args)
    errors = {"s2sad": max_rel_error(s2, hand), "fd": directional_fd_error(w, hand)}
    failures = []
    if not errors["s2sad"] <= HAND_VS_S2SAD_TOL:
        failures.append(f"hand vs s2sad: relative error {errors['s2sad']:.3g}")
    if not errors["fd"] <= FD_TOL:
        failures.append(f"hand vs central differences: relative error {errors['fd']:.3g}")
    for name, tool in (tools or {}).items():
        if not w.others:
            continue
        for column, fn in tool_gradients(tool, w).items():
            errors[column] = max_rel_error(fn(), hand)
            if not errors[column] <= TOOL_TOL:
                failures.append(f"hand vs {column} ({name}): relative error "
                                f"{errors[column]:.3g}")
    if failures:
        raise GradientCheckError(f"gradient check failed for {w.key} ({w.label}): "
                                 + "; ".join(failures))
    return errors


# ---------------------------------------------------------------------------------------
# Other tools: each returns {column: zero-argument callable computing the gradients}
# ---------------------------------------------------------------------------------------

class Autograd:
    name = "autograd"

    def __init__(self):
        import autograd
        import autograd.numpy as anp

        self.autograd, self.anp = autograd, anp
        self.version = getattr(autograd, "__version__", _dist_version("autograd"))

    def gradients(self, w: Workload) -> dict:
        g = self.autograd.grad(w.make(self.anp), argnum=w.positions)
        return {"autograd": lambda: g(*w.args)}


class Jax:
    name = "jax"

    def __init__(self):
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        import jax
        import jax.numpy as jnp

        jax.config.update("jax_enable_x64", True)
        jax.block_until_ready(jax.jit(jnp.sin)(jnp.ones(2)))  # start the runtime up front
        self.jax, self.jnp = jax, jnp
        self.version = jax.__version__
        self.compile_ms: dict = {}

    def gradients(self, w: Workload) -> dict:
        jax = self.jax
        args = [self.jnp.asarray(a, dtype=self.jnp.float64) for a in w.args]
        g = jax.grad(w.make(self.jnp), argnums=w.positions)
        jitted = jax.jit(g)
        start = time.perf_counter()
        jax.block_until_ready(jitted(*args))  # trace and compile
        self.compile_ms[w.key] = (time.perf_counter() - start) * 1e3
        return {"jax": lambda: jax.block_until_ready(g(*args)),
                "jax.jit": lambda: jax.block_until_ready(jitted(*args))}


class Torch:
    name = "torch"

    def __init__(self):
        import torch

        self.torch = torch
        self.version = torch.__version__

    def gradients(self, w: Workload) -> dict:
        torch = self.torch
        args = [torch.tensor(a, dtype=torch.float64, requires_grad=i in w.positions)
                for i, a in enumerate(w.args)]
        params = [args[i] for i in w.positions]
        f = w.make(torch)

        def grad():
            return torch.autograd.grad(f(*args), params)

        return {"torch": grad}


TOOL_CLASSES = {"autograd": Autograd, "jax": Jax, "torch": Torch}
_tool_fns: dict = {}


def tool_gradients(tool, w: Workload) -> dict:
    """``tool.gradients(w)``, made once per tool and workload (so JAX compiles once)."""
    key = (tool.name, id(w))
    if key not in _tool_fns:
        _tool_fns[key] = (w, tool.gradients(w))  # w kept alive so that its id stays unique
    return _tool_fns[key][1]


def _dist_version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # noqa: BLE001 - only for the report
        return "?"


def load_tools(names) -> tuple:
    """``(tools, missing)``: the tools that import, and why the others do not."""
    tools, missing = {}, {}
    for name in names:
        try:
            tools[name] = TOOL_CLASSES[name]()
        except ImportError as exc:
            missing[name] = f"not installed ({exc})"
    return tools, missing


# ---------------------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------------------

def _sample(fn: Callable, inner: int) -> float:
    """Seconds per call over ``inner`` calls, with the garbage collector off (as timeit)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(inner):
            fn()
        return (time.perf_counter() - start) / inner
    finally:
        if enabled:
            gc.enable()


def calibrate(fn: Callable, min_time: float) -> int:
    """Inner loop count such that one sample lasts at least ``min_time`` seconds."""
    for _ in range(2):  # warm-up
        fn()
    inner = 1
    while True:
        if _sample(fn, inner) * inner >= min_time or inner >= 1 << 20:
            return inner
        inner *= 2


def time_interleaved(contenders: dict, min_time: float, budget: float,
                     min_rounds: int, max_rounds: int) -> dict:
    """Round-robin timing: ``{name: {median, q1, q3, inner, rounds}}`` in seconds per call.

    The number of rounds fits the ``budget`` (seconds for all contenders together), within
    ``[min_rounds, max_rounds]``.
    """
    names = list(contenders)
    inner = {n: calibrate(contenders[n], min_time) for n in names}
    round_cost = sum(_sample(contenders[n], inner[n]) * inner[n] for n in names)
    rounds = int(max(min_rounds, min(max_rounds, budget // max(round_cost, 1e-9))))
    samples = {n: [] for n in names}
    for r in range(rounds):
        for k in range(len(names)):
            name = names[(r + k) % len(names)]
            samples[name].append(_sample(contenders[name], inner[name]))
    out = {}
    for n in names:
        xs = sorted(samples[n])
        q = statistics.quantiles(xs, n=4) if len(xs) >= 2 else [xs[0]] * 3
        out[n] = {"median": statistics.median(xs), "q1": q[0], "q3": q[2],
                  "inner": inner[n], "rounds": rounds}
    return out


def transform_ms(w: Workload, repeats: int) -> dict:
    """s2sad's first-call cost: ``api.transform`` (parse, SSA, adjoint, optimize, emit,
    compile) with its cache cleared, in ms: the median and the first of ``repeats``."""
    names, single = s2sad.api.resolve_wrt(w.fn, w.wrt)
    times = []
    for _ in range(repeats):
        transform_time.clear_caches()
        start = time.perf_counter()
        s2sad.api.transform(w.fn, names, single, "grad", True)
        times.append((time.perf_counter() - start) * 1e3)
    return {"median": statistics.median(times), "first": times[0]}


# ---------------------------------------------------------------------------------------
# Running and reporting
# ---------------------------------------------------------------------------------------

def run_workload(w: Workload, tools: dict, opts, errors: dict) -> dict:
    dfun = s2sad.grad(w.fn, wrt=w.wrt)
    raw = dfun.function
    args = w.args
    contenders = {
        "primal": lambda: w.fn(*args),
        "hand": lambda: w.hand(*args),
        "s2sad": lambda: dfun(*args),
        "s2sad.fn": lambda: raw(*args),
    }
    if w.others:
        for tool in tools.values():
            contenders.update(tool_gradients(tool, w))
    timings = time_interleaved(contenders, opts.min_time, opts.budget, opts.min_rounds,
                               opts.max_rounds)
    jax_tool = tools.get("jax")
    return {
        "key": w.key,
        "label": w.label,
        "wrt": list(w.wrt),
        "shapes": [list(np.shape(a)) for a in w.args],
        "check_errors": errors,
        "timings": timings,
        "transform_ms": transform_ms(w, opts.transform_repeats),
        "jit_compile_ms": jax_tool.compile_ms.get(w.key) if jax_tool and w.others else None,
    }


def _fmt_time(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f}us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.2f}ms"
    return f"{seconds:.2f}s"


def _table(title: str, header: list, rows: list) -> str:
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(  # noqa: E731
        str(c).ljust(widths[0]) if i == 0 else str(c).rjust(widths[i]) for i, c in enumerate(r))
    rule = "-" * len(line(header))
    return "\n".join([title, rule, line(header), rule] + [line(r) for r in rows] + [rule])


def format_report(results: list, env: dict) -> str:
    columns = [c for c in COLUMNS if any(c in r["timings"] for r in results)]
    grads = [c for c in columns if c in GRADIENT_COLUMNS]
    parts = [" | ".join(f"{k} {v}" for k, v in env.items())]

    def cells(r, fn):
        return [fn(r["timings"][c]) if c in r["timings"] else "-" for c in columns]

    rows = [[r["label"]] + cells(r, lambda t: _fmt_time(t["median"]))
            + [f"{max((t['q3'] - t['q1']) / t['median'] for t in r['timings'].values()):.0%}"]
            for r in results]
    parts.append(_table("Median time per call (interleaved rounds; noise = largest IQR/median)",
                        ["workload"] + columns + ["noise"], rows))

    def ratio_rows(base):
        out = []
        for r in results:
            b = r["timings"][base]["median"]
            out.append([r["label"]] + [f"{r['timings'][c]['median'] / b:.2f}"
                                       if c in r["timings"] else "-" for c in grads])
        return out

    parts.append(_table("Gradient time / hand-written gradient time", ["workload"] + grads,
                        ratio_rows("hand")))
    parts.append(_table("Gradient time / NumPy primal time", ["workload"] + grads,
                        ratio_rows("primal")))
    one_time = []
    for r in results:
        jit = r["jit_compile_ms"]
        one_time.append([r["label"], f"{r['transform_ms']['median']:.1f}",
                         f"{r['transform_ms']['first']:.1f}",
                         "-" if jit is None else f"{jit:.0f}"]
                        + [f"{err:.1e}" if err is not None else "-"
                           for err in _check_summary(r["check_errors"])])
    parts.append(_table(
        "One-time costs (ms), and the startup checks of the hand-written gradient "
        "(largest relative error)",
        ["workload", "s2sad transform", "(first)", "jax.jit compile", "vs s2sad",
         "vs central diff.", "vs other tools"], one_time))
    return "\n\n".join(parts)


def _check_summary(errors: dict) -> tuple:
    others = [v for k, v in errors.items() if k not in ("s2sad", "fd")]
    return errors["s2sad"], errors["fd"], max(others) if others else None


def environment(tools: dict, missing: dict, opts) -> dict:
    env = {"python": platform.python_version(), "numpy": np.__version__,
           "s2sad": s2sad.__version__}
    for name, tool in tools.items():
        env[name] = tool.version
    for name, why in missing.items():
        env[name] = why.split(" (")[0]
    env["cpus"] = os.cpu_count()
    env["threads"] = ",".join(f"{k.split('_')[0]}={os.environ.get(k)}" for k in
                              ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"))
    if "torch" in tools:
        env["threads"] += f",torch={tools['torch'].torch.get_num_threads()}"
    for var in ("OPENBLAS_CORETYPE", "XLA_FLAGS"):
        if os.environ.get(var):
            env[var] = os.environ[var]
    env["min sample"] = f"{opts.min_time * 1e3:g}ms"
    return env


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="tiny sizes and few rounds: a smoke run (seconds), not a measurement")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    p.add_argument("--tools", default=",".join(OPTIONAL_TOOLS),
                   help="comma-separated other tools to compare when installed "
                   "(autograd,jax,torch; 'none' for none)")
    p.add_argument("--only", default="",
                   help="comma-separated workload keys (e.g. w1_math,w4_logreg)")
    p.add_argument("--min-time", type=float, default=None,
                   help="seconds each sample lasts at least (default 0.002; quick 0.0002)")
    p.add_argument("--budget", type=float, default=None,
                   help="seconds of timing per workload, all contenders (default 12; quick 0.2)")
    p.add_argument("--min-rounds", type=int, default=None)
    p.add_argument("--max-rounds", type=int, default=None)
    opts = p.parse_args(argv)
    quick = opts.quick
    defaults = {"min_time": 2e-4 if quick else 2e-3, "budget": 0.2 if quick else 12.0,
                "min_rounds": 3 if quick else 9, "max_rounds": 3 if quick else 41}
    for key, value in defaults.items():
        if getattr(opts, key) is None:
            setattr(opts, key, value)
    opts.transform_repeats = 1 if quick else 5
    names = [t.strip() for t in opts.tools.split(",") if t.strip() and t.strip() != "none"]
    unknown = [t for t in names if t not in TOOL_CLASSES]
    if unknown:
        p.error(f"unknown tool(s) {', '.join(unknown)}: choose from {', '.join(OPTIONAL_TOOLS)}")
    opts.tool_names = names
    return opts


def main(argv=None, out=None) -> dict:
    """Run the suite; return ``{"environment", "workloads"}`` (what ``--json`` writes)."""
    out = out or sys.stdout
    opts = parse_args(argv)
    tools, missing = load_tools(opts.tool_names)
    workloads = make_workloads(quick=opts.quick)
    if opts.only:
        keep = {k.strip() for k in opts.only.split(",") if k.strip()}
        unknown = keep - {w.key for w in workloads}
        if unknown:
            raise SystemExit(f"unknown workload(s) {', '.join(sorted(unknown))}: choose from "
                             + ", ".join(w.key for w in workloads))
        workloads = [w for w in workloads if w.key in keep]
    # Check every gradient before timing anything: a wrong gradient is not worth timing.
    errors = {w.key: check_workload(w, tools) for w in workloads}
    results = []
    for w in workloads:
        print(f"timing {w.key} ({w.label}) ...", file=sys.stderr, flush=True)
        results.append(run_workload(w, tools, opts, errors[w.key]))
    env = environment(tools, missing, opts)
    print(format_report(results, env), file=out)
    transform_50 = transform_time.measure(3 if opts.quick else 15)
    print(f"\nTransform time of a {transform_50['lines']}-line function "
          f"(benchmarks/transform_time.py): median {transform_50['median']:.1f} ms, "
          f"min {transform_50['min']:.1f} ms, first {transform_50['first']:.1f} ms", file=out)
    report = {"environment": env, "quick": opts.quick,
              "units": {"timings": "seconds per call", "transform_ms": "ms",
                        "jit_compile_ms": "ms", "check_errors": "relative error"},
              "workloads": results, "transform_50_lines_ms": transform_50}
    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump(report, fh, indent=1)
    return report


if __name__ == "__main__":
    try:
        main()
    except GradientCheckError as exc:
        sys.exit(f"ABORT: {exc}")

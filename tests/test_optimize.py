"""Each performance measure of the compiler, checked on its own: the generated text shows it,
and the gradients stay right (against central differences), including the broadcasting
cases the measure must not get wrong."""

import numpy as np
import pytest

import s2sad
from s2sad import runtime


def numeric_grad(f, args, i, step=1e-6):
    """d f / d args[i] by central differences (a float or an array of args[i]'s shape)."""
    x = np.asarray(args[i], dtype=float)
    out = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[k] = step
        plus, minus = list(args), list(args)
        plus[i], minus[i] = x + e, x - e
        if not x.shape:
            plus[i], minus[i] = float(x + step), float(x - step)
        out[k] = (f(*plus) - f(*minus)) / (2 * step)
    return out if x.shape else float(out)


def check(f, args, wrt):
    grads = s2sad.grad(f, wrt=wrt)(*args)
    grads = grads if isinstance(wrt, tuple) else (grads,)
    names = list(f.__code__.co_varnames[:f.__code__.co_argcount])
    for name, g in zip(wrt if isinstance(wrt, tuple) else (wrt,), grads):
        i = names.index(name)
        assert np.shape(g) == np.shape(args[i]), name
        np.testing.assert_allclose(g, numeric_grad(f, args, i), rtol=1e-6, atol=1e-8)
    return grads


# -- the adjoint of a full sum stays a scalar ----------------------------------------------

def nll(x, m, s):
    t0 = x - m
    t1 = t0 / s
    c = np.log(s) + t1 ** 2 / 2
    return np.sum(c)


def test_a_full_sum_hands_its_scalar_adjoint_on_without_spreading_it():
    source = s2sad.source(nll, wrt=("m", "s"))
    assert "unreduce" not in source
    assert "c_shape = broadcast_of(x, m, s)" in source and "bc = bt5\n" in source
    assert "unbroadcast(bm, m, c_shape)" in source  # spread only where it is summed back
    primal = source.split("# adjoint")[0]
    assert "\n    t3 = t1 ** 2" not in primal  # the loss is not computed,
    assert "    # not needed by the derivative:\n    # t2 = np.log(s)\n    # t3 = t1 ** 2" in primal


@pytest.mark.parametrize("m, s", [
    (0.5, 1.5),  # Python floats: each gradient sums over every sample
    (np.full(6, 0.5), np.full(6, 1.5)),  # same shape as x
    (np.array([[0.5], [0.2]]), 1.5),  # broadcasts x to (2, 6)
    (0.5, np.array([[1.5], [1.2], [0.8]])),  # s wider than the difference
])
def test_full_sum_adjoint_is_right_whatever_the_operands_broadcast_to(m, s):
    x = np.linspace(-1.0, 2.0, 6)
    check(nll, (x, m, s), ("m", "s"))


def scaled_sum(w, k):
    return np.sum(w) * k + np.sum(w * w)


def test_a_narrow_adjoint_plus_a_full_one_is_exact():
    grads = check(scaled_sum, (np.array([1.0, -2.0, 3.0]), 0.5), ("w", "k"))
    assert isinstance(grads[0], np.ndarray) and grads[0].flags.writeable


def only_sum(w):
    return np.sum(w)


def mean_only(w):
    return w.mean()


@pytest.mark.parametrize("f", [only_sum, mean_only])
def test_the_gradient_of_a_plain_sum_or_mean_is_a_fresh_array_of_the_parameter_shape(f):
    w = np.ones((2, 3))
    g = s2sad.grad(f)(w)
    assert g.shape == (2, 3) and g.flags.writeable and g is not w
    np.testing.assert_allclose(g, np.full((2, 3), 1.0 if f is only_sum else 1 / 6))
    assert s2sad.grad(f)(np.float64(2.0)) == 1.0


def through_matmul(W, x):
    y = W @ x
    return np.sum(np.tanh(y))


def summed_in_branch(x, flag):
    if flag > 0:
        y = np.sum(x * 2.0)
    else:
        y = np.sum(np.sin(x))
    return y * 3.0


def summed_before_loop(x, n):
    y = np.sum(x * x)
    z = x * 1.0
    for _ in range(n):
        z = z * y
    return np.sum(z)


@pytest.mark.parametrize("f, args, wrt", [
    (through_matmul, (np.array([[1.0, 0.5], [0.2, -0.3], [0.1, 0.4]]),
                      np.array([0.3, -0.7])), ("W", "x")),
    (summed_in_branch, (np.array([0.3, -0.7, 1.1]), 1.0), "x"),
    (summed_in_branch, (np.array([0.3, -0.7, 1.1]), -1.0), "x"),
    (summed_before_loop, (np.array([0.3, -0.7, 0.5]), 3), "x"),
])
def test_a_narrow_adjoint_is_spread_before_a_matmul_branch_or_loop(f, args, wrt):
    check(f, args, wrt)


# -- primal values nothing reads are dropped ------------------------------------------------

def test_no_scalar_check_where_the_result_is_surely_a_scalar_so_the_loss_is_not_computed():
    source = s2sad.source(nll, wrt="m")
    assert "require_scalar" not in source
    assert "= np.sum(c)" in source.split("# adjoint")[0]  # as a comment only
    assert "\n    t5 = np.sum(c)" not in source.split("# adjoint")[0]


def returns_an_array(x):
    return x * 2.0


def test_the_scalar_check_stays_where_the_result_may_be_an_array():
    assert "require_scalar" in s2sad.source(returns_an_array)
    with pytest.raises(s2sad.errors.NonScalarOutputError):
        s2sad.grad(returns_an_array)(np.ones(3))


# -- runtime fast paths -------------------------------------------------------------------

def test_unbroadcast_fast_paths_and_like():
    assert runtime.unbroadcast(2.0, 1.0) == 2.0
    g = np.ones((2, 3))
    assert runtime.unbroadcast(g, np.zeros((2, 3))) is g
    np.testing.assert_allclose(runtime.unbroadcast(g, np.zeros(3)), [2.0, 2.0, 2.0])
    # a scalar standing for every element of ``like``
    assert runtime.unbroadcast(2.0, 1.0, np.zeros((2, 3))) == 12.0
    out = runtime.unbroadcast(2.0, np.zeros((2, 1)), np.zeros((2, 3)))
    np.testing.assert_allclose(out, [[6.0], [6.0]])
    same = runtime.unbroadcast(2.0, np.zeros(3), np.zeros(3))
    assert same.flags.writeable and same.shape == (3,)
    # narrower than x: spread out
    np.testing.assert_allclose(runtime.unbroadcast(np.ones((1, 3)), np.zeros((2, 3))),
                               np.ones((2, 3)))
    np.testing.assert_allclose(runtime.unbroadcast(np.float64(1.0), np.zeros((2, 1))),
                               np.ones((2, 1)))


@pytest.mark.parametrize("a_shape, b_shape", [
    ((2, 3), (3, 4)), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((5, 2, 3), (3, 4)),
])
def test_matmul_adjoint_fast_paths_agree_with_the_general_formula(a_shape, b_shape):
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=a_shape), rng.normal(size=b_shape)
    g = rng.normal(size=np.shape(a @ b))
    # <g, da @ b + a @ db> = <ga, da> + <gb, db> for random da, db
    da, db = rng.normal(size=a_shape), rng.normal(size=b_shape)
    lhs = np.sum(g * (da @ b + a @ db))
    ga, gb = runtime.matmul_adjoint_a(g, a, b), runtime.matmul_adjoint_b(g, a, b)
    assert np.shape(ga) == a_shape and np.shape(gb) == b_shape
    np.testing.assert_allclose(lhs, np.sum(ga * da) + np.sum(gb * db), rtol=1e-10)


# -- optimizer passes -----------------------------------------------------------------------

def squared_error(w, x):
    e = x @ w - 1.0
    return np.sum(e * e)


def test_a_contribution_added_to_itself_is_doubled():
    source = s2sad.source(squared_error, wrt="w")
    assert "be = bt1 * 2 * e" in source
    assert "be = be +" not in source
    check(squared_error, (np.array([0.5, -1.0]), np.array([[1.0, 2.0], [0.3, -0.4]])), "w")


def scalar_loop(x, y):
    for _ in range(5):
        x = np.sin(x) * y + np.cos(x * y)
    return x


def test_copies_are_propagated_in_loop_bodies_only():
    source = s2sad.source(scalar_loop, wrt=("x", "y"))
    loop = source.split("reversed(tape)")[1]
    assert "bt1 = bx_1" not in loop and "bt0 = bx_1 * y" in loop
    check(scalar_loop, (0.4, 1.3), ("x", "y"))
    # straight-line code keeps one adjoint line per primal line, as a hand derivation
    assert "bt4 = bc " in s2sad.source(nll, wrt="m")


def carried_twice(x, n):
    s = 0.0
    for _ in range(n):
        t = s
        s = t + x * x
        s = s * 1.5
    return s


def test_a_copy_whose_source_is_reassigned_later_in_the_iteration_stays():
    check(carried_twice, (0.7, 4), "x")
    np.testing.assert_allclose(s2sad.grad(carried_twice)(0.7, 4),
                               numeric_grad(carried_twice, (0.7, 4), 0), rtol=1e-7)


def test_optimize_false_shows_the_raw_form():
    raw = s2sad.source(nll, wrt="m", optimize=False)
    assert "t5 = np.sum(c)" in raw and "bt4 = bc" in raw  # dead code kept
    assert raw != s2sad.source(nll, wrt="m")


def test_unbroadcast_of_a_scalar_standing_for_a_broadcast_shape():
    like = runtime.broadcast_of(np.zeros(3), np.zeros((2, 1)))
    assert like == (2, 3)
    assert runtime.unbroadcast(1.5, 0.0, like) == 9.0
    np.testing.assert_allclose(runtime.unbroadcast(np.ones((2, 3)), np.zeros(3), like),
                               [2.0, 2.0, 2.0])
    np.testing.assert_allclose(runtime.unreduce(2.0, like), np.full((2, 3), 2.0))
    np.testing.assert_allclose(runtime.expand_to(1.0, like), np.ones((2, 3)))


def test_the_wrapper_still_refuses_integers_and_densifies_containers():
    with pytest.raises(s2sad.errors.WrtError):
        s2sad.grad(only_sum)(np.arange(3))
    with pytest.raises(s2sad.errors.WrtError):
        s2sad.grad(only_sum)(3)
    np.testing.assert_allclose(s2sad.grad(only_sum)([1.0, 2.0]), [1.0, 1.0])


# -- specialization to scalar arguments ----------------------------------------------------

def specialized_source(f, wrt, scalars):
    import s2sad.api as api

    names, single = api.resolve_wrt(f, wrt)
    return api.transform(f, names, single, "grad", True, False, frozenset(scalars))[1]


def test_with_float_arguments_the_loop_adjoint_is_the_hand_derivation():
    general = s2sad.source(scalar_loop, wrt=("x", "y"))
    special = specialized_source(scalar_loop, ("x", "y"), {"x", "y"})
    assert "unbroadcast" in general and "require_scalar" in general
    assert "unbroadcast" not in special and "require_scalar" not in special
    assert "bx = bx + bt0 * np.cos(x_prev)" in special


def mixes_a_float_and_an_array(x, w):
    return np.sum(np.sin(x * w) + x)


@pytest.mark.parametrize("x", [0.7, np.float64(0.7), np.array(0.7), np.array([0.7, 0.2])])
def test_a_scalar_argument_meeting_an_array_is_still_summed_back(x):
    w = np.array([0.5, -1.0])
    grads = check(mixes_a_float_and_an_array, (x, w), ("x", "w"))
    assert np.shape(grads[0]) == np.shape(x)
    if isinstance(x, float):
        assert "unbroadcast(" in specialized_source(mixes_a_float_and_an_array, ("x", "w"),
                                                    {"x"})


def test_scalar_and_array_calls_of_one_gradient_agree():
    g = s2sad.grad(scalar_loop, wrt=("x", "y"))
    as_floats = g(0.4, 1.3)
    as_arrays = g(np.array(0.4), np.array(1.3))  # 0-d arrays: the general version
    np.testing.assert_allclose(as_arrays, as_floats, rtol=1e-12)
    assert isinstance(as_floats[0], float)


def test_a_redefinition_also_renews_the_specialized_versions():
    def f(x):
        return x * x

    g = s2sad.grad(f)
    assert g(3.0) == 6.0

    def f(x):  # noqa: F811 - a redefinition is the point
        return x * x * x

    g.func.__code__ = f.__code__
    assert g(3.0) == 27.0


def test_a_redefinition_renews_the_specialized_versions_after_function_was_read():
    def f(x):
        return x * x

    g = s2sad.grad(f)
    assert g(3.0) == 6.0

    def f(x):  # noqa: F811 - a redefinition is the point
        return x * x * x

    g.func.__code__ = f.__code__
    assert g.function(3.0, 1.0) == 27.0  # the general version is renewed first
    assert g(3.0) == 27.0


def test_a_call_makes_only_the_version_it_runs():
    def f(x):
        return np.sum(x * x)

    g = s2sad.grad(f)
    g(np.ones(3))
    assert g._compiled is None  # the general version: not needed yet
    assert "specialized" not in g.source


# -- specialization to the arguments' shapes -----------------------------------------------

def mlp(W1, b1, W2, b2, X, Y):
    H = np.tanh(X @ W1 + b1)
    E = H @ W2 + b2 - Y
    return 0.5 * np.sum(E * E)


def mlp_args(batch):
    rng = np.random.default_rng(batch)
    return (rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 1)),
            rng.normal(size=1), rng.normal(size=(batch, 2)), rng.normal(size=(batch, 1)))


def test_with_array_shapes_known_the_mlp_adjoint_is_the_course_notes_one():
    g = s2sad.grad(mlp, wrt=("W1", "b1", "W2", "b2"))
    special = g.source_for(*mlp_args(4))
    assert special.startswith("# specialized to W1: (n0, n1), b1: (n1,), W2: (n1, 1), b2: "
                              "(1,), X: (n2, n0), Y: (n2, 1)\n")
    for line in ("bH = bt2 @ W2.T", "bW2 = H.T @ bt2", "bW1 = X.T @ bt0",
                 "return bW1, bb1.sum(axis=0), bW2, bb2.sum(axis=0)"):
        assert line in special
    assert "unbroadcast" not in special and "matmul_adjoint" not in special
    assert "matmul_adjoint_a" in g.source  # the general version looks at ranks at run time
    check(mlp, mlp_args(4), ("W1", "b1", "W2", "b2"))


def test_one_specialized_version_serves_every_batch_size_of_its_signature():
    g = s2sad.grad(mlp, wrt=("W1", "b2"))
    g(*mlp_args(4))
    g(*mlp_args(7))
    assert len(set(g._special.values())) == 1
    check(mlp, mlp_args(7), ("W1", "b2"))
    check(mlp, mlp_args(1), ("W1", "b2"))  # a batch of one: another signature


def rnn(Wi, Wh, wo, h0, xs, ys):
    h = h0
    L = 0.0
    for x, y in zip(xs, ys):
        h = np.tanh(Wi @ x + Wh @ h)
        L = L + (wo @ h - y) ** 2
    return L


def test_matrix_vector_adjoints_are_outer_products_and_the_tape_keeps_less():
    rng = np.random.default_rng(1)
    args = (rng.normal(size=(3, 2)), rng.normal(size=(3, 3)), rng.normal(size=3),
            rng.normal(size=3), rng.normal(size=(4, 2)), rng.normal(size=4))
    special = s2sad.grad(rnn, wrt=("Wi", "Wh", "wo")).source_for(*args)
    for line in ("bt4_all.append(bt4)", "bh = bt4 @ Wh", "h_prev_all.append(h_prev)",
                 "bWh = bWh + sum_outers(bt4_all, h_prev_all)",
                 "bWi = bWi + sum_outers(bt4_all, x_all)",
                 "bwo = bwo + sum_products(bt6_all, h_1_all)",
                 "tape.append((h, x, h_1, t6))"):
        assert line in special
    assert "unbroadcast" not in special and "require_scalar" not in special
    check(rnn, args, ("Wi", "Wh", "wo", "h0"))


def vector_times_matrix(v, M, c):
    return np.sum(np.sin(v @ M) * c)


def test_a_vector_times_a_matrix_and_a_column_summed_back_with_keepdims():
    rng = np.random.default_rng(2)
    args = (rng.normal(size=3), rng.normal(size=(3, 4)), rng.normal(size=(1, 4)))
    special = s2sad.grad(vector_times_matrix, wrt=(0, 1, 2)).source_for(*args)
    assert "bv = M @ bt0" in special and "bM = np.outer(v, bt0)" in special
    check(vector_times_matrix, args, ("v", "M", "c"))

    def column_scale(x, c, s):
        return np.sum(np.exp(x * c) * s)

    args = (rng.normal(size=(2, 3, 4)), rng.normal(size=(3, 1)), 0.7)
    special = s2sad.grad(column_scale, wrt=(1, 2)).source_for(*args)
    assert ".sum(axis=0).sum(axis=1, keepdims=True)" in special
    assert "unbroadcast" not in special
    check(column_scale, args, ("x", "c", "s"))


def test_arguments_of_no_static_shape_run_the_general_version():
    g = s2sad.grad(vector_times_matrix, wrt=(0, 1))
    assert g.source_for([1.0, 2.0], [[1.0], [2.0]], np.array(1.0)) == g.source

    def list_times_matrix(v, M):
        return np.sum(v @ M)

    bM = s2sad.grad(list_times_matrix, wrt="M")([1.0, 2.0], np.ones((2, 3)))
    np.testing.assert_allclose(bM, np.outer([1.0, 2.0], np.ones(3)))


def test_show_with_args_prints_the_specialized_version(tmp_path, capsys):
    from s2sad.cli import main

    file = tmp_path / "model.py"
    file.write_text("import numpy as np\n\ndef f(W, x):\n    return np.sum(np.tanh(W @ x))\n")
    assert main(["show", f"{file}:f", "--wrt", "W", "--args", "np.ones((2, 3)), np.ones(3)"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# specialized to W: (n0, n1), x: (n1,)\n")
    assert "bW = np.outer(bt0, x)" in out


# -- algebra on specialized versions (s2sad/algebra.py) ---------------------------------------

def course_nll(x, m, s):
    t0 = x - m
    t1 = t0 / s
    t2 = np.log(s)
    t3 = t1 ** 2
    t4 = t2 + 0.9189385332046727
    t5 = t3 / 2
    c = t4 + t5
    return np.sum(c)


def test_sums_go_up_the_adjoint_as_in_a_hand_derivation():
    x = np.random.default_rng(3).normal(1.0, 2.0, size=9)
    g = s2sad.grad(course_nll, wrt=("m", "s"))
    special = g.source_for(x, 0.5, 1.5)
    primal, adjoint = special.split("# adjoint")
    assert "\n    t1 = t0 / s" not in primal  # no per-sample array but t0
    assert "bt0 = t0.sum() / s / s  # t1 = t0 / s" in adjoint
    assert "bs = 1.0 / s * len(x)" in adjoint  # a scalar spread over len(x) samples
    assert "bs = bs - t0 @ t0 / s / (s * s)" in adjoint  # a sum of products: a dot product
    assert "# bt1 = t1  (t3 = t1 ** 2: in the sums below)" in adjoint
    assert "return bm, bs" in adjoint
    t0 = x - 0.5
    bm, bs = g(x, 0.5, 1.5)
    np.testing.assert_allclose(bm, -np.sum(t0) / 1.5 ** 2, rtol=1e-13)
    np.testing.assert_allclose(bs, t0.size / 1.5 - t0 @ t0 / 1.5 ** 3, rtol=1e-13)
    check(course_nll, (x, 0.5, 1.5), ("m", "s"))


def scaled_terms(x, m, s):
    t0 = (x - m) * s
    u = -t0 / 3.0
    return np.sum(u * t0) + np.sum(u * s) + np.mean(np.sin(u))


@pytest.mark.parametrize("shapes", [
    ((7,), (), ()), ((7,), (7,), ()), ((3, 4), (), ()), ((3, 4), (4,), ()),
    ((5,), (5,), (5,)), ((3, 4), (3, 1), (4,)),
])
def test_pushed_sums_agree_with_the_general_version(shapes):
    rng = np.random.default_rng(4)
    args = tuple(float(rng.normal()) if not s else rng.normal(size=s) for s in shapes)
    for f in (course_nll, scaled_terms):
        args = args if f is scaled_terms else (args[0], args[1], np.abs(args[2]) + 0.5)
        g = s2sad.grad(f, wrt=("x", "m", "s"))
        for got, want in zip(g(*args), g.function(*args)):
            assert np.shape(got) == np.shape(want)
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
        check(f, args, ("x", "m", "s"))


def test_a_sum_read_as_an_array_elsewhere_stays_an_array():
    def f(x, s):
        t = x * s
        return np.sum(t * t) + np.sum(np.exp(t))
    x = np.linspace(-1.0, 1.0, 5)
    special = s2sad.grad(f, wrt=("x", "s")).source_for(x, 0.7)
    assert "return bx, bs" in special and "bx = " in special
    check(f, (x, 0.7), ("x", "s"))


def test_without_a_seed_constant_factors_fold():
    W1, b1, W2, b2, X, Y = mlp_args(4)
    g = s2sad.grad(mlp, wrt=("W1", "b1", "W2", "b2"))
    special = g.source_for(W1, b1, W2, b2, X, Y)
    assert "bt5 = 0.5" in special and "bE = E  " in special  # 0.5 * 2 * E -> E
    seeded = g.source_for(W1, b1, W2, b2, X, Y, 1.0)
    assert "bt5 = bt6 * 0.5" in seeded
    plain, twice = g(W1, b1, W2, b2, X, Y), g(W1, b1, W2, b2, X, Y, 2.0)
    for a, b in zip(plain, twice):
        np.testing.assert_allclose(2 * a, b, rtol=1e-14)
    assert all(np.allclose(a, b) for a, b in zip(plain, g(W1, b1, W2, b2, X, Y, bt6=1.0)))


def test_the_zero_adjoint_of_a_scalar_parameter_is_a_number():
    def loop(x, y):
        for _ in range(3):
            x = np.sin(x) * y + np.cos(x * y)
        return x
    special = s2sad.grad(loop, wrt=("x", "y")).source_for(0.4, 1.3)
    assert "by = 0.0\n" in special and "zeros_like" not in special
    check(loop, (0.4, 1.3), ("x", "y"))


def test_the_quick_path_still_checks_dtypes_and_redefinitions():
    def f(w, X):
        return np.sum(np.tanh(X @ w))
    g = s2sad.grad(f)
    w, X = np.ones(3) * 0.1, np.arange(6.0).reshape(2, 3)
    first = g(w, X)
    np.testing.assert_allclose(g(w, X), first)
    assert g._quick  # the second call took the quick path
    with pytest.raises(s2sad.errors.WrtError):
        g(np.ones(3, dtype=int), X)  # same shapes, integer dtype
    def f(w, X):  # noqa: F811 - a redefinition renews every version
        return np.sum(X @ w)
    g.func.__code__ = f.__code__
    np.testing.assert_allclose(g(w, X), X.sum(axis=0))


def squares(x, s, v):
    return np.sum(x / s ** 2) + np.sum(v ** 2)


def test_the_square_of_a_scalar_is_a_product_and_of_an_array_stays_a_power():
    rng = np.random.default_rng(5)
    args = (rng.normal(size=4), 1.5, rng.normal(size=4))
    special = s2sad.grad(squares, wrt=(0, 1, 2)).source_for(*args)
    assert "bt0 = -(x.sum() / (t0 * t0))" in special, special  # t0 = s ** 2: a scalar
    assert "t0 ** 2" in s2sad.grad(squares, wrt=(0, 1, 2)).source  # unknown shapes
    check(squares, args, ("x", "s", "v"))

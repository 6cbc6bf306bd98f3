"""Every way a user can hold s2sad wrong gets its own error class and a located message."""

import numpy as np
import pytest

import s2sad
from s2sad import errors

from . import bad_functions as bad

FILE = bad.__file__


def raised(func, *args, wrt=None):
    with pytest.raises(errors.S2sadError) as info:
        s2sad.grad(func, wrt=wrt)(*args)
    return info.value


@pytest.mark.parametrize("func, marker, words", [
    (bad.uses_try, "try", "`try` blocks"),
    (bad.uses_with, "with", "`with` blocks"),
    (bad.uses_global, "global", "`global` declarations"),
    (bad.uses_yield, "yield", "`yield`"),
    (bad.uses_lambda, "lambda", "`lambda`"),
    (bad.star_call, "star", "`*args` in a call"),
])
def test_unsupported_syntax_is_located(func, marker, words):
    err = raised(func, 1.0)
    assert err.hint  # every refusal says what to do instead
    assert isinstance(err, errors.UnsupportedSyntaxError)
    assert words in err.message
    assert err.location.filename == FILE
    assert err.location.line == bad.line_of(marker)
    text = str(err)
    assert f"{FILE}:{bad.line_of(marker)}:" in text
    assert "^" in text  # the caret line


def test_missing_rule_names_the_call_as_written_and_says_what_to_do():
    err = raised(bad.no_rule, np.ones(3))
    assert isinstance(err, errors.NoRuleError)
    assert err.message == "no derivative rule for np.fft.hfft"
    assert err.location.line == bad.line_of("norule")
    assert "@s2sad.rule(np.fft.hfft)" in err.hint and "stop_gradient" in err.hint
    caret_line = str(err).splitlines()[4]
    assert caret_line.strip().startswith("|") and "^^^" in caret_line
    source_line = str(err).splitlines()[3]
    # the carets sit under the call
    assert source_line.index("np.fft.hfft") == caret_line.index("^")


def test_options_a_rule_does_not_handle():
    err = raised(bad.unhandled_options, np.ones(3))
    assert isinstance(err, errors.NoRuleError)
    assert "np.sum is called with arguments its derivative rule does not handle" in err.message
    assert "where" in err.message
    assert err.location.line == bad.line_of("options")


def test_unknown_function_name():
    err = raised(bad.unknown_name, 1.0)
    assert isinstance(err, errors.NoRuleError)
    assert "'undefined_function'" in err.message
    assert err.location.line == bad.line_of("unknown")


def test_non_scalar_output_points_to_vjp():
    err = raised(bad.vector_out, np.ones(3))
    assert isinstance(err, errors.NonScalarOutputError)
    assert "shape (3,)" in err.message and "s2sad.vjp" in err.hint


def test_function_without_return():
    err = raised(bad.no_return, 1.0)
    assert isinstance(err, errors.UnsupportedSyntaxError)
    assert "returns nothing" in err.message


def test_star_parameters():
    err = raised(bad.star_params, 1.0)
    assert isinstance(err, errors.UnsupportedSyntaxError) and "*args" in err.message


@pytest.mark.parametrize("wrt, words", [("y", "wrt='y' names no parameter of opaque(x)"),
                                        (3, "wrt=3 is out of range"),
                                        (1.5, "wrt must be parameter names or positions")])
def test_bad_wrt(wrt, words):
    with pytest.raises(errors.WrtError) as info:
        s2sad.grad(bad.opaque, wrt=wrt)
    assert words in str(info.value)


@pytest.mark.parametrize("arg", [2, True, np.arange(3)])
def test_integer_arguments_cannot_be_differentiated(arg):
    with pytest.raises(errors.WrtError) as info:
        s2sad.grad(bad.opaque)(arg)
    assert "holds integers" in str(info.value) and "dtype=float" in info.value.hint


@pytest.mark.parametrize("arg", ["abc", None, np.array(["a"]), [1.0, "b"]])
def test_non_numeric_arguments_cannot_be_differentiated(arg):
    with pytest.raises(errors.WrtError) as info:
        s2sad.grad(bad.opaque)(arg)
    assert "is not a number, an array of numbers" in str(info.value)
    assert "leave it out of wrt" in info.value.hint


@pytest.mark.parametrize("func", [np.exp, len, print])
def test_functions_without_python_source(func):
    with pytest.raises(errors.SourceUnavailableError) as info:
        s2sad.grad(func)
    assert "no such source" in str(info.value)


def test_lambda_and_exec_defined_functions():
    square = lambda x: x * x  # noqa: E731
    with pytest.raises(errors.SourceUnavailableError, match="lambda"):
        s2sad.grad(square)(1.0)
    namespace = {}
    exec("def f(x):\n    return x * x\n", namespace)
    with pytest.raises(errors.SourceUnavailableError, match="cannot read the source"):
        s2sad.grad(namespace["f"])(1.0)


def test_check_grad_raises_a_table_on_mismatch():
    def wrong(x):
        return np.sum(x * x)

    @s2sad.rule(wrong)
    def wrong_rule(g, ans, x):
        return g * x  # should be 2 * g * x

    def f(x):
        return wrong(x)

    with pytest.raises(errors.GradientMismatch) as info:
        s2sad.check_grad(f, np.array([1.0, 2.0]))
    text = str(info.value)
    assert "argument" in text and "numeric" in text and "NO" in text


def test_errors_are_raised_without_compiler_frames():
    err = raised(bad.no_rule, np.ones(3))
    import traceback

    frames = traceback.extract_tb(err.__traceback__)
    assert all("s2sad/normalize.py" not in f.filename and "s2sad/inline.py" not in f.filename
               for f in frames)

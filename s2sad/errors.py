"""Errors s2sad raises, each pointing at the user's own source line.

Every error is an ``S2sadError``. Errors about a construct in the user's function carry a
``Location`` and render as::

    no derivative rule for 'mylib.f'
      --> model.py:12:9
       |
    12 |     y = mylib.f(x) * 2
       |         ^^^^^^^^^^
    hint: register one with ...
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A span in a user's file: 1-based line, 0-based column, with the line's text."""

    filename: str
    line: int
    col: int
    text: str = ""
    end_col: int | None = None

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}:{self.col + 1}"

    def excerpt(self) -> str:
        """The source line with a caret under the span."""
        if not self.text:
            return ""
        gutter = " " * len(str(self.line))
        end = self.end_col if self.end_col and self.end_col > self.col else self.col + 1
        end = min(end, max(len(self.text), self.col + 1))
        carets = " " * self.col + "^" * (end - self.col)
        return f"{gutter} |\n{self.line} | {self.text}\n{gutter} | {carets}"


class S2sadError(Exception):
    """Base class: a message, an optional location in user code, an optional hint."""

    def __init__(self, message: str, location: Location | None = None, hint: str = ""):
        self.message = message
        self.location = location
        self.hint = hint
        super().__init__(self._render())

    def _render(self) -> str:
        parts = [self.message]
        if self.location is not None:
            parts.append(f"  --> {self.location}")
            excerpt = self.location.excerpt()
            if excerpt:
                parts.append(excerpt)
        if self.hint:
            parts.append(f"hint: {self.hint}")
        return "\n".join(parts)


class UnsupportedSyntaxError(S2sadError):
    """The function uses a Python construct s2sad cannot differentiate (yet)."""


class NoRuleError(S2sadError):
    """An active value flows into a function that has no derivative rule."""


class WrtError(S2sadError):
    """``wrt`` names no parameter, or a differentiated argument is not a float value."""


class SourceUnavailableError(S2sadError):
    """The function's source cannot be retrieved (builtin, C extension, REPL, lambda)."""


class NonScalarOutputError(S2sadError):
    """``grad`` was asked for the gradient of a function whose output is not a scalar."""


class GradientMismatch(S2sadError):
    """``check_grad`` found the gradient and the central differences disagree."""

"""``parse.to_gast`` is gast's own conversion from ``ast``, node for node (only faster)."""

import ast
import pathlib

import gast
import pytest

import s2sad
from s2sad.parse import to_gast

ROOT = pathlib.Path(s2sad.__file__).parent.parent
SOURCES = sorted(ROOT.glob("s2sad/**/*.py"))


def _same(a, b, path="tree"):
    assert type(a) is type(b), path
    if isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, gast.AST):
        assert list(a.__dict__) == list(b.__dict__), path  # the same fields, in order
        for key in a.__dict__:
            _same(a.__dict__[key], b.__dict__[key], f"{path}.{key}")
    else:
        assert a == b or a != a and b != b, path


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_to_gast_is_gasts_conversion(path):
    source = path.read_text()
    _same(to_gast(ast.parse(source)), gast.ast_to_gast(ast.parse(source)))


def test_to_gast_on_every_kind_of_statement():
    source = '''
async def f(a, /, b: int = 1, *args, c, d=2, **kw) -> None:
    global g
    x: int = 1
    x += 1
    del x
    async with a as (b, c):
        async for i in b:
            await i
    try:
        raise ValueError("x") from None
    except (TypeError, ValueError) as e:
        pass
    else:
        pass
    finally:
        pass
    match a:
        case [1, *rest] | {"k": _}:
            pass
        case Point(x=0) if b:
            pass
    lambda q, *r, **s: q
    y = [i for i in a if i] + list({i: j for i, j in b}) + [*a]
    z = f"{a!r:>{b}}" + (yield b) + (yield from a)
    assert a, "msg"
    return a[1:2, ::3], b if c else d, not a, a < b <= c, {1, 2}, ...
class C(B, metaclass=M):
    import os
    from . import x as y
'''
    _same(to_gast(ast.parse(source)), gast.ast_to_gast(ast.parse(source)))

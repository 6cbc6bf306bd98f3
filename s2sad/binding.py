"""Bind an operation's operands to the parameters of its rule, as ``inspect.Signature.bind``
would, but quickly: the binding is worked out once per signature and call shape.

Contract: ``bind_operands(sig, skip, args, kwargs)`` is ``sig.bind(*[None] * skip, *args,
**kwargs)`` with defaults applied, as a dict without the ``skip`` leading parameters and
without a ``**kwargs`` parameter; it raises ``TypeError`` where ``bind`` would.
"""

from __future__ import annotations

import inspect

_ARG, _KWARG, _ARGS, _DEFAULT = range(4)  # where a bound parameter's value comes from
_PLANS: dict = {}  # (id(signature), skip, positional count, keywords) -> (signature, plan)


def bind_operands(sig: inspect.Signature, skip: int, args: list, kwargs: dict) -> dict:
    """The operands by parameter name (see the module docstring)."""
    key = (id(sig), skip, len(args), tuple(kwargs))
    cached = _PLANS.get(key)
    if cached is None or cached[0] is not sig:
        cached = _PLANS[key] = (sig, _plan(sig, skip, len(args), tuple(kwargs)))
    values = {}
    for name, kind, where in cached[1]:
        values[name] = (args[where] if kind is _ARG else kwargs[where] if kind is _KWARG
                        else tuple(args[i] for i in where) if kind is _ARGS else where)
    return values


class _Slot:
    def __init__(self, kind: int, where):
        self.kind, self.where = kind, where


def _plan(sig: inspect.Signature, skip: int, count: int, keywords: tuple) -> list:
    """``[(parameter, kind, where)]``: ``where`` a position (``_ARG``), a keyword
    (``_KWARG``), positions (``_ARGS``, a ``*args`` tuple) or the default value itself
    (``_DEFAULT``)."""
    bound = sig.bind(*[None] * skip, *[_Slot(_ARG, i) for i in range(count)],
                     **{k: _Slot(_KWARG, k) for k in keywords})
    bound.apply_defaults()
    values = dict(bound.arguments)
    for name in list(sig.parameters)[:skip]:
        values.pop(name, None)
    for name, param in sig.parameters.items():
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            values.pop(name, None)
    plan = []
    for name, value in values.items():
        if isinstance(value, _Slot):
            plan.append((name, value.kind, value.where))
        elif sig.parameters[name].kind is inspect.Parameter.VAR_POSITIONAL:
            plan.append((name, _ARGS, tuple(v.where for v in value)))
        else:
            plan.append((name, _DEFAULT, value))
    return plan

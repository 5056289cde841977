"""The rule core for numba: the same functions, compiled, one dossier at a time.

Importing this module (it needs the ``fast`` extra, numba) teaches numba the rule core as
it is written, without a second copy of any rule:

* the helpers of :mod:`procflow.law.ops` get their one-dossier meaning (``where`` is
  ``a if c else b``, ``minimum`` is ``a if a <= b else b``...), the meaning they already
  have on Python ints;
* a :class:`~procflow.law.index.CalendarIndex` travels into compiled code as
  :class:`CalendarTables`, a named tuple of the same fields (its numpy tables and second
  ticks, from :meth:`CalendarIndex.arrays`), whose methods are ``CalendarIndex``'s own;
* every function of the rule core's modules (:data:`CORE`) is registered with
  ``numba.extending.register_jitable``, so a compiled caller compiles it from its own
  source, with its own globals.

A compiled caller (the columnar engine's fused row loop, :mod:`procflow.bulk.compiled`)
then calls ``receive``, ``due``, ``cycle``... exactly as the per-dossier path does on
Python ints. :data:`STAMP` is a digest of the rule core's source files: compiled callers
fold it into their on-disk cache key, so a changed rule is never served from an old cache
(numba itself only watches the caller's own file).
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import inspect
import pkgutil
from collections import namedtuple
from collections.abc import Callable
from pathlib import Path
from typing import Any

from numba.core import types
from numba.extending import overload, overload_method, register_jitable

import procflow.law as law
from procflow.law import index, ops

__all__ = ["CORE", "OPTIONS", "STAMP", "CalendarTables", "tables"]

_FIELDS = tuple(f.name for f in dataclasses.fields(index.CalendarIndex))

CalendarTables = namedtuple("CalendarTables", _FIELDS)  # type: ignore[misc]
"""A :class:`~procflow.law.index.CalendarIndex` as a named tuple, which numba can carry."""
CalendarTables.__module__ = __name__
CalendarTables.__doc__ = "A CalendarIndex's fields as a named tuple (see the module docstring)."

_METHODS = tuple(
    name
    for name, member in vars(index.CalendarIndex).items()
    if inspect.isfunction(member) and not name.startswith("_") and name not in ("arrays",)
)
"""The methods of CalendarIndex that compiled code calls (all but the builders)."""

_MODULES = tuple(
    importlib.import_module(f"{law.__name__}.{info.name}")
    for info in sorted(pkgutil.iter_modules(law.__path__), key=lambda info: info.name)
    if info.name != "compiled"
)
"""Every module of the rule core (a new one is picked up without a change here)."""

CORE: tuple[Callable[..., Any], ...] = tuple(
    member
    for module in _MODULES
    if module not in (ops, index)  # ops has its own meanings below, index is methods
    for member in vars(module).values()
    if inspect.isfunction(member) and member.__module__ == module.__name__
)
"""The rule core's functions, registered for compiled callers."""

STAMP = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted(Path(law.__file__ or "").parent.glob("*.py")))
).hexdigest()
"""A digest of the rule core's source (this bridge included): part of compiled callers'
cache keys."""


def tables(ix: index.CalendarIndex) -> Any:
    """The calendar ``ix`` as :class:`CalendarTables`, in second ticks with numpy tables.

    Examples:
        >>> from procflow import vietnam_calendar
        >>> t = tables(vietnam_calendar(years=[2024]).law)
        >>> t.tick, t.length, type(t.cum).__name__
        (1, 28800, 'ndarray')
    """
    arrays = ix if ix.tick == 1 and not isinstance(ix.cum, tuple) else ix.arrays()
    fields = {name: getattr(arrays, name) for name in _FIELDS}
    # numba cannot loop over an empty tuple: no Saturday reception is one session that
    # holds no instant (it starts after it ends), which receive() reads the same way.
    fields["saturday"] = arrays.saturday or ((1, 0),)
    return CalendarTables(**fields)


OPTIONS = {"_nrt": False}
"""Compile the core without reference counting: it allocates nothing, and counting the
references of the calendar's tables on every call made the loop ten times slower."""


# -- ops: the one-dossier meaning ---------------------------------------------------------------


def _take(table: Any, k: Any) -> Any:
    # As on Python ints: an index outside the table is an error, never a wrap-around.
    if k < 0 or k >= len(table):
        raise IndexError("rule core: a day outside the calendar")
    return table[k]


_SCALAR_OPS: tuple[tuple[Callable[..., Any], Callable[..., Any]], ...] = (
    (ops.where, lambda cond, a, b: a if cond else b),
    (ops.minimum, lambda a, b: a if a <= b else b),
    (ops.maximum, lambda a, b: a if a >= b else b),
    (ops.clip, lambda x, lo, hi: lo if x < lo else hi if x > hi else x),
    (ops.not_, lambda x: not x),
    (ops.any_, lambda mask: bool(mask)),
    (ops.is_scalar, lambda x: True),
    (ops.to_int, lambda x: int(x)),
    (ops.round_int, lambda x: round(x)),
    (ops.take, _take),
    (ops.rows, lambda mask: mask),
    (ops.some, lambda selected: selected),
    (ops.pick, lambda x, selected: x),
    (ops.put, lambda default, selected, values: values if selected else default),
    (ops.full, lambda like, value: value),
)
"""Each helper of :mod:`procflow.law.ops` with its meaning on one dossier (Python ints)."""


def _scalar_op(function: Callable[..., Any], impl: Callable[..., Any]) -> None:
    def typer(*args: Any) -> Any:
        return impl

    overload(function, strict=False, jit_options=OPTIONS)(typer)


for _op, _impl in _SCALAR_OPS:
    _scalar_op(_op, _impl)


# -- CalendarIndex's methods on CalendarTables -------------------------------------------------


_NAMED_TUPLE: Any = types.BaseNamedTuple  # type: ignore[attr-defined]


def _method(name: str) -> None:
    function = getattr(index.CalendarIndex, name)

    def typer(self: Any, *args: Any) -> Any:
        if isinstance(self, _NAMED_TUPLE) and self.instance_class is CalendarTables:
            return function
        return None

    # The typer has the method's own signature, so numba folds the arguments as it does.
    typer.__signature__ = inspect.signature(function)  # type: ignore[attr-defined]
    overload_method(_NAMED_TUPLE, name, strict=False, jit_options=OPTIONS)(typer)


for _name in _METHODS:
    _method(_name)

for _function in CORE:
    register_jitable(**OPTIONS)(_function)

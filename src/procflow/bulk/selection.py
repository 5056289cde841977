"""Which engine classifies the rows the columnar path takes: compiled or numpy.

``engine="auto"`` (the default of :func:`procflow.bulk.classify`) reads the environment
variable ``PROCFLOW_ENGINE`` (``auto``, ``compiled`` or ``numpy``) and, when that is unset
or ``auto``, picks the numpy engine: measured on 1 M rows (``benchmarks/bench_engines.py``),
the compiled loop (:mod:`procflow.bulk.compiled`, the ``fast`` extra) takes about twice the
numpy engine's time for the rules and adds 0.6-1.2 s to a process's first call, so it is
chosen only by name until it is the faster one. ``compiled`` insists on the compiled loop and
is an error without numba; ``numpy`` forces the numpy engine. Both engines give the same
columns (every legal table runs through both); numba is imported on the first compiled
batch, not with procflow.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, Literal

from procflow.errors import InputError

__all__ = ["ENGINES", "ENGINE_VARIABLE", "Engine", "rows_engine"]

Engine = Literal["auto", "compiled", "numpy"]
ENGINES: tuple[str, ...] = ("auto", "compiled", "numpy")
ENGINE_VARIABLE = "PROCFLOW_ENGINE"

AUTO_CHOICE = "numpy"
"""What ``auto`` picks: the faster engine as measured (see the module docstring)."""

RowsEngine = Callable[..., dict[str, Any]]


def rows_engine(engine: str = "auto") -> RowsEngine:
    """The function that classifies a slice's rows: the compiled loop or the numpy engine.

    Args:
        engine: ``"auto"``, ``"compiled"`` or ``"numpy"`` (see the module docstring); an
            explicit choice beats ``PROCFLOW_ENGINE``.

    Returns:
        :func:`procflow.bulk.compiled.classify_rows` or
        :func:`procflow.bulk.engine._classify_arrays` (same arguments, same columns).

    Raises:
        InputError: If the engine is not one of :data:`ENGINES`, or is ``compiled``
            without numba.

    Examples:
        >>> rows_engine("numpy").__name__
        '_classify_arrays'
    """
    chosen = engine
    if engine == "auto":
        chosen = os.environ.get(ENGINE_VARIABLE, "").strip().lower() or "auto"
    if chosen not in ENGINES:
        where = f"{ENGINE_VARIABLE}={chosen!r}" if engine == "auto" else repr(chosen)
        raise InputError(f"unknown engine {where}: give one of {', '.join(ENGINES)}")
    from procflow.bulk.engine import _classify_arrays

    if chosen == "auto":
        chosen = AUTO_CHOICE
    if chosen == "numpy":
        return _classify_arrays
    try:
        from procflow.bulk.compiled import classify_rows
    except ImportError as exc:
        if chosen == "compiled":
            raise InputError(
                f"engine 'compiled' needs numba ({exc}): pip install 'procflow[fast]'"
            ) from exc
        return _classify_arrays
    return classify_rows

"""Elementwise helpers that take Python scalars and numpy arrays alike.

The rule core is written once with these: on Python ints and bools (one dossier) they
are plain Python, on numpy arrays (a batch) they are the numpy functions. Arithmetic,
comparisons, ``//``, ``%``, ``&``, ``|`` and indexing (``seq[i]``) already work on both;
only the operations below differ. Never use ``~`` on a value that may be a Python bool
(``~True == -2``): use :func:`not_`.

A branch only some dossiers take (a supplement cycle, a clock stop, an apology) is
written once with :func:`rows`, :func:`some`, :func:`pick` and :func:`put`::

    r = rows(has_request)                   # one dossier: the bool; a batch: its row numbers
    counts = full(received, False)          # the value where the branch is not taken
    if some(r):                             # one dossier: it takes the branch; a batch: any row
        counts = put(counts, r, f(pick(requested, r)))   # computed on those rows only

numpy is imported only when an array is seen, so the per-dossier path never loads it.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "Vec",
    "any_",
    "clip",
    "full",
    "is_scalar",
    "maximum",
    "minimum",
    "not_",
    "pick",
    "put",
    "round_int",
    "rows",
    "some",
    "take",
    "to_int",
    "where",
]

Vec = Any
"""An int, float or bool (one dossier), or a numpy array of them (a batch)."""

_SCALARS = (bool, int, float)


def is_scalar(x: Vec) -> bool:
    """Tell whether ``x`` is a Python scalar rather than an array."""
    return isinstance(x, _SCALARS)


def any_(mask: Vec) -> bool:
    """Whether ``mask`` holds for any row (a batch computes only the branches its rows take).

    Examples:
        >>> any_(False), any_(True)
        (False, True)
        >>> import numpy as np
        >>> any_(np.array([False, True]))
        True
    """
    return bool(mask) if isinstance(mask, _SCALARS) else bool(mask.any())


def where(cond: Vec, a: Vec, b: Vec) -> Vec:
    """``a`` where ``cond`` holds, else ``b``.

    Examples:
        >>> where(True, 1, 2), where(False, 1, 2)
        (1, 2)
        >>> import numpy as np
        >>> where(np.array([True, False]), 1, np.array([5, 6])).tolist()
        [1, 6]
    """
    if isinstance(cond, _SCALARS):
        return a if cond else b
    import numpy as np

    return np.where(cond, a, b)


def minimum(a: Vec, b: Vec) -> Vec:
    """The smaller of ``a`` and ``b``, elementwise."""
    if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
        return a if a <= b else b
    import numpy as np

    return np.minimum(a, b)


def maximum(a: Vec, b: Vec) -> Vec:
    """The larger of ``a`` and ``b``, elementwise."""
    if isinstance(a, _SCALARS) and isinstance(b, _SCALARS):
        return a if a >= b else b
    import numpy as np

    return np.maximum(a, b)


def clip(x: Vec, lo: Vec, hi: Vec) -> Vec:
    """``x`` bounded to ``[lo, hi]``, elementwise.

    Examples:
        >>> clip(-3, 0, 10), clip(12, 0, 10), clip(4, 0, 10)
        (0, 10, 4)
    """
    if isinstance(x, _SCALARS) and isinstance(lo, _SCALARS) and isinstance(hi, _SCALARS):
        return lo if x < lo else hi if x > hi else x
    return minimum(maximum(x, lo), hi)


def not_(x: Vec) -> Vec:
    """Logical not, elementwise (``not x`` for a bool, ``~x`` for a boolean array)."""
    if isinstance(x, _SCALARS):
        return not x
    return ~x


def to_int(x: Vec) -> Vec:
    """``x`` truncated to integers (floats of limits to whole units)."""
    if isinstance(x, _SCALARS):
        return int(x)
    import numpy as np

    return x.astype(np.int64)


def round_int(x: Vec) -> Vec:
    """``x`` rounded to the nearest integer (half to even, as Python and numpy round)."""
    if isinstance(x, _SCALARS):
        return round(x)
    import numpy as np

    return np.round(x).astype(np.int64)


def take(table: Any, k: Vec) -> Vec:
    """``table[k]``: strict for one index, clamped below at 0 for an array of them.

    One dossier's lookup outside the table raises IndexError (the caller reports the
    date outside the calendar); a batch's rows that a mask leaves out may carry any
    index, so negative ones are clamped rather than wrapped around.
    """
    if isinstance(k, _SCALARS):
        if k < 0:
            raise IndexError(k)
        return table[k]
    import numpy as np

    return table[np.maximum(k, 0)]


def rows(mask: Vec) -> Vec:
    """The dossiers ``mask`` selects: the bool itself for one, the row numbers of a batch.

    Examples:
        >>> rows(True), rows(False)
        (True, False)
        >>> import numpy as np
        >>> rows(np.array([False, True, True])).tolist()
        [1, 2]
    """
    if isinstance(mask, _SCALARS):
        return bool(mask)
    import numpy as np

    return np.flatnonzero(mask)


def some(selected: Vec) -> bool:
    """Whether :func:`rows` selected any dossier (then the branch is computed)."""
    if isinstance(selected, _SCALARS):
        return bool(selected)
    return bool(selected.size > 0)


def pick(x: Vec, selected: Vec) -> Vec:
    """``x`` on the selected dossiers: ``x`` itself for one dossier or a constant.

    Examples:
        >>> import numpy as np
        >>> pick(np.array([10, 20, 30]), rows(np.array([True, False, True]))).tolist()
        [10, 30]
        >>> pick(7, rows(np.array([True, False])))
        7
    """
    if isinstance(selected, _SCALARS) or isinstance(x, _SCALARS):
        return x
    return x[selected]


def put(default: Vec, selected: Vec, values: Vec) -> Vec:
    """``default`` with ``values`` on the selected dossiers (a new array for a batch).

    Examples:
        >>> put(0, True, 5), put(0, False, 5)
        (5, 0)
        >>> import numpy as np
        >>> put(np.zeros(3, dtype=int), np.array([2]), np.array([9])).tolist()
        [0, 0, 9]
    """
    if isinstance(selected, _SCALARS):
        return values if selected else default
    out = default.copy()
    out[selected] = values
    return out


def full(like: Vec, value: bool | int | float) -> Vec:
    """``value`` for one dossier, or an array of it as long as the batch ``like``.

    Examples:
        >>> full(3, False)
        False
        >>> import numpy as np
        >>> full(np.array([1, 2]), -1).tolist()
        [-1, -1]
    """
    if isinstance(like, _SCALARS):
        return value
    import numpy as np

    return np.full(len(like), value)

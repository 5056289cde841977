"""The supplement request's restart window on whole columns (a compliance finding).

Under ``restart`` a supplement request made later than the procedure's window after receipt
(Decree 297/2025/NĐ-CP Art. 6(4)(a): 8 working hours by default) only pauses the clock, and
:func:`procflow.evaluate` notes it as ``request_outside_window``. The rule core's
:func:`procflow.law.stops.cycle` decides it, for one dossier and here for the rows of a
slice the array path classified: the classified table's ``request_outside_window`` column
is the same answer as the per-dossier note.
"""

from __future__ import annotations

import numpy as np

from procflow.bulk.columns import _NAT
from procflow.bulk.rules import _Rules
from procflow.law.index import CalendarIndex
from procflow.law.receipt import receive
from procflow.law.stops import cycle


def _outside_window(
    c: CalendarIndex,
    times: dict[str, np.ndarray],
    rules: _Rules,
    idx: np.ndarray,
    original_due: np.ndarray,
    view: int,
) -> np.ndarray:
    """Whether each row in ``idx`` had a supplement request after its restart window.

    Args:
        c: The calendar as arrays.
        times: The slice's time columns, local seconds (``_NAT`` where missing).
        rules: The slice's rules.
        idx: The rows the array path classified.
        original_due: Their original due instants (the classified ``due_at``).
        view: ``as_of`` in local seconds: a request after it is not seen.

    Returns:
        A boolean per row of ``idx``.
    """

    def seen(name: str) -> np.ndarray:
        values = times[name][idx]
        mask: np.ndarray = (values != _NAT) & (values <= view)
        return mask

    requested = seen("supplement_requested_at")
    out = np.zeros(idx.size, dtype=bool)
    s = np.flatnonzero(requested)
    if s.size == 0:
        return out
    rows = idx[s]
    first = receive(c, times["received_at"][rows], rules.cutoff[rows])
    ended = seen("finished_at") | seen("withdrawn_at")
    judged = cycle(
        c,
        rules.policy[rows],
        times["supplement_requested_at"][rows],
        seen("supplement_received_at")[s],
        first.start,
        original_due[s],
        rules.window[rows] * 3600,
        ended[s],
    )
    out[s] = judged.outside
    return out

"""The errors procflow raises.

Every error derives from :class:`ProcflowError` and also from the builtin that matches
its meaning, so ``except ValueError`` in an embedding application keeps working. Each
message names the offending value, and where it applies the file, row, field or step.
"""

from __future__ import annotations

__all__ = [
    "CalendarError",
    "CoverageError",
    "InputError",
    "ProcflowError",
    "TimeLimitError",
]


class ProcflowError(Exception):
    """Root of every error procflow raises."""


class CalendarError(ProcflowError, ValueError):
    """A calendar was configured inconsistently (e.g. a day both off and working)."""


class CoverageError(ProcflowError, LookupError):
    """A date lies outside the years a :class:`~procflow.WorkCalendar` covers.

    procflow never guesses a working day it has no data for: build the calendar with
    the years you need (``vietnam_calendar(years=range(2020, 2031))``).
    """


class TimeLimitError(ProcflowError, ValueError):
    """A time limit's text could not be read, or its value is impossible."""


class InputError(ProcflowError, ValueError):
    """A value read from a file, a command line or JSON could not be understood."""

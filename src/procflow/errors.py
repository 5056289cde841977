"""The errors procflow raises.

Every error derives from :class:`ProcflowError` and also from the builtin that matches
its meaning, so ``except ValueError`` in an embedding application keeps working. Each
message names the offending value, and where it applies the file, row, field or step.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from procflow.procedure import Problem

__all__ = [
    "CalendarError",
    "CoverageError",
    "FormError",
    "InputError",
    "ProcflowError",
    "SpecError",
    "TimeLimitError",
    "TimelineError",
    "UnknownProcedureError",
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


class FormError(ProcflowError, ValueError):
    """A form cannot be issued for this dossier (e.g. an apology issued too late).

    The message names the dossier, the form and the rule it breaks.
    """


class InputError(ProcflowError, ValueError):
    """A value read from a file, a command line or JSON could not be understood."""


class UnknownProcedureError(ProcflowError, LookupError):
    """No procedure with that id, or no version of it in force on the date asked."""


class SpecError(ProcflowError, ValueError):
    """A procedure spec is invalid.

    Attributes:
        problems: Every problem found, each naming its step and field.
        path: The spec file, when the procedure was loaded from one.
    """

    def __init__(
        self, message: str, *, problems: Sequence[Problem] = (), path: str | Path | None = None
    ) -> None:
        self.message = message
        self.problems = list(problems)
        self.path = Path(path) if path is not None else None
        super().__init__(message)

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path is not None else ""
        lines = [f"{where}{self.message}"]
        lines += [f"{where}{problem}" for problem in self.problems]
        return "\n".join(lines)


class TimelineError(ProcflowError, ValueError):
    """A dossier's events cannot have happened as given (order, pairs, unknown steps).

    The message names the dossier and the event (its position, type and time).
    """

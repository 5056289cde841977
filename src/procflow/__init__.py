"""procflow: Vietnamese administrative procedures, working-day deadlines and dossier outcomes.

The public names frontends call live here. Everything takes its calendar and its "today"
as parameters: procflow keeps no global state.

Examples:
    >>> from datetime import datetime
    >>> import procflow
    >>> cal = procflow.vietnam_calendar(years=[2024])
    >>> limit = procflow.TimeLimit.parse("03 ngày làm việc")
    >>> procflow.due_date(datetime(2024, 8, 29, 10, 0), limit, cal)
    datetime.datetime(2024, 9, 5, 17, 0)
"""

from procflow.calendar import (
    VN_TZ,
    CalendarOverride,
    DayInfo,
    DayKind,
    OfficeHours,
    Session,
    WorkCalendar,
    vietnam_calendar,
)
from procflow.deadline import (
    DueDate,
    Note,
    Receipt,
    due_date,
    effective_receipt,
    explain_due_date,
)
from procflow.errors import CalendarError, CoverageError, ProcflowError, TimeLimitError
from procflow.timelimit import CountingModel, TimeLimit, TimeUnit

__all__ = [
    "VN_TZ",
    "CalendarError",
    "CalendarOverride",
    "CountingModel",
    "CoverageError",
    "DayInfo",
    "DayKind",
    "DueDate",
    "Note",
    "OfficeHours",
    "ProcflowError",
    "Receipt",
    "Session",
    "TimeLimit",
    "TimeLimitError",
    "TimeUnit",
    "WorkCalendar",
    "due_date",
    "effective_receipt",
    "explain_due_date",
    "vietnam_calendar",
]

__version__ = "0.1.0"

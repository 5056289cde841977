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
    load_overrides,
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
from procflow.errors import (
    CalendarError,
    CoverageError,
    InputError,
    ProcflowError,
    SpecError,
    TimeLimitError,
    UnknownProcedureError,
)
from procflow.planning import Plan, PlannedStep, plan
from procflow.procedure import (
    AdminLevel,
    AgencyShare,
    CountingRules,
    Edge,
    LegalRef,
    Problem,
    Procedure,
    ProcedureLibrary,
    Step,
    StepKind,
    SupplementPolicy,
    WaitReason,
)
from procflow.spec import (
    dump_procedure,
    load_procedure,
    load_procedures,
    parse_procedure,
    procedure_schema,
)
from procflow.timelimit import CountingModel, TimeLimit, TimeUnit

__all__ = [
    "VN_TZ",
    "AdminLevel",
    "AgencyShare",
    "CalendarError",
    "CalendarOverride",
    "CountingModel",
    "CountingRules",
    "CoverageError",
    "DayInfo",
    "DayKind",
    "DueDate",
    "Edge",
    "InputError",
    "LegalRef",
    "Note",
    "OfficeHours",
    "Plan",
    "PlannedStep",
    "Problem",
    "Procedure",
    "ProcedureLibrary",
    "ProcflowError",
    "Receipt",
    "Session",
    "SpecError",
    "Step",
    "StepKind",
    "SupplementPolicy",
    "TimeLimit",
    "TimeLimitError",
    "TimeUnit",
    "UnknownProcedureError",
    "WaitReason",
    "WorkCalendar",
    "due_date",
    "dump_procedure",
    "effective_receipt",
    "explain_due_date",
    "load_overrides",
    "load_procedure",
    "load_procedures",
    "parse_procedure",
    "plan",
    "procedure_schema",
    "vietnam_calendar",
]

__version__ = "0.1.0"

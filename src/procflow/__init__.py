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

from procflow.alerts import Alert, AlertKind, alerts
from procflow.audit import AuditFinding, AuditResult, audit
from procflow.calendar import (
    VN_TZ,
    CalendarOverride,
    DayInfo,
    DayKind,
    OfficeHours,
    Session,
    WorkCalendar,
    builtin_decisions,
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
from procflow.dossier import (
    Channel,
    Dossier,
    Event,
    EventType,
    Result,
    ServiceLevel,
    check_timeline,
)
from procflow.errors import (
    CalendarError,
    CoverageError,
    InputError,
    ProcflowError,
    SpecError,
    TimeLimitError,
    TimelineError,
    UnknownProcedureError,
)
from procflow.evaluation import (
    RULES,
    ApologyCheck,
    Evaluation,
    Outcome,
    Rule,
    StepReport,
    Stop,
    evaluate,
)
from procflow.export import report_csv, report_json, write_png, write_xlsx
from procflow.interchange import DossierTable, Rejected, read_dossiers
from procflow.planning import Plan, PlannedStep, plan
from procflow.procedure import (
    AdminLevel,
    AgencyShare,
    ApologyDue,
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
from procflow.report import (
    GroupBy,
    Objective,
    ObjectiveMiss,
    Report,
    ReportRow,
    build_report,
    check_objectives,
    load_objectives,
    period,
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
    "RULES",
    "VN_TZ",
    "AdminLevel",
    "AgencyShare",
    "Alert",
    "AlertKind",
    "ApologyCheck",
    "ApologyDue",
    "AuditFinding",
    "AuditResult",
    "CalendarError",
    "CalendarOverride",
    "Channel",
    "CountingModel",
    "CountingRules",
    "CoverageError",
    "DayInfo",
    "DayKind",
    "Dossier",
    "DossierTable",
    "DueDate",
    "Edge",
    "Evaluation",
    "Event",
    "EventType",
    "GroupBy",
    "InputError",
    "LegalRef",
    "Note",
    "Objective",
    "ObjectiveMiss",
    "OfficeHours",
    "Outcome",
    "Plan",
    "PlannedStep",
    "Problem",
    "Procedure",
    "ProcedureLibrary",
    "ProcflowError",
    "Receipt",
    "Rejected",
    "Report",
    "ReportRow",
    "Result",
    "Rule",
    "ServiceLevel",
    "Session",
    "SpecError",
    "Step",
    "StepKind",
    "StepReport",
    "Stop",
    "SupplementPolicy",
    "TimeLimit",
    "TimeLimitError",
    "TimeUnit",
    "TimelineError",
    "UnknownProcedureError",
    "WaitReason",
    "WorkCalendar",
    "alerts",
    "audit",
    "build_report",
    "builtin_decisions",
    "check_objectives",
    "check_timeline",
    "due_date",
    "dump_procedure",
    "effective_receipt",
    "evaluate",
    "explain_due_date",
    "load_objectives",
    "load_overrides",
    "load_procedure",
    "load_procedures",
    "parse_procedure",
    "period",
    "plan",
    "procedure_schema",
    "read_dossiers",
    "report_csv",
    "report_json",
    "vietnam_calendar",
    "write_png",
    "write_xlsx",
]

__version__ = "0.1.0"

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

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Names are loaded on first use (PEP 562), so ``import procflow`` stays light: a frontend
# that only computes due dates never loads the report, export or bulk modules.
_MODULES: dict[str, tuple[str, ...]] = {
    "procflow.alerts": ("Alert", "AlertKind", "alerts"),
    "procflow.audit": ("AuditFinding", "AuditResult", "audit"),
    "procflow.calendar": (
        "VN_TZ",
        "CalendarOverride",
        "DayInfo",
        "DayKind",
        "OfficeHours",
        "Session",
        "WorkCalendar",
        "builtin_decisions",
        "load_overrides",
        "vietnam_calendar",
    ),
    "procflow.deadline": (
        "DueDate",
        "Note",
        "Receipt",
        "due_date",
        "effective_receipt",
        "explain_due_date",
    ),
    "procflow.dossier": (
        "Channel",
        "Dossier",
        "Event",
        "EventType",
        "Result",
        "ServiceLevel",
        "check_timeline",
    ),
    "procflow.errors": (
        "CalendarError",
        "CoverageError",
        "InputError",
        "ProcflowError",
        "SpecError",
        "TimeLimitError",
        "TimelineError",
        "UnknownProcedureError",
    ),
    "procflow.evaluation": (
        "RULES",
        "ApologyCheck",
        "Evaluation",
        "Outcome",
        "Rule",
        "StepReport",
        "Stop",
        "evaluate",
    ),
    "procflow.export": ("report_csv", "report_json", "write_png", "write_xlsx"),
    "procflow.interchange": ("DossierTable", "Rejected", "read_dossiers"),
    "procflow.planning": ("Plan", "PlannedStep", "plan"),
    "procflow.procedure": (
        "AdminLevel",
        "AgencyShare",
        "ApologyDue",
        "CountingRules",
        "Edge",
        "LegalRef",
        "Problem",
        "Procedure",
        "ProcedureLibrary",
        "Step",
        "StepKind",
        "SupplementPolicy",
        "WaitReason",
    ),
    "procflow.report": (
        "GroupBy",
        "Objective",
        "ObjectiveMiss",
        "Report",
        "ReportRow",
        "build_report",
        "check_objectives",
        "load_objectives",
        "period",
    ),
    "procflow.spec": (
        "dump_procedure",
        "load_procedure",
        "load_procedures",
        "parse_procedure",
        "procedure_schema",
    ),
    "procflow.timelimit": ("CountingModel", "TimeLimit", "TimeUnit"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'procflow' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])


# ``procflow.alerts`` and ``procflow.audit`` are functions named like their modules. The
# import system sets a package attribute when a submodule loads; here it must not replace
# the function (``import procflow.audit`` still finds the module in ``sys.modules``).
_SHADOWED = frozenset({"alerts", "audit"})


class _Package(types.ModuleType):
    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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

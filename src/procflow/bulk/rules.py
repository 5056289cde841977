"""The rules of each row: procedure lookup and the versions in force, as arrays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import numpy as np

from procflow.bulk.columns import _ALL_CHANNELS, _CHANNEL_BITS, _DAY, _EPOCH
from procflow.bulk.reading import Codes
from procflow.deadline import resolve_model
from procflow.errors import ProcflowError
from procflow.evaluation import Procedures
from procflow.law.codes import model_code, policy_code, unit_code
from procflow.parsing import parse_clock
from procflow.procedure import (
    DEFAULT_RETURN_DAYS,
    DEFAULT_SUPPLEMENT_WINDOW,
    ApologyDue,
    Procedure,
    ProcedureLibrary,
    SupplementPolicy,
)
from procflow.timelimit import CountingModel, TimeLimit

_FIELDS = (
    ("value", float, 0.0),
    ("unit", np.int8, 0),
    ("cutoff", np.int64, -1),
    ("model", np.int8, 0),
    ("policy", np.int8, 0),
    ("window", float, np.inf),
    ("apology_end", bool, False),
    ("return_days", np.int64, -1),
    ("channels", np.int8, _ALL_CHANNELS),
)
"""The counting rules of a row, as the rule core's codes: name, dtype, value if unknown."""

RuleRow = tuple[float, int, int, int, int, float, bool, int, int]


@dataclass(frozen=True, slots=True)
class _Rules:
    value: np.ndarray
    unit: np.ndarray
    cutoff: np.ndarray
    model: np.ndarray
    policy: np.ndarray
    window: np.ndarray
    apology_end: np.ndarray
    return_days: np.ndarray
    bad: np.ndarray


def _rule_of(
    limit: TimeLimit,
    cut: time | None,
    model: CountingModel | None,
    pol: SupplementPolicy,
    window: float | None = DEFAULT_SUPPLEMENT_WINDOW,
    apology_due: ApologyDue = ApologyDue.DAY_BEFORE,
    return_days: int | None = DEFAULT_RETURN_DAYS,
    channels: frozenset[str] | None = None,
) -> RuleRow:
    chosen = resolve_model(limit, model)
    cut_s = -1 if cut is None else cut.hour * 3600 + cut.minute * 60 + cut.second
    mask = _ALL_CHANNELS if channels is None else sum(_CHANNEL_BITS[c] for c in channels)
    return (
        limit.value,
        unit_code(limit.unit),
        cut_s,
        model_code(chosen),
        policy_code(pol),
        np.inf if window is None else window,
        apology_due is ApologyDue.AT_LIMIT_END,
        -1 if return_days is None else return_days,
        mask,
    )


def _inline_rule(key: tuple[str, str, str]) -> RuleRow | None:
    """Rules from the inline texts (limit, cutoff, policy), or None if they do not read."""
    text, cut_text, pol_text = key  # a tuple: the texts may hold any character, "|" too
    if not text:
        return None
    try:
        limit = TimeLimit.parse(text)
        cut = parse_clock(cut_text) if cut_text else None
        pol = SupplementPolicy(pol_text) if pol_text else SupplementPolicy.RESTART
    except (ValueError, ProcflowError):
        return None
    return _rule_of(limit, cut, None, pol)


def _rules(codes: Codes, received: np.ndarray, procedures: Procedures) -> _Rules:
    """Counting rules per row, by procedure version or inline text; ``bad`` rows go scalar.

    Each distinct text or procedure is read once (dictionary encoding), then spread.
    """
    n = len(received)
    unknown: RuleRow = tuple(fill for _, _, fill in _FIELDS)  # type: ignore[assignment]
    # Every row points into one list of rule rows: 0 is unknown, then the inline texts',
    # then the procedure versions'; each field is then one gather.
    chosen = np.zeros(n, dtype=np.int64)
    bad = np.zeros(n, dtype=bool)
    pid_codes, pids = codes["procedure_id"]
    parts = [codes[name] for name in ("time_limit", "cutoff", "supplement_policy")]
    sizes = [len(values) for _, values in parts]
    combined = (parts[0][0] * sizes[1] + parts[1][0]) * sizes[2] + parts[2][0]
    # The distinct combinations, without sorting a million keys: mark, then number them.
    seen = np.zeros(sizes[0] * sizes[1] * sizes[2], dtype=bool)
    seen[combined] = True
    distinct = np.flatnonzero(seen)
    number = np.zeros(len(seen), dtype=np.int64)
    number[distinct] = np.arange(len(distinct))
    key_codes = number[combined]
    key_values = [
        (
            parts[0][1][c // (sizes[1] * sizes[2])],
            parts[1][1][(c // sizes[2]) % sizes[1]],
            parts[2][1][c % sizes[2]],
        )
        for c in distinct.tolist()
    ]
    inline = (
        np.asarray([p == "" for p in pids], dtype=bool)[pid_codes] if pids else np.ones(n, bool)
    )
    # Inline rules: one lookup table over the distinct texts.
    table_rules = [_inline_rule(k) for k in key_values]
    known = np.asarray([r is not None for r in table_rules], dtype=bool)
    table: list[RuleRow] = [unknown, *(r or unknown for r in table_rules)]
    chosen[inline] = key_codes[inline] + 1
    if table_rules:
        bad |= inline & ~known[key_codes]
    # Procedures: rows naming one must not also give a limit; versions by receipt date.
    no_text = (
        np.asarray([k == ("", "", "") for k in key_values], dtype=bool)[key_codes]
        if key_values
        else np.ones(n, bool)
    )
    bad |= ~inline & (~no_text | (procedures is None))
    if procedures is not None:
        day = received // _DAY
        # Every (procedure, version) gets a slot; a row finds its slot by code and date.
        slot = np.full(n, -1, dtype=np.int64)
        slots: list[RuleRow] = []
        # The rows of each procedure, by one stable sort of the codes (not a pass per code).
        counts = np.bincount(pid_codes, minlength=len(pids))
        small = pid_codes.astype(np.int16) if len(pids) < 2**15 else pid_codes
        order = np.argsort(small, kind="stable")  # a radix sort for 16-bit codes
        ends = np.cumsum(counts)
        for code, name in enumerate(pids):
            if name == "" or counts[code] == 0:
                continue
            members = order[ends[code] - counts[code] : ends[code]]
            member_days = day[members]
            for p in _versions(procedures, name):
                here = members[in_force_rows(p, member_days)]
                r = p.rules
                slot[here] = len(slots)
                slots.append(
                    _rule_of(
                        p.time_limit,
                        r.cutoff,
                        r.model,
                        r.supplement_policy,
                        r.supplement_window,
                        r.apology_due,
                        r.supplement_return_days,
                        r.cutoff_channels,
                    )
                )
        named = ~inline & ~bad
        bad |= named & (slot < 0)
        found = named & (slot >= 0)
        chosen[found] = slot[found] + len(table)
        table += slots
    out = {
        name: np.asarray(values, dtype=dtype)[chosen]
        for (name, dtype, _), values in zip(_FIELDS, zip(*table, strict=True), strict=True)
    }
    # A cut-off for some channels only applies to the rows of those channels.
    channel_codes, channel_values = codes["channel"]
    bits = np.asarray([_CHANNEL_BITS.get(v, 0) for v in channel_values] or [2], dtype=np.int8)
    applies = (bits[channel_codes] & out["channels"]) != 0 if channel_values else True
    cutoff = np.where(applies, out["cutoff"], -1)
    return _Rules(
        value=out["value"],
        unit=out["unit"],
        cutoff=cutoff,
        model=out["model"],
        policy=out["policy"],
        window=out["window"],
        apology_end=out["apology_end"],
        return_days=out["return_days"],
        bad=bad,
    )


def in_force_rows(p: Procedure, day: np.ndarray) -> np.ndarray:
    """Which receipt days (days since 1970-01-01) fall in the version's span in force.

    The same span as :meth:`procflow.procedure.Procedure.in_force` (one rule).
    """
    first, last = (d.toordinal() - _EPOCH for d in p.in_force_span())
    rows: np.ndarray = (day >= first) & (day <= last)
    return rows


def _versions(procedures: Procedures, pid: str) -> tuple[Procedure, ...]:
    """Every version of a procedure (a plain mapping has one, in force always)."""
    if procedures is None:
        return ()
    if isinstance(procedures, ProcedureLibrary):
        return procedures.get(pid, ())
    found = procedures.get(pid)
    if found is None:
        return ()
    return (found.model_copy(update={"effective_from": date.min, "effective_to": None}),)

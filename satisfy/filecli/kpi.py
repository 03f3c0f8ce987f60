"""``satisfy kpi``: contact-centre KPIs of an interaction file, without a database.

Examples::

    satisfy kpi --data data_anonymous_bank_february.txt --format anonymous-bank --json
    satisfy kpi --data calls.csv --format csv --map calls.yaml --by date,queue --json
    satisfy kpi --data calls.csv --format csv --agent-states states.csv \
        --agent-states-map states.yaml --by agent,interval --json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from satisfy.analytics.contact_centre import (
    OccupancySummary,
    QueueKpis,
    active_contact_resolution,
    group_index,
    interval_starts,
    occupancy_by_group,
    queue_kpis,
    repeat_contact_flags,
    split_at_intervals,
    summarise_queue_by_group,
)
from satisfy.analytics.contact_centre._common import wilson
from satisfy.formats.agent_states import (
    AgentStateFileError,
    AgentStateRecords,
    load_agent_state_mapping,
    read_agent_states,
)
from satisfy.formats.anonymous_bank import read_anonymous_bank
from satisfy.formats.interactions_csv import (
    InteractionFileError,
    InteractionRecords,
    load_mapping,
    read_interactions,
)

GROUP_KEYS = (
    "date",
    "hour",
    "weekday",
    "interval",
    "queue",
    "agent",
    "unit",
    "channel",
)
_ALIASES = {"type": "queue", "call_type": "queue", "team": "unit"}
#: Grouping keys that agent-state records carry (occupancy per group needs only these).
OCCUPANCY_KEYS = ("date", "hour", "weekday", "interval", "agent")
_QUEUE_OUTCOMES = ("answered", "abandoned_queue")
_MAX_WARNINGS = 20


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="satisfy kpi",
        description="Contact-centre KPIs (service level in every variant, ASA, "
        "abandonment, AHT, FCR) of an interaction file.",
    )
    p.add_argument(
        "--data", required=True, help="the interaction file (.txt, .csv, .xlsx)"
    )
    p.add_argument(
        "--format",
        required=True,
        choices=("anonymous-bank", "csv"),
        help="anonymous-bank: Technion Anonymous Bank log; csv: CSV or XLSX with --map",
    )
    p.add_argument("--map", help="YAML column mapping for --format csv")
    p.add_argument(
        "--by",
        default="",
        help=f"comma-separated grouping keys: {', '.join(GROUP_KEYS)} (type = queue)",
    )
    p.add_argument("--interval-minutes", type=int, default=30, choices=(15, 30, 60))
    p.add_argument(
        "--answer-within",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="service-level threshold T (default 20)",
    )
    p.add_argument(
        "--short-abandon",
        type=float,
        default=None,
        metavar="SECONDS",
        help="abandons within this many seconds are not offered calls",
    )
    p.add_argument("--fcr-window-days", type=float, default=7.0, metavar="N")
    p.add_argument("--alpha", type=float, default=0.05)
    p.add_argument(
        "--agent-states",
        metavar="FILE",
        help="agent-state file (CSV or XLSX: agent, state, start, end or "
        "duration_seconds): adds occupancy",
    )
    p.add_argument(
        "--agent-states-map",
        metavar="MAP.yaml",
        help="YAML column and state-name mapping for --agent-states",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _load(args: argparse.Namespace) -> InteractionRecords:
    path = Path(args.data)
    if not path.is_file():
        raise _UsageError(f"{args.data}: no such file")
    if args.format == "anonymous-bank":
        if args.map:
            raise _UsageError("--map is only used with --format csv")
        return read_anonymous_bank(path)
    mapping = load_mapping(args.map) if args.map else None
    return read_interactions(path, mapping)


def _group_keys(spec: str) -> list[str]:
    keys = []
    for raw in (k.strip().lower() for k in spec.split(",")):
        if not raw:
            continue
        key = _ALIASES.get(raw, raw)
        if key not in GROUP_KEYS:
            raise _UsageError(
                f"--by: unknown key {raw!r}; expected some of {', '.join(GROUP_KEYS)}"
            )
        keys.append(key)
    return keys


def _time_key(
    t: np.ndarray[Any, Any], key: str, interval_minutes: int
) -> np.ndarray[Any, Any]:
    """The value of a time grouping key for each ``datetime64[s]`` time."""
    out: np.ndarray[Any, Any]
    if key == "date":
        out = t.astype("datetime64[D]").astype(str)
        return out
    if key == "hour":
        out = (t - t.astype("datetime64[D]")).astype(np.int64) // 3600
        return out
    if key == "weekday":
        names = np.array(
            [
                "Thursday",
                "Friday",
                "Saturday",
                "Sunday",
                "Monday",
                "Tuesday",
                "Wednesday",
            ]
        )
        out = names[t.astype("datetime64[D]").astype(np.int64) % 7]
        return out
    starts = interval_starts(t.astype(np.int64), interval_minutes=interval_minutes)
    out = starts.astype("datetime64[s]").astype(str)
    return out


def _key_values(
    rec: InteractionRecords, key: str, interval_minutes: int
) -> np.ndarray[Any, Any]:
    if key in ("date", "hour", "weekday", "interval"):
        return _time_key(rec.arrived_at, key, interval_minutes)
    values: np.ndarray[Any, Any] = getattr(rec, key).astype(str)
    return values


def _r(x: float | None, digits: int = 6) -> float | None:
    return None if x is None else round(float(x), digits)


def _kpi_block(k: QueueKpis, calls: int, excluded: dict[str, int]) -> dict[str, Any]:
    sl = k.service_level
    return {
        "calls": calls,
        "excluded": excluded,
        "offered": k.offered,
        "answered": k.answered,
        "abandoned": k.abandoned,
        "service_level": {v.name: _r(v.value) for v in sl.variants},
        "service_level_detail": {
            v.name: {
                "value": _r(v.value),
                "numerator": v.numerator,
                "denominator": v.denominator,
                "ci_low": _r(v.ci_low),
                "ci_high": _r(v.ci_high),
                "formula": v.description,
            }
            for v in sl.variants
        },
        "answered_within": sl.answered_within,
        "abandoned_within": sl.abandoned_within,
        "asa_seconds": _r(k.asa_seconds, 3),
        "average_wait_seconds": _r(k.average_wait_seconds, 3),
        "average_time_to_abandon_seconds": _r(k.average_time_to_abandon_seconds, 3),
        "abandonment_rate": _r(k.abandonment_rate),
        "answer_rate": _r(k.answer_rate),
        "aht_seconds": _r(k.aht_seconds, 3),
        "aht_components": list(k.aht_components),
        "transfer_rate": _r(k.transfer_rate),
        "escalation_rate": _r(k.escalation_rate),
    }


def _repeat_block(
    flags: np.ndarray[Any, Any], base: np.ndarray[Any, Any], window: float, alpha: float
) -> dict[str, Any]:
    f = flags[base]
    evaluable = int((~np.isnan(f)).sum())
    repeats = int(np.nansum(f))
    low, high = (
        wilson(evaluable - repeats, evaluable, alpha) if evaluable else (None, None)
    )
    return {
        "window_days": window,
        "contacts": int(base.sum()),
        "not_evaluable": int(base.sum()) - evaluable,
        "evaluable": evaluable,
        "repeats": repeats,
        "repeat_rate": _r(repeats / evaluable) if evaluable else None,
        "fcr_rate": _r(1 - repeats / evaluable) if evaluable else None,
        "fcr_ci_low": _r(low),
        "fcr_ci_high": _r(high),
    }


def _occupancy_block(o: OccupancySummary) -> dict[str, Any]:
    return {
        "value": _r(o.occupancy),
        "handling_seconds": _r(o.handling_seconds, 3),
        "available_seconds": _r(o.available_seconds, 3),
        "agents": o.agents,
        "talk_seconds": _r(o.talk_seconds, 3),
        "hold_seconds": _r(o.hold_seconds, 3),
        "after_call_work_seconds": _r(o.after_call_work_seconds, 3),
        "not_ready_seconds": _r(o.not_ready_seconds, 3),
        "logged_in_seconds": _r(o.logged_in_seconds, 3),
        "utilisation": _r(o.utilisation),
    }


def _add_occupancy(
    report: dict[str, Any],
    states: AgentStateRecords,
    keys: list[str],
    args: argparse.Namespace,
    empty_block: dict[str, Any],
) -> None:
    """Occupancy of the agent-state file, overall and per group of ``keys``."""
    pieces = split_at_intervals(
        states.start_seconds, states.end_seconds, interval_minutes=args.interval_minutes
    )
    classes = states.state_class[pieces.record]
    agent = states.agent[pieces.record]
    [overall] = occupancy_by_group(
        np.zeros(len(pieces), dtype=np.int64), 1, classes, pieces.seconds, agent
    )
    block = _occupancy_block(overall)
    block["source"] = states.source
    block["format"] = states.format
    block["records"] = len(states)
    block["first"] = str(states.start.min()).replace("T", " ") if len(states) else None
    block["last"] = str(states.end.max()).replace("T", " ") if len(states) else None
    report["occupancy"] = block
    if not keys:
        return
    if not set(keys) <= set(OCCUPANCY_KEYS):
        block["groups"] = (
            "not per group: agent states carry only the keys "
            f"{', '.join(OCCUPANCY_KEYS)}"
        )
        return
    block["groups"] = "in each group"
    times = pieces.interval_start.astype("datetime64[s]")
    columns = [
        agent.astype(str)
        if k == "agent"
        else _time_key(times, k, args.interval_minutes)
        for k in keys
    ]
    index, labels = group_index(*columns)
    per_group = occupancy_by_group(index, len(labels), classes, pieces.seconds, agent)
    groups: dict[str, Any] = report["groups"]
    none = _occupancy_block(OccupancySummary((0.0,) * 6, 0))
    for g in groups.values():
        g["occupancy"] = none
    for label, summary in zip(labels, per_group, strict=True):
        name = "|".join(str(v) for v in label)
        if name not in groups:
            # logged in without any interaction in the group: occupancy only
            groups[name] = {
                **empty_block,
                "key": dict(zip(keys, label, strict=True)),
            }
        groups[name]["occupancy"] = _occupancy_block(summary)
    report["groups"] = dict(sorted(groups.items()))


def compute(
    rec: InteractionRecords,
    args: argparse.Namespace,
    states: AgentStateRecords | None = None,
) -> dict[str, Any]:
    """The JSON-ready KPI report of ``rec`` for the parsed command-line ``args``.

    With ``states`` (an agent-state file) the report has ``occupancy``, overall
    and in each group when the grouping keys are among ``OCCUPANCY_KEYS``.
    """
    keys = _group_keys(args.by)
    n = len(rec)
    in_queue = np.isin(rec.outcome, _QUEUE_OUTCOMES)
    answered = rec.outcome == "answered"
    if keys:
        index, labels = group_index(
            *(_key_values(rec, k, args.interval_minutes) for k in keys)
        )
    else:
        index, labels = np.zeros(n, dtype=np.int64), [()]
    n_groups = len(labels)
    q = in_queue
    optional = {
        name: getattr(rec, name)[q] if rec.has(name) else None
        for name in (
            "talk_seconds",
            "hold_seconds",
            "after_call_work_seconds",
            "transfers",
            "is_escalated",
        )
    }
    common = {
        "answer_within_seconds": args.answer_within,
        "short_abandon_seconds": args.short_abandon,
        **optional,
    }
    overall = summarise_queue_by_group(
        np.zeros(int(q.sum()), dtype=np.int64),
        1,
        rec.wait_seconds[q],
        answered[q],
        **common,
    )[0]
    per_group = (
        summarise_queue_by_group(
            index[q], n_groups, rec.wait_seconds[q], answered[q], **common
        )
        if keys
        else ()
    )

    times = rec.arrived_at.astype(np.int64).astype(np.float64)
    flags = repeat_contact_flags(
        rec.customer_id, times, window_days=args.fcr_window_days
    )

    def excluded(
        mask: np.ndarray[Any, Any], summary_short: int, top: bool
    ) -> dict[str, int]:
        out: dict[str, int] = dict(rec.excluded) if top else {}
        for outcome in ("abandoned_ivr", "callback"):
            c = int((mask & (rec.outcome == outcome)).sum())
            if c or outcome == "abandoned_ivr":
                out[outcome] = c
        out["short_abandon"] = summary_short
        return out

    all_rows = np.ones(n, dtype=np.bool_)
    report: dict[str, Any] = {
        "source": rec.source,
        "format": rec.format,
        "answer_within_seconds": args.answer_within,
        "short_abandon_seconds": args.short_abandon,
        **_kpi_block(
            queue_kpis(overall, alpha=args.alpha),
            rec.rows_read,
            excluded(all_rows, overall.short_abandons, True),
        ),
        "repeat_contacts": _repeat_block(
            flags, answered, args.fcr_window_days, args.alpha
        ),
        "warnings": {
            "count": len(rec.warnings),
            "rows": [
                {
                    "row": w.row,
                    "column": w.column,
                    "value": w.value,
                    "message": w.message,
                }
                for w in rec.warnings[:_MAX_WARNINGS]
            ],
        },
    }
    if rec.has("agent"):
        acr = active_contact_resolution(
            np.where(answered, rec.agent, ""),
            rec.customer_id,
            times,
            window_days=args.fcr_window_days,
        )
        report["active_contact_resolution"] = {
            a.agent: {
                "handled": a.handled,
                "evaluable": a.evaluable,
                "resolved": a.resolved,
                "rate": _r(a.rate),
                "ci_low": _r(a.ci_low),
                "ci_high": _r(a.ci_high),
            }
            for a in acr
        }
    if keys:
        groups: dict[str, Any] = {}
        for g, label in enumerate(labels):
            mask = index == g
            block = _kpi_block(
                queue_kpis(per_group[g], alpha=args.alpha),
                int(mask.sum()),
                excluded(mask, per_group[g].short_abandons, False),
            )
            block["key"] = dict(zip(keys, label, strict=True))
            block["repeat_contacts"] = _repeat_block(
                flags, mask & answered, args.fcr_window_days, args.alpha
            )
            groups["|".join(str(v) for v in label)] = block
        report["group_by"] = keys
        report["groups"] = groups
    if states is not None:
        empty = summarise_queue_by_group(
            np.zeros(0, dtype=np.int64),
            1,
            np.zeros(0),
            np.zeros(0, dtype=np.bool_),
            answer_within_seconds=args.answer_within,
            short_abandon_seconds=args.short_abandon,
        )[0]
        empty_block = _kpi_block(
            queue_kpis(empty, alpha=args.alpha), 0, {"short_abandon": 0}
        )
        _add_occupancy(report, states, keys, args, empty_block)
    return report


def _print_text(report: dict[str, Any]) -> None:
    print(f"{report['source']} ({report['format']})")
    print(f"  calls {report['calls']}, excluded {report['excluded']}")
    print(
        f"  offered {report['offered']}, answered {report['answered']}, "
        f"abandoned {report['abandoned']}"
    )
    t = report["answer_within_seconds"]
    for name, value in report["service_level"].items():
        shown = "n/a" if value is None else f"{value:.1%}"
        print(f"  service level within {t:g} s [{name}]: {shown}")
    for key in (
        "asa_seconds",
        "average_wait_seconds",
        "average_time_to_abandon_seconds",
        "aht_seconds",
    ):
        print(f"  {key}: {report[key]}")
    print(f"  abandonment_rate: {report['abandonment_rate']}")
    rc = report["repeat_contacts"]
    print(
        f"  FCR ({rc['window_days']:g}-day repeat method): {rc['fcr_rate']} (n={rc['evaluable']})"
    )
    occ = report.get("occupancy")
    if occ is not None:
        shown = "n/a" if occ["value"] is None else f"{occ['value']:.1%}"
        print(
            f"  occupancy (agent states): {shown} = handling {occ['handling_seconds']:g} s"
            f" / (handling + available {occ['available_seconds']:g} s), "
            f"{occ['agents']} agents"
        )
    if report["warnings"]["count"]:
        print(f"  {report['warnings']['count']} rows with warnings (see --json)")
    for key in report.get("groups", {}):
        g = report["groups"][key]
        line = (
            f"  [{key}] offered {g['offered']}, ASA {g['asa_seconds']}, "
            f"abandon {g['abandonment_rate']}"
        )
        if "occupancy" in g:
            line += f", occupancy {g['occupancy']['value']}"
        print(line)


def main(argv: Sequence[str]) -> int:
    """Run ``satisfy kpi``; returns the exit code (2 on bad input)."""
    args = _parser().parse_args(list(argv))
    try:
        if args.short_abandon is not None and args.short_abandon < 0:
            raise _UsageError("--short-abandon cannot be negative")
        if args.answer_within < 0:
            raise _UsageError("--answer-within cannot be negative")
        if args.fcr_window_days <= 0:
            raise _UsageError("--fcr-window-days must be positive")
        if args.agent_states_map and not args.agent_states:
            raise _UsageError("--agent-states-map needs --agent-states FILE")
        rec = _load(args)
        states = None
        if args.agent_states:
            if not Path(args.agent_states).is_file():
                raise _UsageError(f"{args.agent_states}: no such file")
            state_map = (
                load_agent_state_mapping(args.agent_states_map)
                if args.agent_states_map
                else None
            )
            states = read_agent_states(args.agent_states, state_map)
        report = compute(rec, args, states)
    except (InteractionFileError, _UsageError, ValueError) as exc:
        print(f"satisfy kpi: error: {exc}", file=sys.stderr)
        if isinstance(exc, AgentStateFileError):
            for issue in exc.issues[1:_MAX_WARNINGS]:
                print(f"  {issue}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        _print_text(report)
    return 0

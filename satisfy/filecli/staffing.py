"""``satisfy staffing``: Erlang C agents for one interval, without a database.

Example::

    satisfy staffing --calls 100 --interval-seconds 1800 --aht-seconds 180 \\
        --target 0.8 --answer-within 20 --max-occupancy 0.85 --shrinkage 0.3 --json
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import Any

from satisfy.analytics.staffing import queue_performance, required_agents


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="satisfy staffing",
        description="Agents needed to answer a share of calls within a time (Erlang C), "
        "then a maximum-occupancy cap, then shrinkage.",
    )
    p.add_argument(
        "--calls", type=float, required=True, help="calls arriving in the interval"
    )
    p.add_argument("--interval-seconds", type=float, default=1800.0)
    p.add_argument(
        "--aht-seconds", type=float, required=True, help="average handling time"
    )
    p.add_argument(
        "--target", type=float, default=0.8, help="service-level target, e.g. 0.8"
    )
    p.add_argument("--answer-within", type=float, default=20.0, metavar="SECONDS")
    p.add_argument("--max-occupancy", type=float, default=None, metavar="X")
    p.add_argument("--shrinkage", type=float, default=0.0, metavar="Y")
    p.add_argument(
        "--agents",
        type=int,
        default=None,
        help="evaluate this many agents instead of finding the number needed",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    return p


def _check(args: argparse.Namespace) -> None:
    for name in (
        "calls",
        "interval_seconds",
        "aht_seconds",
        "answer_within",
        "target",
        "shrinkage",
    ):
        value = getattr(args, name)
        if not math.isfinite(value):
            raise ValueError(f"--{name.replace('_', '-')} must be a finite number")
    if args.calls < 0:
        raise ValueError("--calls cannot be negative")
    if args.interval_seconds <= 0:
        raise ValueError("--interval-seconds must be greater than 0")
    if args.aht_seconds <= 0:
        raise ValueError("--aht-seconds must be greater than 0")
    if not 0 <= args.shrinkage < 1:
        raise ValueError(f"--shrinkage must be in [0, 1), got {args.shrinkage:g}")
    if args.agents is not None and args.agents < 0:
        raise ValueError("--agents cannot be negative")


def compute(args: argparse.Namespace) -> dict[str, Any]:
    """The JSON-ready staffing report for the parsed command-line ``args``."""
    _check(args)
    if args.agents is not None:
        traffic = args.calls * args.aht_seconds / args.interval_seconds
        if args.agents <= traffic:
            raise ValueError(
                f"overloaded: {args.calls:g} calls of {args.aht_seconds:g} s in "
                f"{args.interval_seconds:g} s are {traffic:.2f} erlangs of work, at least "
                f"the {args.agents} agents given; the queue would grow without bound. "
                f"At least {math.floor(traffic) + 1} agents are needed."
            )
        perf = queue_performance(
            calls=args.calls,
            interval_seconds=args.interval_seconds,
            aht_seconds=args.aht_seconds,
            agents=args.agents,
            answer_within_seconds=args.answer_within,
        )
        scheduled = math.ceil(perf.agents / (1 - args.shrinkage) - 1e-9)
        return {
            "agents": perf.agents,
            "scheduled_agents": scheduled,
            "service_level": perf.service_level,
            "probability_wait": perf.probability_wait,
            "asa_seconds": perf.asa_seconds,
            "occupancy": perf.occupancy,
            "traffic_erlangs": perf.traffic_erlangs,
            "meets_target": perf.service_level >= args.target,
            "answer_within_seconds": args.answer_within,
        }
    r = required_agents(
        calls=args.calls,
        interval_seconds=args.interval_seconds,
        aht_seconds=args.aht_seconds,
        target_service_level=args.target,
        answer_within_seconds=args.answer_within,
        max_occupancy=args.max_occupancy,
        shrinkage=args.shrinkage,
    )
    return {
        "agents": r.agents,
        "scheduled_agents": r.scheduled_agents,
        "agents_for_service_level": r.agents_for_service_level,
        "binding": r.binding,
        "service_level": r.service_level,
        "probability_wait": r.probability_wait,
        "asa_seconds": r.asa_seconds,
        "occupancy": r.occupancy,
        "traffic_erlangs": r.traffic_erlangs,
        "target_service_level": r.target_service_level,
        "answer_within_seconds": r.answer_within_seconds,
        "max_occupancy": r.max_occupancy,
        "shrinkage": r.shrinkage,
    }


def main(argv: Sequence[str]) -> int:
    """Run ``satisfy staffing``; returns the exit code (2 on bad input)."""
    args = _parser().parse_args(list(argv))
    try:
        report = compute(args)
    except ValueError as exc:
        print(f"satisfy staffing: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report))
    else:
        print(
            f"{report['agents']} agents on the phones ({report['scheduled_agents']} scheduled): "
            f"service level {report['service_level']:.1%} within "
            f"{report['answer_within_seconds']:g} s, ASA {report['asa_seconds']:.1f} s, "
            f"occupancy {report['occupancy']:.1%}, P(wait) {report['probability_wait']:.1%}, "
            f"traffic {report['traffic_erlangs']:.2f} erlangs"
        )
    return 0

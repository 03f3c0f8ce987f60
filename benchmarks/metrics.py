"""Benchmark of the satisfaction metrics: 10 M answers and 10,000 groups.

Targets (issue #3): NPS, CSAT, CSI with their intervals for 10,000,000 answers in
under 1 s from raw values and under 10 ms from summaries.

Run::

    .venv/bin/python benchmarks/metrics.py               # 10 M answers, 10,000 groups
    .venv/bin/python benchmarks/metrics.py --n 1000000 --groups 1000 --repeat 3

Every figure is the median wall time of ``--repeat`` runs after one warm-up run (the
first touch of large arrays pays for page faults that later runs do not), with the best
run in brackets: on a busy machine the best run is closer to the cost of the code.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from satisfy.analytics import (
    CSAT_SCALE,
    NPS_SCALE,
    AnswerSummary,
    GroupedSummary,
    ItemsSummary,
    csat,
    csi,
    nps,
)

BEST: dict[float, float] = {}


def timed(fn: Callable[[], Any], repeat: int) -> float:
    """Median seconds of ``repeat`` calls after one warm-up call (best run kept aside)."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    median = statistics.median(runs)
    BEST[median] = min(runs)
    return median


def _fmt(seconds: float) -> str:
    if seconds >= 0.1:
        return f"{seconds:8.3f} s "
    if seconds >= 1e-4:
        return f"{seconds * 1e3:8.2f} ms"
    return f"{seconds * 1e6:8.1f} µs"


def show(label: str, seconds: float, target: float | None = None) -> None:
    """One line: median, best run in brackets, and the target verdict (on the median)."""
    text = _fmt(seconds)
    if seconds in BEST:
        text += f" (best {_fmt(BEST[seconds]).strip()})"
    mark = ""
    if target is not None:
        mark = "  ok" if seconds < target else f"  OVER target {target:g} s"
    print(f"  {label:<56}{text}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000_000, help="answers")
    parser.add_argument("--groups", type=int, default=10_000, help="units")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per figure")
    args = parser.parse_args()
    n, groups, repeat = args.n, args.groups, args.repeat

    rng = np.random.default_rng(2024)
    likelihood = rng.choice(11, size=n, p=[0.03] * 7 + [0.1, 0.19, 0.25, 0.25])
    satisfaction = rng.choice(np.arange(1, 6), size=n, p=[0.05, 0.1, 0.15, 0.4, 0.3])
    weights = rng.gamma(4.0, 0.25, size=n)
    unit = rng.integers(0, groups, size=n)
    items = rng.integers(1, 6, size=(n // 5, 5)).astype(np.float64)

    print(f"satisfy.analytics metrics benchmark: {n:,} answers, {groups:,} groups")
    print(
        f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}"
    )
    print(f"median of {repeat} runs after a warm-up\n")

    print(f"From raw values ({n:,} integer answers, with intervals)")
    t_nps = timed(lambda: nps(likelihood), repeat)
    t_csat = timed(lambda: csat(satisfaction), repeat)
    t_csi = timed(lambda: csi(satisfaction), repeat)
    show("NPS (Wald interval)", t_nps)
    show("CSAT top-2 of 1-5 (Wilson interval)", t_csat)
    show("CSI one item 1-5 -> 0-100 (t interval)", t_csi)
    show("NPS + CSAT + CSI", t_nps + t_csat + t_csi, target=1.0)
    show(
        "NPS weighted (linearisation variance, Kish n_eff)",
        timed(lambda: nps(likelihood, weights=weights), repeat),
    )
    show(
        "NPS from float64 answers",
        timed(lambda: nps(likelihood.astype(np.float64)), repeat),
    )

    print(f"\nFrom raw values by unit ({n:,} answers, {groups:,} units)")
    t_group_nps = timed(
        lambda: GroupedSummary.from_values(likelihood, unit, scale=NPS_SCALE), repeat
    )
    t_group_csat = timed(
        lambda: GroupedSummary.from_values(satisfaction, unit, scale=CSAT_SCALE), repeat
    )
    grouped_nps = GroupedSummary.from_values(likelihood, unit, scale=NPS_SCALE)
    grouped_csat = GroupedSummary.from_values(satisfaction, unit, scale=CSAT_SCALE)
    t_scores = timed(
        lambda: (nps(grouped_nps), csat(grouped_csat), csi(grouped_csat)), repeat
    )
    show("summarise NPS answers by unit (one pass)", t_group_nps)
    show("summarise 1-5 answers by unit (one pass)", t_group_csat)
    show("NPS + CSAT + CSI for every unit from those summaries", t_scores)
    show(
        "total raw -> NPS, CSAT, CSI for every unit",
        t_group_nps + t_group_csat + t_scores,
    )

    print(f"\nFrom summaries (what rollup tables store; same {n:,} answers)")
    s_nps = AnswerSummary.from_values(likelihood, scale=NPS_SCALE)
    s_csat = AnswerSummary.from_values(satisfaction, scale=CSAT_SCALE)
    s_items = ItemsSummary.from_matrix(items[:1000], scales=CSAT_SCALE)
    many = max(repeat, 200)
    t_one = timed(lambda: (nps(s_nps), csat(s_csat), csi(s_csat)), many)
    show("NPS + CSAT + CSI from one summary each", t_one, target=0.010)
    show(
        "CSI 5 items from an ItemsSummary (5x5 sums, any n)",
        timed(lambda: csi(s_items), many),
        target=0.010,
    )
    t_units = timed(
        lambda: (nps(grouped_nps), csat(grouped_csat), csi(grouped_csat)), repeat
    )
    show(f"NPS + CSAT + CSI for {groups:,} units from summaries", t_units, target=0.010)
    show(
        f"  ... as JSON-ready dicts for {groups:,} units (to_dict)",
        timed(lambda: nps(grouped_nps).to_dict(), repeat),
    )
    show(
        f"  ... as {groups:,} NPSResult objects (items)",
        timed(lambda: nps(grouped_nps).items(), repeat),
    )
    daily = [s_nps] * 365
    show("merge 365 daily summaries (sum)", timed(lambda: sum(daily), repeat))
    show(
        "JSON round trip of one summary",
        timed(lambda: AnswerSummary.from_dict(s_nps.to_dict()), many),
    )

    # last: the matrix products wake BLAS threads that keep spinning for a while
    # and would slow the small timings above on a machine with few cores
    print(f"\nCSI over several items from raw values ({n:,} answers)")
    show(
        f"CSI 5 items x {n // 5:,} respondents (pairwise covariances)",
        timed(lambda: csi(items), repeat),
    )


if __name__ == "__main__":
    main()

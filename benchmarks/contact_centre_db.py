"""Contact-centre data in the database: import speed and KPI query time.

Measures, on SQLite and on PostgreSQL (each in a fresh database):

1. importing the February 1999 Anonymous Bank log (33,344 rows; parse + validate
   + store + KPI rollups of its days), target < 3 s;
2. loading a synthetic year of calls (default 10,000,000 on PostgreSQL, 1,000,000
   on SQLite) through the same import service, in monthly chunks: rows/s (each
   import also rebuilds the rollups of its days);
3. rebuilding every interaction rollup from scratch (``rebuild_all``, what
   ``satisfy rebuild_interaction_rollups`` runs): seconds and rows;
4. KPIs by call type x day on that year from the rollups (the path the API and
   dashboard take), target < 2 s on PostgreSQL, and the same read on the raw rows
   for comparison (the two results are checked to be identical);
5. the operations dashboard's whole report (intervals, staffing, queues, agents,
   units, days, FCR and ACR) for the year's last 28 days, rollups and raw.

Usage::

    .venv/bin/python benchmarks/contact_centre_db.py \\
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres] \\
        [--year-rows 10000000] [--sqlite-year-rows 1000000] [--only sqlite|postgresql]

PostgreSQL: the script creates and drops a database ``satisfy_bench_cc`` through
the given server URL. Data: Anonymous Bank call-center data, Technion Service
Enterprise Engineering Center (I. Guedj, A. Mandelbaum), 1999.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
FEBRUARY = (
    REPO.parent / "shared" / "data" / "callcenter" / "data_anonymous_bank_february.txt"
)
BENCH_DB = "satisfy_bench_cc"
CHUNK_ROWS = 1_000_000


def _synthetic_month(month: int, n: int, seed: int) -> Any:
    """``n`` voice calls in month ``month`` of 2023 as ``InteractionRecords``."""
    import numpy as np

    from satisfy.formats.interactions_csv import InteractionRecords

    rng = np.random.default_rng(seed + month)
    start = np.datetime64(f"2023-{month:02d}-01T00:00:00")
    end = (
        np.datetime64("2024-01-01T00:00:00")
        if month == 12
        else np.datetime64(f"2023-{month + 1:02d}-01T00:00:00")
    )
    days = int((end - start) / np.timedelta64(1, "D"))
    hour_profile = np.array(
        [
            0,
            0,
            0,
            0,
            0,
            0,
            1,
            3,
            8,
            11,
            12,
            12,
            10,
            10,
            11,
            11,
            10,
            8,
            6,
            4,
            3,
            2,
            1,
            0,
        ],
        dtype=float,
    )
    hour_profile /= hour_profile.sum()
    day = rng.integers(0, days, n)
    hour = rng.choice(24, n, p=hour_profile)
    second = rng.integers(0, 3600, n)
    offset = day.astype(np.int64) * 86_400 + hour * 3600 + second
    order = np.argsort(offset, kind="stable")
    arrived = start + offset[order].astype("timedelta64[s]")
    queues = np.array(["PS", "NW", "NE", "IN", "TT"], dtype=object)
    queue = queues[rng.choice(5, n, p=[0.55, 0.2, 0.1, 0.1, 0.05])]
    ivr = rng.random(n) < 0.06
    wait = rng.exponential(60.0, n).round()
    patience = rng.exponential(400.0, n)
    answered = ~ivr & (wait <= patience)
    wait = np.where(answered, wait, np.where(ivr, np.nan, patience.round()))
    outcome = np.where(
        ivr, "abandoned_ivr", np.where(answered, "answered", "abandoned_queue")
    ).astype(object)
    talk = np.where(answered, rng.lognormal(np.log(150), 0.7, n).round(), np.nan)
    agents = np.array([f"AG{i:03d}" for i in range(200)], dtype=object)
    agent = np.where(answered, agents[rng.integers(0, 200, n)], "").astype(object)
    customer = rng.integers(1, 2_000_000, n).astype(str).astype(object)
    ids = np.array([f"y{month:02d}-{i:08d}" for i in range(n)], dtype=object)
    nat = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    unknown = np.full(n, np.nan)
    empty = np.full(n, "", dtype=object)
    return InteractionRecords(
        source=f"synthetic-2023-{month:02d}",
        format="synthetic",
        rows_read=n,
        excluded={},
        warnings=(),
        source_row=np.arange(2, n + 2, dtype=np.int64),
        external_id=ids,
        channel=np.full(n, "voice", dtype=object),
        queue=queue,
        unit=empty,
        agent=agent,
        customer_id=customer,
        reason_code=empty,
        outcome=outcome,
        arrived_at=arrived,
        ivr_exited_at=nat,
        queue_started_at=nat,
        answered_at=nat,
        ended_at=nat,
        ivr_seconds=unknown,
        wait_seconds=wait,
        talk_seconds=talk,
        hold_seconds=unknown,
        after_call_work_seconds=rng.exponential(30.0, n).round(),
        transfers=np.where(answered, (rng.random(n) < 0.1).astype(float), np.nan),
        is_escalated=unknown,
        is_resolved=unknown,
    )


def run_backend(backend: str, year_rows: int) -> dict[str, Any]:
    """Runs inside a child process whose environment selects the database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satisfy.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from satisfy.analytics.contact_centre import queue_kpis
    from satisfy.formats.anonymous_bank import read_anonymous_bank
    from satisfy.interactions import queries
    from satisfy.interactions.models import (
        Interaction,
        InteractionAgentRollup,
        InteractionRollup,
    )
    from satisfy.interactions.rollups import rebuild_all
    from satisfy.interactions.services import import_interactions
    from satisfy.org.services import create_unit

    call_command("migrate", verbosity=0)
    bank = create_unit(name="Anonymous Bank", code="bank", kind="company")
    out: dict[str, Any] = {"backend": backend, "vendor": connection.vendor}

    # 1. The February file, parse + validate + store.
    if FEBRUARY.is_file():
        t0 = time.perf_counter()
        records = read_anonymous_bank(FEBRUARY)
        t1 = time.perf_counter()
        result = import_interactions(records=records, default_unit=bank)
        t2 = time.perf_counter()
        out["february"] = {
            "rows_stored": result.imported,
            "parse_seconds": round(t1 - t0, 3),
            "store_seconds": round(t2 - t1, 3),
            "total_seconds": round(t2 - t0, 3),
            "method": result.method,
        }
        t0 = time.perf_counter()
        by = queries.queue_summaries(queries.Selection(), by=("day", "queue"))
        kpis = [queue_kpis(s) for s in by.values()]
        out["february"]["kpis_type_x_day_seconds"] = round(time.perf_counter() - t0, 3)
        out["february"]["groups"] = len(kpis)
        raw = queries.queue_summaries(Interaction.objects.all(), by=("day", "queue"))
        out["february"]["rollups_identical_to_raw"] = raw == by
        Interaction.objects.all().delete()
        rebuild_all()

    # 2. A synthetic year through the same service, one month per transaction.
    per_month = [year_rows // 12 + (1 if m < year_rows % 12 else 0) for m in range(12)]
    stored = 0
    t0 = time.perf_counter()
    build = 0.0
    for month, n in enumerate(per_month, start=1):
        for part in range(0, n, CHUNK_ROWS):
            size = min(CHUNK_ROWS, n - part)
            b0 = time.perf_counter()
            records = _synthetic_month(month, size, seed=part)
            if part:  # distinct ids per chunk of the same month
                records = _renamed(records, f"p{part}")
            build += time.perf_counter() - b0
            import_interactions(records=records, default_unit=bank)
            stored += size
            elapsed = time.perf_counter() - t0 - build
            print(
                f"  [{backend}] {stored:,} rows stored, {stored / elapsed:,.0f} rows/s",
                file=sys.stderr,
                flush=True,
            )
    load_seconds = time.perf_counter() - t0 - build
    out["year"] = {
        "rows": stored,
        "load_seconds": round(load_seconds, 1),
        "rows_per_second": round(stored / load_seconds),
        "generate_seconds_excluded": round(build, 1),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE interactions_interaction")

    # 3. Every rollup rebuilt from scratch.
    t0 = time.perf_counter()
    rebuilt = rebuild_all()
    out["year"]["rollup_rebuild_seconds"] = round(time.perf_counter() - t0, 1)
    out["year"]["rollup_days"] = rebuilt.days
    out["year"]["rollup_rows"] = InteractionRollup.objects.count()
    out["year"]["agent_rollup_rows"] = InteractionAgentRollup.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (InteractionRollup, InteractionAgentRollup):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")

    # 4. KPIs by type x day on the year (best of three, after one warm-up).
    sql_timings: list[float] = []

    def timed(source: Any, runs: int) -> tuple[float, float, Any]:
        timings = []
        sql_timings.clear()
        for _ in range(runs):
            t0 = time.perf_counter()
            by = queries.queue_summaries(source, by=("day", "queue"))
            sql_timings.append(time.perf_counter() - t0)
            [queue_kpis(s) for s in by.values()]
            timings.append(time.perf_counter() - t0)
        return timings[0], min(timings[1:] or timings), by

    cold, best, by = timed(queries.Selection(), 4)
    out["year"]["kpis_type_x_day_seconds"] = round(best, 3)
    # of which the summaries (SQL and their assembly); the rest is queue_kpis
    out["year"]["summaries_type_x_day_seconds"] = round(min(sql_timings[1:]), 3)
    out["year"]["kpis_type_x_day_cold_seconds"] = round(cold, 3)
    out["year"]["groups"] = len(by)
    _raw_cold, raw_best, raw = timed(Interaction.objects.all(), 2)
    out["year"]["raw_kpis_type_x_day_seconds"] = round(raw_best, 3)
    out["year"]["rollups_identical_to_raw"] = raw == by
    total = queue_kpis(queries.merge_summaries(by.values(), answer_within_seconds=20))
    out["year"]["offered"] = total.offered

    # 5. The operations dashboard's whole report for the year's last 28 days.
    from datetime import date

    from satisfy.interactions.operations import operations_report

    period = queries.Period(date(2023, 12, 4), date(2023, 12, 31))
    for name, source in (
        ("dashboard_28_days", queries.Selection()),
        ("raw_dashboard_28_days", Interaction.objects.all()),
    ):
        t0 = time.perf_counter()
        report = operations_report(source, period=period)
        out["year"][f"{name}_seconds"] = round(time.perf_counter() - t0, 2)
        out["year"][f"{name}_offered"] = report.total.offered
    return out


def _renamed(records: Any, suffix: str) -> Any:
    import dataclasses

    return dataclasses.replace(records, external_id=records.external_id + f"-{suffix}")


def _child(backend: str, url: str | None, year_rows: int) -> dict[str, Any]:
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as data_dir:
        env["SATISFY_DATA_DIR"] = data_dir
        if url:
            env["DATABASE_URL"] = url
        else:
            env.pop("DATABASE_URL", None)
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                backend,
                "--year-rows",
                str(year_rows),
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
            check=True,
        )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--year-rows", type=int, default=10_000_000)
    parser.add_argument("--sqlite-year-rows", type=int, default=1_000_000)
    parser.add_argument("--only", choices=("sqlite", "postgresql"))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_backend(args.child, args.year_rows)))
        return 0
    results = []
    if args.only in (None, "sqlite"):
        results.append(_child("sqlite", None, args.sqlite_year_rows))
    if args.only in (None, "postgresql"):
        base = args.postgres.rsplit("/", 1)[0]
        _admin(args.postgres, f"DROP DATABASE IF EXISTS {BENCH_DB}")
        _admin(args.postgres, f"CREATE DATABASE {BENCH_DB}")
        try:
            results.append(_child("postgresql", f"{base}/{BENCH_DB}", args.year_rows))
        finally:
            _admin(args.postgres, f"DROP DATABASE IF EXISTS {BENCH_DB}")
    for r in results:
        print(json.dumps(r, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of the survey dashboard on rollups, against scanning the raw answers.

Run: ``.venv/bin/python benchmarks/dashboard.py --db sqlite|postgres --responses N``
(default 1,000,000 on SQLite). Creates its own database (a temporary SQLite file, or the
PostgreSQL database ``satisfy_dash_bench`` created and dropped with createdb/dropdb),
generates N complete responses of the post-contact survey over 365 days (7 scale
answers each plus a comment on 5 %: about 7.05 N answers) for 120 agents in 12 teams and
3 channels, bulk-loads them, rebuilds the rollups and prints:

* load and rollup-rebuild times and row counts;
* the main dashboard (4 headline cards with the previous-period comparison, 12-month
  monthly trend, unit breakdown, dimensions and distributions) over 20 runs: p50, p95;
  also filtered to a unit and to an agent (detail grain), and with the comments list;
* the same page computed by scanning the raw answers (one aggregate query per
  section, 3 runs) and the ratio;
* ``--export``: the XLSX export of every response (streamed, constant memory) in a
  child process: seconds, rows written, peak RSS (``resource.getrusage``) and the
  tracemalloc peak of Python allocations.

Targets (issue #7): dashboard p95 < 300 ms on PostgreSQL and < 1 s on SQLite; 1,000,000
responses to XLSX in < 2 minutes and < 500 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = "postgresql://postgres@127.0.0.1:5432"
PG_NAME = "satisfy_dash_bench"
SLUG = "bench-dashboard"


def environment(db: str, data_dir: Path) -> None:
    os.environ["SATISFY_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789abcdef")
    os.environ["DJANGO_SETTINGS_MODULE"] = "satisfy.settings"
    os.environ["LOG_LEVEL"] = "ERROR"
    if db == "postgres":
        os.environ["DATABASE_URL"] = f"{PG}/{PG_NAME}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak() -> None:
    """Forget the inherited peak RSS (Linux keeps it across fork and exec)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def hwm_mb() -> float:
    """Peak RSS since :func:`reset_peak` (VmHWM), else getrusage's lifetime peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss_mb()


def build(n: int, seed: int = 1) -> dict[str, Any]:
    """Org, survey and n responses, bulk-loaded; returns ids for the timings."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from satisfy.accounts.models import RoleAssignment, User
    from satisfy.accounts.services import grant_role
    from satisfy.org.models import Agent, OrgUnit
    from satisfy.org.services import create_agent, create_unit
    from satisfy.surveys.services import create_survey_from_template, publish_survey

    call_command("migrate", verbosity=0)
    company = create_unit(name="Bench Co", code="bench", kind=OrgUnit.Kind.COMPANY)
    teams: list[OrgUnit] = []
    for r in range(2):
        region = create_unit(
            name=f"Region {r}", code=f"r{r}", kind=OrgUnit.Kind.REGION, parent=company
        )
        for b in range(2):
            branch = create_unit(
                name=f"Branch {r}{b}",
                code=f"b{r}{b}",
                kind=OrgUnit.Kind.BRANCH,
                parent=region,
            )
            for t in range(3):
                teams.append(
                    create_unit(
                        name=f"Team {r}{b}{t}",
                        code=f"t{r}{b}{t}",
                        kind=OrgUnit.Kind.TEAM,
                        parent=branch,
                    )
                )
    agents: list[Agent] = []
    for i in range(120):
        agents.append(
            create_agent(code=f"a{i}", name=f"Agent {i}", unit=teams[i // 10])
        )
    admin = User.objects.create_user(username="bench-admin", password=None)
    grant_role(user=admin, role=RoleAssignment.Role.ADMIN, unit=company)
    survey = create_survey_from_template(
        template_code="post-contact", slug=SLUG, unit=company, created_by=admin
    )
    publish_survey(survey=survey, published_by=admin)
    survey.refresh_from_db()
    version_id = survey.current_version_id

    rng = np.random.default_rng(seed)
    now = datetime.now(UTC).replace(microsecond=0)
    agent_ids = np.array([a.pk for a in agents])
    agent_unit = np.array([teams[i // 10].pk for i in range(120)])
    agent_path = [teams[i // 10].path for i in range(120)]
    channels = np.array(["web", "email", "sms"])
    chunk = 50_000
    started = time.perf_counter()
    answers_total = 0
    vendor = connection.vendor
    with connection.cursor() as cur:
        for first in range(0, n, chunk):
            m = min(chunk, n - first)
            ids = np.arange(first + 1, first + m + 1)
            who = rng.integers(0, 120, size=m)
            secs = rng.integers(0, 365 * 86400, size=m)
            chan = rng.integers(0, 3, size=m)
            skill = (who % 7 - 3) * 0.15
            latent = 3.6 + skill + rng.normal(0, 0.9, size=m)
            resp_rows = []
            for j in range(m):
                done = now - timedelta(seconds=int(secs[j]))
                a = int(who[j])
                resp_rows.append(
                    (
                        int(ids[j]),
                        survey.pk,
                        version_id,
                        f"bench:{ids[j]}",
                        "complete",
                        "en",
                        str(channels[chan[j]]),
                        done - timedelta(minutes=3),
                        done,
                        done,
                        2,
                        int(agent_unit[a]),
                        agent_path[a],
                        int(agent_ids[a]),
                        "",
                        "",
                    )
                )
            cols = [
                ("csat_overall", 1, 5, 0.0),
                ("access", 1, 5, 0.2),
                ("resolution", 1, 5, -0.1),
                ("treatment", 1, 5, 0.3),
                ("ces", 1, 7, 1.2),
                ("repurchase", 1, 5, 0.0),
            ]
            ans_rows: list[tuple[Any, ...]] = []
            for code, low, high, shift in cols:
                vals = np.clip(
                    np.rint(latent + shift + rng.normal(0, 0.6, size=m)), low, high
                )
                for j in range(m):
                    v = float(vals[j])
                    ans_rows.append(
                        (int(ids[j]), code, "", "", str(int(v)), v, "", False)
                    )
            nps = np.clip(np.rint(latent * 2.2 - 1 + rng.normal(0, 1.2, size=m)), 0, 10)
            for j in range(m):
                v = float(nps[j])
                ans_rows.append((int(ids[j]), "nps", "", "", str(int(v)), v, "", False))
            for j in np.flatnonzero(rng.random(m) < 0.05):
                ans_rows.append(
                    (
                        int(ids[j]),
                        "comment",
                        "",
                        "",
                        "",
                        None,
                        f"comment {ids[j]}",
                        False,
                    )
                )
            answers_total += len(ans_rows)
            rcols = (
                "id, survey_id, version_id, key, status, language, channel, started_at, "
                "updated_at, completed_at, pages_done, unit_id, unit_path, agent_id, "
                "queue, customer_segment"
            )
            acols = (
                "response_id, question_code, item_code, part, choice_code, value, "
                "text_value, is_na"
            )
            if vendor == "postgresql":
                raw = cur.cursor  # psycopg 3: COPY is the fast path
                with raw.copy(
                    f"COPY responses_surveyresponse ({rcols}) FROM STDIN"
                ) as cp:
                    for row in resp_rows:
                        cp.write_row(row)
                with raw.copy(f"COPY responses_answer ({acols}) FROM STDIN") as cp:
                    for row in ans_rows:
                        cp.write_row(row)
            else:
                cur.execute("BEGIN")  # one transaction per chunk, not per row
                cur.executemany(
                    f"INSERT INTO responses_surveyresponse ({rcols}) VALUES "  # noqa: S608
                    f"({', '.join(['%s'] * 16)})",
                    resp_rows,
                )
                cur.executemany(
                    f"INSERT INTO responses_answer ({acols}) VALUES "  # noqa: S608
                    f"({', '.join(['%s'] * 8)})",
                    ans_rows,
                )
                cur.execute("COMMIT")
            print(
                f"  loaded {first + m:>10,} responses "
                f"({time.perf_counter() - started:6.1f} s)",
                flush=True,
            )
        if vendor == "postgresql":
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('responses_surveyresponse','id'), "
                "(SELECT MAX(id) FROM responses_surveyresponse))"
            )
            cur.execute("ANALYZE")
        else:
            cur.execute("ANALYZE")
    load_s = time.perf_counter() - started
    return {
        "admin_id": admin.pk,
        "unit_id": teams[0].pk,
        "branch_id": teams[0].parent_id,
        "agent_id": agents[5].pk,
        "load_s": load_s,
        "answers": answers_total,
    }


def timed(fn: Any, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def p95(xs: list[float]) -> float:
    return float(np.percentile(xs, 95))


def measure(info: dict[str, Any], runs: int, raw_runs: int) -> None:
    from django.utils import timezone

    from satisfy.accounts.models import User
    from satisfy.org.models import Agent, OrgUnit
    from satisfy.reports.dashboard import build_dashboard
    from satisfy.reports.models import DailyRollup, DailyUnitRollup
    from satisfy.reports.queries import Filters, Period
    from satisfy.reports.rollups import rebuild_rollups
    from satisfy.surveys.models import Survey

    t = time.perf_counter()
    result = rebuild_rollups()
    print(
        f"rollup rebuild: {time.perf_counter() - t:.1f} s, "
        f"{DailyRollup.objects.count():,} detail rows, "
        f"{DailyUnitRollup.objects.count():,} unit rows ({result.responses:,} responses)"
    )
    user = User.objects.get(pk=info["admin_id"])
    survey = Survey.objects.select_related("current_version").get(slug=SLUG)
    today = timezone.localdate()
    year = Period(today - timedelta(days=364), today)

    def page(filters: Filters, **kw: Any) -> Any:
        return build_dashboard(
            user=user,
            survey=survey,
            filters=filters,
            trend="month",
            with_comments=kw.pop("with_comments", False),
            with_funnel=False,
            **kw,
        )

    dash = page(Filters(year))
    print(
        f"dashboard check: {dash.n_responses:,} responses, {len(dash.trend)} months, "
        f"{len(dash.breakdown)} units, source={dash.source}"
    )
    main = timed(lambda: page(Filters(year)), runs)
    print(
        f"dashboard (cards+12-month trend+units+questions), rollups: "
        f"p50 {statistics.median(main) * 1000:.0f} ms, p95 {p95(main) * 1000:.0f} ms "
        f"({runs} runs)"
    )
    unit = OrgUnit.objects.get(pk=info["branch_id"])
    xs = timed(lambda: page(Filters(year, unit=unit)), runs)
    print(f"  filtered to a branch: p95 {p95(xs) * 1000:.0f} ms")
    agent = Agent.objects.get(pk=info["agent_id"])
    xs = timed(lambda: page(Filters(year, agent=agent)), runs)
    print(f"  filtered to an agent (detail grain): p95 {p95(xs) * 1000:.0f} ms")
    xs = timed(lambda: page(Filters(year, channel="sms")), max(5, runs // 4))
    print(f"  filtered to a channel (detail grain): p95 {p95(xs) * 1000:.0f} ms")
    xs = timed(lambda: page(Filters(year), with_comments=True), max(5, runs // 4))
    print(f"  with the 20 latest comments: p95 {p95(xs) * 1000:.0f} ms")
    raw = timed(lambda: page(Filters(year), force_raw=True), raw_runs)
    print(
        f"same page scanning the raw answers: median {statistics.median(raw):.2f} s "
        f"({raw_runs} runs); rollups are {statistics.median(raw) / statistics.median(main):,.0f}× faster"
    )
    assert (
        page(Filters(year), force_raw=True).to_dict()["cards"]
        == dash.to_dict()["cards"]
    )
    print("  raw and rollup pages give identical cards")


def export(info_user: int, out: Path) -> None:
    """Child process: XLSX of every response, with time and memory."""
    import tracemalloc

    import django

    django.setup()
    from django.utils import timezone

    from satisfy.accounts.models import User
    from satisfy.reports.queries import Filters, Period
    from satisfy.reports.services import render_report
    from satisfy.surveys.models import Survey

    user = User.objects.get(pk=info_user)
    survey = Survey.objects.select_related("current_version").get(slug=SLUG)
    today = timezone.localdate()
    reset_peak()
    base = hwm_mb()
    trace = os.environ.get("BENCH_TRACEMALLOC") == "1"
    if trace:
        tracemalloc.start()
    t = time.perf_counter()
    result = render_report(
        user=user,
        survey=survey,
        filters=Filters(Period(today - timedelta(days=365), today)),
        fmt="xlsx",
        out=out,
    )
    seconds = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else float("nan")
    print(
        f"xlsx export: {result.raw_rows:,} of {result.total_raw:,} responses in "
        f"{seconds:.1f} s, file {out.stat().st_size / 2**20:.0f} MB, peak RSS during "
        f"the export {hwm_mb():.0f} MB (RSS when it started {base:.0f} MB)"
        + (f", tracemalloc peak {peak:.0f} MB" if trace else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/dashboard.py")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--raw-runs", type=int, default=3)
    parser.add_argument("--export", action="store_true")
    parser.add_argument("--export-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_child:
        export(args.export_child, Path(os.environ["BENCH_EXPORT_FILE"]))
        return 0
    data_dir = Path(tempfile.mkdtemp(prefix="satisfy-dash-bench-"))
    environment(args.db, data_dir)
    if args.db == "postgres":
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_NAME],
            check=True,
        )
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_NAME], check=True
        )
    try:
        print(f"{args.db}: generating {args.responses:,} responses …", flush=True)
        info = build(args.responses)
        print(
            f"load: {args.responses:,} responses, {info['answers']:,} answers in "
            f"{info['load_s']:.1f} s (peak RSS {rss_mb():.0f} MB)"
        )
        measure(info, args.runs, args.raw_runs)
        if args.export:
            from django.db import connections

            connections.close_all()
            env = {
                **os.environ,
                "BENCH_EXPORT_FILE": str(data_dir / "export.xlsx"),
            }
            for trace in ("0", "1"):
                env["BENCH_TRACEMALLOC"] = trace
                subprocess.run(
                    [sys.executable, __file__, "--export-child", str(info["admin_id"])],
                    env=env,
                    check=True,
                )
    finally:
        if args.db == "postgres":
            from django.db import connections

            connections.close_all()
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_NAME],
                check=False,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark of response submission through the JSON API, with an exactly-once check.

Run: ``.venv/bin/python benchmarks/submit_responses.py --database postgres``
(or ``--database sqlite``). It

1. makes a fresh database: a temporary ``SATISFY_DATA_DIR`` for SQLite, or a new
   PostgreSQL database ``satisfy_bench_<pid>`` on 127.0.0.1 (dropped at the end;
   the ``test`` database is never touched);
2. migrates it and sets up, in process, an organisation, an administrator, a
   published ``post-contact`` survey and an API token;
3. starts ``satisfy serve`` (gunicorn) on a free loopback port;
4. runs ``--clients`` threads, each with its own keep-alive ``httpx.Client``,
   completing ``--requests`` responses through ``POST /api/v1/surveys/{slug}/responses``
   with unique idempotency keys; a share (``--retry-share``) of acknowledged
   submissions is sent again with the same key and must answer 200 with the same id;
5. prints completed responses per second and p50/p99 latency, then checks in the
   database that every acknowledged key is stored exactly once, with all its answers,
   and that nothing else was stored.

Client and server share the machine, so the figures are for the whole loop.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
SLUG = "bench-after-call"
PROFILE_SLUG = "bench-profile"  # the in-process profile writes here, not in SLUG
ANSWERS: dict[str, Any] = {
    "csat_overall": 4,
    "access": 5,
    "resolution": "na",
    "treatment": 5,
    "ces": 6,
    "nps": 9,
    "repurchase": 4,
    "comment": "Quick and friendly.",
}


@dataclass
class Tally:
    """What the clients saw, merged under a lock."""

    latencies_ms: list[float] = field(default_factory=list)
    acknowledged: dict[str, int] = field(default_factory=dict)  # key -> response id
    statuses: dict[int, int] = field(default_factory=dict)
    retry_mismatches: int = 0
    transport_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def prepare_environment(database: str) -> tuple[dict[str, str], str | None, Path]:
    """Environment for Django and the server; the database name to drop, if any."""
    data_dir = Path(tempfile.mkdtemp(prefix="satisfy-bench-"))
    env = {
        **os.environ,
        "SATISFY_DATA_DIR": str(data_dir),
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DEBUG": "false",
        "LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "satisfy.settings",
    }
    env.pop("DATABASE_URL", None)
    pg_name = None
    if database == "postgres":
        pg_name = f"satisfy_bench_{os.getpid()}"
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", pg_name], check=True
        )
        env["DATABASE_URL"] = f"{PG_SERVER}/{pg_name}"
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    return env, pg_name, data_dir


def set_up_survey() -> str:
    """Migrate, then create the org, an admin, a published survey; return a token."""
    import django

    django.setup()
    from django.core.management import call_command

    from satisfy.accounts.models import RoleAssignment, User
    from satisfy.accounts.services import create_api_token, grant_role
    from satisfy.org.models import OrgUnit
    from satisfy.org.services import create_unit
    from satisfy.surveys.services import create_survey_from_template, publish_survey

    call_command("migrate", verbosity=0)
    company = create_unit(name="Bench Co", code="bench", kind=OrgUnit.Kind.COMPANY)
    user = User.objects.create_user(username="collector", password=None)
    grant_role(user=user, role=RoleAssignment.Role.ADMIN, unit=company)
    for slug in (SLUG, PROFILE_SLUG):
        survey = create_survey_from_template(
            template_code="post-contact", slug=slug, unit=company, created_by=user
        )
        publish_survey(survey=survey, published_by=user)
    _, secret = create_api_token(user=user, name="benchmark")
    return secret


def start_server(
    env: dict[str, str], port: int, workers: int, threads: int
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "satisfy", "serve",
        "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers), "--threads", str(threads), "--no-worker",
    ]  # fmt: skip
    server = subprocess.Popen(command, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with code {server.returncode}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not start within 60 s")


def run_client(
    *,
    base_url: str,
    token: str,
    keys: list[str],
    retry_share: float,
    deadline: float,
    tally: Tally,
    seed: int,
) -> None:
    rng = random.Random(seed)
    url = f"/api/v1/surveys/{SLUG}/responses"
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    acknowledged: dict[str, int] = {}
    statuses: dict[int, int] = {}
    mismatches = transport_errors = 0
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:

        def post(key: str) -> httpx.Response | None:
            nonlocal transport_errors
            body = {"answers": ANSWERS, "idempotency_key": key, "channel": "ivr"}
            started = time.perf_counter()
            try:
                r = client.post(url, json=body)
            except httpx.HTTPError:
                transport_errors += 1
                return None
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            return r

        for key in keys:
            if time.monotonic() > deadline:
                break
            r = post(key)
            if r is None or r.status_code not in (200, 201):
                continue
            acknowledged[key] = r.json()["id"]
            if rng.random() < retry_share:
                again = post(key)  # a client that never saw the answer retries
                if (
                    again is None
                    or again.status_code != 200
                    or again.json()["id"] != acknowledged[key]
                ):
                    mismatches += 1
    with tally.lock:
        tally.latencies_ms.extend(latencies)
        tally.acknowledged.update(acknowledged)
        for status, count in statuses.items():
            tally.statuses[status] = tally.statuses.get(status, 0) + count
        tally.retry_mismatches += mismatches
        tally.transport_errors += transport_errors


def _proc_cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def server_pids(server_pid: int, pg_name: str | None) -> list[int]:
    """The gunicorn processes and the PostgreSQL backends serving this run's database.

    Linux only (/proc); empty elsewhere. Backends are recognised by their process
    title, which names the database.
    """
    pids = [server_pid, *_children(server_pid)]
    if pg_name is not None and Path("/proc").is_dir():
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres:") and pg_name.encode() in title:
                pids.append(int(entry.name))
    return pids


def cpu_snapshot(pids: list[int]) -> dict[int, float]:
    return {pid: _proc_cpu_seconds(pid) for pid in pids}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def verify(tally: Tally) -> list[str]:
    """Problems found comparing what clients were told with what the database holds."""
    from django.db.models import Count

    from satisfy.responses.models import Answer, SurveyResponse

    problems: list[str] = []
    stored = dict(
        SurveyResponse.objects.filter(survey__slug=SLUG).values_list("key", "pk")
    )
    by_id = {pk: key for key, pk in stored.items()}
    for key, response_id in tally.acknowledged.items():
        stored_key = by_id.get(response_id)
        if stored_key is None or not stored_key.endswith(f":{key}"):
            problems.append(
                f"acknowledged {key!r} as {response_id} but it is not stored so"
            )
    if len(stored) != len(tally.acknowledged):
        problems.append(
            f"{len(stored)} responses stored but {len(tally.acknowledged)} acknowledged"
        )
    incomplete = SurveyResponse.objects.filter(survey__slug=SLUG).exclude(
        status="complete"
    )
    if incomplete.exists():
        problems.append(f"{incomplete.count()} stored responses are not complete")
    short = (
        SurveyResponse.objects.filter(survey__slug=SLUG)
        .annotate(n=Count("answers"))
        .exclude(n=len(ANSWERS))
        .count()
    )
    if short:
        problems.append(f"{short} responses do not have {len(ANSWERS)} answers")
    total_answers = Answer.objects.filter(response__survey__slug=SLUG).count()
    if total_answers != len(ANSWERS) * len(stored):
        problems.append(f"{total_answers} answer rows for {len(stored)} responses")
    return problems


def profile_in_process(token: str, count: int, top: int = 0) -> None:
    """Per-submit cost without HTTP or contention: queries, Python calls, CPU time.

    With ``top`` > 0 also prints the ``top`` functions by own time and by
    cumulative time of the profiled submits.
    """
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client

    client = Client(headers={"authorization": f"Bearer {token}"})
    url = f"/api/v1/surveys/{PROFILE_SLUG}/responses"

    def submit(key: str) -> None:
        body = {"answers": ANSWERS, "idempotency_key": key, "channel": "ivr"}
        r = client.post(url, body, content_type="application/json")
        if r.status_code != 201:
            raise SystemExit(f"in-process submit failed: {r.status_code} {r.content!r}")

    for n in range(20):
        submit(f"warm-{n}")
    statements: list[str] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        submit("queries")
    # CPU time, not wall time: waiting for the database is not this process's cost.
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for n in range(count):
        submit(f"profiled-{n}")
    profiler.disable()
    started = time.process_time()
    for n in range(count):
        submit(f"timed-{n}")
    cpu_ms = (time.process_time() - started) / count * 1000
    calls = pstats.Stats(profiler).total_calls // count  # type: ignore[attr-defined]
    print(
        f"in process: {len(statements)} queries, {calls} Python calls, "
        f"{cpu_ms:.1f} ms CPU per submit (test client included)"
    )
    if top > 0:
        for sql in statements:
            print(f"  query: {sql[:160]}")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(top)
        stats.sort_stats("cumulative").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/submit_responses.py")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients")
    parser.add_argument(
        "--requests", type=int, default=5000, help="responses to complete"
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--retry-share", type=float, default=0.05)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument(
        "--in-process",
        type=int,
        default=0,
        metavar="N",
        help="also profile N submits in process (no HTTP): queries, calls, CPU",
    )
    parser.add_argument(
        "--profile-top",
        type=int,
        default=0,
        metavar="N",
        help="with --in-process, print the N costliest functions (own, cumulative)",
    )
    parser.add_argument(
        "--in-process-only",
        action="store_true",
        help="with --in-process, stop after the in-process profile (no server)",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 256 or not 1 <= args.requests <= 1_000_000:
        parser.error("--clients must be 1..256 and --requests 1..1000000")

    env, pg_name, data_dir = prepare_environment(args.database)
    server: subprocess.Popen[bytes] | None = None
    try:
        token = set_up_survey()
        if args.in_process:
            profile_in_process(token, args.in_process, args.profile_top)
            if args.in_process_only:
                return 0
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = start_server(env, port, args.workers, args.threads)
        run_id = secrets.token_hex(4)
        keys = [f"{run_id}-{n}" for n in range(args.requests)]
        tally = Tally()
        deadline = time.monotonic() + args.max_seconds
        threads = [
            threading.Thread(
                target=run_client,
                kwargs={
                    "base_url": f"http://127.0.0.1:{port}",
                    "token": token,
                    "keys": keys[n :: args.clients],
                    "retry_share": args.retry_share,
                    "deadline": deadline,
                    "tally": tally,
                    "seed": n,
                },
            )
            for n in range(args.clients)
        ]
        workers_before = cpu_snapshot([server.pid, *_children(server.pid)])
        client_before = time.process_time()
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        client_cpu = time.process_time() - client_before
        # Backends connect during the run: those found now started from zero.
        after = cpu_snapshot(server_pids(server.pid, pg_name))
        web_pids = set(workers_before) | set(_children(server.pid))
        web_cpu = sum(after.get(p, 0) - workers_before.get(p, 0) for p in web_pids)
        db_cpu = sum(cpu for p, cpu in after.items() if p not in web_pids)

        created = tally.statuses.get(201, 0)
        print(
            f"database={args.database} workers={args.workers}x{args.threads} "
            f"clients={args.clients} cpus={os.cpu_count()}"
        )
        print(
            f"requests sent:              {len(tally.latencies_ms)} in {elapsed:.1f} s"
        )
        print(f"statuses:                   {dict(sorted(tally.statuses.items()))}")
        print(f"completed responses/s:      {created / elapsed:.0f}")
        print(f"requests/s (incl. retries): {len(tally.latencies_ms) / elapsed:.0f}")
        if tally.latencies_ms:
            print(
                f"latency p50:                {statistics.median(tally.latencies_ms):.1f} ms"
            )
            print(
                f"latency p99:                {percentile(tally.latencies_ms, 0.99):.1f} ms"
            )
        if tally.latencies_ms and Path("/proc").is_dir():
            sent = len(tally.latencies_ms)
            print(
                f"CPU per request:            web {web_cpu / sent * 1000:.1f} ms, "
                f"database {db_cpu / sent * 1000:.1f} ms, "
                f"load generator {client_cpu / sent * 1000:.1f} ms"
            )
        print(f"load average (1 min):       {os.getloadavg()[0]:.2f}")
        print(f"retries answered wrongly:   {tally.retry_mismatches}")
        print(f"transport errors:           {tally.transport_errors}")
        problems = verify(tally)
        for problem in problems[:10]:
            print(f"PROBLEM: {problem}")
        print(
            "exactly once:               "
            + ("yes" if not problems and not tally.retry_mismatches else "NO")
        )
        return 0 if not problems and not tally.retry_mismatches else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        if pg_name is not None:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", pg_name],
                check=False,
            )
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

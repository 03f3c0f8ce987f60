"""Benchmark: reaching customers at scale.

Prints four figures:
  1. import of N customers from CSV (default 1,000,000; target under 60 s),
  2. stratified sample of 100,000 from those N (target under 5 s),
  3. render and queue 100,000 e-mail invitations (target under 60 s),
  4. SMTP delivery rate to a local aiosmtpd server (target at least 300 messages/s).

Runs on a scratch SQLite database in a temporary data directory (or on the
database named by DATABASE_URL if you set it; it must be empty and disposable).

    .venv/bin/python benchmarks/distribution.py [--customers 1000000] [--sample 100000]
        [--invitations 100000] [--smtp 5000]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path


def _setup(data_dir: Path) -> None:
    os.environ["SATISFY_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'bench.sqlite3'}")
    os.environ.setdefault("SECRET_KEY", "benchmark")
    os.environ["DJANGO_SETTINGS_MODULE"] = "satisfy.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _write_csv(path: Path, count: int) -> None:
    rng = random.Random(1)
    regions = ["north", "south", "east", "west", "centre"]
    tiers = ["bronze", "silver", "gold", "platinum"]
    languages = ["en", "en", "en", "zh-Hans", "es"]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Customer no",
                "Name",
                "E-mail",
                "Mobile",
                "Language",
                "Region",
                "Tier",
                "Consumption",
            ]
        )
        for i in range(count):
            writer.writerow(
                [
                    f"K{i:07d}",
                    f"Customer {i}",
                    f"Customer.{i}@Example.com",
                    f"+4479{i:08d}",
                    languages[i % 5],
                    rng.choice(regions),
                    rng.choice(tiers),
                    rng.choice(["low", "medium", "high"]),
                ]
            )


class Clock:
    """Wall and CPU time of a block; CPU time shows the cost on a busy machine."""

    def __enter__(self) -> Clock:
        self.wall = time.perf_counter()
        self.cpu = time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def _report(label: str, clock: Clock, target: str) -> None:
    print(
        f"{label:<56} wall {clock.wall:7.2f} s  cpu {clock.cpu:7.2f} s  (target {target})"
    )


SMTP_SERVER = """
import sys
from aiosmtpd.controller import Controller
class Count:
    received = 0
    async def handle_DATA(self, server, session, envelope):
        Count.received += 1
        return "250 OK"
controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
print(Count.received, flush=True)
"""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/distribution.py")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=100_000)
    parser.add_argument("--invitations", type=int, default=100_000)
    parser.add_argument("--smtp", type=int, default=5_000)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="satisfy-bench-") as folder:
        data_dir = Path(folder)
        _setup(data_dir)
        from django.conf import settings
        from django.utils import timezone

        from satisfy.analytics.sampling import stratified_sample
        from satisfy.customers.importing import ColumnMapping
        from satisfy.customers.services import import_customers
        from satisfy.distribution.models import ChannelMessage, Invitation
        from satisfy.distribution.services import (
            create_wave,
            deliver_all_due,
            draw_sample,
            launch_wave,
        )
        from satisfy.distribution.tests.smtp_server import free_port
        from satisfy.org.services import create_unit
        from satisfy.surveys.services import create_survey_from_template, publish_survey

        print(f"database: {settings.DATABASES['default']['ENGINE']}")
        csv_path = data_dir / "customers.csv"
        _write_csv(csv_path, args.customers)
        size_mb = csv_path.stat().st_size / 1e6
        unit = create_unit(name="Acme", code="acme", kind="company")

        # 1. import
        mapping = ColumnMapping.from_dict(
            {
                "external_id": "Customer no",
                "email": "E-mail",
                "phone": "Mobile",
                "name": "Name",
            }
        )
        with Clock() as clock, csv_path.open("rb") as stream:
            report = import_customers(
                stream=stream,
                filename="customers.csv",
                mapping=mapping,
                default_unit=unit,
            )
        assert report.ok, report.problems[:5]
        _report(
            f"1. import {report.created:,} customers ({size_mb:.0f} MB CSV)",
            clock,
            "< 60 s",
        )

        # 2. stratified sample
        survey = create_survey_from_template(
            template_code="post-contact", slug="bench", unit=unit, created_by=None
        )
        publish_survey(survey=survey, published_by=None)
        survey.refresh_from_db()
        now = timezone.now()
        wave = create_wave(
            survey=survey,
            name="bench",
            channels=["email"],
            starts_at=now - timedelta(minutes=1),
            closes_at=now + timedelta(days=30),
        )
        with Clock() as clock:
            sample = draw_sample(
                wave=wave,
                method="stratified",
                n=min(args.sample, args.customers),
                strata=["region", "tier"],
                seed=1,
            )
        _report(
            f"2. stratified sample {sample.n:,} of {sample.population_n:,} (database)",
            clock,
            "< 5 s",
        )
        rng = random.Random(3)
        labels = [
            f"{rng.choice('abcde')}|{rng.choice('wxyz')}" for _ in range(args.customers)
        ]
        with Clock() as clock:
            stratified_sample(labels, min(args.sample, args.customers), random_state=1)
        _report("   the draw alone (satisfy.analytics.sampling)", clock, "-")

        # 3. render and queue invitations
        if args.invitations != sample.n:
            wave = create_wave(
                survey=survey,
                name="queue",
                channels=["email"],
                starts_at=now - timedelta(minutes=1),
                closes_at=now + timedelta(days=30),
            )
            sample = draw_sample(
                wave=wave,
                method="simple",
                n=min(args.invitations, args.customers),
                seed=2,
            )
        with Clock() as clock:
            result = launch_wave(wave=wave)
        assert (
            ChannelMessage.objects.filter(invitation__wave=wave).count()
            == result.created
        )
        _report(
            f"3. render and queue {result.created:,} e-mail invitations",
            clock,
            "< 60 s",
        )

        # 4. SMTP delivery rate
        ChannelMessage.objects.filter(invitation__wave=wave).exclude(
            pk__in=ChannelMessage.objects.filter(invitation__wave=wave)
            .order_by("pk")
            .values("pk")[: args.smtp]
        ).update(state=ChannelMessage.State.CANCELLED)
        # The server runs in its own process so that it does not share our CPU time.
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-c", SMTP_SERVER, str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert server.stdout is not None
        assert server.stdout.readline().strip() == "ready"
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        with Clock() as clock:
            stats = deliver_all_due(batch_size=1000)
        elapsed = clock.wall
        received, _err = server.communicate("", timeout=60)
        assert stats.sent == int(received) == min(args.smtp, result.created), (
            stats,
            received,
        )
        sent = Invitation.objects.filter(
            wave=wave, status=Invitation.Status.SENT
        ).count()
        print(
            f"{'4. SMTP delivery to local aiosmtpd':<52} {stats.sent / elapsed:8.0f} msg/s "
            f"(target >= 300; {stats.sent:,} messages in {elapsed:.1f} s wall, "
            f"{clock.cpu:.1f} s cpu; {sent:,} marked sent)"
        )
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

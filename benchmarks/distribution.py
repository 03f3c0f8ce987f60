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
        writer.writerow(["Customer no", "Name", "E-mail", "Mobile", "Language", "Region", "Tier", "Consumption"])
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


def _report(label: str, seconds: float, target: str) -> None:
    print(f"{label:<52} {seconds:8.2f} s   (target {target})")  # noqa: T201


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
        from satisfy.distribution.services import create_wave, deliver_all_due, draw_sample, launch_wave
        from satisfy.distribution.tests.smtp_server import smtp_server
        from satisfy.org.services import create_unit
        from satisfy.surveys.services import create_survey_from_template, publish_survey

        print(f"database: {settings.DATABASES['default']['ENGINE']}")  # noqa: T201
        csv_path = data_dir / "customers.csv"
        _write_csv(csv_path, args.customers)
        size_mb = csv_path.stat().st_size / 1e6
        unit = create_unit(name="Acme", code="acme", kind="company")

        # 1. import
        mapping = ColumnMapping.from_dict(
            {"external_id": "Customer no", "email": "E-mail", "phone": "Mobile", "name": "Name"}
        )
        started = time.perf_counter()
        with csv_path.open("rb") as stream:
            report = import_customers(stream=stream, filename="customers.csv", mapping=mapping, default_unit=unit)
        elapsed = time.perf_counter() - started
        assert report.ok, report.problems[:5]
        _report(f"1. import {report.created:,} customers ({size_mb:.0f} MB CSV)", elapsed, "< 60 s")

        # 2. stratified sample
        survey = create_survey_from_template(template_code="post-contact", slug="bench", unit=unit, created_by=None)
        publish_survey(survey=survey, published_by=None)
        survey.refresh_from_db()
        now = timezone.now()
        wave = create_wave(
            survey=survey, name="bench", channels=["email"], starts_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=30)
        )
        started = time.perf_counter()
        sample = draw_sample(
            wave=wave, method="stratified", n=min(args.sample, args.customers), strata=["region", "tier"], seed=1
        )
        elapsed = time.perf_counter() - started
        _report(f"2. stratified sample {sample.n:,} of {sample.population_n:,} (database)", elapsed, "< 5 s")
        labels = [f"{random.Random(i).choice('abcde')}|{i % 4}" for i in range(args.customers)]
        started = time.perf_counter()
        stratified_sample(labels, min(args.sample, args.customers), random_state=1)
        _report("   of which the pure draw (satisfy.analytics.sampling)", time.perf_counter() - started, "-")

        # 3. render and queue invitations
        if args.invitations != sample.n:
            wave = create_wave(
                survey=survey, name="queue", channels=["email"], starts_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=30)
            )
            sample = draw_sample(wave=wave, method="simple", n=min(args.invitations, args.customers), seed=2)
        started = time.perf_counter()
        result = launch_wave(wave=wave)
        elapsed = time.perf_counter() - started
        assert ChannelMessage.objects.filter(invitation__wave=wave).count() == result.created
        _report(f"3. render and queue {result.created:,} e-mail invitations", elapsed, "< 60 s")

        # 4. SMTP delivery rate
        ChannelMessage.objects.filter(invitation__wave=wave).exclude(
            pk__in=ChannelMessage.objects.filter(invitation__wave=wave).order_by("pk").values("pk")[: args.smtp]
        ).update(state=ChannelMessage.State.CANCELLED)
        with smtp_server() as (inbox, port):
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST = "127.0.0.1"
            settings.EMAIL_PORT = port
            settings.EMAIL_USE_TLS = False
            started = time.perf_counter()
            stats = deliver_all_due(batch_size=1000)
            elapsed = time.perf_counter() - started
        assert stats.sent == len(inbox.messages) == min(args.smtp, result.created), (stats, len(inbox.messages))
        sent = Invitation.objects.filter(wave=wave, status=Invitation.Status.SENT).count()
        print(  # noqa: T201
            f"{'4. SMTP delivery to local aiosmtpd':<52} {stats.sent / elapsed:8.0f} msg/s "
            f"(target >= 300; {stats.sent:,} messages in {elapsed:.1f} s, {sent:,} marked sent)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

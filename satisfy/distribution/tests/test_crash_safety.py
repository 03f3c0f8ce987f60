"""Kill a sending worker with SIGKILL mid-batch: nothing is lost, nothing sent twice.

The workers are real processes (``satisfy send_invitations``) on a database of
their own: a SQLite file, or a scratch PostgreSQL database when the suite runs on
PostgreSQL (then the claim uses SELECT ... FOR UPDATE SKIP LOCKED).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.slow

MESSAGES = 120
SEED = f"""
from datetime import timedelta
from django.utils import timezone
from satisfy.customers.models import Customer
from satisfy.org.services import create_unit
from satisfy.surveys.services import create_survey_from_template, publish_survey
from satisfy.distribution.services import create_wave, draw_sample, launch_wave
unit = create_unit(name="Acme", code="acme", kind="company")
survey = create_survey_from_template(template_code="post-contact", slug="after-call", unit=unit, created_by=None)
publish_survey(survey=survey, published_by=None)
survey.refresh_from_db()
Customer.objects.bulk_create(
    Customer(external_id=f"C{{i}}", phone=f"+4477009{{i:05d}}", unit=unit) for i in range({MESSAGES})
)
now = timezone.now()
wave = create_wave(survey=survey, name="w", channels=["sms"], starts_at=now - timedelta(minutes=1), closes_at=now + timedelta(days=9))
draw_sample(wave=wave, method="all")
print(launch_wave(wave=wave).created)
"""
CHECK = """
import json
from collections import Counter
from satisfy.distribution.models import ChannelMessage, Invitation
print(json.dumps({
    "invitations": dict(Counter(Invitation.objects.values_list("status", flat=True))),
    "messages": dict(Counter(ChannelMessage.objects.values_list("state", flat=True))),
}))
"""


@pytest.fixture
def database_url() -> Iterator[str]:
    """A database the worker processes share with each other (not the test database)."""
    settings_dict = connection.settings_dict
    if connection.vendor != "postgresql":
        yield ""
        return
    import psycopg

    name = f"satisfy_crash_{uuid.uuid4().hex[:8]}"
    params = {
        "host": settings_dict["HOST"] or "127.0.0.1",
        "port": settings_dict["PORT"] or 5432,
        "user": settings_dict["USER"],
        "password": settings_dict["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    try:
        yield f"postgresql://{settings_dict['USER']}{password}@{params['host']}:{params['port']}/{name}"
    finally:
        with psycopg.connect(
            **{k: v for k, v in params.items() if v is not None}
        ) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_URL", "SATISFY_", "PYTEST", "DJANGO_SETTINGS"))
    }
    env.update(
        SATISFY_DATA_DIR=str(data_dir),
        DATABASE_URL=database_url or f"sqlite:///{data_dir / 'crash.sqlite3'}",
        SATISFY_SMS_PROVIDER="file",
        SATISFY_SEND_RATE_SMS="60",  # slow enough to kill mid-batch
        SATISFY_SEND_LEASE_SECONDS="2",
        SECRET_KEY="crash-test",
    )
    return env


def _satisfy(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "satisfy", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path, database_url: str
) -> None:
    # given: a wave with MESSAGES queued SMS invitations
    env = _env(tmp_path, database_url)
    outbox = tmp_path / "outbox" / "sms"
    _satisfy(env, "migrate", "--verbosity", "0")
    assert _satisfy(env, "shell", "-c", SEED).split()[-1] == str(MESSAGES)

    # when: a worker is killed with SIGKILL in the middle of its batch
    worker = subprocess.Popen(
        [sys.executable, "-m", "satisfy", "send_invitations", "--batch-size", "50"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(outbox.glob("*.json"))) < 20:
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=10)
    sent_before_crash = len(list(outbox.glob("*.json")))
    assert 20 <= sent_before_crash < MESSAGES

    # the dead worker's claims expire; two new workers run at the same time
    time.sleep(2.5)
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "satisfy",
                "send_invitations",
                "--batch-size",
                "25",
                "--json",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    reports = []
    for process in workers:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        reports.append(json.loads(out.strip().splitlines()[-1]))

    # then: every invitation sent exactly once
    files = list(outbox.glob("*.json"))
    recipients = [json.loads(f.read_text())["to"] for f in files]
    assert len(files) == MESSAGES
    assert len(set(recipients)) == MESSAGES
    state = json.loads(_satisfy(env, "shell", "-c", CHECK).strip().splitlines()[-1])
    assert state == {"invitations": {"sent": MESSAGES}, "messages": {"sent": MESSAGES}}
    # the two workers split the rest without overlap; at most the one message in
    # flight when the first worker died is found already delivered (not re-sent)
    assert sum(r["sent"] for r in reports) == MESSAGES - sent_before_crash + sum(
        r["already_delivered"] for r in reports
    )
    assert sum(r["already_delivered"] for r in reports) <= 1

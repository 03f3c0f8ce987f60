from __future__ import annotations

import os
import subprocess
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


def default_workers() -> int:
    return int(os.environ.get("SATISFY_WEB_WORKERS", 2 * (os.cpu_count() or 1) + 1))


class Command(BaseCommand):
    help = "Run Satisfy with a production web server (gunicorn) and a job worker."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--host", default=os.environ.get("SATISFY_HOST", "127.0.0.1")
        )
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("SATISFY_PORT", "8000"))
        )
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start the in-process background job worker",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        worker: subprocess.Popen[bytes] | None = None
        if not options["no_worker"]:
            # The job worker runs beside the web server for the embedded default;
            # production runs `satisfy worker` on its own hosts.
            worker = subprocess.Popen(
                [sys.executable, "-m", "satisfy", "worker", "--workers", "1"]
            )
        self.stdout.write(
            f"Satisfy is serving at http://{host}:{port}/ (Ctrl+C stops it)"
        )
        try:
            run_server(
                host=host,
                port=port,
                workers=options["workers"],
                threads=options["threads"],
            )
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)


def run_server(*, host: str, port: int, workers: int, threads: int) -> None:
    """Serve satisfy.wsgi with gunicorn (waitress on Windows)."""
    from satisfy.wsgi import application

    if sys.platform == "win32":  # pragma: no cover - gunicorn needs fork
        from waitress import serve

        serve(application, host=host, port=port, threads=workers * threads)
        return

    from gunicorn.app.base import BaseApplication

    class SatisfyServer(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread" if threads > 1 else "sync")
            self.cfg.set("accesslog", None)
            self.cfg.set("errorlog", "-")
            self.cfg.set("loglevel", "warning")
            self.cfg.set("timeout", 120)
            self.cfg.set("graceful_timeout", 10)

        def load(self) -> Any:
            return application

    _ = settings.DATA_DIR  # settings are loaded before forking
    SatisfyServer().run()

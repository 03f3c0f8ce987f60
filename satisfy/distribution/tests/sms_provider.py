"""A tiny SMS gateway on loopback: accepts JSON posts, can fail on demand."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Gateway:
    received: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    fail_with: int | None = None
    by_key: dict[str, str] = field(default_factory=dict)


@contextmanager
def sms_gateway() -> Iterator[tuple[Gateway, str]]:
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if gateway.fail_with is not None:
                self.send_response(gateway.fail_with)
                self.end_headers()
                return
            data = json.loads(body)
            key = self.headers.get("Idempotency-Key", "")
            duplicate = key in gateway.by_key
            if not duplicate:
                gateway.by_key[key] = f"gw-{len(gateway.by_key) + 1}"
                gateway.received.append(data)
                gateway.headers.append(dict(self.headers))
            reply = json.dumps(
                {"id": gateway.by_key[key], "duplicate": duplicate}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway, f"http://127.0.0.1:{server.server_address[1]}/messages"
    finally:
        server.shutdown()
        server.server_close()

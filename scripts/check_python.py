"""Stop early with a clear message on a Python older than 3.11."""

from __future__ import annotations

import sys

if sys.version_info < (3, 11):
    sys.stderr.write(
        f"Satisfy needs Python 3.11 or newer; this is {sys.version.split()[0]}.\n"
        "Run make with PYTHON=python3.11 (or newer).\n"
    )
    sys.exit(1)

from __future__ import annotations

import sys

from satisfy.cli import main

sys.exit(main())

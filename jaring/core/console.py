"""What a `jaring` command prints: progress on stderr, results as JSON lines on stdout."""

from __future__ import annotations

import json
import sys


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def emit(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str))

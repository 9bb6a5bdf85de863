"""Where reminder messages go. Pluggable by the ``JARING_SMS_GATEWAY`` setting / environment variable:

- ``console`` (default): one line per message on stderr — for a laptop and demos;
- ``file:/path/outbox.jsonl``: one JSON line per message appended to a file (e.g. picked up by another system);
- ``http://…`` or ``https://…``: an HTTP SMS/WhatsApp gateway; each message is POSTed as JSON
  ``{"to", "body", "channel", "reference"}`` with ``Authorization: Bearer $JARING_SMS_TOKEN`` when set; any 2xx
  answer is success. Uses urllib (no extra dependency).
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass
class Result:
    ok: bool
    error: str = ""


class ConsoleGateway:
    name = "console"

    def send(self, to: str, body: str, channel: str, reference: str) -> Result:
        print(f"[{channel} → {to}] {body}", file=sys.stderr, flush=True)
        return Result(True)


class FileGateway:
    name = "file"

    def __init__(self, path: str):
        self.path = path

    def send(self, to: str, body: str, channel: str, reference: str) -> Result:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            with open(self.path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"to": to, "body": body, "channel": channel, "reference": reference},
                                    ensure_ascii=False) + "\n")
        except OSError as e:
            return Result(False, f"berkas: {e.strerror}")
        return Result(True)


class HttpGateway:
    name = "http"

    def __init__(self, url: str, token: str = "", timeout: float = 10.0):
        self.url, self.token, self.timeout = url, token, timeout

    def send(self, to: str, body: str, channel: str, reference: str) -> Result:
        data = json.dumps({"to": to, "body": body, "channel": channel, "reference": reference}).encode()
        req = urllib.request.Request(self.url, data=data, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "Idempotency-Key": reference,
                                              **({"Authorization": f"Bearer {self.token}"} if self.token else {})})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                if 200 <= resp.status < 300:
                    return Result(True)
                return Result(False, f"HTTP {resp.status}")
        except urllib.error.HTTPError as e:
            return Result(False, f"HTTP {e.code}")
        except (urllib.error.URLError, OSError) as e:
            return Result(False, f"jaringan: {getattr(e, 'reason', e)}"[:200])


def get_gateway(spec: str | None = None):
    from django.conf import settings

    spec = spec or getattr(settings, "JARING_SMS_GATEWAY", None) or os.environ.get("JARING_SMS_GATEWAY") or "console"
    if spec.startswith(("http://", "https://")):
        token = getattr(settings, "JARING_SMS_TOKEN", None) or os.environ.get("JARING_SMS_TOKEN", "")
        return HttpGateway(spec, token)
    if spec.startswith("file:"):
        return FileGateway(spec[5:])
    return ConsoleGateway()

"""A payment channel simulator: signs like a bank and drives token → inquiry → payment → status.

The channel holds its own RSA key pair (made here, at test or demo time; Jaring only ever sees the public
key, registered with ``jaring channels create --public-key``) and its client secret. A retry of a request
(timeout, connection error, 5xx) is the same request: same X-EXTERNAL-ID, same body, signed again.

    sim = ChannelSimulator.over_http("http://127.0.0.1:8000", "BANKSIM", secret, private_pem, "88000004")
    bill = sim.inquiry("3171011501900001")
    paid = sim.payment("3171011501900001", bill["virtualAccountData"]["totalAmount"]["value"])
    sim.status("3171011501900001", paid["virtualAccountData"]["paymentRequestId"])

``ChannelSimulator.over_client(django_test_client, ...)`` runs the same exchange in-process (tests).
"""

from __future__ import annotations

import itertools
import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone as dt_timezone

from . import signing

WIB = dt_timezone(timedelta(hours=7))
BASE = "/snap/v1.0"


class Transport:
    def send(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, dict]:
        raise NotImplementedError


class HttpTransport(Transport):
    def __init__(self, base_url: str, timeout: float = 10.0):
        self.base_url, self.timeout = base_url.rstrip("/"), timeout

    def send(self, method, path, headers, body):
        req = urllib.request.Request(self.base_url + path, data=body, method=method,
                                     headers={"Content-Type": "application/json", **headers})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as r:
                return r.status, json.loads(r.read() or b"{}")
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                return e.code, json.loads(raw or b"{}")
            except ValueError:
                return e.code, {"raw": raw.decode("utf-8", "replace")}


class ClientTransport(Transport):
    """Django's test client (in-process)."""

    def __init__(self, client):
        self.client = client

    def send(self, method, path, headers, body):
        r = self.client.generic(method, path, data=body, content_type="application/json",
                                headers=headers)
        try:
            return r.status_code, json.loads(r.content or b"{}")
        except ValueError:
            return r.status_code, {"raw": r.content.decode("utf-8", "replace")}


class ChannelSimulator:
    def __init__(self, transport: Transport, client_key: str, secret: str, private_pem: str, service_id: str,
                 *, channel_id: str = "95221", retries: int = 3, backoff: float = 0.2):
        self.transport, self.client_key, self.secret = transport, client_key, secret
        self.private_pem, self.service_id, self.channel_id = private_pem, str(service_id), channel_id
        self.retries, self.backoff = retries, backoff
        self.token: str | None = None
        self.token_expires = 0.0
        self._seq = itertools.count(1)
        self.log: list[tuple[str, int, str]] = []  # (path, http status, responseCode) of every attempt

    @classmethod
    def over_http(cls, base_url, client_key, secret, private_pem, service_id, timeout: float = 10.0, **kw):
        return cls(HttpTransport(base_url, timeout), client_key, secret, private_pem, service_id, **kw)

    @classmethod
    def over_client(cls, client, client_key, secret, private_pem, service_id, **kw):
        return cls(ClientTransport(client), client_key, secret, private_pem, service_id, **kw)

    # --- protocol -----------------------------------------------------------------------------------
    @staticmethod
    def timestamp() -> str:
        return datetime.now(WIB).isoformat(timespec="seconds")

    def external_id(self) -> str:
        return f"{int(time.time() * 1000)}{next(self._seq):06d}"[-36:]

    def get_token(self) -> dict:
        ts = self.timestamp()
        headers = {"X-CLIENT-KEY": self.client_key, "X-TIMESTAMP": ts,
                   "X-SIGNATURE": signing.sign_token_request(self.private_pem, self.client_key, ts)}
        status, body = self._send("POST", f"{BASE}/access-token/b2b", headers,
                                  json.dumps({"grantType": "client_credentials"}).encode())
        if status == 200:
            self.token = body["accessToken"]
            self.token_expires = time.monotonic() + int(body["expiresIn"]) - 30
        return body

    def call(self, path: str, payload: dict, *, external_id: str | None = None, token: str | None = None,
             tamper: bool = False) -> tuple[int, dict]:
        """One signed transaction, retried on timeouts and 5xx with the same X-EXTERNAL-ID and body."""
        if token is None and (self.token is None or time.monotonic() > self.token_expires):
            self.get_token()
        body = json.dumps(payload, separators=(",", ":")).encode()
        external_id = external_id or self.external_id()
        full = f"{BASE}{path}"
        for attempt in range(self.retries + 1):
            tok = token or self.token
            ts = self.timestamp()
            sig = signing.sign_transaction(self.secret, "POST", full, tok, body, ts)
            if tamper:
                sig = sig[:-4] + ("AAAA" if not sig.endswith("AAAA") else "BBBB")
            headers = {"Authorization": f"Bearer {tok}", "X-TIMESTAMP": ts, "X-SIGNATURE": sig,
                       "X-PARTNER-ID": self.client_key, "X-EXTERNAL-ID": external_id, "CHANNEL-ID": self.channel_id}
            try:
                status, answer = self._send("POST", full, headers, body)
            except (TimeoutError, urllib.error.URLError, ConnectionError, OSError):
                if attempt == self.retries:
                    raise
                time.sleep(self.backoff * (attempt + 1))
                continue
            if status == 401 and answer.get("responseCode", "").endswith("01") and token is None and attempt == 0:
                self.get_token()  # expired token: a new one, then the same request again
                continue
            if status >= 500 and attempt < self.retries:
                time.sleep(self.backoff * (attempt + 1))
                continue
            return status, answer
        return status, answer

    def _send(self, method, path, headers, body):
        status, answer = self.transport.send(method, path, headers, body)
        self.log.append((path, status, str(answer.get("responseCode", ""))))
        return status, answer

    # --- the biller exchange ----------------------------------------------------------------------------
    def va(self, customer: str) -> dict:
        return {"partnerServiceId": self.service_id.rjust(8), "customerNo": customer,
                "virtualAccountNo": self.service_id.rjust(8) + customer}

    def inquiry(self, customer: str, inquiry_id: str | None = None, **kw) -> tuple[int, dict]:
        payload = {**self.va(customer), "inquiryRequestId": inquiry_id or uuid.uuid4().hex,
                   "trxDateInit": self.timestamp(), "channelCode": 6011, "language": "ID",
                   "additionalInfo": {}}
        return self.call("/transfer-va/inquiry", payload, **kw)

    def payment(self, customer: str, amount: str | int, payment_id: str | None = None,
                inquiry_id: str | None = None, trx_time: str | None = None, **kw) -> tuple[int, dict]:
        value = amount if isinstance(amount, str) else f"{int(amount)}.00"
        payload = {**self.va(customer), "paymentRequestId": payment_id or uuid.uuid4().hex[:32],
                   "paidAmount": {"value": value, "currency": "IDR"},
                   "trxDateTime": trx_time or self.timestamp(), "channelCode": 6011, "additionalInfo": {}}
        if inquiry_id:
            payload["inquiryRequestId"] = inquiry_id
        return self.call("/transfer-va/payment", payload, **kw)

    def status(self, customer: str, payment_id: str, inquiry_id: str | None = None, **kw) -> tuple[int, dict]:
        payload = {**self.va(customer), "paymentRequestId": payment_id, "additionalInfo": {}}
        if inquiry_id:
            payload["inquiryRequestId"] = inquiry_id
        return self.call("/transfer-va/status", payload, **kw)

    def pay_bill(self, customer: str) -> dict:
        """The whole exchange a till does: inquiry, payment of exactly what was shown, status check."""
        inquiry_id = uuid.uuid4().hex
        st, bill = self.inquiry(customer, inquiry_id)
        out = {"inquiry": (st, bill)}
        if st != 200:
            return out
        total = bill["virtualAccountData"]["totalAmount"]["value"]
        payment_id = uuid.uuid4().hex[:32]
        out["payment"] = self.payment(customer, total, payment_id, inquiry_id)
        out["status"] = self.status(customer, payment_id, inquiry_id)
        return out

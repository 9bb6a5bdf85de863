"""SNAP endpoints under /snap: plain Django views (no session, no CSRF), every answer a SNAP JSON body."""

from __future__ import annotations

import json

from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from . import services
from .services import SERVICE_INQUIRY, SERVICE_PAYMENT, SERVICE_STATUS, SERVICE_TOKEN


def _respond(status: int, body: dict) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["X-TIMESTAMP"] = timezone.localtime().isoformat(timespec="seconds")
    return response


def _method_not_allowed(service: str) -> JsonResponse:
    response = _respond(405, {"responseCode": f"405{service}00", "responseMessage": "Method Not Allowed",
                              "additionalInfo": {"pesan": "Gunakan POST."}})
    response["Allow"] = "POST"
    return response


def _guard(service, view):
    def wrapped(request):
        if request.method != "POST":
            return _method_not_allowed(service)
        try:
            return view(request)
        except Exception:  # never an HTML page: a SNAP general error, and the trace in the server log
            import logging

            logging.getLogger("jaring.snap").exception("SNAP %s failed", request.path)
            return _respond(500, {"responseCode": f"500{service}00", "responseMessage": "General Error"})
    return csrf_exempt(wrapped)


def _access_token(request):
    try:
        body = json.loads(request.body or b"")
    except ValueError:
        return _respond(*services.error_body(SERVICE_TOKEN, services.bad_format("body", "Badan bukan JSON.")))
    h = request.headers
    return _respond(*services.issue_token(h.get("X-CLIENT-KEY"), h.get("X-TIMESTAMP"), h.get("X-SIGNATURE"), body))


def _transaction(service):
    def view(request):
        return _respond(*services.handle(service, request.method, request.path, request.headers, request.body))
    return view


access_token = _guard(SERVICE_TOKEN, _access_token)
inquiry = _guard(SERVICE_INQUIRY, _transaction(SERVICE_INQUIRY))
payment = _guard(SERVICE_PAYMENT, _transaction(SERVICE_PAYMENT))
status = _guard(SERVICE_STATUS, _transaction(SERVICE_STATUS))


@csrf_exempt
def not_found(request, rest=""):
    return _respond(404, {"responseCode": "4040000", "responseMessage": "Not Found",
                          "additionalInfo": {"pesan": f"Tidak ada layanan SNAP di {request.path}."}})

"""Every request checked in one place before a view sees it, and every error answered clearly.

``RequestGuardMiddleware`` refuses, for the API (JSON ``{"detail", "errors"}``) and the pages (a
styled page) alike:
* a body larger than ``JARING_MAX_REQUEST_BYTES`` (default 20 MB) → 413, before anything reads it;
* a NUL character (``\\x00``, ``%00``) in the path, a query parameter, a form field or a JSON value
  → 422 on the API (naming the field), 400 on pages. PostgreSQL cannot store NUL in text, so it
  must never reach a query;
* a form or multipart body that cannot be parsed (no boundary, truncated) → 400.

The CLI applies the same text check to its arguments (``jaring.cli``). ``SecurityHeadersMiddleware``
adds the Content-Security-Policy (with a per-request nonce for the few inline scripts, see
``{{ csp_nonce }}``). The ``page_*`` views are the project's 400/403/404/500 handlers: the app's
frame for pages, the JSON error shape under ``/api/``, never a traceback unless ``JARING_DEBUG=1``.
"""

from __future__ import annotations

import json
import logging
import secrets

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jaring.rules.errors import RuleError

logger = logging.getLogger("jaring.guard")

NUL = "\x00"
UNGUARDED_PREFIXES = ("/snap/",)  # SNAP answers in its own body shape (its own module checks input)


def has_nul(value) -> bool:
    return isinstance(value, str) and NUL in value

def nul_message() -> str:
    return _("Karakter NUL (\\0) tidak boleh ada; hapus karakter kendali itu lalu kirim lagi.")

def wants_json(request) -> bool:
    if (request.path_info or "").startswith("/api/"):
        return True
    accept = request.META.get("HTTP_ACCEPT", "")
    return "application/json" in accept and "text/html" not in accept

def error_response(request, status: int, detail: str, errors: dict | None = None) -> HttpResponse:
    """The one error answer: JSON ``{"detail", "errors"}`` under /api/, the app's styled page elsewhere."""
    if wants_json(request):
        return JsonResponse({"detail": str(detail), "errors": errors or {}}, status=status)
    return HttpResponse(_render_page(request, status, detail, errors), status=status)

TITLES = {
    400: gettext_noop("Permintaan tidak valid"),
    403: gettext_noop("Akses ditolak"),
    404: gettext_noop("Halaman tidak ditemukan"),
    405: gettext_noop("Cara akses tidak didukung"),
    413: gettext_noop("Berkas atau data terlalu besar"),
    422: gettext_noop("Data tidak valid"),
    500: gettext_noop("Terjadi kesalahan di server"),
}


def _render_page(request, status, detail, errors=None) -> str:
    title = _(TITLES.get(status, gettext_noop("Terjadi kesalahan")))
    ctx = {"status": status, "title": title, "detail": detail, "errors": errors or {}}
    try:
        return render_to_string("errors/error.html", ctx, request=request)
    except Exception:  # the database or a context processor is down: a plain page, still no traceback
        logger.exception("error page could not be rendered")
        from django.utils.html import escape

        return (f"<!doctype html><html lang=id><meta charset=utf-8><title>{escape(title)} · Jaring</title>"
                f"<h1>{escape(title)}</h1><p>{escape(detail)}</p><p><a href=/>Jaring</a></p></html>")

def _nul_field(data, prefix="") -> str | None:
    """The dotted name of the first value (or key) in parsed JSON that contains NUL."""
    if isinstance(data, dict):
        for k, v in data.items():
            name = f"{prefix}.{k}" if prefix else str(k)
            if has_nul(k):
                return name
            found = _nul_field(v, name)
            if found:
                return found
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found = _nul_field(v, f"{prefix}.{i}" if prefix else str(i))
            if found:
                return found
    elif has_nul(data):
        return prefix or "body"
    return None

class RequestGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(UNGUARDED_PREFIXES):
            return self.get_response(request)
        refused = self.check(request)
        if refused is not None:
            return refused
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A refused business action raised in a page (DomainError) answers with its status, styled."""

        if isinstance(exception, RuleError) and not request.path_info.startswith("/api/"):
            return error_response(request, getattr(exception, "status", 422), exception.message,
                                  getattr(exception, "errors", None))
        return None

    def check(self, request):
        limit = settings.JARING_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400, _("Header Content-Length tidak valid."))
        if length > limit:
            return _too_big(request)
        status = 422 if wants_json(request) else 400
        if has_nul(request.path_info) or "%00" in request.META.get("PATH_INFO", ""):
            return error_response(request, status, nul_message(), {"path": nul_message()})
        try:
            for key, values in request.GET.lists():
                if has_nul(key) or any(has_nul(v) for v in values):
                    return error_response(request, status, nul_message(), {key.replace(NUL, ""): nul_message()})
        except TooManyFieldsSent:
            return error_response(request, 400, _("Terlalu banyak parameter dalam satu permintaan."))
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            return self.check_body(request, status)
        return None

    def check_body(self, request, status):
        ctype = (request.META.get("CONTENT_TYPE") or "").lower()
        try:
            if ctype.startswith("multipart/") or ctype.startswith("application/x-www-form-urlencoded"):
                if request.method != "POST":
                    return None  # Django parses forms on POST only; the API reads PUT/PATCH bodies as JSON
                if ctype.startswith("multipart/") and "boundary=" not in ctype:
                    return error_response(request, 400, _(
                        "Permintaan multipart tanpa boundary: kirim berkas sebagai multipart/form-data "
                        "yang lengkap (biarkan klien HTTP mengisi Content-Type)."))
                for key, values in request.POST.lists():
                    if has_nul(key) or any(has_nul(v) for v in values):
                        return error_response(request, status, nul_message(),
                                              {key.replace(NUL, ""): nul_message()})
            elif "json" in ctype or (not ctype and request.path_info.startswith("/api/")):
                body = request.body
                if b"\x00" in body or b"\\u0000" in body.lower():
                    try:
                        field = _nul_field(json.loads(body))
                    except ValueError:
                        field = "body"
                    if field:
                        return error_response(request, status, nul_message(), {field: nul_message()})
        except MultiPartParserError as e:
            return error_response(request, 400, _("Data multipart tidak bisa dibaca: %(why)s") % {"why": e})
        except RequestDataTooBig:
            return _too_big(request)
        except (TooManyFieldsSent, TooManyFilesSent):
            return error_response(request, 400, _("Terlalu banyak kolom atau berkas dalam satu permintaan."))
        except OSError:  # the client went away mid-upload (UnreadablePostError)
            return error_response(request, 400, _("Data permintaan terputus; kirim lagi."))
        return None

def _too_big(request):
    mb = settings.JARING_MAX_REQUEST_BYTES // (1024 * 1024)
    return error_response(request, 413, _("Data terlalu besar: paling banyak %(mb)s MB per permintaan.") % {"mb": mb})

class SecurityHeadersMiddleware:
    """Content-Security-Policy on every answer; inline scripts need ``nonce="{{ csp_nonce }}"``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        if settings.DEBUG and response.status_code >= 500:
            return response  # Django's debug page uses inline scripts
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.JARING_CSP.format(nonce=request.csp_nonce)
        return response

def csp_nonce(request):
    return {"csp_nonce": getattr(request, "csp_nonce", "")}

# --- error handlers (jaring/urls.py: handler400/403/404/500, CSRF_FAILURE_VIEW) ---------------------

def page_400(request, exception=None):
    return error_response(request, 400, _("Permintaan tidak valid; periksa alamat atau isian lalu coba lagi."))

def page_403(request, exception=None):
    return error_response(request, 403, _("Anda tidak berwenang membuka halaman ini."))

def csrf_failure(request, reason=""):
    return error_response(request, 403, _(
        "Formulir kedaluwarsa atau dikirim dari luar Jaring; muat ulang halaman lalu kirim lagi."))

def page_404(request, exception=None):
    if wants_json(request):
        return error_response(request, 404, _("Data tidak ditemukan."))
    return error_response(request, 404, _("Halaman yang Anda cari tidak ada; periksa alamatnya atau kembali ke beranda."))

def page_500(request):
    return error_response(request, 500, _(
        "Maaf, terjadi kesalahan di server. Kesalahan ini sudah dicatat; coba lagi beberapa saat lagi."))

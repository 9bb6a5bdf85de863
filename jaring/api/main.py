"""The HTTP API (/api/v1). Errors always look like ``{"detail": ..., "errors": {field: message}}``."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jaring.rules.errors import RuleError
from jaring.core.plugins import modules

from .auth import PEOPLE
from .errors import message_for, standard_errors

logger = logging.getLogger("django.request")

DESCRIPTION = """
Jaring's HTTP API for channel partners, agents' apps and reports.

* People authenticate with `Authorization: Bearer <token>` (`jaring tokens create --username U
  [--days N]`, valid 90 days by default; `jaring tokens revoke --username U`). Tokens of inactive or
  locked-out users are refused.
* Payment channels sign their notifications instead (see the payments endpoint).
* Errors: JSON `{"detail": "...", "errors": {"field": "message"}}` — 400 malformed body,
  401 without valid credentials, 403 outside the caller's scope, 404 unknown, 409 conflict,
  413 body over 20 MB (uploads over 10 MB), 422 invalid input (unknown fields and the NUL
  character included), 500 unexpected (logged; never a traceback).
* Money is integer Rupiah; months are `YYYY-MM`; region codes are Kemendagri codes, dotted
  (`63.71.04.1001`) or plain digits.
"""

class JaringAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The schema with every operation's standard error statuses and input rules (api/errors.py)."""
        return standard_errors(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = JaringAPI(title="Jaring API", version="1", description=DESCRIPTION, auth=PEOPLE, urls_namespace="api")


def _field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form", "header")]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def on_validation(request, exc: ValidationError):
    errors = {}
    for e in exc.errors:
        errors.setdefault(_field(e.get("loc", [])), message_for(e))
    return api.create_response(request, {"detail": "Data tidak valid; periksa kolom yang disebut.",
                                         "errors": errors}, status=422)


@api.exception_handler(RuleError)
def on_domain(request, exc: RuleError):
    """Rule and service refusals (DomainError carries its own status)."""
    return api.create_response(request, {"detail": exc.message, "errors": exc.errors},
                               status=getattr(exc, "status", 422))


@api.exception_handler(AuthenticationError)
def on_auth(request, exc):
    return api.create_response(request, {"detail": "Perlu masuk: kirim Authorization: Bearer <token>.",
                                         "errors": {}}, status=401)


@api.exception_handler(HttpError)
def on_http(request, exc: HttpError):
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = "Isi permintaan bukan JSON yang valid; periksa tanda kutip, koma dan kurung."
    return api.create_response(request, {"detail": detail, "errors": {}}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def on_too_big(request, exc):
    mb = settings.JARING_MAX_REQUEST_BYTES // (1024 * 1024)
    return api.create_response(request, {"detail": f"Data terlalu besar: paling banyak {mb} MB per permintaan.",
                                         "errors": {}}, status=413)


@api.exception_handler(MultiPartParserError)
def on_multipart(request, exc):
    return api.create_response(request, {"detail": f"Data multipart tidak bisa dibaca: {exc}", "errors": {}},
                               status=400)


@api.exception_handler(OverflowError)
def on_overflow(request, exc):
    """A number larger than the database can hold (e.g. 2^63) is invalid input, not a server error."""
    return api.create_response(request, {"detail": "Angka terlalu besar; periksa isian angka.", "errors": {}},
                               status=422)


@api.exception_handler(DataError)
def on_data_error(request, exc):
    """Values the database refuses (out of range, too long): invalid input, not a server error."""
    logger.warning("refused by the database: %s %s", request.path, exc)
    return api.create_response(request, {"detail": "Data di luar batas yang bisa disimpan; periksa panjang teks "
                                                   "dan besar angka.", "errors": {}}, status=422)


@api.exception_handler(Exception)
def on_error(request, exc):
    """Anything unexpected: logged once with its traceback, answered with the JSON error shape."""
    if settings.DEBUG:
        raise exc
    logger.error("Internal Server Error: %s", request.path, exc_info=exc)
    response = api.create_response(request, {"detail": "Maaf, terjadi kesalahan di server; kesalahan ini sudah "
                                                        "dicatat. Coba lagi beberapa saat lagi.", "errors": {}},
                                   status=500)
    response._has_been_logged = True  # Django would log the same failure a second time
    return response


@api.exception_handler(Http404)
def on_404(request, exc):
    return api.create_response(request, {"detail": "Data tidak ditemukan.", "errors": {}}, status=404)


for app, module in modules("api"):
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router("/", router)

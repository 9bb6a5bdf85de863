"""The HTTP API (/api/v1). Errors always look like ``{"detail": ..., "errors": {field: message}}``."""

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jaring.rules.errors import RuleError
from jaring.core.plugins import modules

from .auth import PEOPLE

DESCRIPTION = """
Jaring's HTTP API for channel partners, agents' apps and reports.

* People authenticate with `Authorization: Bearer <token>` (`jaring tokens create --username U`).
* Payment channels sign their notifications instead (see the payments endpoint).
* Errors: JSON `{"detail": "...", "errors": {"field": "message"}}` — 401 without credentials,
  403 outside the caller's scope, 404 unknown, 409 conflict, 422 invalid input.
* Money is integer Rupiah; months are `YYYY-MM`; region codes are Kemendagri codes, dotted
  (`63.71.04.1001`) or plain digits.
"""

api = NinjaAPI(title="Jaring API", version="1", description=DESCRIPTION, auth=PEOPLE, urls_namespace="api")


def _field(loc) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload", "form", "header")]
    return ".".join(parts) or "request"


@api.exception_handler(ValidationError)
def on_validation(request, exc: ValidationError):
    errors = {}
    for e in exc.errors:
        errors.setdefault(_field(e.get("loc", [])), e.get("msg", "tidak valid"))
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
    return api.create_response(request, {"detail": str(exc), "errors": {}}, status=exc.status_code)


@api.exception_handler(Http404)
def on_404(request, exc):
    return api.create_response(request, {"detail": "Data tidak ditemukan.", "errors": {}}, status=404)


for app, module in modules("api"):
    router = getattr(module, "router", None)
    if router is not None:
        api.add_router("/", router)

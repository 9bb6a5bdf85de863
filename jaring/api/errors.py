"""The API's error answers, declared once (docs/architecture.md, "API errors").

Every error is ``{"detail": "...", "errors": {"field": "message"}}`` (``ErrorOut``).

* In a route: ``response={200: ThingOut, **errors(404, 409)}`` declares the statuses that operation's
  own rules give (404 unknown, 409 conflict, 403 outside the caller's scope ...).
* Everything every operation can answer regardless of its rules is added to the schema by
  ``standard_errors`` (called from ``JaringAPI.get_openapi_schema``): 422 invalid input and 400 a
  malformed request; 413 for any operation with a body; 401 and 403 for any operation that needs
  credentials; 404 for any operation that names something (path, query or body); 409 for any operation
  that writes. So a new router gets them without doing anything.
* Free-text string inputs (no pattern, format or enum of their own) get the pattern ``NO_NUL``: the
  request guard (jaring.core.guard) refuses the NUL character everywhere.
"""

from __future__ import annotations

from ninja import Schema

NO_NUL = "^[^\\u0000]*$"

REASONS = {
    400: "Permintaan rusak (JSON atau multipart tidak bisa dibaca).",
    401: "Tanpa kredensial atau token tidak berlaku: kirim Authorization: Bearer <token>.",
    403: "Di luar wewenang atau wilayah pemanggil.",
    404: "Tidak ditemukan.",
    409: "Bentrok dengan data yang ada.",
    413: "Data terlalu besar.",
    422: "Data tidak valid; errors menyebut kolom dan alasannya.",
    500: "Kesalahan server.",
}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = {}


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """``{status: ErrorOut}`` for a route's ``response=`` mapping: ``{200: Out, **errors(404, 409)}``."""
    return {int(s): ErrorOut for s in statuses}


def _error_ref(schema: dict) -> dict:
    comps = schema.setdefault("components", {}).setdefault("schemas", {})
    comps.setdefault("ErrorOut", {
        "title": "ErrorOut", "type": "object", "required": ["detail", "errors"],
        "properties": {"detail": {"title": "Detail", "type": "string"},
                       "errors": {"title": "Errors", "type": "object",
                                  "additionalProperties": {"type": "string"}}}})
    return {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}


def _strings(node, seen=None):
    """Every string schema inside ``node`` (parameters, bodies, component schemas)."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not ({"pattern", "format", "enum", "const"} & node.keys()):
            yield node
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


def standard_errors(schema: dict) -> dict:
    """Add the statuses every operation can answer, with ``ErrorOut`` bodies, to an OpenAPI dict."""
    ref = _error_ref(schema)
    global_security = bool(schema.get("security"))
    for path, ops in schema.get("paths", {}).items():
        for method, op in ops.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            responses = op["responses"]
            add = {400, 422}
            if op.get("requestBody"):
                add.add(413)
            if op.get("security", None if global_security else []):
                add |= {401, 403}
            if op.get("parameters") or op.get("requestBody"):
                add.add(404)  # an identifier it names (path, query or body) is unknown
            if method in ("post", "put", "patch", "delete"):
                add.add(409)  # conflicts with existing data (duplicate NIK, reference replayed ...)
            for status in sorted(add):
                key = str(status)
                if key not in responses:
                    responses[key] = {"description": REASONS[status], **ref}
                elif "content" not in responses[key]:
                    responses[key].update(ref)
    for node in _strings({k: v for k, v in schema.items() if k in ("paths", "components")}):
        node["pattern"] = NO_NUL
    return schema


def message_for(error: dict) -> str:
    """A pydantic validation error in the words a person reads (Bahasa Indonesia)."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    texts = {
        "missing": "Wajib diisi.",
        "int_parsing": "Harus bilangan bulat.",
        "int_type": "Harus bilangan bulat.",
        "int_from_float": "Harus bilangan bulat (tanpa pecahan).",
        "float_parsing": "Harus angka.",
        "bool_parsing": "Harus true atau false.",
        "string_type": "Harus teks.",
        "date_parsing": "Tanggal harus berformat YYYY-MM-DD.",
        "date_from_datetime_parsing": "Tanggal harus berformat YYYY-MM-DD.",
        "datetime_parsing": "Waktu harus berformat ISO 8601 (YYYY-MM-DDTHH:MM:SS+07:00).",
        "datetime_from_date_parsing": "Waktu harus berformat ISO 8601 (YYYY-MM-DDTHH:MM:SS+07:00).",
        "list_type": "Harus daftar (list).",
        "dict_type": "Harus objek JSON.",
        "model_attributes_type": "Harus objek JSON.",
        "json_invalid": "JSON tidak valid.",
        "enum": "Pilih salah satu: {expected}.",
        "literal_error": "Pilih salah satu: {expected}.",
        "greater_than_equal": "Paling kecil {ge}.",
        "greater_than": "Harus lebih dari {gt}.",
        "less_than_equal": "Paling besar {le}.",
        "less_than": "Harus kurang dari {lt}.",
        "string_too_short": "Paling sedikit {min_length} karakter.",
        "string_too_long": "Paling banyak {max_length} karakter.",
        "string_pattern_mismatch": "Format tidak sesuai (pola {pattern}).",
        "too_short": "Paling sedikit {min_length} isian.",
        "too_long": "Paling banyak {max_length} isian.",
    }
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    if kind == "extra_forbidden":
        return "Kolom tidak dikenal; hapus kolom ini (lihat skema OpenAPI)."
    text = texts.get(kind)
    if text is None:
        return str(error.get("msg") or "Tidak valid.")
    try:
        return text.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return text.split("{")[0].strip() or str(error.get("msg"))

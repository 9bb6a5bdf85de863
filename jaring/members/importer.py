"""Bulk import of member lists (CSV or XLSX) from agents, sponsors and regional governments.

Each row is validated in Python with the same checks as a single registration (cheap: no query per row,
reference data is prefetched), duplicates inside the file and against the database are row errors, and
valid rows are inserted set-based: one block of KPJ serials, ``bulk_create`` in chunks. Every row ends up
either imported or in ``errors`` with its reasons — nothing is silently dropped.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from jaring.accounts.services import role_of
from jaring.core import audit
from jaring.core.errors import DomainError
from jaring.core.spreadsheets import read_rows, writer
from jaring.regions.codes import translator
from jaring.regions.models import Region
from jaring.regions.selectors import normalize_code
from jaring.rules.errors import RuleError
from jaring.rules.identifiers import mask_nik

from . import services
from .models import Channel, ImportJob, Member

MAX_ROWS = settings.JARING_MAX_IMPORT_ROWS
CHUNK = 1_000
COLUMNS = ["nik", "name", "birth_date", "gender", "phone", "village_code", "address", "occupation",
           "second_occupation", "income", "programs"]
REQUIRED_COLUMNS = ["nik", "name", "phone", "village_code", "occupation", "income"]
ALIASES = {
    "nama": "name", "nama_lengkap": "name", "tanggal_lahir": "birth_date", "tgl_lahir": "birth_date",
    "jenis_kelamin": "gender", "jk": "gender", "hp": "phone", "no_hp": "phone", "nomor_hp": "phone",
    "telepon": "phone", "kode_desa": "village_code", "desa": "village_code", "alamat": "address",
    "pekerjaan": "occupation", "pekerjaan_kedua": "second_occupation", "sektor": "sector",
    "penghasilan": "income", "upah": "income", "program": "programs",
}
LABELS = {"nik": "NIK", "name": "nama", "birth_date": "tanggal lahir", "gender": "jenis kelamin", "phone": "HP",
          "village_code": "kode desa", "address": "alamat", "occupation": "pekerjaan",
          "second_occupation": "pekerjaan kedua", "sector": "sektor", "income": "penghasilan",
          "programs": "program", "row": "baris", "import": "impor"}

def _header(name) -> str:
    key = str(name or "").strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(key, key)

def _cell(v):
    """JSON-safe cell values: XLSX numbers and dates become the text a person would type."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (int, float)):
        return str(v)
    return str(v).strip()

def read_table(fileobj, filename: str) -> list[dict]:
    """Rows of a CSV (comma or semicolon, UTF-8 or Windows-1252) or XLSX file with a header row.

    Headers may be English (``nik, name, birth_date ...``) or Indonesian (``nama, tanggal_lahir ...``).
    Each dict also carries ``_row``, the row number in the file (header = 1). Blank lines are skipped.
    The file is read by ``jaring.core.spreadsheets.read_rows``: size checked first (413), XLSX streamed
    without trusting its declared dimensions, at most ``MAX_ROWS`` rows (422).
    """
    table = read_rows(fileobj, filename, limit=MAX_ROWS)
    if not table:
        raise DomainError("Berkas kosong: baris pertama harus judul kolom, lalu satu baris per pekerja.",
                          {"file": "Berkas kosong."})
    headers = [_header(h) for h in table[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        msg = ("Kolom wajib tidak ada: " + ", ".join(missing) + ". Unduh contoh berkas untuk melihat judul kolom.")
        raise DomainError(msg, {"file": msg})
    rows = []
    for number, values in enumerate(table[1:], start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        row = {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers) if h}
        row["_row"] = number
        rows.append(row)
    return rows

class PlaceCache:
    """Village → Place for the villages named in a batch, fetched with one query (no query per row)."""

    def __init__(self, codes):
        wanted = set()
        for c in codes:
            try:
                wanted.add(normalize_code(str(c)))
            except Exception:
                continue
        wanted.discard("")

        self.translate = translator()  # a village written with an old regency code (before a split)
        wanted |= {self.translate(c) for c in wanted}
        branches = dict(Region.objects.filter(level=Region.REGENCY).values_list("code", "branch_id"))
        self.places = {}
        wanted = list(wanted)
        for i in range(0, len(wanted), 500):
            # by primary key only (a level filter would make SQLite scan the level index instead)
            for code, level in Region.objects.filter(code__in=wanted[i:i + 500]).values_list("code", "level"):
                if level != Region.VILLAGE:
                    continue
                p = code.split(".")
                regency = ".".join(p[:2])
                self.places[code] = services.Place(code, ".".join(p[:3]), regency, p[0], branches.get(regency))

    def __call__(self, code):
        return self.places.get(code) or self.places.get(self.translate(code))

@dataclass
class ImportResult:
    total: int = 0
    imported: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row_number, row_dict, {field: message})
    valid: int = 0  # rows that passed every check (dry run: would be imported)

    def error_csv(self) -> bytes:
        return errors_csv(self.errors)

    def as_dict(self) -> dict:
        return {"total": self.total, "imported": len(self.imported), "errors": len(self.errors), "valid": self.valid}

def errors_csv(errors) -> bytes:
    """The rejected rows as CSV (UTF-8 with BOM for Excel): row number, reasons, then the row as sent."""
    columns: list[str] = []
    for _n, row, _e in errors:
        for k in row:
            if k != "_row" and k not in columns:
                columns.append(k)
    out = io.StringIO()
    w = writer(out)
    w.writerow(["baris", "galat"] + columns)
    for number, row, errs in errors:
        reasons = "; ".join(f"{LABELS.get(f, f)}: {m}" for f, m in errs.items())
        w.writerow([number, reasons] + [row.get(c, "") for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")

def template_csv() -> bytes:
    out = io.StringIO()
    w = writer(out)
    w.writerow(COLUMNS)
    w.writerow(["6371041508900001", "Ahmad Fauzi", "1990-08-15", "L", "0812-3456-7890", "63.71.04.1001",
                "Jl. Alalak Tengah RT 03", "pedagang", "", "1500000", "JKK,JKM"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")

def import_rows(rows, *, actor, channel, funding, defaults=None, dry_run=False, on: date | None = None,
                first_row: int = 2) -> ImportResult:
    """Validate every row, then insert the valid ones set-based (unless ``dry_run``).

    ``defaults`` fill empty cells (e.g. ``{"programs": "JKK,JKM"}`` for a sponsor's list). Row numbers come
    from ``row["_row"]`` (``read_table``) or count from ``first_row``.
    """
    on = on or services.today()
    services._check_channel(channel, funding)
    rows = list(rows)
    result = ImportResult(total=len(rows))
    defaults = {"programs": "JKK,JKM", **(defaults or {})}
    schedule = services._schedule()
    places = PlaceCache(r.get("village_code", "") for r in rows)

    good: list[tuple[int, dict, dict]] = []
    seen: dict[str, int] = {}
    for i, row in enumerate(rows):
        number = row.get("_row", first_row + i)
        data = dict(defaults)
        data.update({k: v for k, v in row.items() if k != "_row" and v not in (None, "")})
        cleaned, errs = services.clean_registration(data, on=on, schedule=schedule, place_for=places)
        nik = cleaned.get("nik")
        if nik and nik in seen:
            errs["nik"] = f"NIK {mask_nik(nik)} sudah ada di baris {seen[nik]} berkas ini; satu NIK satu baris."
        elif nik:
            seen[nik] = number
        if errs:
            result.errors.append((number, row, errs))
        else:
            good.append((number, row, cleaned))

    # duplicates against members already registered (one query per 500 NIKs)
    niks = [c["nik"] for _n, _r, c in good]
    taken = {}
    for i in range(0, len(niks), 500):
        taken.update(Member.objects.filter(nik__in=niks[i:i + 500]).values_list("nik", "status"))
    if taken:
        still = []
        for number, row, cleaned in good:
            status = taken.get(cleaned["nik"])
            if status == "rejected":
                result.errors.append((number, row, {"nik": "Pendaftaran NIK ini pernah ditolak; daftarkan ulang "
                                                           "satu per satu lewat formulir pendaftaran."}))
            elif status == "inactive":
                result.errors.append((number, row, {"nik": "NIK ini milik peserta nonaktif (3 bulan berturut-turut "
                                                           "tidak membayar); aktifkan kembali dengan mendaftarkan "
                                                           "ulang satu per satu lewat formulir pendaftaran, dengan "
                                                           "data dan pekerjaan terbaru."}))
            elif status:
                result.errors.append((number, row, {"nik": "NIK ini sudah terdaftar sebagai peserta."}))
            else:
                still.append((number, row, cleaned))
        good = still
    result.valid = len(good)
    result.errors.sort(key=lambda e: e[0])
    if dry_run or not good:
        return result

    for attempt in range(3):
        try:
            with transaction.atomic():
                members = _insert(good, actor=actor, channel=channel, funding=funding, on=on)
            break
        except IntegrityError:
            # someone registered one of these NIKs meanwhile: move those rows to errors and try again
            now_taken = set(Member.objects.filter(nik__in=[c["nik"] for _n, _r, c in good])
                            .values_list("nik", flat=True))
            if not now_taken or attempt == 2:
                raise
            result.errors.extend((n, r, {"nik": "NIK ini sudah terdaftar sebagai peserta."})
                                 for n, r, c in good if c["nik"] in now_taken)
            good = [g for g in good if g[2]["nik"] not in now_taken]
            result.errors.sort(key=lambda e: e[0])
            result.valid = len(good)
    result.imported = members
    return result

def _insert(good, *, actor, channel, funding, on) -> list[Member]:
    kpjs = services.allocate_kpj(len(good))
    members = [services.build_member(c, kpj=kpj, on=on, channel=channel, funding=funding, actor=actor)
               for (_n, _r, c), kpj in zip(good, kpjs)]
    Member.objects.bulk_create(members, batch_size=CHUNK)
    if not all(m.pk for m in members):  # backends that do not return ids
        ids = dict(Member.objects.filter(kpj__in=kpjs).values_list("kpj", "pk"))
        for m in members:
            m.pk = m.id = ids[m.kpj]
    user = actor if getattr(actor, "is_authenticated", False) else None
    audit.record_many([
        audit.event(user, "member.register", m,
                    changes={"kpj": [None, m.kpj], "status": [None, m.status], "channel": [None, channel],
                             "funding": [None, funding], "branch": [None, m.branch_id]},
                    note=f"impor baris {n}")
        for (n, _r, _c), m in zip(good, members)], batch_size=CHUNK)
    if channel == Channel.AGENT and actor is not None:
        services.attribute_to_agent(members, actor)
    return members

# --- import jobs (the upload page) ------------------------------------------------------------------------

def channel_for(user) -> tuple[str, list[str]]:
    """The channel an importer's rows come in through and the funding sources that user may choose."""

    role = role_of(user)
    if role == "agent":
        return Channel.AGENT, ["self"]
    if role == "sponsor":
        sponsor = getattr(user, "sponsor", None)
        return Channel.SPONSOR_IMPORT, [getattr(sponsor, "funding", None) or "sponsor"]
    return Channel.BRANCH, ["self", "sponsor", "apbd", "apbn"]

def start_job(fileobj, filename, *, actor, channel, funding, defaults=None) -> ImportJob:
    """Read the file, check every row (dry run) and keep it as a job awaiting confirmation."""
    rows = read_table(fileobj, filename)
    preview = import_rows(rows, actor=actor, channel=channel, funding=funding, defaults=defaults, dry_run=True)
    return ImportJob.objects.create(
        created_by=actor if getattr(actor, "is_authenticated", False) else None, filename=str(filename)[:200],
        channel=channel, funding=funding, defaults=defaults or {}, total=len(rows), rows=rows,
        errors=[list(e) for e in preview.errors], preview_errors=len(preview.errors))

def begin_job(job: ImportJob) -> ImportJob:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.state == ImportJob.State.PREVIEW:
            job.state, job.processed, job.imported, job.errors = ImportJob.State.RUNNING, 0, 0, []
            job.save()
    return job

def cancel_job(job: ImportJob) -> None:
    ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.PREVIEW).update(state=ImportJob.State.CANCELLED,
                                                                             rows=[])

def run_chunk(job_id: int, *, actor=None, size: int = CHUNK) -> ImportJob:
    """Import the next ``size`` rows of a running job in one transaction (with the job's cursor)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.state != ImportJob.State.RUNNING:
            return job
        chunk = job.rows[job.processed:job.processed + size]
        try:
            result = import_rows(chunk, actor=actor or job.created_by, channel=job.channel, funding=job.funding,
                                 defaults=job.defaults, first_row=job.processed + 2)
        except RuleError as e:
            # the whole import was refused (e.g. a suspended agent): every remaining row is reported, none lost
            rest = job.rows[job.processed:]
            job.errors = job.errors + [[r.get("_row", job.processed + 2 + i), r, {"import": e.message}]
                                       for i, r in enumerate(rest)]
            job.processed, job.state, job.rows = job.total, ImportJob.State.DONE, []
            job.save()
            return job
        job.errors = job.errors + [list(e) for e in result.errors]
        job.imported += len(result.imported)
        job.processed += len(chunk)
        if job.processed >= job.total:
            job.state, job.rows = ImportJob.State.DONE, []
        job.save()
    return job

def run_job(job: ImportJob, *, actor=None, progress=None) -> ImportJob:
    """Run a job to the end (CLI and tests); the page does the same one chunk per poll."""
    job = begin_job(job)
    while job.state == ImportJob.State.RUNNING:
        job = run_chunk(job.pk, actor=actor)
        if progress:
            progress(f"{job.processed}/{job.total} baris")
    return job

"""Reading uploaded spreadsheets safely and writing CSV/XLSX that cannot run formulas.

Reading (``read_rows``): the upload's size is checked before anything is read
(``JARING_MAX_UPLOAD_BYTES``, 413); an XLSX is opened in openpyxl's read-only mode, its
uncompressed size checked first, the sheet's *declared* range refused when over the row or column
limit (a 10 KB file may declare ``A1:XFD60000``: one billion empty cells) and otherwise not
trusted (never padded to), rows streamed and capped at ``MAX_COLUMNS`` columns,
and reading stops at the first row over the limit (``JARING_MAX_IMPORT_ROWS``, 422) — so a
2-million-row file is refused after reading 50,001 rows, not all of them.

Writing (``safe_cell`` / ``safe_row`` / ``writer`` / ``sheet_title``): a text cell starting with
``= + - @``, a tab or a carriage return is prefixed with an apostrophe, so Excel and LibreOffice show
it as text instead of running it (CSV/formula injection, e.g. ``=HYPERLINK(...)`` in a rejected row
sent back in an error file). Every CSV and XLSX the app writes goes through these.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from django.conf import settings

from jaring.core.errors import DomainError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_COLUMNS = 64
MAX_XLSX_UNCOMPRESSED = 64 * 1024 * 1024  # the sheet XML and shared strings together


# --- writing ----------------------------------------------------------------------------------------

def safe_cell(value):
    """``value`` unchanged unless it is text a spreadsheet would read as a formula: then ``'`` + text."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [safe_cell(v) for v in row]


class _SafeWriter:
    def __init__(self, inner):
        self._inner = inner

    def writerow(self, row):
        return self._inner.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(fileobj, **kwargs) -> _SafeWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``."""
    return _SafeWriter(csv.writer(fileobj, **kwargs))


_TITLE_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_title(text: str, default: str = "Data") -> str:
    """An XLSX sheet title Excel accepts: no ``[ ] : * ? / \\``, not starting/ending with ``'``, ≤ 31 chars."""
    title = _TITLE_BAD.sub("-", str(text or "")).strip().strip("'")[:31].strip()
    return title or default


# --- reading ----------------------------------------------------------------------------------------

def max_upload_bytes() -> int:
    return settings.JARING_MAX_UPLOAD_BYTES


def max_rows() -> int:
    return settings.JARING_MAX_IMPORT_ROWS


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def size_of(fileobj) -> int | None:
    size = getattr(fileobj, "size", None)
    if size is not None:
        return int(size)
    try:
        pos = fileobj.tell()
        fileobj.seek(0, io.SEEK_END)
        end = fileobj.tell()
        fileobj.seek(pos)
        return end - pos
    except (AttributeError, OSError, ValueError):
        return None


def check_size(fileobj, limit: int | None = None) -> None:
    """413 when the upload is over the limit, before a byte of it is read."""
    limit = limit or max_upload_bytes()
    size = size_of(fileobj)
    if size is not None and size > limit:
        msg = (f"Berkas terlalu besar ({_mb(size)}): paling besar {_mb(limit)}. "
               "Pecah berkasnya menjadi beberapa bagian.")
        raise DomainError(msg, {"file": msg}, status=413)


def _too_many_rows(limit: int):
    msg = f"Berkas terlalu besar: paling banyak {limit:,} baris sekali impor; pecah berkasnya.".replace(",", ".")
    return DomainError(msg, {"file": "Terlalu banyak baris."})


def read_rows(fileobj, filename: str, *, limit: int | None = None, max_bytes: int | None = None) -> list[list]:
    """The rows (header first) of a CSV or XLSX upload, within the size and row limits.

    ``limit`` counts data rows after the header (blank ones included: they cost reading too).
    """
    limit = limit or max_rows()
    check_size(fileobj, max_bytes)
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _xlsx_rows(fileobj, limit)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _csv_rows(fileobj, limit, max_bytes or max_upload_bytes())
    raise DomainError("Jenis berkas tidak dikenal: unggah CSV atau XLSX (Excel).", {"file": "Hanya CSV/XLSX."})


def _csv_rows(fileobj, limit: int, max_bytes: int) -> list[list]:
    raw = fileobj.read(max_bytes + 1)
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > max_bytes:
        check_size(io.BytesIO(raw), max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    text = text.replace("\x00", "")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > limit + 1:
                raise _too_many_rows(limit)
    except csv.Error:
        raise DomainError("Berkas CSV tidak bisa dibaca (kutip tidak tertutup atau kolom terlalu panjang).",
                          {"file": "CSV rusak."}) from None
    return rows


def _xlsx_rows(fileobj, limit: int) -> list[list]:
    from openpyxl import load_workbook

    unreadable = DomainError("Berkas XLSX tidak bisa dibaca; simpan ulang dari Excel sebagai .xlsx.",
                             {"file": "XLSX rusak."})
    data = fileobj.read()
    if isinstance(data, str):
        raise unreadable
    buf = io.BytesIO(data)
    try:
        with zipfile.ZipFile(buf) as zf:
            inflated = sum(i.file_size for i in zf.infolist()
                           if i.filename.startswith("xl/worksheets/") or i.filename == "xl/sharedStrings.xml")
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if inflated > MAX_XLSX_UNCOMPRESSED:
        msg = (f"Isi berkas XLSX terlalu besar setelah dibuka ({_mb(inflated)}; paling besar "
               f"{_mb(MAX_XLSX_UNCOMPRESSED)}). Pecah berkasnya.")
        raise DomainError(msg, {"file": msg}, status=413)
    buf.seek(0)
    try:
        wb = load_workbook(buf, read_only=True, data_only=True)
    except Exception:
        raise unreadable from None
    try:
        if not wb.worksheets:
            return []
        ws = wb.worksheets[0]
        # the sheet's declared range (e.g. A1:XFD60000 in a 10 KB file) is checked before any row is read
        declared_rows, declared_cols = ws.max_row, ws.max_column
        if declared_cols and declared_cols > MAX_COLUMNS:
            msg = (f"Lembar pertama menyatakan {declared_cols:,} kolom; paling banyak {MAX_COLUMNS} kolom. Hapus "
                   "kolom kosong di kanan data lalu simpan ulang.").replace(",", ".")
            raise DomainError(msg, {"file": msg})
        if declared_rows and declared_rows > limit + 1:
            raise _too_many_rows(limit)
        ws.reset_dimensions()  # not trusted either way: only the rows really in the file are read
        rows = []
        try:
            for values in ws.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                row = list(values)
                while row and row[-1] is None:
                    row.pop()
                rows.append(row)
                if len(rows) > limit + 1:
                    raise _too_many_rows(limit)
        except DomainError:
            raise
        except Exception:
            raise unreadable from None
        return rows
    finally:
        wb.close()

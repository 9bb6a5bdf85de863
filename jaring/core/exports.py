"""Every dashboard table as CSV or XLSX (openpyxl), same columns and numbers as on screen."""

from __future__ import annotations

import io

from django.http import HttpResponse

from jaring.core.spreadsheets import safe_row, sheet_title, writer


def as_csv(filename: str, headers: list[str], rows: list[list]) -> HttpResponse:
    buf = io.StringIO()
    w = writer(buf)
    w.writerow(headers)
    w.writerows([["" if v is None else v for v in r] for r in rows])
    resp = HttpResponse(("\ufeff" + buf.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return resp


def as_xlsx(filename: str, headers: list[str], rows: list[list], title: str = "Data") -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(title)
    ws.append(safe_row(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append(safe_row(r))
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(12, len(str(h)) + 2)
    buf = io.BytesIO()
    wb.save(buf)
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return resp


def respond(fmt: str, filename: str, headers: list[str], rows: list[list], title: str = "Data") -> HttpResponse:
    if fmt == "xlsx":
        return as_xlsx(filename, headers, rows, title)
    return as_csv(filename, headers, rows)

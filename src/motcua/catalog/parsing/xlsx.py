"""The ministries' "DANH SÁCH THỦ TỤC HÀNH CHÍNH" spreadsheets (ministry_lists/*.xlsx).

One sheet; a title block, then a header row "Mã số | Tên | Cơ quan ban hành |
Cơ quan thực hiện | Lĩnh vực" (row 2 in the shipped files) and one procedure
per row. Only these five columns exist, so the procedures are minimal: code,
name, issuing ministry, implementing agencies and field.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

from django.utils.translation import gettext as _

from .text import clean, fold, normalize_code, or_empty
from .types import ParsedProcedure, ParseError, ParseFailure

# Folded header → the column it names.
_HEADERS = {
    "ma so": "code",
    "ten": "name",
    "co quan ban hanh": "issuing_body",
    "co quan thuc hien": "implementing_agency",
    "linh vuc": "field",
}
_HEADER_SEARCH_ROWS = 10


def iter_xlsx(path: str | Path) -> Iterator[ParsedProcedure]:
    """Yield every procedure of a ministry list, strictly.

    Blank rows are skipped; a bad row raises :class:`ParseError` naming the row.
    Use :func:`motcua.catalog.parsing.iter_source` to collect bad rows instead.
    """
    for row_number, result in iter_xlsx_rows(path):
        if isinstance(result, ParseFailure):
            raise ParseError(
                _("Dòng %(row)s: %(reason)s") % {"row": row_number, "reason": result.reason}
            )
        yield result


def iter_xlsx_rows(path: str | Path) -> Iterator[tuple[int, ParsedProcedure | ParseFailure]]:
    """Yield (sheet row number, procedure or failure) for each non-blank data row."""
    # openpyxl is imported here: only this reader needs it.
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        columns: dict[str, int] | None = None
        for row_number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if columns is None:
                columns = _header(cells)
                if columns is None and row_number >= _HEADER_SEARCH_ROWS:
                    raise ParseError(_("Không tìm thấy dòng tiêu đề «Mã số | Tên | …»."))
                continue
            if not any(clean(cell) for cell in cells):
                continue
            raw = json.dumps([None if c is None else str(c) for c in cells], ensure_ascii=False)
            try:
                yield row_number, parse_xlsx_row(cells, columns)
            except ParseError as error:
                yield row_number, ParseFailure(row=row_number, reason=str(error), raw=raw)
        if columns is None:
            raise ParseError(_("Không tìm thấy dòng tiêu đề «Mã số | Tên | …»."))
    finally:
        workbook.close()


def _header(cells: Sequence[object]) -> dict[str, int] | None:
    columns = {}
    for index, cell in enumerate(cells):
        key = _HEADERS.get(fold(clean(cell)))
        if key:
            columns[key] = index
    return columns if {"code", "name"} <= columns.keys() else None


def parse_xlsx_row(cells: Sequence[object], columns: dict[str, int]) -> ParsedProcedure:
    """One data row (values in sheet order) with ``columns`` mapping field → index."""

    def cell(key: str) -> object:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    code = normalize_code(cell("code"))
    name = or_empty(cell("name"))
    if not name:
        raise ParseError(_("Thủ tục %(code)s không có tên.") % {"code": code})
    # Several agencies are listed one per line in the cell.
    agencies = [clean(line) for line in str(cell("implementing_agency") or "").splitlines()]
    original = {
        key: str(cell(key))
        for key in ("code", "name", "issuing_body", "implementing_agency", "field")
        if cell(key) is not None
    }
    return ParsedProcedure(
        code=code,
        name=name,
        source="xlsx",
        field=or_empty(cell("field")),
        issuing_body=or_empty(cell("issuing_body")),
        implementing_agency="; ".join(agency for agency in agencies if agency),
        original=original,
    )

"""Parsers for the national procedure catalog's sources (pure Python, no models).

Entry points: :func:`parse_dvcqg_record` (portal pages flattened to text),
:func:`parse_bqp_record` (the structured Ministry of Defence export),
:func:`iter_xlsx` (the ministries' lists) and :func:`iter_source`, which
detects the shape of a file and never raises for a single bad row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from django.utils.translation import gettext as _

from .bqp import parse_bqp_record
from .dvcqg import parse_dvcqg_record
from .text import CODE_RE, is_valid_code, normalize_code
from .types import (
    ParsedDocument,
    ParsedFee,
    ParsedLegalBasis,
    ParsedMethod,
    ParsedProcedure,
    ParsedResult,
    ParsedTime,
    ParseError,
    ParseFailure,
)
from .values import parse_time
from .xlsx import iter_xlsx, iter_xlsx_rows

__all__ = [
    "CODE_RE",
    "ParseError",
    "ParseFailure",
    "ParsedDocument",
    "ParsedFee",
    "ParsedLegalBasis",
    "ParsedMethod",
    "ParsedProcedure",
    "ParsedResult",
    "ParsedTime",
    "is_valid_code",
    "iter_source",
    "iter_xlsx",
    "iter_xlsx_rows",
    "normalize_code",
    "parse_bqp_record",
    "parse_dvcqg_record",
    "parse_record",
    "parse_time",
]

_RAW_LIMIT = 2000


def parse_record(record: Mapping[str, object]) -> ParsedProcedure:
    """Parse a JSON record of either shape: BQP has a ``metadata`` block, dvcqg flat strings."""
    if not isinstance(record, Mapping):
        raise ParseError(_("Bản ghi không phải là một đối tượng JSON."))
    if "metadata" in record:
        return parse_bqp_record(record)
    return parse_dvcqg_record(record)


def iter_source(path: str | Path) -> Iterator[tuple[int, ParsedProcedure | ParseFailure]]:
    """Yield (row number, procedure or failure) for every record of a catalog file.

    The shape comes from the extension: ``.jsonl`` (one record per line, rows
    are line numbers), ``.json`` (a list of records, rows count from 1) or
    ``.xlsx`` (rows are sheet rows). A bad row becomes a :class:`ParseFailure`
    and reading goes on (its ``raw`` is the row's text, cut at 2,000
    characters); only an unreadable file raises (:class:`OSError`,
    :class:`ParseError`).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _iter_jsonl(path)
    elif suffix == ".json":
        yield from _iter_json(path)
    elif suffix == ".xlsx":
        yield from iter_xlsx_rows(path)
    else:
        raise ParseError(
            _("Không hỗ trợ định dạng tệp «%(suffix)s» (cần .jsonl, .json hoặc .xlsx).")
            % {"suffix": suffix or path.name}
        )


def _iter_jsonl(path: Path) -> Iterator[tuple[int, ParsedProcedure | ParseFailure]]:
    with path.open(encoding="utf-8-sig") as lines:
        for row, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                reason = _("Dòng không phải JSON hợp lệ: %(error)s") % {"error": error.msg}
                yield row, ParseFailure(row=row, reason=reason, raw=line[:_RAW_LIMIT])
                continue
            yield row, _parse_safely(row, record, line)


def _iter_json(path: Path) -> Iterator[tuple[int, ParsedProcedure | ParseFailure]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as error:
        raise ParseError(
            _("Tệp không phải JSON hợp lệ: %(error)s") % {"error": error.msg}
        ) from error
    if not isinstance(data, list):
        raise ParseError(_("Tệp JSON phải là một danh sách thủ tục."))
    for row, record in enumerate(data, start=1):
        yield row, _parse_safely(row, record, None)


def _parse_safely(row: int, record: object, line: str | None) -> ParsedProcedure | ParseFailure:
    raw = line if line is not None else json.dumps(record, ensure_ascii=False)
    try:
        if not isinstance(record, Mapping):
            raise ParseError(_("Bản ghi không phải là một đối tượng JSON."))
        return parse_record(record)
    except ParseError as error:
        return ParseFailure(row=row, reason=str(error), raw=raw[:_RAW_LIMIT])
    except Exception as error:
        # A parser bug on one odd record must not stop a 2,642-record import;
        # the failure keeps the record and the error for a bug report.
        reason = _("Lỗi không mong đợi khi đọc bản ghi: %(error)s") % {"error": repr(error)}
        return ParseFailure(row=row, reason=reason, raw=raw[:_RAW_LIMIT])

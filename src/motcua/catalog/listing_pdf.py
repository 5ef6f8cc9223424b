"""The printable listing sheet (danh mục thủ tục hành chính) for notice boards, as an A4 PDF.

One row per procedure in force — code, name, time limit, fees, where to
apply — each with a small QR code to its public page, grouped by field,
with page numbers and the hotline. It is rendered by
:func:`motcua.core.pdf.render_pdf` (the committed fonts only, nothing from the
network).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from motcua.accounts.models import Unit
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.qr import qr_png_data_uri
from motcua.catalog.selectors import (
    period_label,
    procedure_versions_in_force,
    version_fee_summary,
    version_period,
)
from motcua.core.pdf import css_string, render_pdf

# Re-exported for the callers and tests that know them from here.
__all__ = ["SHEET_LIMIT", "css_string", "listing_sheet_groups", "listing_sheet_pdf", "render_pdf"]

# perf: 400 rows with their QR codes take 11 s (23 s when busy) on the CI machine
# (docs/performance.md); a longer sheet is not readable on a notice board anyway.
SHEET_LIMIT = 400
SHEET_CACHE_SECONDS = 6 * 3600


@dataclass(frozen=True)
class SheetRow:
    """One procedure on the sheet, already in words."""

    number: int
    code: str
    name: str
    time_limit: str
    fees: str
    where: str
    url: str
    qr: str  # a data: URI


@dataclass
class SheetGroup:
    """The procedures of one field (lĩnh vực)."""

    field: str
    rows: list[SheetRow] = dataclasses.field(default_factory=list)


def _where(version: ProcedureVersion) -> str:
    for text in (
        version.submission_address,
        version.implementing_agency,
        version.competent_authority,
    ):
        if text.strip():
            return text.strip()
    return ""


def listing_sheet_groups(
    *,
    procedures: Sequence[Procedure],
    url_for: Callable[[str], str],
    on: dt.date | None = None,
) -> list[SheetGroup]:
    """Rows for ``procedures`` (in the order given, grouped by field) with a QR code each.

    ``url_for(code)`` is the absolute address of a procedure's public page:
    the QR codes must work from paper, away from this site.
    """
    versions = procedure_versions_in_force(procedures=procedures, on=on)
    groups: dict[str, SheetGroup] = {}
    number = 0
    for procedure in procedures:
        version = versions.get(procedure.pk)
        if version is None:
            continue
        number += 1
        url = url_for(procedure.code)
        groups.setdefault(procedure.field, SheetGroup(procedure.field)).rows.append(
            SheetRow(
                number=number,
                code=procedure.code,
                name=version.name,
                time_limit=period_label(version_period(version=version)),
                fees=version_fee_summary(version=version),
                where=_where(version),
                url=url,
                qr=qr_png_data_uri(url),
            )
        )
    return list(groups.values())


def _sheet_cache_key(
    *,
    procedures: Sequence[Procedure],
    url_for: Callable[[str], str],
    unit: Unit | None,
    field: str,
    on: dt.date,
) -> str:
    """Changes whenever anything printed could: a procedure or its version (both
    touch ``Procedure.updated_at``), the list, the unit, the day, the site's address."""
    parts = [
        ",".join(f"{procedure.pk}:{procedure.updated_at.isoformat()}" for procedure in procedures),
        f"{unit.pk}:{unit.updated_at.isoformat()}" if unit else "",
        field,
        on.isoformat(),
        url_for("1"),  # the site address the QR codes point to
        get_language() or "",
        settings.MOTCUA_HOTLINE,
        settings.MOTCUA_SITE_NAME,
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"catalog:listing-sheet:{digest}"


def listing_sheet_pdf(
    *,
    procedures: Sequence[Procedure],
    url_for: Callable[[str], str],
    unit: Unit | None = None,
    field: str = "",
    request: HttpRequest | None = None,
    on: dt.date | None = None,
) -> bytes:
    """The A4 listing sheet of ``procedures`` (at most :data:`SHEET_LIMIT`) as PDF bytes.

    perf: a full sheet takes seconds to lay out (docs/performance.md), so the
    PDF is cached until anything on it changes; a second print is immediate.
    """
    if len(procedures) > SHEET_LIMIT:
        raise ValueError(f"at most {SHEET_LIMIT} procedures per sheet")
    on = on or timezone.localdate()
    key = _sheet_cache_key(procedures=procedures, url_for=url_for, unit=unit, field=field, on=on)
    pdf = cache.get(key)
    if pdf is None:
        pdf = _listing_sheet_render(
            procedures=procedures, url_for=url_for, unit=unit, field=field, request=request, on=on
        )
        cache.set(key, pdf, SHEET_CACHE_SECONDS)
    return bytes(pdf)


def _listing_sheet_render(
    *,
    procedures: Sequence[Procedure],
    url_for: Callable[[str], str],
    unit: Unit | None,
    field: str,
    request: HttpRequest | None,
    on: dt.date,
) -> bytes:
    groups = listing_sheet_groups(procedures=procedures, url_for=url_for, on=on)
    context = {
        "title": _("Danh mục thủ tục hành chính"),
        "unit": unit,
        "field": field,
        "on": on,
        "groups": groups,
        "count": sum(len(group.rows) for group in groups),
        "show_fields": not field,
    }
    return render_pdf(template="pdf/procedure_sheet.html", context=context, request=request)

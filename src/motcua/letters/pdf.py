"""A citizen-care letter as an A4 PDF with the national header, through ``core.pdf``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from motcua.core.formatting import date_words, place_of
from motcua.core.pdf import render_pdf
from motcua.letters.models import LetterTemplate
from motcua.letters.placeholders import substitute


def place_name(unit_name: str) -> str:
    """The place for "…, ngày … tháng … năm …" from a unit's name."""
    return place_of(unit_name)


def letter_context(template: LetterTemplate, context: dict[str, Any]) -> dict[str, Any]:
    """What ``pdf/letters/letter.html`` prints: the filled texts and the header lines."""
    raw_date = context.get("date")
    if isinstance(raw_date, dt.datetime):
        on = (
            timezone.localtime(raw_date).date() if timezone.is_aware(raw_date) else raw_date.date()
        )
    elif isinstance(raw_date, dt.date):
        on = raw_date
    else:
        on = timezone.localdate()
    unit_name = str(context.get("unit_name") or "")
    return {
        "template": template,
        "issuer_parent": str(context.get("parent_unit_name") or ""),
        "issuer": unit_name,
        "place": str(context.get("place") or place_name(unit_name)),
        "date_words": date_words(on),
        "title": substitute(template.title, context),
        "greeting": substitute(template.greeting, context),
        "paragraphs": [
            line.strip()
            for line in substitute(template.body, context).splitlines()
            if line.strip()
        ],
        "signer_lines": [
            line.strip()
            for line in substitute(template.signer_title, context).splitlines()
            if line.strip()
        ],
        "signer_name": str(context.get("signer_name") or ""),
        "dossier_code": str(context.get("dossier_code") or ""),
    }


def letter_pdf(
    *, template: LetterTemplate, context: dict[str, Any], request: HttpRequest | None = None
) -> bytes:
    """The letter ``template`` filled from ``context`` (see ``services.render_letter``), as PDF.

    Extra optional keys: ``parent_unit_name`` (the line above the unit in the
    header) and ``place`` (else taken from ``unit_name``).
    """
    return render_pdf(
        template="pdf/letters/letter.html",
        context=letter_context(template, context),
        request=request,
    )

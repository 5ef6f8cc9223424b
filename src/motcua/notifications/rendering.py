"""Vietnamese texts of a notification, from the templates of its event.

Templates live in ``templates/notifications/<event>/``: ``subject.txt`` and,
for the body, ``<channel>.txt`` if present, else ``body.txt``. They are
plain text, rendered with autoescaping off.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.template import Context, Template
from django.template.loader import select_template
from django.utils import timezone, translation

from motcua.notifications.constants import Channel

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_COMBINING = re.compile(r"[\u0300-\u036f]+")


def render(event_key: str, channel: Channel | str, context: dict[str, Any]) -> tuple[str, str]:
    """``(subject, body)`` of ``event_key`` for ``channel``, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _render_one([f"notifications/{event_key}/subject.txt"], context)
        body = _render_one(
            [f"notifications/{event_key}/{channel}.txt", f"notifications/{event_key}/body.txt"],
            context,
        )
    if channel == Channel.SMS:
        # Without diacritics a text fits 160 GSM-7 characters per part
        # instead of 70 UCS-2 ones: a third of the cost, and every handset
        # shows it.
        body = strip_diacritics(body)
    # A subject is one line whatever the template's whitespace.
    return " ".join(subject.split()), body.strip() + "\n"


def strip_diacritics(text: str) -> str:
    """Drop diacritics, keep case: "Hồ sơ đã xong" → "Ho so da xong" (fold() lower-cases)."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return unicodedata.normalize("NFC", _COMBINING.sub("", decomposed))


def _render_one(names: list[str], context: dict[str, Any]) -> str:
    template = select_template(names)
    # Render the engine's own Template with autoescape off: these are plain
    # texts, where "&" or a quote must stay as written.
    inner: Template = template.template  # type: ignore[attr-defined]
    return inner.render(Context(context, autoescape=False))


def plain_values(context: dict[str, Any]) -> dict[str, Any]:
    """``context`` with dates, times and decimals turned into Vietnamese-style strings.

    The result is stored as the payload (JSON) and sent as Zalo template data,
    which takes dates as dd/mm/yyyy.
    """
    return {key: _plain(value) for key, value in context.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%H:%M %d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return plain_values(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)

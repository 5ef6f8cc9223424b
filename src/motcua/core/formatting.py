"""Vietnamese number and money formatting for people (pages, PDFs, messages)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def number_vi(value: int | Decimal | float) -> str:
    """``20000`` → ``"20.000"``; ``Decimal("1.5")`` → ``"1,5"`` (Vietnamese separators)."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", ".")
    whole, _, fraction = f"{number.normalize():f}".partition(".")
    return f"{int(whole):,}".replace(",", ".") + "," + fraction


def vnd(amount: int | None) -> str:
    """``20000`` → ``"20.000 đồng"``; ``0`` → ``"Miễn phí"``; ``None`` → ``""``."""
    if amount is None:
        return ""
    if amount == 0:
        return "Miễn phí"
    return f"{number_vi(amount)} đồng"


# Kinds of administrative unit (and "Ủy ban nhân dân" before them) that a place
# line drops: "Phường Long Biên" → "Long Biên, ngày …". Longer first ("Thị xã"
# before "Xã").
ADMIN_PREFIXES = (
    "Ủy ban nhân dân",
    "UBND",
    "Thành phố",
    "Thị trấn",
    "Thị xã",
    "Đặc khu",
    "Phường",
    "Huyện",
    "Quận",
    "Tỉnh",
    "Xã",
)


def place_of(name: str, *, kind: str = "") -> str:
    """The place of a date line from a unit's name, its kind(s) dropped ("Long Biên").

    ``kind`` is the unit's own administrative type when it has one.
    """
    place = name.strip()
    prefixes = (kind, *ADMIN_PREFIXES) if kind else ADMIN_PREFIXES
    changed = True
    while changed:
        changed = False
        for prefix in prefixes:
            if place.lower().startswith(prefix.lower() + " "):
                place = place[len(prefix) + 1 :].strip()
                changed = True
    return place


def date_words(day: dt.date) -> str:
    """ "ngày 17 tháng 11 năm 2026", "ngày 05 tháng 02 năm 2026", "ngày 30 tháng 6 năm 2025".

    Decree 30/2020 (administrative documents): a zero before days under 10
    and months under 3, none before the other months.
    """
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


# (model, field, language) → {stored value: label}; labels are fixed per language.
_CHOICE_LABELS: dict[tuple[type[Model], str, str | None], dict[Any, str]] = {}


def choice_label(instance: Model, name: str) -> str:
    """``str(instance.get_<name>_display())``, from a table made once per field and language.

    perf: Django's ``get_FOO_display`` rebuilds a dict of the field's choices
    on every call, translating every label to hash it (13 translations for a
    dossier's status); an inbox page of 20 lines made ~260 of them.
    """
    key = (type(instance), name, get_language())
    labels = _CHOICE_LABELS.get(key)
    if labels is None:
        field = instance._meta.get_field(name)
        labels = {value: str(label) for value, label in field.flatchoices}  # type: ignore[union-attr]
        _CHOICE_LABELS[key] = labels
    value = getattr(instance, name)
    return str(labels.get(value, value))

"""Number helpers of the catalog management pages (Vietnamese separators)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from motcua.core.formatting import number_vi

register = template.Library()


@register.filter
def vi_number(value: Any) -> str:
    """``20000`` → ``"20.000"``, ``Decimal("5.50")`` → ``"5,5"``; anything else unchanged."""
    if value is None or value == "":
        return ""
    try:
        return number_vi(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return str(value)

"""Vietnamese number and money formatting for people (pages, PDFs, messages)."""

from __future__ import annotations

from decimal import Decimal


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

"""Vietnamese mobile numbers in the international form SMS gateways and Zalo expect."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
# 84 + a 9-digit subscriber number (0912345678 → 84912345678).
_INTERNATIONAL = re.compile(r"^84[1-9]\d{8}$")


def phone_to_international(phone: str) -> str | None:
    """``0912 345 678``, ``+84912345678`` or ``84912345678`` → ``84912345678``; else ``None``."""
    digits = _SEPARATORS.sub("", phone or "")
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits if _INTERNATIONAL.match(digits) else None

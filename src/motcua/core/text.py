"""Text helpers shared by every app: Unicode normalisation and diacritic folding.

Sources mix NFC and NFD Vietnamese; everything stored is NFC. Search folds
both sides with :func:`fold` (on SQLite; PostgreSQL uses ``unaccent``).
Unidecode is GPL, hence these few lines of our own.
"""

from __future__ import annotations

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(value: str | None) -> str:
    """Return ``value`` in Unicode NFC with surrounding whitespace removed."""
    if not value:
        return ""
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str | None) -> str:
    """Lower-case, drop diacritics and map đ → d: "Đăng ký" → "dang ky"."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", value.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())

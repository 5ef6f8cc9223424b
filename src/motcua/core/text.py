"""Text helpers shared by every app: Unicode normalisation and diacritic folding.

Sources mix NFC and NFD Vietnamese; everything stored is NFC. Search folds
both sides with :func:`fold` (on SQLite; PostgreSQL uses ``unaccent``).
Unidecode is GPL, hence these few lines of our own.
"""

from __future__ import annotations

import re
import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
# The combining-mark blocks (U+0300–036F and the extended ones): one regex pass
# is ~3× faster than testing unicodedata.combining() per character.
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


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
    return " ".join(_COMBINING.sub("", decomposed).lower().split())

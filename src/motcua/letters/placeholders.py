"""The placeholders a letter template may use, their validation and their substitution.

A template's text writes a placeholder as ``{ho_ten}``. The names are plain
Vietnamese without diacritics so that administrators can type them; the
caller of :func:`motcua.letters.services.render_letter` passes the values
under English keys (``applicant_name`` …). The substitution is ours, not the
Django template engine: an editable text must not be able to reach
template tags or object attributes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Placeholder:
    """One placeholder: what it is called in a template, its context key and its meaning."""

    name: str
    key: str
    label: str | Promise


PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder("ho_ten", "applicant_name", gettext_lazy("họ và tên người nộp hồ sơ")),
    Placeholder("thu_tuc", "procedure_name", gettext_lazy("tên thủ tục hành chính")),
    Placeholder("ngay", "date", gettext_lazy("ngày (dd/mm/yyyy)")),
    Placeholder("don_vi", "unit_name", gettext_lazy("tên đơn vị")),
    Placeholder("nguoi_ky", "signer_name", gettext_lazy("họ và tên người ký")),
    Placeholder("ma_ho_so", "dossier_code", gettext_lazy("mã hồ sơ")),
)
BY_NAME: dict[str, Placeholder] = {p.name: p for p in PLACEHOLDERS}

# "{ ho_ten }" with optional spaces; anything else between braces is an error.
_TOKEN = re.compile(r"\{([^{}]*)\}")
# What is shown where a value is missing: a gap to fill in by hand on paper.
MISSING = "…………"


def placeholder_names() -> str:
    """ "{ho_ten}, {thu_tuc}, …" for messages and help texts."""
    return ", ".join("{" + p.name + "}" for p in PLACEHOLDERS)


def placeholder_errors(text: str) -> list[str]:
    """Vietnamese messages for unknown placeholders and unpaired braces in ``text``."""
    errors: list[str] = []
    unknown = []
    for match in _TOKEN.finditer(text):
        name = match.group(1).strip()
        if name not in BY_NAME and match.group(0) not in unknown:
            unknown.append(match.group(0))
    if unknown:
        errors.append(
            _("Trường thay thế không hợp lệ: %(unknown)s. Chỉ dùng được: %(known)s.")
            % {"unknown": ", ".join(unknown), "known": placeholder_names()}
        )
    rest = _TOKEN.sub("", text)
    if "{" in rest or "}" in rest:
        errors.append(
            _(
                "Dấu ngoặc nhọn { } không khớp: mỗi trường thay thế viết trong một cặp "
                "ngoặc, ví dụ {ho_ten}."
            )
        )
    return errors


def _format(value: Any) -> str:
    if value is None or value == "":
        return MISSING
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def substitute(text: str, context: dict[str, Any]) -> str:
    """``text`` with each known placeholder replaced by its value from ``context``."""

    def replace(match: re.Match[str]) -> str:
        placeholder = BY_NAME.get(match.group(1).strip())
        if placeholder is None:
            return match.group(0)
        return _format(context.get(placeholder.key))

    return _TOKEN.sub(replace, text)

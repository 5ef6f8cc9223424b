"""Forms of the citizen portal. They parse query strings; a bad value never breaks a page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Unit
from motcua.catalog.constants import OnlineLevel
from motcua.catalog.selectors import procedure_listing_unit_get
from motcua.core.exceptions import NotFound

MAX_QUERY_LENGTH = 200
INVALID_CHOICE = _("Lựa chọn không hợp lệ nên đã được bỏ qua.")


class SearchTextField(forms.CharField):
    """Free text from a search box: control characters dropped, spaces collapsed, cut short.

    A pasted paragraph or a NUL byte (which PostgreSQL refuses) becomes a
    harmless query instead of an error.
    """

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        text = "".join(char if char.isprintable() else " " for char in text)
        return " ".join(text.split())[:MAX_QUERY_LENGTH]


def _choice(label: Any, choices: Sequence[tuple[str, Any]], empty: Any) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", empty), *choices],
        error_messages={"invalid_choice": INVALID_CHOICE},
        # htmx refreshes the results when one of these changes.
        widget=forms.Select(attrs={"class": "js-filter"}),
    )


class ProcedureFilterForm(forms.Form):
    """Search and filters of the public procedure list (all optional, all in the query string).

    Built bound to ``request.GET``; after :meth:`is_valid` an invalid filter
    is left out of :meth:`search_arguments` and shown as an error, the rest
    still applies.
    """

    q = SearchTextField(
        label=_("Tên hoặc mã thủ tục"),
        required=False,
        help_text=_("Có thể gõ không dấu, ví dụ: dang ky thuong tru, hoặc nhập mã 1.004222."),
    )

    def __init__(
        self,
        data: Any,
        *,
        fields: Sequence[str],
        levels: Sequence[str],
        units: Sequence[Unit],
    ) -> None:
        super().__init__(data)
        self.units = {str(unit.pk): unit for unit in units}
        self.fields["field"] = _choice(
            _("Lĩnh vực"), [(name, name) for name in fields], _("Tất cả lĩnh vực")
        )
        self.fields["level"] = _choice(
            _("Cấp thực hiện"), [(level, level) for level in levels], _("Tất cả các cấp")
        )
        self.fields["unit"] = _choice(
            _("Đơn vị thực hiện"),
            [(key, unit.name) for key, unit in self.units.items()],
            _("Tất cả đơn vị"),
        )
        self.fields["online"] = _choice(
            _("Nộp trực tuyến"), OnlineLevel.choices, _("Tất cả mức độ")
        )

    def _value(self, name: str) -> str:
        return str(getattr(self, "cleaned_data", {}).get(name) or "")

    def search_arguments(self) -> dict[str, Any]:
        """Keyword arguments for ``procedure_search`` from the valid fields only."""
        return {
            "query": self._value("q"),
            "field": self._value("field"),
            "level": self._value("level"),
            "unit": self.units.get(self._value("unit")),
            "online_level": self._value("online"),
        }

    def has_filters(self) -> bool:
        """True when a filter (not the search text) narrows the list."""
        arguments = self.search_arguments()
        return any(arguments[name] for name in ("field", "level", "unit", "online_level"))


class ProcedureSheetForm(forms.Form):
    """What goes on a printed listing sheet: one unit (id or official code) and one field."""

    unit = forms.CharField(
        label=_("Đơn vị thực hiện"),
        required=False,
        max_length=40,
        help_text=_("Mã đơn vị (ví dụ 00145) hoặc số định danh trong hệ thống."),
    )

    def __init__(self, data: Any, *, fields: Sequence[str], units: Sequence[Unit]) -> None:
        super().__init__(data)
        self.unit_choices = [(str(unit.pk), unit.name) for unit in units]
        self.fields["field"] = _choice(
            _("Lĩnh vực"), [(name, name) for name in fields], _("Tất cả lĩnh vực")
        )

    def clean_unit(self) -> Unit | None:
        key = self.cleaned_data.get("unit") or ""
        if not key:
            return None
        try:
            return procedure_listing_unit_get(key=key)
        except NotFound as exc:
            raise forms.ValidationError(exc.message, code="not_found") from exc

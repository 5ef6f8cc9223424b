"""The letter-template editor: texts with placeholders and the procedures it belongs to."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Procedure
from motcua.letters.constants import LetterKind, Moment
from motcua.letters.placeholders import placeholder_errors, placeholder_names

_CODE_SPLIT = re.compile(r"[\s,;]+")
MAX_CODES = 500


def _placeholder_help() -> str:
    return _("Trường thay thế dùng được: %(names)s.") % {"names": placeholder_names()}


class LetterTemplateForm(forms.Form):
    """Name, kind, moment, the printed texts and the catalog codes of the procedures."""

    name = forms.CharField(label=gettext_lazy("Tên mẫu"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Loại thư"), choices=LetterKind.choices)
    moment = forms.ChoiceField(label=gettext_lazy("Thời điểm gửi"), choices=Moment.choices)
    title = forms.CharField(label=gettext_lazy("Tiêu đề in trên thư"), max_length=200)
    greeting = forms.CharField(label=gettext_lazy("Lời mở đầu"), max_length=255, required=False)
    body = forms.CharField(
        label=gettext_lazy("Nội dung"), max_length=10000, widget=forms.Textarea(attrs={"rows": 10})
    )
    signer_title = forms.CharField(
        label=gettext_lazy("Chức danh người ký"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Mỗi dòng một dòng chữ, ví dụ: TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH."),
    )
    is_active = forms.BooleanField(label=gettext_lazy("Đang dùng"), required=False, initial=True)
    procedure_codes = forms.CharField(
        label=gettext_lazy("Mã thủ tục áp dụng"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Mã thủ tục trên Cơ sở dữ liệu quốc gia, cách nhau bởi dấu phẩy hoặc xuống dòng, "
            "ví dụ 1.001193."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("greeting", "body"):
            self.fields[name].help_text = _placeholder_help()
        for field in self.fields.values():
            field.error_messages["required"] = _("Vui lòng nhập mục này.")
        self.procedures: list[Procedure] = []

    def _clean_placeholders(self, name: str) -> str:
        value: str = self.cleaned_data.get(name, "")
        errors = placeholder_errors(value)
        if errors:
            raise forms.ValidationError(errors, code="placeholder")
        return value

    def clean_title(self) -> str:
        return self._clean_placeholders("title")

    def clean_greeting(self) -> str:
        return self._clean_placeholders("greeting")

    def clean_body(self) -> str:
        return self._clean_placeholders("body")

    def clean_signer_title(self) -> str:
        return self._clean_placeholders("signer_title")

    def clean_procedure_codes(self) -> str:
        raw: str = self.cleaned_data.get("procedure_codes", "")
        codes = list(dict.fromkeys(code for code in _CODE_SPLIT.split(raw) if code))
        if len(codes) > MAX_CODES:
            raise forms.ValidationError(
                _("Tối đa %(n)d mã thủ tục.") % {"n": MAX_CODES}, code="too_many"
            )
        found = {p.code: p for p in Procedure.objects.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(
                _("Không có trong danh mục thủ tục: %(codes)s.") % {"codes": ", ".join(missing)},
                code="unknown_procedure",
            )
        self.procedures = [found[code] for code in codes]
        return "\n".join(codes)

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values the services take (all but the procedure codes)."""
        return {
            name: value for name, value in self.cleaned_data.items() if name != "procedure_codes"
        }

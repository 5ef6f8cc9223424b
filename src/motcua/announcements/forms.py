"""The form a leader or the home-affairs office fills in to send a directive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.accounts.models import Unit
from motcua.announcements.constants import Priority

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What an attachment may be, recognised by its first bytes, not by its name:
# PDF, images, and office documents (OOXML is a zip; the old formats are OLE).
ATTACHMENT_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


def check_attachment(upload: UploadedFile | None) -> UploadedFile | None:
    """An upload of at most 10 MB whose content matches its PDF, image or office extension."""
    if upload is None:
        return None
    if upload.size is not None and upload.size > MAX_ATTACHMENT_BYTES:
        raise forms.ValidationError(_("Tệp quá lớn: tối đa 10 MB."), code="too_large")
    extension = Path(upload.name or "").suffix.lower()
    signatures = ATTACHMENT_SIGNATURES.get(extension)
    if signatures is None:
        raise forms.ValidationError(
            _("Chỉ nhận tệp PDF, Word, Excel, JPG hoặc PNG."), code="extension"
        )
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise forms.ValidationError(
            _("Nội dung tệp không đúng định dạng như tên tệp."), code="disguised"
        )
    return upload


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class UnitChoiceField(forms.ModelMultipleChoiceField):
    """Units indented by depth so that the tree reads as a tree."""

    def label_from_instance(self, obj: Unit) -> str:  # type: ignore[override]
        return "\u00a0\u00a0" * max(obj.depth - self.min_depth, 0) + obj.name

    min_depth = 0


class AnnouncementForm(forms.Form):
    """Title, body, priority, the units addressed, the period and one optional file."""

    title = forms.CharField(
        label=_("Tiêu đề"),
        max_length=255,
        error_messages={"required": _("Vui lòng nhập tiêu đề.")},
    )
    body = forms.CharField(
        label=_("Nội dung chỉ đạo"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Vui lòng nhập nội dung.")},
    )
    priority = forms.ChoiceField(
        label=_("Mức độ"), choices=Priority.choices, initial=Priority.NORMAL
    )
    units = UnitChoiceField(
        label=_("Đơn vị nhận"),
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ Ctrl (Cmd) để chọn nhiều đơn vị."),
        error_messages={
            "required": _("Vui lòng chọn ít nhất một đơn vị nhận."),
            "invalid_choice": _("Đơn vị đã chọn không thuộc phạm vi của bạn."),
            "invalid_pk_value": _("Đơn vị đã chọn không hợp lệ."),
        },
    )
    include_below = forms.BooleanField(
        label=_("Gửi cả các đơn vị trực thuộc đơn vị đã chọn"), required=False
    )
    audience_roles = forms.MultipleChoiceField(
        label=_("Chỉ gửi cán bộ có vai trò"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Để trống: mọi cán bộ của đơn vị nhận."),
    )
    effective_from = forms.DateTimeField(
        label=_("Hiệu lực từ"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("Để trống: có hiệu lực ngay."),
    )
    expires_at = forms.DateTimeField(
        label=_("Hết hiệu lực lúc"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("Để trống: không hết hạn."),
    )
    attachment = forms.FileField(
        label=_("Văn bản đính kèm"),
        required=False,
        help_text=_("PDF, Word, Excel, JPG hoặc PNG; tối đa 10 MB."),
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["units"]
        assert isinstance(field, UnitChoiceField)
        field.queryset = units
        field.min_depth = min((unit.depth for unit in units), default=0)

    def clean_attachment(self) -> UploadedFile | None:
        return check_attachment(self.cleaned_data.get("attachment"))

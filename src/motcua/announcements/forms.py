"""The form a leader or the home-affairs office fills in to send a directive."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role
from motcua.accounts.models import Unit
from motcua.announcements.constants import Priority
from motcua.core.exceptions import ValidationFailed
from motcua.core.uploads import limits_of, name_by_content, upload_check

# A directive's attachment: at most 10 MB, PDF, images or office documents,
# recognised by their content (core.uploads).
ATTACHMENTS = limits_of(max_mb=10, kinds=("pdf", "jpeg", "png", "docx", "xlsx", "office97"))
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


def check_attachment(upload: UploadedFile | None) -> UploadedFile | None:
    """An upload of at most 10 MB whose content is a PDF, an image or an office document."""
    if upload is None:
        return None
    try:
        kind = upload_check(upload, limits=ATTACHMENTS)
    except ValidationFailed as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc
    name_by_content(upload, kind)
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

"""Forms of the catalog management screens: parsing only, the rules are in catalog.services.

Lists of rows (fees, documents, process steps) are formsets that work
without JavaScript: a blank row is ignored, a row is removed with its
"Xoá" box, and the row buttons (add, remove, move up or down) post the form
back to be shown again with the change, nothing saved. With htmx the same
buttons swap only the editor (see :func:`apply_row_op`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.db.models import Model, QuerySet
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role, UnitKind
from motcua.accounts.models import Unit
from motcua.catalog.constants import (
    CareLetter,
    FeeKind,
    OnlineLevel,
    ShareUnit,
    TimeUnit,
)
from motcua.catalog.models import (
    ProcedureFee,
    ProcedureMethod,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
)
from motcua.catalog.process import StepSpec
from motcua.core.formatting import number_vi

# The most rows a list accepts; more is refused, never silently cut.
MAX_ROWS = 60
MAX_VND = 10**12
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


def _label(model: type[Model], name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))  # type: ignore[union-attr]


def _blank(choices: Iterable[tuple[str, Any]], label: Any = "—") -> list[tuple[str, Any]]:
    return [("", label), *choices]


class DateInput(forms.DateInput):
    """A native date picker; typing 31/12/2026 works where it is not supported."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        input_formats=DATE_INPUT_FORMATS,
        error_messages={
            "required": _("Vui lòng chọn ngày."),
            "invalid": _("Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 31/12/2026."),
        },
    )


class VietDecimalField(forms.DecimalField):
    """A decimal that also accepts the Vietnamese comma: "1,5" is one and a half."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Nhập một số, ví dụ 7 hoặc 1,5."),
                "min_value": _("Không được nhỏ hơn %(limit_value)s."),
                "max_value": _("Không được lớn hơn %(limit_value)s."),
                "max_digits": _("Số quá lớn."),
                "max_decimal_places": _("Chỉ nhập tối đa %(max)s chữ số sau dấu phẩy."),
                "max_whole_digits": _("Số quá lớn."),
            },
        )
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {"inputmode": "decimal", "autocomplete": "off"}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return number_vi(value)
        return value

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        return super().to_python(value)  # type: ignore[no-any-return]


_VND_SUFFIX = re.compile(r"\s*(đồng|đ|vnđ|vnd)\s*$", re.IGNORECASE)
_VND_GROUPED = re.compile(r"^\d{1,3}([.,\s]\d{3})+$")


class VndField(forms.Field):
    """An amount in whole đồng: "20000", "20.000", "20 000" or "20.000 đồng" → 20000."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Mức thu là số nguyên tính bằng đồng, ví dụ 20000 hoặc 20.000."),
        "negative": _("Mức thu không được âm."),
        "too_large": _("Mức thu quá lớn."),
    }

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {"inputmode": "numeric", "autocomplete": "off", "maxlength": 40}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return number_vi(value)
        return value

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        text = _VND_SUFFIX.sub("", str(value).strip()).strip()
        if not text:
            return None
        negative = text.startswith("-")
        digits = text.removeprefix("-").strip()
        if _VND_GROUPED.match(digits):
            digits = re.sub(r"[.,\s]", "", digits)
        if len(digits) > 40 or not digits.isascii() or not digits.isdigit():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if negative and int(digits) != 0:
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        amount = int(digits)
        if amount > MAX_VND:
            raise forms.ValidationError(self.error_messages["too_large"], code="too_large")
        return amount


def count_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=99,
        widget=forms.NumberInput(attrs={"min": 0, "max": 99, "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Nhập số bản là số nguyên, ví dụ 1."),
            "min_value": _("Số bản không được âm."),
            "max_value": _("Số bản tối đa là 99."),
        },
    )


# --- lists of rows -------------------------------------------------------------


class RowForm(forms.Form):
    """A row of a list; fields that always send a value do not make a blank row filled."""

    ignored_for_change: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        return any(name not in self.ignored_for_change for name in self.changed_data)


class RowFormSet(BaseFormSet):
    """A formset in which any row may be left blank (and is then ignored)."""

    default_error_messages = {
        "missing_management_form": _(
            "Biểu mẫu gửi lên thiếu thông tin số dòng (%(field_names)s). Vui lòng tải lại "
            "trang và nhập lại."
        ),
        "too_many_forms": _("Tối đa %(num)d dòng."),
        "too_few_forms": _("Cần ít nhất %(num)d dòng."),
    }

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        kwargs["empty_permitted"] = True
        return kwargs

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if self.can_delete and "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Xoá dòng này")

    def kept_forms(self) -> list[forms.Form]:
        """The rows to store, in order: filled in and not ticked for removal."""
        return [
            form
            for form in self.forms
            if form.has_changed() and not getattr(form, "cleaned_data", {}).get("DELETE")
        ]


def row_formset(form: type[forms.Form]) -> type[RowFormSet]:
    formset = formset_factory(
        form,
        formset=RowFormSet,
        extra=0,
        can_delete=True,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS,
    )
    return cast(type[RowFormSet], formset)


def read_form(
    data: Mapping[str, Any], form_class: type[forms.Form], prefix: str
) -> dict[str, Any]:
    """What the browser sent for one form, as initial values (no validation)."""
    form = form_class(prefix=prefix)
    return {
        name: field.widget.value_from_datadict(data, MultiValueDict(), form.add_prefix(name))
        for name, field in form.fields.items()
    }


def read_rows(
    data: Mapping[str, Any], form_class: type[forms.Form], prefix: str
) -> list[dict[str, Any]]:
    """What the browser sent for a formset's rows, including the "Xoá" box."""
    try:
        total = int(str(data.get(f"{prefix}-TOTAL_FORMS", "0")))
    except ValueError:
        total = 0
    rows = []
    for index in range(max(0, min(total, MAX_ROWS))):
        row_prefix = f"{prefix}-{index}"
        row = read_form(data, form_class, row_prefix)
        row["DELETE"] = forms.CheckboxInput().value_from_datadict(
            data, MultiValueDict(), f"{row_prefix}-DELETE"
        )
        rows.append(row)
    return rows


_ROW_OP = re.compile(r"^(add|remove|up|down):([a-z_-]+)(?::(\d{1,3}))?$")


def parse_row_op(value: str) -> tuple[str, str, int | None] | None:
    """``"up:steps:2"`` → ``("up", "steps", 2)``; ``None`` for anything else."""
    match = _ROW_OP.match(value or "")
    if match is None:
        return None
    verb, prefix, index = match.groups()
    return verb, prefix, int(index) if index is not None else None


def apply_row_op(
    rows: list[dict[str, Any]], verb: str, index: int | None
) -> tuple[list[dict[str, Any]], int | None]:
    """Add, remove or move a row; returns the rows and the row to focus afterwards."""
    rows = list(rows)
    if verb == "add":
        if len(rows) >= MAX_ROWS:
            return rows, None
        rows.append({})
        return rows, len(rows) - 1
    if index is None or not 0 <= index < len(rows):
        return rows, None
    if verb == "remove":
        del rows[index]
        return rows, min(index, len(rows) - 1) if rows else None
    target = index - 1 if verb == "up" else index + 1
    if not 0 <= target < len(rows):
        return rows, index
    rows[index], rows[target] = rows[target], rows[index]
    return rows, target


# --- procedures and versions ------------------------------------------------------


class ProcedureFilterForm(forms.Form):
    """The search and filters of the staff list (GET)."""

    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    field = forms.CharField(label=_("Lĩnh vực"), required=False, max_length=255)
    listed = forms.ChoiceField(
        label=_("Công khai"),
        required=False,
        choices=[("", _("Tất cả")), ("yes", _("Đang công khai")), ("no", _("Chưa công khai"))],
    )
    review = forms.ChoiceField(
        label=_("Rà soát"),
        required=False,
        choices=[("", _("Tất cả")), ("yes", _("Cần rà soát")), ("no", _("Đã rà soát"))],
    )

    @staticmethod
    def as_flag(value: str) -> bool | None:
        return {"yes": True, "no": False}.get(value)


class ProcedureCreateForm(forms.Form):
    """A new procedure: its national code and name; everything else goes into its first draft."""

    code = forms.CharField(
        label=_("Mã thủ tục"),
        max_length=40,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001193 hoặc 1.001193.H26."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(
        label=_("Tên thủ tục"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


GENERAL_FIELDS = (
    "name",
    "field",
    "procedure_type",
    "decision_number",
    "decision_date",
    "applicants",
    "competent_authority",
    "implementing_agency",
    "authorized_agency",
    "coordinating_agency",
    "submission_address",
    "related_procedures",
    "steps_text",
    "conditions",
    "online_level",
    "result_document_required",
    "is_inter_agency",
    "care_letter",
    "change_note",
)


def _text(name: str, *, rows: int = 3, required: bool = False) -> forms.CharField:
    field = ProcedureVersion._meta.get_field(name)
    return forms.CharField(
        label=_label(ProcedureVersion, name),
        required=required,
        max_length=getattr(field, "max_length", None),
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=getattr(field, "help_text", ""),
    )


def _line(name: str, *, required: bool = False) -> forms.CharField:
    field = ProcedureVersion._meta.get_field(name)
    return forms.CharField(
        label=_label(ProcedureVersion, name),
        required=required,
        max_length=getattr(field, "max_length", None),
    )


def _check(model: type[Model], name: str) -> forms.BooleanField:
    field = model._meta.get_field(name)
    return forms.BooleanField(
        label=_label(model, name), required=False, help_text=getattr(field, "help_text", "")
    )


class VersionGeneralForm(forms.Form):
    """The general information of a draft (the components of Decree 63 art. 8(2))."""

    name = _text("name", rows=2, required=True)
    field = _line("field")
    levels = forms.CharField(
        label=_label(ProcedureVersion, "levels"),
        required=False,
        max_length=255,
        help_text=_("Phân cách bằng dấu phẩy, ví dụ: Cấp xã, Cấp tỉnh."),
    )
    procedure_type = _line("procedure_type")
    decision_number = _line("decision_number")
    decision_date = date_field(_label(ProcedureVersion, "decision_date"), required=False)
    applicants = _text("applicants", rows=2)
    competent_authority = _text("competent_authority", rows=2)
    implementing_agency = _text("implementing_agency", rows=2)
    authorized_agency = _text("authorized_agency", rows=2)
    coordinating_agency = _text("coordinating_agency", rows=2)
    submission_address = _text("submission_address", rows=2)
    related_procedures = _text("related_procedures", rows=2)
    steps_text = _text("steps_text", rows=6)
    conditions = _text("conditions", rows=4)
    online_level = forms.ChoiceField(
        label=_label(ProcedureVersion, "online_level"), choices=OnlineLevel.choices
    )
    result_document_required = _check(ProcedureVersion, "result_document_required")
    is_inter_agency = _check(ProcedureVersion, "is_inter_agency")
    care_letter = forms.ChoiceField(
        label=_label(ProcedureVersion, "care_letter"), choices=CareLetter.choices
    )
    change_note = forms.CharField(
        label=_label(ProcedureVersion, "change_note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Tóm tắt những gì phiên bản này thay đổi so với phiên bản trước."),
    )

    @classmethod
    def initial_for(cls, version: ProcedureVersion) -> dict[str, Any]:
        initial = {name: getattr(version, name) for name in GENERAL_FIELDS}
        initial["levels"] = ", ".join(version.levels or [])
        return initial

    def clean_levels(self) -> list[str]:
        text = self.cleaned_data.get("levels") or ""
        return [part.strip() for part in text.split(",") if part.strip()]

    def changed_values(self, version: ProcedureVersion) -> dict[str, Any]:
        """The cleaned values that differ from ``version``."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if getattr(version, name) != value
        }


# --- submission methods and fees -----------------------------------------------------


class MethodForm(forms.Form):
    """One submission channel: whether it applies, and its statutory time limit."""

    enabled = forms.BooleanField(label=_("Áp dụng hình thức này"), required=False)
    time_value = VietDecimalField(
        label=_label(ProcedureMethod, "time_value"),
        required=False,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=2,
    )
    time_unit = forms.ChoiceField(
        label=_label(ProcedureMethod, "time_unit"),
        required=False,
        choices=_blank(TimeUnit.choices),
    )
    time_text = forms.CharField(
        label=_label(ProcedureMethod, "time_text"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Như ghi trong quyết định công bố, ví dụ: 07 ngày làm việc."),
    )
    description = forms.CharField(
        label=_label(ProcedureMethod, "description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if not cleaned.get("enabled"):
            return cleaned
        value, unit = cleaned.get("time_value"), cleaned.get("time_unit")
        if unit == TimeUnit.SAME_DAY:
            cleaned["time_value"] = None
        elif value is not None and not unit:
            self.add_error("time_unit", _("Chọn đơn vị của thời hạn."))
        elif unit and value is None and "time_value" not in self.errors:
            self.add_error("time_value", _("Nhập số của thời hạn, ví dụ 7."))
        elif value is not None and value == 0:
            self.add_error(
                "time_value",
                _("Thời hạn phải lớn hơn 0; thủ tục giải quyết ngay thì chọn «trong ngày»."),
            )
        return cleaned


class FeeForm(RowForm):
    """A fee (phí) or charge (lệ phí) of a channel."""

    ignored_for_change = ("kind",)

    kind = forms.ChoiceField(
        label=_label(ProcedureFee, "kind"), choices=FeeKind.choices, initial=FeeKind.UNKNOWN
    )
    amount = VndField(
        label=_label(ProcedureFee, "amount"),
        required=False,
        help_text=_("Để trống nếu chưa rõ mức thu."),
    )
    free = _check(ProcedureFee, "free")
    set_by_council = _check(ProcedureFee, "set_by_council")
    description = forms.CharField(
        label=_label(ProcedureFee, "description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("free") and cleaned.get("amount"):
            self.add_error("amount", _("Đã đánh dấu miễn phí thì để trống mức thu hoặc ghi 0."))
        return cleaned

    def to_fee(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "amount": 0 if data["free"] and data["amount"] is None else data["amount"],
            "free": data["free"],
            "set_by_council": data["set_by_council"],
            "description": data["description"],
        }


FeeFormSet = row_formset(FeeForm)


def method_initial(method: ProcedureMethod | None) -> dict[str, Any]:
    if method is None:
        return {"enabled": False}
    return {
        "enabled": True,
        "time_value": method.time_value.normalize() if method.time_value is not None else None,
        "time_unit": method.time_unit,
        "time_text": method.time_text,
        "description": method.description,
    }


def fee_rows(method: ProcedureMethod | None) -> list[dict[str, Any]]:
    if method is None:
        return []
    return [
        {
            "kind": fee.kind,
            "amount": fee.amount,
            "free": fee.free,
            "set_by_council": fee.set_by_council,
            "description": fee.description,
        }
        for fee in method.fees.all()
    ]


# --- documents -------------------------------------------------------------------


class DocumentForm(RowForm):
    """A dossier component (thành phần hồ sơ) of the draft."""

    ignored_for_change = ("required",)

    name = forms.CharField(
        label=_label(RequiredDocument, "name"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Thành phần hồ sơ cần có tên.")},
    )
    case = forms.CharField(
        label=_label(RequiredDocument, "case"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text=_("Để trống nếu áp dụng cho mọi trường hợp."),
    )
    originals = count_field(_label(RequiredDocument, "originals"))
    copies = count_field(_label(RequiredDocument, "copies"))
    certified_copies = count_field(_label(RequiredDocument, "certified_copies"))
    template = forms.CharField(
        label=_label(RequiredDocument, "template"), required=False, max_length=500
    )
    required = forms.BooleanField(
        label=_label(RequiredDocument, "required"), required=False, initial=True
    )
    reusable_from_data = _check(RequiredDocument, "reusable_from_data")

    def to_document(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "case": data["case"],
            "originals": data["originals"] or 0,
            "copies": data["copies"] or 0,
            "certified_copies": data["certified_copies"] or 0,
            "template": data["template"],
            "required": data["required"],
            "reusable_from_data": data["reusable_from_data"],
        }


DocumentFormSet = row_formset(DocumentForm)


def document_rows(documents: Iterable[RequiredDocument]) -> list[dict[str, Any]]:
    return [
        {
            "name": document.name,
            "case": document.case,
            "originals": document.originals,
            "copies": document.copies,
            "certified_copies": document.certified_copies,
            "template": document.template,
            "required": document.required,
            "reusable_from_data": document.reusable_from_data,
        }
        for document in documents
    ]


# --- internal process ------------------------------------------------------------


class StepForm(RowForm):
    """A step of the internal process with its share of the legal time."""

    ignored_for_change = ("share_unit",)

    name = forms.CharField(
        label=_label(ProcessStep, "name"),
        max_length=255,
        error_messages={"required": _("Nhập tên bước.")},
    )
    responsible_unit_kind = forms.ChoiceField(
        label=_label(ProcessStep, "responsible_unit_kind"),
        required=False,
        choices=_blank(UnitKind.choices),
    )
    responsible_role = forms.ChoiceField(
        label=_label(ProcessStep, "responsible_role"),
        required=False,
        choices=_blank(Role.choices),
    )
    share_value = VietDecimalField(
        label=_label(ProcessStep, "share_value"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Bội số của 0,5."),
        error_messages={
            "required": _("Nhập thời gian của bước, ví dụ 0,5."),
            "invalid": _("Nhập một số, ví dụ 2 hoặc 0,5."),
            "max_digits": _("Số quá lớn."),
            "max_whole_digits": _("Số quá lớn."),
            "max_decimal_places": _("Thời gian là bội số của 0,5, ví dụ 1,5."),
        },
    )
    share_unit = forms.ChoiceField(
        label=_("Đơn vị thời gian"),
        choices=ShareUnit.choices,
        initial=ShareUnit.WORKING_DAYS,
    )
    runs_in_other_agency = forms.BooleanField(
        label=_("Liên thông (thực hiện tại cơ quan khác)"), required=False
    )
    agency_name = forms.CharField(
        label=_label(ProcessStep, "agency_name"), required=False, max_length=255
    )
    is_signing = _check(ProcessStep, "is_signing")

    def clean_share_value(self) -> Decimal:
        value: Decimal = self.cleaned_data["share_value"]
        if value <= 0 or (value * 2) % 1 != 0:
            raise forms.ValidationError(
                _("Thời gian phải lớn hơn 0 và là bội số của 0,5 (ví dụ 0,5; 1; 1,5).")
            )
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("runs_in_other_agency") and not (cleaned.get("agency_name") or "").strip():
            self.add_error("agency_name", _("Bước liên thông cần ghi tên cơ quan phối hợp."))
        return cleaned

    def to_step(self) -> StepSpec:
        data = self.cleaned_data
        return StepSpec(
            name=data["name"],
            share_value=data["share_value"],
            share_unit=data["share_unit"],
            responsible_unit_kind=data["responsible_unit_kind"],
            responsible_role=data["responsible_role"],
            runs_in_other_agency=data["runs_in_other_agency"],
            agency_name=data["agency_name"] if data["runs_in_other_agency"] else "",
            is_signing=data["is_signing"],
        )


StepFormSet = row_formset(StepForm)


def step_rows(steps: Iterable[ProcessStep | StepSpec]) -> list[dict[str, Any]]:
    return [
        {
            "name": step.name,
            "responsible_unit_kind": step.responsible_unit_kind,
            "responsible_role": step.responsible_role,
            "share_value": Decimal(step.share_value).normalize(),
            "share_unit": step.share_unit,
            "runs_in_other_agency": step.runs_in_other_agency,
            "agency_name": step.agency_name,
            "is_signing": step.is_signing,
        }
        for step in steps
    ]


def steps_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[StepSpec]:
    """The steps of rows as typed so far, skipping what does not parse (for the running total)."""
    steps = []
    for row in rows:
        if row.get("DELETE"):
            continue
        text = str(row.get("share_value") or "").strip().replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            continue
        if not value.is_finite() or value <= 0 or value > 10**4:
            continue
        unit = row.get("share_unit")
        steps.append(
            StepSpec(
                name=str(row.get("name") or ""),
                share_value=value,
                share_unit=unit if unit in ShareUnit.values else ShareUnit.WORKING_DAYS,
            )
        )
    return steps


# --- publishing, withdrawing, units ---------------------------------------------------


class PublishForm(forms.Form):
    effective_from = date_field(
        _("Có hiệu lực từ ngày"),
        help_text=_(
            "Thường là ngày có hiệu lực ghi trong quyết định công bố. Đến trước ngày này, "
            "phiên bản hiện hành vẫn có hiệu lực."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"effective_from": timezone.localdate()})
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    withdrawn_on = date_field(
        _("Ngừng hiệu lực từ ngày"),
        help_text=_("Từ ngày này thủ tục không còn được công khai theo phiên bản này."),
    )
    reason = forms.CharField(
        label=_("Lý do ngừng công khai"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: thủ tục bị bãi bỏ theo Quyết định số … ngày …"),
        error_messages={"required": _("Vui lòng ghi lý do ngừng công khai.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"withdrawn_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ProcedureUnitsForm(forms.Form):
    """Which of the units shown (all in the officer's scope) carry out the procedure.

    ``shown`` lists every box the page showed, so that an unticked box
    removes its unit and units the page did not show stay as they are.
    """

    units = forms.ModelMultipleChoiceField(queryset=Unit.objects.none(), required=False)
    shown = forms.ModelMultipleChoiceField(queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, scope: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("units", "shown"):
            field = cast(forms.ModelMultipleChoiceField, self.fields[name])
            field.queryset = scope
            field.error_messages["invalid_choice"] = _(
                "Đơn vị %(value)s không thuộc phạm vi bạn quản lý."
            )
            field.error_messages["invalid_pk_value"] = _("Đơn vị không hợp lệ: %(pk)s.")

    def units_after(self, current: Iterable[Unit]) -> list[Unit]:
        """The procedure's units once the boxes shown are applied; the others stay."""
        shown = {unit.pk for unit in self.cleaned_data["shown"]}
        shown |= {unit.pk for unit in self.cleaned_data["units"]}
        kept = [unit for unit in current if unit.pk not in shown]
        return kept + list(self.cleaned_data["units"])

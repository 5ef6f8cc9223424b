"""Forms of the dossier screens: parsing only, the rules are in :mod:`motcua.dossiers.services`.

Each form turns a POST into the plain inputs a service takes (``Applicant``,
``ReceivedDocument``, ``FeeTaken``, ``SupplementItem``, ``ResultDocument``)
and checks only shape: lengths, numbers, choices, uploads. Whether the
dossier may move is for the service to say; its refusal is put back on the
field it names (``field_for``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Officer, Unit
from motcua.backoffice.forms_catalog import VietDecimalField, VndField, count_field
from motcua.catalog.constants import FeeKind
from motcua.catalog.models import Procedure, ProcedureResult, ProcedureVersion, RequiredDocument
from motcua.core.exceptions import ValidationFailed
from motcua.core.uploads import limits_of, name_by_content, upload_check
from motcua.dossiers.constants import (
    ApplicantKind,
    Channel,
    PaymentChannel,
    ReturnChannel,
    StopCause,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    Applicant,
    FeeTaken,
    ReceivedDocument,
    ResultDocument,
    SupplementItem,
)

# A scanned result: at most 20 MB, recognised by its content (core.uploads).
OFFICER_UPLOADS = limits_of(max_mb=20, kinds=("pdf", "jpeg", "png"))
REASON_MAX = 4000
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M"]


def text_field(
    label: Any,
    *,
    required: bool = True,
    max_length: int = 255,
    help_text: Any = "",
    long: bool = False,
    required_message: Any = None,
    **attrs: Any,
) -> forms.CharField:
    """A trimmed text field (a textarea with ``long``) with a Vietnamese "required" message."""
    widget: forms.Widget = (
        forms.Textarea(attrs={"rows": 3, **attrs}) if long else forms.TextInput(attrs=attrs)
    )
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=widget,
        error_messages={
            "required": required_message or _("Vui lòng nhập mục này."),
            "max_length": _("Tối đa %(limit_value)d ký tự (đang có %(show_value)d)."),
        },
    )


def check_upload(upload: UploadedFile | None) -> UploadedFile | None:
    """An upload of at most 20 MB whose content really is a PDF, JPG or PNG."""
    if upload is None:
        return None
    try:
        kind = upload_check(upload, limits=OFFICER_UPLOADS)
    except ValidationFailed as exc:
        raise forms.ValidationError(exc.message, code=exc.code) from exc
    name_by_content(upload, kind)
    return upload


class ServiceForm(forms.Form):
    """A form whose fields a service's ``params["field"]`` may name (with aliases)."""

    field_aliases: dict[str, str] = {}

    def field_for(self, name: str | None) -> str | None:
        """The form field a service's error belongs to, or ``None`` for the whole form."""
        if not name:
            return None
        name = self.field_aliases.get(name, name)
        return name if name in self.fields else None

    def focus_first(self) -> None:
        """``autofocus`` on the first field with an error, else on the first visible field."""
        names = [name for name, field in self.fields.items() if not field.widget.is_hidden]
        if self.is_bound and self.errors:
            names = [name for name in names if name in self.errors] or names
        if names:
            self.fields[names[0]].widget.attrs["autofocus"] = True


# --- choosing officers -----------------------------------------------------------


def officers_within(unit: Unit, *, role: str = "") -> QuerySet[Officer]:
    """Active officers of ``unit`` or below it, holding ``role`` when one is given."""
    condition = Q(unit=unit)
    if unit.path:
        condition |= Q(unit__path__startswith=unit.path)
    officers = Officer.objects.filter(condition, user__is_active=True)
    if role:
        officers = officers.filter(roles__role=role)
    return officers.select_related("user", "unit").order_by("user__full_name").distinct()


class OfficerChoiceField(forms.ModelChoiceField):
    """An officer shown with their position and unit: "Lê Minh Tuấn — Chuyên viên, Văn phòng"."""

    def label_from_instance(self, obj: Any) -> str:
        officer: Officer = obj
        where = ", ".join(part for part in (officer.position, officer.unit.name) if part)
        return f"{officer.full_name} — {where}" if where else officer.full_name


def officer_field(queryset: QuerySet[Officer], label: Any, help_text: Any = "") -> Any:
    return OfficerChoiceField(
        queryset=queryset,
        label=label,
        help_text=help_text,
        empty_label=_("— Chọn cán bộ —"),
        error_messages={
            "required": _("Vui lòng chọn cán bộ."),
            "invalid_choice": _("Cán bộ đã chọn không nằm trong danh sách được phép."),
        },
    )


# --- counter intake ---------------------------------------------------------------


@dataclass(frozen=True)
class FeeRow:
    """A fee line of the intake form, prefilled from the version (R25)."""

    name: str
    amount: int | None
    hint: str = ""


def fee_rows_for(version: ProcedureVersion, channel: str = Channel.IN_PERSON) -> list[FeeRow]:
    """The fees of ``version`` for ``channel`` (else its first method); one blank row if none."""
    methods = {method.channel: method for method in version.methods.all()}
    method = methods.get(channel) or next(iter(methods.values()), None)
    rows = []
    for fee in method.fees.all() if method is not None else []:
        name = str(_("Phí, lệ phí") if fee.kind == FeeKind.UNKNOWN else fee.get_kind_display())
        amount = 0 if fee.free else fee.amount
        if fee.set_by_council:
            hint = str(_("Mức thu do Hội đồng nhân dân cấp tỉnh quy định."))
        else:
            hint = fee.description
        rows.append(FeeRow(name=name, amount=amount, hint=" ".join(hint.split())[:400]))
    return rows or [FeeRow(name="", amount=None)]


@dataclass(frozen=True)
class ChecklistRow:
    """One published component with its bound fields, for the template."""

    component: RequiredDocument
    received: forms.BoundField
    originals: forms.BoundField
    copies: forms.BoundField
    reused: forms.BoundField | None
    errors: list[str]


@dataclass(frozen=True)
class ChecklistGroup:
    """The components of one case (trường hợp) of the procedure."""

    case: str
    rows: list[ChecklistRow]


@dataclass(frozen=True)
class FeeFields:
    hint: str
    name: forms.BoundField
    amount: forms.BoundField
    exempt: forms.BoundField
    exemption_basis: forms.BoundField
    payment_channel: forms.BoundField
    receipt_number: forms.BoundField


class IntakeForm(ServiceForm):
    """Checklist, applicant and fees of a dossier received at the counter (R2–R4, R25)."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"),
        choices=[
            (Channel.IN_PERSON.value, Channel.IN_PERSON.label),
            (Channel.POSTAL.value, Channel.POSTAL.label),
        ],
        initial=Channel.IN_PERSON,
    )
    applicant_kind = forms.ChoiceField(
        label=_("Người nộp là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = text_field(
        _("Họ và tên người nộp / tên tổ chức"),
        required_message=_("Vui lòng nhập họ tên người nộp hồ sơ."),
        autocomplete="off",
        accesskey="n",
    )
    applicant_id_number = text_field(
        _("Số định danh cá nhân (CCCD) / mã số thuế"),
        required=False,
        max_length=20,
        inputmode="numeric",
        autocomplete="off",
        placeholder=_("CCCD 12 số; mã số thuế 10 hoặc 13 số"),
    )
    applicant_phone = text_field(
        _("Số điện thoại"),
        required=False,
        max_length=20,
        type="tel",
        inputmode="tel",
        autocomplete="off",
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    applicant_address = text_field(
        _("Địa chỉ"), required=False, max_length=500, autocomplete="off"
    )
    return_channel = forms.ChoiceField(
        label=_("Nhận kết quả"),
        choices=ReturnChannel.choices,
        initial=ReturnChannel.COUNTER,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        components: Sequence[RequiredDocument],
        fee_rows: Sequence[FeeRow],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(data, **kwargs)
        self.components = list(components)
        self.fee_rows = list(fee_rows)
        for component in self.components:
            prefix = f"doc_{component.pk}"
            short = component.name[:60]
            self.fields[f"{prefix}_received"] = forms.BooleanField(
                label=component.name, required=False
            )
            self.fields[f"{prefix}_originals"] = count_field(_("Bản chính"))
            self.fields[f"{prefix}_copies"] = count_field(_("Bản sao"))
            self.initial.setdefault(f"{prefix}_originals", component.originals)
            self.initial.setdefault(
                f"{prefix}_copies", component.copies + component.certified_copies
            )
            self.fields[f"{prefix}_originals"].widget.attrs["aria-label"] = str(
                _("Số bản chính — %(name)s") % {"name": short}
            )
            self.fields[f"{prefix}_copies"].widget.attrs["aria-label"] = str(
                _("Số bản sao — %(name)s") % {"name": short}
            )
            if component.reusable_from_data:
                self.fields[f"{prefix}_reused"] = forms.BooleanField(
                    label=_("Khai thác từ dữ liệu số (không yêu cầu bản giấy)"), required=False
                )
                self.initial.setdefault(f"{prefix}_reused", True)
        for index, row in enumerate(self.fee_rows):
            prefix = f"fee_{index}"
            self.fields[f"{prefix}_name"] = text_field(_("Khoản thu"), required=False)
            self.fields[f"{prefix}_amount"] = VndField(label=_("Số tiền (đồng)"), required=False)
            self.fields[f"{prefix}_exempt"] = forms.BooleanField(
                label=_("Miễn, giảm"), required=False
            )
            self.fields[f"{prefix}_exemption_basis"] = text_field(
                _("Căn cứ miễn, giảm"), required=False
            )
            self.fields[f"{prefix}_payment_channel"] = forms.ChoiceField(
                label=_("Hình thức thanh toán"),
                choices=PaymentChannel.choices,
                initial=PaymentChannel.CASH,
            )
            self.fields[f"{prefix}_receipt_number"] = text_field(
                _("Số biên lai"), required=False, max_length=60
            )
            self.initial.setdefault(f"{prefix}_name", row.name)
            self.initial.setdefault(f"{prefix}_amount", row.amount)

    # --- building the POST data again ----------------------------------------------

    @staticmethod
    def with_all_required(data: QueryDict, components: Iterable[RequiredDocument]) -> QueryDict:
        """``data`` with every required component ticked as received (the "all" shortcut)."""
        changed = data.copy()
        for component in components:
            if component.required:
                changed[f"doc_{component.pk}_received"] = "on"
        return changed

    # --- validation -------------------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for component in self.components:
            prefix = f"doc_{component.pk}"
            if cleaned.get(f"{prefix}_received") and not cleaned.get(f"{prefix}_reused"):
                count = (cleaned.get(f"{prefix}_originals") or 0) + (
                    cleaned.get(f"{prefix}_copies") or 0
                )
                if count == 0:
                    self.add_error(
                        f"{prefix}_originals",
                        _("Đã đánh dấu nhận: nhập số bản chính hoặc bản sao."),
                    )
        for index in range(len(self.fee_rows)):
            prefix = f"fee_{index}"
            name = cleaned.get(f"{prefix}_name", "")
            amount = cleaned.get(f"{prefix}_amount")
            if name and amount is None and not cleaned.get(f"{prefix}_exempt"):
                self.add_error(f"{prefix}_amount", _("Nhập số tiền, hoặc đánh dấu miễn, giảm."))
            if amount is not None and not name:
                self.add_error(f"{prefix}_name", _("Nhập tên khoản thu."))
            if cleaned.get(f"{prefix}_exempt") and not cleaned.get(f"{prefix}_exemption_basis"):
                self.add_error(
                    f"{prefix}_exemption_basis", _("Vui lòng ghi căn cứ miễn, giảm phí, lệ phí.")
                )
        return cleaned

    def field_for(self, name: str | None) -> str | None:
        if name == "fees" and self.fee_rows:
            return "fee_0_amount"
        return super().field_for(name)

    # --- what the services take ---------------------------------------------------------

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            name=data["applicant_name"],
            kind=data["applicant_kind"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
        )

    def _present(self, component: RequiredDocument) -> bool:
        data = self.cleaned_data
        prefix = f"doc_{component.pk}"
        if data.get(f"{prefix}_reused"):
            return True
        count = (data.get(f"{prefix}_originals") or 0) + (data.get(f"{prefix}_copies") or 0)
        return bool(data.get(f"{prefix}_received")) and count > 0

    def documents(self) -> list[ReceivedDocument]:
        """The components ticked as received (or taken from digital data)."""
        data = self.cleaned_data
        documents = []
        for component in self.components:
            if not self._present(component):
                continue
            prefix = f"doc_{component.pk}"
            reused = bool(data.get(f"{prefix}_reused"))
            documents.append(
                ReceivedDocument(
                    required_document_id=component.pk,
                    originals=0 if reused else data.get(f"{prefix}_originals") or 0,
                    copies=0 if reused else data.get(f"{prefix}_copies") or 0,
                    reused_from_data=reused,
                )
            )
        return documents

    def missing(self) -> list[RequiredDocument]:
        """Required components not received: the dossier cannot be received without them (R2)."""
        return [c for c in self.components if c.required and not self._present(c)]

    def fees(self) -> list[FeeTaken]:
        data = self.cleaned_data
        fees = []
        for index in range(len(self.fee_rows)):
            prefix = f"fee_{index}"
            name = data.get(f"{prefix}_name", "")
            if not name:
                continue
            fees.append(
                FeeTaken(
                    name=name,
                    amount=data.get(f"{prefix}_amount") or 0,
                    exempt=bool(data.get(f"{prefix}_exempt")),
                    exemption_basis=data.get(f"{prefix}_exemption_basis", ""),
                    payment_channel=data.get(f"{prefix}_payment_channel") or PaymentChannel.CASH,
                    receipt_number=data.get(f"{prefix}_receipt_number", ""),
                )
            )
        return fees

    def fees_total(self) -> int:
        return sum(0 if fee.exempt else fee.amount for fee in self.fees())

    # --- what the template shows ----------------------------------------------------------

    def checklist(self) -> list[ChecklistGroup]:
        """The components grouped by case, cases in the order the version first names them."""
        groups: dict[str, ChecklistGroup] = {}
        for component in self.components:
            prefix = f"doc_{component.pk}"
            reused = self[f"{prefix}_reused"] if f"{prefix}_reused" in self.fields else None
            errors = [
                str(error)
                for name in (f"{prefix}_received", f"{prefix}_originals", f"{prefix}_copies")
                for error in (self.errors.get(name, []) if self.is_bound else [])
            ]
            row = ChecklistRow(
                component=component,
                received=self[f"{prefix}_received"],
                originals=self[f"{prefix}_originals"],
                copies=self[f"{prefix}_copies"],
                reused=reused,
                errors=errors,
            )
            case = component.case.strip()
            groups.setdefault(case, ChecklistGroup(case=case, rows=[])).rows.append(row)
        return list(groups.values())

    def fee_fields(self) -> list[FeeFields]:
        return [
            FeeFields(
                hint=row.hint,
                name=self[f"fee_{index}_name"],
                amount=self[f"fee_{index}_amount"],
                exempt=self[f"fee_{index}_exempt"],
                exemption_basis=self[f"fee_{index}_exemption_basis"],
                payment_channel=self[f"fee_{index}_payment_channel"],
                receipt_number=self[f"fee_{index}_receipt_number"],
            )
            for index, row in enumerate(self.fee_rows)
        ]

    def focus_first(self) -> None:
        if self.is_bound and self.errors:
            super().focus_first()
            return
        first = next(iter(self.components), None)
        name = f"doc_{first.pk}_received" if first is not None else "applicant_name"
        self.fields[name].widget.attrs["autofocus"] = True


def component_choices(version: ProcedureVersion) -> list[tuple[str, str]]:
    """Published components that may be asked for: never one taken from digital data (R3, R4)."""
    choices = []
    for component in version.documents.all():
        if component.reusable_from_data:
            continue
        label = component.name
        if component.case:
            label = f"{component.name} ({component.case[:80]})"
        choices.append((str(component.pk), label))
    return choices


class ComponentsForm(ServiceForm):
    """Form 02: the published components to supplement and why (R3, R15)."""

    items = forms.MultipleChoiceField(
        label=_("Thành phần hồ sơ cần bổ sung, hoàn thiện"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Chỉ chọn được thành phần đã công bố của thủ tục; thành phần khai thác được từ "
            "dữ liệu số không được yêu cầu nộp lại."
        ),
        error_messages={
            "required": _("Vui lòng chọn thành phần hồ sơ cần bổ sung."),
            "invalid_choice": _("Thành phần đã chọn không thuộc thủ tục này."),
        },
    )
    reason = text_field(
        _("Lý do, nội dung cần bổ sung"),
        long=True,
        max_length=REASON_MAX,
        required_message=_("Vui lòng ghi lý do cần bổ sung, hoàn thiện hồ sơ."),
    )

    def __init__(
        self,
        *args: Any,
        version: ProcedureVersion,
        preselect: Iterable[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field: forms.MultipleChoiceField = self.fields["items"]  # type: ignore[assignment]
        field.choices = component_choices(version)
        allowed = {int(value) for value, _label in field.choices}
        self.initial.setdefault("items", [str(pk) for pk in preselect if pk in allowed])

    def supplement_items(self) -> list[SupplementItem]:
        return [SupplementItem(required_document_id=int(pk)) for pk in self.cleaned_data["items"]]


class ReasonForm(ServiceForm):
    """A reason the service requires (Form 03, sending back)."""

    reason = text_field(
        _("Lý do"),
        long=True,
        max_length=REASON_MAX,
        required_message=_("Vui lòng ghi rõ lý do."),
    )


class IntakeRefuseForm(ReasonForm):
    """Form 03: refuse to accept, with the reason written out (R2)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Lý do từ chối tiếp nhận")
        self.fields["reason"].help_text = _(
            "Ví dụ: không thuộc thẩm quyền giải quyết của đơn vị; không đủ điều kiện "
            "theo quy định."
        )


# --- actions on a dossier ------------------------------------------------------------


@dataclass
class ActionContext:
    """What an action form needs to know to offer its choices."""

    dossier: Dossier
    version: ProcedureVersion
    # The officers an assignment may go to (handover, assign, receive back).
    candidates: QuerySet[Officer] | None = None
    # The published components asked for in the open supplement request.
    asked: Sequence[dict[str, Any]] = ()
    # The procedures a result is needed for (one, or each of a bundle).
    procedures: Sequence[Procedure] = ()
    results: Sequence[ProcedureResult] = ()
    agency_name: str = ""
    candidates_help: str = ""


class ActionForm(ServiceForm):
    """A form posted to one dossier action; subclasses add their fields."""

    multipart = False
    field_aliases = {"assignee": "to_assignee"}

    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = context


class AcceptOnlineForm(ActionForm):
    """Accept an online submission: no fields, the service checks the documents."""


class AskToCompleteForm(ActionForm, ComponentsForm):
    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, version=context.version, **kwargs)


class RefuseIntakeForm(ActionForm):
    reason = text_field(
        _("Lý do từ chối tiếp nhận"),
        long=True,
        max_length=REASON_MAX,
        required_message=_("Vui lòng ghi rõ lý do từ chối tiếp nhận."),
    )


class AssigneeForm(ActionForm):
    """Hand a step to a named officer (handover, assign, receive back)."""

    note = text_field(_("Ghi chú"), required=False, long=True, max_length=REASON_MAX)

    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        queryset = context.candidates if context.candidates is not None else Officer.objects.none()
        self.fields = {
            "to_assignee": officer_field(
                queryset, _("Chuyển cho cán bộ"), help_text=context.candidates_help
            ),
            **self.fields,
        }


class HandoverForm(AssigneeForm):
    pass


class AssignForm(AssigneeForm):
    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        self.fields["to_assignee"].label = _("Phân công cho")
        self.fields["note"].label = _("Ghi chú phân công (nội bộ)")


class ReceiveBackForm(AssigneeForm):
    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        self.fields["to_assignee"].label = _("Giao xử lý tiếp cho")


class SendBackForm(ActionForm):
    reason = text_field(
        _("Lý do trả lại"),
        long=True,
        max_length=REASON_MAX,
        required_message=_("Vui lòng ghi lý do trả lại."),
    )


class RequestSupplementForm(ActionForm, ComponentsForm):
    sector_rule = text_field(
        _("Căn cứ luật chuyên ngành (khi quá 3 ngày làm việc)"),
        required=False,
        help_text=_(
            "Yêu cầu bổ sung phải gửi trong 3 ngày làm việc kể từ ngày tiếp nhận, trừ khi luật "
            "chuyên ngành quy định khác — khi đó ghi rõ căn cứ."
        ),
    )

    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, version=context.version, **kwargs)
        self.fields["reason"].label = _("Lý do yêu cầu bổ sung")


class ReceiveSupplementForm(ActionForm):
    """The components asked for, ticked as brought, with their counts (R15)."""

    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        for item in context.asked:
            pk = item["required_document_id"]
            self.fields[f"got_{pk}"] = forms.BooleanField(label=item["name"], required=False)
            self.fields[f"originals_{pk}"] = count_field(_("Bản chính"))
            self.fields[f"copies_{pk}"] = count_field(_("Bản sao"))
            self.initial.setdefault(f"originals_{pk}", item.get("originals") or 0)
            self.initial.setdefault(f"copies_{pk}", item.get("copies") or 0)

    def field_for(self, name: str | None) -> str | None:
        if name == "documents" and self.context.asked:
            return f"got_{self.context.asked[0]['required_document_id']}"
        return super().field_for(name)

    def rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                self[f"got_{item['required_document_id']}"],
                self[f"originals_{item['required_document_id']}"],
                self[f"copies_{item['required_document_id']}"],
            )
            for item in self.context.asked
        ]

    def documents(self) -> list[ReceivedDocument]:
        data = self.cleaned_data
        return [
            ReceivedDocument(
                required_document_id=item["required_document_id"],
                originals=data.get(f"originals_{item['required_document_id']}") or 0,
                copies=data.get(f"copies_{item['required_document_id']}") or 0,
            )
            for item in self.context.asked
            if data.get(f"got_{item['required_document_id']}")
        ]


class TransferForm(ActionForm):
    agency_name = text_field(_("Cơ quan phối hợp"), required=False)
    share_days = VietDecimalField(
        label=_("Thời gian giải quyết tại cơ quan phối hợp (ngày làm việc)"),
        required=False,
        min_value=0.5,
        max_value=365,
        max_digits=5,
        decimal_places=1,
    )
    note = text_field(_("Ghi chú"), required=False, long=True, max_length=REASON_MAX)

    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        if context.agency_name:
            self.initial.setdefault("agency_name", context.agency_name)
            self.fields["share_days"].help_text = _(
                "Bước liên thông đã có trong quy trình: thời gian theo quy trình."
            )


class RefuseForm(ActionForm):
    reason = text_field(
        _("Lý do từ chối giải quyết"),
        long=True,
        max_length=REASON_MAX,
        required_message=_("Vui lòng ghi rõ lý do từ chối giải quyết."),
    )
    legal_basis = text_field(_("Căn cứ pháp lý"), required=False)


class StopForm(ActionForm):
    cause = forms.ChoiceField(
        label=_("Căn cứ dừng"),
        choices=StopCause.choices,
        error_messages={"invalid_choice": _("Căn cứ dừng giải quyết không hợp lệ.")},
    )
    requested_at = forms.DateTimeField(
        label=_("Người nộp đề nghị lúc"),
        required=False,
        input_formats=DATETIME_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"invalid": _("Thời điểm không hợp lệ, ví dụ 31/12/2026 09:30.")},
    )
    decision = text_field(
        _("Nội dung quyết định dừng"),
        long=True,
        max_length=REASON_MAX,
        required_message=_("Vui lòng ghi nội dung quyết định dừng."),
    )
    fee_handling = text_field(
        _("Xử lý phí, lệ phí đã thu"), required=False, long=True, max_length=REASON_MAX
    )


class ResultReadyForm(ActionForm):
    """A result for each procedure of the dossier or bundle (R22); the scan is optional."""

    multipart = True
    location = text_field(
        _("Nơi lưu kết quả chờ trả"),
        required=False,
        help_text=_("Ví dụ: Tủ hồ sơ số 2, Trung tâm Phục vụ hành chính công."),
    )

    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        location = self.fields.pop("location")
        suggested = [result.name for result in context.results]
        for procedure in context.procedures:
            pk = procedure.pk
            label = procedure.name[:120]
            self.fields[f"name_{pk}"] = text_field(
                _("Tên kết quả"),
                max_length=500,
                required_message=_("Vui lòng ghi tên kết quả."),
                list=f"results-{pk}",
            )
            self.fields[f"document_number_{pk}"] = text_field(
                _("Số, ký hiệu văn bản"), required=False, max_length=100
            )
            self.fields[f"result_code_{pk}"] = text_field(
                _("Mã kết quả"), required=False, max_length=60
            )
            self.fields[f"file_{pk}"] = forms.FileField(
                label=_("Bản điện tử (PDF, JPG, PNG; tối đa 20 MB)"),
                required=False,
                error_messages={"empty": _("Tệp tải lên rỗng.")},
            )
            if len(context.procedures) > 1:
                for name in ("name", "document_number", "result_code", "file"):
                    field = self.fields[f"{name}_{pk}"]
                    field.label = f"{field.label} — {label}"
            if suggested:
                self.initial.setdefault(f"name_{pk}", suggested[0])
        self.fields["location"] = location

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for procedure in self.context.procedures:
            name = f"file_{procedure.pk}"
            if cleaned.get(name):
                try:
                    check_upload(cleaned[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def field_for(self, name: str | None) -> str | None:
        if name == "results" and self.context.procedures:
            return f"name_{self.context.procedures[0].pk}"
        return super().field_for(name)

    def datalists(self) -> list[tuple[str, list[str]]]:
        names = [result.name for result in self.context.results]
        return [(f"results-{procedure.pk}", names) for procedure in self.context.procedures]

    def result_documents(self) -> list[ResultDocument]:
        data = self.cleaned_data
        return [
            ResultDocument(
                procedure_id=procedure.pk,
                name=data[f"name_{procedure.pk}"],
                document_number=data.get(f"document_number_{procedure.pk}", ""),
                result_code=data.get(f"result_code_{procedure.pk}", ""),
                file=data.get(f"file_{procedure.pk}") or None,
            )
            for procedure in self.context.procedures
        ]


class ReturnResultForm(ActionForm):
    """The delivery record: signature at the counter, postal receipt or e-acknowledgement (R21)."""

    channel = forms.ChoiceField(
        label=_("Hình thức trả kết quả"),
        choices=ReturnChannel.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Hình thức trả kết quả không hợp lệ.")},
    )
    recipient_name = text_field(_("Người nhận kết quả"), required=False)
    recipient_id_number = text_field(
        _("Số giấy tờ của người nhận"), required=False, max_length=20, inputmode="numeric"
    )
    postal_tracking_number = text_field(_("Số vận đơn bưu chính"), required=False, max_length=60)
    acknowledgement = text_field(
        _("Xác nhận đã nhận"),
        required=False,
        help_text=_(
            "Tại quầy: người nhận ký vào Sổ theo dõi hồ sơ, ví dụ «Đã ký nhận, quyển 01 số 125». "
            "Trực tuyến: xác nhận đã gửi vào kho dữ liệu của người dân."
        ),
    )

    def __init__(self, *args: Any, context: ActionContext, **kwargs: Any) -> None:
        super().__init__(*args, context=context, **kwargs)
        dossier = context.dossier
        self.initial.setdefault("channel", dossier.return_channel or ReturnChannel.COUNTER)
        self.initial.setdefault("recipient_name", dossier.applicant_name)
        self.initial.setdefault("recipient_id_number", dossier.applicant_id_number)


class NoteForm(ActionForm):
    text = text_field(
        _("Nội dung ghi chú"),
        long=True,
        max_length=REASON_MAX,
        required_message=_("Vui lòng nhập nội dung ghi chú."),
    )
    internal = forms.BooleanField(
        label=_("Chỉ nội bộ (người dân không xem được)"), required=False, initial=True
    )


# --- lists ----------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Mã hồ sơ, tên người nộp (có dấu hoặc không dấu), số định danh hoặc điện thoại"),
        required=False,
        max_length=200,
    )


class UnitWorkFilterForm(forms.Form):
    """The head's view filters: by officer and by deadline state."""

    STATES = [
        ("", _("Mọi tình trạng")),
        ("late", _("Quá hạn")),
        ("due_soon", _("Sắp đến hạn")),
        ("on_time", _("Còn hạn")),
    ]

    officer = forms.TypedChoiceField(
        label=_("Cán bộ xử lý"), required=False, coerce=int, empty_value=None
    )
    state = forms.ChoiceField(label=_("Tình trạng"), required=False, choices=STATES)

    def __init__(self, *args: Any, officers: Iterable[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: forms.TypedChoiceField = self.fields["officer"]  # type: ignore[assignment]
        field.choices = [("", _("Tất cả cán bộ"))] + [
            (officer.pk, officer.full_name) for officer in officers
        ]

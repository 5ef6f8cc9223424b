"""Shapes of the dossier API: input parsing and output rendering only, no business rules.

Input serializers check types, lengths and choices and turn the body into
the plain values and dataclasses of :mod:`motcua.dossiers.services`; every
rule (a reason is required, the checklist is complete, one supplement
request…) stays in the services and comes back as a domain error. Output
serializers render what the selectors return; deadlines are worked out by
:func:`motcua.dossiers.selectors.deadline_state` through a :class:`Clock`
given in the serializer context.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from motcua.api.serializers import MAX_FEE_VND, SearchTextField
from motcua.dossiers.constants import (
    Action,
    ApplicantKind,
    Channel,
    PaymentChannel,
    ReturnChannel,
    Status,
    StopCause,
)
from motcua.dossiers.models import (
    Delivery,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierFee,
    DossierResult,
    DossierStep,
    StopNotice,
    SupplementRequest,
)
from motcua.dossiers.selectors import (
    Deadline,
    TimeState,
    deadline_state,
    dossier_calendar,
)
from motcua.dossiers.services import (
    Applicant,
    FeeTaken,
    ReceivedDocument,
    SupplementItem,
)
from motcua.dossiers.workflow import allowed_actions
from motcua.workcalendar.engine import WorkingCalendar

# Largest primary key a body or query may name (64-bit): a larger number is
# a malformed request, not a database overflow.
MAX_ID = 2**63 - 1
MAX_TEXT = 5000
MAX_LIST = 100

DEADLINE_STATES = (
    (TimeState.ON_TIME, _("Còn hạn")),
    (TimeState.DUE_SOON, _("Sắp đến hạn (còn không quá một ngày làm việc)")),
    (TimeState.LATE, _("Quá hạn")),
    (TimeState.NONE, _("Không có hạn")),
)

# The actions an officer takes through the API: workflow action → path
# segment of ``POST /api/dossiers/{code}/<segment>/`` (URL name ``dossier_<action>``).
ACTION_ENDPOINTS: dict[str, str] = {
    Action.ACCEPT_ONLINE: "accept-online",
    Action.ASK_TO_COMPLETE: "ask-to-complete",
    Action.REFUSE_INTAKE: "refuse-intake",
    Action.HANDOVER: "handover",
    Action.ASSIGN: "assign",
    Action.SEND_BACK: "send-back",
    Action.REQUEST_SUPPLEMENT: "request-supplement",
    Action.RECEIVE_SUPPLEMENT: "receive-supplement",
    Action.TRANSFER: "transfer",
    Action.RECEIVE_BACK: "receive-back",
    Action.REFUSE: "refuse",
    Action.STOP: "stop",
    Action.RESULT_READY: "result-ready",
    Action.RETURN_RESULT: "return-result",
    Action.NOTE: "note",
}


def _label(choices: type[Any], value: str) -> str:
    """The Vietnamese label of ``value`` in ``choices``; empty for an empty or unknown value."""
    try:
        return str(choices(value).label) if value else ""
    except ValueError:
        return value


class CachedModelSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A model serializer that introspects its model once per process, not once per use.

    perf: DRF rebuilds a model serializer's fields from the model's metadata
    each time one is used: ~1.5 ms per nested serializer on the CI machine,
    most of a dossier's detail. The fields do not depend on the instance or
    the context here, so the first build is kept, unbound, and copied (as DRF
    copies declared fields anyway).
    """

    _prototypes: dict[type, dict[str, serializers.Field]] = {}  # type: ignore[type-arg]

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        cls = type(self)
        prototype = CachedModelSerializer._prototypes.get(cls)
        if prototype is None:
            fields = super().get_fields()
            CachedModelSerializer._prototypes[cls] = copy.deepcopy(fields)
            return fields
        return copy.deepcopy(prototype)


class Clock:
    """Now, and the working calendar of each receiving unit, read once per response."""

    def __init__(self, now: dt.datetime | None = None) -> None:
        self.now = now or timezone.now()
        self._calendars: dict[int, WorkingCalendar] = {}

    def calendar(self, dossier: Dossier) -> WorkingCalendar:
        calendar = self._calendars.get(dossier.receiving_unit_id)
        if calendar is None:
            calendar = dossier_calendar(dossier=dossier)
            self._calendars[dossier.receiving_unit_id] = calendar
        return calendar

    def deadline(self, dossier: Dossier, due: dt.datetime | None) -> Deadline | None:
        """Where ``due`` stands; none once processing ended or while the clock is paused."""
        if dossier.ended_at is not None or dossier.paused_at is not None:
            return None
        return deadline_state(due=due, calendar=self.calendar(dossier), now=self.now)


def _clock(serializer: serializers.Field) -> Clock:
    clock = serializer.context.get("clock")
    if clock is None:
        clock = serializer.context["clock"] = Clock()
    return clock


# --- small shapes ------------------------------------------------------------------


class DeadlineSerializer(serializers.Serializer):
    state = serializers.ChoiceField(
        choices=DEADLINE_STATES,
        help_text=_("on_time: còn hạn; due_soon: còn không quá một ngày làm việc; late: quá hạn."),
    )
    seconds_left = serializers.IntegerField(
        help_text=_("Thời gian làm việc còn lại, tính bằng giây; số âm là đã quá hạn chừng ấy.")
    )
    label = serializers.CharField(help_text=_("Ví dụ: còn 1 ngày 3 giờ; quá 2 giờ 15 phút."))


def _deadline_data(deadline: Deadline | None) -> dict[str, Any] | None:
    """:class:`DeadlineSerializer`'s output, built directly (perf: one per inbox line)."""
    if deadline is None:
        return None
    return {
        "state": deadline.state,
        "seconds_left": deadline.seconds_left,
        "label": deadline.label,
    }


class RefSerializer(serializers.Serializer):
    """A unit, an officer or a user: its id and its name."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class UnitRefSerializer(RefSerializer):
    pass


class OfficerRefSerializer(RefSerializer):
    name = serializers.CharField(source="user.full_name", help_text=_("Họ và tên cán bộ."))


class UserRefSerializer(RefSerializer):
    name = serializers.CharField(source="full_name", help_text=_("Họ và tên."))


class ProcedureRefSerializer(serializers.Serializer):
    code = serializers.CharField(source="procedure.code", help_text=_("Mã thủ tục."))
    name = serializers.CharField(help_text=_("Tên thủ tục theo phiên bản áp dụng cho hồ sơ."))
    version = serializers.IntegerField(source="number", help_text=_("Số phiên bản."))


class AllowedActionSerializer(serializers.Serializer):
    action = serializers.CharField(help_text=_("Mã thao tác, như trong lịch sử hồ sơ."))
    label = serializers.CharField()
    endpoint = serializers.CharField(help_text=_("Địa chỉ POST thực hiện thao tác."))


# --- the dossier -------------------------------------------------------------------


class StepSerializer(CachedModelSerializer):
    unit = UnitRefSerializer(allow_null=True)
    assignee = OfficerRefSerializer(allow_null=True, help_text=_("Người xử lý bước."))
    handed_over_by = OfficerRefSerializer(allow_null=True, help_text=_("Người giao bước."))
    outcome_label = serializers.CharField(source="get_outcome_display")

    class Meta:
        model = DossierStep
        fields = [
            "sequence",
            "name",
            "unit",
            "agency_name",
            "assignee",
            "handed_over_by",
            "started_at",
            "due_at",
            "finished_at",
            "outcome",
            "outcome_label",
            "note",
        ]


class OpenStepSerializer(StepSerializer):
    deadline = serializers.SerializerMethodField(
        help_text=_("Hạn của bước; null khi không có hạn tính được hoặc hồ sơ đang tạm dừng.")
    )

    class Meta(StepSerializer.Meta):
        fields = [*StepSerializer.Meta.fields, "deadline"]

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_deadline(self, step: DossierStep) -> dict[str, Any] | None:
        deadline = _clock(self).deadline(step.dossier, step.due_at)
        return _deadline_data(deadline)


class DocumentReceivedSerializer(CachedModelSerializer):
    required_document = serializers.IntegerField(
        source="required_document_id",
        allow_null=True,
        help_text=_("Thành phần hồ sơ đã công bố (id) mà giấy tờ này đáp ứng."),
    )

    class Meta:
        model = DossierDocument
        fields = [
            "id",
            "required_document",
            "name",
            "originals",
            "copies",
            "digitised",
            "reused_from_data",
            "from_supplement",
            "received_at",
        ]


class FeeTakenSerializer(CachedModelSerializer):
    amount = serializers.IntegerField(help_text=_("Số tiền đã thu, đồng (0 khi được miễn)."))
    payment_channel_label = serializers.CharField(source="get_payment_channel_display")

    class Meta:
        model = DossierFee
        fields = [
            "name",
            "amount",
            "exempt",
            "exemption_basis",
            "payment_channel",
            "payment_channel_label",
            "receipt_number",
            "paid_at",
        ]


class ResultOutSerializer(CachedModelSerializer):
    procedure = serializers.CharField(source="procedure.code", help_text=_("Mã thủ tục."))
    signer = OfficerRefSerializer(allow_null=True)

    class Meta:
        model = DossierResult
        fields = [
            "procedure",
            "name",
            "document_number",
            "result_code",
            "signer",
            "signed_at",
            "is_refusal",
        ]


class DeliverySerializer(CachedModelSerializer):
    channel_label = serializers.CharField(source="get_channel_display")
    delivered_by = OfficerRefSerializer(allow_null=True)

    class Meta:
        model = Delivery
        fields = [
            "channel",
            "channel_label",
            "delivered_at",
            "delivered_by",
            "recipient_name",
            "recipient_id_number",
            "postal_tracking_number",
            "acknowledgement",
        ]


class StopNoticeSerializer(CachedModelSerializer):
    cause_label = serializers.CharField(source="get_cause_display")
    decided_by = OfficerRefSerializer()

    class Meta:
        model = StopNotice
        fields = [
            "cause",
            "cause_label",
            "requested_at",
            "stage",
            "decision",
            "fee_handling",
            "decided_by",
        ]


class SupplementItemOutSerializer(serializers.Serializer):
    required_document_id = serializers.IntegerField()
    name = serializers.CharField()
    originals = serializers.IntegerField()
    copies = serializers.IntegerField()
    reason = serializers.CharField()


class SupplementRequestSerializer(CachedModelSerializer):
    requested_by = OfficerRefSerializer()
    items = SupplementItemOutSerializer(many=True)

    class Meta:
        model = SupplementRequest
        fields = [
            "during_processing",
            "number",
            "requested_at",
            "requested_by",
            "reason",
            "items",
            "received_at",
        ]


class DossierSummarySerializer(CachedModelSerializer):
    """One dossier in a list: who, what, where, when it is due."""

    label = serializers.CharField(
        help_text=_("Mã hồ sơ khi đã tiếp nhận, nếu chưa thì mã tra cứu.")
    )
    status_label = serializers.CharField(source="get_status_display")
    procedure = ProcedureRefSerializer(source="procedure_version")
    receiving_unit = UnitRefSerializer()
    appointment_state = serializers.SerializerMethodField(
        help_text=_(
            "Hạn trả kết quả so với hiện tại, theo lịch làm việc; null khi đã kết thúc xử lý "
            "hoặc đang tạm dừng tính thời hạn."
        )
    )
    outcome_label = serializers.CharField(source="get_outcome_display")

    class Meta:
        model = Dossier
        fields = [
            "code",
            "reference",
            "label",
            "status",
            "status_label",
            "channel",
            "procedure",
            "applicant_name",
            "receiving_unit",
            "submitted_at",
            "received_at",
            "appointment",
            "appointment_state",
            "outcome",
            "outcome_label",
        ]

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_appointment_state(self, dossier: Dossier) -> dict[str, Any] | None:
        deadline = _clock(self).deadline(dossier, dossier.appointment)
        return _deadline_data(deadline)


class DossierDetailSerializer(DossierSummarySerializer):
    """A dossier as the officers who may see it see it, with what may be done next."""

    channel_label = serializers.CharField(source="get_channel_display")
    return_channel_label = serializers.CharField(source="get_return_channel_display")
    rule_set_label = serializers.CharField(source="get_rule_set_display")
    processing_unit = UnitRefSerializer(help_text=_("Cơ quan có thẩm quyền giải quyết."))
    received_by = OfficerRefSerializer(allow_null=True)
    open_step = serializers.SerializerMethodField(
        help_text=_("Bước đang xử lý (rõ người, rõ việc, rõ hạn); null khi không có.")
    )
    steps = StepSerializer(many=True)
    documents = DocumentReceivedSerializer(many=True)
    fees = FeeTakenSerializer(many=True)
    results = ResultOutSerializer(many=True)
    supplement_requests = SupplementRequestSerializer(source="supplement_request_rows", many=True)
    delivery = serializers.SerializerMethodField(help_text=_("Biên nhận trả kết quả (R21)."))
    stop_notice = serializers.SerializerMethodField(help_text=_("Thông báo dừng giải quyết."))
    allowed_actions = serializers.SerializerMethodField(
        help_text=_(
            "Các thao tác mà trạng thái hiện tại cho phép (theo bảng chuyển trạng thái); "
            "quyền của từng cán bộ vẫn do thao tác kiểm tra."
        )
    )

    class Meta(DossierSummarySerializer.Meta):
        fields = [
            *DossierSummarySerializer.Meta.fields,
            "channel_label",
            "return_channel",
            "return_channel_label",
            "rule_set",
            "rule_set_label",
            "processing_unit",
            "applicant_kind",
            "applicant_id_number",
            "applicant_phone",
            "applicant_email",
            "applicant_address",
            "received_outside_hours",
            "received_by",
            "appointment_original",
            "paused_at",
            "paused_seconds",
            "processed_at",
            "returned_at",
            "ended_at",
            "result_location",
            "reminders_sent",
            "supplement_requests",
            "open_step",
            "steps",
            "documents",
            "fees",
            "results",
            "delivery",
            "stop_notice",
            "allowed_actions",
        ]

    @extend_schema_field(OpenStepSerializer(allow_null=True))
    def get_open_step(self, dossier: Dossier) -> dict[str, Any] | None:
        step = next((step for step in dossier.steps.all() if step.finished_at is None), None)
        if step is None:
            return None
        return OpenStepSerializer(step, context=self.context).data

    @extend_schema_field(DeliverySerializer(allow_null=True))
    def get_delivery(self, dossier: Dossier) -> dict[str, Any] | None:
        delivery = getattr(dossier, "delivery", None)
        return DeliverySerializer(delivery).data if delivery else None

    @extend_schema_field(StopNoticeSerializer(allow_null=True))
    def get_stop_notice(self, dossier: Dossier) -> dict[str, Any] | None:
        notice = getattr(dossier, "stop_notice", None)
        return StopNoticeSerializer(notice).data if notice else None

    @extend_schema_field(AllowedActionSerializer(many=True))
    def get_allowed_actions(self, dossier: Dossier) -> list[dict[str, str]]:
        return [
            {
                "action": action,
                "label": str(Action(action).label),
                "endpoint": reverse(f"api:dossier_{action}", kwargs={"code": dossier.label}),
            }
            for action in allowed_actions(dossier.status)
            if action in ACTION_ENDPOINTS
        ]


class OnlineReceiptSerializer(CachedModelSerializer):
    """What the portal shows after an online submission: the reference to follow it with."""

    status_label = serializers.CharField(source="get_status_display")
    procedure = ProcedureRefSerializer(source="procedure_version")
    receiving_unit = UnitRefSerializer()
    documents = serializers.IntegerField(
        source="documents.count", help_text=_("Số giấy tờ đã nộp kèm.")
    )

    class Meta:
        model = Dossier
        fields = [
            "reference",
            "status",
            "status_label",
            "procedure",
            "receiving_unit",
            "submitted_at",
            "return_channel",
            "documents",
        ]


# --- history, control slip, work lists ---------------------------------------------


class EventStepSerializer(serializers.Serializer):
    sequence = serializers.IntegerField()
    name = serializers.CharField()


class EventSerializer(CachedModelSerializer):
    action_label = serializers.SerializerMethodField()
    from_status_label = serializers.SerializerMethodField()
    to_status_label = serializers.SerializerMethodField()
    actor = UserRefSerializer(allow_null=True, help_text=_("Người thực hiện; null: hệ thống."))
    unit = UnitRefSerializer(allow_null=True)
    step = EventStepSerializer(allow_null=True)
    data = serializers.DictField(help_text=_("Dữ liệu kèm theo thao tác (tùy thao tác)."))

    class Meta:
        model = DossierEvent
        fields = [
            "sequence",
            "at",
            "action",
            "action_label",
            "from_status",
            "from_status_label",
            "to_status",
            "to_status_label",
            "actor",
            "unit",
            "step",
            "reason",
            "legal_basis",
            "internal",
            "data",
        ]

    def get_action_label(self, event: DossierEvent) -> str:
        return _label(Action, event.action)

    def get_from_status_label(self, event: DossierEvent) -> str:
        return _label(Status, event.from_status)

    def get_to_status_label(self, event: DossierEvent) -> str:
        return _label(Status, event.to_status)


class ControlSlipRowSerializer(serializers.Serializer):
    """One line of the processing control slip (phiếu kiểm soát quá trình giải quyết)."""

    sequence = serializers.IntegerField()
    unit_name = serializers.CharField(help_text=_("Đơn vị hoặc cơ quan phối hợp."))
    step_name = serializers.CharField()
    handed_at = serializers.DateTimeField(help_text=_("Thời gian giao, nhận hồ sơ."))
    handed_by = serializers.CharField(help_text=_("Người giao."))
    received_by = serializers.CharField(help_text=_("Người nhận."))
    due_at = serializers.DateTimeField(allow_null=True, help_text=_("Hạn xử lý."))
    finished_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(help_text=_("early, on_time, late hoặc rỗng."))
    outcome_label = serializers.CharField()
    note = serializers.CharField()


class WorkItemSerializer(CachedModelSerializer):
    """An open step with its dossier: a line of the inbox or of a unit's work."""

    unit = UnitRefSerializer(allow_null=True)
    assignee = OfficerRefSerializer(allow_null=True)
    deadline = serializers.SerializerMethodField(
        help_text=_(
            "Hạn của bước và thời gian còn lại (hoặc đã quá) theo giờ làm việc; null khi "
            "hồ sơ đang tạm dừng tính thời hạn (chờ bổ sung)."
        )
    )
    paused = serializers.SerializerMethodField(help_text=_("Hồ sơ đang chờ bổ sung."))
    dossier = DossierSummarySerializer()

    class Meta:
        model = DossierStep
        fields = [
            "sequence",
            "name",
            "unit",
            "assignee",
            "started_at",
            "due_at",
            "deadline",
            "paused",
            "dossier",
        ]

    @extend_schema_field(DeadlineSerializer(allow_null=True))
    def get_deadline(self, step: DossierStep) -> dict[str, Any] | None:
        deadline = _clock(self).deadline(step.dossier, step.due_at)
        return _deadline_data(deadline)

    def get_paused(self, step: DossierStep) -> bool:
        return step.dossier.paused_at is not None


# --- query strings -----------------------------------------------------------------


class _GivenMeansGiven:
    """A query-string value that is present but empty is malformed, not absent."""

    field_name: str

    def get_value(self, dictionary: Any) -> Any:
        return dictionary.get(self.field_name, serializers.empty)


class QueryDateField(_GivenMeansGiven, serializers.DateField):
    pass


class QueryIdField(_GivenMeansGiven, serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class DossierSearchParamsSerializer(serializers.Serializer):
    q = SearchTextField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_(
            "Mã hồ sơ (hoặc phần cuối của mã), mã tra cứu, tên người nộp không cần dấu, "
            "số định danh hoặc số điện thoại (từ 4 chữ số cuối)."
        ),
    )
    status = serializers.ChoiceField(
        choices=Status.choices, required=False, allow_blank=True, help_text=_("Trạng thái.")
    )
    unit = QueryIdField(
        required=False, help_text=_("Đơn vị (id): nơi tiếp nhận hoặc cơ quan giải quyết.")
    )
    received_from = QueryDateField(required=False, help_text=_("Tiếp nhận từ ngày (kể cả)."))
    received_to = QueryDateField(required=False, help_text=_("Tiếp nhận đến ngày (kể cả)."))


class UnitWorkParamsSerializer(serializers.Serializer):
    unit = QueryIdField(required=False, help_text=_("Chỉ các bước của đơn vị này (id)."))


# --- bodies ------------------------------------------------------------------------


def _text(max_length: int = MAX_TEXT, help_text: Any = "") -> serializers.CharField:
    """Optional free text; an empty value is left for the service to judge."""
    return serializers.CharField(
        max_length=max_length, required=False, allow_blank=True, default="", help_text=help_text
    )


class NewDossierInputSerializer(serializers.Serializer):
    """Who applies for what, where. The applicant's fields carry the names that
    ``validation_failed`` gives in ``params.field``."""

    unit = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("Nơi tiếp nhận (id đơn vị).")
    )
    procedure = serializers.CharField(max_length=40, help_text=_("Mã thủ tục, ví dụ 1.004222."))
    applicant_kind = serializers.ChoiceField(
        choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = serializers.CharField(
        max_length=255, allow_blank=True, help_text=_("Họ tên người nộp hoặc tên tổ chức.")
    )
    applicant_id_number = _text(32, _("Số định danh cá nhân (12 chữ số) hoặc mã số thuế."))
    applicant_phone = _text(32, _("Số điện thoại, ví dụ 0912345678."))
    applicant_email = _text(254)
    applicant_address = _text(500)

    @staticmethod
    def to_applicant(data: dict[str, Any]) -> Applicant:
        return Applicant(
            name=data["applicant_name"],
            kind=data["applicant_kind"],
            id_number=data["applicant_id_number"],
            phone=data["applicant_phone"],
            email=data["applicant_email"],
            address=data["applicant_address"],
        )


class ReceivedDocumentInputSerializer(serializers.Serializer):
    required_document = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        help_text=_(
            "Thành phần hồ sơ đã công bố của thủ tục (id, xem GET /api/procedures/{code}/)."
        ),
    )
    originals = serializers.IntegerField(default=0, min_value=0, max_value=100)
    copies = serializers.IntegerField(default=0, min_value=0, max_value=100)
    reused_from_data = serializers.BooleanField(
        default=False, help_text=_("Khai thác từ dữ liệu số, không nhận bản giấy.")
    )

    @staticmethod
    def to_documents(rows: list[dict[str, Any]]) -> list[ReceivedDocument]:
        return [
            ReceivedDocument(
                required_document_id=row["required_document"],
                originals=row["originals"],
                copies=row["copies"],
                reused_from_data=row["reused_from_data"],
            )
            for row in rows
        ]


class FeeTakenInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255, help_text=_("Khoản thu, ví dụ Lệ phí."))
    amount = serializers.IntegerField(
        min_value=-MAX_FEE_VND, max_value=MAX_FEE_VND, help_text=_("Số tiền, đồng.")
    )
    exempt = serializers.BooleanField(default=False)
    exemption_basis = _text(255, _("Căn cứ miễn, giảm (bắt buộc khi miễn, giảm)."))
    payment_channel = serializers.ChoiceField(
        choices=PaymentChannel.choices, default=PaymentChannel.CASH
    )
    receipt_number = _text(60)

    @staticmethod
    def to_fees(rows: list[dict[str, Any]]) -> list[FeeTaken]:
        return [FeeTaken(**row) for row in rows]


class SupplementItemInputSerializer(serializers.Serializer):
    required_document = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("Thành phần hồ sơ đã công bố (id).")
    )
    reason = _text(1000)
    originals = serializers.IntegerField(default=0, min_value=0, max_value=100)
    copies = serializers.IntegerField(default=0, min_value=0, max_value=100)

    @staticmethod
    def to_items(rows: list[dict[str, Any]]) -> list[SupplementItem]:
        return [
            SupplementItem(
                required_document_id=row["required_document"],
                reason=row["reason"],
                originals=row["originals"],
                copies=row["copies"],
            )
            for row in rows
        ]


def _documents() -> ReceivedDocumentInputSerializer:
    return ReceivedDocumentInputSerializer(
        many=True, max_length=MAX_LIST, required=False, default=list
    )


def _items() -> SupplementItemInputSerializer:
    return SupplementItemInputSerializer(
        many=True, max_length=MAX_LIST, required=False, default=list
    )


class ReceiveInputSerializer(NewDossierInputSerializer):
    documents = _documents()
    fees = FeeTakenInputSerializer(many=True, max_length=20, required=False, default=list)
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        default=Channel.IN_PERSON,
        help_text=_("Hình thức nộp: trực tiếp (mặc định) hoặc qua bưu chính."),
    )
    return_channel = serializers.ChoiceField(
        choices=ReturnChannel.choices, default=ReturnChannel.COUNTER
    )


class SubmitOnlineInputSerializer(NewDossierInputSerializer):
    documents = _documents()
    return_channel = serializers.ChoiceField(
        choices=ReturnChannel.choices, default=ReturnChannel.ONLINE
    )


class CounterAskToCompleteInputSerializer(NewDossierInputSerializer):
    items = _items()
    reason = _text()


class CounterRefuseIntakeInputSerializer(NewDossierInputSerializer):
    reason = _text()


class EmptyInputSerializer(serializers.Serializer):
    pass


class AskToCompleteInputSerializer(serializers.Serializer):
    items = _items()
    reason = _text(help_text=_("Lý do cần hoàn thiện (Mẫu 02)."))


class ReasonInputSerializer(serializers.Serializer):
    reason = _text()


class AssigneeInputSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text=_("Cán bộ nhận bước tiếp theo (id).")
    )
    note = _text()


class RequestSupplementInputSerializer(serializers.Serializer):
    items = _items()
    reason = _text()
    sector_rule = _text(
        255, _("Căn cứ luật chuyên ngành, khi yêu cầu sau 3 ngày làm việc kể từ khi tiếp nhận.")
    )


class ReceiveSupplementInputSerializer(serializers.Serializer):
    documents = _documents()


class TransferInputSerializer(serializers.Serializer):
    agency_name = _text(255, _("Cơ quan phối hợp; mặc định theo quy trình."))
    share_days = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Số ngày làm việc dành cho cơ quan phối hợp, khi quy trình không quy định."),
    )
    note = _text()


class RefuseInputSerializer(serializers.Serializer):
    reason = _text(help_text=_("Lý do từ chối giải quyết (bắt buộc)."))
    legal_basis = _text(255)


class StopInputSerializer(serializers.Serializer):
    cause = serializers.ChoiceField(choices=StopCause.choices)
    decision = _text(help_text=_("Nội dung quyết định dừng (bắt buộc)."))
    requested_at = serializers.DateTimeField(
        required=False, allow_null=True, default=None, help_text=_("Ngày người nộp đề nghị.")
    )
    fee_handling = _text()


class ResultInputSerializer(serializers.Serializer):
    procedure = serializers.CharField(max_length=40, help_text=_("Mã thủ tục của kết quả."))
    name = serializers.CharField(max_length=500, allow_blank=True)
    document_number = _text(100, _("Số, ký hiệu văn bản."))
    result_code = _text(60)


class ResultReadyInputSerializer(serializers.Serializer):
    results = ResultInputSerializer(many=True, max_length=20)
    return_to = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        min_value=1,
        max_value=MAX_ID,
        help_text=_("Cán bộ trả kết quả (id); mặc định người đã tiếp nhận."),
    )
    location = _text(255, _("Nơi lưu kết quả chờ trả."))


class ReturnResultInputSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=ReturnChannel.choices)
    recipient_name = _text(255)
    recipient_id_number = _text(32)
    postal_tracking_number = _text(60)
    acknowledgement = _text(255, _("Ký nhận, phiếu báo phát hoặc xác nhận điện tử."))


class NoteInputSerializer(serializers.Serializer):
    text = _text()
    internal = serializers.BooleanField(
        default=True, help_text=_("Chỉ nội bộ (mặc định): người dân không thấy.")
    )

"""Dossiers (hồ sơ): the instance of a procedure, its steps and its append-only history.

A dossier is pinned to the procedure version and the rule set in force when it
was received (R38, domain.md section 0). Its steps are rows opened and closed
one at a time (the database allows one open step); every action writes a
:class:`DossierEvent` that is never edited (R39).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AppendOnlyModel, TimeStampedModel
from motcua.dossiers.constants import (
    ApplicantKind,
    Channel,
    GateMode,
    Outcome,
    PaymentChannel,
    ReturnChannel,
    RuleSet,
    Status,
    StopCause,
)


def participant_keys(*, units: Iterable[int] = (), officers: Iterable[int] = ()) -> list[str]:
    """The keys of ``Dossier.participants``: "u<id>" for a unit, "o<id>" for an officer."""
    return [f"u{pk}" for pk in units] + [f"o{pk}" for pk in officers]


class Dossier(TimeStampedModel):
    """One application by one applicant for one procedure (or a bundle of them)."""

    # Unique by Meta.constraints, not unique=True: that would add a second B-tree
    # for LIKE 'prefix%' that no search uses (every index is paid at each intake).
    code = models.CharField(
        _("mã hồ sơ"),
        max_length=60,
        null=True,
        blank=True,
        help_text=_("Cấp khi tiếp nhận hợp lệ: mã cơ quan-YYMMDD-số thứ tự (R1)."),
    )
    # The citizen's own reference for an online submission, before and after
    # receipt (the same dossier keeps it when the applicant comes to a desk).
    reference = models.CharField(_("mã tra cứu"), max_length=32)
    # Printed on the receipt and in its QR code: with the code, it opens the
    # public status page without the phone number (issue 6).
    lookup_secret = models.CharField(_("mã bí mật tra cứu"), max_length=16, blank=True)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices)
    rule_set = models.CharField(_("bộ quy định"), max_length=4, choices=RuleSet.choices)
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("phiên bản thủ tục"),
    )
    bundle = models.ForeignKey(
        "catalog.ProcedureBundle",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("nhóm thủ tục liên thông"),
    )
    receiving_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("nơi tiếp nhận"),
    )
    processing_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="processed_dossiers",
        verbose_name=_("cơ quan giải quyết"),
    )
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)

    applicant_kind = models.CharField(
        _("loại người nộp"),
        max_length=12,
        choices=ApplicantKind.choices,
        default=ApplicantKind.PERSON,
    )
    applicant_name = models.CharField(_("người nộp / tổ chức"), max_length=255)
    applicant_id_number = models.CharField(
        _("số định danh / mã số thuế"), max_length=20, blank=True
    )
    applicant_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    # Folded name (no diacritics, lower case) for searching at the counter: by
    # its trigram index (migration 0002); "contains" cannot use a B-tree.
    applicant_search = models.CharField(max_length=255, editable=False)
    # Who may come across the dossier, for the search's index (migration 0007):
    # its receiving and processing units, each step's unit and assignee, as
    # keys of participant_keys(). Only ever added to (``services._participate``),
    # so it holds at least everyone the visibility rule lets see the dossier;
    # the rule itself still decides (selectors.dossier_search).
    participants = models.JSONField(default=dict, blank=True, editable=False)
    citizen = models.ForeignKey(
        "accounts.Citizen",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
        verbose_name=_("tài khoản công dân"),
    )

    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True, db_index=True)
    received_outside_hours = models.BooleanField(_("tiếp nhận ngoài giờ"), default=False)
    received_by = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người tiếp nhận"),
    )
    # The appointment synced at receipt (NgayHenTra): the KPI measures against
    # it whatever happens later (R14). ``appointment`` moves only with pauses
    # and a re-appointment.
    appointment_original = models.DateTimeField(_("hẹn trả (ban đầu)"), null=True, blank=True)
    appointment = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    paused_at = models.DateTimeField(_("tạm dừng tính thời hạn từ"), null=True, blank=True)
    paused_seconds = models.PositiveBigIntegerField(
        _("thời gian tạm dừng (giây làm việc)"), default=0
    )

    processed_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    ended_at = models.DateTimeField(
        _("kết thúc xử lý lúc"),
        null=True,
        blank=True,
        help_text=_("Thời điểm kết thúc xử lý theo R19."),
    )
    outcome = models.CharField(
        _("kết quả đúng hạn"), max_length=10, choices=Outcome.choices, blank=True
    )
    return_channel = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=10,
        choices=ReturnChannel.choices,
        default=ReturnChannel.COUNTER,
    )
    result_location = models.CharField(_("nơi lưu kết quả chờ trả"), max_length=255, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("số lần nhắc nhận kết quả"), default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    supplement_requests = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    # Accountability (issue 5), denormalised so that filters and the sweep use
    # indexes: the moment the running clock makes the dossier due soon and
    # late (both empty while paused or once processed), and when the sweep
    # recorded each (empty until then; cleared by a re-appointment).
    due_soon_from = models.DateTimeField(_("sắp đến hạn từ"), null=True, blank=True)
    late_from = models.DateTimeField(_("quá hạn từ"), null=True, blank=True)
    due_soon_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    late_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    event_count = models.PositiveIntegerField(default=0, editable=False)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="dossiers_dossier_code_key"),
            models.UniqueConstraint(fields=["reference"], name="dossiers_dossier_reference_key"),
            models.UniqueConstraint(
                fields=["idempotency_key"], name="dossiers_dossier_idempotency_key_key"
            ),
        ]
        indexes = [
            # The counter's search by ID number (equality only).
            models.Index(fields=["applicant_id_number"], name="dossiers_applicant_id_number"),
            models.Index(fields=["receiving_unit", "status"], name="dossiers_unit_status"),
            models.Index(fields=["processing_unit", "status"], name="dossiers_agency_status"),
            models.Index(fields=["status", "appointment"], name="dossiers_status_appointment"),
            # The sweep's two queues: only rows still waiting to be recorded.
            models.Index(
                fields=["due_soon_from"],
                condition=Q(due_soon_from__isnull=False, due_soon_recorded_at__isnull=True),
                name="dossiers_due_soon_pending",
            ),
            models.Index(
                fields=["late_from"],
                condition=Q(late_from__isnull=False, late_recorded_at__isnull=True),
                name="dossiers_late_pending",
            ),
            # Filters by state within a unit (due soon / late / on time).
            models.Index(
                fields=["processing_unit", "due_soon_from"],
                condition=Q(due_soon_from__isnull=False),
                name="dossiers_agency_due_soon",
            ),
        ]

    def __str__(self) -> str:
        return self.code or self.reference

    @property
    def label(self) -> str:
        """The code once received, else the citizen's reference."""
        return self.code or self.reference

    def get_permission_unit(self) -> object:
        return self.receiving_unit


class DossierStep(models.Model):
    """One step of the internal process as it happened: who, where, from when, due when."""

    # No index of its own: dossiers_step_sequence (dossier, sequence) serves it.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="steps", db_index=False
    )
    sequence = models.PositiveIntegerField(_("thứ tự"))
    process_step = models.ForeignKey(
        "catalog.ProcessStep",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bước trong quy trình"),
    )
    name = models.CharField(_("tên bước"), max_length=255)
    unit = models.ForeignKey(
        "accounts.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    agency_name = models.CharField(
        _("cơ quan phối hợp"),
        max_length=255,
        blank=True,
        help_text=_("Khi bước thực hiện tại cơ quan khác (liên thông)."),
    )
    assignee = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_steps",
        verbose_name=_("người xử lý"),
    )
    handed_over_by = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người giao"),
    )
    started_at = models.DateTimeField(_("nhận lúc"))
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    finished_by = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người hoàn thành"),
    )
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    # Accountability (issue 5): when the open step becomes due soon and late
    # (empty once closed or while the dossier is paused), and when the sweep
    # recorded each.
    due_soon_at = models.DateTimeField(_("sắp đến hạn từ"), null=True, blank=True)
    late_from = models.DateTimeField(_("quá hạn từ"), null=True, blank=True)
    due_soon_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    late_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")
        ordering = ["dossier", "sequence"]
        constraints = [
            # "Rõ người, rõ việc": exactly one step is open at a time.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(finished_at__isnull=True),
                name="dossiers_one_open_step",
            ),
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dossiers_step_sequence"),
        ]
        indexes = [
            # The officer's inbox: open steps by assignee, in the inbox's order
            # (deadline, then start), so a page is read in order and stops early.
            models.Index(
                fields=["assignee", "due_at", "started_at"],
                condition=Q(finished_at__isnull=True),
                name="dossiers_open_steps_inbox",
            ),
            # The sweep's two queues: open steps not yet recorded due soon / late.
            models.Index(
                fields=["due_soon_at"],
                condition=Q(due_soon_at__isnull=False, due_soon_notified_at__isnull=True),
                name="dossiers_step_due_soon_pending",
            ),
            models.Index(
                fields=["late_from"],
                condition=Q(late_from__isnull=False, late_notified_at__isnull=True),
                name="dossiers_step_late_pending",
            ),
            # The inbox filtered by state: an officer's open steps by alarm time.
            models.Index(
                fields=["assignee", "due_soon_at"],
                condition=Q(finished_at__isnull=True),
                name="dossiers_open_steps_due_soon",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.sequence} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.finished_at is None

    @property
    def is_external(self) -> bool:
        return bool(self.agency_name) and self.unit_id is None

    def get_permission_unit(self) -> object:
        return self.unit or self.dossier.processing_unit

    def get_assignee_user_id(self) -> int | None:
        return self.assignee.user_id if self.assignee_id and self.assignee else None


class DossierEvent(AppendOnlyModel):
    """Who did what to a dossier, when, from which state to which, why (R39). Never edited."""

    # No index of its own: dossiers_event_sequence (dossier, sequence) serves it.
    dossier = models.ForeignKey(
        Dossier, on_delete=models.PROTECT, related_name="events", db_index=False
    )
    sequence = models.PositiveIntegerField(_("thứ tự"))
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    action = models.CharField(_("thao tác"), max_length=24)
    from_status = models.CharField(_("từ trạng thái"), max_length=24, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=24)
    step = models.ForeignKey(
        DossierStep, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    reason = models.TextField(_("lý do, nội dung"), blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    # Internal notes are never shown to the citizen.
    internal = models.BooleanField(_("chỉ nội bộ"), default=False)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("lịch sử hồ sơ")
        ordering = ["dossier", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "sequence"], name="dossiers_event_sequence")
        ]

    def __str__(self) -> str:
        return f"{self.dossier} #{self.sequence} {self.action}"


class DossierDocument(models.Model):
    """A component received, against the published components of the pinned version (R3, R23)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thành phần hồ sơ"),
    )
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    file = models.FileField(_("bản điện tử"), upload_to="dossiers/%Y/%m/", blank=True)
    digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused_from_data = models.BooleanField(_("khai thác từ dữ liệu số"), default=False)
    from_supplement = models.BooleanField(_("nhận khi bổ sung"), default=False)
    received_at = models.DateTimeField(_("nhận lúc"))

    class Meta:
        verbose_name = _("giấy tờ đã nhận")
        verbose_name_plural = _("giấy tờ đã nhận")
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.name[:80]


class DossierFee(models.Model):
    """A fee or charge taken for a dossier, in whole VND (R25)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="fees")
    name = models.CharField(_("khoản thu"), max_length=255)
    amount = models.BigIntegerField(_("số tiền (đồng)"))
    exempt = models.BooleanField(_("miễn, giảm"), default=False)
    exemption_basis = models.CharField(_("căn cứ miễn, giảm"), max_length=255, blank=True)
    payment_channel = models.CharField(
        _("hình thức thanh toán"),
        max_length=20,
        choices=PaymentChannel.choices,
        default=PaymentChannel.CASH,
    )
    receipt_number = models.CharField(_("số biên lai"), max_length=60, blank=True)
    paid_at = models.DateTimeField(_("thu lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí đã thu")
        verbose_name_plural = _("phí, lệ phí đã thu")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="dossiers_fee_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"


class SupplementRequest(TimeStampedModel):
    """A request to supplement (Form 02): before receipt, or once during processing (R15–R16)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="supplement_request_rows"
    )
    during_processing = models.BooleanField(_("trong quá trình giải quyết"), default=True)
    number = models.CharField(_("số phiếu"), max_length=40, blank=True)
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    reason = models.TextField(_("lý do"))
    items = models.JSONField(
        _("thành phần cần bổ sung"),
        default=list,
        help_text=_("[{required_document_id, name, originals, copies, reason}]"),
    )
    received_at = models.DateTimeField(_("nhận bổ sung lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")
        ordering = ["dossier", "requested_at"]

    def __str__(self) -> str:
        return f"{self.dossier} — {self.requested_at:%d/%m/%Y}"


class DossierResult(TimeStampedModel):
    """A result (document) produced for a dossier (R22); a bundle has one per procedure."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="results")
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thủ tục"),
    )
    name = models.CharField(_("tên kết quả"), max_length=500)
    document_number = models.CharField(_("số, ký hiệu văn bản"), max_length=100, blank=True)
    result_code = models.CharField(_("mã kết quả"), max_length=60, blank=True)
    file = models.FileField(_("bản điện tử"), upload_to="results/%Y/%m/", blank=True)
    signer = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người ký"),
    )
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    is_refusal = models.BooleanField(_("văn bản từ chối"), default=False)

    class Meta:
        verbose_name = _("kết quả giải quyết")
        verbose_name_plural = _("kết quả giải quyết")

    def __str__(self) -> str:
        return f"{self.name} {self.document_number}".strip()


class Delivery(TimeStampedModel):
    """The record that a result reached the applicant (R21): never "returned" without one."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="delivery")
    channel = models.CharField(_("hình thức trả"), max_length=10, choices=ReturnChannel.choices)
    delivered_at = models.DateTimeField(_("trả lúc"))
    delivered_by = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người trả"),
    )
    recipient_name = models.CharField(_("người nhận"), max_length=255, blank=True)
    recipient_id_number = models.CharField(_("số giấy tờ người nhận"), max_length=20, blank=True)
    postal_tracking_number = models.CharField(_("số vận đơn bưu chính"), max_length=60, blank=True)
    acknowledgement = models.CharField(
        _("xác nhận đã nhận"),
        max_length=255,
        blank=True,
        help_text=_("Chữ ký trên sổ theo dõi, phiếu báo phát hoặc xác nhận điện tử."),
    )

    class Meta:
        verbose_name = _("trả kết quả")
        verbose_name_plural = _("trả kết quả")

    def __str__(self) -> str:
        return f"{self.dossier} — {self.get_channel_display()}"


class StopNotice(TimeStampedModel):
    """A decision to stop processing (R20; Circular 03/2025 Form 05)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="stop_notice")
    cause = models.CharField(_("căn cứ dừng"), max_length=20, choices=StopCause.choices)
    requested_at = models.DateTimeField(_("đề nghị lúc"), null=True, blank=True)
    stage = models.CharField(_("giai đoạn đã thực hiện"), max_length=255)
    decision = models.TextField(_("nội dung quyết định"))
    fee_handling = models.TextField(_("xử lý phí, lệ phí"), blank=True)
    decided_by = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người quyết định"),
    )

    class Meta:
        verbose_name = _("thông báo dừng giải quyết")
        verbose_name_plural = _("thông báo dừng giải quyết")

    def __str__(self) -> str:
        return str(self.dossier)


class DossierCodeCounter(models.Model):
    """The last sequence number used per agency and local day (R1: never reused)."""

    agency_code = models.CharField(max_length=40)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm mã hồ sơ")
        verbose_name_plural = _("bộ đếm mã hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["agency_code", "day"], name="dossiers_code_counter")
        ]

    def __str__(self) -> str:
        return f"{self.agency_code} {self.day}: {self.last_number}"


class StepExplanation(TimeStampedModel):
    """The responsible officer's explanation (giải trình) of a step finished late (issue 5)."""

    step = models.OneToOneField(DossierStep, on_delete=models.PROTECT, related_name="explanation")
    officer = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người giải trình"),
    )
    reason = models.TextField(_("nội dung giải trình"))
    recorded_at = models.DateTimeField(_("giải trình lúc"))

    class Meta:
        verbose_name = _("giải trình chậm muộn")
        verbose_name_plural = _("giải trình chậm muộn")

    def __str__(self) -> str:
        return f"{self.step} — {self.officer}"


class ApologySlip(TimeStampedModel):
    """Form 04: the apology and new appointment from the unit that caused the delay (R11–R14).

    One per dossier (R13: the appointment is re-set at most once); the
    dossier's KPI outcome is still measured against ``original_appointment``
    (R14).
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="apology")
    number = models.CharField(_("số phiếu"), max_length=40)
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị làm quá hạn"),
    )
    # R12: the control-slip line at fault (the late step), when there is one.
    step = models.ForeignKey(
        DossierStep,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bước làm quá hạn"),
    )
    signed_by = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người ký"),
    )
    reason = models.TextField(_("lý do quá hạn"))
    original_appointment = models.DateTimeField(_("ngày hẹn trả ban đầu"))
    new_appointment = models.DateTimeField(_("ngày hẹn trả mới"))
    extension_days = models.PositiveSmallIntegerField(_("số ngày làm việc gia hạn"))
    issued_at = models.DateTimeField(_("ký lúc"))

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_appointment__gt=models.F("original_appointment")),
                name="dossiers_apology_later_appointment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.dossier}"


class UnitAccountabilitySetting(TimeStampedModel):
    """A unit's own accountability settings; empty values inherit from the unit above.

    Kept here rather than on ``accounts.Unit`` because only the dossier
    lifecycle reads them; without a row, the global settings apply
    (``MOTCUA_ACCOUNTABILITY_GATE``, ``MOTCUA_DUE_SOON_WORKING_DAYS``).
    """

    unit = models.OneToOneField(
        "accounts.Unit",
        on_delete=models.CASCADE,
        related_name="accountability_setting",
        verbose_name=_("đơn vị"),
    )
    gate_mode = models.CharField(
        _("khi quá hạn chưa giải trình, xin lỗi"),
        max_length=8,
        choices=GateMode.choices,
        blank=True,
    )
    due_soon_working_days = models.PositiveSmallIntegerField(
        _("báo sắp đến hạn trước (ngày làm việc)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("thiết lập trách nhiệm quá hạn của đơn vị")
        verbose_name_plural = _("thiết lập trách nhiệm quá hạn của đơn vị")

    def __str__(self) -> str:
        return str(self.unit)

"""Satisfaction survey answers (R28, SIPAS), feedback and petitions (PAKN, R30), and the
public pages' own content: news about administrative reform and the officers on duty."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AppendOnlyModel, TimeStampedModel
from motcua.feedback.constants import (
    DutySession,
    FeedbackAbout,
    FeedbackAction,
    FeedbackCategory,
    FeedbackChannel,
    FeedbackOutcome,
    FeedbackStatus,
    Rating,
    SurveySource,
    Vote,
)


class SurveyResponse(models.Model):
    """One citizen's answer: anonymous from a counter QR, per dossier from a receipt QR."""

    source = models.CharField(_("nguồn"), max_length=10, choices=SurveySource.choices)
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("đơn vị được đánh giá"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("hồ sơ"),
    )
    # Who served the citizen: the officer who returned the result, else the
    # one who received the dossier (empty for the anonymous counter QR).
    officer = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("cán bộ được đánh giá"),
    )
    overall = models.CharField(_("mức độ hài lòng chung"), max_length=16, choices=Rating.choices)
    # The five SIPAS criteria (constants.CRITERIA). Each may be skipped: only
    # the overall answer is required, so that a citizen in a hurry still
    # answers (it is the one indicator 5.4 uses).
    access = models.CharField(
        _("tiếp cận dịch vụ"), max_length=16, choices=Rating.choices, blank=True
    )
    procedure = models.CharField(
        _("thủ tục hành chính"), max_length=16, choices=Rating.choices, blank=True
    )
    staff = models.CharField(
        _("cán bộ, công chức"), max_length=16, choices=Rating.choices, blank=True
    )
    result = models.CharField(
        _("kết quả giải quyết"), max_length=16, choices=Rating.choices, blank=True
    )
    feedback_handling = models.CharField(
        _("tiếp nhận, xử lý phản ánh, kiến nghị"),
        max_length=16,
        choices=Rating.choices,
        blank=True,
    )
    comment = models.TextField(_("góp ý"), blank=True, max_length=1000)
    answered_at = models.DateTimeField(_("đánh giá lúc"), db_index=True)

    class Meta:
        verbose_name = _("phiếu đánh giá mức độ hài lòng")
        verbose_name_plural = _("phiếu đánh giá mức độ hài lòng")
        ordering = ["-answered_at", "-id"]
        constraints = [
            # One answer per dossier (R28); counter answers have no dossier.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(dossier__isnull=False),
                name="feedback_one_answer_per_dossier",
            ),
            models.CheckConstraint(
                condition=Q(source=SurveySource.COUNTER, dossier__isnull=True)
                | Q(source=SurveySource.DOSSIER, dossier__isnull=False),
                name="feedback_source_matches_dossier",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "answered_at"], name="feedback_unit_answered"),
            models.Index(fields=["officer", "answered_at"], name="feedback_officer_answered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} — {self.get_overall_display()}"


# --- feedback and petitions (PAKN) -------------------------------------------------


class Feedback(TimeStampedModel):
    """One citizen's feedback or petition (phản ánh, kiến nghị) and its handling (R30)."""

    code = models.CharField(_("mã phản ánh"), max_length=60, unique=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=FeedbackStatus.choices)
    channel = models.CharField(
        _("kênh tiếp nhận"),
        max_length=10,
        choices=FeedbackChannel.choices,
        default=FeedbackChannel.ONLINE,
    )
    # Empty until an officer classifies it (Decision 766 indicator 5.1).
    category = models.CharField(
        _("phân loại"), max_length=10, choices=FeedbackCategory.choices, blank=True
    )
    about = models.CharField(
        _("nội dung liên quan"),
        max_length=10,
        choices=FeedbackAbout.choices,
        default=FeedbackAbout.GENERAL,
    )
    # The unit the citizen addressed, and the one responsible now (routing
    # moves it; the deadlines restart on transfer, domain.md section 9).
    addressed_unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị nhận"),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("đơn vị xử lý"),
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="feedback",
        verbose_name=_("hồ sơ liên quan"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thủ tục liên quan"),
    )
    # As typed: linked to ``dossier`` only when such a dossier exists, and the
    # form says nothing either way (no enumeration of codes).
    dossier_code = models.CharField(_("mã hồ sơ (người gửi nhập)"), max_length=60, blank=True)
    officer_name = models.CharField(_("cán bộ được phản ánh"), max_length=150, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"), max_length=5000)
    sender_name = models.CharField(_("họ và tên người gửi"), max_length=150)
    sender_phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    sender_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    submitted_at = models.DateTimeField(_("gửi lúc"))
    # Start of the clock: receipt (the next working session for an online
    # submission after hours), or the latest transfer or supplement.
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    reject_due = models.DateTimeField(_("hạn từ chối"))
    ask_info_due = models.DateTimeField(_("hạn đề nghị bổ sung"))
    answer_due = models.DateTimeField(_("hạn trả lời"))
    publish_due = models.DateTimeField(_("hạn công khai"), null=True, blank=True)
    # The deadline in force (answer while open, publication once answered;
    # empty when closed): what the due-soon/late views sort and filter on.
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    outcome = models.CharField(
        _("đúng hạn"), max_length=10, choices=FeedbackOutcome.choices, blank=True
    )
    late_steps = models.PositiveSmallIntegerField(_("số mốc quá hạn"), default=0)
    info_request = models.TextField(_("nội dung đề nghị bổ sung"), blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_by = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người trả lời"),
    )
    reject_reason = models.TextField(_("lý do từ chối"), blank=True)
    led_to_fix = models.BooleanField(
        _("đã dẫn đến sửa đổi, khắc phục"),
        default=False,
        help_text=_("Phản ánh giúp sửa quy định, thủ tục hoặc chấn chỉnh cán bộ."),
    )
    thanked_at = models.DateTimeField(_("gửi thư cảm ơn lúc"), null=True, blank=True)
    likes = models.PositiveIntegerField(_("lượt hài lòng"), default=0)
    dislikes = models.PositiveIntegerField(_("lượt không hài lòng"), default=0)
    event_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # The staff list: a unit's PAKN by state, nearest deadline first.
            models.Index(fields=["unit", "status", "due_at"], name="feedback_unit_status_due"),
            # The public list of published answers, newest first.
            models.Index(
                fields=["-published_at"],
                condition=Q(status="published"),
                name="feedback_published",
            ),
            models.Index(fields=["dossier"], name="feedback_dossier"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_permission_unit(self) -> object:
        return self.unit

    @property
    def is_open(self) -> bool:
        return self.status in (
            FeedbackStatus.RECEIVED,
            FeedbackStatus.NEEDS_INFO,
            FeedbackStatus.IN_PROGRESS,
        )


class FeedbackAttachment(models.Model):
    """A file sent with a PAKN (checked by content at upload)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to="feedback/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"))

    class Meta:
        verbose_name = _("tệp đính kèm phản ánh")
        verbose_name_plural = _("tệp đính kèm phản ánh")
        ordering = ["feedback", "id"]

    def __str__(self) -> str:
        return self.name


class FeedbackEvent(AppendOnlyModel):
    """Who did what to a PAKN, when, from which state to which (R39). Never edited."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
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
    action = models.CharField(_("thao tác"), max_length=16, choices=FeedbackAction.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=16, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=16)
    note = models.TextField(_("nội dung"), blank=True)
    # Whether the step was taken after its deadline (R30).
    late = models.BooleanField(_("quá hạn"), default=False)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sự kiện phản ánh")
        verbose_name_plural = _("lịch sử xử lý phản ánh")
        ordering = ["feedback", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "sequence"], name="feedback_event_sequence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.feedback} #{self.sequence} {self.action}"


class FeedbackVote(models.Model):
    """One like or dislike of a published answer, one per browser (a hashed key)."""

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)
    value = models.SmallIntegerField(_("đánh giá"), choices=Vote.choices)
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        verbose_name = _("đánh giá câu trả lời")
        verbose_name_plural = _("đánh giá câu trả lời")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "voter"], name="feedback_one_vote"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="feedback_vote_value"),
        ]

    def __str__(self) -> str:
        return f"{self.feedback} {self.value:+d}"


class FeedbackCodeCounter(models.Model):
    """The last PAKN number used per unit code and local day (never reused)."""

    scope = models.CharField(max_length=60)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm mã phản ánh")
        verbose_name_plural = _("bộ đếm mã phản ánh")
        constraints = [
            models.UniqueConstraint(fields=["scope", "day"], name="feedback_code_counter")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.day}: {self.last_number}"


# --- public pages ------------------------------------------------------------------


class News(TimeStampedModel):
    """A news item about administrative reform (tin cải cách hành chính) on the portal home."""

    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị đăng"),
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    summary = models.CharField(_("tóm tắt"), max_length=500, blank=True)
    body = models.TextField(_("nội dung"))
    published_at = models.DateTimeField(_("đăng lúc"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người đăng"),
    )

    class Meta:
        verbose_name = _("tin cải cách hành chính")
        verbose_name_plural = _("tin cải cách hành chính")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at"], name="feedback_news_published")]

    def __str__(self) -> str:
        return self.title

    def get_permission_unit(self) -> object:
        return self.unit


class DutyAssignment(models.Model):
    """An officer on duty at a unit's counter on a day (lịch trực, published by law)."""

    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    day = models.DateField(_("ngày trực"))
    session = models.CharField(
        _("buổi"), max_length=10, choices=DutySession.choices, default=DutySession.ALL_DAY
    )
    officer = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cán bộ trực"),
    )
    desk = models.CharField(_("quầy, lĩnh vực"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("lịch trực")
        verbose_name_plural = _("lịch trực")
        ordering = ["day", "unit", "session", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "day", "session", "officer"], name="feedback_duty_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.officer}"

    def get_permission_unit(self) -> object:
        return self.unit

"""Satisfaction survey answers (đánh giá mức độ hài lòng) by QR code (R28, SIPAS)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.feedback.constants import Rating, SurveySource


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

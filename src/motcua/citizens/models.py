"""Citizens' own things on the portal: verification codes and submission drafts.

The account itself is :class:`motcua.accounts.models.Citizen` (with a
``User`` of kind citizen); dossiers point to it through ``Dossier.citizen``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.citizens.constants import VerificationChannel, VerificationPurpose
from motcua.core.models import TimeStampedModel


class VerificationCode(TimeStampedModel):
    """A six-digit code sent to a phone or an e-mail address; only its keyed hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="verification_codes",
        verbose_name=_("tài khoản"),
    )
    purpose = models.CharField(_("mục đích"), max_length=20, choices=VerificationPurpose.choices)
    channel = models.CharField(_("kênh gửi"), max_length=10, choices=VerificationChannel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=254)
    code_hash = models.CharField(max_length=128, editable=False)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác thực")
        verbose_name_plural = _("mã xác thực")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "purpose", "-created_at"], name="citizens_code_user"),
            # The per-address hourly limit.
            models.Index(fields=["address", "created_at"], name="citizens_code_address"),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.address}"


class SubmissionDraft(TimeStampedModel):
    """An online submission a signed-in citizen saved to finish later (one per procedure)."""

    citizen = models.ForeignKey(
        "accounts.Citizen",
        on_delete=models.CASCADE,
        related_name="drafts",
        verbose_name=_("công dân"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("thủ tục"),
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("nơi nộp"),
    )
    # The form's fields as typed (applicant data, case, return channel).
    data = models.JSONField(_("nội dung đã nhập"), default=dict, blank=True)
    # The form's anti-duplicate token: submitting the draft twice makes one dossier.
    token = models.CharField(max_length=128)

    class Meta:
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["citizen", "procedure"], name="citizens_one_draft_per_procedure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.citizen} — {self.procedure.code}"


class SubmissionDraftFile(models.Model):
    """A file already uploaded for one component of a draft (checked by content)."""

    draft = models.ForeignKey(SubmissionDraft, on_delete=models.CASCADE, related_name="files")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("thành phần hồ sơ"),
    )
    file = models.FileField(_("tệp"), upload_to="drafts/%Y/%m/")
    name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    kind = models.CharField(_("định dạng"), max_length=10)
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now=True)

    class Meta:
        verbose_name = _("tệp của hồ sơ nháp")
        verbose_name_plural = _("tệp của hồ sơ nháp")
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "required_document"], name="citizens_one_file_per_component"
            )
        ]

    def __str__(self) -> str:
        return self.name

"""Citizen-care letter templates: thanks, congratulations, condolences.

A template is attached to catalog procedures and to a moment of the dossier
lifecycle; the dossier lifecycle asks :func:`motcua.letters.services.letters_for`
which letters to produce. The catalog is the same everywhere, and so are
these templates.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.models import TimeStampedModel
from motcua.letters.constants import LetterKind, Moment


class LetterTemplate(TimeStampedModel):
    """An editable letter with placeholders such as ``{ho_ten}`` (see ``placeholders.py``)."""

    name = models.CharField(_("tên mẫu"), max_length=200, unique=True)
    kind = models.CharField(_("loại thư"), max_length=20, choices=LetterKind.choices)
    moment = models.CharField(_("thời điểm gửi"), max_length=20, choices=Moment.choices)
    title = models.CharField(
        _("tiêu đề in trên thư"),
        max_length=200,
        help_text=_("Ví dụ: THƯ CHÚC MỪNG."),
    )
    greeting = models.CharField(
        _("lời mở đầu"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Kính gửi: Ông (bà) {ho_ten}."),
    )
    body = models.TextField(_("nội dung"))
    signer_title = models.CharField(
        _("chức danh người ký"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    procedures = models.ManyToManyField(
        Procedure,
        blank=True,
        related_name="letter_templates",
        verbose_name=_("thủ tục áp dụng"),
    )

    class Meta:
        verbose_name = _("mẫu thư chăm sóc công dân")
        verbose_name_plural = _("mẫu thư chăm sóc công dân")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["moment", "is_active"], name="letters_moment_active")]

    def __str__(self) -> str:
        return self.name

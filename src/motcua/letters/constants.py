"""Choices of the citizen-care letters (thư chăm sóc công dân)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterKind(models.TextChoices):
    """What the letter says to the citizen."""

    THANKS = "thanks", _("Thư cảm ơn")
    CONGRATULATIONS = "congratulations", _("Thư chúc mừng")
    CONDOLENCES = "condolences", _("Điện chia buồn")


class Moment(models.TextChoices):
    """The moment of the dossier's lifecycle at which the letter is produced."""

    RECEIVED = "received", _("Khi tiếp nhận hồ sơ")
    RESULT_READY = "result_ready", _("Khi có kết quả")
    RETURNED = "returned", _("Khi trả kết quả")

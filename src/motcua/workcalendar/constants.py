"""Choices for the working calendar."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """What makes a date special in the working calendar."""

    HOLIDAY = "holiday", _("Ngày lễ, Tết")
    COMPENSATORY = "compensatory", _("Nghỉ bù")
    SWAP_DAY_OFF = "swap_day_off", _("Nghỉ hoán đổi")
    MAKEUP_WORKDAY = "makeup_workday", _("Ngày làm bù")
    LOCAL_DAY_OFF = "local_day_off", _("Ngày nghỉ riêng của đơn vị")

    @classmethod
    def days_off(cls) -> frozenset[str]:
        return frozenset({cls.HOLIDAY, cls.COMPENSATORY, cls.SWAP_DAY_OFF, cls.LOCAL_DAY_OFF})


class YearStatus(models.TextChoices):
    PROVISIONAL = "provisional", _("Tạm tính")
    CONFIRMED = "confirmed", _("Đã xác nhận")


class DaySource(models.TextChoices):
    OFFICIAL_BUNDLE = "official_bundle", _("Lịch chính thức kèm phần mềm")
    HOLIDAYS_PACKAGE = "holidays_package", _("Tính theo quy định (gói holidays)")
    ADMIN = "admin", _("Quản trị viên nhập")

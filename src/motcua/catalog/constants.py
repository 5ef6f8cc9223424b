"""Choices for the procedure catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a dossier is submitted and a result returned (R24: 1 / 2 / 3)."""

    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính công ích")


class TimeUnit(models.TextChoices):
    """Units of a statutory time limit; the values are :class:`workcalendar.engine.PeriodUnit`."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "days", _("ngày")
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    MONTHS = "months", _("tháng")
    SAME_DAY = "same_day", _("trong ngày")


class ShareUnit(models.TextChoices):
    """Units of a step's share of the legal time in the internal process."""

    WORKING_DAYS = "working_days", _("ngày làm việc")
    WORKING_HOURS = "working_hours", _("giờ làm việc")


class OnlineLevel(models.TextChoices):
    """Decree 42/2022: full online service, partial, or none."""

    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    NONE = "none", _("Không cung cấp trực tuyến")


class CareLetter(models.TextChoices):
    """The citizen-care letter a procedure's result comes with."""

    NONE = "none", _("Không")
    CONGRATULATIONS = "congratulations", _("Thư chúc mừng")
    CONDOLENCES = "condolences", _("Điện chia buồn")


class VersionStatus(models.TextChoices):
    """Draft while prepared; published with an effective date; withdrawn when unpublished."""

    DRAFT = "draft", _("Đang soạn")
    PUBLISHED = "published", _("Đã công bố")
    WITHDRAWN = "withdrawn", _("Đã thu hồi")


class FeeKind(models.TextChoices):
    FEE = "fee", _("Phí")
    CHARGE = "charge", _("Lệ phí")
    UNKNOWN = "unknown", _("Phí, lệ phí")


class VersionSource(models.TextChoices):
    MANUAL = "manual", _("Cán bộ nhập")
    DVCQG = "dvcqg", _("Cổng Dịch vụ công quốc gia")
    BQP = "bqp", _("Cơ sở dữ liệu TTHC (Bộ Quốc phòng)")
    XLSX = "xlsx", _("Danh sách TTHC của bộ, ngành")

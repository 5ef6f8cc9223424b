"""Choices of the satisfaction survey (domain.md 1.6, section 7 SIPAS, R28)."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Rating(models.TextChoices):
    """The three levels citizens answer with (Rất hài lòng / Hài lòng / Không hài lòng)."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class SurveySource(models.TextChoices):
    """Where the survey was opened: the QR at a counter, or the one of a dossier."""

    COUNTER = "counter", _("Mã QR tại quầy")
    DOSSIER = "dossier", _("Mã QR trên giấy tiếp nhận")


# The five SIPAS criteria (Ministry of Home Affairs), as model field names
# with the question a citizen reads.
CRITERIA: tuple[tuple[str, Promise], ...] = (
    ("access", _("Tiếp cận dịch vụ (nơi tiếp nhận, thông tin, hướng dẫn)")),
    ("procedure", _("Thủ tục hành chính (giấy tờ, thời hạn, phí)")),
    ("staff", _("Cán bộ, công chức (thái độ, hướng dẫn)")),
    ("result", _("Kết quả giải quyết (đúng hẹn, chính xác)")),
    ("feedback_handling", _("Tiếp nhận, xử lý phản ánh, kiến nghị")),
)
CRITERIA_FIELDS = tuple(name for name, _label in CRITERIA)


# --- feedback and petitions (phản ánh, kiến nghị — PAKN; domain.md section 9, R30) ---


class FeedbackStatus(models.TextChoices):
    """Where a PAKN stands; the allowed moves are in ``feedback.workflow``."""

    RECEIVED = "received", _("Mới tiếp nhận")
    NEEDS_INFO = "needs_info", _("Chờ bổ sung thông tin")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã có trả lời, chờ công khai")
    PUBLISHED = "published", _("Đã công khai trả lời")
    REJECTED = "rejected", _("Từ chối tiếp nhận")


class FeedbackCategory(models.TextChoices):
    """The two kinds Decision 766 indicator 5.1 tracks."""

    RULES = "rules", _("Quy định hành chính, thủ tục hành chính")
    CONDUCT = "conduct", _("Hành vi, thái độ của cán bộ, công chức")


class FeedbackAbout(models.TextChoices):
    """What the citizen says the PAKN is about (optional links)."""

    GENERAL = "general", _("Vấn đề chung")
    DOSSIER = "dossier", _("Một hồ sơ đã nộp")
    PROCEDURE = "procedure", _("Một thủ tục hành chính")
    OFFICER = "officer", _("Thái độ, hành vi của cán bộ")


class FeedbackChannel(models.TextChoices):
    """How the PAKN reached the unit (R30: recorded at intake)."""

    ONLINE = "online", _("Trực tuyến (cổng dịch vụ công)")
    COUNTER = "counter", _("Trực tiếp tại bộ phận một cửa")
    PHONE = "phone", _("Điện thoại, đường dây nóng")
    MAIL = "mail", _("Văn bản, thư")


class FeedbackAction(models.TextChoices):
    """The actions recorded as ``FeedbackEvent`` rows (the PAKN's timeline)."""

    SUBMIT = "submit", _("Tiếp nhận phản ánh, kiến nghị")
    CLASSIFY = "classify", _("Phân loại")
    ROUTE = "route", _("Chuyển đơn vị xử lý")
    ASK_INFO = "ask_info", _("Đề nghị bổ sung thông tin")
    SUPPLEMENT = "supplement", _("Người gửi bổ sung thông tin")
    REJECT = "reject", _("Từ chối tiếp nhận")
    ANSWER = "answer", _("Trả lời")
    PUBLISH = "publish", _("Công khai trả lời")
    THANK = "thank", _("Gửi thư cảm ơn")


class FeedbackOutcome(models.TextChoices):
    """Whether the PAKN was handled in time (Decision 766 indicator 5.2)."""

    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Vote(models.IntegerChoices):
    """A citizen's reaction to a published answer."""

    LIKE = 1, _("Hài lòng")
    DISLIKE = -1, _("Không hài lòng")


class DutySession(models.TextChoices):
    """The part of the day an officer is on duty at the counter."""

    ALL_DAY = "all_day", _("Cả ngày")
    MORNING = "morning", _("Buổi sáng")
    AFTERNOON = "afternoon", _("Buổi chiều")


# Deadlines in working days (R30; Decision 766 indicator 5.2): reject or ask
# for more information from receipt (or transfer), answer from receipt,
# publish from the answer.
REJECT_DAYS = 2
ASK_INFO_DAYS = 5
ANSWER_DAYS = 15
PUBLISH_DAYS = 2

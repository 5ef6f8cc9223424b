"""Choices of the monthly staff evaluation (domain.md section 5, R34–R35)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeKind(models.TextChoices):
    """Which legal framework a scheme follows; the scoring rules differ."""

    HANOI_3814 = "hanoi_3814", _("Quyết định 3814-QĐ/TU của Thành ủy Hà Nội (hằng tháng)")
    DECREE_335 = "decree_335", _("Nghị định 335/2025/NĐ-CP (từ 01/01/2026)")


class QuotaBase(models.TextChoices):
    """What the cap on the top level is a share of."""

    RATED = "rated", _("số người được đánh giá")  # 3814: A ≤ 30 % of those rated
    GOOD = "good", _("số người xếp loại Hoàn thành tốt nhiệm vụ")  # 335: excellent ≤ 20 % of good


class CriterionGroup(models.TextChoices):
    GENERAL = "general", _("Tiêu chí chung (phẩm chất, đạo đức, kỷ luật)")
    TASKS = "tasks", _("Kết quả thực hiện nhiệm vụ")
    BONUS = "bonus", _("Điểm thưởng")


class Grade(models.TextChoices):
    """The four levels; 3814 calls them A–D (the scheme carries the labels)."""

    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETED = "completed", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETED = "not_completed", _("Không hoàn thành nhiệm vụ")


GRADE_ORDER = (Grade.EXCELLENT, Grade.GOOD, Grade.COMPLETED, Grade.NOT_COMPLETED)


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Đang đánh giá")
    CLOSED = "closed", _("Đã chốt")


class SheetStatus(models.TextChoices):
    """Where one officer's sheet is: self → supervisor → head (or leader)."""

    DRAFT = "draft", _("Chưa tự đánh giá")
    SELF_ASSESSED = "self_assessed", _("Đã tự đánh giá")
    REVIEWED = "reviewed", _("Quản lý trực tiếp đã nhận xét")
    DECIDED = "decided", _("Đã quyết định xếp loại")


class PlanPeriod(models.TextChoices):
    WEEK = "week", _("Tuần")
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Chờ giải quyết")
    ACCEPTED = "accepted", _("Chấp nhận, đã sửa số liệu")
    REJECTED = "rejected", _("Giữ nguyên số liệu")


class Figure(models.TextChoices):
    """The pre-filled figures of a sheet, each explained and linked to its dossiers."""

    STEPS_FINISHED = "steps_finished", _("Bước xử lý hồ sơ đã hoàn thành")
    STEPS_EARLY = "steps_early", _("Hoàn thành trước hạn")
    STEPS_ON_TIME = "steps_on_time", _("Hoàn thành đúng hạn")
    STEPS_LATE = "steps_late", _("Hoàn thành quá hạn (phải giải trình)")
    OPEN_OVERDUE = "open_overdue", _("Bước đang xử lý đã quá hạn")
    EXPLANATIONS = "explanations", _("Giải trình chậm muộn")
    APOLOGIES_CAUSED = "apologies_caused", _("Phiếu xin lỗi do mình làm quá hạn")
    SUPPLEMENT_REQUESTS = "supplement_requests", _("Yêu cầu bổ sung hồ sơ")
    REFUSALS = "refusals", _("Từ chối tiếp nhận, từ chối giải quyết")
    SATISFACTION_ANSWERS = "satisfaction_answers", _("Phiếu đánh giá hài lòng về cán bộ")
    NOT_SATISFIED = "not_satisfied", _("Phiếu không hài lòng")
    TASKS_DONE = "tasks_done", _("Nhiệm vụ trong kế hoạch đã hoàn thành")
    TASKS_DONE_ON_TIME = "tasks_done_on_time", _("Nhiệm vụ hoàn thành đúng hạn")
    TASKS_OVERDUE = "tasks_overdue", _("Nhiệm vụ quá hạn chưa hoàn thành")


# Figures counted from dossiers: a link lists the dossiers behind them.
DOSSIER_FIGURES = frozenset(
    {
        Figure.STEPS_FINISHED,
        Figure.STEPS_EARLY,
        Figure.STEPS_ON_TIME,
        Figure.STEPS_LATE,
        Figure.OPEN_OVERDUE,
        Figure.EXPLANATIONS,
        Figure.APOLOGIES_CAUSED,
        Figure.SUPPLEMENT_REQUESTS,
        Figure.REFUSALS,
    }
)

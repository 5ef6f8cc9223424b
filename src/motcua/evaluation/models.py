"""Monthly staff evaluation: schemes as data, work plans, the monthly cycle and its sheets.

Definition vs instance (as catalog vs dossiers): a :class:`Scheme` with its
:class:`Criterion` rows is the effective-dated definition an evaluator edits;
a :class:`Cycle` (one unit, one month) pins the scheme in force on the first
day of the month, and each officer's :class:`Sheet` carries the figures,
the self-assessment, the supervisor's proposal and the decision.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AppendOnlyModel, TimeStampedModel
from motcua.evaluation.constants import (
    CriterionGroup,
    CycleStatus,
    DisputeStatus,
    Figure,
    Grade,
    PlanPeriod,
    QuotaBase,
    SchemeKind,
    SheetStatus,
)


class Scheme(TimeStampedModel):
    """An evaluation framework in force over a period; thresholds and quota are data."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    kind = models.CharField(_("khung đánh giá"), max_length=20, choices=SchemeKind.choices)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_to = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    # Minimum total for each level; below ``completed_from`` is "not completed".
    excellent_from = models.DecimalField(_("xuất sắc từ (điểm)"), max_digits=5, decimal_places=2)
    good_from = models.DecimalField(_("tốt từ (điểm)"), max_digits=5, decimal_places=2)
    completed_from = models.DecimalField(_("hoàn thành từ (điểm)"), max_digits=5, decimal_places=2)
    grade_labels = models.JSONField(
        _("tên các mức"),
        default=dict,
        blank=True,
        help_text=_('Ví dụ {"excellent": "A", "good": "B"}; để trống: tên đầy đủ.'),
    )
    quota_base = models.CharField(
        _("tỷ lệ tối đa mức cao nhất tính trên"), max_length=10, choices=QuotaBase.choices
    )
    quota_percent = models.DecimalField(_("tỷ lệ tối đa (%)"), max_digits=5, decimal_places=2)
    quota_percent_exceptional = models.DecimalField(
        _("tỷ lệ tối đa cho đơn vị xuất sắc (%)"), max_digits=5, decimal_places=2
    )
    # Decree 335: each major error takes 25 % of an item's quality points and
    # each delay 25 % of its progress points.
    error_penalty_percent = models.DecimalField(
        _("trừ mỗi lỗi lớn (% điểm chất lượng)"), max_digits=5, decimal_places=2, default=0
    )
    delay_penalty_percent = models.DecimalField(
        _("trừ mỗi lần chậm (% điểm tiến độ)"), max_digits=5, decimal_places=2, default=0
    )
    disqualifiers = models.JSONField(
        _("trường hợp không hoàn thành nhiệm vụ"),
        default=list,
        blank=True,
        help_text=_(
            'Danh sách [{"code": ..., "name": ...}]: có một trong số đó thì xếp loại '
            "Không hoàn thành nhiệm vụ, bất kể điểm."
        ),
    )

    class Meta:
        verbose_name = _("bộ tiêu chí đánh giá")
        verbose_name_plural = _("bộ tiêu chí đánh giá")
        ordering = ["-valid_from", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(excellent_from__gt=models.F("good_from"))
                & Q(good_from__gt=models.F("completed_from")),
                name="evaluation_scheme_thresholds_ordered",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="evaluation_scheme_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def grade_label(self, grade: str) -> str:
        """The level as this scheme names it ("A" under 3814), else the full name."""
        label = (self.grade_labels or {}).get(grade)
        full = str(Grade(grade).label) if grade in Grade.values else grade
        return f"{label} — {full}" if label else full

    def is_in_force(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)


class Criterion(models.Model):
    """One line of a scheme's sheet, with its maximum points."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    group = models.CharField(_("nhóm"), max_length=10, choices=CriterionGroup.choices)
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tiêu chí"), max_length=500)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["scheme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="evaluation_criterion_code"),
            models.CheckConstraint(
                condition=Q(max_points__gte=0), name="evaluation_criterion_points_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


# --- work plans -----------------------------------------------------------------------


class WorkPlan(TimeStampedModel):
    """A weekly, monthly or quarterly plan of a unit, or of one officer in it."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    officer = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_plans",
        verbose_name=_("cán bộ"),
    )
    period = models.CharField(_("kỳ kế hoạch"), max_length=10, choices=PlanPeriod.choices)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    created_by = models.ForeignKey(
        "accounts.Officer", on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )

    class Meta:
        verbose_name = _("kế hoạch công tác")
        verbose_name_plural = _("kế hoạch công tác")
        ordering = ["-starts_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="evaluation_plan_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.title


class WorkTask(TimeStampedModel):
    """A task of a plan: owner, deadline, expected product, weight, progress, completion."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    owner = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        related_name="work_tasks",
        verbose_name=_("người thực hiện"),
    )
    deadline = models.DateTimeField(_("thời hạn"), db_index=True)
    expected_product = models.CharField(_("sản phẩm đầu ra"), max_length=500, blank=True)
    weight = models.DecimalField(
        _("trọng số"), max_digits=5, decimal_places=2, default=Decimal("1")
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    progress_note = models.TextField(_("ghi chú tiến độ"), blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    meets_requirements = models.BooleanField(_("đạt yêu cầu"), null=True, blank=True)
    major_errors = models.PositiveSmallIntegerField(_("số lỗi lớn"), default=0)
    quality_note = models.TextField(_("nhận xét chất lượng"), blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="evaluation_task_progress_le_100"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="evaluation_task_weight_pos"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def on_time(self) -> bool | None:
        if self.completed_at is None:
            return None
        return self.completed_at <= self.deadline

    def get_permission_unit(self) -> Any:
        return self.plan.unit

    def get_assignee_user_id(self) -> int:
        return self.owner.user_id


# --- the monthly cycle ----------------------------------------------------------------


class Cycle(TimeStampedModel):
    """One unit's evaluation of one month under one scheme; closed means read-only."""

    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"))
    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="cycles", verbose_name=_("bộ tiêu chí")
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    exceptional_unit = models.BooleanField(
        _("đơn vị hoàn thành xuất sắc"),
        default=False,
        help_text=_("Cho phép tỷ lệ mức cao nhất nâng lên theo bộ tiêu chí."),
    )
    opened_at = models.DateTimeField(_("mở lúc"))
    self_deadline = models.DateTimeField(_("hạn tự đánh giá"))
    review_deadline = models.DateTimeField(_("hạn nhận xét"))
    decision_deadline = models.DateTimeField(_("hạn quyết định"))
    closed_at = models.DateTimeField(_("chốt lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người chốt"),
    )

    class Meta:
        verbose_name = _("kỳ đánh giá")
        verbose_name_plural = _("kỳ đánh giá")
        ordering = ["-year", "-month", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="evaluation_cycle_one"),
            models.CheckConstraint(
                condition=Q(month__gte=1) & Q(month__lte=12), name="evaluation_cycle_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.month:02d}/{self.year}"

    @property
    def is_closed(self) -> bool:
        return self.status == CycleStatus.CLOSED

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)


class Sheet(TimeStampedModel):
    """One officer's evaluation in a cycle: figures, self-assessment, proposal, decision."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="sheets")
    officer = models.ForeignKey(
        "accounts.Officer",
        on_delete=models.PROTECT,
        related_name="evaluation_sheets",
        verbose_name=_("cán bộ"),
    )
    # Who comments and who decides, fixed when the cycle opens so that a later
    # change of supervisor does not move a sheet half-way through.
    supervisor = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quản lý trực tiếp"),
    )
    decided_by_leader = models.BooleanField(_("lãnh đạo quyết định"), default=False)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    figures = models.JSONField(_("số liệu từ công việc thực tế"), default=dict, blank=True)
    figures_at = models.DateTimeField(_("số liệu tính lúc"), null=True, blank=True)

    self_scores = models.JSONField(_("điểm tự chấm"), default=dict, blank=True)
    self_total = models.DecimalField(
        _("tổng điểm tự chấm"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    self_grade = models.CharField(
        _("tự xếp loại"), max_length=16, choices=Grade.choices, blank=True
    )
    evidence = models.TextField(_("minh chứng"), blank=True)
    self_comment = models.TextField(_("tự nhận xét"), blank=True)
    self_assessed_at = models.DateTimeField(_("tự đánh giá lúc"), null=True, blank=True)

    review_comment = models.TextField(_("nhận xét của quản lý trực tiếp"), blank=True)
    proposed_scores = models.JSONField(_("điểm đề xuất"), default=dict, blank=True)
    proposed_total = models.DecimalField(
        _("tổng điểm đề xuất"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    proposed_grade = models.CharField(
        _("đề xuất xếp loại"), max_length=16, choices=Grade.choices, blank=True
    )
    reviewed_by = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người nhận xét"),
    )
    reviewed_at = models.DateTimeField(_("nhận xét lúc"), null=True, blank=True)

    final_scores = models.JSONField(_("điểm quyết định"), default=dict, blank=True)
    final_total = models.DecimalField(
        _("tổng điểm"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    final_grade = models.CharField(_("xếp loại"), max_length=16, choices=Grade.choices, blank=True)
    disqualifiers = models.JSONField(_("trường hợp không hoàn thành"), default=list, blank=True)
    decision_comment = models.TextField(_("ý kiến của người quyết định"), blank=True)
    decided_by = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người quyết định"),
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("phiếu đánh giá")
        verbose_name_plural = _("phiếu đánh giá")
        ordering = ["cycle", "officer__user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "officer"], name="evaluation_sheet_one"),
        ]
        indexes = [models.Index(fields=["officer", "cycle"], name="evaluation_sheet_officer")]

    def __str__(self) -> str:
        return f"{self.officer} — {self.cycle}"

    def get_permission_unit(self) -> Any:
        return self.officer.unit

    def get_assignee_user_id(self) -> int:
        return self.officer.user_id

    def figure(self, key: Figure | str) -> int:
        return int((self.figures or {}).get(str(key), 0))


class FigureDispute(TimeStampedModel):
    """The officer disputes a pre-filled figure; the supervisor resolves it."""

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="disputes")
    figure = models.CharField(_("số liệu"), max_length=30, choices=Figure.choices)
    value = models.IntegerField(_("số liệu hệ thống"))
    claimed_value = models.IntegerField(_("số liệu đề nghị"), null=True, blank=True)
    reason = models.TextField(_("lý do"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    resolution = models.TextField(_("ý kiến giải quyết"), blank=True)
    resolved_value = models.IntegerField(_("số liệu sau giải quyết"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "accounts.Officer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người giải quyết"),
    )
    resolved_at = models.DateTimeField(_("giải quyết lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đề nghị xem lại số liệu")
        verbose_name_plural = _("đề nghị xem lại số liệu")
        ordering = ["sheet", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "figure"],
                condition=Q(status="open"),
                name="evaluation_one_open_dispute_per_figure",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sheet} — {self.get_figure_display()}"


class Reopening(AppendOnlyModel):
    """A closed month opened again: who, when, why (the only way to change a closed month)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="reopenings")
    at = models.DateTimeField(_("thời điểm"))
    by = models.ForeignKey(
        "accounts.Officer", on_delete=models.PROTECT, related_name="+", verbose_name=_("người mở")
    )
    reason = models.TextField(_("lý do"))

    class Meta:
        verbose_name = _("mở lại kỳ đánh giá")
        verbose_name_plural = _("mở lại kỳ đánh giá")
        ordering = ["cycle", "at"]

    def __str__(self) -> str:
        return f"{self.cycle} @ {self.at:%d/%m/%Y %H:%M}"

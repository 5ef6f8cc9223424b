"""The procedure catalog: procedures (thủ tục hành chính), their versions and internal process.

A :class:`Procedure` is identified by its national code. What it requires —
methods, time limits, fees, documents, results, legal basis and the internal
process (quy trình nội bộ) — belongs to a :class:`ProcedureVersion`, published
with an effective date. A dossier is pinned to the version in force when it
was received, so later changes never alter its deadline (R32, R38).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import Role, UnitKind
from motcua.catalog.constants import (
    CareLetter,
    Channel,
    FeeKind,
    OnlineLevel,
    ShareUnit,
    TimeUnit,
    VersionSource,
    VersionStatus,
)
from motcua.core.models import TimeStampedModel


class Procedure(TimeStampedModel):
    """An administrative procedure, identified by its national code (e.g. ``1.001193``).

    Name, field and the search text are copies of the version in force, kept
    here so that listing and search read one table.
    """

    code = models.CharField(
        _("mã thủ tục"),
        max_length=40,
        unique=True,
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001193 hoặc 1.001193.H26."),
    )
    name = models.TextField(_("tên thủ tục"))
    field = models.CharField(_("lĩnh vực"), max_length=255, blank=True, db_index=True)
    # "|Cấp xã|Cấp tỉnh|": filterable with one LIKE on every database.
    levels_text = models.CharField(_("cấp thực hiện"), max_length=255, blank=True, default="")
    online_level = models.CharField(
        _("mức độ trực tuyến"),
        max_length=10,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    portal_id = models.CharField(_("mã trên Cổng DVC quốc gia"), max_length=64, blank=True)
    # Folded text (lower case, no diacritics, đ → d) of code, name and field:
    # the one column search reads, on SQLite and PostgreSQL (trigram index).
    search_text = models.TextField(editable=False, default="")
    is_listed = models.BooleanField(
        _("đang công khai"),
        default=False,
        db_index=True,
        help_text=_("Có phiên bản đang có hiệu lực và được công khai."),
    )
    needs_review = models.BooleanField(_("cần rà soát"), default=False, db_index=True)
    # perf: a float32 vector from the optional semantic model, computed at
    # import (never per query); NULL when the model is not installed.
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    units = models.ManyToManyField(
        "accounts.Unit",
        through="ProcedureUnit",
        related_name="procedures",
        verbose_name=_("đơn vị thực hiện"),
        blank=True,
    )

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ProcedureUnit(models.Model):
    """A unit that carries out and lists a procedure (a ward, for its commune-level TTHC)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE)
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("đơn vị thực hiện thủ tục")
        verbose_name_plural = _("đơn vị thực hiện thủ tục")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "unit"], name="catalog_procedure_unit")
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} @ {self.unit}"


class ProcedureVersion(TimeStampedModel):
    """One version of a procedure, as set by a publication decision (quyết định công bố)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="versions", verbose_name=_("thủ tục")
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    effective_from = models.DateField(_("có hiệu lực từ ngày"), null=True, blank=True)
    # A withdrawal (bãi bỏ, ngừng công khai) ends the version from this date;
    # the version stays readable for the dossiers pinned to it.
    withdrawn_on = models.DateField(_("ngừng hiệu lực từ ngày"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("lý do ngừng công khai"), blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người công bố"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người tạo"),
    )
    change_note = models.TextField(_("nội dung thay đổi"), blank=True)

    name = models.TextField(_("tên thủ tục"))
    field = models.CharField(_("lĩnh vực"), max_length=255, blank=True)
    levels = models.JSONField(_("cấp thực hiện"), default=list, blank=True)
    procedure_type = models.CharField(_("loại thủ tục"), max_length=255, blank=True)
    decision_number = models.CharField(_("số quyết định công bố"), max_length=255, blank=True)
    decision_date = models.DateField(_("ngày quyết định công bố"), null=True, blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    competent_authority = models.TextField(_("cơ quan có thẩm quyền"), blank=True)
    implementing_agency = models.TextField(_("cơ quan thực hiện"), blank=True)
    authorized_agency = models.TextField(_("cơ quan được ủy quyền"), blank=True)
    coordinating_agency = models.TextField(_("cơ quan phối hợp"), blank=True)
    submission_address = models.TextField(_("địa chỉ tiếp nhận hồ sơ"), blank=True)
    related_procedures = models.TextField(_("thủ tục liên quan"), blank=True)
    steps_text = models.TextField(_("trình tự thực hiện"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    result_document_required = models.BooleanField(
        _("kết quả là văn bản"),
        default=True,
        help_text=_("Kết quả phải có văn bản (bản điện tử, số, ký hiệu) — chỉ tiêu 4.1."),
    )
    online_level = models.CharField(
        _("mức độ trực tuyến"),
        max_length=10,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    is_inter_agency = models.BooleanField(_("liên thông"), default=False)
    care_letter = models.CharField(
        _("thư chăm sóc"), max_length=20, choices=CareLetter.choices, default=CareLetter.NONE
    )
    needs_review = models.BooleanField(_("cần rà soát"), default=False)
    review_reasons = models.JSONField(_("nội dung cần rà soát"), default=list, blank=True)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=VersionSource.choices, default=VersionSource.MANUAL
    )
    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    original = models.JSONField(_("văn bản gốc"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="catalog_version_number_unique"
            ),
            # One version in preparation at a time, so two officers never
            # prepare competing drafts of the same procedure.
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status=VersionStatus.DRAFT),
                name="catalog_version_one_draft",
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.DRAFT) | Q(effective_from__isnull=False),
                name="catalog_version_published_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status=VersionStatus.WITHDRAWN) | Q(withdrawn_on__isnull=False),
                name="catalog_version_withdrawn_has_date",
            ),
        ]
        indexes = [
            models.Index(
                fields=["procedure", "status", "effective_from"], name="catalog_version_in_force"
            )
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class ProcedureMethod(models.Model):
    """A submission method of a version with its statutory time limit."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="methods")
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)
    time_value = models.DecimalField(
        _("thời hạn giải quyết"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    time_unit = models.CharField(
        _("đơn vị thời hạn"), max_length=15, choices=TimeUnit.choices, blank=True
    )
    time_text = models.TextField(_("thời hạn (nguyên văn)"), blank=True)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("hình thức nộp")
        verbose_name_plural = _("hình thức nộp")
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "channel"], name="catalog_method_channel"),
            models.CheckConstraint(
                condition=Q(time_value__isnull=True) | Q(time_value__gte=0),
                name="catalog_method_time_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.time_text}"


class ProcedureFee(models.Model):
    """A fee (phí) or charge (lệ phí) of a method, in whole VND; unknown amounts are NULL."""

    method = models.ForeignKey(ProcedureMethod, on_delete=models.CASCADE, related_name="fees")
    kind = models.CharField(
        _("loại"), max_length=10, choices=FeeKind.choices, default=FeeKind.UNKNOWN
    )
    amount = models.BigIntegerField(_("mức thu (đồng)"), null=True, blank=True)
    free = models.BooleanField(_("miễn phí"), default=False)
    set_by_council = models.BooleanField(
        _("do HĐND cấp tỉnh quy định"),
        default=False,
        help_text=_("Mức thu do Hội đồng nhân dân cấp tỉnh quy định."),
    )
    description = models.TextField(_("mô tả, điều kiện, miễn giảm"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["method", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="catalog_fee_not_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"


class RequiredDocument(models.Model):
    """A dossier component (thành phần hồ sơ) of a version."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    case = models.CharField(_("trường hợp"), max_length=1000, blank=True)
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("bản sao có chứng thực"), default=0)
    template = models.CharField(_("mẫu đơn, tờ khai"), max_length=500, blank=True)
    required = models.BooleanField(_("bắt buộc"), default=True)
    reusable_from_data = models.BooleanField(
        _("khai thác từ dữ liệu số"),
        default=False,
        help_text=_(
            "Có thể lấy từ kho dữ liệu điện tử, CSDL quốc gia về dân cư hoặc kết quả điện tử — "
            "không được yêu cầu nộp bản giấy (Nghị định 107/2021)."
        ),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.name[:80]


class ProcedureResult(models.Model):
    """A result of a version (e.g. "Giấy khai sinh"), with its portal result code."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.TextField(_("kết quả"))
    code = models.CharField(_("mã kết quả"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("kết quả thực hiện")
        verbose_name_plural = _("kết quả thực hiện")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.name[:80]


class LegalBasis(models.Model):
    """A legal document a version rests on (căn cứ pháp lý)."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="legal_basis"
    )
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(_("số ký hiệu"), max_length=120, blank=True)
    title = models.TextField(_("tên văn bản"))

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.code or self.title[:80]


class ProcessStep(models.Model):
    """A step of the internal process (quy trình nội bộ) with its share of the legal time."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="process_steps"
    )
    position = models.PositiveSmallIntegerField(_("bước"))
    name = models.CharField(_("tên bước"), max_length=255)
    responsible_unit_kind = models.CharField(
        _("loại đơn vị thực hiện"), max_length=20, choices=UnitKind.choices, blank=True
    )
    responsible_role = models.CharField(
        _("vai trò thực hiện"), max_length=20, choices=Role.choices, blank=True
    )
    share_value = models.DecimalField(
        _("thời gian"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    share_unit = models.CharField(
        _("đơn vị"), max_length=15, choices=ShareUnit.choices, default=ShareUnit.WORKING_DAYS
    )
    runs_in_other_agency = models.BooleanField(
        _("thực hiện tại cơ quan khác (liên thông)"), default=False
    )
    agency_name = models.CharField(_("tên cơ quan phối hợp"), max_length=255, blank=True)
    is_signing = models.BooleanField(_("bước lãnh đạo ký"), default=False)

    class Meta:
        verbose_name = _("bước quy trình nội bộ")
        verbose_name_plural = _("quy trình nội bộ")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="catalog_step_position"),
            models.CheckConstraint(
                condition=Q(share_value__gt=0), name="catalog_step_share_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class ProcedureBundle(TimeStampedModel):
    """ "Một hồ sơ – hai kết quả": one intake that yields the results of several procedures."""

    code = models.CharField(_("mã nhóm thủ tục"), max_length=40, unique=True)
    name = models.CharField(_("tên nhóm thủ tục"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    procedures = models.ManyToManyField(
        Procedure, through="BundleItem", related_name="bundles", verbose_name=_("thủ tục")
    )

    class Meta:
        verbose_name = _("nhóm thủ tục liên thông")
        verbose_name_plural = _("nhóm thủ tục liên thông")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    """One procedure of a bundle, in the order its result is produced."""

    bundle = models.ForeignKey(ProcedureBundle, on_delete=models.CASCADE, related_name="items")
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("thủ tục trong nhóm")
        verbose_name_plural = _("thủ tục trong nhóm")
        ordering = ["bundle", "position"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "procedure"], name="catalog_bundle_item")
        ]

    def __str__(self) -> str:
        return f"{self.bundle.code}: {self.procedure.code}"

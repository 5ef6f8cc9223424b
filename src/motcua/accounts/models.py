"""The organisation (effective-dated units) and its people (officers, citizens).

Terms: *đơn vị* = unit; *cán bộ, công chức, viên chức* = officer; *người dân* =
citizen. See CONTEXT.md for the glossary.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.constants import (
    Role,
    StaffCategory,
    SuccessionKind,
    UnitKind,
    UserKind,
)
from motcua.core.compiled import CompiledQuery
from motcua.core.models import AppendOnlyModel, TimeStampedModel


class UnitQuerySet(models.QuerySet["Unit"]):
    def in_force(self, on: dt.date | None = None) -> UnitQuerySet:
        """Units whose effective period contains ``on`` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        """``unit`` and every unit below it, at any depth."""
        return self.filter(path__startswith=unit.path)


class Unit(TimeStampedModel):
    """An organisational unit: province, (legacy) district, commune, department, centre…

    Units are effective-dated: a merged or renamed unit keeps its row with
    ``valid_to`` set, and :class:`UnitSuccession` links it to its successors
    (R33). Dossiers keep the unit as at receipt, so history never changes.
    """

    code = models.CharField(
        _("mã đơn vị"),
        max_length=32,
        help_text=_("Mã chính thức (mã hành chính của Tổng cục Thống kê) hoặc mã nội bộ."),
    )
    agency_code = models.CharField(
        _("mã định danh cơ quan"),
        max_length=32,
        blank=True,
        help_text=_(
            "Mã định danh điện tử theo Thông tư 10/2016/TT-BTTTT, dùng làm tiền tố mã hồ sơ, "
            "ví dụ 000.00.01.H26."
        ),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    admin_type = models.CharField(
        _("loại hành chính"),
        max_length=40,
        blank=True,
        help_text=_("Ví dụ: Phường, Xã, Đặc khu, Quận, Huyện, Tỉnh, Thành phố."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path of primary keys, "/1/45/333/": subtree queries are a
    # prefix match on an index instead of a recursive walk.
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    # Per-unit working settings; empty means "as the unit above".
    working_weekdays = models.JSONField(
        _("ngày làm việc trong tuần"),
        null=True,
        blank=True,
        help_text=_(
            "Danh sách thứ trong tuần (0 = thứ Hai … 6 = Chủ nhật). Để trống: theo cấp trên."
        ),
    )
    working_sessions = models.JSONField(
        _("các buổi làm việc"),
        null=True,
        blank=True,
        help_text=_('Ví dụ [["08:00", "12:00"], ["13:00", "17:00"]]. Để trống: theo cấp trên.'),
    )
    saturday_reception = models.BooleanField(
        _("tiếp nhận sáng thứ Bảy"),
        null=True,
        blank=True,
        help_text=_("Buổi tiếp nhận, trả kết quả sáng thứ Bảy (không phải ngày xử lý)."),
    )
    saturday_sessions = models.JSONField(
        _("buổi tiếp nhận thứ Bảy"),
        null=True,
        blank=True,
        help_text=_('Ví dụ [["08:00", "12:00"]]. Để trống: theo cấp trên.'),
    )
    same_day_cutoff = models.TimeField(
        _("giờ chốt hồ sơ trong ngày"),
        null=True,
        blank=True,
        help_text=_(
            "Hồ sơ giải quyết trong ngày nhận sau giờ này hẹn trả ngày làm việc tiếp theo."
        ),
    )

    objects: ClassVar[UnitQuerySet] = UnitQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            # Official codes are reused across the 2025 reform (e.g. 00004 was
            # Phường Trúc Bạch and is now Phường Ba Đình), so a code is unique
            # only together with the start of its effective period.
            models.UniqueConstraint(
                fields=["code", "valid_from"],
                condition=Q(valid_from__isnull=False),
                name="accounts_unit_code_from_unique",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_from__isnull=True),
                name="accounts_unit_code_open_unique",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="accounts_unit_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "code"], name="accounts_unit_kind_code"),
            # Look-ups by official code across eras (unit_get_by_code).
            models.Index(fields=["code", "valid_from"], name="accounts_unit_code_from"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_in_force(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or self.valid_to >= on
        )

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to this unit (inclusive)."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def is_within(self, other: Unit) -> bool:
        """True when this unit is ``other`` or lies below it."""
        return bool(other.path) and self.path.startswith(other.path)


class UnitSuccession(models.Model):
    """Predecessor → successor link between units (R33), e.g. the 2025 commune mergers."""

    predecessor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="successions", verbose_name=_("đơn vị cũ")
    )
    successor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="precessions", verbose_name=_("đơn vị mới")
    )
    kind = models.CharField(_("hình thức"), max_length=10, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("ngày hiệu lực"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("quan hệ kế thừa")
        verbose_name_plural = _("quan hệ kế thừa")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="accounts_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: object) -> User:
        if not username:
            raise ValueError("username is required")
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, username: str, password: str | None = None, **extra: object
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("kind", UserKind.OFFICER)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login: an officer or a citizen (never both)."""

    username = models.CharField(
        _("tên đăng nhập"),
        max_length=150,
        unique=True,
        error_messages={"unique": _("Tên đăng nhập này đã có người dùng.")},
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    kind = models.CharField(
        _("loại tài khoản"), max_length=10, choices=UserKind.choices, default=UserKind.OFFICER
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(
        _("vào trang quản trị"),
        default=False,
        help_text=_("Được vào trang quản trị Django."),
    )
    date_joined = models.DateTimeField(_("ngày tạo"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = ["full_name"]
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else self.username

    @property
    def is_officer(self) -> bool:
        return self.kind == UserKind.OFFICER

    @property
    def is_citizen(self) -> bool:
        return self.kind == UserKind.CITIZEN


class Officer(TimeStampedModel):
    """A public servant who works in motcua: cán bộ, công chức, viên chức or người lao động."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="officer",
        verbose_name=_("tài khoản"),
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="officers", verbose_name=_("đơn vị")
    )
    category = models.CharField(
        _("ngạch, loại"),
        max_length=20,
        choices=StaffCategory.choices,
        default=StaffCategory.CIVIL_SERVANT,
    )
    position = models.CharField(
        _("chức vụ"), max_length=120, blank=True, help_text=_("Ví dụ: Trưởng phòng, Chuyên viên.")
    )
    job_position = models.CharField(
        _("vị trí việc làm"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Tiếp nhận và trả kết quả TTHC lĩnh vực hộ tịch."),
    )
    position_started_on = models.DateField(_("giữ vị trí từ ngày"), null=True, blank=True)
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("người quản lý trực tiếp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team",
    )

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["unit__path", "user__full_name"]

    def __str__(self) -> str:
        return self.user.full_name

    @property
    def full_name(self) -> str:
        return self.user.full_name

    def role_set(self) -> frozenset[str]:
        """The officer's roles, cached on the instance for permission checks."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(role for (role,) in _ROLES_OF.run(self.pk))
            self._role_cache = cached
        return cached

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.role_set()


class OfficerRole(models.Model):
    """One role held by an officer, within the officer's unit."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.UniqueConstraint(fields=["officer", "role"], name="accounts_officerrole_unique")
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.get_role_display()}"


class Citizen(TimeStampedModel):
    """A citizen's or business's own account on the portal (optional for citizens)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="citizen",
        verbose_name=_("tài khoản"),
    )
    citizen_id = models.CharField(
        _("số định danh cá nhân / CCCD"), max_length=12, blank=True, db_index=True
    )
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone_verified_at = models.DateTimeField(_("xác thực điện thoại lúc"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("xác thực thư điện tử lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("công dân")
        verbose_name_plural = _("công dân")

    def __str__(self) -> str:
        return self.user.full_name


class AuditEvent(AppendOnlyModel):
    """Who did what, when, where and on what legal basis (R39). Never edited or deleted."""

    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    action = models.CharField(_("hành động"), max_length=80, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=80)
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    summary = models.CharField(_("tóm tắt"), max_length=500, blank=True)
    data = models.JSONField(_("dữ liệu"), default=dict, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="accounts_audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}#{self.object_id}"


def _roles_of(officer_id: int) -> models.QuerySet[OfficerRole]:
    return OfficerRole.objects.filter(officer_id=officer_id).values_list("role")  # type: ignore[return-value]


# perf: read on every permission check's first use in a request (core/compiled.py).
_ROLES_OF = CompiledQuery(_roles_of, int)


class Session(AbstractBaseSession):
    """A browser's session (Django's session table), with the user signed in on it.

    perf: the user is a column, so a request's session and its user (officer,
    unit, roles) are read in one statement (``accounts.sessions``) instead of
    two in a row; it also lets a user's sessions be found.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("phiên đăng nhập")  # type: ignore[assignment]
        verbose_name_plural = _("các phiên đăng nhập")  # type: ignore[assignment]

    @classmethod
    def get_session_store_class(cls) -> type[Any]:
        from motcua.accounts.sessions import SessionStore

        return SessionStore

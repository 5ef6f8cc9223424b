"""The demo organisation: the four Hà Nội wards of the scenarios, their bodies and people.

Everything here is idempotent: a second :func:`demo_load` creates nothing and
changes nothing. People are fictional; units come from the official lists
(``shared/data/admin_units``, or the in-repository test slices when the
shared data is absent). See ``src/motcua/demo/README.md`` for the logins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from motcua.accounts.constants import Role, StaffCategory, UnitKind, UserKind
from motcua.accounts.models import Officer, OfficerRole, Unit, User
from motcua.accounts.selectors import unit_get_by_code, unit_resolve_settings
from motcua.accounts.services import (
    audit_record,
    officer_create,
    officer_set_roles,
    unit_create,
    unit_update_settings,
    units_import,
)
from motcua.accounts.unit_import import ProgressCallback, UnitImportReport
from motcua.accounts.unit_sources import REFORM_DATE
from motcua.catalog.models import BundleItem, Procedure, ProcedureBundle, ProcedureUnit
from motcua.catalog.services import ImportReport, catalog_import
from motcua.letters.services import letter_template_install_defaults

DEMO_PASSWORD = "motcua-demo-2026"  # noqa: S105 - public, demo accounts only
SUPERUSER_NAME = "admin"
FALLBACK_UNITS_DIR = Path(__file__).resolve().parents[1] / "accounts" / "tests" / "data"
HANOI_CODE = "01"
DEMO_CATALOG_FILE = "demo_seed_cap_xa_citizen_fields_full.jsonl"
FALLBACK_CATALOG_FILE = (
    Path(__file__).resolve().parents[1] / "catalog" / "tests" / "data" / "dvcqg_sample.jsonl"
)
BUNDLE_CODE = "LT.KS-TT"
# Birth registration, then the child's permanent residence: one intake, two results.
BUNDLE_PROCEDURES = ("1.001193", "1.004222")


@dataclass(frozen=True)
class DemoWard:
    """One ward or commune of the scenarios (scenarios.md)."""

    key: str  # username prefix
    code: str  # official code since 1 July 2025
    # DEMO ONLY: shaped like an electronic agency identifier (Circular
    # 10/2016/TT-BTTTT, Hà Nội's …H26); the real codes are not known to us.
    agency_code: str
    saturday_reception: bool = False


WARDS = (
    DemoWard("longbien", "00145", "000.01.45.H26", saturday_reception=True),
    DemoWard("thanhxuan", "00367", "000.03.67.H26"),
    DemoWard("chuongmy", "10015", "000.10.15.H26"),
    DemoWard("phuxuyen", "10273", "000.12.73.H26"),
)

# Bodies under each ward: (code suffix, kind, name; "{ward}" is e.g. "phường Long Biên").
CENTRE, OFFICE, ECONOMY, SOCIETY = "TTPVHCC", "VP", "KT", "VHXH"
WARD_BODIES = (
    (CENTRE, UnitKind.SERVICE_CENTRE, "Trung tâm Phục vụ hành chính công {ward}"),
    (OFFICE, UnitKind.DEPARTMENT, "Văn phòng HĐND và UBND {ward}"),
    # Wards have "Phòng Kinh tế, Hạ tầng và Đô thị", communes "Phòng Kinh tế".
    (ECONOMY, UnitKind.DEPARTMENT, "{economy} {ward}"),
    (SOCIETY, UnitKind.DEPARTMENT, "Phòng Văn hóa - Xã hội {ward}"),
)
WARD = ""  # the ward itself

# (username suffix, body, position, roles) for every ward.
WARD_PEOPLE = (
    ("tiepnhan1", CENTRE, "Công chức tiếp nhận và trả kết quả", (Role.COUNTER_OFFICER,)),
    ("tiepnhan2", CENTRE, "Công chức tiếp nhận và trả kết quả", (Role.COUNTER_OFFICER,)),
    ("giamdoc", CENTRE, "Giám đốc Trung tâm", (Role.HEAD,)),
    ("chanhvanphong", OFFICE, "Chánh Văn phòng HĐND và UBND", (Role.HEAD,)),
    ("hotich", OFFICE, "Công chức Tư pháp - Hộ tịch", (Role.SPECIALIST,)),
    ("noivu", OFFICE, "Công chức phụ trách nội vụ", (Role.EVALUATOR,)),
    ("quantri", OFFICE, "Công chức quản trị hệ thống một cửa", (Role.ADMINISTRATOR,)),
    ("truongphongkt", ECONOMY, "Trưởng phòng", (Role.HEAD,)),
    ("chuyenvienkt", ECONOMY, "Chuyên viên", (Role.SPECIALIST,)),
    ("truongphongvhxh", SOCIETY, "Trưởng phòng", (Role.HEAD,)),
    ("chuyenvienvhxh", SOCIETY, "Chuyên viên", (Role.SPECIALIST,)),
    ("chutich", WARD, "Chủ tịch UBND", (Role.LEADER,)),
    ("phochutich", WARD, "Phó Chủ tịch UBND", (Role.LEADER,)),
)

# Bodies of the city (code, kind, name) and its people.
CITY_BODIES = (
    ("01.SNV", UnitKind.DEPARTMENT, "Sở Nội vụ thành phố Hà Nội"),
    ("01.DKTCV", UnitKind.DEPARTMENT, "Đoàn kiểm tra công vụ thành phố Hà Nội"),
)
CITY_PEOPLE = (
    ("hanoi.quantri", None, "Quản trị hệ thống một cửa thành phố", (Role.ADMINISTRATOR,)),
    ("hanoi.kiemtra", "01.DKTCV", "Thành viên Đoàn kiểm tra công vụ", (Role.INSPECTOR,)),
    ("hanoi.noivu", "01.SNV", "Chuyên viên Phòng Cải cách hành chính", (Role.EVALUATOR,)),
)

# Fictional names, full diacritics; women and men alternate.
_FAMILY = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng",
    "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Phan", "Trịnh",
)  # fmt: skip
_WOMEN = (
    "Thị Lan", "Thu Hà", "Ngọc Mai", "Thị Hương", "Thanh Thảo", "Thị Ngân", "Minh Trang",
    "Thị Vân", "Hải Yến", "Thùy Linh", "Thị Hằng", "Phương Nga", "Thị Huệ", "Bích Ngọc",
)  # fmt: skip
_MEN = (
    "Văn An", "Đức Bình", "Minh Dũng", "Quang Hùng", "Hữu Long", "Văn Nam", "Thành Sơn",
    "Anh Tuấn", "Đức Thắng", "Quốc Việt", "Đăng Khoa", "Văn Phong", "Mạnh Cường", "Hoàng Giang",
)  # fmt: skip


def demo_full_name(index: int) -> str:
    """The ``index``-th fictional name (stable, so logins keep their names)."""
    given = (_WOMEN if index % 2 == 0 else _MEN)[(index // 2) % len(_WOMEN)]
    family = _FAMILY[(index * 5 + index // len(_FAMILY)) % len(_FAMILY)]
    return f"{family} {given}"


@dataclass(frozen=True)
class DemoLogin:
    """One demo account, as printed by ``demo load``."""

    username: str
    full_name: str
    roles: tuple[str, ...]
    unit: str


@dataclass
class DemoReport:
    """What ``demo load`` did, and the logins to try."""

    units_import: UnitImportReport | None = None
    data_dir: Path | None = None
    used_fallback: bool = False
    units_created: int = 0
    officers_created: int = 0
    roles_changed: int = 0
    settings_changed: int = 0
    superuser_created: bool = False
    logins: list[DemoLogin] = field(default_factory=list)
    catalog_import: ImportReport | None = None
    catalog_file: Path | None = None
    procedures_assigned: int = 0
    letter_links: int = 0


def demo_catalog_file() -> tuple[Path, bool]:
    """The 243 commune procedures of the demo seed, else the parsers' test slice."""
    shared = Path(settings.SHARED_DATA_DIR) / "procedures" / DEMO_CATALOG_FILE
    if shared.is_file():
        return shared, False
    return FALLBACK_CATALOG_FILE, True


def demo_load_catalog(report: DemoReport) -> None:
    """Import the commune procedures and list them at each demo ward (idempotent).

    Also sets up a bundle ("một hồ sơ – hai kết quả"): birth registration
    with the child's permanent residence registration.
    """
    path, fallback = demo_catalog_file()
    report.catalog_file = path
    report.used_fallback = report.used_fallback or fallback
    report.catalog_import = catalog_import(path=path)
    commune_procedures = list(
        Procedure.objects.filter(is_listed=True, levels_text__contains="|Cấp xã|")
    )
    with transaction.atomic():
        for ward in WARDS:
            unit = unit_get_by_code(code=ward.code, on=max(timezone.localdate(), REFORM_DATE))
            existing = set(
                ProcedureUnit.objects.filter(unit=unit).values_list("procedure_id", flat=True)
            )
            missing = [p for p in commune_procedures if p.pk not in existing]
            ProcedureUnit.objects.bulk_create(
                [ProcedureUnit(procedure=procedure, unit=unit) for procedure in missing]
            )
            report.procedures_assigned += len(missing)
        members = [
            code for code in BUNDLE_PROCEDURES if Procedure.objects.filter(code=code).exists()
        ]
        if len(members) == len(BUNDLE_PROCEDURES):
            bundle, _created = ProcedureBundle.objects.get_or_create(
                code=BUNDLE_CODE,
                defaults={
                    "name": "Đăng ký khai sinh và đăng ký thường trú cho trẻ em",
                    "description": "Một hồ sơ – hai kết quả: Giấy khai sinh và kết quả "
                    "đăng ký thường trú.",
                },
            )
            for position, code in enumerate(members, start=1):
                BundleItem.objects.get_or_create(
                    bundle=bundle,
                    procedure=Procedure.objects.get(code=code),
                    defaults={"position": position},
                )
    # The default care letters (birth, marriage, death) attach to the procedures
    # imported just now (scenario 1: a congratulation letter with the birth certificate).
    report.letter_links = letter_template_install_defaults()[1]


def demo_units_dir() -> tuple[Path, bool]:
    """The unit lists to load: the shared data when present, else the test slices."""
    shared = Path(settings.SHARED_DATA_DIR) / "admin_units"
    if shared.is_dir():
        return shared, False
    return FALLBACK_UNITS_DIR, True


class _Loader:
    def __init__(self, report: DemoReport) -> None:
        self.report = report
        self.today = max(timezone.localdate(), REFORM_DATE)
        self._password_hash: str | None = None
        self.index = 0

    @property
    def password_hash(self) -> str:
        # perf: one Argon2 hash (~50 ms) shared by every demo account, not one each.
        if self._password_hash is None:
            self._password_hash = make_password(DEMO_PASSWORD)
        return self._password_hash

    def body(
        self,
        *,
        parent: Unit,
        code: str,
        kind: str,
        name: str,
        short_name: str = "",
        valid_from: dt.date | None = None,
        agency_code: str = "",
    ) -> Unit:
        unit = Unit.objects.filter(code=code, valid_from=valid_from).first()
        if unit is None:
            unit = unit_create(
                parent=parent,
                code=code,
                kind=kind,
                name=name,
                short_name=short_name,
                valid_from=valid_from,
                agency_code=agency_code,
            )
            self.report.units_created += 1
        return unit

    def person(self, *, username: str, unit: Unit, position: str, roles: tuple[Role, ...]) -> None:
        full_name = demo_full_name(self.index)
        self.index += 1
        officer = (
            Officer.objects.select_related("user", "unit").filter(user__username=username).first()
        )
        if officer is None:
            if User.objects.filter(username=username).exists():
                return  # someone else's account with this name; leave it alone
            officer = officer_create(
                actor=None,
                unit=unit,
                username=username,
                full_name=full_name,
                roles=roles,
                position=position,
                category=(
                    StaffCategory.CADRE if Role.LEADER in roles else StaffCategory.CIVIL_SERVANT
                ),
            )
            User.objects.filter(pk=officer.user_id).update(password=self.password_hash)
            self.report.officers_created += 1
        elif not {str(role) for role in roles} <= officer.role_set():
            officer_set_roles(officer=officer, roles={*officer.role_set(), *roles}, actor=None)
            self.report.roles_changed += 1
        self.report.logins.append(
            DemoLogin(
                username=username,
                full_name=officer.user.full_name,
                roles=tuple(sorted(officer.role_set())),
                unit=officer.unit.name,
            )
        )

    def ward(self, ward: DemoWard) -> None:
        unit = unit_get_by_code(code=ward.code, on=self.today)
        admin_type = unit.admin_type or "Phường"
        label = f"{admin_type.lower()} {unit.short_name or unit.name}"
        economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if admin_type == "Phường" else "Phòng Kinh tế"
        bodies = {WARD: unit}
        for suffix, kind, template in WARD_BODIES:
            name = template.format(ward=label, economy=economy)
            bodies[suffix] = self.body(
                parent=unit,
                code=f"{ward.code}.{suffix}",
                kind=kind,
                name=name,
                short_name=name[: -len(label) - 1],
                valid_from=unit.valid_from,
                agency_code=ward.agency_code if suffix == CENTRE else "",
            )
        for suffix, body, position, roles in WARD_PEOPLE:
            self.person(
                username=f"{ward.key}.{suffix}",
                unit=bodies[body],
                position=position,
                roles=roles,
            )
        wanted = ward.saturday_reception
        if unit_resolve_settings(unit=bodies[CENTRE]).saturday_reception != wanted:
            unit_update_settings(unit=unit, actor=None, saturday_reception=wanted)
            self.report.settings_changed += 1

    def city(self) -> None:
        hanoi = unit_get_by_code(code=HANOI_CODE, on=self.today)
        bodies = {
            code: self.body(parent=hanoi, code=code, kind=kind, name=name)
            for code, kind, name in CITY_BODIES
        }
        for username, body, position, roles in CITY_PEOPLE:
            self.person(
                username=username,
                unit=bodies[body] if body else hanoi,
                position=position,
                roles=roles,
            )

    def superuser(self) -> None:
        if User.objects.filter(username=SUPERUSER_NAME).exists():
            return
        user = User.objects.create_superuser(
            SUPERUSER_NAME, None, full_name="Quản trị viên motcua", kind=UserKind.OFFICER
        )
        user.password = self.password_hash
        user.save(update_fields=["password"])
        audit_record(actor=None, action="user.create", obj=user, summary=user.full_name)
        self.report.superuser_created = True


def demo_load(
    *, data_dir: Path | None = None, on_progress: ProgressCallback | None = None
) -> DemoReport:
    """Load the official units, then the demo bodies and people of the four scenario wards.

    ``data_dir`` defaults to ``SHARED_DATA_DIR/admin_units``, or the
    in-repository test slices when that does not exist
    (``report.used_fallback``). Idempotent.
    """
    report = DemoReport()
    if data_dir is None:
        data_dir, report.used_fallback = demo_units_dir()
    report.data_dir = data_dir
    report.units_import = units_import(data_dir=data_dir, on_progress=on_progress)
    with transaction.atomic():
        loader = _Loader(report)
        loader.city()
        for ward in WARDS:
            loader.ward(ward)
        loader.superuser()
    demo_load_catalog(report)
    return report


def demo_totals() -> dict[str, int]:
    """Counts of what exists now (not only what this run created)."""
    return {
        "procedures": Procedure.objects.count(),
        "units": Unit.objects.count(),
        "officers": Officer.objects.count(),
        "roles": OfficerRole.objects.count(),
        "users": User.objects.count(),
    }

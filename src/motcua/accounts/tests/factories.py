"""factory_boy factories for units and people; other apps' tests import these.

``UnitFactory`` builds the materialised path on create. ``OfficerFactory``
takes ``roles=[...]`` or a role trait: ``OfficerFactory(counter=True)``,
``specialist``, ``head``, ``leader``, ``inspector``, ``evaluator``,
``administrator`` (one trait at a time; pass ``roles=`` for several).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from motcua.accounts.constants import Role, UnitKind, UserKind
from motcua.accounts.models import Citizen, Officer, OfficerRole, Unit, User
from motcua.accounts.services import unit_refresh_path

TEST_PASSWORD = "motcua-test-2026"

# Fictional names, full diacritics.
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Đức", "Thu", "Minh", "Ngọc", "Quang", "Thanh")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Long", "Mai", "Nam")


def _full_name(n: int) -> str:
    family = _FAMILY[n % len(_FAMILY)]
    middle = _MIDDLE[(n // len(_FAMILY)) % len(_MIDDLE)]
    return f"{family} {middle} {_GIVEN[n % len(_GIVEN)]}"


def _yesterday() -> dt.date:
    return timezone.localdate() - dt.timedelta(days=1)


class UnitFactory(DjangoModelFactory):
    """A commune-level unit by default; traits for the other kinds and for ended units."""

    class Meta:
        model = Unit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T{n:05d}")
    name = factory.Sequence(lambda n: f"Phường Thử Nghiệm {n}")
    kind = UnitKind.COMMUNE
    admin_type = "Phường"
    parent = None

    class Params:
        province = factory.Trait(
            kind=UnitKind.PROVINCE,
            admin_type="Tỉnh",
            name=factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}"),
        )
        district = factory.Trait(
            kind=UnitKind.DISTRICT,
            admin_type="Huyện",
            name=factory.Sequence(lambda n: f"Huyện Thử Nghiệm {n}"),
        )
        department = factory.Trait(
            kind=UnitKind.DEPARTMENT,
            admin_type="",
            name=factory.Sequence(lambda n: f"Phòng Thử Nghiệm {n}"),
        )
        service_centre = factory.Trait(
            kind=UnitKind.SERVICE_CENTRE,
            admin_type="",
            name=factory.Sequence(lambda n: f"Trung tâm Phục vụ hành chính công {n}"),
        )
        expired = factory.Trait(valid_to=factory.LazyFunction(_yesterday))

    @classmethod
    def _create(cls, model_class: type[Unit], *args: Any, **kwargs: Any) -> Unit:
        unit = super()._create(model_class, *args, **kwargs)
        unit_refresh_path(unit=unit)
        return unit


class UserFactory(DjangoModelFactory):
    """An officer's login by default; traits ``citizen``, ``superuser``, ``inactive``."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(_full_name)
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.test")
    kind = UserKind.OFFICER
    password = factory.django.Password(TEST_PASSWORD)

    class Params:
        citizen = factory.Trait(kind=UserKind.CITIZEN)
        superuser = factory.Trait(is_superuser=True, is_staff=True)
        inactive = factory.Trait(is_active=False)


def _give_roles(officer: Officer, create: bool, roles: Any) -> None:
    wanted = sorted({str(Role(role)) for role in roles or ()})
    if create and wanted:
        OfficerRole.objects.bulk_create([OfficerRole(officer=officer, role=r) for r in wanted])
    officer._role_cache = frozenset(wanted)


def _roles(*defaults: Role) -> factory.PostGeneration:
    """A ``roles`` post-generation hook: ``roles=[...]`` if given, else ``defaults``."""

    def hook(officer: Officer, create: bool, extracted: Any, **kwargs: Any) -> None:
        _give_roles(officer, create, defaults if extracted is None else extracted)

    return factory.PostGeneration(hook)


class OfficerFactory(DjangoModelFactory):
    """An officer in a fresh unit, with the roles given (none by default)."""

    class Meta:
        model = Officer
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    position = "Chuyên viên"
    roles = _roles()

    class Params:
        counter = factory.Trait(roles=_roles(Role.COUNTER_OFFICER), position="Công chức một cửa")
        specialist = factory.Trait(roles=_roles(Role.SPECIALIST))
        head = factory.Trait(roles=_roles(Role.HEAD), position="Trưởng phòng")
        leader = factory.Trait(roles=_roles(Role.LEADER), position="Chủ tịch UBND")
        inspector = factory.Trait(roles=_roles(Role.INSPECTOR))
        evaluator = factory.Trait(roles=_roles(Role.EVALUATOR))
        administrator = factory.Trait(roles=_roles(Role.ADMINISTRATOR))


class CitizenFactory(DjangoModelFactory):
    """A citizen's portal account."""

    class Meta:
        model = Citizen

    user = factory.SubFactory(UserFactory, citizen=True)
    citizen_id = factory.Sequence(lambda n: f"{1000000 + n:012d}")
    address = "Số 1 phố Thử Nghiệm, Phường Long Biên, Thành phố Hà Nội"

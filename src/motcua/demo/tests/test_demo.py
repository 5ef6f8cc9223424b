"""``demo load``: idempotent, and every scenario ward has someone for every role."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from motcua.accounts.constants import Role, UnitKind
from motcua.accounts.models import AuditEvent, Officer, OfficerRole, Unit, User
from motcua.accounts.permissions import Action, can, units_in_scope
from motcua.accounts.selectors import unit_get_by_code, unit_resolve_settings, unit_subtree
from motcua.demo.services import DEMO_PASSWORD, demo_load

pytestmark = pytest.mark.django_db

WARD_CODES = {"00145": "longbien", "00367": "thanhxuan", "10015": "chuongmy", "10273": "phuxuyen"}
# One action each role exists for, to ask "who can do this in the ward?".
ROLE_ACTION = {
    Role.COUNTER_OFFICER: Action.DOSSIER_RECEIVE,
    Role.SPECIALIST: Action.DOSSIER_PROCESS,
    Role.HEAD: Action.DOSSIER_ASSIGN,
    Role.LEADER: Action.DOSSIER_SIGN_RESULT,
    Role.INSPECTOR: Action.INSPECTION_MANAGE,
    Role.EVALUATOR: Action.EVALUATION_MANAGE_SCHEME,
    Role.ADMINISTRATOR: Action.UNIT_MANAGE,
}


@pytest.fixture(autouse=True)
def no_shared_data(settings: Any, tmp_path: Path) -> None:
    """Tests load the in-repository slices, never the full lists."""
    settings.SHARED_DATA_DIR = tmp_path / "missing"


def _counts() -> tuple[int, ...]:
    return (
        Unit.objects.count(),
        User.objects.count(),
        Officer.objects.count(),
        OfficerRole.objects.count(),
        AuditEvent.objects.count(),
    )


def test_falls_back_to_the_slices_and_says_so() -> None:
    out, err = StringIO(), StringIO()

    call_command("demo", "load", "--quiet", stdout=out, stderr=err)

    assert "CẢNH BÁO" in err.getvalue()
    assert "longbien.tiepnhan1" in out.getvalue()
    assert DEMO_PASSWORD in out.getvalue()
    assert "totals: procedures=" in out.getvalue()


def test_a_second_run_changes_nothing() -> None:
    first = demo_load()
    before = _counts()

    second = demo_load()

    assert first.officers_created > 0 and first.units_created > 0
    assert (second.units_created, second.officers_created, second.roles_changed) == (0, 0, 0)
    assert (second.settings_changed, second.superuser_created) == (0, False)
    assert second.units_import is not None and second.units_import.units.created == 0
    assert _counts() == before
    assert [login.username for login in second.logins] == [
        login.username for login in first.logins
    ]


def test_every_demo_ward_has_someone_for_every_role() -> None:
    demo_load()

    for code, key in WARD_CODES.items():
        ward = unit_get_by_code(code=code)
        inside = set(unit_subtree(unit=ward).values_list("pk", flat=True))
        for role, action in ROLE_ACTION.items():
            holders = [
                officer.user
                for officer in Officer.objects.filter(roles__role=role).select_related("user")
            ]
            reaching = [
                user
                for user in holders
                if inside & set(units_in_scope(user, action).values_list("pk", flat=True))
            ]
            assert reaching, f"{key}: nobody with role {role} can {action} in the ward"
        # Everyone but the city's inspector sits inside the ward itself.
        local_roles = set(
            OfficerRole.objects.filter(officer__unit__in=inside).values_list("role", flat=True)
        )
        assert local_roles == {str(role) for role in Role} - {Role.INSPECTOR}


def test_ward_bodies_people_and_logins() -> None:
    demo_load()

    long_bien = unit_get_by_code(code="00145")
    centre = Unit.objects.get(code="00145.TTPVHCC")
    assert centre.parent == long_bien
    assert centre.kind == UnitKind.SERVICE_CENTRE
    assert centre.name == "Trung tâm Phục vụ hành chính công phường Long Biên"
    assert centre.agency_code
    assert Unit.objects.get(code="00145.KT").name.startswith("Phòng Kinh tế, Hạ tầng và Đô thị")
    assert Unit.objects.get(code="10273.KT").name == "Phòng Kinh tế xã Phú Xuyên"
    counter = User.objects.get(username="longbien.tiepnhan1")
    assert counter.check_password(DEMO_PASSWORD)
    assert can(counter, Action.DOSSIER_RECEIVE, centre)
    assert not can(counter, Action.DOSSIER_SIGN_RESULT, centre)
    chair = User.objects.get(username="longbien.chutich")
    assert can(chair, Action.DOSSIER_SIGN_RESULT, centre)
    assert not can(chair, Action.DOSSIER_SIGN_RESULT, Unit.objects.get(code="00367.TTPVHCC"))
    inspector = User.objects.get(username="hanoi.kiemtra")
    assert can(inspector, Action.INSPECTION_MANAGE, Unit.objects.get(code="10273.TTPVHCC"))
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    names = list(User.objects.exclude(username="admin").values_list("full_name", flat=True))
    assert len(set(names)) == len(names)


def test_only_long_bien_receives_on_saturday_morning() -> None:
    demo_load()

    for code in WARD_CODES:
        centre = Unit.objects.get(code=f"{code}.TTPVHCC")
        assert unit_resolve_settings(unit=centre).saturday_reception is (code == "00145")


def test_the_commune_procedures_are_listed_at_every_demo_ward_once() -> None:
    from motcua.catalog.models import Procedure, ProcedureBundle, ProcedureUnit

    demo_load()
    first = ProcedureUnit.objects.count()
    demo_load()

    commune = Procedure.objects.filter(is_listed=True, levels_text__contains="|Cấp xã|")
    assert commune.count() >= 6
    assert first == ProcedureUnit.objects.count() == commune.count() * len(WARD_CODES)
    for code in WARD_CODES:
        ward = unit_get_by_code(code=code)
        assert ProcedureUnit.objects.filter(unit=ward).count() == commune.count()
    bundle = ProcedureBundle.objects.get(code="LT.KS-TT")
    assert [item.procedure.code for item in bundle.items.all()] == ["1.001193", "1.004222"]

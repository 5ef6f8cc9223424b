"""Writes to units: working settings, saving with the tree path, people and roles."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from motcua.accounts.constants import Role
from motcua.accounts.models import AuditEvent, Unit
from motcua.accounts.selectors import unit_resolve_settings
from motcua.accounts.services import (
    officer_create,
    officer_set_roles,
    unit_save,
    unit_update_settings,
)
from motcua.accounts.tests.factories import OfficerFactory, UnitFactory, UserFactory
from motcua.core.exceptions import ValidationFailed

pytestmark = pytest.mark.django_db


def test_update_settings_stores_normalised_values_and_audits() -> None:
    unit = UnitFactory()
    actor = UserFactory()

    unit_update_settings(
        unit=unit,
        actor=actor,
        working_weekdays=[4, 0, 2, 1, 3],
        working_sessions=[["7:30", "11:30"], [dt.time(13, 0), "17:00"]],
        saturday_reception=True,
        same_day_cutoff="16:00",
    )

    unit.refresh_from_db()
    assert unit.working_weekdays == [0, 1, 2, 3, 4]
    assert unit.working_sessions == [["07:30", "11:30"], ["13:00", "17:00"]]
    assert unit.saturday_reception is True
    assert unit.same_day_cutoff == dt.time(16)
    event = AuditEvent.objects.get(action="unit.settings_update")
    assert event.actor == actor
    assert event.unit == unit
    assert event.data["before"]["saturday_reception"] is None
    assert event.data["after"]["same_day_cutoff"] == "16:00"


def test_none_clears_a_setting_so_it_is_inherited_again() -> None:
    province = UnitFactory(province=True, same_day_cutoff=dt.time(14))
    commune = UnitFactory(parent=province, same_day_cutoff=dt.time(16))

    unit_update_settings(unit=commune, actor=None, same_day_cutoff=None)

    assert unit_resolve_settings(unit=commune).same_day_cutoff == dt.time(14)


@pytest.mark.parametrize(
    ("settings", "field", "message"),
    [
        (
            {"working_sessions": [["08:00", "12:00"], ["11:00", "17:00"]]},
            "working_sessions",
            "không chồng nhau",
        ),
        (
            {"working_sessions": [["13:00", "17:00"], ["08:00", "12:00"]]},
            "working_sessions",
            "theo thứ tự",
        ),
        ({"working_sessions": [["12:00", "08:00"]]}, "working_sessions", "phải sau giờ bắt đầu"),
        ({"working_sessions": [["8h", "12:00"]]}, "working_sessions", "GG:PP"),
        ({"saturday_sessions": [["08:00", "24:00"]]}, "saturday_sessions", "ngoài một ngày"),
        ({"saturday_sessions": [["08:00"]]}, "saturday_sessions", "giờ bắt đầu và giờ kết thúc"),
        ({"working_sessions": []}, "working_sessions", "ít nhất một buổi"),
        ({"working_weekdays": [0, 7]}, "working_weekdays", "từ 0 (thứ Hai) đến 6"),
        ({"working_weekdays": [1, 1]}, "working_weekdays", "hai lần"),
        ({"working_weekdays": []}, "working_weekdays", "ít nhất một ngày"),
        ({"saturday_reception": "có"}, "saturday_reception", "có hoặc không"),
        ({"same_day_cutoff": "15:75"}, "same_day_cutoff", "ngoài một ngày"),
        ({"lunch_break": "12:00"}, "lunch_break", "Không có thiết lập"),
    ],
)
def test_update_settings_refuses_bad_input_with_a_vietnamese_message(
    settings: dict[str, Any], field: str, message: str
) -> None:
    unit = UnitFactory()

    with pytest.raises(ValidationFailed, match=re.escape(message)) as caught:
        unit_update_settings(unit=unit, actor=None, **settings)

    assert caught.value.params["field"] == field
    unit.refresh_from_db()
    assert unit.working_sessions is None
    assert not AuditEvent.objects.filter(action="unit.settings_update").exists()


def test_saving_a_unit_under_a_new_parent_moves_its_subtree() -> None:
    first, second = UnitFactory(province=True), UnitFactory(province=True)
    commune = UnitFactory(parent=first)
    office = UnitFactory(department=True, parent=commune)

    commune.parent = second
    unit_save(unit=commune, actor=None, changed=["parent"])

    office.refresh_from_db()
    assert commune.path == f"{second.path}{commune.pk}/"
    assert office.path == f"{second.path}{commune.pk}/{office.pk}/"
    assert office.depth == 2
    assert AuditEvent.objects.filter(action="unit.update", object_id=str(commune.pk)).exists()


def test_a_unit_cannot_be_put_under_its_own_subtree() -> None:
    commune = UnitFactory()
    office = UnitFactory(department=True, parent=commune)

    commune.parent = office
    with pytest.raises(ValidationFailed, match="cấp dưới") as caught:
        unit_save(unit=commune, actor=None)

    assert caught.value.params["field"] == "parent"
    assert Unit.objects.get(pk=commune.pk).parent_id is None


def test_officer_create_makes_the_login_the_officer_and_roles() -> None:
    unit = UnitFactory()

    officer = officer_create(
        actor=None,
        unit=unit,
        username="canbo.moi",
        full_name="Lê Thị Thử",
        roles=[Role.COUNTER_OFFICER, "specialist"],
        password="mot-mat-khau-dai",
    )

    assert officer.user.check_password("mot-mat-khau-dai")
    assert officer.user.is_officer
    assert officer.role_set() == {"counter_officer", "specialist"}
    assert AuditEvent.objects.filter(action="officer.create").count() == 1
    with pytest.raises(ValidationFailed):
        officer_create(actor=None, unit=unit, username="canbo.moi", full_name="Trùng Tên")


def test_officer_set_roles_replaces_the_set_and_audits_changes_only() -> None:
    officer = OfficerFactory(roles=[Role.SPECIALIST, Role.HEAD])

    officer_set_roles(officer=officer, roles=[Role.HEAD, Role.LEADER], actor=None)
    officer_set_roles(officer=officer, roles=[Role.LEADER, Role.HEAD], actor=None)

    assert set(officer.roles.values_list("role", flat=True)) == {"head", "leader"}
    assert officer.role_set() == {"head", "leader"}
    [event] = AuditEvent.objects.filter(action="officer.roles_update")
    assert event.data == {"before": ["head", "specialist"], "after": ["head", "leader"]}

"""Permissions beyond the matrix: special users, object rules, scopes, targets, messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts.constants import Role
from motcua.accounts.models import Unit
from motcua.accounts.permissions import (
    ACTION_LABELS,
    ACTION_ROLES,
    Action,
    can,
    ensure_can,
    units_in_scope,
)
from motcua.accounts.tests.factories import (
    CitizenFactory,
    OfficerFactory,
    UnitFactory,
    UserFactory,
)
from motcua.core.exceptions import PermissionDenied

pytestmark = pytest.mark.django_db

ALL_ROLES = list(Role)
REQUIRED_ACTIONS = {
    "unit.view",
    "unit.manage",
    "officer.view",
    "officer.manage",
    "calendar.manage",
    "catalog.view",
    "catalog.manage",
    "dossier.view",
    "dossier.receive",
    "dossier.process",
    "dossier.assign",
    "dossier.sign_result",
    "dossier.return_result",
    "apology.sign",
    "explanation.record",
    "report.view",
    "inspection.manage",
    "evaluation.self_assess",
    "evaluation.review",
    "evaluation.decide",
    "evaluation.manage_scheme",
    "evaluation.view_all",
    "announcement.publish",
    "audit.view",
    "letter.manage",
}


@pytest.fixture
def tree() -> dict[str, Unit]:
    province = UnitFactory(province=True)
    own = UnitFactory(parent=province)
    return {
        "parent": province,
        "own": own,
        "sibling": UnitFactory(parent=province),
        "below": UnitFactory(department=True, parent=own),
    }


@dataclass
class Step:
    """Stands in for a later app's object: a dossier step with an assignee."""

    unit: Unit
    assignee_id: int | None

    def get_assignee_user_id(self) -> int | None:
        return self.assignee_id


@dataclass
class Wrapped:
    """An object that names its unit through ``get_permission_unit``."""

    target: Unit

    def get_permission_unit(self) -> Unit:
        return self.target


def test_every_required_action_exists_with_a_label_and_roles() -> None:
    assert {str(action) for action in Action} >= REQUIRED_ACTIONS
    for action in Action:
        assert action in ACTION_ROLES
        assert str(ACTION_LABELS[action])


def test_a_superuser_may_do_everything_everywhere(tree: dict[str, Unit]) -> None:
    user = UserFactory(superuser=True)

    for action in Action:
        for unit in tree.values():
            assert can(user, action, unit)
    assert units_in_scope(user, Action.UNIT_MANAGE).count() == Unit.objects.count()


def test_an_inactive_superuser_may_do_nothing(tree: dict[str, Unit]) -> None:
    user = UserFactory(superuser=True, inactive=True)

    assert not can(user, Action.UNIT_VIEW, tree["own"])


@pytest.mark.parametrize(
    "who",
    ["citizen", "citizen_with_officer_row", "inactive", "no_role", "expired_unit", "anonymous"],
)
def test_users_who_may_do_nothing(tree: dict[str, Unit], who: str) -> None:
    if who == "citizen":
        user: Any = CitizenFactory().user
    elif who == "citizen_with_officer_row":
        user = OfficerFactory(unit=tree["own"], user__citizen=True, roles=ALL_ROLES).user
    elif who == "inactive":
        user = OfficerFactory(unit=tree["own"], user__inactive=True, roles=ALL_ROLES).user
    elif who == "no_role":
        user = OfficerFactory(unit=tree["own"], roles=[]).user
    elif who == "expired_unit":
        ended = UnitFactory(parent=tree["parent"], expired=True)
        UnitFactory(department=True, parent=ended)
        user = OfficerFactory(unit=ended, roles=ALL_ROLES).user
    else:
        user = AnonymousUser()

    for action in Action:
        for unit in tree.values():
            assert not can(user, action, unit)
        assert not units_in_scope(user, action).exists()


def test_an_officer_whose_unit_has_ended_cannot_act_even_in_it(tree: dict[str, Unit]) -> None:
    ended = UnitFactory(parent=tree["parent"], expired=True)
    officer = OfficerFactory(unit=ended, roles=ALL_ROLES)

    assert not can(officer.user, Action.UNIT_VIEW, ended)
    # The same roles in a unit in force do work.
    officer.unit = tree["own"]
    assert can(officer.user, Action.UNIT_VIEW, tree["own"])


def test_a_specialist_processes_only_steps_assigned_to_them(tree: dict[str, Unit]) -> None:
    specialist = OfficerFactory(unit=tree["own"], specialist=True)
    colleague = OfficerFactory(unit=tree["own"], specialist=True)
    head = OfficerFactory(unit=tree["own"], head=True)

    mine = Step(unit=tree["own"], assignee_id=specialist.user_id)
    theirs = Step(unit=tree["own"], assignee_id=colleague.user_id)

    assert can(specialist.user, Action.DOSSIER_PROCESS, mine)
    assert not can(specialist.user, Action.DOSSIER_PROCESS, theirs)
    assert can(specialist.user, Action.DOSSIER_VIEW, theirs)  # seeing is not bound
    # The head is not bound for processing, but explains only their own delays.
    assert can(head.user, Action.DOSSIER_PROCESS, theirs)
    assert not can(head.user, Action.EXPLANATION_RECORD, theirs)
    assert can(colleague.user, Action.EXPLANATION_RECORD, theirs)


def test_everyone_self_assesses_only_their_own_sheet(tree: dict[str, Unit]) -> None:
    leader = OfficerFactory(unit=tree["own"], leader=True)
    other = OfficerFactory(unit=tree["below"], specialist=True)

    assert can(leader.user, Action.EVALUATION_SELF_ASSESS, Step(tree["own"], leader.user_id))
    assert not can(leader.user, Action.EVALUATION_SELF_ASSESS, Step(tree["below"], other.user_id))
    assert can(leader.user, Action.EVALUATION_REVIEW, Step(tree["below"], other.user_id))


def test_city_bodies_work_for_the_whole_administrative_unit(tree: dict[str, Unit]) -> None:
    """An inspector in the city's inspection team reaches every commune of the city."""
    team = UnitFactory(department=True, parent=tree["parent"])
    inspector = OfficerFactory(unit=team, inspector=True)
    head = OfficerFactory(unit=team, head=True)
    other_province = UnitFactory(province=True)

    assert can(inspector.user, Action.INSPECTION_MANAGE, tree["below"])
    assert can(inspector.user, Action.INSPECTION_MANAGE, tree["parent"])
    assert not can(inspector.user, Action.INSPECTION_MANAGE, other_province)
    # A head of the same team reaches only the team.
    assert can(head.user, Action.DOSSIER_ASSIGN, team)
    assert not can(head.user, Action.DOSSIER_ASSIGN, tree["own"])


def test_a_counter_officer_acts_at_their_centre_not_at_the_ward(tree: dict[str, Unit]) -> None:
    centre = UnitFactory(service_centre=True, parent=tree["own"])
    counter = OfficerFactory(unit=centre, counter=True)

    assert can(counter.user, Action.DOSSIER_RECEIVE, centre)
    assert not can(counter.user, Action.DOSSIER_RECEIVE, tree["own"])


def test_units_in_scope_lists_exactly_the_reachable_units(tree: dict[str, Unit]) -> None:
    deeper = UnitFactory(department=True, parent=tree["below"])
    counter = OfficerFactory(unit=tree["own"], roles=[Role.COUNTER_OFFICER])
    head = OfficerFactory(unit=tree["own"], roles=[Role.HEAD])
    both = OfficerFactory(unit=tree["below"], roles=[Role.COUNTER_OFFICER, Role.ADMINISTRATOR])

    def pks(user: Any, action: Action) -> set[int]:
        return set(units_in_scope(user, action).values_list("pk", flat=True))

    assert pks(counter.user, Action.DOSSIER_RECEIVE) == {tree["own"].pk}
    assert pks(counter.user, Action.DOSSIER_ASSIGN) == set()
    assert pks(head.user, Action.DOSSIER_ASSIGN) == {tree["own"].pk, tree["below"].pk, deeper.pk}
    # An administrator in a department works for the commune above it.
    assert pks(both.user, Action.UNIT_MANAGE) == {tree["own"].pk, tree["below"].pk, deeper.pk}
    assert pks(both.user, Action.DOSSIER_RECEIVE) == {tree["below"].pk}


def test_targets_may_name_their_unit_in_three_ways(tree: dict[str, Unit]) -> None:
    head = OfficerFactory(unit=tree["own"], head=True)

    assert can(head.user, "dossier.assign", tree["below"])
    assert can(head.user, Action.DOSSIER_ASSIGN, Step(unit=tree["below"], assignee_id=None))
    assert can(head.user, Action.DOSSIER_ASSIGN, Wrapped(tree["below"]))
    assert not can(head.user, Action.DOSSIER_ASSIGN, Wrapped(tree["sibling"]))
    assert not can(head.user, Action.DOSSIER_ASSIGN, None)
    with pytest.raises(TypeError):
        can(head.user, Action.DOSSIER_ASSIGN, object())
    with pytest.raises(ValueError):
        can(head.user, "dossier.fly", tree["own"])


def test_ensure_can_refuses_in_vietnamese(tree: dict[str, Unit]) -> None:
    counter = OfficerFactory(unit=tree["own"], counter=True)

    ensure_can(counter.user, Action.DOSSIER_RECEIVE, tree["own"])
    with pytest.raises(PermissionDenied) as caught:
        ensure_can(counter.user, Action.DOSSIER_SIGN_RESULT, tree["own"])

    assert caught.value.code == "permission_denied"
    assert caught.value.http_status == 403
    assert str(caught.value) == (
        f"Bạn không có quyền ký kết quả giải quyết tại {tree['own'].name}."
    )


def test_a_check_on_a_fresh_user_costs_at_most_two_queries(
    tree: dict[str, Unit], django_assert_max_num_queries: Any
) -> None:
    """Officer with unit, then roles; the administrative root is cached on the officer."""
    team = UnitFactory(department=True, parent=tree["parent"])
    officer = OfficerFactory(unit=team, inspector=True)
    user = type(officer.user).objects.select_related("officer__unit").get(pk=officer.user_id)

    with django_assert_max_num_queries(2):
        assert can(user, Action.INSPECTION_MANAGE, tree["own"])
    with django_assert_max_num_queries(0):
        assert can(user, Action.INSPECTION_MANAGE, tree["below"])

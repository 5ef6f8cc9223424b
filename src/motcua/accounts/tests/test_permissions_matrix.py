"""Every role × every action × {own unit, a unit below, a sibling unit, the parent unit}.

The expected answers are written out here, independently of
``motcua.accounts.permissions.ACTION_ROLES``: change one only together with
the other, on purpose.

The tree: a province P with two communes, A (the officer's own unit) and B
(the sibling); a department D below A. The officer holds one role at A.
Targets are units, so object rules (assignee) do not apply here; they are
tested in ``test_permissions.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from motcua.accounts.permissions import Action, can
from motcua.accounts.tests.factories import OfficerFactory, UnitFactory

ROLES = (
    "counter_officer",
    "specialist",
    "head",
    "leader",
    "inspector",
    "evaluator",
    "administrator",
)
POSITIONS = ("own", "below", "sibling", "parent")

# One cell per role, in the order of ROLES; each cell answers for the
# positions in the order of POSITIONS: Y = allowed, - = refused.
# Counter officers and specialists act in their own unit only; the other
# roles over their unit and everything below it; no role reaches a sibling
# or the unit above.
#                              counter specialist head    leader  inspect evaluat admin
EXPECTED: dict[str, tuple[str, ...]] = {
    "unit.view":                ("Y---", "Y---", "YY--", "YY--", "YY--", "YY--", "YY--"),
    "unit.manage":              ("----", "----", "----", "----", "----", "----", "YY--"),
    "officer.view":             ("----", "----", "YY--", "YY--", "YY--", "YY--", "YY--"),
    "officer.manage":           ("----", "----", "----", "----", "----", "----", "YY--"),
    "calendar.manage":          ("----", "----", "----", "----", "----", "----", "YY--"),
    "catalog.view":             ("Y---", "Y---", "YY--", "YY--", "YY--", "YY--", "YY--"),
    "catalog.manage":           ("----", "----", "----", "----", "----", "----", "YY--"),
    "dossier.view":             ("Y---", "Y---", "YY--", "YY--", "YY--", "----", "----"),
    "dossier.receive":          ("Y---", "----", "----", "----", "----", "----", "----"),
    "dossier.process":          ("----", "Y---", "YY--", "----", "----", "----", "----"),
    "dossier.assign":           ("----", "----", "YY--", "----", "----", "----", "----"),
    "dossier.sign_result":      ("----", "----", "----", "YY--", "----", "----", "----"),
    "dossier.return_result":    ("Y---", "----", "----", "----", "----", "----", "----"),
    "apology.sign":             ("----", "----", "YY--", "YY--", "----", "----", "----"),
    "explanation.record":       ("Y---", "Y---", "YY--", "YY--", "----", "----", "----"),
    "report.view":              ("----", "----", "YY--", "YY--", "YY--", "YY--", "----"),
    "inspection.manage":        ("----", "----", "----", "----", "YY--", "----", "----"),
    "evaluation.self_assess":   ("Y---", "Y---", "YY--", "YY--", "YY--", "YY--", "YY--"),
    "evaluation.review":        ("----", "----", "YY--", "YY--", "----", "----", "----"),
    "evaluation.decide":        ("----", "----", "YY--", "YY--", "----", "----", "----"),
    "evaluation.manage_scheme": ("----", "----", "----", "----", "----", "YY--", "----"),
    "evaluation.view_all":      ("----", "----", "----", "YY--", "----", "YY--", "----"),
    "announcement.publish":     ("----", "----", "----", "YY--", "----", "YY--", "----"),
    "audit.view":               ("----", "----", "----", "----", "YY--", "----", "YY--"),
    "letter.manage":            ("----", "----", "----", "----", "----", "----", "YY--"),
    "feedback.view":            ("Y---", "Y---", "YY--", "YY--", "YY--", "----", "----"),
    "feedback.handle":          ("Y---", "Y---", "YY--", "YY--", "----", "----", "----"),
    "feedback.publish":         ("----", "----", "YY--", "YY--", "----", "----", "----"),
    "portal.publish":           ("----", "----", "YY--", "YY--", "----", "----", "YY--"),
}  # fmt: skip

CASES = [
    pytest.param(action, role, position, cells[r][p] == "Y", id=f"{action}-{role}-{position}")
    for action, cells in EXPECTED.items()
    for r, role in enumerate(ROLES)
    for p, position in enumerate(POSITIONS)
]


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The tree and one officer per role, built once for the module and rolled back after.

    perf: building them per test made the 673 tests take 16 s; once, ~3 s.
    """
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
        try:
            province = UnitFactory(province=True)
            own = UnitFactory(parent=province)
            world: dict[str, Any] = {
                "parent": province,
                "own": own,
                "sibling": UnitFactory(parent=province),
                "below": UnitFactory(department=True, parent=own),
            }
            for role in ROLES:
                world[role] = OfficerFactory(unit=own, roles=[role])
            yield world
        finally:
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


def test_the_table_covers_every_action_and_nothing_else() -> None:
    assert set(EXPECTED) == {str(action) for action in Action}


@pytest.mark.parametrize(("action", "role", "position", "allowed"), CASES)
def test_matrix(
    world: dict[str, Any],
    action: str,
    role: str,
    position: str,
    allowed: bool,
    django_assert_num_queries: Any,
) -> None:
    officer = world[role]

    # Loaded objects: the check itself needs no query.
    with django_assert_num_queries(0):
        assert can(officer.user, action, world[position]) is allowed

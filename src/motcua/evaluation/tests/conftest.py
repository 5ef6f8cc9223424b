"""The test ward of ``dossiers/tests/conftest.py`` with supervisors and an evaluator."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps as django_apps

from motcua.accounts.constants import Role
from motcua.accounts.models import Officer
from motcua.accounts.tests.factories import OfficerFactory
from motcua.dossiers.tests.conftest import Ward, build_ward
from motcua.evaluation.models import Scheme


@dataclass
class Office:
    """The ward's office: two specialists under their head, the leader above, Nội vụ."""

    ward: Ward
    evaluator: Officer

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ward, name)


def ensure_schemes() -> None:
    """The two schemes the data migration seeds (a live-server test's flush removes them)."""
    seeding = importlib.import_module("motcua.evaluation.migrations.0002_seed_schemes")
    seeding.seed(django_apps, None)


def build_office() -> Office:
    ensure_schemes()
    ward = build_ward()
    ward.head.supervisor = ward.leader
    ward.head.save()
    for specialist in (ward.specialist, ward.specialist2):
        specialist.supervisor = ward.head
        specialist.save()
    evaluator = OfficerFactory(
        unit=ward.ward, roles=[Role.EVALUATOR], user__full_name="Ngô Thị Hạnh"
    )
    return Office(ward=ward, evaluator=evaluator)


@pytest.fixture
def office(db: None) -> Office:
    return build_office()


def scores(scheme: Scheme, total: int) -> dict[str, str]:
    """Points that add up to ``total``: every line full, then taken off from the largest."""
    criteria = sorted(scheme.criteria.all(), key=lambda item: -item.max_points)
    result = {item.code: item.max_points for item in criteria}
    excess = sum(result.values()) - Decimal(total)
    for item in criteria:
        take = min(excess, result[item.code])
        result[item.code] -= take
        excess -= take
    return {code: str(value) for code, value in result.items()}

"""A unit's accountability setting, edited in the Django admin, is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import AuditEvent
from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.constants import GateMode
from motcua.dossiers.models import UnitAccountabilitySetting
from motcua.dossiers.tests.conftest import Ward, build_ward

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(db: None) -> Ward:
    return build_ward()


def test_an_administrator_relaxes_a_units_gate_to_warn_and_it_is_audited(ward: Ward) -> None:
    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(
        "/can-bo/quan-tri/dossiers/unitaccountabilitysetting/add/",
        {"unit": ward.ward.pk, "gate_mode": GateMode.WARN, "due_soon_working_days": "2"},
    )
    assert response.status_code == 302, response.content[:2000]
    setting = UnitAccountabilitySetting.objects.get(unit=ward.ward)
    assert setting.gate_mode == GateMode.WARN and setting.due_soon_working_days == 2
    assert AuditEvent.objects.filter(action="dossiers.accountability_setting.save").exists()

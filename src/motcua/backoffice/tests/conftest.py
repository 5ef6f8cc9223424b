"""People for the staff-area tests, built directly on the accounts models."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from motcua.accounts.constants import Role, UnitKind, UserKind
from motcua.accounts.models import Officer, OfficerRole, Unit, User
from motcua.accounts.services import unit_refresh_path

PASSWORD = "Mat-khau-rat-dai-2025"


@pytest.fixture
def unit(db: None) -> Unit:
    unit = Unit.objects.create(code="00145", name="Phường Long Biên", kind=UnitKind.COMMUNE)
    unit_refresh_path(unit=unit)
    return unit


@pytest.fixture
def make_officer(unit: Unit) -> Callable[..., User]:
    """Build an officer of ``unit`` with ``roles``; extra keywords go to the user."""

    def make(username: str = "lan.nt", *, roles: tuple[Role, ...] = (), **fields: Any) -> User:
        fields.setdefault("full_name", "Nguyễn Thị Lan")
        user = User.objects.create_user(username, PASSWORD, kind=UserKind.OFFICER, **fields)
        officer = Officer.objects.create(user=user, unit=unit)
        for role in roles:
            OfficerRole.objects.create(officer=officer, role=role)
        return user

    return make


@pytest.fixture
def officer(make_officer: Callable[..., User]) -> User:
    return make_officer(roles=(Role.COUNTER_OFFICER,))


@pytest.fixture
def citizen(db: None) -> User:
    return User.objects.create_user(
        "cong.dan", PASSWORD, kind=UserKind.CITIZEN, full_name="Trần Văn Bình"
    )

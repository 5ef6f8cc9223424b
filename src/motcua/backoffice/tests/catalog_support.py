"""Shared helpers of the catalog screen tests: sample data and signed-in officers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

from motcua.accounts.models import Officer, User
from motcua.accounts.tests.factories import OfficerFactory
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import procedure_version_in_force
from motcua.catalog.services import catalog_import

SAMPLE = Path(__file__).resolve().parents[2] / "catalog" / "tests" / "data" / "dvcqg_sample.jsonl"
# Đăng ký thường trú: 7 working days in person, 20.000 đ; a clean record.
RESIDENCE = "1.004222"
# Đăng ký khai sinh: flagged for review by the import.
BIRTH = "1.001193"


def load_sample() -> None:
    """The eight procedures of the national portal sample, each with a published version."""
    report = catalog_import(path=SAMPLE)
    assert report.rejected == 0, report.rejections


def signed_in(client: Client, officer: Officer | User) -> Client:
    user = officer.user if isinstance(officer, Officer) else officer
    client.force_login(user)
    return client


def administrator(**kwargs: Any) -> Officer:
    return OfficerFactory(administrator=True, **kwargs)


def in_force(code: str) -> ProcedureVersion | None:
    return procedure_version_in_force(procedure=Procedure.objects.get(code=code))


def formset_data(prefix: str, rows: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """POST data of a formset: the management form and every row's fields."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(len(rows)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "60",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            if value is False or value is None:
                continue
            data[f"{prefix}-{index}-{name}"] = "on" if value is True else str(value)
    data.update(extra)
    return data

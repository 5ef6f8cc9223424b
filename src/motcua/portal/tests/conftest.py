"""The catalog test slice listed at one ward, for the public procedure pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from motcua.accounts.models import Unit
from motcua.accounts.tests.factories import UnitFactory
from motcua.catalog.models import Procedure, ProcedureUnit
from motcua.catalog.services import catalog_import

SAMPLE = Path(__file__).resolve().parents[2] / "catalog" / "tests" / "data" / "dvcqg_sample.jsonl"


@dataclass(frozen=True)
class Listing:
    ward: Unit
    other_ward: Unit


def load_listing() -> Listing:
    """Import the 8-procedure slice; Phường Long Biên lists all, another ward two of them."""
    report = catalog_import(path=SAMPLE)
    assert report.rejected == 0
    ward = UnitFactory(
        code="00145",
        name="Phường Long Biên",
        address="Số 1 phố Thử Nghiệm, phường Long Biên, Hà Nội",
        phone="024 3827 0000",
    )
    other = UnitFactory(code="00367", name="Phường Thanh Xuân")
    ProcedureUnit.objects.bulk_create(
        [ProcedureUnit(procedure=procedure, unit=ward) for procedure in Procedure.objects.all()]
        + [
            ProcedureUnit(procedure=procedure, unit=other)
            for procedure in Procedure.objects.filter(code__in=["1.004222", "1.001193"])
        ]
    )
    return Listing(ward=ward, other_ward=other)


@pytest.fixture
def listing(db: None) -> Listing:
    return load_listing()

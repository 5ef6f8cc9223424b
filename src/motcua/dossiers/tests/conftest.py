"""A small ward to run dossiers through: Phường Long Biên with its centre, office and people.

The procedure is the real 1.004222 (Đăng ký thường trú, 7 working days, in
person 20,000 VND) from the catalog's test slice, with its default internal
process: receipt (counter) → processing (specialist) → leader signs → return.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from motcua.accounts.constants import Role, UnitKind
from motcua.accounts.models import Officer, Unit
from motcua.accounts.tests.factories import OfficerFactory, UnitFactory
from motcua.catalog.models import Procedure, ProcedureUnit, ProcedureVersion
from motcua.catalog.selectors import procedure_version_in_force
from motcua.catalog.services import catalog_import
from motcua.dossiers.services import Applicant, ReceivedDocument
from motcua.workcalendar.engine import TZ

SAMPLE = Path(__file__).resolve().parents[2] / "catalog" / "tests" / "data" / "dvcqg_sample.jsonl"
RESIDENCE = "1.004222"
AGENCY_CODE = "000.01.45.H26"


@dataclass
class Ward:
    """The people and bodies of the test ward."""

    city: Unit
    ward: Unit
    centre: Unit
    office: Unit
    other_ward: Unit
    other_centre: Unit
    counter: Officer
    counter2: Officer
    specialist: Officer
    specialist2: Officer
    head: Officer
    leader: Officer
    other_counter: Officer
    procedure: Procedure

    @property
    def version(self) -> ProcedureVersion:
        version = procedure_version_in_force(procedure=self.procedure)
        assert version is not None
        return version


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def build_ward() -> Ward:
    city = UnitFactory(
        code="01", name="Thành phố Hà Nội", kind=UnitKind.PROVINCE, admin_type="Thành phố"
    )
    ward = UnitFactory(
        code="00145", name="Phường Long Biên", parent=city, valid_from=dt.date(2025, 7, 1)
    )
    centre = UnitFactory(
        code="00145-TTPVHCC",
        name="Trung tâm Phục vụ hành chính công phường Long Biên",
        kind=UnitKind.SERVICE_CENTRE,
        parent=ward,
        agency_code=AGENCY_CODE,
    )
    office = UnitFactory(
        code="00145-VP",
        name="Văn phòng HĐND và UBND phường Long Biên",
        kind=UnitKind.DEPARTMENT,
        parent=ward,
    )
    other_ward = UnitFactory(
        code="00367", name="Phường Thanh Xuân", parent=city, valid_from=dt.date(2025, 7, 1)
    )
    other_centre = UnitFactory(
        code="00367-TTPVHCC",
        name="Trung tâm Phục vụ hành chính công phường Thanh Xuân",
        kind=UnitKind.SERVICE_CENTRE,
        parent=other_ward,
        agency_code="000.03.67.H26",
    )
    report = catalog_import(path=SAMPLE)
    assert report.rejected == 0
    # Published "today" by the import; tests travel back to 2025–2026 dates.
    ProcedureVersion.objects.update(effective_from=dt.date(2025, 1, 1))
    procedure = Procedure.objects.get(code=RESIDENCE)
    ProcedureUnit.objects.create(procedure=procedure, unit=ward)
    ProcedureUnit.objects.create(procedure=procedure, unit=other_ward)
    return Ward(
        city=city,
        ward=ward,
        centre=centre,
        office=office,
        other_ward=other_ward,
        other_centre=other_centre,
        counter=OfficerFactory(
            unit=centre, roles=[Role.COUNTER_OFFICER], user__full_name="Nguyễn Thị Lan"
        ),
        counter2=OfficerFactory(
            unit=centre, roles=[Role.COUNTER_OFFICER], user__full_name="Trần Văn Hùng"
        ),
        specialist=OfficerFactory(
            unit=office, roles=[Role.SPECIALIST], user__full_name="Lê Minh Tuấn"
        ),
        specialist2=OfficerFactory(
            unit=office, roles=[Role.SPECIALIST], user__full_name="Phạm Thu Hà"
        ),
        head=OfficerFactory(unit=office, roles=[Role.HEAD], user__full_name="Đỗ Văn Nam"),
        leader=OfficerFactory(unit=ward, roles=[Role.LEADER], user__full_name="Vũ Quốc Khánh"),
        other_counter=OfficerFactory(
            unit=other_centre, roles=[Role.COUNTER_OFFICER], user__full_name="Hoàng Anh Thư"
        ),
        procedure=procedure,
    )


@pytest.fixture
def ward(db: None) -> Ward:
    return build_ward()


def complete_documents(version: ProcedureVersion) -> list[ReceivedDocument]:
    """One original of every required component."""
    return [
        ReceivedDocument(required_document_id=document.pk, originals=1)
        for document in version.documents.filter(required=True)
    ]


APPLICANT = Applicant(
    name="Nguyễn Văn Bình",
    id_number="001090012345",
    phone="0912345678",
    email="binh@example.vn",
    address="Số 5 ngõ 12 Nguyễn Văn Cừ, phường Long Biên, Hà Nội",
)

"""What an intake reads before it writes (selectors.intake_subjects), read together,
and the API's receipt built on it (services.dossier_receive_named).

The unit comes with its chain and the procedure with its published versions,
their components, methods and process steps, so that the intake reads none
of them again; what is kept must be exactly what the usual reads give. A
replay is answered by the first dossier; what cannot be received says why.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.selectors import unit_ancestors
from motcua.catalog.constants import Channel, VersionStatus
from motcua.catalog.models import ProcedureVersion, RequiredDocument
from motcua.catalog.selectors import procedure_version_in_force, version_period
from motcua.catalog.services import procedure_version_prepare, procedure_version_set_documents
from motcua.core.exceptions import ValidationFailed
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import intake_subjects
from motcua.dossiers.services import dossier_receive, dossier_receive_named
from motcua.dossiers.tests.conftest import APPLICANT, RESIDENCE, Ward, complete_documents

pytestmark = pytest.mark.django_db


def test_the_unit_comes_with_its_chain_and_the_procedure_with_its_versions(ward: Ward) -> None:
    subjects = intake_subjects(
        unit_id=ward.centre.pk, procedure_code=RESIDENCE, idempotency_key=None
    )
    assert subjects.unit == ward.centre
    assert subjects.procedure == ward.procedure
    assert subjects.existing is None
    expected = procedure_version_in_force(procedure=ward.procedure, on=dt.date(2026, 3, 2))
    assert expected is not None

    with CaptureQueriesContext(connection) as queries:
        chain = unit_ancestors(unit=subjects.unit)
        version = procedure_version_in_force(procedure=subjects.procedure, on=dt.date(2026, 3, 2))
        assert version is not None
        documents = list(version.documents.all())
        methods = list(version.methods.all())
        steps = list(version.process_steps.all())
        period = version_period(version=version, channel=Channel.IN_PERSON)

    # SQLite reads the chain when first asked; nothing else is read again.
    assert len(queries) == (0 if connection.vendor == "postgresql" else 1)
    assert chain == [ward.city, ward.ward]
    assert version == expected
    assert version.procedure is subjects.procedure
    assert documents == list(expected.documents.all())
    assert methods == list(expected.methods.all())
    assert steps == list(expected.process_steps.all())
    assert period == version_period(version=expected, channel=Channel.IN_PERSON)


def test_a_drafts_rows_are_not_mixed_into_the_version_in_force(ward: Ward) -> None:
    draft = procedure_version_prepare(procedure=ward.procedure, actor=None)
    procedure_version_set_documents(
        version=draft, actor=None, documents=[{"name": "Giấy tờ chỉ có trong bản dự thảo"}]
    )

    subjects = intake_subjects(
        unit_id=ward.centre.pk, procedure_code=RESIDENCE, idempotency_key=None
    )

    assert subjects.procedure is not None
    kept = subjects.procedure.__dict__["_published_versions"]
    assert draft.pk not in {version.pk for version in kept}
    assert all(version.status != VersionStatus.DRAFT for version in kept)
    names = {document.name for version in kept for document in version.documents.all()}
    assert "Giấy tờ chỉ có trong bản dự thảo" not in names


def test_each_version_keeps_only_its_own_components(ward: Ward) -> None:
    old = ProcedureVersion.objects.filter(procedure=ward.procedure).get()
    newer = procedure_version_prepare(procedure=ward.procedure, actor=None)
    procedure_version_set_documents(
        version=newer, actor=None, documents=[{"name": "Thành phần của phiên bản mới"}]
    )
    # Published directly: the publishing rules are not what is tested here.
    ProcedureVersion.objects.filter(pk=newer.pk).update(
        status=VersionStatus.PUBLISHED, effective_from=dt.date(2026, 6, 1)
    )

    subjects = intake_subjects(
        unit_id=ward.centre.pk, procedure_code=RESIDENCE, idempotency_key=None
    )

    assert subjects.procedure is not None
    before = procedure_version_in_force(procedure=subjects.procedure, on=dt.date(2026, 3, 2))
    after = procedure_version_in_force(procedure=subjects.procedure, on=dt.date(2026, 7, 1))
    assert before is not None and after is not None
    assert (before.pk, after.pk) == (old.pk, newer.pk)
    assert list(before.documents.all()) == list(old.documents.all())
    assert [document.name for document in after.documents.all()] == [
        "Thành phần của phiên bản mới"
    ]


def test_rows_of_a_version_published_between_two_statements_are_left_out(ward: Ward) -> None:
    from motcua.catalog.selectors import procedure_from_intake_reads, procedure_intake_reads

    found = [query.run(*arguments) for query, arguments in procedure_intake_reads(RESIDENCE)]
    stranger = RequiredDocument(pk=10**6, version_id=10**6, position=1, name="Của bản khác")
    found[1] = [*found[1], stranger]

    procedure = procedure_from_intake_reads(found)

    assert procedure is not None
    version = procedure_version_in_force(procedure=procedure, on=dt.date(2026, 3, 2))
    assert version is not None
    assert stranger not in list(version.documents.all())
    assert len(version.documents.all()) == len(found[1]) - 1


def test_missing_unit_or_procedure_and_a_procedure_without_versions_are_none(
    ward: Ward,
) -> None:
    missing = intake_subjects(unit_id=10**9, procedure_code="9.999999", idempotency_key=None)
    assert (missing.unit, missing.procedure, missing.existing) == (None, None, None)

    ProcedureVersion.objects.filter(procedure=ward.procedure).update(status=VersionStatus.DRAFT)
    # The usual path then says why (no version in force).
    drafts_only = intake_subjects(
        unit_id=ward.centre.pk, procedure_code=RESIDENCE, idempotency_key=None
    )
    assert drafts_only.procedure is None


def test_the_dossier_of_an_idempotency_key_comes_back(ward: Ward) -> None:
    version = procedure_version_in_force(procedure=ward.procedure)
    assert version is not None
    dossier = dossier_receive(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(version),
        idempotency_key="api:receive:u1:khoa-chong-gui-trung-01",
    )

    subjects = intake_subjects(
        unit_id=ward.centre.pk,
        procedure_code=RESIDENCE,
        idempotency_key="api:receive:u1:khoa-chong-gui-trung-01",
    )
    other = intake_subjects(
        unit_id=ward.centre.pk,
        procedure_code=RESIDENCE,
        idempotency_key="api:receive:u1:khoa-khac-0000000001",
    )

    assert subjects.existing == dossier
    assert other.existing is None


def _receive_named(ward: Ward, key: str | None = None) -> Dossier:
    version = procedure_version_in_force(procedure=ward.procedure)
    assert version is not None
    return dossier_receive_named(
        actor=ward.counter.user,
        unit_id=ward.centre.pk,
        procedure_code=RESIDENCE,
        applicant=APPLICANT,
        documents=complete_documents(version),
        idempotency_key=key,
    )


def test_a_replay_returns_the_first_dossier_even_when_the_rules_changed_since(
    ward: Ward,
) -> None:
    first = _receive_named(ward, key="api:receive:u1:khoa-chong-gui-trung-02")
    assert first.code and first.steps.count() == 1
    # The version the first request was received under is no longer in force: a
    # replay is the same request, answered by what it made, not judged again.
    documents = complete_documents(first.procedure_version)
    ProcedureVersion.objects.filter(procedure=ward.procedure).update(status=VersionStatus.DRAFT)

    again = dossier_receive_named(
        actor=ward.counter.user,
        unit_id=ward.centre.pk,
        procedure_code=RESIDENCE,
        applicant=APPLICANT,
        documents=documents,
        idempotency_key="api:receive:u1:khoa-chong-gui-trung-02",
    )

    assert again == first
    assert Dossier.objects.count() == 1


def test_a_named_unit_or_procedure_that_cannot_receive_is_a_clear_error(ward: Ward) -> None:
    version = procedure_version_in_force(procedure=ward.procedure)
    assert version is not None
    documents = complete_documents(version)

    def receive(unit_id: int, code: str) -> ValidationFailed:
        with pytest.raises(ValidationFailed) as raised:
            dossier_receive_named(
                actor=ward.counter.user,
                unit_id=unit_id,
                procedure_code=code,
                applicant=APPLICANT,
                documents=documents,
            )
        return raised.value

    unit = receive(10**9, RESIDENCE)
    procedure = receive(ward.centre.pk, "9.999999")
    ProcedureVersion.objects.filter(procedure=ward.procedure).update(status=VersionStatus.DRAFT)
    no_version = receive(ward.centre.pk, RESIDENCE)

    assert (unit.params["field"], str(unit.message)) == (
        "unit",
        "Không có đơn vị với mã 1000000000.",
    )
    assert procedure.params["field"] == "procedure"
    assert "9.999999" in str(procedure.message)
    assert no_version.params["field"] == "procedure"
    assert "không có phiên bản đang có hiệu lực" in str(no_version.message)
    assert not Dossier.objects.exists()

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
from motcua.letters.models import LetterTemplate
from motcua.notifications.models import Notification, WebhookSubscription

pytestmark = pytest.mark.django_db


def test_the_unit_comes_with_its_chain_and_the_procedure_with_its_versions(ward: Ward) -> None:
    subjects = intake_subjects(unit_id=ward.centre.pk, procedure_code=RESIDENCE)
    assert subjects.unit == ward.centre
    assert subjects.procedure == ward.procedure
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

    subjects = intake_subjects(unit_id=ward.centre.pk, procedure_code=RESIDENCE)

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

    subjects = intake_subjects(unit_id=ward.centre.pk, procedure_code=RESIDENCE)

    assert subjects.procedure is not None
    before = procedure_version_in_force(procedure=subjects.procedure, on=dt.date(2026, 3, 2))
    after = procedure_version_in_force(procedure=subjects.procedure, on=dt.date(2026, 7, 1))
    assert before is not None and after is not None
    assert (before.pk, after.pk) == (old.pk, newer.pk)
    assert list(before.documents.all()) == list(old.documents.all())
    assert [document.name for document in after.documents.all()] == [
        "Thành phần của phiên bản mới"
    ]


def test_rows_of_a_version_not_among_those_read_are_left_out(ward: Ward) -> None:
    from motcua.catalog.selectors import procedure_from_intake_reads, procedure_intake_reads

    old = ProcedureVersion.objects.filter(procedure=ward.procedure).get()
    (read,) = [query.run(*arguments) for query, arguments in procedure_intake_reads(RESIDENCE)]
    # Published after the versions were read, before their rows are.
    newer = procedure_version_prepare(procedure=ward.procedure, actor=None)
    procedure_version_set_documents(
        version=newer, actor=None, documents=[{"name": "Thành phần của phiên bản mới"}]
    )
    ProcedureVersion.objects.filter(pk=newer.pk).update(
        status=VersionStatus.PUBLISHED, effective_from=dt.date(2026, 6, 1)
    )

    procedure = procedure_from_intake_reads([read])

    assert procedure is not None
    kept = procedure.__dict__["_published_versions"]
    assert [version.pk for version in kept] == [old.pk]
    assert list(kept[0].documents.all()) == list(old.documents.all())
    # The newer version's rows come with the next intake that reads it.
    again = intake_subjects(unit_id=ward.centre.pk, procedure_code=RESIDENCE).procedure
    assert again is not None
    names = {
        version.pk: [document.name for document in version.documents.all()]
        for version in again.__dict__["_published_versions"]
    }
    assert names[newer.pk] == ["Thành phần của phiên bản mới"]


def test_a_published_versions_rows_are_read_once_and_never_shared(ward: Ward) -> None:
    first = intake_subjects(unit_id=ward.centre.pk, procedure_code=RESIDENCE).procedure
    with CaptureQueriesContext(connection) as queries:
        second = intake_subjects(unit_id=ward.centre.pk, procedure_code=RESIDENCE).procedure
    assert first is not None and second is not None

    # The unit (and on SQLite its chain) and the versions; no component, method or step.
    read = " ".join(query["sql"] for query in queries)
    assert "catalog_requireddocument" not in read
    assert "catalog_proceduremethod" not in read
    assert "catalog_processstep" not in read
    (version,) = first.__dict__["_published_versions"]
    (same,) = second.__dict__["_published_versions"]
    documents, again = list(version.documents.all()), list(same.documents.all())
    assert again == documents == list(RequiredDocument.objects.filter(version=version))
    # Fresh instances for each intake, each knowing its own version.
    assert all(a is not b for a, b in zip(documents, again, strict=True))
    assert all(document.version is same for document in again)
    documents[0].name = "Đổi trên bản của lần trước"
    assert same.documents.all()[0].name != "Đổi trên bản của lần trước"


def test_missing_unit_or_procedure_and_a_procedure_without_versions_are_none(
    ward: Ward,
) -> None:
    missing = intake_subjects(unit_id=10**9, procedure_code="9.999999")
    assert (missing.unit, missing.procedure) == (None, None)

    ProcedureVersion.objects.filter(procedure=ward.procedure).update(status=VersionStatus.DRAFT)
    # The usual path then says why (no version in force).
    drafts_only = intake_subjects(unit_id=ward.centre.pk, procedure_code=RESIDENCE)
    assert drafts_only.procedure is None


def test_a_key_is_looked_up_only_when_its_receipt_is_refused(ward: Ward) -> None:
    version = procedure_version_in_force(procedure=ward.procedure)
    assert version is not None
    key = "api:receive:u1:khoa-chong-gui-trung-01"

    with CaptureQueriesContext(connection) as first_queries:
        first = _receive_named(ward, key=key)
    with CaptureQueriesContext(connection) as replay_queries:
        again = dossier_receive(
            actor=ward.counter.user,
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=complete_documents(version),
            idempotency_key=key,
        )

    # A new key: nothing reads the dossiers by key (the unique constraint guards it).
    assert not [q for q in first_queries if 'idempotency_key" = ' in q["sql"]]
    # Its replay is refused by that constraint, then answered by the first dossier.
    assert [q for q in replay_queries if 'idempotency_key" = ' in q["sql"]]
    assert again == first
    assert Dossier.objects.count() == 1
    # The refused replay's code number went back with its transaction (R1: none skipped).
    second = _receive_named(ward, key="api:receive:u1:khoa-chong-gui-trung-03")
    assert first.code is not None and second.code is not None
    assert int(second.code.rsplit("-", 1)[1]) == int(first.code.rsplit("-", 1)[1]) + 1


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


def test_the_receipt_is_announced_from_what_was_read_before_its_writes(ward: Ward) -> None:
    hook = WebhookSubscription.objects.create(name="Sở", url="https://127.0.0.1/h", secret="s")
    letter = LetterTemplate.objects.create(
        name="Thư cảm ơn",
        kind="thanks",
        moment="received",
        title="THƯ CẢM ƠN",
        greeting="Kính gửi: Ông (bà) {ho_ten},",
        body="Cảm ơn ông (bà) đã đến làm thủ tục.",
        is_active=True,
    )
    letter.procedures.add(ward.procedure)

    with CaptureQueriesContext(connection) as queries:
        dossier = _receive_named(ward, key="api:receive:u1:khoa-chong-gui-trung-04")

    sqls = [query["sql"] for query in queries]
    first_write = next(i for i, sql in enumerate(sqls) if sql.startswith("INSERT"))
    reads = [
        i
        for i, sql in enumerate(sqls)
        if "notifications_webhooksubscription" in sql or "letters_lettertemplate" in sql
    ]
    assert len(reads) == 2 and max(reads) < first_write
    sent = Notification.objects.filter(webhook=hook).order_by("event_key")
    assert [(row.event_key, row.source.split(":letter:")[-1]) for row in sent] == [
        ("dossier.care_letter", str(letter.pk)),
        ("dossier.received", f"dossier-event:{dossier.events.get().pk}"),
    ]

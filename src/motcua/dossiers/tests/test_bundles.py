"""A bundle ("một hồ sơ – hai kết quả"): one intake, one process, one result per procedure.

LT.KS-TT, the birth registration with the permanent residence registration
(1.001193 + 1.004222), as the demo seed lists it: the dossier is received
and processed under the residence registration's internal process (the one
with the appraisal and signing steps); it is signed only with both results,
and both are returned together.
"""

from __future__ import annotations

import pytest

from motcua.catalog.models import BundleItem, Procedure, ProcedureBundle
from motcua.core.exceptions import ValidationFailed
from motcua.dossiers.constants import ReturnChannel, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ResultDocument,
    dossier_handover,
    dossier_receive,
    dossier_result_ready,
    dossier_return_result,
)
from motcua.dossiers.tests.conftest import APPLICANT, RESIDENCE, Ward, complete_documents

pytestmark = pytest.mark.django_db

BIRTH = "1.001193"


def bundle_of(*codes: str) -> ProcedureBundle:
    bundle = ProcedureBundle.objects.create(
        code="LT.KS-TT", name="Liên thông khai sinh – đăng ký thường trú"
    )
    for position, code in enumerate(codes):
        BundleItem.objects.create(
            bundle=bundle, procedure=Procedure.objects.get(code=code), position=position
        )
    return bundle


def at_the_leader(ward: Ward, bundle: ProcedureBundle) -> Dossier:
    dossier = dossier_receive(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(ward.version),
        bundle=bundle,
    )
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)
    dossier.refresh_from_db()
    return dossier


def test_a_bundle_is_signed_only_with_one_result_per_procedure(ward: Ward) -> None:
    bundle = bundle_of(BIRTH, RESIDENCE)
    dossier = at_the_leader(ward, bundle)
    birth, residence = (Procedure.objects.get(code=code) for code in (BIRTH, RESIDENCE))
    birth_result = ResultDocument(
        procedure_id=birth.pk, name="Giấy khai sinh", document_number="125/KS"
    )

    with pytest.raises(ValidationFailed) as excinfo:
        dossier_result_ready(dossier=dossier, actor=ward.leader.user, results=[birth_result])
    assert excinfo.value.params["field"] == "results"
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS

    dossier_result_ready(
        dossier=dossier,
        actor=ward.leader.user,
        results=[
            birth_result,
            ResultDocument(
                procedure_id=residence.pk,
                name="Xác nhận đăng ký thường trú",
                document_number="77/TT",
            ),
        ],
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert sorted(dossier.results.values_list("procedure__code", flat=True)) == sorted(
        [BIRTH, RESIDENCE]
    )

    dossier_return_result(
        dossier=dossier,
        actor=ward.counter.user,
        channel=ReturnChannel.COUNTER,
        recipient_name=APPLICANT.name,
        acknowledgement="Đã nhận Giấy khai sinh và xác nhận thường trú",
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED
    assert dossier.results.count() == 2


def test_a_result_for_a_procedure_outside_the_bundle_is_refused(ward: Ward) -> None:
    dossier = at_the_leader(ward, bundle_of(BIRTH, RESIDENCE))
    other = Procedure.objects.exclude(code__in=[BIRTH, RESIDENCE]).first()
    assert other is not None
    with pytest.raises(ValidationFailed):
        dossier_result_ready(
            dossier=dossier,
            actor=ward.leader.user,
            results=[
                ResultDocument(procedure_id=pk, name="Kết quả", document_number="1/X")
                for pk in Procedure.objects.filter(code__in=[BIRTH, other.code]).values_list(
                    "pk", flat=True
                )
            ],
        )

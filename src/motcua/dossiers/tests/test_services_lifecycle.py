"""The lifecycle: every transition, and every refused one, with real dates."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine

from motcua.catalog.models import RequiredDocument
from motcua.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from motcua.dossiers.constants import Action, Outcome, ReturnChannel, RuleSet, Status, StopCause
from motcua.dossiers.models import Delivery, Dossier, DossierEvent, DossierStep
from motcua.dossiers.services import (
    Applicant,
    ReceivedDocument,
    ResultDocument,
    SupplementItem,
    dossier_accept_online,
    dossier_ask_to_complete,
    dossier_assign,
    dossier_handover,
    dossier_note,
    dossier_receive,
    dossier_receive_back,
    dossier_receive_supplement,
    dossier_refuse,
    dossier_refuse_intake,
    dossier_remind,
    dossier_request_supplement,
    dossier_result_ready,
    dossier_return_result,
    dossier_send_back,
    dossier_stop,
    dossier_submit_online,
    dossier_transfer,
)
from motcua.dossiers.tests.conftest import AGENCY_CODE, APPLICANT, Ward, at, complete_documents
from motcua.dossiers.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db


def receive(ward: Ward, **kwargs: object) -> Dossier:
    return dossier_receive(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(ward.version),
        **kwargs,  # type: ignore[arg-type]
    )


def statuses(dossier: Dossier) -> list[tuple[str, str]]:
    return list(dossier.events.order_by("sequence").values_list("action", "to_status"))


def result(ward: Ward, number: str = "123/GXN") -> list[ResultDocument]:
    return [
        ResultDocument(
            procedure_id=ward.procedure.pk,
            name="Xác nhận đăng ký thường trú",
            document_number=number,
        )
    ]


# --- receipt --------------------------------------------------------------------


@time_machine.travel(at("2026-11-17T09:10"), tick=False)
def test_receiving_gives_a_code_an_appointment_and_the_first_step(ward: Ward) -> None:
    dossier = receive(ward)

    assert dossier.code == f"{AGENCY_CODE}-261117-0001"
    assert receive(ward).code == f"{AGENCY_CODE}-261117-0002"
    # 7 working days from Wed 18/11; Tue 24/11 (Culture Day) is off → Fri 27/11 17:00.
    assert dossier.appointment == dossier.appointment_original == at("2026-11-27T17:00")
    assert dossier.status == Status.IN_PROGRESS
    assert dossier.rule_set == RuleSet.DECREE_118_2025
    assert dossier.processing_unit == ward.ward
    step = dossier.steps.get()
    assert (step.assignee, step.unit, step.finished_at) == (ward.counter, ward.centre, None)
    # The receipt share is half a working day: 09:10 + 4 working hours.
    assert step.due_at == at("2026-11-17T14:10")
    assert statuses(dossier) == [(Action.RECEIVE, Status.IN_PROGRESS)]
    assert dossier.documents.count() == ward.version.documents.filter(required=True).count()


@time_machine.travel(at("2026-11-16T23:50"), tick=False)
def test_the_code_follows_the_local_day_and_a_receipt_outside_hours_is_marked(ward: Ward) -> None:
    dossier = receive(ward)
    assert dossier.code.endswith("-261116-0001")  # 23:50 in Hà Nội, 16:50 UTC
    assert dossier.received_outside_hours


def test_an_incomplete_dossier_is_refused_with_the_missing_components(ward: Ward) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        dossier_receive(
            actor=ward.counter.user,
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=[],
        )
    assert excinfo.value.params["missing"]
    assert not Dossier.objects.exists()


def test_a_procedure_listed_by_case_is_complete_with_one_case(ward: Ward) -> None:
    """R2: 1.004222 lists its components by case; one case's documents are a full dossier."""
    required = list(ward.version.documents.filter(required=True))
    cases: dict[str, list[RequiredDocument]] = {}
    for component in required:
        cases.setdefault(component.case, []).append(component)
    assert len([case for case in cases if case]) >= 2, "the fixture procedure lists cases"
    common = cases.pop("", [])
    chosen_case, chosen = min(cases.items(), key=lambda item: len(item[1]))

    def given(components: list[RequiredDocument]) -> list[ReceivedDocument]:
        return [ReceivedDocument(required_document_id=c.pk, originals=1) for c in components]

    def receive_with(components: list[RequiredDocument]) -> Dossier:
        return dossier_receive(
            actor=ward.counter.user,
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=given(components),
        )

    assert receive_with([*common, *chosen]).code

    # One document short of the case: only the closest case's missing one is named,
    # not every component of every other case.
    with pytest.raises(ValidationFailed) as excinfo:
        receive_with([*common, *chosen[1:]])
    assert len(excinfo.value.params["missing"]) == 1, chosen_case
    assert len(required) > 2


def test_a_document_outside_the_published_components_is_refused(ward: Ward) -> None:
    other = RequiredDocument.objects.exclude(version=ward.version).first()
    documents = [*complete_documents(ward.version), ReceivedDocument(other.pk, originals=1)]
    with pytest.raises(ValidationFailed):
        dossier_receive(
            actor=ward.counter.user,
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=documents,
        )


@pytest.mark.parametrize(
    ("field", "applicant"),
    [
        ("applicant_name", Applicant(name="  ")),
        ("applicant_id_number", Applicant(name="A", id_number="12345")),
        ("applicant_phone", Applicant(name="A", phone="12345")),
        ("applicant_email", Applicant(name="A", email="not-an-email")),
    ],
)
def test_applicant_data_is_validated_with_vietnamese_messages(
    ward: Ward, field: str, applicant: Applicant
) -> None:
    with pytest.raises(ValidationFailed) as excinfo:
        dossier_receive(
            actor=ward.counter.user,
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=applicant,
            documents=complete_documents(ward.version),
        )
    assert excinfo.value.params["field"] == field


def test_only_counter_officers_of_the_unit_receive(ward: Ward) -> None:
    for officer in (ward.specialist, ward.other_counter):
        with pytest.raises(PermissionDenied):
            dossier_receive(
                actor=officer.user,
                unit=ward.centre,
                procedure=ward.procedure,
                applicant=APPLICANT,
                documents=complete_documents(ward.version),
            )


def test_the_same_idempotency_key_never_creates_two_dossiers(ward: Ward) -> None:
    first = receive(ward, idempotency_key="quay-1-abc")
    second = receive(ward, idempotency_key="quay-1-abc")
    assert first.pk == second.pk
    assert Dossier.objects.count() == 1


def test_asking_to_complete_at_the_counter_gives_no_code(ward: Ward) -> None:
    component = ward.version.documents.filter(required=True).first()
    dossier = dossier_ask_to_complete(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        items=[SupplementItem(component.pk, reason="Thiếu bản chính")],
        reason="Hồ sơ chưa đủ thành phần",
    )
    assert dossier.code is None and dossier.appointment is None
    assert dossier.status == Status.AWAITING_COMPLETION
    assert dossier.supplement_request_rows.get().during_processing is False


def test_refusing_intake_needs_a_reason(ward: Ward) -> None:
    with pytest.raises(ValidationFailed):
        dossier_refuse_intake(
            actor=ward.counter.user,
            reason=" ",
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
        )
    dossier = dossier_refuse_intake(
        actor=ward.counter.user,
        reason="Không thuộc thẩm quyền của phường",
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
    )
    assert dossier.status == Status.INTAKE_REFUSED and dossier.code is None


def test_an_online_submission_after_hours_counts_from_the_next_session(ward: Ward) -> None:
    # Scenario 4: Saturday 21:40; accepted Monday 08:20; received Monday 08:00.
    with time_machine.travel(at("2026-11-21T21:40"), tick=False):
        dossier = dossier_submit_online(
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=complete_documents(ward.version),
            idempotency_key="web-1",
        )
        again = dossier_submit_online(
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=complete_documents(ward.version),
            idempotency_key="web-1",
        )
    assert again.pk == dossier.pk
    assert dossier.status == Status.SUBMITTED and dossier.code is None
    with time_machine.travel(at("2026-11-23T08:20"), tick=False):
        dossier_accept_online(dossier=dossier, actor=ward.counter.user)
    dossier.refresh_from_db()
    assert dossier.received_at == at("2026-11-23T08:00")
    assert dossier.code == f"{AGENCY_CODE}-261123-0001"
    # 7 working days from Tue 24/11 (Culture Day, off): 25, 26, 27, 30/11, 1, 2, 3/12.
    assert dossier.appointment == at("2026-12-03T17:00")
    assert statuses(dossier) == [
        (Action.SUBMIT_ONLINE, Status.SUBMITTED),
        (Action.ACCEPT_ONLINE, Status.IN_PROGRESS),
    ]


# --- processing ----------------------------------------------------------------------


def run_to_leader(ward: Ward) -> Dossier:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)
    dossier.refresh_from_db()
    return dossier


def test_the_whole_happy_path_with_early_outcomes(ward: Ward) -> None:
    with time_machine.travel(at("2026-11-17T09:10"), tick=False):
        dossier = receive(ward)
    with time_machine.travel(at("2026-11-17T10:00"), tick=False):
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    with time_machine.travel(at("2026-11-18T15:00"), tick=False):
        dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)
    with time_machine.travel(at("2026-11-19T09:00"), tick=False):
        dossier_result_ready(dossier=dossier, actor=ward.leader.user, results=result(ward))
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    assert dossier.outcome == Outcome.EARLY and dossier.ended_at == at("2026-11-19T09:00")
    return_step = dossier.steps.get(finished_at__isnull=True)
    assert return_step.assignee == ward.counter  # back to the counter that received it
    with time_machine.travel(at("2026-11-19T10:30"), tick=False):
        dossier_return_result(
            dossier=dossier,
            actor=ward.counter.user,
            channel=ReturnChannel.COUNTER,
            recipient_name="Nguyễn Văn Bình",
            acknowledgement="Đã ký nhận vào sổ theo dõi",
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.RETURNED and dossier.returned_at == at("2026-11-19T10:30")
    assert dossier.ended_at == at("2026-11-19T09:00")  # R19: processed before returned
    outcomes = list(dossier.steps.order_by("sequence").values_list("outcome", flat=True))
    # Receipt done the same morning; the specialist a day early; the leader's half day ran
    # from Wed 15:00 to Thu 10:00 and was signed at 09:00 (same day: on time).
    assert outcomes == [Outcome.ON_TIME, Outcome.EARLY, Outcome.ON_TIME, Outcome.ON_TIME]
    assert not DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True).exists()
    assert [action for action, _ in statuses(dossier)] == [
        Action.RECEIVE,
        Action.HANDOVER,
        Action.HANDOVER,
        Action.RESULT_READY,
        Action.RETURN_RESULT,
    ]


def test_a_late_step_is_marked_late(ward: Ward) -> None:
    with time_machine.travel(at("2026-11-17T09:10"), tick=False):
        dossier = receive(ward)
    with time_machine.travel(at("2026-11-18T09:00"), tick=False):  # the share was 4 h
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    assert dossier.steps.get(sequence=1).outcome == Outcome.LATE


def test_only_the_assignee_or_a_head_hands_over(ward: Ward) -> None:
    dossier = receive(ward)
    with pytest.raises(PermissionDenied):
        dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.specialist2)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    # The head of the office may act on the specialist's step.
    dossier_handover(dossier=dossier, actor=ward.head.user, to_assignee=ward.leader)


def test_the_next_officer_must_hold_the_steps_role_and_belong_to_the_agency(ward: Ward) -> None:
    dossier = receive(ward)
    with pytest.raises(ValidationFailed):  # a leader is not a specialist
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.leader)
    with pytest.raises(ValidationFailed):  # another ward's officer
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.other_counter)


def test_the_last_step_cannot_be_handed_over(ward: Ward) -> None:
    dossier = run_to_leader(ward)
    dossier_result_ready(dossier=dossier, actor=ward.leader.user, results=result(ward))
    with pytest.raises(TransitionNotAllowed) as excinfo:
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.counter2)
    assert excinfo.value.code == "transition_not_allowed"


def test_a_head_reassigns_and_the_deadline_stays(ward: Ward) -> None:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    due = dossier.steps.get(finished_at__isnull=True).due_at
    with pytest.raises(PermissionDenied):
        dossier_assign(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.specialist2)
    dossier_assign(dossier=dossier, actor=ward.head.user, to_assignee=ward.specialist2)
    step = dossier.steps.get(finished_at__isnull=True)
    assert (step.assignee, step.due_at) == (ward.specialist2, due)


def test_sending_back_reopens_the_previous_officers_step(ward: Ward) -> None:
    dossier = run_to_leader(ward)
    with pytest.raises(ValidationFailed):
        dossier_send_back(dossier=dossier, actor=ward.leader.user, reason="")
    dossier_send_back(dossier=dossier, actor=ward.leader.user, reason="Thiếu ý kiến thẩm định")
    step = dossier.steps.get(finished_at__isnull=True)
    assert step.assignee == ward.specialist


# --- supplement (R15, R16, R3, R4) --------------------------------------------------------


def test_a_supplement_request_pauses_the_clock_and_is_allowed_once(ward: Ward) -> None:
    component = ward.version.documents.filter(required=True).first()
    with time_machine.travel(at("2026-11-17T09:10"), tick=False):
        dossier = receive(ward)
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    with time_machine.travel(at("2026-11-18T10:00"), tick=False):
        dossier_request_supplement(
            dossier=dossier,
            actor=ward.specialist.user,
            items=[SupplementItem(component.pk, reason="Bản sao không rõ")],
            reason="Cần bổ sung",
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT_REQUESTED and dossier.paused_at is not None
    # Eleven days later (scenario 3); Mon 30/11 10:00.
    with time_machine.travel(at("2026-11-30T10:00"), tick=False):
        dossier_receive_supplement(
            dossier=dossier,
            actor=ward.counter.user,
            documents=[ReceivedDocument(component.pk, originals=1)],
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    # Paused Wed 18/11 10:00 → resumed Mon 30/11 10:00: 7 working days (24/11 off).
    assert dossier.appointment_original == at("2026-11-27T17:00")
    assert dossier.appointment == at("2026-12-08T17:00")
    assert dossier.paused_seconds == 7 * 8 * 3600
    with pytest.raises(Conflict) as excinfo:
        dossier_request_supplement(
            dossier=dossier,
            actor=ward.specialist.user,
            items=[SupplementItem(component.pk)],
            reason="Lần hai",
        )
    assert excinfo.value.code == "supplement_already_requested"


def test_a_supplement_asks_only_for_published_components_that_are_not_digital(ward: Ward) -> None:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    other = RequiredDocument.objects.exclude(version=ward.version).first()
    with pytest.raises(ValidationFailed):
        dossier_request_supplement(
            dossier=dossier,
            actor=ward.specialist.user,
            items=[SupplementItem(other.pk)],
            reason="x",
        )
    component = ward.version.documents.first()
    component.reusable_from_data = True
    component.save()
    with pytest.raises(ValidationFailed) as excinfo:
        dossier_request_supplement(
            dossier=dossier,
            actor=ward.specialist.user,
            items=[SupplementItem(component.pk)],
            reason="x",
        )
    assert "dữ liệu số" in excinfo.value.message


def test_a_supplement_request_after_three_working_days_needs_a_sector_rule(ward: Ward) -> None:
    component = ward.version.documents.filter(required=True).first()
    with time_machine.travel(at("2026-11-17T09:10"), tick=False):
        dossier = receive(ward)
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    with time_machine.travel(at("2026-11-23T09:00"), tick=False):  # 4 working days later
        with pytest.raises(ValidationFailed) as excinfo:
            dossier_request_supplement(
                dossier=dossier,
                actor=ward.specialist.user,
                items=[SupplementItem(component.pk)],
                reason="Cần bổ sung",
            )
        assert excinfo.value.params["field"] == "sector_rule"
        dossier_request_supplement(
            dossier=dossier,
            actor=ward.specialist.user,
            items=[SupplementItem(component.pk)],
            reason="Cần bổ sung",
            sector_rule="Luật Cư trú 2020, Điều 22",
        )


# --- inter-agency, refusal, stop, return --------------------------------------------------


def test_a_transfer_to_another_agency_and_back(ward: Ward) -> None:
    with time_machine.travel(at("2026-11-17T09:10"), tick=False):
        dossier = receive(ward)
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
        dossier_transfer(
            dossier=dossier,
            actor=ward.specialist.user,
            agency_name="Bảo hiểm xã hội khu vực Long Biên",
            share_days=Decimal("1"),
        )
    dossier.refresh_from_db()
    assert dossier.status == Status.AT_OTHER_AGENCY
    external = dossier.steps.get(finished_at__isnull=True)
    assert (external.assignee, external.agency_name) == (None, "Bảo hiểm xã hội khu vực Long Biên")
    assert external.due_at == at("2026-11-18T09:10")
    with time_machine.travel(at("2026-11-18T08:30"), tick=False):
        dossier_receive_back(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS
    assert dossier.steps.get(pk=external.pk).outcome == Outcome.ON_TIME


def test_refusing_after_appraisal_ends_processing_with_a_signed_refusal(ward: Ward) -> None:
    dossier = run_to_leader(ward)
    with pytest.raises(ValidationFailed):
        dossier_refuse(dossier=dossier, actor=ward.leader.user, reason="")
    dossier_refuse(dossier=dossier, actor=ward.leader.user, reason="Chỗ ở không hợp pháp")
    dossier.refresh_from_db()
    assert dossier.status == Status.REFUSED and dossier.ended_at is not None
    refusal = dossier.results.get()
    assert refusal.is_refusal and refusal.signer == ward.leader


def test_stopping_at_the_applicants_request(ward: Ward) -> None:
    dossier = run_to_leader(ward)
    dossier_stop(
        dossier=dossier,
        actor=ward.leader.user,
        cause=StopCause.APPLICANT_REQUEST,
        decision="Dừng giải quyết theo đơn đề nghị rút hồ sơ",
        fee_handling="Không hoàn lệ phí đã nộp",
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.STOPPED
    assert dossier.stop_notice.stage == dossier.steps.order_by("-sequence").first().name
    with pytest.raises(TransitionNotAllowed):
        dossier_note(dossier=dossier, actor=ward.leader.user, text="Ghi chú sau khi dừng")


def test_a_result_needs_a_document_number_and_the_return_needs_a_delivery_record(
    ward: Ward,
) -> None:
    dossier = run_to_leader(ward)
    with pytest.raises(ValidationFailed):
        dossier_result_ready(dossier=dossier, actor=ward.leader.user, results=result(ward, ""))
    with pytest.raises(PermissionDenied):
        dossier_result_ready(dossier=dossier, actor=ward.counter2.user, results=result(ward))
    dossier_result_ready(dossier=dossier, actor=ward.leader.user, results=result(ward))
    for channel, extra in [
        (ReturnChannel.COUNTER, {"recipient_name": "Bình"}),
        (ReturnChannel.POSTAL, {}),
        (ReturnChannel.ONLINE, {}),
    ]:
        with pytest.raises(ValidationFailed):
            dossier_return_result(
                dossier=dossier, actor=ward.counter.user, channel=channel, **extra
            )
    dossier_remind(dossier=dossier)
    dossier_return_result(
        dossier=dossier,
        actor=ward.counter.user,
        channel=ReturnChannel.POSTAL,
        postal_tracking_number="EB123456789VN",
    )
    assert Delivery.objects.get(dossier=dossier).postal_tracking_number == "EB123456789VN"
    assert Dossier.objects.get(pk=dossier.pk).reminders_sent == 1


@pytest.mark.parametrize(
    "action",
    ["handover", "request_supplement", "transfer", "refuse", "result_ready", "send_back"],
)
def test_no_processing_action_applies_to_a_returned_dossier(ward: Ward, action: str) -> None:
    dossier = run_to_leader(ward)
    dossier_result_ready(dossier=dossier, actor=ward.leader.user, results=result(ward))
    dossier_return_result(
        dossier=dossier,
        actor=ward.counter.user,
        channel=ReturnChannel.ONLINE,
        acknowledgement="Đã gửi vào kho dữ liệu",
    )
    calls = {
        "handover": lambda: dossier_handover(
            dossier=dossier, actor=ward.leader.user, to_assignee=ward.leader
        ),
        "request_supplement": lambda: dossier_request_supplement(
            dossier=dossier, actor=ward.leader.user, items=[], reason="x"
        ),
        "transfer": lambda: dossier_transfer(
            dossier=dossier, actor=ward.leader.user, agency_name="X", share_days=Decimal(1)
        ),
        "refuse": lambda: dossier_refuse(dossier=dossier, actor=ward.leader.user, reason="x"),
        "result_ready": lambda: dossier_result_ready(
            dossier=dossier, actor=ward.leader.user, results=result(ward)
        ),
        "send_back": lambda: dossier_send_back(
            dossier=dossier, actor=ward.leader.user, reason="x"
        ),
    }
    with pytest.raises((Conflict, TransitionNotAllowed)):
        calls[action]()
    events = DossierEvent.objects.filter(dossier=dossier).count()
    assert events == 5


def test_events_cannot_be_edited_or_deleted(ward: Ward) -> None:
    event = receive(ward).events.get()
    event.reason = "sửa"
    with pytest.raises(Exception, match="append-only"):
        event.save()
    with pytest.raises(Exception, match="append-only"):
        event.delete()


def test_the_dossier_code_has_the_official_shape(ward: Ward) -> None:
    code = receive(ward).code
    assert re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}", code)


def test_dossiers_before_july_2025_keep_the_2018_rules(ward: Ward) -> None:
    with time_machine.travel(at("2025-06-30T09:00"), tick=False):
        dossier = receive(ward)
    assert dossier.rule_set == RuleSet.DECREE_61_2018


def test_uncollected_results_are_reminded_by_the_policy(ward: Ward) -> None:
    from motcua.dossiers.tasks import dossiers_due_for_reminder, remind_uncollected_results

    with time_machine.travel(at("2026-11-16T09:00"), tick=False):
        dossier = run_to_leader(ward)
        dossier_result_ready(dossier=dossier, actor=ward.leader.user, results=result(ward))
    with time_machine.travel(at("2026-11-18T09:00"), tick=False):  # 2 working days
        assert dossiers_due_for_reminder() == []
    with time_machine.travel(at("2026-11-19T09:00"), tick=False):  # 3 working days
        assert remind_uncollected_results.call() == 1
        assert remind_uncollected_results.call() == 0  # once per step of the policy
    assert Dossier.objects.get(pk=dossier.pk).reminders_sent == 1

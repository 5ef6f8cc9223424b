"""Accountability for delay (issue 5): states, the gate, the apology slip and the sweep.

Dates cross real holidays from the shipped 2026 calendar: Tết (Sat 14/2 –
Sun 22/2, five working days off) and 30/4–1/5 (Thu, Fri). The ward's
procedure 1.004222 takes 7 working days; its process gives the counter
0.5 day, the specialist 5.5 days, the leader 0.5 day and the return 0.5 day.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import time_machine

from motcua.core.exceptions import PermissionDenied
from motcua.dossiers.accountability import (
    ApologyRequired,
    ExplanationRequired,
    ReappointmentRefused,
    accountability_findings,
    forget_cached_policies,
)
from motcua.dossiers.constants import Action, DeadlineState, GateMode, Outcome, Status
from motcua.dossiers.forms_pdf import dossier_form_pdf
from motcua.dossiers.models import (
    ApologySlip,
    Dossier,
    DossierEvent,
    DossierStep,
    UnitAccountabilitySetting,
)
from motcua.dossiers.selectors import dossier_inbox
from motcua.dossiers.services import (
    SupplementItem,
    dossier_handover,
    dossier_request_supplement,
    dossier_result_ready,
    dossier_transfer,
)
from motcua.dossiers.services_accountability import (
    accountability_backfill,
    accountability_sweep,
    dossier_apologise,
    step_explain,
)
from motcua.dossiers.tests.conftest import Ward, at
from motcua.dossiers.tests.forms_support import pdf_text
from motcua.dossiers.tests.test_services_lifecycle import receive, result
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _blocking(settings: Any) -> None:
    """The production default (the test settings only warn)."""
    settings.MOTCUA_ACCOUNTABILITY_GATE = "block"
    forget_cached_policies()


def received_before_tet(ward: Ward) -> Dossier:
    """Received Tue 10/2/2026 09:00 and handed to the specialist at 10:00."""
    with time_machine.travel(at("2026-02-10T09:00"), tick=False):
        dossier = receive(ward)
    with time_machine.travel(at("2026-02-10T10:00"), tick=False):
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    dossier.refresh_from_db()
    return dossier


def test_the_alarm_columns_follow_the_working_calendar_across_tet(ward: Ward) -> None:
    """7 working days from Tue 10/2 skip Tết: Wed 11, Thu 12, Fri 13, Mon 23 … Thu 26/2."""
    dossier = received_before_tet(ward)
    assert dossier.appointment == at("2026-02-26T17:00")
    # Due soon from the opening of the last working day before the appointment.
    assert dossier.due_soon_from == at("2026-02-25T08:00")
    assert dossier.late_from == at("2026-02-26T17:00")
    step = dossier.steps.get(finished_at__isnull=True)
    # 5.5 working days from Tue 10/2 10:00: to Fri 13/2 (3.875 days), then Mon 23/2 and
    # Tue 24/2 until 15:00.
    assert step.due_at == at("2026-02-24T15:00")
    assert step.due_soon_at == at("2026-02-23T08:00")
    closed = dossier.steps.get(sequence=1)
    assert closed.due_soon_at is None and closed.late_from is None


def test_a_late_step_blocks_handover_until_its_officer_explains(ward: Ward) -> None:
    """Received Wed 29/4 16:00, the counter's half day runs to Mon 4/5 — past 30/4–1/5."""
    with time_machine.travel(at("2026-04-29T16:00"), tick=False):
        dossier = receive(ward)
    step = dossier.steps.get()
    assert step.due_at == at("2026-05-04T11:00")
    with time_machine.travel(at("2026-05-04T11:30"), tick=False):
        with pytest.raises(ExplanationRequired) as refused:
            dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
        assert refused.value.code == "explanation_required"
        assert "Nguyễn Thị Lan" in refused.value.message and "giải trình" in refused.value.message
        # Only the responsible officer explains; the head may not do it for her.
        with pytest.raises(PermissionDenied):
            step_explain(dossier=dossier, actor=ward.head.user, reason="Thay mặt")
        step_explain(dossier=dossier, actor=ward.counter.user, reason="Mất điện cả buổi sáng")
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    assert dossier.steps.get(sequence=1).outcome == Outcome.LATE
    assert list(dossier.events.values_list("action", flat=True)) == [
        Action.RECEIVE,
        Action.EXPLAIN,
        Action.HANDOVER,
    ]


def test_a_due_soon_dossier_blocks_every_transition_until_its_apology_slip(ward: Ward) -> None:
    dossier = received_before_tet(ward)
    with time_machine.travel(at("2026-02-25T09:00"), tick=False):
        # The specialist's step was due Tue 24/2 15:00: explained first.
        step_explain(dossier=dossier, actor=ward.specialist.user, reason="Chờ xác minh")
        for attempt in (
            lambda: dossier_handover(
                dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader
            ),
            lambda: dossier_transfer(
                dossier=dossier, actor=ward.specialist.user, agency_name="Công an phường"
            ),
            lambda: dossier_request_supplement(
                dossier=dossier,
                actor=ward.specialist.user,
                items=[
                    SupplementItem(
                        required_document_id=ward.version.documents.first().pk,  # type: ignore[union-attr]
                        reason="Mờ",
                    )
                ],
                reason="Bản chụp mờ",
                sector_rule="Luật Cư trú",
            ),
        ):
            with pytest.raises(ApologyRequired) as refused:
                attempt()
            assert refused.value.code == "apology_required"
            # Says why and who must act: the head of the late unit.
            assert "Đỗ Văn Nam" in refused.value.message
            assert "Văn phòng HĐND và UBND phường Long Biên" in refused.value.message
        # The specialist cannot sign it; the head of the office can.
        with pytest.raises(PermissionDenied):
            dossier_apologise(
                dossier=dossier, actor=ward.specialist.user, reason="x", extension_days=3
            )
        slip = dossier_apologise(
            dossier=dossier,
            actor=ward.head.user,
            reason="Phải xác minh nơi cư trú với Công an phường",
            extension_days=3,
        )
        # 3 working days after Thu 26/2: Fri 27/2, Mon 2/3, Tue 3/3 (close of business).
        assert slip.original_appointment == at("2026-02-26T17:00")
        assert slip.new_appointment == at("2026-03-03T17:00")
        assert slip.unit == ward.office and slip.signed_by == ward.head
        dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)
    dossier.refresh_from_db()
    assert dossier.appointment == at("2026-03-03T17:00")
    assert dossier.appointment_original == at("2026-02-26T17:00")
    # The citizen is told (e-mail) and the one-stop unit sees it in the bell.
    assert Notification.objects.filter(
        event_key="dossier.apology_issued", address="binh@example.vn"
    ).exists()
    # R14: the result on Fri 27/2 is within the new appointment but still late.
    with time_machine.travel(at("2026-02-27T09:00"), tick=False):
        # The leader's half day ended Wed 25/2 14:00: his own explanation first.
        step_explain(dossier=dossier, actor=ward.leader.user, reason="Đi công tác")
        dossier_result_ready(dossier=dossier, actor=ward.leader.user, results=result(ward))
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY and dossier.outcome == Outcome.LATE


def test_the_second_re_appointment_is_refused_and_escalated(ward: Ward) -> None:
    dossier = received_before_tet(ward)
    with time_machine.travel(at("2026-02-27T08:30"), tick=False):  # a late dossier
        step_explain(dossier=dossier, actor=ward.specialist.user, reason="Chờ xác minh")
        with pytest.raises(ApologyRequired, match="quá hạn"):
            dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)
        slip = dossier_apologise(
            dossier=dossier, actor=ward.head.user, reason="Chờ xác minh", extension_days=2
        )
        # Late: counted from now, Fri 27/2 → Mon 2/3, Tue 3/3.
        assert slip.new_appointment == at("2026-03-03T17:00")
        with pytest.raises(ReappointmentRefused) as refused:
            dossier_apologise(
                dossier=dossier, actor=ward.head.user, reason="Vẫn chưa xong", extension_days=5
            )
    assert refused.value.code == "reappointment_refused"
    assert "Vũ Quốc Khánh" in refused.value.message
    assert ApologySlip.objects.filter(dossier=dossier).count() == 1
    # The refusal is on record and the leader was told, although the request failed.
    assert dossier.events.filter(action=Action.REAPPOINTMENT_REFUSED).count() == 1
    assert Notification.objects.filter(
        event_key="dossier.reappointment_refused", user=ward.leader.user
    ).exists()


def test_a_unit_may_relax_the_gate_to_a_warning(ward: Ward) -> None:
    UnitAccountabilitySetting.objects.create(unit=ward.ward, gate_mode=GateMode.WARN)
    dossier = received_before_tet(ward)
    with time_machine.travel(at("2026-02-27T08:30"), tick=False):
        findings = accountability_findings(dossier)
        assert [finding.code for finding in findings] == [
            "explanation_required",
            "apology_required",
        ]
        dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)


def test_the_sweep_records_each_state_change_once_and_notifies(ward: Ward) -> None:
    dossier = received_before_tet(ward)
    with time_machine.travel(at("2026-02-23T09:00"), tick=False):
        first = accountability_sweep()
        again = accountability_sweep()
    assert dict(first.counts) == {
        Action.STEP_DUE_SOON: 1,
        Action.STEP_LATE: 0,
        Action.DUE_SOON: 0,
        Action.LATE: 0,
    }
    assert again.total == 0
    with time_machine.travel(at("2026-02-27T08:00"), tick=False):
        later = accountability_sweep()
        assert accountability_sweep().total == 0
        # The inbox filters by state through the alarm columns.
        inbox = dossier_inbox(user=ward.specialist.user)
        assert inbox.filter(late_from__lt=at("2026-02-27T08:00")).count() == 1
    assert dict(later.counts) == {
        Action.STEP_DUE_SOON: 0,
        Action.STEP_LATE: 1,
        Action.DUE_SOON: 1,
        Action.LATE: 1,
    }
    events = DossierEvent.objects.filter(dossier=dossier, internal=True)
    assert list(events.order_by("sequence").values_list("action", "at")) == [
        (Action.STEP_DUE_SOON, at("2026-02-23T08:00")),
        (Action.STEP_LATE, at("2026-02-24T15:00")),
        (Action.DUE_SOON, at("2026-02-25T08:00")),
        (Action.LATE, at("2026-02-26T17:00")),
    ]
    step = DossierStep.objects.get(dossier=dossier, finished_at__isnull=True)
    assert step.due_soon_notified_at == at("2026-02-23T09:00")
    # The assignee, the head of the office and (for the dossier) the one-stop unit.
    told = set(
        Notification.objects.filter(event_key="dossier.late").values_list("user_id", flat=True)
    )
    assert {ward.specialist.user_id, ward.head.user_id, ward.counter.user_id} <= told
    assert (
        Notification.objects.filter(
            event_key="step.due_soon", user=ward.specialist.user, channel="in_app"
        ).count()
        == 1
    )
    dossier.refresh_from_db()
    assert DeadlineState.LATE == "late" and dossier.late_recorded_at is not None


@pytest.mark.parametrize(
    ("rule_set", "title"),
    [
        ("2018", "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
        ("2025", "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    ],
)
def test_the_slip_pdf_has_the_code_the_reason_and_the_new_date(
    ward: Ward, rule_set: str, title: str, tmp_path: Path
) -> None:
    dossier = received_before_tet(ward)
    Dossier.objects.filter(pk=dossier.pk).update(rule_set=rule_set)
    with time_machine.travel(at("2026-02-25T09:00"), tick=False):
        dossier_apologise(
            dossier=dossier,
            actor=ward.head.user,
            reason="Phải xác minh nơi cư trú với Công an phường",
            extension_days=3,
        )
    dossier.refresh_from_db()
    text = pdf_text(dossier_form_pdf(dossier=dossier, form="apology"), tmp_path)
    assert title in text
    assert dossier.code in text  # type: ignore[operator]
    assert "Phải xác minh nơi cư trú với Công an phường" in text
    assert "17 giờ 00 phút, ngày 03/03/2026" in text  # the new appointment
    assert "17 giờ 00 phút, ngày 26/02/2026" in text  # the original one
    assert "Đỗ Văn Nam" in text and "Số: 01/PXL" in text


def test_the_backfill_fills_work_in_progress_from_before_the_migration(ward: Ward) -> None:
    dossier = received_before_tet(ward)
    Dossier.objects.filter(pk=dossier.pk).update(due_soon_from=None, late_from=None)
    DossierStep.objects.filter(dossier=dossier).update(due_soon_at=None, late_from=None)
    assert accountability_backfill() == 2
    assert accountability_backfill() == 0
    dossier.refresh_from_db()
    assert dossier.due_soon_from == at("2026-02-25T08:00")
    step = dossier.steps.get(finished_at__isnull=True)
    assert (step.due_soon_at, step.late_from) == (at("2026-02-23T08:00"), at("2026-02-24T15:00"))

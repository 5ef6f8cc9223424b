"""Random sequences of actions by random officers keep the lifecycle's invariants.

Any action may be refused (wrong state, wrong person, bad input); a refused
action changes nothing. After every step: at most one open step, events only
grow and are numbered without gaps, the state matches the last event, the
appointment never moves before the one given at receipt and moves only when
the clock resumes after a supplement, and a finished dossier has no open step.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from motcua.core.exceptions import DomainError
from motcua.dossiers.constants import ReturnChannel, Status, StopCause
from motcua.dossiers.models import Dossier, DossierStep, participant_keys
from motcua.dossiers.services import (
    ReceivedDocument,
    ResultDocument,
    SupplementItem,
    dossier_assign,
    dossier_handover,
    dossier_note,
    dossier_receive,
    dossier_receive_back,
    dossier_receive_supplement,
    dossier_refuse,
    dossier_remind,
    dossier_request_supplement,
    dossier_result_ready,
    dossier_return_result,
    dossier_send_back,
    dossier_stop,
    dossier_transfer,
)
from motcua.dossiers.tests.conftest import APPLICANT, Ward, at, build_ward, complete_documents
from motcua.dossiers.workflow import TERMINAL

OFFICERS = ("counter", "counter2", "specialist", "specialist2", "head", "leader", "other_counter")
# "assignee": whoever holds the open step; "fit": an officer with the next step's role.
# Drawn half the time, so that sequences get far into the lifecycle.
ACTORS = st.sampled_from(("assignee", "assignee", "assignee", *OFFICERS))
TARGETS = st.sampled_from(("fit", "fit", "fit", *OFFICERS))
FIT = {"counter_officer": "counter", "specialist": "specialist", "leader": "leader"}


class DossierMachine(RuleBasedStateMachine):
    dossiers = Bundle("dossiers")

    def __init__(self) -> None:
        super().__init__()
        self.ward: Ward = WARD
        self.clock = time_machine.travel(at("2026-11-16T08:30"), tick=False)
        self.traveller = self.clock.start()
        self.seen: dict[int, tuple[int, dt.datetime | None, str]] = {}
        # The database is not reset between examples: check this example's dossiers only.
        self.created: list[int] = []

    def teardown(self) -> None:
        self.clock.stop()

    def officer(self, name: str, dossier: Dossier | None = None) -> Any:
        if name in ("assignee", "fit") and dossier is not None:
            step = DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True).first()
            if name == "assignee" and step is not None and step.assignee is not None:
                return step.assignee
            if name == "fit":
                steps = list(dossier.procedure_version.process_steps.order_by("position"))
                current = (
                    [s.pk for s in steps].index(step.process_step_id)
                    if (step is not None and step.process_step_id in [s.pk for s in steps])
                    else -1
                )
                following = steps[current + 1] if current + 1 < len(steps) else steps[0]
                return getattr(self.ward, FIT.get(following.responsible_role, "counter"))
            return self.ward.counter
        return getattr(self.ward, name)

    def attempt(self, dossier: Dossier, action: Any) -> None:
        """Run an action; a refusal must leave the dossier exactly as it was."""
        before = Dossier.objects.get(pk=dossier.pk)
        try:
            action()
        except DomainError:
            after = Dossier.objects.get(pk=dossier.pk)
            assert (after.status, after.event_count, after.appointment) == (
                before.status,
                before.event_count,
                before.appointment,
            )
            return
        after = Dossier.objects.get(pk=dossier.pk)
        assert after.event_count == before.event_count + 1
        if after.appointment != before.appointment:
            # Only the end of a pause moves the legal appointment, and only later.
            assert before.status == Status.SUPPLEMENT_REQUESTED
            assert after.appointment > before.appointment

    @initialize(target=dossiers)
    def first(self) -> Dossier:
        return self.receive()

    @rule(target=dossiers)
    def receive(self) -> Dossier:
        dossier = dossier_receive(
            actor=self.ward.counter.user,
            unit=self.ward.centre,
            procedure=self.ward.procedure,
            applicant=APPLICANT,
            documents=complete_documents(self.ward.version),
        )
        self.created.append(dossier.pk)
        return dossier

    @rule(minutes=st.integers(1, 3 * 24 * 60))
    def time_passes(self, minutes: int) -> None:
        self.traveller.shift(dt.timedelta(minutes=minutes))

    @rule(dossier=dossiers, actor=ACTORS, to=TARGETS)
    def handover(self, dossier: Dossier, actor: str, to: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_handover(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                to_assignee=self.officer(to, dossier),
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS, to=TARGETS)
    def handover_again(self, dossier: Dossier, actor: str, to: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_handover(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                to_assignee=self.officer(to, dossier),
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS, to=TARGETS)
    def handover_once_more(self, dossier: Dossier, actor: str, to: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_handover(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                to_assignee=self.officer(to, dossier),
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS, to=TARGETS)
    def assign(self, dossier: Dossier, actor: str, to: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_assign(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                to_assignee=self.officer(to, dossier),
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS)
    def send_back(self, dossier: Dossier, actor: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_send_back(
                dossier=dossier, actor=self.officer(actor, dossier).user, reason="Cần làm rõ"
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS)
    def request_supplement(self, dossier: Dossier, actor: str) -> None:
        component = self.ward.version.documents.filter(required=True).first()
        self.attempt(
            dossier,
            lambda: dossier_request_supplement(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                items=[SupplementItem(component.pk, reason="Không rõ")],
                reason="Bổ sung",
                sector_rule="Luật chuyên ngành",
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS)
    def receive_supplement(self, dossier: Dossier, actor: str) -> None:
        component = self.ward.version.documents.filter(required=True).first()
        self.attempt(
            dossier,
            lambda: dossier_receive_supplement(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                documents=[ReceivedDocument(component.pk, originals=1)],
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS)
    def transfer(self, dossier: Dossier, actor: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_transfer(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                agency_name="Bảo hiểm xã hội khu vực",
                share_days=Decimal(1),
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS, to=TARGETS)
    def receive_back(self, dossier: Dossier, actor: str, to: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_receive_back(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                to_assignee=self.officer(to, dossier),
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS)
    def result_ready(self, dossier: Dossier, actor: str) -> None:
        results = [
            ResultDocument(
                procedure_id=self.ward.procedure.pk, name="Kết quả", document_number="1/KQ"
            )
        ]
        self.attempt(
            dossier,
            lambda: dossier_result_ready(
                dossier=dossier, actor=self.officer(actor, dossier).user, results=results
            ),
        )

    @rule(dossier=dossiers, actor=ACTORS)
    def return_result(self, dossier: Dossier, actor: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_return_result(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                channel=ReturnChannel.COUNTER,
                recipient_name="Nguyễn Văn Bình",
                acknowledgement="Đã ký nhận",
            ),
        )

    @rule(dossier=dossiers, actor=st.sampled_from(OFFICERS))
    def refuse(self, dossier: Dossier, actor: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_refuse(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                reason="Không đủ điều kiện",
            ),
        )

    @rule(dossier=dossiers, actor=st.sampled_from(OFFICERS))
    def stop(self, dossier: Dossier, actor: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_stop(
                dossier=dossier,
                actor=self.officer(actor, dossier).user,
                cause=StopCause.APPLICANT_REQUEST,
                decision="Dừng theo đề nghị",
            ),
        )

    @rule(dossier=dossiers)
    def remind(self, dossier: Dossier) -> None:
        self.attempt(dossier, lambda: dossier_remind(dossier=dossier))

    @rule(dossier=dossiers, actor=ACTORS)
    def note(self, dossier: Dossier, actor: str) -> None:
        self.attempt(
            dossier,
            lambda: dossier_note(
                dossier=dossier, actor=self.officer(actor, dossier).user, text="Ghi chú"
            ),
        )

    @invariant()
    def lifecycle_holds(self) -> None:
        for dossier in Dossier.objects.filter(pk__in=self.created):
            events = list(dossier.events.order_by("sequence").values_list("sequence", "to_status"))
            assert [sequence for sequence, _ in events] == list(range(1, dossier.event_count + 1))
            assert events[-1][1] == dossier.status
            open_steps = DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True)
            assert open_steps.count() <= 1
            if dossier.status in TERMINAL:
                assert not open_steps.exists()
            if dossier.status in (Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED):
                assert open_steps.count() == 1
            if dossier.appointment is not None:
                assert dossier.appointment >= dossier.appointment_original
            # Everyone who may see it is among its participants (the search's index).
            steps = DossierStep.objects.filter(dossier=dossier)
            seen_by = participant_keys(
                units=[
                    dossier.receiving_unit_id,
                    dossier.processing_unit_id,
                    *steps.exclude(unit=None).values_list("unit", flat=True),
                ],
                officers=steps.exclude(assignee=None).values_list("assignee", flat=True),
            )
            assert set(seen_by) <= set(dossier.participants)
            previous = self.seen.get(dossier.pk)
            if previous is not None:
                assert dossier.event_count >= previous[0]  # events only grow
            self.seen[dossier.pk] = (dossier.event_count, dossier.appointment, dossier.status)


WARD: Ward


@pytest.mark.slow
@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants() -> None:
    global WARD
    WARD = build_ward()
    run_state_machine_as_test(
        DossierMachine,
        settings=settings(
            max_examples=30,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            derandomize=True,
        ),
    )

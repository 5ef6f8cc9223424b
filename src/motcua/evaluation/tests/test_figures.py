"""The pre-filled figures agree with the dossier events they come from (issue 7 acceptance).

Dossiers are built through ``dossiers.services`` in November 2026 (and one in
October, which must not count); every figure of every officer involved is
checked against the hand-counted steps, and the dossiers behind each figure
are the ones the links list.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.constants import Action, Outcome
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.dossiers.services import (
    ResultDocument,
    SupplementItem,
    dossier_handover,
    dossier_receive,
    dossier_refuse,
    dossier_request_supplement,
    dossier_result_ready,
)
from motcua.dossiers.services_accountability import dossier_apologise, step_explain
from motcua.dossiers.tests.conftest import APPLICANT, at, complete_documents
from motcua.evaluation import selectors, services
from motcua.evaluation.constants import Figure
from motcua.evaluation.models import WorkPlan
from motcua.evaluation.tests.conftest import Office
from motcua.workcalendar.engine import TZ

pytestmark = pytest.mark.django_db


def receive(office: Office, when: str) -> Dossier:
    with time_machine.travel(at(when), tick=False):
        return dossier_receive(
            actor=office.counter.user,
            unit=office.centre,
            procedure=office.procedure,
            applicant=APPLICANT,
            documents=complete_documents(office.version),
        )


def step(office: Office, when: str, action: object, **kwargs: object) -> None:
    with time_machine.travel(at(when), tick=False):
        action(**kwargs)  # type: ignore[operator]


def result(office: Office) -> list[ResultDocument]:
    return [ResultDocument(procedure_id=office.procedure.pk, name="Xác nhận", document_number="1")]


@pytest.fixture
def month(office: Office) -> dict[str, Dossier]:
    """Four dossiers of November and one of October."""
    # October: every step outside the month.
    october = receive(office, "2026-10-20T09:00")
    step(
        office,
        "2026-10-20T10:00",
        dossier_handover,
        dossier=october,
        actor=office.counter.user,
        to_assignee=office.specialist,
    )
    # A: the happy path — counter on time, specialist early, leader on time.
    a = receive(office, "2026-11-17T09:10")
    step(
        office,
        "2026-11-17T10:00",
        dossier_handover,
        dossier=a,
        actor=office.counter.user,
        to_assignee=office.specialist,
    )
    step(
        office,
        "2026-11-18T15:00",
        dossier_handover,
        dossier=a,
        actor=office.specialist.user,
        to_assignee=office.leader,
    )
    step(
        office,
        "2026-11-19T09:00",
        dossier_result_ready,
        dossier=a,
        actor=office.leader.user,
        results=result(office),
    )
    # B: the counter hands over a day late; the specialist asks for a supplement.
    b = receive(office, "2026-11-17T09:10")
    step(
        office,
        "2026-11-18T08:55",
        step_explain,
        dossier=b,
        actor=office.counter.user,
        reason="Máy tính hỏng",
    )
    step(
        office,
        "2026-11-18T09:00",
        dossier_handover,
        dossier=b,
        actor=office.counter.user,
        to_assignee=office.specialist,
    )
    component = RequiredDocument.objects.filter(version=office.version, required=True).first()
    step(
        office,
        "2026-11-18T10:00",
        dossier_request_supplement,
        dossier=b,
        actor=office.specialist.user,
        items=[SupplementItem(component.pk, reason="Mờ")],
        reason="Bổ sung bản sao",
    )
    # C: the specialist keeps it four working days past the step's deadline (late); the
    # leader refuses it.
    c = receive(office, "2026-11-02T09:00")
    step(
        office,
        "2026-11-02T09:30",
        dossier_handover,
        dossier=c,
        actor=office.counter.user,
        to_assignee=office.specialist,
    )
    step(
        office,
        "2026-11-16T08:30",
        step_explain,
        dossier=c,
        actor=office.specialist.user,
        reason="Chờ xác minh",
    )
    step(
        office,
        "2026-11-16T08:40",
        dossier_apologise,
        dossier=c,
        actor=office.head.user,
        reason="Chờ xác minh",
        extension_days=3,
    )
    step(
        office,
        "2026-11-16T09:00",
        dossier_handover,
        dossier=c,
        actor=office.specialist.user,
        to_assignee=office.leader,
    )
    step(
        office,
        "2026-11-16T10:00",
        dossier_refuse,
        dossier=c,
        actor=office.leader.user,
        reason="Không đủ điều kiện",
    )
    # D: the second specialist still holds it at the end of the month, past its deadline.
    d = receive(office, "2026-11-09T09:00")
    step(
        office,
        "2026-11-09T09:30",
        dossier_handover,
        dossier=d,
        actor=office.counter.user,
        to_assignee=office.specialist2,
    )
    return {"a": a, "b": b, "c": c, "d": d, "october": october}


def test_every_figure_matches_the_dossier_steps_and_events(
    office: Office, month: dict[str, Dossier]
) -> None:
    with time_machine.travel(at("2026-12-01T08:00"), tick=False):
        cycle = services.cycle_open(unit=office.office, year=2026, month=11)
        figures = selectors.month_figures(
            officers=[office.counter, office.leader], year=2026, month=11
        )
    specialist = cycle.sheets.get(officer=office.specialist)
    specialist2 = cycle.sheets.get(officer=office.specialist2)

    # The specialist finished A (early) and C (late) in November; B is paused with them.
    assert specialist.figure(Figure.STEPS_FINISHED) == 2
    assert specialist.figure(Figure.STEPS_EARLY) == 1
    assert specialist.figure(Figure.STEPS_ON_TIME) == 0
    assert specialist.figure(Figure.STEPS_LATE) == 1
    assert specialist.figure(Figure.SUPPLEMENT_REQUESTS) == 1
    assert specialist.figure(Figure.EXPLANATIONS) == 1
    assert specialist.figure(Figure.APOLOGIES_CAUSED) == 1
    assert specialist.figure(Figure.REFUSALS) == 0
    assert specialist2.figure(Figure.STEPS_FINISHED) == 0
    assert specialist2.figure(Figure.OPEN_OVERDUE) == 1  # D, still open after its deadline

    # The counter finished A, B, C, D in November (October's step is not counted): B late.
    counter = figures[office.counter.pk]
    assert counter[Figure.STEPS_FINISHED] == 4
    assert counter[Figure.STEPS_LATE] == 1
    assert counter[Figure.STEPS_EARLY] + counter[Figure.STEPS_ON_TIME] == 3
    assert (counter[Figure.EXPLANATIONS], counter[Figure.APOLOGIES_CAUSED]) == (1, 0)
    # The leader signed A's result and refused C.
    leader = figures[office.leader.pk]
    assert leader[Figure.STEPS_FINISHED] == 2
    assert leader[Figure.REFUSALS] == 1

    # Cross-check against the rows themselves, one figure at a time.
    start = dt.datetime(2026, 11, 1, tzinfo=TZ)
    end = dt.datetime(2026, 12, 1, tzinfo=TZ)
    for officer in (office.counter, office.specialist, office.specialist2, office.leader):
        steps = DossierStep.objects.filter(
            assignee=officer, finished_at__gte=start, finished_at__lt=end
        )
        everything = selectors.month_figures(officers=[officer], year=2026, month=11)[officer.pk]
        assert everything[Figure.STEPS_FINISHED] == steps.count()
        assert everything[Figure.STEPS_LATE] == steps.filter(outcome=Outcome.LATE).count()
        assert (
            everything[Figure.REFUSALS]
            == DossierEvent.objects.filter(
                actor=officer.user, action=Action.REFUSE, at__gte=start, at__lt=end
            ).count()
        )

    # The links list exactly the dossiers behind each figure.
    codes = {
        figure: set(
            selectors.figure_dossiers(sheet=specialist, figure=figure).values_list("pk", flat=True)
        )
        for figure in (
            Figure.STEPS_FINISHED,
            Figure.STEPS_LATE,
            Figure.SUPPLEMENT_REQUESTS,
            Figure.EXPLANATIONS,
            Figure.APOLOGIES_CAUSED,
        )
    }
    assert codes[Figure.STEPS_FINISHED] == {month["a"].pk, month["c"].pk}
    assert codes[Figure.STEPS_LATE] == {month["c"].pk}
    assert codes[Figure.SUPPLEMENT_REQUESTS] == {month["b"].pk}
    assert codes[Figure.EXPLANATIONS] == codes[Figure.APOLOGIES_CAUSED] == {month["c"].pk}
    assert set(
        selectors.figure_dossiers(sheet=specialist2, figure=Figure.OPEN_OVERDUE).values_list(
            "pk", flat=True
        )
    ) == {month["d"].pk}


def test_work_plan_tasks_count_on_time_done_and_overdue(office: Office) -> None:
    with time_machine.travel(at("2026-11-02T08:00"), tick=False):
        plan = services.work_plan_create(
            actor=office.head.user,
            unit=office.office,
            period="month",
            starts_on=dt.date(2026, 11, 1),
            ends_on=dt.date(2026, 11, 30),
            title="Kế hoạch công tác tháng 11/2026",
        )
        # Sunday 8/11 is a day off: the deadline moves to Monday 9/11 at close of business.
        report = services.work_task_create(
            plan=plan,
            actor=office.head.user,
            title="Báo cáo CCHC quý IV",
            owner=office.specialist,
            deadline_on=dt.date(2026, 11, 8),
            expected_product="Báo cáo",
        )
        late = services.work_task_create(
            plan=plan,
            actor=office.head.user,
            title="Rà soát TTHC",
            owner=office.specialist,
            deadline_on=dt.date(2026, 11, 12),
        )
        services.work_task_create(
            plan=plan,
            actor=office.head.user,
            title="Số hóa hồ sơ",
            owner=office.specialist,
            deadline_on=dt.date(2026, 11, 20),
        )
    assert report.deadline == at("2026-11-09T17:00")
    with time_machine.travel(at("2026-11-09T16:00"), tick=False):
        services.work_task_progress(task=report, actor=office.specialist.user, progress=90)
        services.work_task_complete(
            task=report, actor=office.head.user, meets_requirements=True, quality_note="Đạt"
        )
    with time_machine.travel(at("2026-11-16T09:00"), tick=False):
        services.work_task_complete(
            task=late, actor=office.head.user, meets_requirements=True, major_errors=1
        )
        overdue = list(selectors.work_tasks_overdue(user=office.specialist.user))
    assert [task.title for task in overdue] == []  # "Số hóa" is due on the 20th
    with time_machine.travel(at("2026-11-23T09:00"), tick=False):
        assert [task.title for task in selectors.work_tasks_overdue(user=office.head.user)] == [
            "Số hóa hồ sơ"
        ]
    figures = selectors.month_figures(officers=[office.specialist], year=2026, month=11)
    row = figures[office.specialist.pk]
    assert (row[Figure.TASKS_DONE], row[Figure.TASKS_DONE_ON_TIME], row[Figure.TASKS_OVERDUE]) == (
        2,
        1,
        1,
    )
    assert WorkPlan.objects.count() == 1

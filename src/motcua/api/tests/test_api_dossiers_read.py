"""Reads of the dossier API: search and filters, one dossier, its history, the work lists.

Every read answers only within the officer's scope, and in a number of
queries that does not grow with the number of dossiers, steps or events.
"""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from motcua.api.tests.dossiers_support import (
    AGENCY_CODE,
    RESIDENCE,
    Ward,
    build_ward,
    client_for,
    error,
    ok,
    receive,
    run_to_leader,
    run_to_result,
    url,
)
from motcua.core.pagination import BoundedCountPaginator
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    Applicant,
    dossier_handover,
    dossier_note,
    dossier_submit_online,
)
from motcua.dossiers.tests.conftest import at, complete_documents

pytestmark = pytest.mark.django_db

# Queries a read may make whatever the volume: session, user, officer, unit,
# roles, the rows themselves, and the working calendar of each receiving unit.
# Measured with a cold calendar cache (3 more queries than when warm).
LIST_QUERIES = 11
DETAIL_QUERIES = 17
WORK_QUERIES = 11


@pytest.fixture
def ward(db: None) -> Ward:
    return build_ward()


@pytest.fixture
def counter(ward: Ward) -> APIClient:
    return client_for(ward.counter.user)


def labels(body: dict[str, Any]) -> list[str]:
    return [item["label"] for item in body["results"]]


# --- the list ------------------------------------------------------------------------


def test_the_list_shows_the_officers_dossiers_newest_first(ward: Ward, counter: APIClient) -> None:
    with time_machine.travel(at("2026-11-17T09:00"), tick=False):
        first = receive(ward)
    with time_machine.travel(at("2026-11-17T10:00"), tick=False):
        second = receive(ward)

    body = ok(counter.get("/api/dossiers/"))

    assert body["count"] == 2
    assert labels(body) == [second.code, first.code]
    item = body["results"][1]
    assert item["code"] == f"{AGENCY_CODE}-261117-0001"
    assert item["status"] == "in_progress"
    assert item["status_label"] == "Đang giải quyết"
    assert item["procedure"] == {"code": RESIDENCE, "name": "Đăng ký thường trú", "version": 1}
    assert item["applicant_name"] == "Nguyễn Văn Bình"
    assert item["receiving_unit"] == {"id": ward.centre.pk, "name": ward.centre.name}
    assert item["appointment"] == "2026-11-27T17:00:00+07:00"
    assert set(item["appointment_state"]) == {"state", "seconds_left", "label"}
    assert ok(client_for(ward.other_counter.user).get("/api/dossiers/"))["count"] == 0


def test_a_long_list_is_counted_up_to_a_limit_and_says_so(
    ward: Ward, counter: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BoundedCountPaginator, "count_limit", 2)
    first, _second, _third = receive(ward), receive(ward), receive(ward)

    body = ok(counter.get("/api/dossiers/"))
    narrowed = ok(counter.get("/api/dossiers/", {"q": first.code}))

    assert (body["count"], body["count_exact"], len(body["results"])) == (2, False, 2)
    assert body["next"] is None
    assert (narrowed["count"], narrowed["count_exact"]) == (1, True)
    error(counter.get("/api/dossiers/", {"page": 2}), 404, "not_found")


def test_search_by_code_end_name_without_diacritics_id_and_phone(
    ward: Ward, counter: APIClient
) -> None:
    dossier = receive(ward)
    other = dossier_submit_online(
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=Applicant(name="Trần Thị Đào", phone="0987654321"),
        documents=complete_documents(ward.version),
    )

    def found(q: str) -> list[str]:
        return labels(ok(counter.get("/api/dossiers/", {"q": q})))

    assert found(dossier.code) == [dossier.code]
    assert found(dossier.code[-4:]) == [dossier.code]
    assert found("nguyen van binh") == [dossier.code]
    assert found("tran thi dao") == [other.reference]
    assert found("001090012345") == [dossier.code]
    assert found("7654321") == [other.reference]
    assert found(other.reference) == [other.reference]
    assert found("khong co ai") == []


def test_a_name_finds_what_a_step_showed_the_officer_and_nothing_else(
    ward: Ward, counter: APIClient
) -> None:
    dossier = receive(ward)
    specialist = client_for(ward.specialist.user)

    def found(client: APIClient) -> list[str]:
        return labels(ok(client.get("/api/dossiers/", {"q": "nguyen van binh"})))

    assert found(specialist) == []
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)

    assert found(counter) == [dossier.code]
    assert found(specialist) == [dossier.code]
    assert found(client_for(ward.specialist2.user)) == [dossier.code]  # a step of their office
    assert found(client_for(ward.other_counter.user)) == []


def test_the_participants_migration_fills_them_from_the_steps(ward: Ward) -> None:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    expected = Dossier.objects.get(pk=dossier.pk).participants
    Dossier.objects.filter(pk=dossier.pk).update(participants={})

    migration = import_module("motcua.dossiers.migrations.0006_participants")
    # What fill uses of a schema editor (SQLite's cannot open inside the test's transaction).
    editor = SimpleNamespace(connection=connection, execute=connection.cursor().execute)
    migration.fill(apps, editor)

    assert Dossier.objects.get(pk=dossier.pk).participants == expected
    assert set(expected) == {
        f"u{ward.centre.pk}",
        f"u{ward.ward.pk}",
        f"u{ward.office.pk}",
        f"o{ward.counter.pk}",
        f"o{ward.specialist.pk}",
    }


def test_filters_by_status_unit_and_day_of_receipt(ward: Ward, counter: APIClient) -> None:
    with time_machine.travel(at("2026-11-16T09:00"), tick=False):
        monday = receive(ward)
    with time_machine.travel(at("2026-11-18T09:00"), tick=False):
        wednesday = receive(ward)
        dossier_handover(dossier=wednesday, actor=ward.counter.user, to_assignee=ward.specialist)
        online = dossier_submit_online(
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=Applicant(name="Lê Văn Cường"),
            documents=[],
        )

    def listed(**params: Any) -> list[str]:
        return labels(ok(counter.get("/api/dossiers/", params)))

    assert listed(status="submitted") == [online.reference]
    assert set(listed(status="in_progress")) == {monday.code, wednesday.code}
    assert listed(received_from="2026-11-17") == [wednesday.code]
    assert listed(received_to="2026-11-16") == [monday.code]
    assert listed(received_from="2026-11-16", received_to="2026-11-16") == [monday.code]
    assert listed(received_from="0001-01-01", received_to="9999-12-31") != []
    assert listed(received_from="9999-12-31") == listed(received_to="0001-01-01") == []
    assert len(listed(unit=ward.centre.pk)) == 3
    assert len(listed(unit=ward.ward.pk)) == 3  # the competent agency of all three
    assert listed(unit=ward.other_centre.pk) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"unit": "abc"}, "unit"),
        ({"received_from": "17/11/2026"}, "received_from"),
        ({"received_to": ""}, "received_to"),
        ({"unit": ""}, "unit"),
        ({"q": "x" * 101}, "q"),
        ({"page_size": "1000"}, "page_size"),
    ],
)
def test_bad_query_parameters_are_400_with_the_parameter_named(
    ward: Ward, counter: APIClient, params: dict[str, str], field: str
) -> None:
    failure = error(counter.get("/api/dossiers/", params), 400, "invalid")
    assert field in failure["params"]["fields"]


def test_pages_of_dossiers(ward: Ward, counter: APIClient) -> None:
    for _ in range(3):
        receive(ward)
    body = ok(counter.get("/api/dossiers/", {"page_size": 2, "page": 2}))
    assert (body["count"], len(body["results"])) == (3, 1)
    error(counter.get("/api/dossiers/", {"page": 3}), 404, "not_found")


def test_the_list_costs_the_same_queries_for_three_or_twelve_dossiers(
    ward: Ward, counter: APIClient, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        receive(ward)
    with django_assert_max_num_queries(LIST_QUERIES):
        assert ok(counter.get("/api/dossiers/"))["count"] == 3
    for _ in range(9):
        dossier_handover(
            dossier=receive(ward), actor=ward.counter.user, to_assignee=ward.specialist
        )
    with django_assert_max_num_queries(LIST_QUERIES):
        assert ok(counter.get("/api/dossiers/"))["count"] == 12
    with django_assert_max_num_queries(LIST_QUERIES):
        assert ok(counter.get("/api/dossiers/", {"q": "nguyen van"}))["count"] == 12


# --- one dossier ---------------------------------------------------------------------


@time_machine.travel(at("2026-11-17T09:10"), tick=False)
def test_the_dossier_with_applicant_appointment_steps_documents_fees_and_actions(
    ward: Ward, counter: APIClient
) -> None:
    dossier = receive(ward)

    body = ok(counter.get(url(dossier)))

    assert body["code"] == dossier.code and body["reference"] == dossier.reference
    assert body["applicant_name"] == "Nguyễn Văn Bình"
    assert body["applicant_id_number"] == "001090012345"
    assert body["applicant_phone"] == "0912345678"
    assert body["processing_unit"] == {"id": ward.ward.pk, "name": "Phường Long Biên"}
    assert body["received_by"] == {"id": ward.counter.pk, "name": "Nguyễn Thị Lan"}
    assert body["appointment"] == body["appointment_original"] == "2026-11-27T17:00:00+07:00"
    # 7 working days and the rest of today: Tue 24/11 is a day off.
    assert body["appointment_state"] == {
        "state": "on_time",
        "seconds_left": 7 * 8 * 3600 + (2 * 3600 + 50 * 60) + 4 * 3600,
        "label": "còn 7 ngày 6 giờ",
    }
    step = body["open_step"]
    assert step["name"] == body["steps"][0]["name"]
    assert step["assignee"] == {"id": ward.counter.pk, "name": "Nguyễn Thị Lan"}
    assert step["due_at"] == "2026-11-17T14:10:00+07:00"
    assert step["deadline"] == {
        "state": "due_soon",
        "seconds_left": 4 * 3600,
        "label": "còn 4 giờ",
    }
    assert len(body["documents"]) == len(complete_documents(ward.version))
    assert body["fees"] == []
    assert body["results"] == [] and body["delivery"] is None and body["stop_notice"] is None
    actions = {item["action"]: item["endpoint"] for item in body["allowed_actions"]}
    assert actions["handover"] == f"/api/dossiers/{dossier.code}/handover/"
    assert set(actions) == {
        "handover",
        "assign",
        "send_back",
        "request_supplement",
        "transfer",
        "refuse",
        "stop",
        "result_ready",
        "note",
    }


def test_a_finished_dossier_shows_its_result_delivery_and_no_deadline(
    ward: Ward, counter: APIClient
) -> None:
    dossier = run_to_result(ward)
    ok(
        counter.post(
            url(dossier, "return-result"),
            {"channel": "postal", "postal_tracking_number": "EB123456789VN"},
            format="json",
        )
    )

    body = ok(counter.get(url(dossier)))

    assert body["status"] == "returned"
    assert body["appointment_state"] is None and body["open_step"] is None
    assert body["results"][0]["procedure"] == RESIDENCE
    assert body["results"][0]["signer"] == {"id": ward.leader.pk, "name": "Vũ Quốc Khánh"}
    assert body["delivery"]["postal_tracking_number"] == "EB123456789VN"
    assert body["delivery"]["delivered_by"]["id"] == ward.counter.pk
    assert body["allowed_actions"] == []


def test_missing_and_not_yours_are_the_same_404(ward: Ward) -> None:
    dossier = receive(ward)
    other = client_for(ward.other_counter.user)

    not_yours = error(other.get(url(dossier)), 404, "not_found")
    missing = error(other.get(f"/api/dossiers/{dossier.code}9/"), 404, "not_found")

    assert not_yours["message"].replace(dossier.code, "X") == missing["message"].replace(
        dossier.code + "9", "X"
    )
    for suffix in ("events/", "control-slip/"):
        error(other.get(url(dossier) + suffix), 404, "not_found")


@pytest.mark.parametrize("code", ["%00", "a%00b", "x" * 61, "%E2%80%8B%0A"])
def test_a_code_no_dossier_can_have_is_a_404(counter: APIClient, code: str) -> None:
    error(counter.get(f"/api/dossiers/{code}/"), 404, "not_found")


def test_the_detail_costs_the_same_queries_however_long_the_history(
    ward: Ward, counter: APIClient, django_assert_max_num_queries: Any
) -> None:
    dossier = receive(ward)
    with django_assert_max_num_queries(DETAIL_QUERIES):
        ok(counter.get(url(dossier)))
    dossier = run_to_result(ward)
    for index in range(5):
        dossier_note(dossier=dossier, actor=ward.counter.user, text=f"Ghi chú {index}")
    with django_assert_max_num_queries(DETAIL_QUERIES):
        body = ok(counter.get(url(dossier)))
    assert len(body["steps"]) == 4


# --- history and control slip ---------------------------------------------------------


def test_the_history_in_order_with_internal_notes(
    ward: Ward, counter: APIClient, django_assert_max_num_queries: Any
) -> None:
    dossier = run_to_leader(ward)
    dossier_note(dossier=dossier, actor=ward.counter.user, text="Đã gọi điện cho người nộp")

    with django_assert_max_num_queries(WORK_QUERIES):
        events = ok(counter.get(url(dossier, "events")))

    assert [event["action"] for event in events] == ["receive", "handover", "handover", "note"]
    assert [event["sequence"] for event in events] == [1, 2, 3, 4]
    first, note = events[0], events[-1]
    assert (first["from_status"], first["to_status"]) == ("", "in_progress")
    assert first["to_status_label"] == "Đang giải quyết"
    assert first["actor"] == {"id": ward.counter.user.pk, "name": "Nguyễn Thị Lan"}
    assert first["data"]["code"] == dossier.code
    assert note["internal"] is True and note["reason"] == "Đã gọi điện cho người nộp"
    assert note["action_label"] == "Ghi chú"


def test_the_control_slip_lists_each_handover(
    ward: Ward, counter: APIClient, django_assert_max_num_queries: Any
) -> None:
    dossier = run_to_result(ward)
    with django_assert_max_num_queries(WORK_QUERIES):
        rows = ok(counter.get(url(dossier, "control-slip")))
    assert [row["sequence"] for row in rows] == [1, 2, 3, 4]
    assert rows[1]["handed_by"] == "Nguyễn Thị Lan"
    assert rows[1]["received_by"] == "Lê Minh Tuấn"
    assert rows[1]["unit_name"] == ward.office.name
    assert rows[3]["finished_at"] is None


# --- the work lists -----------------------------------------------------------------


def test_the_inbox_is_by_deadline_with_the_time_left(
    ward: Ward, django_assert_max_num_queries: Any
) -> None:
    with time_machine.travel(at("2026-11-17T09:00"), tick=False):
        later = receive(ward)
    with time_machine.travel(at("2026-11-17T08:00"), tick=False):
        sooner = receive(ward)
    for _ in range(5):
        receive(ward)
    counter = client_for(ward.counter.user)

    with (
        time_machine.travel(at("2026-11-17T11:00"), tick=False),
        django_assert_max_num_queries(WORK_QUERIES),
    ):
        body = ok(counter.get("/api/me/inbox/"))

    assert body["count"] == 7
    first, second = body["results"][:2]
    assert (first["dossier"]["code"], second["dossier"]["code"]) == (sooner.code, later.code)
    assert first["due_at"] == "2026-11-17T12:00:00+07:00"
    assert first["deadline"] == {"state": "due_soon", "seconds_left": 3600, "label": "còn 1 giờ"}
    assert first["assignee"]["id"] == ward.counter.pk
    assert first["paused"] is False
    assert ok(client_for(ward.specialist.user).get("/api/me/inbox/"))["count"] == 0


def test_a_late_step_says_how_late(ward: Ward) -> None:
    with time_machine.travel(at("2026-11-17T09:10"), tick=False):
        receive(ward)
    with time_machine.travel(at("2026-11-18T09:10"), tick=False):
        item = ok(client_for(ward.counter.user).get("/api/me/inbox/"))["results"][0]
    # Due Tue 14:10; by Wed 09:10: 2 h 50 min on Tuesday + 1 h 10 min on Wednesday.
    assert item["deadline"] == {"state": "late", "seconds_left": -4 * 3600, "label": "quá 4 giờ"}


def test_the_heads_unit_work_shows_who_has_what(
    ward: Ward, django_assert_max_num_queries: Any
) -> None:
    for _ in range(4):
        dossier_handover(
            dossier=receive(ward), actor=ward.counter.user, to_assignee=ward.specialist
        )
    receive(ward)  # still at the counter: not the office's work
    head = client_for(ward.head.user)

    with django_assert_max_num_queries(WORK_QUERIES):
        body = ok(head.get("/api/me/unit-work/"))

    assert body["count"] == 4
    assert {item["assignee"]["name"] for item in body["results"]} == {"Lê Minh Tuấn"}
    assert {item["unit"]["id"] for item in body["results"]} == {ward.office.pk}
    assert ok(head.get("/api/me/unit-work/", {"unit": ward.centre.pk}))["count"] == 0
    assert ok(client_for(ward.specialist.user).get("/api/me/unit-work/"))["count"] == 0

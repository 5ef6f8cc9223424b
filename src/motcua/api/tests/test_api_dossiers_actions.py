"""Every dossier action through the API: it works, and it is refused in the one error shape.

Each endpoint calls one service; these tests check the wiring (input, the
service's answer, the dossier sent back) rather than the rules themselves,
which the dossiers app tests with real dates.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.accounts.tests.factories import CitizenFactory
from motcua.api.tests.dossiers_support import (
    RESIDENCE,
    RETURN_AT_COUNTER,
    Ward,
    build_ward,
    client_for,
    error,
    intake_body,
    ok,
    receive,
    result_body,
    run_to_leader,
    run_to_result,
    url,
)
from motcua.api.views_dossiers import ACTION_VIEWS, OnlineSubmissionThrottle
from motcua.catalog.models import RequiredDocument
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import (
    SupplementItem,
    dossier_handover,
    dossier_request_supplement,
    dossier_submit_online,
)
from motcua.dossiers.tests.conftest import APPLICANT, complete_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(db: None) -> Ward:
    return build_ward()


@pytest.fixture
def counter(ward: Ward) -> APIClient:
    return client_for(ward.counter.user)


@pytest.fixture
def leader(ward: Ward) -> APIClient:
    return client_for(ward.leader.user)


@pytest.fixture
def specialist(ward: Ward) -> APIClient:
    return client_for(ward.specialist.user)


def post(client: APIClient, path: str, body: Any = None) -> Any:
    return client.post(path, body if body is not None else {}, format="json")


def online(ward: Ward, *, complete: bool = True) -> Dossier:
    return dossier_submit_online(
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(ward.version) if complete else [],
    )


def component(ward: Ward) -> RequiredDocument:
    return ward.version.documents.filter(required=True).order_by("position").first()


def open_assignee(body: dict[str, Any]) -> int:
    return body["open_step"]["assignee"]["id"]


# --- intake at the counter -----------------------------------------------------------


def test_intake_gives_a_code_and_keeps_documents_and_fees(ward: Ward, counter: APIClient) -> None:
    body = ok(post(counter, "/api/dossiers/", intake_body(ward)), 201)

    assert body["status"] == "in_progress" and body["code"]
    assert body["channel"] == "in_person" and body["return_channel"] == "counter"
    assert body["fees"] == [
        {
            "name": "Lệ phí đăng ký cư trú",
            "amount": 20000,
            "exempt": False,
            "exemption_basis": "",
            "payment_channel": "cash",
            "payment_channel_label": "Tiền mặt tại quầy",
            "receipt_number": "BL-01",
            "paid_at": body["received_at"],
        }
    ]
    assert len(body["documents"]) == len(complete_documents(ward.version))
    assert open_assignee(body) == ward.counter.pk
    assert Dossier.objects.get(code=body["code"]).received_by == ward.counter


def test_an_incomplete_intake_names_the_missing_components(ward: Ward, counter: APIClient) -> None:
    failure = error(
        post(counter, "/api/dossiers/", intake_body(ward, documents=[])), 400, "validation_failed"
    )
    assert failure["params"]["field"] == "documents"
    # By case (R2): the components of the case closest to complete, all required ones.
    required = set(ward.version.documents.filter(required=True).values_list("pk", flat=True))
    assert failure["params"]["missing"]
    assert set(failure["params"]["missing"]) <= required
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"procedure": "9.999999"}, "procedure"),
        ({"unit": 987654321}, "unit"),
        ({"applicant_phone": "12345"}, "applicant_phone"),
        ({"applicant_id_number": "12345"}, "applicant_id_number"),
        ({"applicant_name": " "}, "applicant_name"),
        ({"fees": [{"name": "Phí", "amount": -1}]}, "fees"),
        ({"documents": [{"required_document": 987654321, "originals": 1}]}, "documents"),
    ],
)
def test_intake_rules_come_back_with_the_field(
    ward: Ward, counter: APIClient, overrides: dict[str, Any], field: str
) -> None:
    failure = error(
        post(counter, "/api/dossiers/", intake_body(ward, **overrides)), 400, "validation_failed"
    )
    assert failure["params"]["field"] == field


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit": "centre"}, "unit"),
        ({"unit": 2**70}, "unit"),
        ({"documents": "all"}, "documents"),
        ({"documents": [{"required_document": 1, "originals": -1}]}, "documents"),
        ({"channel": "fax"}, "channel"),
        ({"applicant_name": "x" * 256}, "applicant_name"),
        ({"applicant_name": "a\x00b"}, "applicant_name"),
        ({"fees": [{"name": "Phí", "amount": 10**20}]}, "fees"),
    ],
)
def test_malformed_intake_is_400_invalid_with_the_fields(
    ward: Ward, counter: APIClient, overrides: dict[str, Any], field: str
) -> None:
    failure = error(
        post(counter, "/api/dossiers/", intake_body(ward, **overrides)), 400, "invalid"
    )
    assert field in failure["params"]["fields"]


def test_writes_need_json_and_the_sessions_csrf_token(ward: Ward) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(ward.counter.user)
    error(post(client, "/api/dossiers/", intake_body(ward)), 403, "csrf_failed")
    token = "b" * 32
    client.cookies["csrftoken"] = token
    ok(
        client.post("/api/dossiers/", intake_body(ward), format="json", HTTP_X_CSRFTOKEN=token),
        201,
    )
    error(
        client.post("/api/dossiers/", {"unit": 1}, HTTP_X_CSRFTOKEN=token),
        415,
        "unsupported_media_type",
    )
    error(
        client.post(
            "/api/dossiers/", "{oops", content_type="application/json", HTTP_X_CSRFTOKEN=token
        ),
        400,
        "parse_error",
    )


# --- before receipt: online, asking to complete, refusing ------------------------------


def test_an_online_submission_waits_without_a_code(api: APIClient, ward: Ward) -> None:
    body = {**intake_body(ward), "fees": None}
    del body["fees"]

    receipt = ok(post(api, "/api/dossiers/online/", body), 201)

    assert receipt["status"] == "submitted" and receipt["reference"].startswith("HS")
    assert receipt["procedure"]["code"] == RESIDENCE
    assert receipt["return_channel"] == "online"
    assert receipt["documents"] == len(complete_documents(ward.version))
    assert "code" not in receipt and "applicant_phone" not in receipt
    dossier = Dossier.objects.get(reference=receipt["reference"])
    assert (dossier.code, dossier.citizen, dossier.channel) == (None, None, "online")


def test_a_signed_in_citizens_submission_is_linked_to_the_account(ward: Ward) -> None:
    citizen = CitizenFactory()
    body = {key: value for key, value in intake_body(ward).items() if key != "fees"}
    receipt = ok(post(client_for(citizen.user), "/api/dossiers/online/", body), 201)
    assert Dossier.objects.get(reference=receipt["reference"]).citizen == citizen


def test_online_submissions_are_throttled(
    api: APIClient, ward: Ward, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OnlineSubmissionThrottle, "rate", "2/min")
    body = {"unit": ward.centre.pk, "procedure": RESIDENCE, "applicant_name": "Lê Văn Cường"}
    ok(post(api, "/api/dossiers/online/", body), 201)
    ok(post(api, "/api/dossiers/online/", body), 201)
    failure = error(post(api, "/api/dossiers/online/", body), 429, "throttled")
    assert failure["params"]["wait"] >= 1


def test_an_online_document_outside_the_published_list_is_refused(
    api: APIClient, ward: Ward
) -> None:
    other = RequiredDocument.objects.exclude(version=ward.version).first()
    body = {
        "unit": ward.centre.pk,
        "procedure": RESIDENCE,
        "applicant_name": "Lê Văn Cường",
        "documents": [{"required_document": other.pk, "copies": 1}],
    }
    failure = error(post(api, "/api/dossiers/online/", body), 400, "validation_failed")
    assert failure["params"]["field"] == "documents"


def test_asking_to_complete_at_the_counter_gives_no_code(ward: Ward, counter: APIClient) -> None:
    body = {
        **{key: intake_body(ward)[key] for key in ("unit", "procedure", "applicant_name")},
        "items": [{"required_document": component(ward).pk, "reason": "Thiếu bản chính"}],
        "reason": "Hồ sơ chưa đủ thành phần",
    }
    dossier = ok(post(counter, "/api/dossiers/ask-to-complete/", body), 201)
    assert dossier["status"] == "awaiting_completion" and dossier["code"] is None
    assert dossier["supplement_requests"][0]["items"][0]["reason"] == "Thiếu bản chính"

    failure = error(
        post(counter, "/api/dossiers/ask-to-complete/", {**body, "items": []}),
        400,
        "validation_failed",
    )
    assert failure["params"]["field"] == "items"


def test_refusing_intake_at_the_counter_needs_a_reason(ward: Ward, counter: APIClient) -> None:
    body = {key: intake_body(ward)[key] for key in ("unit", "procedure", "applicant_name")}
    failure = error(post(counter, "/api/dossiers/refuse-intake/", body), 400, "validation_failed")
    assert failure["params"]["field"] == "reason"
    dossier = ok(
        post(
            counter, "/api/dossiers/refuse-intake/", {**body, "reason": "Không thuộc thẩm quyền"}
        ),
        201,
    )
    assert dossier["status"] == "intake_refused" and dossier["allowed_actions"] == []


def test_accepting_an_online_submission(ward: Ward, counter: APIClient) -> None:
    dossier = online(ward)
    body = ok(post(counter, url(dossier, "accept-online")))
    assert body["status"] == "in_progress" and body["code"]
    assert body["reference"] == dossier.reference

    failure = error(post(counter, url(dossier, "accept-online")), 409, "transition_not_allowed")
    assert failure["params"] == {"action": "accept_online", "status": "in_progress"}


def test_an_incomplete_online_submission_cannot_be_accepted(
    ward: Ward, counter: APIClient
) -> None:
    failure = error(
        post(counter, url(online(ward, complete=False), "accept-online")),
        400,
        "validation_failed",
    )
    assert failure["params"]["field"] == "documents"


def test_asking_an_online_applicant_to_complete(ward: Ward, counter: APIClient) -> None:
    dossier = online(ward, complete=False)
    items = [{"required_document": component(ward).pk}]
    body = ok(post(counter, url(dossier, "ask-to-complete"), {"items": items, "reason": "Thiếu"}))
    assert body["status"] == "awaiting_completion"

    error(
        post(counter, url(receive(ward), "ask-to-complete"), {"items": items, "reason": "x"}),
        409,
        "transition_not_allowed",
    )


def test_refusing_an_online_submission(ward: Ward, counter: APIClient) -> None:
    dossier = online(ward)
    failure = error(post(counter, url(dossier, "refuse-intake")), 400, "validation_failed")
    assert failure["params"]["field"] == "reason"
    body = ok(post(counter, url(dossier, "refuse-intake"), {"reason": "Sai thẩm quyền"}))
    assert body["status"] == "intake_refused"


# --- processing ------------------------------------------------------------------------


def test_handing_over_to_the_specialist(ward: Ward, counter: APIClient) -> None:
    dossier = receive(ward)
    body = ok(post(counter, url(dossier, "handover"), {"assignee": ward.specialist.pk}))
    assert open_assignee(body) == ward.specialist.pk
    assert body["steps"][0]["outcome"] in ("early", "on_time", "late")


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [("leader_as_specialist", 400, "validation_failed"), ("nobody", 400, "validation_failed")],
)
def test_a_handover_to_the_wrong_officer_is_refused(
    ward: Ward, counter: APIClient, who: str, status: int, code: str
) -> None:
    assignee = ward.leader.pk if who == "leader_as_specialist" else 987654321
    failure = error(
        post(counter, url(receive(ward), "handover"), {"assignee": assignee}), status, code
    )
    assert failure["params"]["field"] == "assignee"


def test_only_the_assignee_hands_over(ward: Ward) -> None:
    dossier = receive(ward)
    failure = error(
        post(
            client_for(ward.counter2.user),
            url(dossier, "handover"),
            {"assignee": ward.specialist.pk},
        ),
        403,
        "permission_denied",
    )
    assert "Nguyễn Thị Lan" in failure["message"]
    assert dossier.events.count() == 1


def test_a_head_reassigns_within_the_office(ward: Ward, specialist: APIClient) -> None:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    error(
        post(specialist, url(dossier, "assign"), {"assignee": ward.specialist2.pk}),
        403,
        "permission_denied",
    )
    body = ok(
        post(client_for(ward.head.user), url(dossier, "assign"), {"assignee": ward.specialist2.pk})
    )
    assert open_assignee(body) == ward.specialist2.pk


def test_sending_back_needs_a_reason(ward: Ward, leader: APIClient) -> None:
    dossier = run_to_leader(ward)
    failure = error(post(leader, url(dossier, "send-back")), 400, "validation_failed")
    assert failure["params"]["field"] == "reason"
    body = ok(post(leader, url(dossier, "send-back"), {"reason": "Thiếu ý kiến thẩm định"}))
    assert open_assignee(body) == ward.specialist.pk


def test_a_supplement_request_once_then_its_receipt(
    ward: Ward, counter: APIClient, specialist: APIClient
) -> None:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    items = [{"required_document": component(ward).pk, "reason": "Bản sao không rõ"}]

    body = ok(
        post(specialist, url(dossier, "request-supplement"), {"items": items, "reason": "x"})
    )
    assert body["status"] == "supplement_requested"
    assert body["paused_at"] and body["appointment_state"] is None
    assert body["open_step"]["deadline"] is None

    failure = error(post(counter, url(dossier, "receive-supplement")), 400, "validation_failed")
    assert failure["params"]["field"] == "documents"
    documents = [{"required_document": component(ward).pk, "originals": 1}]
    body = ok(post(counter, url(dossier, "receive-supplement"), {"documents": documents}))
    assert body["status"] == "in_progress" and body["paused_at"] is None

    failure = error(
        post(specialist, url(dossier, "request-supplement"), {"items": items, "reason": "lần 2"}),
        409,
        "supplement_already_requested",
    )
    assert "một lần" in failure["message"]


def test_a_transfer_needs_the_agencys_time_and_comes_back(
    ward: Ward, counter: APIClient, specialist: APIClient
) -> None:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    agency = {"agency_name": "Bảo hiểm xã hội khu vực Long Biên"}

    failure = error(post(specialist, url(dossier, "transfer"), agency), 400, "validation_failed")
    assert failure["params"]["field"] == "share_days"
    body = ok(post(specialist, url(dossier, "transfer"), {**agency, "share_days": "1.5"}))
    assert body["status"] == "at_other_agency"
    assert body["open_step"]["agency_name"] == agency["agency_name"]

    body = ok(post(counter, url(dossier, "receive-back"), {"assignee": ward.specialist.pk}))
    assert body["status"] == "in_progress" and open_assignee(body) == ward.specialist.pk
    error(
        post(counter, url(dossier, "receive-back"), {"assignee": ward.specialist.pk}),
        409,
        "transition_not_allowed",
    )


def test_refusing_to_resolve_is_for_the_signer(ward: Ward, leader: APIClient) -> None:
    dossier = run_to_leader(ward)
    error(
        post(client_for(ward.counter.user), url(dossier, "refuse"), {"reason": "x"}),
        403,
        "permission_denied",
    )
    body = ok(post(leader, url(dossier, "refuse"), {"reason": "Chỗ ở không hợp pháp"}))
    assert body["status"] == "refused" and body["results"][0]["is_refusal"] is True


def test_stopping_needs_a_known_cause_and_a_decision(ward: Ward, leader: APIClient) -> None:
    dossier = run_to_leader(ward)
    failure = error(post(leader, url(dossier, "stop"), {"cause": "bored"}), 400, "invalid")
    assert "cause" in failure["params"]["fields"]
    failure = error(
        post(leader, url(dossier, "stop"), {"cause": "applicant_request"}),
        400,
        "validation_failed",
    )
    assert failure["params"]["field"] == "decision"
    body = ok(
        post(
            leader,
            url(dossier, "stop"),
            {
                "cause": "applicant_request",
                "decision": "Dừng theo đơn rút hồ sơ",
                "requested_at": "2026-11-18T09:00:00+07:00",
            },
        )
    )
    assert body["status"] == "stopped"
    assert body["stop_notice"]["cause_label"] == "Theo đề nghị của người nộp hồ sơ"
    assert body["stop_notice"]["decided_by"]["id"] == ward.leader.pk


def test_a_signed_result_needs_its_document_number(ward: Ward, leader: APIClient) -> None:
    dossier = run_to_leader(ward)
    failure = error(
        post(leader, url(dossier, "result-ready"), result_body(ward, number="")),
        400,
        "validation_failed",
    )
    assert failure["params"]["field"] == "results"
    unknown = {"results": [{**result_body(ward)["results"][0], "procedure": "9.999999"}]}
    failure = error(post(leader, url(dossier, "result-ready"), unknown), 400, "validation_failed")
    assert failure["params"]["field"] == "results"

    body = ok(post(leader, url(dossier, "result-ready"), result_body(ward)))
    assert body["status"] == "result_ready"
    assert body["results"][0]["document_number"] == "123/GXN"
    assert open_assignee(body) == ward.counter.pk  # the return step, back at the counter


def test_returning_the_result_needs_a_delivery_record(ward: Ward, counter: APIClient) -> None:
    dossier = run_to_result(ward)
    failure = error(
        post(counter, url(dossier, "return-result"), {"channel": "counter"}),
        400,
        "validation_failed",
    )
    assert failure["params"]["field"] == "recipient_name"
    body = ok(post(counter, url(dossier, "return-result"), RETURN_AT_COUNTER))
    assert body["status"] == "returned"
    assert body["delivery"]["recipient_name"] == "Nguyễn Văn Bình"


def test_a_note_needs_text_and_an_open_dossier(ward: Ward, counter: APIClient) -> None:
    dossier = receive(ward)
    failure = error(post(counter, url(dossier, "note")), 400, "validation_failed")
    assert failure["params"]["field"] == "text"
    ok(post(counter, url(dossier, "note"), {"text": "Người nộp hẹn chiều quay lại"}))
    event = dossier.events.get(action="note")
    assert (event.internal, event.actor) == (True, ward.counter.user)


# --- a transition the table does not allow ------------------------------------------


@pytest.mark.parametrize(
    ("action", "body"),
    [
        ("handover", {"assignee": 1}),
        ("send-back", {"reason": "x"}),
        ("request-supplement", {"items": [], "reason": "x"}),
        ("transfer", {"agency_name": "X", "share_days": "1"}),
        ("refuse", {"reason": "x"}),
        ("stop", {"cause": "legal_cause", "decision": "x"}),
        ("result-ready", {"results": []}),
        ("note", {"text": "x"}),
        ("accept-online", {}),
    ],
)
def test_an_action_on_a_returned_dossier_is_409_with_the_stable_code(
    ward: Ward, leader: APIClient, action: str, body: dict[str, Any]
) -> None:
    dossier = run_to_result(ward)
    ok(post(client_for(ward.counter.user), url(dossier, "return-result"), RETURN_AT_COUNTER))
    events = DossierEvent.objects.filter(dossier=dossier).count()

    failure = error(post(leader, url(dossier, action), body), 409, "transition_not_allowed")

    assert failure["params"]["status"] == Status.RETURNED
    assert "Đã trả kết quả" in failure["message"]
    assert DossierEvent.objects.filter(dossier=dossier).count() == events


def test_a_rule_that_no_longer_applies_is_a_plain_conflict(ward: Ward, counter: APIClient) -> None:
    failure = error(
        post(counter, url(receive(ward), "send-back"), {"reason": "Xem lại"}), 409, "conflict"
    )
    assert failure["message"] == "Không có bước trước để trả lại."


# --- never a 500 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        [],
        "text",
        {"assignee": "x", "items": "x", "documents": {"a": 1}, "results": 5, "cause": 1},
        {"assignee": 2**64, "share_days": "1e999", "requested_at": "hôm qua", "results": [{}]},
        {"text": "\x00", "reason": "\ud800", "items": [{"required_document": -1}]},
    ],
)
def test_garbage_never_makes_a_500(ward: Ward, leader: APIClient, body: Any) -> None:
    dossier = run_to_leader(ward)
    for action in ACTION_VIEWS:
        response = leader.post(
            url(dossier, action.replace("_", "-")),
            json.dumps(body),
            content_type="application/json",
        )
        assert response.status_code in (400, 403, 409), (action, response.content)
        assert set(response.json()) == {"error"}


def test_a_supplement_request_from_a_service_call_shows_in_the_dossier(
    ward: Ward, counter: APIClient
) -> None:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    dossier_request_supplement(
        dossier=dossier,
        actor=ward.specialist.user,
        items=[SupplementItem(component(ward).pk, reason="Mờ")],
        reason="Cần bổ sung",
    )
    body = ok(counter.get(url(dossier)))
    request = body["supplement_requests"][0]
    assert request["during_processing"] is True
    assert request["requested_by"]["id"] == ward.specialist.pk
    assert request["items"][0]["required_document_id"] == component(ward).pk
    assert {item["action"] for item in body["allowed_actions"]} == {
        "receive_supplement",
        "stop",
        "note",
    }


def test_the_received_documents_of_a_supplement_are_marked(ward: Ward, counter: APIClient) -> None:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    dossier_request_supplement(
        dossier=dossier,
        actor=ward.specialist.user,
        items=[SupplementItem(component(ward).pk)],
        reason="Cần bổ sung",
    )
    documents = [{"required_document": component(ward).pk, "copies": 2}]
    body = ok(post(counter, url(dossier, "receive-supplement"), {"documents": documents}))
    assert [d["copies"] for d in body["documents"] if d["from_supplement"]] == [2]

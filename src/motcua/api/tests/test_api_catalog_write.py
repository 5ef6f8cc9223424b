"""Catalog management through the API: who may, the publication flow, errors in one shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.accounts.models import AuditEvent, User
from motcua.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CODE = "1.999001"
NAME = "Thủ tục cấp giấy xác nhận thử nghiệm"
METHODS = {
    "methods": [
        {
            "channel": "in_person",
            "time_value": "3",
            "time_unit": "working_days",
            "fees": [{"kind": "charge", "amount": 20000}],
        }
    ]
}
STEPS_OVER = {
    "steps": [
        {"name": "Tiếp nhận hồ sơ", "share_value": "0.5"},
        {"name": "Thẩm định", "share_value": "2.5"},
        {"name": "Trả kết quả", "share_value": "0.5"},
    ]
}
STEPS_RIGHT = {
    "steps": [
        {"name": "Tiếp nhận hồ sơ", "share_value": "0.5", "responsible_role": "counter_officer"},
        {"name": "Thẩm định", "share_value": "1.5", "responsible_role": "specialist"},
        {"name": "Lãnh đạo ký", "share_value": "0.5", "is_signing": True},
        {"name": "Trả kết quả", "share_value": "0.5"},
    ]
}

# Every write, on a procedure of the sample catalog.
WRITES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("post", "/api/procedures/", {"code": CODE, "name": NAME}),
    ("get", "/api/procedures/1.004222/draft/", None),
    ("post", "/api/procedures/1.004222/draft/", None),
    ("patch", "/api/procedures/1.004222/draft/", {"change_note": "Sửa"}),
    ("put", "/api/procedures/1.004222/draft/methods/", METHODS),
    ("put", "/api/procedures/1.004222/draft/documents/", {"documents": [{"name": "Tờ khai"}]}),
    ("put", "/api/procedures/1.004222/draft/process/", STEPS_RIGHT),
    ("post", "/api/procedures/1.004222/draft/publish/", {"effective_from": "2030-01-01"}),
    (
        "post",
        "/api/procedures/1.004222/versions/1/withdraw/",
        {"withdrawn_on": "2030-01-01", "reason": "Bãi bỏ"},
    ),
    ("post", "/api/procedures/1.004222/versions/1/reviewed/", None),
]


def call(client: APIClient, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, body, format="json")


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.content
    return response.json()


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "params"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


# --- who may ------------------------------------------------------------------------------


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_anonymous_users_must_sign_in(
    api: APIClient, catalog: None, method: str, url: str, body: dict[str, Any] | None
) -> None:
    failure = error(call(api, method, url, body), 403, "not_authenticated")
    assert failure["message"] == "Vui lòng đăng nhập để thực hiện thao tác này."


@pytest.mark.parametrize("who", ["citizen", "specialist"])
@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_only_catalog_managers_may_write(
    request: pytest.FixtureRequest,
    catalog: None,
    who: str,
    method: str,
    url: str,
    body: dict[str, Any] | None,
) -> None:
    client = APIClient()
    client.force_login(request.getfixturevalue(who))
    audited = AuditEvent.objects.count()

    failure = error(call(client, method, url, body), 403, "permission_denied")

    assert failure["message"].startswith("Bạn không có quyền quản lý danh mục thủ tục")
    assert failure["params"] == {"action": "catalog.manage"}
    assert AuditEvent.objects.count() == audited


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_administrators_and_superusers_may_write(
    admin_api: APIClient, catalog: None, method: str, url: str, body: dict[str, Any] | None
) -> None:
    if "/draft/" in url and method != "post":
        ok(call(admin_api, "post", "/api/procedures/1.004222/draft/"))
    superuser = APIClient()
    superuser.force_login(UserFactory(superuser=True))

    for client in (admin_api, superuser):
        response = call(client, method, url, body)
        assert response.status_code not in (401, 403, 500), response.content


def test_writes_need_the_csrf_token_of_the_session(administrator: User, catalog: None) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(administrator)

    failure = error(client.post("/api/procedures/1.004222/draft/"), 403, "csrf_failed")
    assert "CSRF" in failure["message"]

    token = "a" * 32
    client.cookies["csrftoken"] = token
    ok(client.post("/api/procedures/1.004222/draft/", HTTP_X_CSRFTOKEN=token))


# --- the publication flow ------------------------------------------------------------------


def test_create_prepare_and_publish_a_procedure(admin_api: APIClient, api: APIClient) -> None:
    today = timezone.localdate()
    draft = ok(
        call(
            admin_api,
            "post",
            "/api/procedures/",
            {"code": CODE, "name": NAME, "field": "Hộ tịch", "levels": ["Cấp xã"]},
        ),
        201,
    )
    assert (draft["code"], draft["version"], draft["status"]) == (CODE, 1, "draft")
    error(api.get(f"/api/procedures/{CODE}/"), 404, "not_found")

    draft = ok(call(admin_api, "put", f"/api/procedures/{CODE}/draft/methods/", METHODS))
    assert draft["methods"][0]["time_label"] == "3 ngày làm việc"
    assert draft["methods"][0]["fees"][0]["amount"] == 20000
    documents = {"documents": [{"name": "Tờ khai theo mẫu", "originals": 1}]}
    draft = ok(call(admin_api, "put", f"/api/procedures/{CODE}/draft/documents/", documents))
    assert [(d["position"], d["name"]) for d in draft["documents"]] == [(1, "Tờ khai theo mẫu")]
    draft = ok(call(admin_api, "put", f"/api/procedures/{CODE}/draft/process/", STEPS_RIGHT))
    assert [step["share_value"] for step in draft["process_steps"]] == [0.5, 1.5, 0.5, 0.5]

    published = ok(
        call(
            admin_api,
            "post",
            f"/api/procedures/{CODE}/draft/publish/",
            {"effective_from": today.isoformat()},
        )
    )
    assert published["status"] == "published"
    public = ok(api.get(f"/api/procedures/{CODE}/"))
    assert (public["name"], public["time_limit_label"]) == (NAME, "3 ngày làm việc")
    assert [v["version"] for v in ok(api.get(f"/api/procedures/{CODE}/versions/"))] == [1]

    # A second version, from tomorrow: today the first stays in force.
    assert ok(call(admin_api, "post", f"/api/procedures/{CODE}/draft/"))["version"] == 2
    renamed = NAME + " (sửa đổi)"
    ok(call(admin_api, "patch", f"/api/procedures/{CODE}/draft/", {"name": renamed}))
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    ok(
        call(
            admin_api,
            "post",
            f"/api/procedures/{CODE}/draft/publish/",
            {"effective_from": tomorrow},
        )
    )
    assert ok(api.get(f"/api/procedures/{CODE}/"))["name"] == NAME
    assert [v["version"] for v in ok(api.get(f"/api/procedures/{CODE}/versions/"))] == [2, 1]

    # Withdrawn from today, the first version leaves nothing in force until tomorrow.
    withdrawn = ok(
        call(
            admin_api,
            "post",
            f"/api/procedures/{CODE}/versions/1/withdraw/",
            {"withdrawn_on": today.isoformat(), "reason": "Thay bằng phiên bản 2"},
        )
    )
    assert (withdrawn["status"], withdrawn["withdrawn_reason"]) == (
        "withdrawn",
        "Thay bằng phiên bản 2",
    )
    error(api.get(f"/api/procedures/{CODE}/"), 404, "not_found")

    reviewed = ok(call(admin_api, "post", f"/api/procedures/{CODE}/versions/2/reviewed/"))
    assert reviewed["needs_review"] is False
    assert AuditEvent.objects.filter(action="catalog.version_publish").count() == 2


def test_a_process_that_overruns_names_the_step(admin_api: APIClient, catalog: None) -> None:
    ok(call(admin_api, "post", "/api/procedures/1.004222/draft/"))
    steps = {"steps": [*STEPS_OVER["steps"][:2], {"name": "Trả kết quả", "share_value": "5"}]}

    failure = error(
        call(admin_api, "put", "/api/procedures/1.004222/draft/process/", steps),
        400,
        "validation_failed",
    )

    assert failure["params"] == {"field": "steps", "step": 3}
    assert "Bước 3 «Trả kết quả» làm vượt thời hạn" in failure["message"]
    assert "7 ngày làm việc" in failure["message"]


def test_a_process_that_falls_short_names_the_last_step(
    admin_api: APIClient, catalog: None
) -> None:
    ok(call(admin_api, "post", "/api/procedures/1.004222/draft/"))

    failure = error(
        call(admin_api, "put", "/api/procedures/1.004222/draft/process/", STEPS_OVER),
        400,
        "validation_failed",
    )

    assert failure["params"]["step"] == 3
    assert "còn thiếu 3,5 ngày làm việc" in failure["message"]
    assert "«Trả kết quả»" in failure["message"]


# --- errors ---------------------------------------------------------------------------------


def test_rules_of_the_services_come_back_in_the_error_shape(
    admin_api: APIClient, catalog: None
) -> None:
    failure = error(
        call(admin_api, "patch", "/api/procedures/1.004222/draft/", {"name": "Mới"}),
        404,
        "not_found",
    )
    assert "chưa có phiên bản đang soạn" in failure["message"]
    failure = error(
        call(admin_api, "post", "/api/procedures/", {"code": "1.004222", "name": "Trùng"}),
        409,
        "conflict",
    )
    assert failure["params"] == {"field": "code"}
    failure = error(
        call(admin_api, "post", "/api/procedures/", {"code": "abc", "name": "Sai mã"}),
        400,
        "validation_failed",
    )
    assert failure["message"] == "Mã thủ tục không hợp lệ: abc (ví dụ 1.001193)."

    ok(call(admin_api, "post", "/api/procedures/1.004222/draft/"))
    error(
        call(
            admin_api,
            "post",
            "/api/procedures/1.004222/versions/2/withdraw/",
            {"withdrawn_on": "2030-01-01", "reason": "Thử"},
        ),
        409,
        "conflict",
    )
    error(
        call(admin_api, "post", "/api/procedures/1.004222/versions/9/reviewed/"), 404, "not_found"
    )
    no_methods = {"methods": []}
    ok(call(admin_api, "put", "/api/procedures/1.004222/draft/methods/", no_methods))
    failure = error(
        call(
            admin_api,
            "post",
            "/api/procedures/1.004222/draft/publish/",
            {"effective_from": "2030-01-01"},
        ),
        400,
        "validation_failed",
    )
    assert failure["params"] == {"field": "methods"}
    negative = {"methods": [{**METHODS["methods"][0], "fees": [{"amount": -5}]}]}
    failure = error(
        call(admin_api, "put", "/api/procedures/1.004222/draft/methods/", negative),
        400,
        "validation_failed",
    )
    assert failure["message"] == "Mức phí, lệ phí không được âm."


def test_malformed_input_is_400_with_the_fields_named(admin_api: APIClient, catalog: None) -> None:
    ok(call(admin_api, "post", "/api/procedures/1.004222/draft/"))
    bad_channel = {"methods": [{**METHODS["methods"][0], "channel": "fax"}]}

    failure = error(
        call(admin_api, "put", "/api/procedures/1.004222/draft/methods/", bad_channel),
        400,
        "invalid",
    )
    assert "channel" in failure["params"]["fields"]["methods"]["0"]
    assert failure["message"] == "Dữ liệu gửi lên không hợp lệ."
    failure = error(
        admin_api.post(
            "/api/procedures/1.004222/draft/publish/", "{oops", content_type="application/json"
        ),
        400,
        "parse_error",
    )
    assert failure["message"] == "Dữ liệu gửi lên không đúng định dạng JSON."
    error(
        admin_api.post("/api/procedures/1.004222/draft/publish/", {"effective_from": "x"}),
        415,
        "unsupported_media_type",
    )
    error(
        call(admin_api, "post", "/api/procedures/1.004222/draft/publish/", {"effective_from": 5}),
        400,
        "invalid",
    )

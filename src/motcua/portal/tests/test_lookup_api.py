"""GET /api/public/dossiers/lookup/: the status lookup as JSON, anonymous and throttled."""

from __future__ import annotations

import json

from django.test import Client, override_settings

from motcua.dossiers.tests.conftest import APPLICANT, Ward
from motcua.feedback.tests.support import (
    INTERNAL_NOTE,
    _fresh_rate_limits,
    just_received,
    returned_dossier,
    ward,
)

__all__ = ["_fresh_rate_limits", "ward"]

URL = "/api/public/dossiers/lookup/"


def test_the_json_answer_is_masked_and_has_the_citizen_timeline(
    client: Client, ward: Ward
) -> None:
    dossier = returned_dossier(ward)

    response = client.get(URL, {"code": dossier.code, "factor": dossier.lookup_secret})

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code
    assert body["status"] == "returned"
    assert body["applicant_name"] == "Nguyễn V** B***"
    assert body["applicant_phone"] == "09******78"
    assert body["applicant_id_number"] == "001*******45"
    titles = [event["title"] for event in body["timeline"]]
    assert titles[0] == "Tiếp nhận hồ sơ"
    assert "Đã trả kết quả" in titles
    text = json.dumps(body, ensure_ascii=False)
    for secret in (APPLICANT.name, APPLICANT.phone, INTERNAL_NOTE, ward.counter.full_name):
        assert secret not in text
    assert "id" not in body  # no internal identifiers
    assert response["Cache-Control"] == "private, no-store"


def test_wrong_factor_and_unknown_code_are_the_same_404(client: Client, ward: Ward) -> None:
    dossier = just_received(ward)
    code = dossier.code or ""

    wrong_factor = client.get(URL, {"code": code, "factor": "0000"})
    unknown_code = client.get(URL, {"code": code[:-4] + "9999", "factor": "5678"})

    assert wrong_factor.status_code == unknown_code.status_code == 404
    assert wrong_factor.content == unknown_code.content
    assert wrong_factor.json()["error"]["code"] == "dossier_lookup_not_found"


def test_missing_parameters_are_a_400_in_the_error_shape(client: Client, db: None) -> None:
    response = client.get(URL, {"code": "X"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_failed"


@override_settings(MOTCUA_LOOKUP_RATE_PER_IP="2/min", MOTCUA_LOOKUP_RATE_PER_CODE="")
def test_the_api_is_throttled_per_address(client: Client, ward: Ward) -> None:
    dossier = just_received(ward)
    query = {"code": dossier.code, "factor": "5678"}
    assert client.get(URL, query).status_code == 200
    assert client.get(URL, query).status_code == 200

    response = client.get(URL, query)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert "quá nhiều yêu cầu" in response.json()["error"]["message"]


@override_settings(MOTCUA_LOOKUP_RATE_PER_IP="", MOTCUA_LOOKUP_RATE_PER_CODE="2/hour")
def test_the_page_and_the_api_share_the_per_code_limit(client: Client, ward: Ward) -> None:
    dossier = just_received(ward)
    client.post("/tra-cuu/", {"ma": dossier.code, "k": "0000"})
    client.get(URL, {"code": dossier.code, "factor": "1111"})

    response = client.get(URL, {"code": dossier.code, "factor": "5678"})

    assert response.status_code == 429


def test_the_openapi_schema_describes_the_endpoint(client: Client, db: None) -> None:
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/public/dossiers/lookup/" in schema
    assert "public_dossier_lookup" in schema


def test_head_is_answered_like_get_and_other_methods_get_a_405_in_the_error_shape(
    client: Client, ward: Ward
) -> None:
    dossier = just_received(ward)
    query = {"code": dossier.code, "factor": dossier.lookup_secret}

    assert client.head(URL, query).status_code == 200
    assert client.head(URL, {"code": "X", "factor": "0000"}).status_code == 404
    refused = client.post(URL, query)
    assert refused.status_code == 405
    assert refused.json()["error"]["code"] == "method_not_allowed"
    assert "POST" in refused.json()["error"]["message"]

"""The Idempotency-Key header: one key, one dossier, the same answer on replay.

The key is scoped to the endpoint and the user, so two officers (or an
officer and the portal) may pick the same key; a replay with another body
is refused while the first body's hash is known; a refused request leaves
the key free. On PostgreSQL, the same key sent at once from many
connections still makes one dossier.
"""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from motcua.api.tests.dossiers_support import (
    Ward,
    build_ward,
    client_for,
    error,
    intake_body,
    ok,
)
from motcua.api.views_dossiers import OnlineSubmissionThrottle
from motcua.dossiers.models import Dossier

KEY = "9f1c2e8a-4b7d-4c1e-9a53-0d2f6b8e7c41"


def online_body(ward: Ward, name: str = "Lê Văn Cường") -> dict[str, Any]:
    return {"unit": ward.centre.pk, "procedure": "1.004222", "applicant_name": name}


def post(client: APIClient, path: str, body: Any, key: str | None = KEY) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, body, format="json", **headers)


@pytest.mark.django_db
class TestOneKeyOneDossier:
    @pytest.fixture
    def ward(self, db: None) -> Ward:
        return build_ward()

    def test_the_same_intake_twice_makes_one_dossier_and_the_same_answer(self, ward: Ward) -> None:
        counter = client_for(ward.counter.user)

        # The clock stands still: the answers say how much time is left, in seconds.
        with time_machine.travel(timezone.now(), tick=False):
            first = ok(post(counter, "/api/dossiers/", intake_body(ward)), 201)
            again = ok(post(counter, "/api/dossiers/", intake_body(ward)), 201)

        assert again == first
        assert Dossier.objects.count() == 1
        assert (
            Dossier.objects.get().idempotency_key == f"api:receive:u{ward.counter.user.pk}:{KEY}"
        )

    def test_without_a_key_each_post_is_a_new_dossier(self, ward: Ward) -> None:
        counter = client_for(ward.counter.user)
        ok(post(counter, "/api/dossiers/", intake_body(ward), key=None), 201)
        ok(post(counter, "/api/dossiers/", intake_body(ward), key=None), 201)
        assert Dossier.objects.count() == 2

    def test_the_same_key_with_another_body_is_refused(self, ward: Ward) -> None:
        counter = client_for(ward.counter.user)
        ok(post(counter, "/api/dossiers/", intake_body(ward)), 201)

        failure = error(
            post(counter, "/api/dossiers/", intake_body(ward, applicant_name="Trần Thị Đào")),
            409,
            "idempotency_key_reused",
        )

        assert failure["params"] == {"header": "Idempotency-Key"}
        assert Dossier.objects.count() == 1

    def test_once_the_hash_is_forgotten_a_replay_still_gets_the_first_dossier(
        self, ward: Ward
    ) -> None:
        counter = client_for(ward.counter.user)
        first = ok(post(counter, "/api/dossiers/", intake_body(ward)), 201)
        cache.clear()

        again = ok(
            post(counter, "/api/dossiers/", intake_body(ward, applicant_name="Trần Thị Đào")), 201
        )

        assert again["code"] == first["code"] and again["applicant_name"] == "Nguyễn Văn Bình"
        assert Dossier.objects.count() == 1

    def test_keys_are_scoped_per_user_and_endpoint(self, ward: Ward) -> None:
        first = ok(post(client_for(ward.counter.user), "/api/dossiers/", intake_body(ward)), 201)
        second = ok(post(client_for(ward.counter2.user), "/api/dossiers/", intake_body(ward)), 201)
        receipt = ok(post(APIClient(), "/api/dossiers/online/", online_body(ward)), 201)

        assert len({first["reference"], second["reference"], receipt["reference"]}) == 3
        assert set(Dossier.objects.values_list("idempotency_key", flat=True)) == {
            f"api:receive:u{ward.counter.user.pk}:{KEY}",
            f"api:receive:u{ward.counter2.user.pk}:{KEY}",
            f"api:online:anon:{KEY}",
        }

    def test_a_refused_request_leaves_the_key_free_for_the_corrected_one(self, ward: Ward) -> None:
        counter = client_for(ward.counter.user)
        error(
            post(counter, "/api/dossiers/", intake_body(ward, documents=[])),
            400,
            "validation_failed",
        )
        ok(post(counter, "/api/dossiers/", intake_body(ward)), 201)
        assert Dossier.objects.count() == 1

    def test_an_online_resubmission_gets_the_same_receipt(self, ward: Ward) -> None:
        portal = APIClient()
        first = ok(post(portal, "/api/dossiers/online/", online_body(ward)), 201)
        again = ok(post(portal, "/api/dossiers/online/", online_body(ward)), 201)
        assert again == first and Dossier.objects.count() == 1
        error(
            post(portal, "/api/dossiers/online/", online_body(ward, "Trần Thị Đào")),
            409,
            "idempotency_key_reused",
        )

    @pytest.mark.parametrize(
        "key", ["", "short", "x" * 65, "khóa-có-dấu-0123456789", "a b c d e f g h i j k"]
    )
    def test_a_malformed_key_is_400(self, ward: Ward, key: str) -> None:
        failure = error(
            post(client_for(ward.counter.user), "/api/dossiers/", intake_body(ward), key=key),
            400,
            "invalid",
        )
        assert "Idempotency-Key" in failure["params"]["fields"]
        assert not Dossier.objects.exists()

    def test_the_quoted_form_of_the_draft_standard_is_the_same_key(self, ward: Ward) -> None:
        counter = client_for(ward.counter.user)
        ok(post(counter, "/api/dossiers/", intake_body(ward)), 201)
        ok(post(counter, "/api/dossiers/", intake_body(ward), key=f'"{KEY}"'), 201)
        assert Dossier.objects.count() == 1


# --- at once, on PostgreSQL ---------------------------------------------------------------

WORKERS = 12


def run_concurrently(count: int, work: Any) -> list[Any]:
    """Start ``count`` calls at once, each in its own thread and database connection."""
    barrier = threading.Barrier(count)

    def call(index: int) -> Any:
        try:
            barrier.wait()
            return work(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(call, range(count)))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_key_at_once_from_many_connections_makes_one_dossier() -> None:
    ward = build_ward()
    body = intake_body(ward)
    key = str(uuid.uuid4())
    sessions = APIClient()
    sessions.force_login(ward.counter.user)
    cookie = sessions.cookies["sessionid"].value

    def intake(index: int) -> tuple[int, Any]:
        client = APIClient()
        client.cookies["sessionid"] = cookie
        response = post(client, "/api/dossiers/", body, key=key)
        return response.status_code, response.json()

    answers = run_concurrently(WORKERS, intake)

    assert {code for code, _ in answers} == {201}, answers
    assert len({answer["code"] for _, answer in answers}) == 1
    assert Dossier.objects.count() == 1
    # The losers' code numbers went back with their rollback: the next is 0002.
    assert ok(post(sessions, "/api/dossiers/", body, key=None), 201)["code"].endswith("-0002")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_different_bodies_at_once_under_one_key_make_one_dossier(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(OnlineSubmissionThrottle, "rate", "1000/min")
    ward = build_ward()
    key = str(uuid.uuid4())

    def submit(index: int) -> int:
        body = online_body(ward, name=f"Người nộp {index}")
        return post(APIClient(), "/api/dossiers/online/", body, key=key).status_code

    codes = run_concurrently(WORKERS, submit)

    assert codes.count(201) == 1 and codes.count(409) == WORKERS - 1, codes
    assert Dossier.objects.count() == 1

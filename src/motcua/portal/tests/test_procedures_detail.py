"""The public page of one procedure: the version in force, in words, with a QR code."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.tests.factories import UserFactory
from motcua.catalog.models import Procedure, RequiredDocument
from motcua.catalog.qr import qr_svg
from motcua.catalog.selectors import procedure_version_in_force
from motcua.catalog.services import (
    procedure_create,
    procedure_version_prepare,
    procedure_version_publish,
    procedure_version_update,
)
from motcua.portal.tests.conftest import Listing

pytestmark = pytest.mark.django_db


def page(client: Client, code: str) -> str:
    response = client.get(f"/thu-tuc/{code}/")
    assert response.status_code == 200
    return response.content.decode()


def section(content: str, anchor: str) -> str:
    start = content.index(f'id="{anchor}"')
    end = content.find("</section>", start)
    return content[start:end]


def test_the_page_shows_name_code_field_level_and_key_facts(
    client: Client, listing: Listing
) -> None:
    content = page(client, "1.004222")

    assert "<h1>Đăng ký thường trú</h1>" in content
    assert "Mã thủ tục: <strong>1.004222</strong>" in content
    assert '<span class="badge">Đăng ký, quản lý cư trú</span>' in content
    assert '<span class="badge">Cấp xã</span>' in content
    facts = content[content.index('<dl class="key-facts">') :][:800]
    assert "7 ngày làm việc" in facts
    assert "10.000 – 20.000 đồng" in facts
    assert "Công an cấp Xã" in facts


def test_methods_list_time_limits_and_fees_in_dong(client: Client, listing: Listing) -> None:
    methods = section(page(client, "1.004222"), "cach-thuc")

    assert methods.count("7 ngày làm việc") == 2
    assert "<strong>20.000 đồng</strong>" in methods
    assert "<strong>10.000 đồng</strong>" in methods
    assert "Trực tuyến" in methods and "Trực tiếp" in methods
    assert "Miễn phí" not in methods


def test_a_fee_set_by_the_council_is_a_sentence_not_a_number(
    client: Client, listing: Listing
) -> None:
    methods = section(page(client, "1.001193"), "cach-thuc")

    assert "Theo mức do Hội đồng nhân dân cấp tỉnh quy định" in methods
    assert "Miễn phí" not in methods
    assert ">0 đồng<" not in methods


def test_an_unknown_amount_is_said_so_never_zero_or_free(client: Client, listing: Listing) -> None:
    methods = section(page(client, "1.000894"), "cach-thuc")

    assert "<strong>Chưa có mức thu cụ thể</strong>" in methods
    assert "Miễn lệ phí" in methods  # the source's own words, as a note
    assert "<strong>Miễn phí</strong>" not in methods
    assert "<strong>0" not in methods


def test_an_unreadable_time_limit_is_said_so(client: Client, listing: Listing) -> None:
    methods = section(page(client, "1.001193"), "cach-thuc")

    assert "Chưa xác định — vui lòng hỏi Bộ phận Một cửa" in methods


def test_documents_are_grouped_by_case_with_counts_and_badges(
    client: Client, listing: Listing
) -> None:
    version = procedure_version_in_force(procedure=Procedure.objects.get(code="1.004222"))
    assert version is not None
    reusable = version.documents.filter(name__startswith="Thông tin chứng minh về chỗ ở").first()
    assert reusable is not None
    RequiredDocument.objects.filter(pk=reusable.pk).update(reusable_from_data=True)

    documents = section(page(client, "1.004222"), "ho-so")

    assert documents.count("<h3>") == 6
    assert "<h3>Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ</h3>" in documents
    assert "<span>1 bản chính</span>" in documents
    assert documents.count('<span class="badge">không bắt buộc</span>') == 1
    assert "Có thể khai thác từ dữ liệu điện tử, không phải nộp bản giấy" in documents
    # Documents of one case stay together even when the source interleaves cases.
    own_home = documents.index("<h3>Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu")
    next_case = documents.index("<h3>", own_home + 4)
    assert documents[own_home:next_case].count("<li>") == 4


def test_documents_every_case_needs_come_under_one_heading(
    client: Client, listing: Listing
) -> None:
    documents = section(page(client, "1.000656"), "ho-so")

    assert "<h3>Giấy tờ chung</h3>" in documents
    assert "<h3>Giấy tờ phải nộp</h3>" in documents


def test_steps_are_numbered_and_the_internal_process_has_shares(
    client: Client, listing: Listing
) -> None:
    content = page(client, "1.004222")
    steps = section(content, "trinh-tu")
    process = section(content, "quy-trinh")

    assert [int(n) for n in re.findall(r"<strong>Bước (\d+)</strong>", steps)] == [1, 2, 3, 4, 5]
    assert "Quy trình nội bộ" in process
    assert "Tiếp nhận, kiểm tra và chuyển hồ sơ" in process
    assert "5,5 ngày làm việc" in process
    assert process.count("0,5 ngày làm việc") == 3
    assert "Lãnh đạo UBND" in process
    assert "ký duyệt" in process


def test_results_legal_basis_conditions_and_hotline(client: Client, listing: Listing) -> None:
    content = page(client, "1.004222")

    assert "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư" in section(
        content, "ket-qua"
    )
    assert "<strong>68/2020/QH14</strong> — Luật Cư trú 2020" in section(content, "can-cu")
    assert "Cơ sở dữ liệu quốc gia về dân cư" in section(content, "dieu-kien")
    assert 'href="tel:1022">1022</a>' in content
    assert "1523/QĐ-BCA-C06" in content


def test_where_to_submit_lists_the_units_with_address_and_phone(
    client: Client, listing: Listing
) -> None:
    where = section(page(client, "1.004222"), "noi-nop")

    assert "<strong>Phường Long Biên</strong>" in where
    assert "Số 1 phố Thử Nghiệm, phường Long Biên, Hà Nội" in where
    assert 'href="tel:02438270000">024 3827 0000</a>' in where
    assert "<strong>Phường Thanh Xuân</strong>" in where


def test_the_qr_code_links_to_the_absolute_address_of_the_page(
    client: Client, listing: Listing
) -> None:
    content = page(client, "1.004222")
    url = "http://testserver/thu-tuc/1.004222/"

    assert f'<link rel="canonical" href="{url}">' in content
    assert str(qr_svg(url, title="Đăng ký thường trú", css_class="qr")) in content
    assert '<svg role="img" viewBox=' in content


def test_officers_see_the_review_notice_and_citizens_do_not(
    client: Client, listing: Listing
) -> None:
    notice = "Thủ tục cần rà soát — chỉ cán bộ nhìn thấy thông báo này"
    assert notice not in page(client, "1.001193")

    citizen = UserFactory(citizen=True)
    client.force_login(citizen)
    assert notice not in page(client, "1.001193")

    officer = UserFactory()
    client.force_login(officer)
    content = page(client, "1.001193")
    assert notice in content
    assert "Lệ phí ghi «Miễn phí» nhưng căn cứ pháp lý" in content
    assert 'href="/can-bo/thu-tuc/1.001193/">Mở thủ tục trong trang cán bộ' in content
    assert notice not in page(client, "1.004222")  # reviewed procedures have no notice


def test_a_future_version_is_not_shown_before_its_date(client: Client, listing: Listing) -> None:
    procedure = Procedure.objects.get(code="1.004222")
    draft = procedure_version_prepare(procedure=procedure, actor=None)
    procedure_version_update(version=draft, actor=None, name="Đăng ký thường trú (sửa đổi)")
    procedure_version_publish(
        version=draft, actor=None, effective_from=timezone.localdate() + dt.timedelta(days=10)
    )

    assert "<h1>Đăng ký thường trú</h1>" in page(client, "1.004222")


@pytest.mark.parametrize("code", ["9.999999", "in-khong-co", "1.004222.H99", "a" * 40])
def test_unknown_codes_get_the_vietnamese_404_page(
    client: Client, listing: Listing, code: str
) -> None:
    response = client.get(f"/thu-tuc/{code}/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/thu-tuc/%00/", "/thu-tuc/1.0%2F../", "/thu-tuc/" + "1" * 500 + "/"]
)
def test_malformed_codes_are_404_not_500(client: Client, listing: Listing, path: str) -> None:
    assert client.get(path).status_code == 404


def test_an_unlisted_procedure_is_404(client: Client, listing: Listing) -> None:
    procedure_create(actor=None, code="1.999999", name="Thủ tục đang soạn")

    assert client.get("/thu-tuc/1.999999/").status_code == 404


def test_the_page_is_printable(client: Client, listing: Listing) -> None:
    content = page(client, "1.004222")

    assert 'href="/static/motcua/css/print.css" media="print"' in content
    assert '<nav class="toc no-print"' in content
    assert '<span class="print-only">http://testserver/thu-tuc/1.004222/</span>' in content

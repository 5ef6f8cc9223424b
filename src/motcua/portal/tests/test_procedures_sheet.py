"""The printable listing sheet: an A4 PDF with Vietnamese text intact and working QR codes.

``pdftotext``/``pdftoppm``/``pdffonts`` come from poppler-utils and ``zbarimg`` from
zbar-tools; ``make deps-pdf`` installs them (``make test`` does it first).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.catalog import listing_pdf
from motcua.catalog.models import Procedure
from motcua.catalog.services import procedure_refresh_listing
from motcua.portal import views
from motcua.portal.tests.conftest import Listing

pytestmark = pytest.mark.django_db
URL = "/thu-tuc/in/"


def needs(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed: run `make deps-pdf` (Debian {package})")
    return path


def run(tool: str, package: str, *args: str) -> str:
    """The output of a poppler or zbar tool, skipping the test when it is not installed."""
    command = [needs(tool, package), *args]
    return subprocess.run(command, check=False, capture_output=True, text=True).stdout  # noqa: S603


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text in drawing order (a table cell stays together), one space between words."""
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    return " ".join(run("pdftotext", "poppler-utils", "-raw", str(path), "-").split())


def sheet(client: Client, **params: object) -> bytes:
    response = client.get(URL, params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_sheet_of_a_ward_has_vietnamese_names_intact(
    client: Client, listing: Listing, tmp_path: Path
) -> None:
    response = client.get(URL, {"unit": listing.ward.code})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'inline; filename="danh-muc-thu-tuc-00145-' in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert "PHƯỜNG LONG BIÊN" in text
    assert "DANH MỤC THỦ TỤC HÀNH CHÍNH" in text
    assert "Đăng ký thường trú" in text
    assert "Thủ tục đăng ký khai sinh" in text
    assert "Thủ tục đăng ký khai tử" in text
    assert "7 ngày làm việc" in text
    assert "10.000 – 20.000 đồng" in text
    assert "1.004222" in text
    assert "— 8 thủ tục" in text
    assert "Lĩnh vực Hộ tịch (3 thủ tục)" in text
    assert "Đường dây nóng: 1022" in text
    assert "Trang 1/" in text


def test_a_field_sheet_names_the_field_and_lists_only_it(
    client: Client, listing: Listing, tmp_path: Path
) -> None:
    text = pdf_text(sheet(client, unit=listing.ward.pk, field="Hộ tịch"), tmp_path)

    assert "Lĩnh vực: Hộ tịch" in text
    assert "— 3 thủ tục" in text
    assert "Đăng ký thường trú" not in text


def test_the_unit_may_be_given_by_id_or_code(
    client: Client, listing: Listing, tmp_path: Path
) -> None:
    by_id = pdf_text(sheet(client, unit=listing.other_ward.pk), tmp_path)
    by_code = pdf_text(sheet(client, unit=listing.other_ward.code), tmp_path)

    for text in (by_id, by_code):
        assert "PHƯỜNG THANH XUÂN" in text
        assert "— 2 thủ tục" in text


def test_the_qr_codes_decode_to_the_detail_pages(
    client: Client, listing: Listing, tmp_path: Path
) -> None:
    needs("zbarimg", "zbar-tools")
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(sheet(client, unit=listing.other_ward.code))
    run(
        "pdftoppm",
        "poppler-utils",
        "-r",
        "200",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        str(pdf),
        str(tmp_path / "p"),
    )
    image = next(tmp_path.glob("p*.png"))

    decoded = run("zbarimg", "zbar-tools", "--quiet", "--raw", str(image)).split()

    assert sorted(decoded) == [
        "http://testserver/thu-tuc/1.001193/",
        "http://testserver/thu-tuc/1.004222/",
    ]


def test_only_the_committed_fonts_are_embedded(
    client: Client, listing: Listing, tmp_path: Path
) -> None:
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(sheet(client, unit=listing.ward.code))

    fonts = run("pdffonts", "poppler-utils", str(pdf)).splitlines()[2:]

    assert fonts
    assert all(line.split()[0].split("+")[-1].startswith("Motcua-Serif") for line in fonts)
    assert all(" yes yes " in line for line in fonts)  # embedded and subset


def test_too_many_procedures_ask_for_a_narrower_sheet(
    client: Client, listing: Listing, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "SHEET_LIMIT", 5)

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "Danh mục đã chọn có 8 thủ tục." in content
    assert "Mỗi bản in có tối đa 5 thủ tục" in content
    assert f'<option value="{listing.ward.pk}">Phường Long Biên</option>' in content


def test_the_limit_is_four_hundred_and_the_builder_enforces_it() -> None:
    assert views.SHEET_LIMIT == listing_pdf.SHEET_LIMIT == 400
    with pytest.raises(ValueError, match="400"):
        listing_pdf.listing_sheet_pdf(procedures=[None] * 401, url_for=str)  # type: ignore[list-item]


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "khong-co"},
        {"unit": "999999999999999999999999"},
        {"unit": "x" * 500},
        {"unit": "\x00"},
        {"field": "Không có lĩnh vực này"},
    ],
)
def test_bad_parameters_get_the_form_with_a_message(
    client: Client, listing: Listing, params: dict[str, str]
) -> None:
    response = client.get(URL, params)

    assert response.status_code == 400
    content = response.content.decode()
    assert "In danh mục thủ tục hành chính" in content
    assert "Vui lòng kiểm tra lại các ô được đánh dấu bên dưới." in content


def test_css_strings_cannot_break_out_of_the_style_sheet() -> None:
    quoted = listing_pdf.css_string('Đường dây nóng: 1022"; } </style><script>')

    assert quoted.startswith('"Đường dây nóng: 1022')
    assert "<" not in quoted and "}" not in quoted and quoted.count('"') == 2


def test_a_sheet_is_laid_out_once_until_something_on_it_changes(
    client: Client, listing: Listing, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()
    rendered: list[str] = []
    real_render = listing_pdf.render_pdf

    def counting_render(**kwargs: Any) -> bytes:
        rendered.append(kwargs["template"])
        return real_render(**kwargs)

    monkeypatch.setattr(listing_pdf, "render_pdf", counting_render)

    first = sheet(client, unit=listing.other_ward.code)
    again = sheet(client, unit=listing.other_ward.code)
    assert first == again
    assert len(rendered) == 1

    procedure_refresh_listing(procedure=Procedure.objects.get(code="1.004222"))
    sheet(client, unit=listing.other_ward.code)
    assert len(rendered) == 2

    sheet(client, unit=listing.ward.code)  # another sheet
    assert len(rendered) == 3

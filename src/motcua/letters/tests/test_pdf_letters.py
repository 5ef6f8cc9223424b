"""The printed letter: A4, the national header, the applicant's name (read back)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from motcua.letters.pdf import letter_pdf, place_name

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext not installed (Debian poppler-utils)")
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(  # noqa: S603
        [tool, "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return " ".join(output.split())


def test_the_letter_carries_the_header_the_name_and_the_date(
    make_template: Any, tmp_path: Path
) -> None:
    template = make_template()

    pdf = letter_pdf(
        template=template,
        context={
            "applicant_name": "Nguyễn Thị Ánh Tuyết",
            "procedure_name": "Đăng ký khai sinh",
            "date": dt.date(2026, 11, 5),
            "unit_name": "UBND phường Long Biên",
            "parent_unit_name": "Thành phố Hà Nội",
            "signer_name": "Lê Văn Chủ",
            "dossier_code": "000.00.01.H26-261105-0001",
        },
    )

    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Nguyễn Thị Ánh Tuyết" in text
    assert "Long Biên, ngày 05 tháng 11 năm 2026" in text
    assert "THƯ CẢM ƠN" in text
    assert "Lê Văn Chủ" in text


def test_place_name_drops_the_kind_of_unit() -> None:
    assert place_name("UBND Phường Long Biên") == "Long Biên"
    assert place_name("Xã Bát Tràng") == "Bát Tràng"
    assert place_name("Trung tâm Phục vụ hành chính công") == "Trung tâm Phục vụ hành chính công"

"""One upload check for every screen: the content decides, the name never does."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.exceptions import ValidationFailed
from motcua.core.uploads import detect_kind, limits_of, name_by_content, upload_check

OFFICE = limits_of(max_mb=1, kinds=("pdf", "docx", "xlsx", "office97"))


def ooxml(part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<x/>")
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("bao-cao.xlsx", ooxml("xl/workbook.xml"), "xlsx"),
        ("cong-van.docx", ooxml("word/document.xml"), "docx"),
        ("cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "office97"),
        ("cu.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "office97"),
    ],
)
def test_office_documents_are_recognised_by_their_content(
    name: str, content: bytes, kind: str
) -> None:
    assert upload_check(SimpleUploadedFile(name, content), limits=OFFICE) == kind


def test_a_zip_that_is_no_office_document_is_refused_with_its_name() -> None:
    upload = SimpleUploadedFile("bang-tinh.xlsx", ooxml("other.xml"))
    assert detect_kind(upload) is None
    with pytest.raises(ValidationFailed, match=r"có tên đuôi \.xlsx nhưng nội dung không phải"):
        upload_check(upload, limits=OFFICE)


def test_an_accepted_file_is_named_by_its_content() -> None:
    upload = SimpleUploadedFile("ket-qua.exe", b"%PDF-1.4 body")
    kind = upload_check(upload, limits=OFFICE)
    name_by_content(upload, kind)
    assert upload.name == "ket-qua.pdf"


def test_a_file_over_the_limit_names_both_sizes() -> None:
    upload = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    with pytest.raises(ValidationFailed, match="vượt quá mức tối đa 1 MB"):
        upload_check(upload, limits=OFFICE)

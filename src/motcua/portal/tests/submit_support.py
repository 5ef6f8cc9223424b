"""Inputs shared by the online submission tests: real file contents and a filled form."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalog.models import RequiredDocument
from motcua.dossiers.tests.conftest import Ward, build_ward

# A minimal but real PDF: the header, one object and the end marker.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


APPLICANT_FIELDS = {
    "applicant_kind": "person",
    "applicant_name": "Trần Thị Mai",
    "applicant_id_number": "001190054321",
    "applicant_phone": "0987 654 321",
    "applicant_email": "mai@example.vn",
    "applicant_address": "Số 9 phố Ngọc Lâm, phường Long Biên, Hà Nội",
    "return_channel": "online",
}


@pytest.fixture
def ward(db: None) -> Ward:
    cache.clear()
    return build_ward()


def submit_url(ward: Ward) -> str:
    return f"/thu-tuc/{ward.procedure.code}/nop-truc-tuyen/"


def first_case(ward: Ward) -> str:
    """The procedure's first case (trường hợp): 1.004222 lists its components per case."""
    return str(ward.version.documents.order_by("position", "id")[0].case.strip())


def required_components(ward: Ward) -> list[RequiredDocument]:
    """The required components of the first case (and those every case needs)."""
    case = first_case(ward)
    return [
        document
        for document in ward.version.documents.filter(required=True, reusable_from_data=False)
        if document.case.strip() in ("", case)
    ]


def form_token(client: Client, ward: Ward) -> str:
    """The hidden token of a freshly opened form."""
    html = client.get(submit_url(ward)).content.decode()
    match = re.search(r'name="token" value="([^"]+)"', html)
    assert match, "the form has a token"
    return match.group(1)


def filled_form(client: Client, ward: Ward, **overrides: Any) -> dict[str, Any]:
    """A complete submission: the applicant, the ward, a PDF for every required component."""
    data: dict[str, Any] = {
        "token": form_token(client, ward),
        "unit": str(ward.ward.pk),
        "case": first_case(ward),
        "action": "submit",
        **APPLICANT_FIELDS,
    }
    for document in required_components(ward):
        data[f"doc_{document.pk}"] = upload(f"giay-to-{document.pk}.pdf", PDF)
    data.update(overrides)
    return data

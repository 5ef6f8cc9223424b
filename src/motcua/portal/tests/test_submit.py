"""Online submission from a procedure page: content-checked uploads, applicant rules,
idempotency, the intake queue, the confirmation with its QR and the lookup link."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from motcua.core.exceptions import ValidationFailed
from motcua.core.uploads import detect_kind, upload_check, upload_limits
from motcua.dossiers.constants import Channel, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import Ward
from motcua.portal.tests.submit_support import (
    EXECUTABLE,
    HTML,
    PDF,
    docx_bytes,
    filled_form,
    png_bytes,
    required_components,
    submit_url,
    upload,
    ward,
)

__all__ = ["ward"]


def test_the_form_lists_the_published_components_the_units_and_the_fees(
    client: Client, ward: Ward
) -> None:
    response = client.get(submit_url(ward))

    assert response.status_code == 200
    html = response.content.decode()
    for document in ward.version.documents.all():
        assert f'name="doc_{document.pk}"' in html
    assert "Phường Long Biên" in html and "Phường Thanh Xuân" in html
    assert "20.000 đồng" in html  # the catalog's fee summary
    assert response["Cache-Control"] == "private, no-store"


def test_a_complete_submission_waits_in_the_centres_intake_queue_with_its_files(
    client: Client, ward: Ward
) -> None:
    """It lands at the ward's service centre, status "chờ tiếp nhận", no code yet (R2)."""
    response = client.post(submit_url(ward), filled_form(client, ward))

    assert response.status_code == 302
    dossier = Dossier.objects.get()
    assert response["Location"] == reverse("portal:submit_done", args=[dossier.reference])
    assert dossier.status == Status.SUBMITTED and dossier.code is None
    assert dossier.channel == Channel.ONLINE
    assert dossier.receiving_unit == ward.centre
    assert dossier.applicant_phone == "0987654321"
    documents = list(dossier.documents.all())
    assert len(documents) == len(required_components(ward))
    # Stored under our own name with the extension of the real content.
    assert all(
        d.digitised and re.search(r"thanh-phan-\d+.*\.pdf$", d.file.name) for d in documents
    )

    # The counter officer of the centre sees it in the online intake queue.
    officer = Client()
    officer.force_login(ward.counter.user)
    queue = officer.get(reverse("backoffice:intake_queue"))
    assert queue.status_code == 200
    assert dossier.reference in queue.content.decode()


def test_the_confirmation_shows_the_reference_secret_and_a_qr_to_the_lookup(
    client: Client, ward: Ward
) -> None:
    done = client.post(submit_url(ward), filled_form(client, ward), follow=True)

    dossier = Dossier.objects.get()
    html = done.content.decode()
    assert done.status_code == 200
    assert dossier.reference in html and dossier.lookup_secret in html
    assert "<svg" in html  # the QR code, inline
    query = urlencode({"ma": dossier.reference, "k": dossier.lookup_secret})
    link = f"/tra-cuu/?{query}"
    assert link.replace("&", "&amp;") in html
    assert done["Cache-Control"] == "private, no-store"

    # The lookup accepts the reference before the official code exists.
    status = client.get(link)
    assert status.status_code == 200
    assert "Chờ tiếp nhận" in status.content.decode()


def test_the_confirmation_opens_only_in_the_session_that_submitted(
    client: Client, ward: Ward
) -> None:
    client.post(submit_url(ward), filled_form(client, ward))
    reference = Dossier.objects.get().reference

    stranger = Client()
    assert stranger.get(reverse("portal:submit_done", args=[reference])).status_code == 404
    assert client.get(reverse("portal:submit_done", args=[reference])).status_code == 200


def test_sending_the_same_form_twice_makes_one_dossier(client: Client, ward: Ward) -> None:
    """A double click or "back, send again" reuses the form's token: one dossier."""
    data = filled_form(client, ward)
    first = client.post(submit_url(ward), data)
    for document in required_components(ward):
        data[f"doc_{document.pk}"] = upload("lai-lan-nua.pdf", PDF)
    second = client.post(submit_url(ward), data)

    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_forged_token_is_refused(client: Client, ward: Ward) -> None:
    response = client.post(submit_url(ward), filled_form(client, ward, token="a" * 40))

    assert response.status_code == 400
    assert "Biểu mẫu không hợp lệ" in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("giay-to.pdf", EXECUTABLE), ("cccd.pdf", HTML), ("anh.png", PDF[:4] + b"x" * 40)],
)
def test_a_disguised_file_is_refused_with_a_message(
    client: Client, ward: Ward, name: str, content: bytes
) -> None:
    component = required_components(ward)[0]
    data = filled_form(client, ward, **{f"doc_{component.pk}": upload(name, content)})

    response = client.post(submit_url(ward), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert f"Tệp “{name}” có tên đuôi .{name.rsplit('.', 1)[1]} nhưng nội dung không phải" in html
    assert not Dossier.objects.exists()


def test_an_oversized_file_is_refused_with_the_limit(
    client: Client, ward: Ward, settings: object
) -> None:
    settings.MOTCUA_UPLOAD_MAX_FILE_MB = 1  # type: ignore[attr-defined]
    component = required_components(ward)[0]
    big = PDF + b"0" * (1024 * 1024 + 10)
    data = filled_form(client, ward, **{f"doc_{component.pk}": upload("to.pdf", big)})

    response = client.post(submit_url(ward), data)

    assert response.status_code == 400
    assert "vượt quá mức tối đa 1 MB cho mỗi tệp" in response.content.decode()
    assert not Dossier.objects.exists()


def test_applicant_data_follows_the_services_rules(client: Client, ward: Ward) -> None:
    data = filled_form(
        client,
        ward,
        applicant_id_number="0011900543",  # 10 digits: not a CCCD
        applicant_phone="12345",
        applicant_email="mai@",
    )

    response = client.post(submit_url(ward), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Số định danh cá nhân (CCCD) phải có 12 chữ số." in html
    assert "Số điện thoại không hợp lệ" in html
    assert "Nhập một địa chỉ email hợp lệ" in html or "thư điện tử" in html
    assert not Dossier.objects.exists()


def test_a_missing_required_component_and_missing_contact_are_named(
    client: Client, ward: Ward
) -> None:
    component = required_components(ward)[0]
    data = filled_form(client, ward, applicant_phone="", applicant_name="")
    del data[f"doc_{component.pk}"]

    response = client.post(submit_url(ward), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Vui lòng tải lên bản điện tử của giấy tờ này." in html
    assert "Vui lòng nhập số điện thoại" in html
    assert "Vui lòng nhập họ tên" in html


def test_anonymous_drafts_are_refused_politely(client: Client, ward: Ward) -> None:
    response = client.post(submit_url(ward), filled_form(client, ward, action="draft"))

    assert response.status_code == 400
    assert "Vui lòng đăng nhập tài khoản để lưu hồ sơ nháp." in response.content.decode()


def test_the_procedure_page_links_to_online_submission(client: Client, ward: Ward) -> None:
    html = client.get(f"/thu-tuc/{ward.procedure.code}/").content.decode()
    assert submit_url(ward) in html


# --- content checks ---------------------------------------------------------------------


def test_formats_are_read_from_the_content(settings: object) -> None:
    settings.MOTCUA_UPLOAD_TYPES = ["pdf", "jpeg", "png", "docx"]  # type: ignore[attr-defined]
    limits = upload_limits()
    assert upload_check(upload("scan.bin", PDF), limits=limits) == "pdf"
    assert upload_check(upload("IMG_0001", png_bytes()), limits=limits) == "png"
    assert upload_check(upload("don.docx", docx_bytes()), limits=limits) == "docx"
    # A plain ZIP is not a Word document; a broken image is not an image.
    import io
    import zipfile

    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("a.txt", "x")
    assert detect_kind(io.BytesIO(plain.getvalue())) is None
    assert detect_kind(io.BytesIO(b"\xff\xd8\xff\xe0" + b"\x00" * 64)) is None
    with pytest.raises(ValidationFailed) as refused:
        upload_check(upload("don.docx", plain.getvalue()), limits=limits)
    assert refused.value.code == "upload_disguised"


def test_docx_is_refused_unless_configured() -> None:
    with pytest.raises(ValidationFailed) as refused:
        upload_check(upload("don.docx", docx_bytes()))
    assert refused.value.code == "upload_type_refused"
    assert "PDF, JPEG, PNG" in refused.value.message


def test_a_body_larger_than_the_dossier_limit_is_refused_before_it_is_read(
    client: Client, ward: Ward, settings: object
) -> None:
    settings.MOTCUA_UPLOAD_MAX_TOTAL_MB = 1  # type: ignore[attr-defined]
    component = required_components(ward)[0]
    huge = PDF + b"0" * (3 * 1024 * 1024)
    data = filled_form(client, ward, **{f"doc_{component.pk}": upload("to.pdf", huge)})

    response = client.post(submit_url(ward), data)

    assert response.status_code == 413
    assert "vượt quá dung lượng tối đa 1 MB cho một hồ sơ" in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_form_still_needs_its_csrf_token(ward: Ward) -> None:
    strict = Client(enforce_csrf_checks=True)
    data = filled_form(strict, ward)

    assert strict.post(submit_url(ward), data).status_code == 403
    assert not Dossier.objects.exists()

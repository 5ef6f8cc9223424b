"""Drafts of an online submission survive a closed browser for a signed-in citizen."""

from __future__ import annotations

from django.test import Client

from motcua.accounts.tests.factories import CitizenFactory
from motcua.citizens.models import SubmissionDraft, SubmissionDraftFile
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import Ward
from motcua.portal.tests.submit_support import (
    HTML,
    PDF,
    filled_form,
    required_components,
    submit_url,
    upload,
    ward,
)

__all__ = ["ward"]


def test_a_saved_draft_is_restored_in_a_new_session_and_submitted_with_its_files(
    ward: Ward,
) -> None:
    citizen = CitizenFactory()
    components = required_components(ward)
    first, rest = components[0], components[1:]

    # Given a citizen who fills half the form and saves a draft with one file…
    browser = Client()
    browser.force_login(citizen.user)
    data = filled_form(browser, ward, action="draft", applicant_phone="")
    for document in rest:
        del data[f"doc_{document.pk}"]
    saved = browser.post(submit_url(ward), data)
    assert saved.status_code == 302
    draft = SubmissionDraft.objects.get(citizen=citizen)
    assert draft.data["applicant_name"] == "Trần Thị Mai"
    assert list(draft.files.values_list("required_document_id", flat=True)) == [first.pk]

    # …when they come back in another browser (a new session)…
    later = Client()
    later.force_login(citizen.user)
    page = later.get(submit_url(ward)).content.decode()
    assert "Đã mở lại hồ sơ nháp" in page
    assert 'value="Trần Thị Mai"' in page
    assert f"giay-to-{first.pk}.pdf" in page  # "Đã có tệp: …"
    assert draft.token in page

    # …and send it with the missing files only: the draft's file goes too.
    final = {key: value for key, value in data.items() if not key.startswith("doc_")}
    final.update(action="submit", applicant_phone="0987654321", token=draft.token)
    for document in rest:
        final[f"doc_{document.pk}"] = upload("con-lai.pdf", PDF)
    sent = later.post(submit_url(ward), final)

    assert sent.status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.citizen == citizen and dossier.status == Status.SUBMITTED
    assert dossier.documents.filter(required_document=first).get().digitised
    assert dossier.documents.count() == len(components)
    assert not SubmissionDraft.objects.exists() and not SubmissionDraftFile.objects.exists()
    # The owner may open the confirmation from any session.
    assert Client().get(sent["Location"]).status_code == 404
    assert later.get(sent["Location"]).status_code == 200


def test_a_draft_keeps_nothing_that_fails_the_content_check(ward: Ward) -> None:
    citizen = CitizenFactory()
    browser = Client()
    browser.force_login(citizen.user)
    component = required_components(ward)[0]
    data = filled_form(browser, ward, action="draft")
    data[f"doc_{component.pk}"] = upload("trang.pdf", HTML)

    response = browser.post(submit_url(ward), data)

    assert response.status_code == 400
    assert "nội dung không phải là tệp PDF" in response.content.decode()
    assert not SubmissionDraft.objects.exists()


def test_a_newer_file_replaces_the_drafts_file_for_that_component(ward: Ward) -> None:
    citizen = CitizenFactory()
    browser = Client()
    browser.force_login(citizen.user)
    component = required_components(ward)[0]
    for name in ("ban-dau.pdf", "ban-moi.pdf"):
        data = filled_form(browser, ward, action="draft")
        data = {k: v for k, v in data.items() if not k.startswith("doc_")}
        data[f"doc_{component.pk}"] = upload(name, PDF)
        browser.post(submit_url(ward), data)

    files = list(SubmissionDraftFile.objects.all())
    assert [row.name for row in files] == ["ban-moi.pdf"]

"""Scenario 1: the congratulation letter printed from the dossier page, filled in."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import dossier_receive
from motcua.dossiers.tests.conftest import APPLICANT, Ward, build_ward, complete_documents
from motcua.letters.constants import LetterKind, Moment
from motcua.letters.models import LetterTemplate

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(db: None) -> Ward:
    return build_ward()


def received(ward: Ward) -> Dossier:
    return dossier_receive(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(ward.version),
    )


def letter_for(ward: Ward) -> LetterTemplate:
    template = LetterTemplate.objects.create(
        name="Thư chúc mừng nhà mới",
        kind=LetterKind.CONGRATULATIONS,
        moment=Moment.RETURNED,
        title="Thư chúc mừng",
        greeting="Kính gửi Ông/Bà {ho_ten},",
        body="UBND {don_vi} chúc mừng gia đình đã hoàn tất thủ tục {thu_tuc}.",
    )
    template.procedures.add(ward.procedure)
    return template


def test_the_dossier_page_links_the_procedures_letters_and_prints_them_filled(
    ward: Ward,
) -> None:
    template = letter_for(ward)
    dossier = received(ward)
    client = Client()
    client.force_login(ward.counter.user)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/")
    url = f"/can-bo/ho-so/{dossier.code}/thu/{template.pk}.pdf"
    assert url in page.content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:  # pragma: no cover - poppler-utils is in make deps-pdf
        pytest.fail("pdftotext not found: install poppler-utils (make deps-pdf)")
    text = subprocess.run(  # noqa: S603 - a fixed tool reading our own PDF
        [pdftotext, "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    assert APPLICANT.name in flat
    assert "Phường Long Biên" in flat


def test_a_letter_of_another_procedure_or_an_unseen_dossier_is_not_printed(ward: Ward) -> None:
    template = letter_for(ward)
    template.procedures.clear()
    dossier = received(ward)
    client = Client()
    client.force_login(ward.counter.user)
    assert client.get(f"/can-bo/ho-so/{dossier.code}/thu/{template.pk}.pdf").status_code == 404
    template.procedures.add(ward.procedure)
    stranger = Client()
    stranger.force_login(ward.other_counter.user)
    assert stranger.get(f"/can-bo/ho-so/{dossier.code}/thu/{template.pk}.pdf").status_code == 404

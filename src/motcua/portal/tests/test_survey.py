"""The satisfaction survey by QR: signed links, one answer per dossier, anonymous counters."""

from __future__ import annotations

import re

import pytest
from django.core import signing
from django.test import Client, override_settings

from motcua.accounts.tests.factories import OfficerFactory
from motcua.dossiers.tests.conftest import Ward
from motcua.feedback.constants import Rating, SurveySource
from motcua.feedback.models import SurveyResponse
from motcua.feedback.signing import (
    SALT,
    SurveyTarget,
    survey_target_read,
    survey_token_for_dossier,
    survey_token_for_unit,
)
from motcua.feedback.tests.support import (
    _fresh_rate_limits,
    just_received,
    returned_dossier,
    ward,
)

__all__ = ["_fresh_rate_limits", "ward"]

ANSWER = {
    "overall": Rating.VERY_SATISFIED,
    "access": Rating.SATISFIED,
    "procedure": Rating.VERY_SATISFIED,
    "staff": Rating.VERY_SATISFIED,
    "result": Rating.SATISFIED,
    "feedback_handling": "",
    "comment": "Cán bộ hướng dẫn tận tình.",
}


def survey_url(token: str) -> str:
    return f"/danh-gia/{token}/"


def test_the_survey_page_explains_how_to_rate(client: Client, db: None) -> None:
    response = client.get("/danh-gia/")
    assert response.status_code == 200
    assert "Quét mã QR tại quầy" in response.content.decode()


def test_the_lookup_page_links_to_the_dossiers_survey(client: Client, ward: Ward) -> None:
    dossier = returned_dossier(ward)
    page = client.get(
        "/tra-cuu/", {"ma": dossier.code, "k": dossier.lookup_secret}
    ).content.decode()
    link = re.search(r'href="(/danh-gia/[^"]+/)"', page)
    assert link is not None

    response = client.get(link.group(1))

    assert response.status_code == 200
    assert "Đánh giá mức độ hài lòng" in response.content.decode()
    assert dossier.code in response.content.decode()


def test_an_answer_on_a_dossier_is_attributed_to_the_officer_who_returned_it(
    client: Client, ward: Ward
) -> None:
    dossier = returned_dossier(ward)

    response = client.post(survey_url(survey_token_for_dossier(dossier_id=dossier.pk)), ANSWER)

    assert response.status_code == 200
    assert "Cảm ơn ông/bà đã đánh giá" in response.content.decode()
    answer = SurveyResponse.objects.get()
    assert answer.source == SurveySource.DOSSIER
    assert answer.dossier == dossier
    assert answer.unit == ward.centre
    assert answer.officer == ward.counter2  # returned the result (received by ward.counter)
    assert answer.overall == Rating.VERY_SATISFIED
    assert answer.feedback_handling == ""
    assert answer.comment == "Cán bộ hướng dẫn tận tình."


def test_before_return_the_receiving_officer_is_rated(client: Client, ward: Ward) -> None:
    dossier = just_received(ward)

    client.post(survey_url(survey_token_for_dossier(dossier_id=dossier.pk)), ANSWER)

    assert SurveyResponse.objects.get().officer == ward.counter


def test_a_dossier_is_answered_once_then_the_page_says_it_is_recorded(
    client: Client, ward: Ward
) -> None:
    dossier = returned_dossier(ward)
    url = survey_url(survey_token_for_dossier(dossier_id=dossier.pk))
    client.post(url, ANSWER)

    again = client.post(url, {**ANSWER, "overall": Rating.NOT_SATISFIED})
    page = client.get(url)

    assert again.status_code == page.status_code == 200
    assert "đã được ghi nhận" in again.content.decode()
    assert "đã được ghi nhận" in page.content.decode()
    assert "<form" not in page.content.decode().split("<main", 1)[1]
    assert SurveyResponse.objects.get().overall == Rating.VERY_SATISFIED
    lookup = client.get("/tra-cuu/", {"ma": dossier.code, "k": dossier.lookup_secret})
    assert "đã được ghi nhận" in lookup.content.decode()


def test_the_counter_qr_is_anonymous_and_may_be_answered_again(client: Client, ward: Ward) -> None:
    url = survey_url(survey_token_for_unit(unit_id=ward.centre.pk))
    assert "không ghi tên" in client.get(url).content.decode()

    client.post(url, ANSWER)
    client.post(url, {"overall": Rating.NOT_SATISFIED})

    answers = SurveyResponse.objects.order_by("id")
    assert [answer.overall for answer in answers] == [
        Rating.VERY_SATISFIED,
        Rating.NOT_SATISFIED,
    ]
    assert all(
        answer.source == SurveySource.COUNTER
        and answer.dossier is None
        and answer.officer is None
        and answer.unit == ward.centre
        for answer in answers
    )


@pytest.mark.parametrize(
    "forge",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature altered
        lambda token: signing.dumps("u999999", salt=SALT)[:-3] + token[-3:],
        lambda token: signing.dumps("d1", salt="another.salt"),  # another salt
        lambda token: signing.dumps("x1", salt=SALT),  # not a target
        lambda token: "1",
        lambda token: "d1",
        lambda token: "a" * 300,
    ],
)
def test_a_forged_or_altered_link_is_refused(client: Client, ward: Ward, forge: object) -> None:
    dossier = just_received(ward)
    token = survey_token_for_dossier(dossier_id=dossier.pk)
    forged = forge(token)  # type: ignore[operator]

    page = client.get(survey_url(forged))
    post = client.post(survey_url(forged), ANSWER)

    assert page.status_code == post.status_code == 404
    assert "Liên kết đánh giá không hợp lệ" in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_links_of_other_dossiers_cannot_be_derived(ward: Ward) -> None:
    """The dossier id is signed: changing it breaks the signature."""
    token = survey_token_for_dossier(dossier_id=1)
    payload, _sep, signature = token.partition(":")
    other = survey_token_for_dossier(dossier_id=2)
    assert other.partition(":")[2] != signature
    assert payload != other.partition(":")[0]


def test_a_dossier_not_yet_received_cannot_be_rated(client: Client, ward: Ward) -> None:
    dossier = just_received(ward)
    type(dossier).objects.filter(pk=dossier.pk).update(code=None)

    response = client.get(survey_url(survey_token_for_dossier(dossier_id=dossier.pk)))

    assert response.status_code == 404


def test_the_overall_answer_is_required_and_a_bad_value_refused(
    client: Client, ward: Ward
) -> None:
    url = survey_url(survey_token_for_unit(unit_id=ward.centre.pk))

    missing = client.post(url, {"comment": "x"})
    bad = client.post(url, {"overall": "excellent"})
    too_long = client.post(url, {"overall": Rating.SATISFIED, "comment": "x" * 1001})

    assert missing.status_code == bad.status_code == too_long.status_code == 400
    assert "Vui lòng chọn mức độ hài lòng chung" in missing.content.decode()
    assert not SurveyResponse.objects.exists()


@override_settings(MOTCUA_SURVEY_RATE_PER_IP="2/hour")
def test_answers_per_address_are_limited(client: Client, ward: Ward) -> None:
    url = survey_url(survey_token_for_unit(unit_id=ward.centre.pk))
    client.post(url, ANSWER)
    client.post(url, ANSWER)

    response = client.post(url, ANSWER)

    assert response.status_code == 429
    assert "quá nhiều lần" in response.content.decode()
    assert SurveyResponse.objects.count() == 2


# --- staff: the counter QR sheet -------------------------------------------------------


def test_the_counter_qr_sheet_is_for_officers(client: Client, ward: Ward) -> None:
    response = client.get("/can-bo/danh-gia/ma-qr/")
    assert response.status_code == 302
    assert "/can-bo/dang-nhap/" in response["Location"]


def test_an_officer_prints_the_signed_counter_qr_of_their_unit(client: Client, ward: Ward) -> None:
    client.force_login(ward.counter.user)

    response = client.get("/can-bo/danh-gia/ma-qr/")

    assert response.status_code == 200
    html = response.content.decode()
    assert ward.centre.name in html
    assert "<svg" in html
    # The token is signed with the time: read it from the page, not made again.
    found = re.search(r"/danh-gia/([^/\"<\s]+:[^/\"<\s]+)/", html)
    assert found is not None
    assert survey_target_read(token=found.group(1)) == SurveyTarget(unit_id=ward.centre.pk)


def test_a_unit_outside_the_officers_scope_is_not_found(client: Client, ward: Ward) -> None:
    client.force_login(ward.counter.user)

    response = client.get("/can-bo/danh-gia/ma-qr/", {"don-vi": ward.other_centre.pk})

    assert response.status_code == 404
    assert survey_token_for_unit(unit_id=ward.other_centre.pk) not in response.content.decode()


@pytest.mark.slow
def test_the_counter_qr_sheet_as_pdf(client: Client, ward: Ward) -> None:
    officer = OfficerFactory(unit=ward.centre, counter=True)
    client.force_login(officer.user)

    response = client.get("/can-bo/danh-gia/ma-qr/", {"don-vi": ward.centre.pk, "pdf": "1"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

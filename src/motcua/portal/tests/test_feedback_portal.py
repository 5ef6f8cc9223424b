"""The PAKN pages of the portal: submit with a code, published answers, likes and dislikes
once per browser, rate limits; the home page's statistics, news, hotlines and duty roster."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone

from motcua.dossiers.tests.conftest import Ward, at
from motcua.feedback.models import DutyAssignment, Feedback, News
from motcua.feedback.selectors_public import public_statistics
from motcua.feedback.services import (
    FeedbackIn,
    feedback_answer,
    feedback_classify,
    feedback_publish,
    feedback_submit,
)
from motcua.feedback.tests.support import _fresh_rate_limits, received, ward

__all__ = ["_fresh_rate_limits", "ward"]

FORM = {
    "about": "general",
    "title": "Thiếu ghế chờ",
    "content": "Khu vực chờ tại bộ phận một cửa thiếu ghế ngồi.",
    "sender_name": "Lê Văn Bình",
    "sender_phone": "0987654321",
}


def post(client: Client, ward: Ward, **extra: object) -> object:
    return client.post("/phan-anh/", {**FORM, "unit": ward.centre.pk, **extra})


def test_a_citizen_submits_and_gets_a_code(client: Client, ward: Ward) -> None:
    page = client.get("/phan-anh/")
    assert page.status_code == 200 and "Gửi phản ánh, kiến nghị" in page.content.decode()
    response = post(client, ward)
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert response["Location"].endswith("?ma=" + feedback.code)
    sent = client.get(response["Location"])
    assert feedback.code in sent.content.decode()
    assert feedback.sender_name == "Lê Văn Bình" and feedback.channel == "online"


def test_missing_contact_and_disguised_files_are_refused_on_the_form(
    client: Client, ward: Ward
) -> None:
    response = post(client, ward, sender_phone="")
    assert response.status_code == 400
    assert "số điện thoại hoặc thư điện tử" in response.content.decode()
    fake = SimpleUploadedFile("bien-lai.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    response = post(client, ward, attachments=fake)
    assert response.status_code == 400
    assert "nội dung không phải là tệp PDF" in response.content.decode()
    assert not Feedback.objects.exists()


@override_settings(MOTCUA_FEEDBACK_RATE_PER_IP="2/hour")
def test_submissions_are_rate_limited(client: Client, ward: Ward) -> None:
    assert post(client, ward).status_code == 302
    assert post(client, ward).status_code == 302
    response = post(client, ward)
    assert response.status_code == 429 and response["Retry-After"]
    assert Feedback.objects.count() == 2


def published(ward: Ward) -> Feedback:
    with time_machine.travel(at("2026-04-28T10:00"), tick=False):
        feedback = feedback_submit(
            unit=ward.centre,
            data=FeedbackIn(
                title="Phí chưa niêm yết",
                content="Nội dung",
                sender_name="Trần Mai",
                sender_phone="0912345678",
            ),
        )
        feedback_classify(feedback=feedback, actor=ward.counter.user, category="rules")
        feedback_answer(
            feedback=feedback, actor=ward.counter.user, answer="Đã niêm yết đầy đủ mức phí."
        )
        return feedback_publish(feedback=feedback, actor=ward.leader.user)


def test_published_answers_are_listed_without_contact_details(client: Client, ward: Ward) -> None:
    feedback = published(ward)
    listing = client.get("/phan-anh/da-tra-loi/").content.decode()
    assert feedback.title in listing and "0912345678" not in listing
    detail = client.get(f"/phan-anh/da-tra-loi/{feedback.code}/").content.decode()
    assert "Đã niêm yết đầy đủ mức phí." in detail and "0912345678" not in detail
    found = client.get("/phan-anh/da-tra-loi/", {"q": feedback.code}).content.decode()
    assert feedback.title in found
    assert client.get("/phan-anh/da-tra-loi/PAKN-X-000000-0001/").status_code == 404


def test_an_unpublished_answer_is_not_public(client: Client, ward: Ward) -> None:
    feedback = feedback_submit(
        unit=ward.centre,
        data=FeedbackIn(title="T", content="C", sender_name="A", sender_phone="0912345678"),
    )
    assert client.get(f"/phan-anh/da-tra-loi/{feedback.code}/").status_code == 404
    vote = client.post(f"/phan-anh/da-tra-loi/{feedback.code}/danh-gia/", {"value": "1"})
    assert vote.status_code == 404


def test_one_vote_per_browser_session(client: Client, ward: Ward) -> None:
    feedback = published(ward)
    url = f"/phan-anh/da-tra-loi/{feedback.code}/danh-gia/"
    assert client.post(url, {"value": "1"}).status_code == 302
    assert client.post(url, {"value": "-1"}).status_code == 302  # ignored: already voted
    other = Client()
    other.post(url, {"value": "-1"})
    other.post(url, {"value": "junk"})
    feedback.refresh_from_db()
    assert (feedback.likes, feedback.dislikes) == (1, 1)
    assert (
        "Cảm ơn ông/bà đã đánh giá"
        in client.get(f"/phan-anh/da-tra-loi/{feedback.code}/").content.decode()
    )


@override_settings(MOTCUA_FEEDBACK_VOTE_RATE_PER_IP="1/hour")
def test_votes_are_rate_limited_per_address(client: Client, ward: Ward) -> None:
    feedback = published(ward)
    url = f"/phan-anh/da-tra-loi/{feedback.code}/danh-gia/"
    assert Client().post(url, {"value": "1"}).status_code == 302
    assert Client().post(url, {"value": "1"}).status_code == 429


def test_statistics_per_unit_from_constructed_dossiers(ward: Ward) -> None:
    """Two dossiers received this year at the centre: one late, one still open."""
    with time_machine.travel(at("2026-03-02T09:00"), tick=False):
        late = received(ward, "2025")
        received(ward, "2025")
    from motcua.dossiers.models import Dossier

    Dossier.objects.filter(pk=late.pk).update(outcome="late", received_at=at("2026-03-02T09:00"))
    Dossier.objects.exclude(pk=late.pk).update(received_at=at("2026-03-03T09:00"))
    stats = public_statistics(today=dt.date(2026, 11, 22), use_cache=False)
    assert stats.total.received == 2 and stats.total.resolved == 1
    assert stats.total.late == 1 and stats.total.late_pct == 100
    (unit,) = stats.units
    assert unit.name == ward.centre.name and unit.in_time_pct == 0
    last_year = public_statistics(today=dt.date(2025, 6, 1), use_cache=False)
    assert last_year.total.received == 0


def test_home_shows_charts_news_hotlines_and_duty(client: Client, ward: Ward) -> None:
    received(ward, "2025")
    from motcua.dossiers.models import Dossier

    Dossier.objects.update(received_at=timezone.now() - dt.timedelta(hours=1), outcome="early")
    ward.centre.phone = "024 3872 1234"
    ward.centre.save()
    News.objects.create(
        unit=ward.ward,
        title="Phường Long Biên rút ngắn thời gian giải quyết",
        body="Nội dung",
        published_at=timezone.now() - dt.timedelta(hours=1),
    )
    News.objects.create(unit=ward.ward, title="Tin chưa đăng", body="x", published_at=None)
    DutyAssignment.objects.create(
        unit=ward.centre, day=timezone.localdate(), officer=ward.counter, desk="Quầy 1"
    )
    page = client.get("/").content.decode()
    assert '<svg class="stat-bar"' in page and ward.centre.name in page
    assert "Phường Long Biên rút ngắn thời gian giải quyết" in page
    assert "Tin chưa đăng" not in page
    assert "024 3872 1234" in page
    assert "Nguyễn Thị Lan" in page and "Quầy 1" in page
    news = News.objects.get(published_at__isnull=False)
    assert client.get(f"/tin-tuc/{news.pk}/").status_code == 200
    hidden = News.objects.get(published_at__isnull=True)
    assert client.get(f"/tin-tuc/{hidden.pk}/").status_code == 404


def test_the_hand_built_lookup_answer_matches_the_serializer(ward: Ward) -> None:
    """perf shortcut of the public lookup API: the same JSON as PublicDossierSerializer."""
    from motcua.api.views_public import PublicDossierSerializer, public_dossier_data
    from motcua.dossiers.selectors_public import dossier_lookup_public
    from motcua.feedback.tests.support import returned_dossier

    dossier = returned_dossier(ward)
    found = dossier_lookup_public(code=dossier.code, factor=dossier.lookup_secret)
    assert found is not None and found.timeline
    assert public_dossier_data(found) == PublicDossierSerializer(found).data

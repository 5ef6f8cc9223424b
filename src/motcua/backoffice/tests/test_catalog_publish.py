"""Publishing with an effective date, withdrawing, discarding, reviewing, creating."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import AuditEvent
from motcua.catalog.constants import VersionStatus
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.selectors import procedure_version_in_force

from .catalog_support import BIRTH, RESIDENCE, administrator, in_force, load_sample, signed_in

pytestmark = pytest.mark.django_db

BASE = f"/can-bo/thu-tuc/{RESIDENCE}"


@pytest.fixture
def staff(client: Client) -> Client:
    load_sample()
    return signed_in(client, administrator())


@pytest.fixture
def draft(staff: Client) -> ProcedureVersion:
    staff.post(f"{BASE}/soan-thao/")
    return ProcedureVersion.objects.get(procedure__code=RESIDENCE, number=2)


def test_the_publish_page_says_the_current_version_stays_in_force(
    staff: Client, draft: ProcedureVersion
) -> None:
    response = staff.get(f"{BASE}/phien-ban/2/cong-bo/")

    content = response.content.decode()
    assert "Phiên bản 1 (có hiệu lực từ" in content
    assert "vẫn có hiệu lực đến hết ngày trước ngày có hiệu lực" in content
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in content
    assert "Quy trình nội bộ 4 bước, khớp thời hạn" in content


def test_publishing_with_a_future_date_switches_on_that_date(
    staff: Client, draft: ProcedureVersion
) -> None:
    old = in_force(RESIDENCE)
    start = timezone.localdate() + dt.timedelta(days=10)

    response = staff.post(
        f"{BASE}/phien-ban/2/cong-bo/", {"effective_from": start.strftime("%d/%m/%Y")}, follow=True
    )

    content = response.content.decode()
    assert f"có hiệu lực từ {start:%d/%m/%Y}. Đến ngày đó, phiên bản hiện hành" in content
    assert "Sắp có hiệu lực" in content
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.effective_from == start
    assert in_force(RESIDENCE) == old
    procedure = Procedure.objects.get(code=RESIDENCE)
    assert procedure_version_in_force(procedure=procedure, on=start) == draft
    with time_machine.travel(dt.datetime.combine(start, dt.time(9), tzinfo=dt.UTC)):
        assert in_force(RESIDENCE) == draft
    assert AuditEvent.objects.filter(action="catalog.version_publish").count() == 1


def test_publishing_today_switches_now(staff: Client, draft: ProcedureVersion) -> None:
    response = staff.post(
        f"{BASE}/phien-ban/2/cong-bo/", {"effective_from": f"{timezone.localdate():%Y-%m-%d}"}
    )

    assert response.status_code == 302
    assert in_force(RESIDENCE) == draft


def test_a_draft_without_a_time_limit_cannot_be_published(staff: Client) -> None:
    staff.post("/can-bo/thu-tuc/them-moi/", {"code": "9.000001", "name": "Thủ tục mới"})

    response = staff.post(
        "/can-bo/thu-tuc/9.000001/phien-ban/1/cong-bo/",
        {"effective_from": f"{timezone.localdate():%Y-%m-%d}"},
    )

    assert response.status_code == 200
    assert "Cần khai ít nhất một hình thức nộp" in response.content.decode()
    assert not Procedure.objects.get(code="9.000001").is_listed


def test_a_published_draft_url_no_longer_edits(staff: Client, draft: ProcedureVersion) -> None:
    staff.post(
        f"{BASE}/phien-ban/2/cong-bo/", {"effective_from": f"{timezone.localdate():%Y-%m-%d}"}
    )

    response = staff.post(f"{BASE}/phien-ban/2/cong-bo/", {"effective_from": "2030-01-01"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.effective_from == timezone.localdate()


def test_withdrawing_needs_a_reason_and_then_unlists(staff: Client) -> None:
    url = f"{BASE}/phien-ban/1/ngung-cong-khai/"
    today = f"{timezone.localdate():%Y-%m-%d}"

    refused = staff.post(url, {"withdrawn_on": today, "reason": ""})
    done = staff.post(url, {"withdrawn_on": today, "reason": "Thủ tục bị bãi bỏ"}, follow=True)

    assert "Vui lòng ghi lý do ngừng công khai." in refused.content.decode()
    assert "Đã ngừng công khai phiên bản 1" in done.content.decode()
    version = ProcedureVersion.objects.get(procedure__code=RESIDENCE, number=1)
    assert version.status == VersionStatus.WITHDRAWN
    assert version.withdrawn_reason == "Thủ tục bị bãi bỏ"
    assert in_force(RESIDENCE) is None
    assert not Procedure.objects.get(code=RESIDENCE).is_listed
    assert "Thủ tục bị bãi bỏ" in done.content.decode()  # shown in the history


def test_withdrawing_before_the_effective_date_is_refused_on_the_date(staff: Client) -> None:
    version = ProcedureVersion.objects.get(procedure__code=RESIDENCE, number=1)
    before = version.effective_from - dt.timedelta(days=1)

    response = staff.post(
        f"{BASE}/phien-ban/1/ngung-cong-khai/",
        {"withdrawn_on": f"{before:%Y-%m-%d}", "reason": "Nhầm"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["withdrawn_on"]


def test_discarding_a_draft_after_confirmation(staff: Client, draft: ProcedureVersion) -> None:
    confirm = staff.get(f"{BASE}/phien-ban/2/huy/")
    response = staff.post(f"{BASE}/phien-ban/2/huy/", follow=True)

    assert "Mọi thay đổi trong bản nháp sẽ bị xoá" in confirm.content.decode()
    assert "Đã huỷ bản nháp phiên bản 2." in response.content.decode()
    assert not ProcedureVersion.objects.filter(pk=draft.pk).exists()
    assert in_force(RESIDENCE) is not None


def test_the_first_draft_of_a_new_procedure_cannot_be_discarded(staff: Client) -> None:
    staff.post("/can-bo/thu-tuc/them-moi/", {"code": "9.000001", "name": "Thủ tục mới"})

    page = staff.get("/can-bo/thu-tuc/9.000001/phien-ban/1/huy/")
    response = staff.post("/can-bo/thu-tuc/9.000001/phien-ban/1/huy/", follow=True)

    assert "Không xoá được phiên bản đầu tiên" in page.content.decode()
    assert "Không xóa được phiên bản đầu tiên" in response.content.decode()
    assert ProcedureVersion.objects.filter(procedure__code="9.000001").exists()


def test_marking_reviewed_from_the_queue_returns_to_the_queue(staff: Client) -> None:
    url = f"/can-bo/thu-tuc/{BIRTH}/phien-ban/1/da-ra-soat/"
    confirm = staff.get(url, {"next": "queue"})
    reasons = ProcedureVersion.objects.get(procedure__code=BIRTH, number=1).review_reasons

    response = staff.post(url, {"next": "queue"})

    assert str(reasons[0])[:15] in confirm.content.decode()
    assert response["Location"] == "/can-bo/thu-tuc/can-ra-soat/"
    assert not Procedure.objects.get(code=BIRTH).needs_review
    assert AuditEvent.objects.filter(action="catalog.version_reviewed").count() == 1


def test_creating_a_procedure_opens_its_first_draft(staff: Client) -> None:
    response = staff.post(
        "/can-bo/thu-tuc/them-moi/", {"code": " 2.000999 ", "name": "Thủ tục mới"}
    )

    assert response["Location"] == "/can-bo/thu-tuc/2.000999/phien-ban/1/sua/"
    procedure = Procedure.objects.get(code="2.000999")
    assert procedure.versions.get().status == VersionStatus.DRAFT
    assert not procedure.is_listed


@pytest.mark.parametrize(
    ("code", "message"),
    [(RESIDENCE, "Đã có thủ tục mã"), ("abc", "Mã thủ tục không hợp lệ"), ("", "bắt buộc")],
)
def test_creating_with_a_bad_code_is_refused_on_the_code(
    staff: Client, code: str, message: str
) -> None:
    response = staff.post("/can-bo/thu-tuc/them-moi/", {"code": code, "name": "Thủ tục"})

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert message in response.content.decode()

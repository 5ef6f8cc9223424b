"""A citizen scans the receipt's QR, reads the masked status and rates the service, on a
desktop and a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from playwright.sync_api import Browser, Page, expect

from motcua.accounts.sessions import SessionStore
from motcua.core.testing.browser import needs_chromium
from motcua.dossiers.forms_pdf import lookup_url
from motcua.dossiers.tests.conftest import Ward, build_ward
from motcua.feedback.constants import Rating
from motcua.feedback.models import SurveyResponse
from motcua.feedback.tests.support import INTERNAL_NOTE, _fresh_rate_limits, returned_dossier

__all__ = ["_fresh_rate_limits"]

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def ward(transactional_db: None) -> Ward:
    return build_ward()


def open_page(browser: Browser, viewport: str) -> tuple[Page, list[str]]:
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],  # type: ignore[arg-type]
        locale="vi-VN",
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and problems.append(f"{response.status} {response.url}")
        ),
    )
    return page, problems


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_receipt_qr_shows_the_masked_status_and_leads_to_the_survey(
    browser: Browser, live_server, ward: Ward, artifacts: Path, viewport: str
) -> None:
    dossier = returned_dossier(ward)
    page, problems = open_page(browser, viewport)

    # The address printed in the receipt's QR code.
    page.goto(lookup_url(dossier=dossier, base_url=live_server.url))

    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký thường trú")
    expect(page.locator(".lookup-status__label")).to_contain_text("Đã trả kết quả")
    facts = page.locator(".lookup-facts")
    expect(facts).to_contain_text("Nguyễn V** B***")
    expect(facts).to_contain_text("09******78")
    expect(facts).not_to_contain_text("Nguyễn Văn Bình")
    timeline = page.locator(".lookup-timeline")
    expect(timeline).to_contain_text("Tiếp nhận hồ sơ")
    expect(timeline).to_contain_text("Đã trả kết quả")
    expect(page.locator("main")).not_to_contain_text(INTERNAL_NOTE)
    expect(page.locator("main")).not_to_contain_text(ward.counter.full_name)
    page.screenshot(path=artifacts / f"lookup-result-{viewport}.png", full_page=True)

    page.get_by_role("link", name="Đánh giá việc giải quyết hồ sơ").click()

    expect(page).to_have_url(re.compile(r"/danh-gia/[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đánh giá mức độ hài lòng")
    overall = page.get_by_role("group", name="Nhìn chung, ông/bà có hài lòng không?")
    overall.get_by_text("Rất hài lòng", exact=True).click()
    page.get_by_role("group", name=re.compile("^Cán bộ, công chức")).get_by_text(
        "Hài lòng", exact=True
    ).click()
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Cán bộ hướng dẫn tận tình.")
    page.screenshot(path=artifacts / f"survey-form-{viewport}.png", full_page=True)
    page.get_by_role("button", name="Gửi đánh giá").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn ông/bà đã đánh giá")
    page.screenshot(path=artifacts / f"survey-thanks-{viewport}.png", full_page=True)
    answer = SurveyResponse.objects.get(dossier=dossier)
    assert (answer.overall, answer.staff) == (Rating.VERY_SATISFIED, Rating.SATISFIED)
    assert answer.officer == ward.counter2

    # Scanning the QR again: the survey is already answered.
    page.goto(lookup_url(dossier=dossier, base_url=live_server.url))
    expect(page.locator(".survey-invite")).to_contain_text("đã được ghi nhận")
    assert problems == []
    page.context.close()


def test_a_wrong_factor_on_the_form_shows_nothing_about_the_dossier(
    browser: Browser, live_server, ward: Ward, artifacts: Path
) -> None:
    dossier = returned_dossier(ward)
    page, _problems = open_page(browser, "phone")
    page.goto(live_server.url + "/tra-cuu/")

    page.get_by_label("Mã hồ sơ").fill(dossier.code or "")
    page.get_by_label("Bốn số cuối số điện thoại hoặc mã bí mật tra cứu").fill("1234")
    page.get_by_role("button", name="Tra cứu").click()

    expect(page.get_by_role("alert").first).to_contain_text("Không tìm thấy hồ sơ")
    expect(page.locator("main")).not_to_contain_text("Đăng ký thường trú")
    page.screenshot(path=artifacts / "lookup-not-found-phone.png", full_page=True)

    page.get_by_label("Bốn số cuối số điện thoại hoặc mã bí mật tra cứu").fill("5678")
    page.get_by_role("button", name="Tra cứu").click()

    expect(page.locator(".lookup-status__label")).to_contain_text("Đã trả kết quả")
    page.context.close()


def test_the_counter_qr_sheet_opens_the_anonymous_survey(
    browser: Browser, live_server, ward: Ward, artifacts: Path
) -> None:
    """An officer prints the counter QR; a citizen opens it on a phone and answers."""
    # Signed in through a session made here: the login form is tested elsewhere.
    user = ward.counter.user
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    staff, problems = open_page(browser, "desktop")
    staff.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session.session_key or "",
                "url": live_server.url,
            }
        ]
    )

    staff.goto(live_server.url + "/can-bo/danh-gia/ma-qr/")

    expect(staff.locator(".survey-poster")).to_contain_text(ward.centre.name)
    expect(staff.locator(".survey-qr svg")).to_be_visible()
    staff.screenshot(path=artifacts / "survey-counter-qr-desktop.png", full_page=True)
    survey_address = staff.locator(".survey-poster__url").inner_text().strip()
    assert problems == []
    staff.context.close()

    phone, problems = open_page(browser, "phone")
    phone.goto(survey_address)
    expect(phone.locator(".survey-subject")).to_contain_text("không ghi tên")
    phone.get_by_role("group", name="Nhìn chung, ông/bà có hài lòng không?").get_by_text(
        "Hài lòng", exact=True
    ).click()
    phone.get_by_role("button", name="Gửi đánh giá").click()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Cảm ơn ông/bà đã đánh giá")
    answer = SurveyResponse.objects.get()
    assert (answer.unit, answer.officer, answer.dossier) == (ward.centre, None, None)
    assert problems == []
    phone.context.close()

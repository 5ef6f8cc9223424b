"""A citizen finds a procedure from the home page and reads it, on a desktop and a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from motcua.core.testing.browser import needs_chromium
from motcua.portal.tests.conftest import Listing

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


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
def test_search_from_the_home_page_without_diacritics_and_read_the_procedure(
    browser: Browser, live_server, listing: Listing, artifacts: Path, viewport: str
) -> None:
    page, problems = open_page(browser, viewport)

    page.goto(live_server.url + "/")
    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky thuong tru")
    page.get_by_role("button", name="Tìm kiếm").click()

    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+thuong\+tru$"))
    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 thủ tục cho “dang ky thuong tru”.")
    result = page.get_by_role("link", name="Đăng ký thường trú", exact=True)
    expect(result).to_be_visible()
    page.screenshot(path=artifacts / f"procedures-search-{viewport}.png", full_page=True)

    result.click()

    expect(page).to_have_url(re.compile(r"/thu-tuc/1\.004222/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký thường trú")
    expect(page.locator(".key-facts")).to_contain_text("7 ngày làm việc")
    expect(page.get_by_text("20.000 đồng", exact=True)).to_be_visible()
    qr_code = page.get_by_role("img", name="Đăng ký thường trú", include_hidden=True)
    if viewport == "phone":
        expect(qr_code).to_be_hidden()  # the page is already open on this phone
    else:
        expect(qr_code).to_be_visible()
    page.screenshot(path=artifacts / f"procedure-detail-{viewport}.png", full_page=True)
    assert problems == []
    page.context.close()


def test_results_follow_the_typing_and_the_address_follows_the_results(
    browser: Browser, live_server, listing: Listing
) -> None:
    """With JavaScript, htmx refreshes the results as one types (the form works without it)."""
    page, problems = open_page(browser, "desktop")
    page.goto(live_server.url + "/thu-tuc/")
    expect(page.get_by_role("status")).to_have_text("Có 8 thủ tục hành chính đang được công khai.")

    page.get_by_label("Tên hoặc mã thủ tục").press_sequentially("khai tu", delay=30)

    expect(page.get_by_role("status")).to_have_text("Tìm thấy 1 thủ tục cho “khai tu”.")
    expect(page.locator(".procedure-item")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=khai(%20|\+)tu"))
    page.get_by_text("Lọc theo lĩnh vực, cấp thực hiện").click()  # the filters fold away
    page.get_by_label("Lĩnh vực").select_option("Đăng ký, quản lý cư trú")
    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 0 thủ tục")
    assert problems == []
    page.context.close()

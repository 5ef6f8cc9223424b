"""A citizen submits online with an attachment on a desktop and a phone, gets the reference
and a QR code, and opens the status page through the QR's link."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from motcua.core.testing.browser import needs_chromium
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import Ward, build_ward
from motcua.portal.tests.submit_support import PDF, first_case, required_components
from motcua.portal.tests.test_lookup_browser import open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow, needs_chromium]


@pytest.fixture
def ward(transactional_db: None) -> Ward:
    from django.core.cache import cache

    cache.clear()
    return build_ward()


def read_qr(image: Path) -> str:
    """What the QR code in ``image`` says (zbarimg), or "" without zbar-tools."""
    if shutil.which("zbarimg") is None:
        return ""
    result = subprocess.run(  # noqa: S603
        ["zbarimg", "--quiet", "--raw", str(image)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_a_citizen_submits_online_and_follows_the_qr_to_the_status(
    browser: Browser, live_server, ward: Ward, artifacts: Path, viewport: str
) -> None:
    page, problems = open_page(browser, viewport)
    page.goto(f"{live_server.url}/thu-tuc/{ward.procedure.code}/")
    page.locator(".submit-cta").get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký thường trú")
    expect(page.locator(".submit-fee")).to_contain_text("20.000 đồng")
    page.get_by_label("Nơi nộp hồ sơ").select_option(label="Phường Long Biên")
    page.get_by_label("Họ và tên người nộp (hoặc tên tổ chức)").fill("Trần Thị Mai")
    page.get_by_label("Số định danh cá nhân (CCCD) hoặc mã số thuế").fill("001190054321")
    page.get_by_label("Số điện thoại").fill("0987654321")
    page.locator(f'input[name="case"][value="{first_case(ward)}"]').check()
    for document in required_components(ward):
        page.set_input_files(
            f'input[name="doc_{document.pk}"]',
            files=[{"name": "giay-to.pdf", "mimeType": "application/pdf", "buffer": PDF}],
        )
    # Nothing wider than the screen, on a phone too.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=artifacts / f"submit-form-{viewport}.png", full_page=True)
    page.get_by_role("button", name="Nộp hồ sơ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Đã gửi hồ sơ trực tuyến")
    dossier = Dossier.objects.get()
    assert dossier.status == Status.SUBMITTED and dossier.documents.exclude(file="").exists()
    expect(page.locator(".submit-reference")).to_have_text(dossier.reference)
    expect(page.locator(".submit-secret")).to_have_text(dossier.lookup_secret)
    qr = page.locator(".submit-qr svg")
    expect(qr).to_be_visible()
    page.screenshot(path=artifacts / f"submit-done-{viewport}.png", full_page=True)
    qr_image = artifacts / f"submit-qr-{viewport}.png"
    qr.screenshot(path=qr_image)
    link = page.get_by_role("link", name="Xem tình trạng hồ sơ").get_attribute("href") or ""
    assert f"ma={dossier.reference}" in link and f"k={dossier.lookup_secret}" in link
    decoded = read_qr(qr_image)
    if decoded:
        assert decoded == link

    # What a phone camera does with the QR: open its link.
    page.goto(link)
    expect(page.locator(".lookup-status__label")).to_contain_text("Chờ tiếp nhận")
    expect(page.locator(".lookup-facts")).to_contain_text("Trần T** M**")
    expect(page.locator("main")).not_to_contain_text("0987654321")
    page.screenshot(path=artifacts / f"submit-lookup-{viewport}.png", full_page=True)
    assert problems == []
    page.context.close()

"""Browser-test fixtures (a pytest plugin): Playwright driving Debian's Chromium.

``playwright install`` cannot download browsers on our machines, so the tests
launch ``/usr/bin/chromium`` (``make deps-browser`` installs it; ``make test``
does it first) and are skipped with a reason where it is missing. We use
Playwright's own API rather than pytest-playwright, which pulls in a GPL
dependency (text-unidecode) and duplicated these few fixtures per module.

Fixtures: ``browser`` (one Chromium per test session), ``artifacts`` (the
git-ignored ``test-artifacts/`` folder for screenshots and PDFs).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
# shared/spec/stack-notes.md: what Debian's Chromium needs to start headless here.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian Chromium not found at /usr/bin/chromium: run `make deps-browser`",
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test opens its own context."""
    if not CHROMIUM.exists():
        pytest.skip("Debian Chromium not found at /usr/bin/chromium: run `make deps-browser`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django then
    # refuses database access "from an async context" unless told it is
    # deliberate (the live server runs in its own thread).
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def artifacts() -> Path:
    """``test-artifacts/`` at the repository root (git-ignored): screenshots to look at."""
    from django.conf import settings

    path = Path(settings.BASE_DIR) / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path

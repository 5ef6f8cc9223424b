"""Vietnamese first: the browser's language does not switch the site to English."""

import pytest


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_the_language_switcher_choice_is_honoured(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.headers["Content-Language"] == "en"

"""PDFs from templates under ``templates/pdf/`` with WeasyPrint, the committed fonts only.

Every printed document of motcua (the catalog's listing sheet, the official
one-stop forms, the tracking book) goes through :func:`render_pdf`: the
Liberation Serif files committed under ``static/motcua/fonts`` (Times New
Roman metrics, full Vietnamese coverage), nothing fetched from the network,
nothing depending on the fonts installed on the server.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}


def css_string(text: str) -> SafeString:
    """``text`` as a quoted CSS string for ``content:``; anything but letters, digits and
    plain punctuation is written as a CSS escape, so no text can end the style sheet."""
    allowed = " .,:;/()-–—"
    escaped = "".join(
        char if char.isalnum() or char in allowed else f"\\{ord(char):x} " for char in text
    )
    return mark_safe(f'"{escaped}"')  # noqa: S308 - every special character is escaped


def font_faces() -> list[dict[str, str]]:
    """``@font-face`` sources (file URIs) of the committed fonts, for the PDF style sheet."""
    faces = []
    for (weight, style), name in FONT_FILES.items():
        path = finders.find(f"motcua/fonts/{name}")
        if not path:  # pragma: no cover - the files are part of the package
            raise FileNotFoundError(name)
        faces.append({"weight": weight, "style": style, "src": Path(str(path)).as_uri()})
    return faces


def render_pdf(*, template: str, context: dict[str, Any], request: HttpRequest | None) -> bytes:
    """A PDF from a template under ``templates/pdf/`` with the committed fonts only.

    The template extends ``pdf/base.html``, which receives the fonts and the
    default page margins (page numbers, hotline and print date) from here.
    """
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    faces = font_faces()
    font_dir = faces[0]["src"].rsplit("/", 1)[0] + "/"

    class LocalFetcher(URLFetcher):
        """Only the committed fonts and data: URIs — never the network."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not (url.startswith("data:") or url.startswith(font_dir)):
                raise ValueError("PDF resource not allowed: " + url[:80])
            return super().fetch(url, headers)

    margins = {
        "page_label": css_string(_("Trang")),
        "footer_left": css_string(
            _("Đường dây nóng: %(hotline)s — in ngày %(date)s")
            % {
                "hotline": settings.MOTCUA_HOTLINE,
                "date": timezone.localdate().strftime("%d/%m/%Y"),
            }
        ),
    }
    html = render_to_string(template, {"fonts": faces, **margins, **context}, request=request)
    document = HTML(
        string=html,
        base_url=font_dir,
        url_fetcher=LocalFetcher(allowed_protocols={"file", "data"}),
    )
    return bytes(document.write_pdf(font_config=FontConfiguration()))

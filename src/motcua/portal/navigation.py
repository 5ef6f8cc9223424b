"""The citizen portal's main menu, as data.

Public addresses are printed on receipts, QR codes and notice boards, so each
entry fixes its path. Once the page exists under ``url_name``, the URL is
taken from the URL map; until then the fixed path is used.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PortalItem:
    label: str | Promise
    url_name: str
    path: str


@dataclass(frozen=True)
class PortalLink:
    label: str | Promise
    url: str
    current: bool


PORTAL_NAVIGATION: list[PortalItem] = [
    PortalItem(_("Trang chủ"), "portal:home", "/"),
    PortalItem(_("Thủ tục hành chính"), "portal:procedures", "/thu-tuc/"),
    PortalItem(_("Nộp hồ sơ trực tuyến"), "portal:submit", "/nop-ho-so/"),
    PortalItem(_("Tra cứu hồ sơ"), "portal:lookup", "/tra-cuu/"),
    PortalItem(_("Phản ánh kiến nghị"), "portal:feedback", "/phan-anh-kien-nghi/"),
    PortalItem(_("Đánh giá hài lòng"), "portal:survey", "/danh-gia/"),
    PortalItem(_("Tài khoản"), "portal:account", "/tai-khoan/"),
]


def portal_url(url_name: str) -> str:
    """The URL of a portal entry, falling back to its fixed path."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        for item in PORTAL_NAVIGATION:
            if item.url_name == url_name:
                return item.path
        raise


def portal_links(request: HttpRequest | None) -> list[PortalLink]:
    """The menu with the entry for the current page marked."""
    path = request.path if request is not None else ""
    links = []
    for item in PORTAL_NAVIGATION:
        url = portal_url(item.url_name)
        current = path == url if url == "/" else path.startswith(url)
        links.append(PortalLink(label=item.label, url=url, current=current))
    return links

"""The staff area's side navigation, as data.

Each later app adds one :class:`NavItem` to :data:`NAVIGATION`. An item whose
URL name does not resolve yet is hidden, so an entry may be added before its
view exists; an item with a predicate is shown only to users it accepts.
Predicates decide what is *shown*; the views still check access themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import User
from motcua.accounts.permissions import Action, can

Predicate = Callable[[User], bool]


@dataclass(frozen=True)
class NavItem:
    """One entry of the side navigation."""

    label: str | Promise
    url_name: str
    # Name of a symbol in static/motcua/icons.svg.
    icon: str
    predicate: Predicate | None = None
    # Current only on its own URL, not below it (the area's home page).
    exact: bool = False


@dataclass(frozen=True)
class NavLink:
    """A resolved entry, ready for the template."""

    label: str | Promise
    url: str
    icon: str
    current: bool


def may(action: Action) -> Predicate:
    """A predicate: may the user do ``action`` in their own unit (see accounts.permissions)."""

    def predicate(user: User) -> bool:
        officer = getattr(user, "officer", None) if user.is_authenticated else None
        return can(user, action, officer.unit if officer is not None else None)

    return predicate


def is_staff(user: User) -> bool:
    """Users allowed into the Django admin."""
    return user.is_staff


NAVIGATION: list[NavItem] = [
    NavItem(_("Bảng điều khiển"), "backoffice:home", "home", exact=True),
    NavItem(_("Tiếp nhận hồ sơ"), "backoffice:intake", "inbox", may(Action.DOSSIER_RECEIVE)),
    NavItem(_("Hồ sơ của tôi"), "backoffice:my_dossiers", "folder", may(Action.DOSSIER_VIEW)),
    NavItem(_("Thủ tục hành chính"), "backoffice:procedures", "book", may(Action.CATALOG_VIEW)),
    NavItem(_("Thông báo chỉ đạo"), "backoffice:announcements", "message"),
    NavItem(_("Báo cáo"), "backoffice:reports", "chart", may(Action.REPORT_VIEW)),
    NavItem(
        _("Đánh giá cán bộ"),
        "backoffice:evaluation",
        "star",
        may(Action.EVALUATION_SELF_ASSESS),
    ),
    NavItem(
        _("Kiểm tra công vụ"),
        "backoffice:inspections",
        "clipboard",
        may(Action.INSPECTION_MANAGE),
    ),
    NavItem(
        _("Lịch làm việc"),
        "backoffice:workcalendar",
        "calendar",
        may(Action.CALENDAR_MANAGE),
    ),
    NavItem(
        _("Mẫu thư công dân"),
        "backoffice:letter_templates",
        "file",
        may(Action.LETTER_MANAGE),
    ),
    NavItem(_("Phản ánh, kiến nghị"), "backoffice:feedback", "message", may(Action.FEEDBACK_VIEW)),
    NavItem(
        _("Lịch trực, tin tức"),
        "backoffice:portal_content",
        "calendar",
        may(Action.PORTAL_PUBLISH),
    ),
    NavItem(_("Quản trị"), "admin:index", "settings", is_staff),
]


def _resolve(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def nav_links(request: HttpRequest, items: Iterable[NavItem] | None = None) -> list[NavLink]:
    """The items ``request.user`` may see whose URL exists, the current one marked.

    The current item is the one whose URL is the longest prefix of the path,
    so pages below an item (a dossier under "my dossiers") keep it marked.
    """
    user = request.user
    visible: list[tuple[NavItem, str]] = []
    for item in NAVIGATION if items is None else items:
        url = _resolve(item.url_name)
        if url is None:
            continue
        if item.predicate is not None and not item.predicate(user):  # type: ignore[arg-type]
            continue
        visible.append((item, url))
    matching = [
        url
        for item, url in visible
        if request.path == url or (not item.exact and request.path.startswith(url))
    ]
    current = max(matching, key=len, default=None)
    return [
        NavLink(label=item.label, url=url, icon=item.icon, current=url == current)
        for item, url in visible
    ]

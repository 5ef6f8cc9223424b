"""The side navigation: built from a registry, hiding what does not exist yet."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client, RequestFactory

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.accounts.permissions import Action
from motcua.backoffice import navigation
from motcua.backoffice.navigation import NavItem, nav_links

pytestmark = pytest.mark.django_db


def links_for(user: User, path: str = "/can-bo/", items=None) -> list[navigation.NavLink]:
    request = RequestFactory().get(path)
    request.user = user
    return nav_links(request, items)


def test_items_whose_url_does_not_resolve_are_hidden(officer: User) -> None:
    items = [
        NavItem("Bảng điều khiển", "backoffice:home", "home"),
        NavItem("Chưa có", "backoffice:does_not_exist_yet", "inbox"),
    ]

    links = links_for(officer, items=items)

    assert [link.label for link in links] == ["Bảng điều khiển"]
    assert links[0].url == "/can-bo/"


def test_predicate_hides_items_from_users_it_refuses(
    make_officer: Callable[..., User],
) -> None:
    items = [
        NavItem("Báo cáo", "backoffice:home", "chart", navigation.may(Action.REPORT_VIEW)),
    ]
    leader = make_officer("lanh.dao", roles=(Role.LEADER,))
    specialist = make_officer("chuyen.vien", roles=(Role.SPECIALIST,))

    assert [link.label for link in links_for(leader, items=items)] == ["Báo cáo"]
    assert links_for(specialist, items=items) == []


def test_the_longest_matching_url_is_current(officer: User) -> None:
    items = [
        NavItem("Bảng điều khiển", "backoffice:home", "home"),
        NavItem("Đổi mật khẩu", "backoffice:password_change", "lock"),
    ]

    links = links_for(officer, path="/can-bo/doi-mat-khau/", items=items)

    assert [link.current for link in links] == [False, True]


def test_the_dashboard_entry_is_current_on_the_dashboard_only(officer: User) -> None:
    items = [NavItem("Bảng điều khiển", "backoffice:home", "home", exact=True)]

    assert links_for(officer, path="/can-bo/", items=items)[0].current
    assert not links_for(officer, path="/can-bo/doi-mat-khau/", items=items)[0].current


def test_dashboard_shows_only_resolvable_items(
    client: Client, officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        navigation,
        "NAVIGATION",
        [
            NavItem("Bảng điều khiển", "backoffice:home", "home"),
            NavItem("Mục chưa làm", "backoffice:not_built_yet", "inbox"),
        ],
    )
    client.force_login(officer)

    content = client.get("/can-bo/").content.decode()

    assert 'href="/can-bo/" aria-current="page"' in content
    assert "Mục chưa làm" not in content


def test_admin_entry_is_shown_to_staff_users_only(
    client: Client, make_officer: Callable[..., User]
) -> None:
    staff = make_officer("quan.tri", is_staff=True)
    plain = make_officer("can.bo")

    client.force_login(staff)
    assert 'href="/can-bo/quan-tri/"' in client.get("/can-bo/").content.decode()
    client.force_login(plain)
    assert 'href="/can-bo/quan-tri/"' not in client.get("/can-bo/").content.decode()


def test_top_bar_shows_name_unit_roles_and_a_post_logout(
    client: Client, make_officer: Callable[..., User]
) -> None:
    user = make_officer(roles=(Role.COUNTER_OFFICER, Role.SPECIALIST))
    client.force_login(user)

    content = client.get("/can-bo/").content.decode()

    assert "Nguyễn Thị Lan" in content
    assert "Phường Long Biên" in content
    assert "Cán bộ tiếp nhận và trả kết quả" in content
    assert "Chuyên viên xử lý" in content
    assert '<form method="post" action="/can-bo/dang-xuat/"' in content

"""Template helpers of the citizen portal's layout."""

from __future__ import annotations

from django import template

from motcua.portal.navigation import PortalLink, portal_links, portal_url

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_nav(context: template.Context) -> list[PortalLink]:
    """The portal menu for the current request."""
    return portal_links(context.get("request"))


@register.simple_tag
def portal_href(url_name: str) -> str:
    """The URL of a portal page by name, or its fixed public path until it exists."""
    return portal_url(url_name)

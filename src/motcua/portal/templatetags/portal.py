"""Template helpers of the citizen portal's layout."""

from __future__ import annotations

from django import template

from motcua.catalog.models import ProcedureVersion, ProcessStep, RequiredDocument
from motcua.catalog.selectors import period_label, version_fee_summary, version_period
from motcua.portal import display
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


@register.filter
def time_limit(version: ProcedureVersion | None) -> str:
    """The statutory time limit of a version in words: "7 ngày làm việc"."""
    if version is None:
        return ""
    return period_label(version_period(version=version))


@register.filter
def fee_summary(version: ProcedureVersion | None) -> str:
    """The fees of a version in one line: "10.000 – 20.000 đồng", "Miễn phí"…"""
    if version is None:
        return ""
    return version_fee_summary(version=version)


@register.filter
def document_copies(document: RequiredDocument) -> str:
    """ "1 bản chính, 1 bản sao" for a dossier component."""
    return display.document_copies(document)


@register.filter
def step_share(step: ProcessStep) -> str:
    """A step's share of the legal time: "0,5 ngày làm việc"."""
    return display.step_share(step)

"""Citizen-facing pages. Thin: parse, fetch through selectors, render."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from motcua.catalog.listing_pdf import SHEET_LIMIT, listing_sheet_pdf
from motcua.catalog.qr import qr_svg
from motcua.catalog.selectors import (
    period_label,
    procedure_fields,
    procedure_find,
    procedure_get_public,
    procedure_levels,
    procedure_listing_units,
    procedure_search,
    procedure_units,
    procedure_version_get,
    procedure_versions_in_force,
    version_fee_summary,
    version_period,
)
from motcua.core.exceptions import NotFound
from motcua.portal.display import group_documents, method_rows, split_steps
from motcua.portal.forms import ProcedureFilterForm, ProcedureSheetForm

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    """The portal home: what the one-stop shop does, procedure search and quick links."""
    return render(request, "portal/home.html")


def procedure_list(request: HttpRequest) -> HttpResponse:
    """Public procedures: search without diacritics, filters, 20 a page (htmx: results only)."""
    form = ProcedureFilterForm(
        request.GET,
        fields=procedure_fields(),
        levels=procedure_levels(),
        units=procedure_listing_units(),
    )
    form.is_valid()  # invalid filters are dropped and shown; the rest still applies
    arguments = form.search_arguments()
    # Plain matches first, then everyday-language suggestions ("sổ đỏ").
    results = procedure_find(**arguments)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    versions = procedure_versions_in_force(procedures=page.object_list)
    context = {
        "form": form,
        "page_obj": page,
        "rows": [(procedure, versions.get(procedure.pk)) for procedure in page.object_list],
        "query": arguments["query"],
        "plain_total": results.plain_count,
        "suggested_total": len(results.suggested),
        "filtered": bool(arguments["query"]) or form.has_filters(),
        "sheet_unit": arguments["unit"],
        "sheet_field": arguments["field"],
    }
    template = "portal/procedures/list.html"
    if getattr(request, "htmx", False) and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        template = "portal/procedures/_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Everything a citizen needs from the version in force, with a QR code to this page."""
    try:
        procedure, version = procedure_get_public(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    version = procedure_version_get(procedure=procedure, number=version.number, with_children=True)
    user = request.user
    page_url = request.build_absolute_uri(
        reverse("portal:procedure_detail", args=[procedure.code])
    )
    steps = list(version.process_steps.all())
    context = {
        "procedure": procedure,
        "version": version,
        "time_limit": period_label(version_period(version=version)),
        "fee_summary": version_fee_summary(version=version),
        "methods": method_rows(version),
        "document_groups": group_documents(version.documents.all()),
        "steps": split_steps(version.steps_text),
        "process_steps": steps,
        "results": list(version.results.all()),
        "legal_basis": list(version.legal_basis.all()),
        "units": procedure_units(procedure=procedure),
        "page_url": page_url,
        "qr": qr_svg(page_url, title=procedure.name, css_class="qr"),
        "is_officer": user.is_authenticated and getattr(user, "is_officer", False),
    }
    return render(request, "portal/procedures/detail.html", context)


def procedure_sheet(request: HttpRequest) -> HttpResponse:
    """The printable A4 listing sheet (PDF) of one unit and/or field, for notice boards."""
    units = procedure_listing_units()
    form = ProcedureSheetForm(request.GET, fields=procedure_fields(), units=units)
    context = {"form": form, "units": units, "limit": SHEET_LIMIT}
    if not form.is_valid():
        return render(request, "portal/procedures/sheet_form.html", context, status=400)
    unit = form.cleaned_data["unit"]
    field = form.cleaned_data["field"]
    procedures = procedure_search(field=field, unit=unit)
    selected = list(procedures[: SHEET_LIMIT + 1])
    if len(selected) > SHEET_LIMIT:
        context["too_many"] = procedures.count()
        return render(request, "portal/procedures/sheet_form.html", context)
    pdf = listing_sheet_pdf(
        procedures=selected,
        url_for=lambda code: request.build_absolute_uri(
            reverse("portal:procedure_detail", args=[code])
        ),
        unit=unit,
        field=field,
        request=request,
    )
    scope = re.sub(r"[^0-9A-Za-z.-]", "", unit.code) if unit else "tat-ca"
    name = f"danh-muc-thu-tuc-{scope}-{timezone.localdate():%Y%m%d}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response

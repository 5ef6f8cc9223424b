"""Staff screens for the letter templates under ``/can-bo/mau-thu/`` (administrators).

Thin: authorize (``letter.manage`` in the officer's own unit: the templates,
like the catalog, are the same everywhere), call one selector or service,
render. The URL names live in the ``backoffice`` namespace.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.accounts.permissions import Action
from motcua.backoffice import navigation
from motcua.backoffice.access import domain_view
from motcua.core.exceptions import DomainError, NotFound, PermissionDenied
from motcua.letters import selectors, services
from motcua.letters.forms import LetterTemplateForm
from motcua.letters.models import LetterTemplate
from motcua.letters.pdf import letter_pdf
from motcua.letters.placeholders import PLACEHOLDERS

View = Callable[..., HttpResponse]
SAMPLE_APPLICANT = "Nguyễn Văn An"
SAMPLE_SIGNER = "Trần Thị Bình"


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def manager_view(methods: Sequence[str] = ("GET",)) -> Callable[[View], View]:
    """Officers with ``letter.manage`` only; domain errors become 404/403 pages."""
    return domain_view(
        methods,
        allowed=navigation.may(Action.LETTER_MANAGE),
        action=Action.LETTER_MANAGE,
    )


def _initial(template: LetterTemplate) -> dict[str, Any]:
    return {
        "name": template.name,
        "kind": template.kind,
        "moment": template.moment,
        "title": template.title,
        "greeting": template.greeting,
        "body": template.body,
        "signer_title": template.signer_title,
        "is_active": template.is_active,
        "procedure_codes": "\n".join(
            template.procedures.order_by("code").values_list("code", flat=True)
        ),
    }


def _editor(
    request: HttpRequest, form: LetterTemplateForm, template: LetterTemplate | None
) -> HttpResponse:
    return render(
        request,
        "backoffice/letters/edit.html",
        {"form": form, "template": template, "placeholders": PLACEHOLDERS},
    )


@manager_view()
def template_list(request: HttpRequest) -> HttpResponse:
    """Every template with its kind, moment and number of procedures."""
    return render(
        request,
        "backoffice/letters/list.html",
        {"templates": list(selectors.letter_template_list())},
    )


@manager_view(("GET", "POST"))
def template_create(request: HttpRequest) -> HttpResponse:
    """A new template."""
    form = LetterTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = services.letter_template_create(
                actor=_user(request), fields=form.service_fields(), procedures=form.procedures
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            name = exc.params.get("field")
            form.add_error(name if name in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã tạo mẫu thư «%(name)s».") % {"name": template.name})
            return redirect("backoffice:letter_template_preview", pk=template.pk)
    return _editor(request, form, None)


@manager_view(("GET", "POST"))
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a template."""
    template = selectors.letter_template_get(pk=pk)
    form = LetterTemplateForm(request.POST or None, initial=_initial(template))
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_template_update(
                template=template,
                actor=_user(request),
                fields=form.service_fields(),
                procedures=form.procedures,
            )
        except (NotFound, PermissionDenied):
            raise
        except DomainError as exc:
            name = exc.params.get("field")
            form.add_error(name if name in form.fields else None, exc.message)
        else:
            messages.success(request, _("Đã lưu mẫu thư «%(name)s».") % {"name": template.name})
            return redirect("backoffice:letter_template_preview", pk=template.pk)
    return _editor(request, form, template)


def _sample_context(request: HttpRequest, template: LetterTemplate) -> dict[str, Any]:
    """Example values for a preview; ``?ho_ten=`` changes the applicant's name."""
    officer = getattr(request.user, "officer", None)
    procedure = template.procedures.order_by("code").first()
    return {
        "applicant_name": request.GET.get("ho_ten", "").strip()[:150] or SAMPLE_APPLICANT,
        "procedure_name": procedure.name if procedure else _("Đăng ký khai sinh"),
        "date": timezone.localdate(),
        "unit_name": officer.unit.name if officer is not None else "",
        "signer_name": SAMPLE_SIGNER,
        "dossier_code": "000.00.01.H26-261122-0001",
    }


@manager_view()
def template_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The template filled with example values, as text and as a link to the PDF."""
    template = selectors.letter_template_get(pk=pk)
    context = _sample_context(request, template)
    return render(
        request,
        "backoffice/letters/preview.html",
        {
            "template": template,
            "text": services.render_letter(template, context),
            "sample": context,
            "procedures": list(template.procedures.order_by("code")),
        },
    )


@manager_view()
def template_preview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The printed letter with example values."""
    template = selectors.letter_template_get(pk=pk)
    content = letter_pdf(
        template=template, context=_sample_context(request, template), request=request
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-thu-{template.pk}.pdf"'
    return response

"""Online submission from a procedure page: ``/thu-tuc/<code>/nop-truc-tuyen/``.

Thin: the form checks input (files by content), one service sends the
dossier into the unit's intake queue, the confirmation shows the reference,
the lookup secret and a QR to ``/tra-cuu/?ma=<reference>&k=<secret>``.

The form carries a signed random token; it becomes the dossier's
idempotency key (``portal:<who>:<token>``), so a double click, a reload or
"back, then send again" gives the same dossier. The confirmation page shows
the secret, so it opens only in the session that submitted (or for the
signed-in owner) and is never cached.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from motcua.accounts.models import Citizen
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.qr import qr_svg
from motcua.catalog.selectors import (
    period_label,
    procedure_get_public,
    procedure_units,
    procedure_version_get,
    version_fee_summary,
    version_period,
)
from motcua.citizens.models import SubmissionDraft
from motcua.citizens.selectors import (
    citizen_drafts,
    citizen_of,
    intake_unit_for,
    online_submission_get,
    submission_draft_for,
)
from motcua.citizens.services import citizen_submit_online, submission_draft_save
from motcua.core.exceptions import NotFound, ValidationFailed
from motcua.core.uploads import MB, size_label, upload_limits
from motcua.dossiers.forms_pdf import lookup_url, public_base_url
from motcua.portal.forms_submit import (
    OnlineSubmissionForm,
    submission_token_new,
    submission_token_raw,
)

# The dossiers this browser session submitted, newest last (the confirmation
# page opens only for them, or for their signed-in owner).
SESSION_KEY = "motcua_submitted"
SESSION_KEEP = 20


def _private(response: HttpResponse) -> HttpResponse:
    # The page holds personal data, a secret or both: never cached, never
    # sent as a Referer to another site, never indexed.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _procedure(code: str) -> tuple[Procedure, ProcedureVersion]:
    try:
        procedure, version = procedure_get_public(code=code)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return procedure, procedure_version_get(
        procedure=procedure, number=version.number, with_children=True
    )


def _initial(citizen: Citizen | None, draft: SubmissionDraft | None) -> dict[str, Any]:
    if draft is not None:
        initial: dict[str, Any] = {key: value for key, value in draft.data.items() if value}
        if draft.unit_id:
            initial["unit"] = str(draft.unit_id)
        initial["token"] = draft.token
        return initial
    initial = {"token": submission_token_new()}
    if citizen is not None:
        user = citizen.user
        initial.update(
            applicant_name=user.full_name,
            applicant_id_number=citizen.citizen_id,
            applicant_phone=user.phone,
            applicant_email=user.email,
            applicant_address=citizen.address,
        )
    return initial


def idempotency_key_for(request: HttpRequest, token: str) -> str:
    """The dossier's idempotency key: the form token, scoped to the user (or "anon")."""
    raw = submission_token_raw(token) or ""
    user = request.user
    who = f"u{user.pk}" if user.is_authenticated else "anon"
    return f"portal:{who}:{raw}"


# Room for the form's text fields and the multipart framing around the files.
BODY_MARGIN = 1 * MB


@csrf_exempt  # checked below, once the body is known to be of a sane size
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest, code: str) -> HttpResponse:
    """The form (GET), a draft save ("Lưu nháp") or the submission (POST).

    A body larger than every file allowed together is refused from its
    declared length, before anything is read or written to a temporary file
    (the CSRF check would otherwise parse it first).
    """
    limits = upload_limits()
    declared = request.META.get("CONTENT_LENGTH") or "0"
    length = int(declared) if declared.isdigit() else 0
    if request.method == "POST" and length > limits.max_total_bytes + BODY_MARGIN:
        message = _(
            "Hồ sơ gửi lên (%(size)s) vượt quá dung lượng tối đa %(limit)s cho một hồ sơ. "
            "Vui lòng quay lại, giảm dung lượng các tệp (quét với độ phân giải thấp hơn) rồi "
            "nộp lại."
        ) % {"size": size_label(length), "limit": size_label(limits.max_total_bytes)}
        response = render(
            request,
            "portal/submit/too_large.html",
            {"message": message, "back": request.path},
            status=413,
        )
        response["Connection"] = "close"  # the unread body is not worth keeping the line
        return response
    return _submit(request, code)


@csrf_protect
def _submit(request: HttpRequest, code: str) -> HttpResponse:
    procedure, version = _procedure(code)
    units = procedure_units(procedure=procedure)
    citizen = citizen_of(request.user)
    draft = submission_draft_for(citizen=citizen, procedure=procedure) if citizen else None
    draft_files = {row.required_document_id: row for row in draft.files.all()} if draft else {}
    mode = "draft" if request.POST.get("action") == "draft" else "submit"
    form_kwargs: dict[str, Any] = {
        "components": list(version.documents.all()),
        "units": units,
        "draft_files": draft_files,
        "mode": mode,
    }
    status = 200
    if request.method == "POST":
        form = OnlineSubmissionForm(request.POST, request.FILES, **form_kwargs)
        if mode == "draft" and citizen is None:
            form.is_valid()
            form.add_error(None, _("Vui lòng đăng nhập tài khoản để lưu hồ sơ nháp."))
        elif form.is_valid() and mode == "draft" and citizen is not None:
            submission_draft_save(
                citizen=citizen,
                procedure=procedure,
                unit=form.chosen_unit(),
                data=form.draft_data(),
                uploads=form.uploads,
                token=form.cleaned_data["token"],
            )
            messages.success(
                request,
                _(
                    "Đã lưu hồ sơ nháp. Ông/bà có thể đóng trình duyệt và quay lại trang này "
                    "hoặc mục “Hồ sơ nháp” trong tài khoản để nộp tiếp."
                ),
            )
            return HttpResponseRedirect(request.path)
        elif form.is_valid() and (unit := form.chosen_unit()) is not None:
            try:
                dossier = citizen_submit_online(
                    procedure=procedure,
                    unit=intake_unit_for(unit=unit),
                    applicant=form.applicant(),
                    uploads=form.uploads,
                    components=form.components_needed(form.cleaned_data.get("case") or ""),
                    return_channel=form.cleaned_data["return_channel"],
                    idempotency_key=idempotency_key_for(request, form.cleaned_data["token"]),
                    citizen=citizen,
                    draft=draft,
                )
            except ValidationFailed as exc:
                form.add_service_error(exc)
            else:
                submitted = [pk for pk in request.session.get(SESSION_KEY, []) if pk != dossier.pk]
                request.session[SESSION_KEY] = [*submitted, dossier.pk][-SESSION_KEEP:]
                return HttpResponseRedirect(
                    reverse("portal:submit_done", args=[dossier.reference])
                )
        status = 400
    else:
        form = OnlineSubmissionForm(initial=_initial(citizen, draft), **form_kwargs)
    context = {
        "procedure": procedure,
        "version": version,
        "form": form,
        "units": units,
        "citizen": citizen,
        "draft": draft,
        "time_limit": period_label(version_period(version=version)),
        "fee_summary": version_fee_summary(version=version),
        "limits": form.limits,
    }
    return _private(render(request, "portal/submit/form.html", context, status=status))


def submitted(request: HttpRequest, reference: str) -> HttpResponse:
    """The confirmation: reference, lookup secret, QR to the status page."""
    try:
        dossier = online_submission_get(
            reference=reference,
            session_ids=request.session.get(SESSION_KEY, []),
            citizen=citizen_of(request.user),
        )
    except NotFound as exc:
        raise Http404(exc.message) from exc
    link = lookup_url(dossier=dossier, base_url=public_base_url(request))
    context = {
        "dossier": dossier,
        "lookup_link": link,
        "qr": qr_svg(link, title=_("Mã QR tra cứu hồ sơ %(ref)s") % {"ref": dossier.reference}),
        "documents": list(dossier.documents.all()),
        "fee_summary": version_fee_summary(version=dossier.procedure_version),
    }
    return _private(render(request, "portal/submit/done.html", context))


def start(request: HttpRequest) -> HttpResponse:
    """``/nop-ho-so/``: how to submit online, and the signed-in citizen's drafts."""
    citizen = citizen_of(request.user)
    drafts = list(citizen_drafts(citizen=citizen)) if citizen else []
    return render(request, "portal/submit/start.html", {"citizen": citizen, "drafts": drafts})

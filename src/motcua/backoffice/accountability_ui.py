"""Accountability for delay on staff screens (issue 5): forms, the banner's data, inbox filters.

Used by ``views_dossiers`` (the dossier page, the inbox) and
``views_accountability`` (the two POST views); kept apart so that neither
imports the other's views.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.dossiers.accountability import dossier_accountability
from motcua.dossiers.constants import DeadlineState
from motcua.dossiers.models import Dossier, DossierStep
from motcua.dossiers.services_accountability import MAX_EXTENSION_WORKING_DAYS

# ``?trang-thai=`` of the inbox.
STATE_PARAM = "trang-thai"


class ExplanationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Nội dung giải trình"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ApologyForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Lý do quá hạn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    extension_days = forms.IntegerField(
        label=gettext_lazy("Hẹn lại sau (số ngày làm việc)"),
        min_value=1,
        max_value=MAX_EXTENSION_WORKING_DAYS,
        initial=3,
        help_text=gettext_lazy(
            "Tính từ ngày hẹn hiện tại, hoặc từ hôm nay nếu đã quá hạn, theo lịch làm việc."
        ),
    )


def accountability_context(user: User, dossier: Dossier) -> dict[str, Any]:
    """What the dossier page shows: the banner, and the forms for the right people only."""
    view = dossier_accountability(user=user, dossier=dossier)
    return {
        "accountability": view,
        "explanation_form": ExplanationForm() if view.may_explain else None,
        "apology_form": ApologyForm() if view.may_apologise else None,
        "explanation_url": reverse("backoffice:dossier_explain", args=[dossier.label]),
        "apology_url": reverse("backoffice:dossier_apologise", args=[dossier.label]),
    }


def inbox_by_state(steps: QuerySet[DossierStep], state: str) -> QuerySet[DossierStep]:
    """Open steps on time, due soon or late, through their alarm columns (indexed)."""
    now = timezone.now()
    if state == DeadlineState.LATE:
        return steps.filter(late_from__lt=now)
    if state == DeadlineState.DUE_SOON:
        return steps.filter(due_soon_at__lte=now, late_from__gte=now)
    if state == DeadlineState.ON_TIME:
        return steps.exclude(due_soon_at__lte=now)
    return steps


def inbox_state_links(request: HttpRequest) -> list[dict[str, Any]]:
    """The filter links above the inbox, the current one marked."""
    current = request.GET.get(STATE_PARAM, "")
    labels = (
        ("", _("Tất cả")),
        (DeadlineState.ON_TIME, _("Trong hạn")),
        (DeadlineState.DUE_SOON, _("Sắp đến hạn")),
        # Not "Quá hạn": that is the badge of a late row.
        (DeadlineState.LATE, _("Đã quá hạn")),
    )
    return [
        {"value": str(value), "label": label, "current": current == value}
        for value, label in labels
    ]

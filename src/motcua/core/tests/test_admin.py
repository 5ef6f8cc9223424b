"""The scheduler's ledger in the admin: visible, never editable by hand."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.core.models import ScheduledRun


@pytest.mark.django_db
def test_scheduled_runs_are_listed_read_only(admin_client: Client) -> None:
    """Administrators see the runs; the admin offers no way to add or change one."""
    run = ScheduledRun.objects.create(job="core.prune_task_history", slot="2026-11-22T20:17Z")

    listing = admin_client.get(reverse("admin:core_scheduledrun_changelist"))
    adding = admin_client.get(reverse("admin:core_scheduledrun_add"))
    changing = admin_client.post(
        reverse("admin:core_scheduledrun_change", args=[run.pk]), {"job": "other"}
    )

    assert listing.status_code == 200
    assert b"core.prune_task_history" in listing.content
    assert adding.status_code == 403
    assert changing.status_code == 403
    run.refresh_from_db()
    assert run.job == "core.prune_task_history"

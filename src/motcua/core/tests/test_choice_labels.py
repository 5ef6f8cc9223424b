"""Choice labels (a table per field and language) equal Django's own."""

from __future__ import annotations

import pytest
from django.utils import translation

from motcua.core.formatting import choice_label
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def test_choice_labels_match_django_in_each_language() -> None:
    dossier = Dossier(status=Status.IN_PROGRESS, channel="online")
    assert choice_label(dossier, "status") == str(dossier.get_status_display())
    assert choice_label(dossier, "channel") == str(dossier.get_channel_display())
    with translation.override("en"):
        english = choice_label(dossier, "status")
        assert english == str(dossier.get_status_display())
    with translation.override("vi"):
        assert choice_label(dossier, "status") == str(dossier.get_status_display())


def test_a_value_outside_the_choices_is_shown_as_stored() -> None:
    dossier = Dossier(status="not_a_state")
    assert choice_label(dossier, "status") == "not_a_state" == dossier.get_status_display()

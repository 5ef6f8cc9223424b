"""Dossiers of the test ward (dossiers.tests.conftest) in the states the lookup and the survey
show: a received one, one waiting for a supplement, one returned with internal notes."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache

from motcua.dossiers.constants import ReturnChannel, RuleSet
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ResultDocument,
    dossier_handover,
    dossier_note,
    dossier_result_ready,
    dossier_return_result,
)
from motcua.dossiers.tests.conftest import Ward, at, build_ward
from motcua.dossiers.tests.forms_support import DATES, received, supplement_requested

RULES = RuleSet.DECREE_118_2025
INTERNAL_NOTE = "Ghi chú nội bộ: người nộp hay khiếu nại"
HANDOVER_NOTE = "Chuyển thụ lý"  # forms_support.returned's handover note, between officers


@pytest.fixture
def ward(db: None) -> Ward:
    return build_ward()


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()


def returned_dossier(ward: Ward) -> Dossier:
    """Received, noted inside the office, handed over with a note, processed and returned
    (by the counter officer who received it) — forms_support's dates."""
    dates = DATES[RULES]
    dossier = received(ward, RULES)
    with time_machine.travel(at("2026-11-17T10:00"), tick=False):
        dossier_note(dossier=dossier, actor=ward.counter.user, text=INTERNAL_NOTE)
    with time_machine.travel(at(dates.to_specialist), tick=False):
        dossier_handover(
            dossier=dossier,
            actor=ward.counter.user,
            to_assignee=ward.specialist,
            note=HANDOVER_NOTE,
        )
    with time_machine.travel(at(dates.to_leader), tick=False):
        dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)
    with time_machine.travel(at(dates.result), tick=False):
        dossier_result_ready(
            dossier=dossier,
            actor=ward.leader.user,
            results=[
                ResultDocument(
                    procedure_id=ward.procedure.pk,
                    name="Xác nhận đăng ký thường trú",
                    document_number="123/GXN",
                )
            ],
        )
    with time_machine.travel(at(dates.returned), tick=False):
        dossier_return_result(
            dossier=dossier,
            actor=ward.counter2.user,
            channel=ReturnChannel.COUNTER,
            recipient_name="Nguyễn Văn Bình",
            acknowledgement="Đã ký nhận vào sổ theo dõi",
        )
    dossier.refresh_from_db()
    return dossier


def waiting_for_supplement(ward: Ward) -> Dossier:
    return supplement_requested(ward, RULES)


def just_received(ward: Ward) -> Dossier:
    return received(ward, RULES)


_TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+')


def comparable(html: str, *codes: str) -> str:
    """A page without what differs by design: CSRF tokens, and the code the person typed."""
    text = _TOKEN.sub(r"\1-", html)
    for code in codes:
        text = text.replace(code, "CODE")
    return text

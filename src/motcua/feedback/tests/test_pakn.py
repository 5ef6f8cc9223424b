"""Feedback and petitions (PAKN, R30): lifecycle with deadlines across holidays, permissions
for every role, publication and likes, code uniqueness, indicator 5.4 and the 766 figures."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from PIL import Image

from motcua.accounts.constants import Role
from motcua.accounts.models import AuditEvent
from motcua.accounts.tests.factories import OfficerFactory
from motcua.core.exceptions import Conflict, NotFound, PermissionDenied, ValidationFailed
from motcua.dossiers.tests.conftest import Ward, at
from motcua.feedback.codes import feedback_code_next
from motcua.feedback.constants import (
    FeedbackAction,
    FeedbackCategory,
    FeedbackOutcome,
    FeedbackStatus,
    Vote,
)
from motcua.feedback.models import Feedback, FeedbackEvent
from motcua.feedback.selectors import (
    feedback_actions_for,
    feedback_deadline,
    feedback_figures,
    feedback_get_for_officer,
    feedback_list,
    feedback_published,
    indicator_5_4,
)
from motcua.feedback.services import (
    FeedbackAttachmentIn,
    FeedbackIn,
    feedback_answer,
    feedback_ask_info,
    feedback_classify,
    feedback_publish,
    feedback_reject,
    feedback_route,
    feedback_submit,
    feedback_supplement,
    feedback_thank,
    feedback_vote,
)
from motcua.feedback.tests.support import _fresh_rate_limits, received, ward
from motcua.notifications.models import Notification

__all__ = ["_fresh_rate_limits", "ward"]


def _png() -> bytes:
    """A real 2 × 2 PNG: attachments are opened, not only sniffed (core.uploads)."""
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def data(**overrides: str) -> FeedbackIn:
    values = {
        "title": "Niêm yết phí chưa rõ",
        "content": "Bảng niêm yết lệ phí tại quầy không ghi mức miễn giảm.",
        "sender_name": "Trần Thị Mai",
        "sender_phone": "0912 345 678",
        "sender_email": "mai@example.com",
    }
    values.update(overrides)
    return FeedbackIn(**values)


def submit(ward: Ward, when: str = "2026-04-28T10:00", **overrides: str) -> Feedback:
    with time_machine.travel(at(when), tick=False):
        return feedback_submit(unit=ward.centre, data=data(**overrides))


def test_submission_gets_a_code_and_the_r30_deadlines_across_the_30_4_holidays(
    ward: Ward,
) -> None:
    """Received Tue 28/4/2026: 30/4 and 1/5 are holidays, so reject is due Mon 4/5, ask for
    more Thu 7/5, answer Thu 21/5 — each at the close of the working day."""
    feedback = submit(ward)
    assert feedback.code == "PAKN-00145-TTPVHCC-260428-0001"
    assert feedback.status == FeedbackStatus.RECEIVED
    assert feedback.reject_due == at("2026-05-04T17:00")
    assert feedback.ask_info_due == at("2026-05-07T17:00")
    assert feedback.answer_due == at("2026-05-21T17:00")
    assert feedback.due_at == feedback.answer_due
    assert feedback.sender_phone == "0912345678"
    event = feedback.events.get()
    assert (event.action, event.to_status, event.sequence) == ("submit", "received", 1)
    assert AuditEvent.objects.filter(action="feedback.submit", object_id=str(feedback.pk)).exists()


def test_an_online_submission_after_hours_counts_from_the_next_session(ward: Ward) -> None:
    """Sent Saturday night: received Monday 08:00, so the clocks start then."""
    feedback = submit(ward, when="2026-05-09T21:40")
    assert feedback.received_at == at("2026-05-11T08:00")
    assert feedback.reject_due == at("2026-05-13T17:00")


def test_codes_are_unique_and_restart_per_unit_and_day(ward: Ward) -> None:
    first = submit(ward)
    second = submit(ward)
    other_day = submit(ward, when="2026-04-29T09:00")
    assert [first.code[-4:], second.code[-4:], other_day.code[-4:]] == ["0001", "0002", "0001"]
    with time_machine.travel(at("2026-04-28T11:00"), tick=False):
        other = feedback_submit(unit=ward.other_centre, data=data())
    assert other.code.endswith("-260428-0001") and other.code != first.code
    assert feedback_code_next(unit_code="X", at=at("2026-04-28T11:00")) == "PAKN-X-260428-0001"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": " "}, "title"),
        ({"content": ""}, "content"),
        ({"sender_name": ""}, "sender_name"),
        ({"sender_phone": "", "sender_email": ""}, "sender_phone"),
        ({"sender_phone": "12"}, "sender_phone"),
        ({"sender_email": "not-an-address"}, "sender_email"),
        ({"procedure_code": "9.999999"}, "procedure_code"),
    ],
)
def test_bad_submissions_are_refused_with_the_field(
    ward: Ward, overrides: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        feedback_submit(unit=ward.centre, data=data(**overrides))
    assert caught.value.params["field"] == field
    assert not Feedback.objects.exists()


def test_attachments_are_checked_by_content_not_by_name(ward: Ward) -> None:
    good = FeedbackAttachmentIn(name="anh.png", content=io.BytesIO(PNG), size=len(PNG))
    feedback = feedback_submit(unit=ward.centre, data=data(), attachments=[good])
    assert feedback.attachments.get().name == "anh.png"
    disguised = FeedbackAttachmentIn(
        name="hoa-don.pdf", content=io.BytesIO(b"MZ\x90\x00 not a pdf"), size=16
    )
    with pytest.raises(ValidationFailed, match="nội dung không phải là tệp PDF"):
        feedback_submit(unit=ward.centre, data=data(), attachments=[disguised])
    script = FeedbackAttachmentIn(name="a.exe", content=io.BytesIO(b"MZ"), size=2)
    with pytest.raises(ValidationFailed, match="không đúng định dạng được chấp nhận"):
        feedback_submit(unit=ward.centre, data=data(), attachments=[script])
    big = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationFailed, match="vượt quá mức tối đa 10 MB"):
        feedback_submit(
            unit=ward.centre,
            data=data(),
            attachments=[
                FeedbackAttachmentIn(name="x.pdf", content=io.BytesIO(big), size=len(big))
            ],
        )


def test_a_dossier_code_is_linked_only_when_it_exists(ward: Ward) -> None:
    dossier = received(ward, "2025")
    linked = submit(ward, dossier_code=dossier.code.lower())
    unknown = submit(ward, dossier_code="000.01.45.H26-260101-9999")
    assert linked.dossier_id == dossier.pk
    assert unknown.dossier_id is None and unknown.dossier_code == "000.01.45.H26-260101-9999"


def test_the_full_lifecycle_on_time_then_published_with_a_thank_you(ward: Ward) -> None:
    """Classify, answer within 15 working days, publish within 2: on time; a PAKN that led
    to a fix thanks its sender by e-mail and SMS, once."""
    feedback = submit(ward)
    with time_machine.travel(at("2026-04-29T09:00"), tick=False):
        feedback_classify(feedback=feedback, actor=ward.counter.user, category="rules")
    with time_machine.travel(at("2026-05-20T16:00"), tick=False):
        feedback = feedback_answer(
            feedback=feedback,
            actor=ward.counter.user,
            answer="Đã bổ sung mức miễn giảm vào bảng niêm yết.",
            led_to_fix=True,
        )
    assert feedback.status == FeedbackStatus.ANSWERED
    assert feedback.publish_due == at("2026-05-22T17:00")
    assert feedback.due_at == feedback.publish_due
    with time_machine.travel(at("2026-05-22T10:00"), tick=False):
        with pytest.raises(PermissionDenied):
            feedback_publish(feedback=feedback, actor=ward.counter.user)
        leader = OfficerFactory(unit=ward.centre, roles=[Role.HEAD])
        feedback = feedback_publish(feedback=feedback, actor=leader.user)
    assert feedback.status == FeedbackStatus.PUBLISHED
    assert feedback.outcome == FeedbackOutcome.ON_TIME
    assert feedback.due_at is None and feedback.thanked_at is not None
    actions = list(feedback.events.values_list("action", flat=True))
    assert actions == ["submit", "classify", "answer", "publish", "thank"]
    thanks = Notification.objects.filter(event_key="feedback.thanks")
    assert {row.channel for row in thanks} >= {"email"}
    with pytest.raises(Conflict):
        feedback_thank(feedback=feedback, actor=leader.user)
    assert list(feedback_published()) == [feedback]


def test_a_late_answer_makes_the_pakn_late_and_shows_as_late(ward: Ward) -> None:
    feedback = submit(ward)
    feedback_classify(feedback=feedback, actor=ward.counter.user, category="conduct")
    with time_machine.travel(at("2026-05-21T16:00"), tick=False):
        state = feedback_deadline(feedback=feedback)
        assert state.state == "due_soon"
        assert feedback in feedback_list(user=ward.counter.user, state="due_soon")
    with time_machine.travel(at("2026-05-22T09:00"), tick=False):
        assert feedback_deadline(feedback=feedback).state == "late"
        assert feedback in feedback_list(user=ward.counter.user, state="late")
        feedback = feedback_answer(feedback=feedback, actor=ward.counter.user, answer="Trả lời")
        head = OfficerFactory(unit=ward.centre, roles=[Role.HEAD])
        feedback = feedback_publish(feedback=feedback, actor=head.user)
    assert feedback.outcome == FeedbackOutcome.LATE
    assert feedback.events.get(action="answer").late is True


def test_reject_after_two_working_days_is_late_and_closes(ward: Ward) -> None:
    feedback = submit(ward)
    with time_machine.travel(at("2026-05-05T09:00"), tick=False):
        feedback = feedback_reject(
            feedback=feedback, actor=ward.counter.user, reason="Nội dung là khiếu nại."
        )
    assert feedback.status == FeedbackStatus.REJECTED
    assert feedback.outcome == FeedbackOutcome.LATE and feedback.closed_at is not None
    with pytest.raises(Conflict):
        feedback_answer(feedback=feedback, actor=ward.counter.user, answer="x")


def test_ask_for_more_then_supplement_restarts_the_clock(ward: Ward) -> None:
    feedback = submit(ward)
    with time_machine.travel(at("2026-05-06T09:00"), tick=False):
        feedback = feedback_ask_info(
            feedback=feedback, actor=ward.counter.user, request="Cho biết ngày đến quầy."
        )
    assert feedback.status == FeedbackStatus.NEEDS_INFO and feedback.due_at is None
    with time_machine.travel(at("2026-05-12T10:00"), tick=False):
        feedback = feedback_supplement(
            feedback=feedback, actor=ward.counter.user, text="Ngày 27/4/2026."
        )
    assert feedback.status == FeedbackStatus.RECEIVED
    assert feedback.answer_due == at("2026-06-02T17:00")


def test_answer_needs_a_category_first(ward: Ward) -> None:
    feedback = submit(ward)
    with pytest.raises(Conflict):
        feedback_answer(feedback=feedback, actor=ward.counter.user, answer="x")
    feedback_classify(feedback=feedback, actor=ward.counter.user, category="rules")
    with pytest.raises(ValidationFailed):
        feedback_classify(feedback=feedback, actor=ward.counter.user, category="other")


def test_the_actions_offered_follow_the_state_the_role_and_the_data(ward: Ward) -> None:
    feedback = submit(ward)
    counter = feedback_actions_for(user=ward.counter.user, feedback=feedback)
    assert "classify" in counter and "answer" not in counter  # no category yet
    assert not {"classify", "answer", "publish"} & feedback_actions_for(
        user=ward.specialist.user, feedback=feedback
    )  # the office's specialist: another unit
    feedback = feedback_classify(feedback=feedback, actor=ward.counter.user, category="rules")
    assert "answer" in feedback_actions_for(user=ward.counter.user, feedback=feedback)
    feedback = feedback_answer(feedback=feedback, actor=ward.counter.user, answer="Đáp")
    assert "publish" not in feedback_actions_for(user=ward.counter.user, feedback=feedback)
    leader = feedback_actions_for(user=ward.leader.user, feedback=feedback)
    assert "publish" in leader and "thank" not in leader  # did not lead to a fix


def test_routing_moves_it_out_of_scope_and_restarts_the_deadlines(ward: Ward) -> None:
    feedback = submit(ward)
    with time_machine.travel(at("2026-05-04T09:00"), tick=False):
        feedback = feedback_route(
            feedback=feedback, actor=ward.counter.user, to_unit=ward.office, note="Thuộc VP"
        )
    assert feedback.unit == ward.office and feedback.status == FeedbackStatus.RECEIVED
    assert feedback.reject_due == at("2026-05-06T17:00")
    with pytest.raises(NotFound):
        feedback_get_for_officer(user=ward.counter.user, code=feedback.code)
    assert feedback_get_for_officer(user=ward.specialist.user, code=feedback.code) == feedback
    assert feedback_get_for_officer(user=ward.leader.user, code=feedback.code) == feedback


@pytest.mark.parametrize(
    ("who", "view", "handle", "publish"),
    [
        ("counter", True, True, False),
        ("specialist", False, False, False),  # another unit (the office)
        ("head", False, False, False),  # head of the office, not of the centre
        ("leader", True, True, True),  # the ward's leader: the whole subtree
        ("other_counter", False, False, False),
        ("inspector", True, False, False),
        ("evaluator", False, False, False),
        ("administrator", False, False, False),
    ],
)
def test_permissions_for_every_role(
    ward: Ward, who: str, view: bool, handle: bool, publish: bool
) -> None:
    feedback = submit(ward)
    if hasattr(ward, who):
        user = getattr(ward, who).user
    else:
        user = OfficerFactory(unit=ward.ward, roles=[Role(who)]).user
    visible = feedback_list(user=user, state="all").filter(pk=feedback.pk).exists()
    assert visible is view
    if handle:
        feedback_classify(feedback=feedback, actor=user, category="rules")
        feedback = feedback_answer(feedback=feedback, actor=user, answer="Đã trả lời.")
    else:
        with pytest.raises(PermissionDenied):
            feedback_classify(feedback=feedback, actor=user, category="rules")
        feedback_classify(feedback=feedback, actor=ward.counter.user, category="rules")
        feedback = feedback_answer(feedback=feedback, actor=ward.counter.user, answer="Đáp")
    if publish:
        feedback_publish(feedback=feedback, actor=user)
    else:
        with pytest.raises(PermissionDenied):
            feedback_publish(feedback=feedback, actor=user)


def published(ward: Ward) -> Feedback:
    feedback = submit(ward)
    with time_machine.travel(at("2026-05-05T09:00"), tick=False):
        feedback_classify(feedback=feedback, actor=ward.counter.user, category="rules")
        feedback_answer(feedback=feedback, actor=ward.counter.user, answer="Đã sửa.")
        return feedback_publish(feedback=feedback, actor=ward.leader.user)


def test_likes_and_dislikes_once_per_voter_on_published_answers_only(ward: Ward) -> None:
    draft = submit(ward)
    with pytest.raises(NotFound):
        feedback_vote(code=draft.code, voter="a", value=Vote.LIKE)
    feedback = published(ward)
    feedback_vote(code=feedback.code, voter="a", value=Vote.LIKE)
    feedback_vote(code=feedback.code, voter="b", value=Vote.LIKE)
    feedback = feedback_vote(code=feedback.code, voter="c", value=Vote.DISLIKE)
    assert (feedback.likes, feedback.dislikes) == (2, 1)
    with pytest.raises(Conflict):
        feedback_vote(code=feedback.code, voter="a", value=Vote.DISLIKE)
    with pytest.raises(ValidationFailed):
        feedback_vote(code=feedback.code, voter="d", value=5)


def test_events_are_append_only(ward: Ward) -> None:
    feedback = submit(ward)
    event = FeedbackEvent.objects.get(feedback=feedback)
    with pytest.raises(Exception, match="append-only"):
        event.delete()


def test_indicator_5_4_counts_dossiers_with_a_pakn(ward: Ward) -> None:
    dossier = received(ward, "2025")
    start, end = at("2025-01-01T00:00"), at("2027-01-01T00:00")
    now = dossier.received_at + dt.timedelta(hours=1)
    before = indicator_5_4(units=[ward.centre], start=start, end=end, now=now)
    assert before.with_feedback == 0 and before.rate == 100
    submit(ward, dossier_code=dossier.code)
    after = indicator_5_4(units=[ward.centre], start=start, end=end, now=now)
    assert after.with_feedback == 1
    assert after.rate == 0 and after.disliked_rate == 100


def test_766_figures_by_category_and_on_time(ward: Ward) -> None:
    on_time = published(ward)
    late = submit(ward)
    with time_machine.travel(at("2026-05-06T09:00"), tick=False):
        feedback_reject(feedback=late, actor=ward.counter.user, reason="Khiếu nại")
    figures = feedback_figures(
        units=[ward.centre],
        start=at("2026-01-01T00:00"),
        end=at("2027-01-01T00:00"),
        now=at("2026-12-01T00:00"),
    )
    assert (figures.received, figures.rules, figures.conduct) == (2, 1, 0)
    assert (figures.handled, figures.handled_on_time) == (2, 1)
    assert figures.on_time_rate == 50
    assert on_time.category == FeedbackCategory.RULES
    assert FeedbackAction.PUBLISH in on_time.events.values_list("action", flat=True)
    assert not mail.outbox  # nothing sent inside the transactions of a test

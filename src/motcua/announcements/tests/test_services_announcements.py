"""Publishing directives and confirming them: audience, scope, validation, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from motcua.accounts.constants import Role
from motcua.accounts.models import AuditEvent
from motcua.accounts.tests.factories import OfficerFactory
from motcua.announcements.constants import Priority
from motcua.announcements.exceptions import NoRecipients
from motcua.announcements.models import AnnouncementRecipient, ReadReceipt
from motcua.announcements.services import (
    TargetSpec,
    announcement_publish,
    read_receipt_create,
)
from motcua.announcements.tests.conftest import Org
from motcua.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from motcua.core.models import AppendOnlyError

pytestmark = pytest.mark.django_db


def publish(org: Org, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("actor", org.leader.user)
    kwargs.setdefault("title", "Chấn chỉnh giờ làm việc tại Bộ phận Một cửa")
    kwargs.setdefault("body", "Đề nghị cán bộ có mặt đúng 7 giờ 45 phút.")
    kwargs.setdefault("targets", [TargetSpec(unit=org.a)])
    return announcement_publish(**kwargs)


def recipients(announcement) -> set[int]:  # type: ignore[no-untyped-def]
    return set(
        AnnouncementRecipient.objects.filter(announcement=announcement).values_list(
            "officer_id", flat=True
        )
    )


def test_publish_addresses_every_officer_of_the_unit_but_the_sender_and_not_below(
    org: Org,
) -> None:
    announcement = publish(org)

    assert recipients(announcement) == {
        org.evaluator.pk,
        org.counter_a.pk,
        org.specialist_a.pk,
    }
    assert announcement.sender_unit == org.a


def test_include_below_reaches_the_department(org: Org) -> None:
    announcement = publish(org, targets=[TargetSpec(unit=org.a, include_below=True)])

    assert org.specialist_d.pk in recipients(announcement)
    assert org.counter_b.pk not in recipients(announcement)


def test_roles_narrow_the_audience(org: Org) -> None:
    announcement = publish(
        org,
        targets=[TargetSpec(unit=org.a, include_below=True)],
        audience_roles=[Role.COUNTER_OFFICER],
    )

    assert recipients(announcement) == {org.counter_a.pk}


def test_inactive_officers_and_ended_units_are_not_addressed(org: Org) -> None:
    gone = OfficerFactory(unit=org.a, counter=True, user__is_active=False)

    announcement = publish(org)

    assert gone.pk not in recipients(announcement)


def test_the_audience_is_fixed_at_publication(org: Org) -> None:
    announcement = publish(org)

    newcomer = OfficerFactory(unit=org.a, counter=True)

    assert newcomer.pk not in recipients(announcement)


def test_the_home_affairs_office_may_publish(org: Org) -> None:
    announcement = publish(org, actor=org.evaluator.user, priority=Priority.URGENT)

    assert announcement.priority == Priority.URGENT


def test_a_sibling_unit_is_out_of_reach(org: Org) -> None:
    with pytest.raises(PermissionDenied):
        publish(org, targets=[TargetSpec(unit=org.b)])


@pytest.mark.parametrize(
    "role", [Role.COUNTER_OFFICER, Role.SPECIALIST, Role.HEAD, Role.INSPECTOR, Role.ADMINISTRATOR]
)
def test_other_roles_may_not_publish(org: Org, role: Role) -> None:
    officer = OfficerFactory(unit=org.a, roles=[role])

    with pytest.raises(PermissionDenied):
        publish(org, actor=officer.user)


def test_no_recipient_is_refused(org: Org) -> None:
    with pytest.raises(NoRecipients):
        publish(org, targets=[TargetSpec(unit=org.d)], audience_roles=[Role.INSPECTOR])


def test_expiry_must_follow_the_start(org: Org) -> None:
    now = timezone.now()

    with pytest.raises(ValidationFailed) as caught:
        publish(org, effective_from=now, expires_at=now - dt.timedelta(hours=1))

    assert caught.value.params["field"] == "expires_at"


def test_empty_title_and_no_unit_are_refused(org: Org) -> None:
    with pytest.raises(ValidationFailed):
        publish(org, title="   ")
    with pytest.raises(ValidationFailed):
        publish(org, targets=[])


def test_publication_is_audited_with_the_count(org: Org) -> None:
    announcement = publish(org)

    event = AuditEvent.objects.get(action="announcement.publish")
    assert event.object_id == str(announcement.pk)
    assert event.actor == org.leader.user
    assert event.data["recipients"] == 3


def test_attachments_are_stored_with_their_name(org: Org) -> None:
    upload = SimpleUploadedFile("Chi thi 05.pdf", b"%PDF-1.7 test", "application/pdf")

    announcement = publish(org, attachments=[upload])

    attachment = announcement.attachments.get()
    assert attachment.name == "Chi thi 05.pdf"
    assert attachment.file.name.endswith(".pdf")
    assert "Chi thi" not in attachment.file.name


def test_reading_is_confirmed_once_and_audited(org: Org) -> None:
    announcement = publish(org)

    first = read_receipt_create(announcement=announcement, actor=org.counter_a.user)
    again = read_receipt_create(announcement=announcement, actor=org.counter_a.user)

    assert first.pk == again.pk
    assert ReadReceipt.objects.count() == 1
    assert AuditEvent.objects.filter(action="announcement.read").count() == 1


def test_a_receipt_is_append_only(org: Org) -> None:
    receipt = read_receipt_create(announcement=publish(org), actor=org.counter_a.user)

    receipt.read_at = timezone.now()
    with pytest.raises(AppendOnlyError):
        receipt.save()
    with pytest.raises(AppendOnlyError):
        receipt.delete()


def test_someone_not_addressed_cannot_confirm(org: Org) -> None:
    announcement = publish(org)

    with pytest.raises(NotFound):
        read_receipt_create(announcement=announcement, actor=org.counter_b.user)


def test_the_sender_is_not_asked_to_confirm_their_own_directive(org: Org) -> None:
    announcement = publish(org, targets=[TargetSpec(unit=org.a)])

    assert org.leader.pk not in recipients(announcement)

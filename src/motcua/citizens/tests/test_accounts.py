"""Citizen accounts: registration with a verification code, sign-in, channels."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.constants import UserKind
from motcua.accounts.models import AuditEvent, Citizen, User
from motcua.accounts.tests.factories import TEST_PASSWORD, CitizenFactory, OfficerFactory
from motcua.citizens.constants import CODE_MAX_ATTEMPTS, CODES_PER_HOUR, VERIFICATION_EVENT
from motcua.citizens.models import VerificationCode
from motcua.citizens.services import (
    citizen_register,
    citizen_verification_resend,
    citizen_verify,
)
from motcua.core.exceptions import ValidationFailed
from motcua.notifications.delivery import notifications_deliver_due
from motcua.notifications.models import Notification, NotificationPreference
from motcua.notifications.tests.conftest import SmtpServer

PASSWORD = "Mot-cua-dien-tu-2026"
REGISTER = {
    "full_name": "Lê Thu Hằng",
    "phone": "",
    "email": "Hang.Le@Example.vn",
    "citizen_id": "001195012345",
    "password": PASSWORD,
    "password2": PASSWORD,
}


def code_sent_to(address: str) -> str:
    """The six digits in the newest outbox message to ``address``."""
    row = Notification.objects.filter(event_key=VERIFICATION_EVENT, address=address).latest("pk")
    match = re.search(r"\b(\d{6})\b", row.body)
    assert match, row.body
    return match.group(1)


def test_registration_sends_a_code_by_email_and_the_code_activates_the_account(
    client: Client, db: None
) -> None:
    response = client.post(reverse("portal:account_register"), REGISTER)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:account_verify")
    user = User.objects.get(username="hang.le@example.vn")
    assert user.kind == UserKind.CITIZEN and not user.is_active
    # The outbox row carries the code; the code table keeps only a keyed hash.
    message = Notification.objects.get(event_key=VERIFICATION_EVENT)
    assert (message.channel, message.address) == ("email", "hang.le@example.vn")
    code = code_sent_to("hang.le@example.vn")
    stored = VerificationCode.objects.get(user=user)
    assert code not in stored.code_hash and len(stored.code_hash) == 64

    wrong = client.post(
        reverse("portal:account_verify"), {"code": "000000" if code != "000000" else "111111"}
    )
    assert wrong.status_code == 400
    assert "Mã xác thực không đúng. Còn 4 lần thử." in wrong.content.decode()

    right = client.post(reverse("portal:account_verify"), {"code": code})
    assert right["Location"] == reverse("portal:account")
    user.refresh_from_db()
    citizen = Citizen.objects.get(user=user)
    assert user.is_active and citizen.email_verified_at is not None
    assert citizen.citizen_id == "001195012345"
    assert client.get(reverse("portal:account")).status_code == 200  # signed in
    assert set(
        AuditEvent.objects.filter(object_type="accounts.citizen").values_list("action", flat=True)
    ) == {"citizen.register", "citizen.verify"}


def test_the_code_reaches_a_real_smtp_server(db: None, smtp: SmtpServer) -> None:
    smtp.start()
    citizen = citizen_register(full_name="Lê Thu Hằng", password=PASSWORD, email="hang@example.vn")
    code = code_sent_to("hang@example.vn")

    ids = list(Notification.objects.values_list("pk", flat=True))
    notifications_deliver_due(ids=ids)

    [message] = smtp.mailbox.messages
    assert message["To"] == "hang@example.vn"
    assert code in str(message["Subject"])
    assert code in message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert Notification.objects.get().status == "sent"
    assert not citizen.user.is_active


def test_attempts_are_limited_and_counted_even_though_each_call_fails(db: None) -> None:
    citizen = citizen_register(full_name="Lê Thu Hằng", password=PASSWORD, email="h@example.vn")
    code = code_sent_to("h@example.vn")
    wrong = "999999" if code != "999999" else "888888"
    for _ in range(CODE_MAX_ATTEMPTS):
        with pytest.raises(ValidationFailed):
            citizen_verify(user=citizen.user, code=wrong)

    with pytest.raises(ValidationFailed) as locked:
        citizen_verify(user=citizen.user, code=code)
    assert locked.value.code == "verification_locked"
    assert VerificationCode.objects.get().attempts == CODE_MAX_ATTEMPTS

    # A fresh code works; the old one does not.
    citizen_verification_resend(user=citizen.user)
    fresh = code_sent_to("h@example.vn")
    citizen_verify(user=citizen.user, code=fresh)
    citizen.user.refresh_from_db()
    assert citizen.user.is_active


def test_a_code_expires_after_fifteen_minutes(db: None) -> None:
    citizen = citizen_register(full_name="Lê Thu Hằng", password=PASSWORD, email="h@example.vn")
    code = code_sent_to("h@example.vn")

    with (
        time_machine.travel(timezone.now() + dt.timedelta(minutes=16)),
        pytest.raises(ValidationFailed) as expired,
    ):
        citizen_verify(user=citizen.user, code=code)
    assert expired.value.code == "verification_expired"


def test_codes_to_one_address_are_rate_limited(db: None) -> None:
    citizen = citizen_register(full_name="Lê Thu Hằng", password=PASSWORD, email="h@example.vn")
    for _ in range(CODES_PER_HOUR - 1):
        citizen_verification_resend(user=citizen.user)

    with pytest.raises(ValidationFailed) as refused:
        citizen_verification_resend(user=citizen.user)
    assert refused.value.code == "verification_too_many"


def test_phone_registration_needs_the_sms_gateway(db: None, settings: object) -> None:
    with pytest.raises(ValidationFailed) as refused:
        citizen_register(full_name="Phạm Văn Đức", password=PASSWORD, phone="0912 000 111")
    assert refused.value.code == "verification_channel_off"
    assert not User.objects.exists()  # nothing half-made

    settings.NOTIFY_SMS_URL = "http://127.0.0.1:9/sms"  # type: ignore[attr-defined]
    citizen = citizen_register(full_name="Phạm Văn Đức", password=PASSWORD, phone="+84912000111")
    assert citizen.user.username == "0912000111"
    message = Notification.objects.get()
    assert (message.channel, message.address) == ("sms", "84912000111")
    citizen_verify(user=citizen.user, code=re.findall(r"\d{6}", message.body)[0])
    citizen.refresh_from_db()
    assert citizen.phone_verified_at is not None


def test_an_address_already_in_use_is_refused(db: None) -> None:
    CitizenFactory(user__username="h@example.vn", user__email="h@example.vn")
    with pytest.raises(ValidationFailed) as refused:
        citizen_register(full_name="Ai Đó", password=PASSWORD, email="H@example.vn")
    assert refused.value.code == "citizen_exists"


def test_bad_registration_input_gets_messages_on_the_fields(client: Client, db: None) -> None:
    data = {**REGISTER, "email": "", "phone": "123", "citizen_id": "12345", "password2": "x"}
    response = client.post(reverse("portal:account_register"), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Hai mật khẩu không khớp." in html
    assert not User.objects.filter(kind=UserKind.CITIZEN).exists()


def test_citizens_sign_in_with_phone_or_email_and_officers_are_sent_away(
    client: Client, db: None
) -> None:
    citizen = CitizenFactory(user__username="0912345001", user__phone="0912345001")
    signed_in = client.post(
        reverse("portal:account_login"), {"username": "0912 345 001", "password": TEST_PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in["Location"] == reverse("portal:account")
    assert client.get(reverse("portal:account")).context["citizen"] == citizen
    client.post(reverse("portal:account_logout"))
    assert client.get(reverse("portal:account")).status_code == 302

    officer = OfficerFactory(counter=True)
    refused = Client().post(
        reverse("portal:account_login"),
        {"username": officer.user.username, "password": TEST_PASSWORD},
    )
    assert refused.status_code == 200
    assert "Đây là tài khoản cán bộ" in refused.content.decode()
    # An officer's session does not open citizens' pages either.
    staff = Client()
    staff.force_login(officer.user)
    assert staff.get(reverse("portal:account")).status_code == 302


def test_a_citizen_chooses_notification_channels(client: Client, db: None) -> None:
    citizen = CitizenFactory()
    client.force_login(citizen.user)

    response = client.post(reverse("portal:account_channels"), {"channels": ["email", "zalo"]})

    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=citizen.user)
    assert (preference.email, preference.sms, preference.zalo) == (True, False, True)
    page = client.get(reverse("portal:account_channels")).content.decode()
    assert 'value="email" checked' in page or "checked" in page


def test_expired_codes_are_purged_and_fresh_ones_kept(db: None) -> None:
    from motcua.citizens.services import verification_codes_purge

    citizen_register(full_name="Lê Thu Hằng", password=PASSWORD, email="h@example.vn")

    assert verification_codes_purge() == 0
    assert verification_codes_purge(now=timezone.now() + dt.timedelta(days=2)) == 1
    assert not VerificationCode.objects.exists()

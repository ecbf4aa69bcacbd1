"""E-mail through a real SMTP server on loopback (aiosmtpd, with a login): at once or as a digest
at the chosen times, counted and linked, never a patient's name, personnummer or address; a
server that is down gets the e-mail later, once."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from email.header import decode_header, make_header

import pytest

from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.notifications import mail
from utskrivning.notifications.mail import MAX_ATTEMPTS, backoff, emails_compose, emails_send
from utskrivning.notifications.models import EmailMode, OutgoingEmail, Subscription
from utskrivning.notifications.services import subscription_of
from utskrivning.service.commands import worker_pass

from .conftest import ADMITTED, H, declare_ready, drain

# aiosmtpd warns of a login without TLS: on loopback, on purpose.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
ADDRESS = "handlaggare@falun.example"


def wants_email(membership, mode=EmailMode.IMMEDIATE, times=(), since=ADMITTED):
    subscription = subscription_of(membership)
    Subscription.objects.filter(pk=subscription.pk).update(
        mode=mode, email=ADDRESS, digest_times=list(times), mailed_until=since
    )
    return subscription


def three_patients(cast):
    """Three patients of Falun notified and one declared ready."""
    first = None
    for n, number in enumerate(NUMBERS):
        at = ADMITTED + n * H
        episode = cast.admit(at=at, personal_number=number, name=f"Patient Nummer{n}")
        cast.notify(episode, at + H / 2)
        first = first or episode
    declare_ready(cast, first, at=ADMITTED + 4 * H)
    return first


NUMBERS = ["19121212-1212", "19400101-0018", "19400101-0026"]


def assert_no_patient_data(text: str, raw: str) -> None:
    """Neither the text read nor the raw message (headers, encodings) names a patient."""
    assert "Patient" not in text and "Nummer" not in text and "Storgatan" not in text
    assert not re.search(r"[0-9]{6}[-+]?[0-9]{4}", text), "no personnummer in any form"
    for number in NUMBERS:
        digits = number.replace("-", "")
        for form in (number, digits, digits[2:], number[2:]):
            assert form not in raw
    assert "Nummer" not in raw and "Storgatan" not in raw


def test_at_once_one_email_counts_the_patients_and_links_without_patient_data(cast, smtp):
    wants_email(cast.officer_a)
    three_patients(cast)
    drain(ADMITTED + 5 * H)
    assert emails_compose(now=ADMITTED + 5 * H) == 1
    assert emails_send(now=ADMITTED + 5 * H) == (1, 0)
    ((to, message),) = smtp.inbox.received
    assert to == [ADDRESS]
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "3 nya patienter kräver åtgärd på Falun – logga in"
    body = message.get_payload(decode=True).decode()
    assert "Nya inskrivningar: 3" in body and "Utskrivningsklar: 1" in body
    assert "https://utskrivning.region.example/notifications/" in body
    assert "aldrig patientuppgifter" in body
    assert_no_patient_data(subject + body, message.as_string())
    # Nothing new: nothing more.
    assert emails_compose(now=ADMITTED + 6 * H) == 0


def test_a_digest_is_sent_at_the_chosen_times_only(cast, smtp):
    wants_email(cast.officer_a, EmailMode.DIGEST, ["07:30"], since=ADMITTED)
    three_patients(cast)  # 2026-10-05 from 09:00
    drain(ADMITTED + 5 * H)
    evening = datetime(2026, 10, 5, 22, 0, tzinfo=STOCKHOLM)
    assert emails_compose(now=evening) == 0  # the day's 07:30 came before anything new
    morning = datetime(2026, 10, 6, 7, 31, tzinfo=STOCKHOLM)
    assert emails_compose(now=morning) == 1
    assert emails_compose(now=morning + H) == 0
    assert emails_send(now=morning + H) == (1, 0)
    assert len(smtp.inbox.received) == 1


def test_a_server_that_is_down_gets_the_email_later_and_once(cast, smtp):
    wants_email(cast.officer_a)
    three_patients(cast)
    drain(ADMITTED + 5 * H)
    smtp.stop()
    now = ADMITTED + 5 * H
    assert emails_compose(now=now) == 1
    assert emails_send(now=now) == (0, 1)
    email = OutgoingEmail.objects.get()
    assert (email.attempts, email.sent) == (1, None) and "Error" in email.last_error
    assert email.next_attempt == now + timedelta(minutes=1)
    assert emails_send(now=now + timedelta(seconds=30)) == (0, 0)  # not before the pause
    smtp.start()
    assert emails_send(now=now + timedelta(minutes=2)) == (1, 0)
    assert emails_send(now=now + timedelta(hours=1)) == (0, 0)
    assert len(smtp.inbox.received) == 1


def test_a_wrong_password_is_retried_then_given_up(cast, smtp, settings, monkeypatch):
    settings.EMAIL_HOST_PASSWORD = "fel"
    monkeypatch.setattr(mail, "MAX_ATTEMPTS", 2)  # the server pauses on each refused login
    wants_email(cast.officer_a)
    three_patients(cast)
    drain(ADMITTED + 5 * H)
    now = ADMITTED + 5 * H
    emails_compose(now=now)
    for _ in range(3):
        now += timedelta(hours=7)
        emails_send(now=now)
    email = OutgoingEmail.objects.get()
    assert email.failed and email.attempts == 2 and email.sent is None
    assert email.last_error  # the refused login (the server stalls it past our timeout)
    assert smtp.inbox.received == []


def test_the_pauses_grow_to_six_hours_and_ten_attempts_span_about_a_day():
    pauses = [backoff(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert pauses[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert max(pauses) == timedelta(hours=6)
    assert timedelta(hours=12) < sum(pauses, timedelta()) < timedelta(hours=36)


def test_an_organisations_mailbox_hears_as_a_person_does(cast, smtp):
    Subscription.objects.create(
        organisation=cast.municipality_a,
        email="bistand@falun.example",
        kinds=["readiness"],
        mode=EmailMode.IMMEDIATE,
        mailed_until=ADMITTED,
    )
    three_patients(cast)
    drain(ADMITTED + 5 * H)
    emails_compose(now=ADMITTED + 5 * H)
    emails_send(now=ADMITTED + 5 * H)
    ((to, message),) = smtp.inbox.received
    assert to == ["bistand@falun.example"]
    assert "Utskrivningsklar: 1" in message.get_payload(decode=True).decode()


def test_no_smtp_server_no_email(cast, settings):
    settings.EMAIL_HOST = ""
    wants_email(cast.officer_a)
    three_patients(cast)
    assert "0 e-mail(s) composed" in worker_pass()
    assert not OutgoingEmail.objects.exists()

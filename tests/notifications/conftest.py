"""The notifications tests take the shared cast (`service.api_cast`) and a few steps of it."""

from datetime import timedelta

import pytest

from episodes.conftest import ADMITTED
from service.api_cast import *  # noqa: F403
from service.factories import MembershipFactory
from utskrivning.domain.process import Event, EventType, MessageKind, Party
from utskrivning.episodes.services import episode_record_event
from utskrivning.notifications.services import notices_from_events
from utskrivning.organisations.models import Role
from utskrivning.service.commands import _outbox

from .loopback import SMTP_PASSWORD, SMTP_USER, Receiver, SmtpServer

H = timedelta(hours=1)


def step(cast, episode, who: str, event: Event, at):
    return episode_record_event(
        episode=episode, event=event, at=at, recorded_at=at, membership=getattr(cast, who)
    )


def declare_ready(cast, episode, at=ADMITTED + 2 * H):
    return step(cast, episode, "physician", Event(EventType.READY_DECLARED), at)


def acknowledge(cast, episode, at):
    event = Event(
        EventType.ACKNOWLEDGED, party=Party.MUNICIPALITY, message=MessageKind.ADMISSION_NOTICE
    )
    return step(cast, episode, "officer_a", event, at)


def drain(now) -> int:
    """What the worker does with waiting events (`service.commands._outbox`)."""
    return _outbox(now)


__all__ = [
    "ADMITTED", "H", "acknowledge", "administrator", "declare_ready", "drain",
    "notices_from_events", "receiver", "smtp",
]  # fmt: skip


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback and the service's settings pointing at it (pytest-django
    swaps in Django's in-memory backend: the SMTP one is put back)."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = SMTP_USER, SMTP_PASSWORD
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Samordnad utskrivning <utskrivning@region.example>"
    settings.BASE_URL = "https://utskrivning.region.example"
    yield server
    server.stop()


@pytest.fixture
def receiver(settings):
    """A webhook receiver on loopback (started; the test gives it the secret), which the
    service may post to only because the setting says so."""
    settings.WEBHOOK_PRIVATE_ADDRESSES = True
    server = Receiver()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def administrator(cast):
    return MembershipFactory(organisation=cast.municipality_a, role=Role.ADMINISTRATOR)

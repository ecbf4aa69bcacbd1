"""Issue 12, notifications, done: a municipal case officer signs in through the loopback OpenID
Connect provider, sees the header's counter rise (and the worklist reload) when the ward declares
a patient ready in another browser, and gets the digest on a loopback SMTP server; the same
event reaches the municipality's webhook, whose receiver checks the signature. The background
work is `utskrivning worker` as its own process, as a region runs it."""

from __future__ import annotations

import subprocess
import time
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.loopback import SMTP_PASSWORD, SMTP_USER, Receiver, SmtpServer
from service.factories import (
    PASSWORD,
    HospitalFactory,
    MembershipFactory,
    MunicipalityFactory,
    PrimaryCareFactory,
    RegionFactory,
    WardFactory,
)
from service.processes import UTSKRIVNING, production_environment, stop
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.process import Event, EventType, Party
from utskrivning.episodes.services import episode_admit, episode_record_event
from utskrivning.notifications.webhooks import webhook_register
from utskrivning.organisations.models import Membership, Role, StaffIdentity
from utskrivning.service.commands import _outbox

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS"),
]

OFFICER_HSA_ID = "SE2120000829-K001"
ADDRESS = "handlaggare@falun.example"
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture
def cast():
    region = RegionFactory(name="Region Dalarna")
    ward = WardFactory(name="Medicinavdelning 12", parent=HospitalFactory(parent=region))
    vardcentral = PrimaryCareFactory(name="Vårdcentral Britsarvet", parent=region)
    falun = MunicipalityFactory(municipality_code="2080", parent=region)
    physician = MembershipFactory(user__username="lakare", organisation=ward, role=Role.PHYSICIAN)
    officer = MembershipFactory(
        user__username="handlaggare", user__email=ADDRESS, organisation=falun,
        role=Role.CASE_OFFICER,
    )  # fmt: skip
    StaffIdentity.objects.create(user=officer.user, hsa_id=OFFICER_HSA_ID)
    administrator = MembershipFactory(organisation=falun, role=Role.ADMINISTRATOR)
    now = timezone.now()
    # The admission notice is sent today (Stockholm), two hours ago or at midnight: its receipt
    # is due by the end of the next working day. Sent yesterday (a run between midnight and two
    # in the morning), the receipt fell due today and the officer's counter began at 1, not 0.
    sent = max(
        now - timedelta(hours=2),
        timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0),
    )
    episode = episode_admit(
        actor=physician.user, membership=physician, personal_number="19121212-1212",
        name="Tolvan Tolvansson", address="Storgatan 1", home_municipality=falun, ward=ward,
        care_type="somatic", primary_care=vardcentral, at=sent - timedelta(hours=1),
        recorded_at=sent - timedelta(hours=1),
    ).episode  # fmt: skip
    episode_record_event(
        episode=episode,
        event=Event(
            EventType.ADMISSION_NOTICE_SENT,
            parties=frozenset({Party.MUNICIPALITY, Party.PRIMARY_CARE}),
            estimated_discharge=(now + timedelta(days=3)).date(),
        ),
        at=sent,
        recorded_at=sent,
        membership=physician,
    )
    _outbox(now)  # the admission notice is old news by the time the officer signs in
    return {"episode": episode, "administrator": administrator}


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def receiver(cast, settings):
    settings.WEBHOOK_PRIVATE_ADDRESSES = True  # the receiver is on loopback, on purpose
    server = Receiver()
    server.start()
    server.secret = webhook_register(
        membership=cast["administrator"], url=server.url, patient_data=False
    ).secret
    yield server
    server.stop()


@pytest.fixture
def worker(tmp_path, smtp, receiver, live_server):
    """`utskrivning worker` on the test database, e-mailing through the loopback SMTP server."""
    environment = production_environment(
        tmp_path,
        UTSKRIVNING_SMTP_HOST="127.0.0.1",
        UTSKRIVNING_SMTP_PORT=str(smtp.port),
        UTSKRIVNING_SMTP_USER=SMTP_USER,
        UTSKRIVNING_SMTP_PASSWORD=SMTP_PASSWORD,
        UTSKRIVNING_SMTP_SECURITY="NONE",
        UTSKRIVNING_SMTP_FROM="Samordnad utskrivning <utskrivning@region.example>",
        UTSKRIVNING_BASE_URL=live_server.url,
        UTSKRIVNING_WEBHOOK_PRIVATE_ADDRESSES="true",  # the receiver is on loopback, on purpose
    )
    process = subprocess.Popen(
        [str(UTSKRIVNING), "worker", "--interval", "2"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    assert stop(process, timeout=30) == 0


def declare_ready(cast) -> None:
    physician = Membership.objects.get(user__username="lakare")
    episode_record_event(
        episode=cast["episode"], event=Event(EventType.READY_DECLARED), membership=physician
    )


def open_context(browser, live_server, errors):
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def next_minute() -> datetime:
    now = timezone.now().astimezone(STOCKHOLM)
    return now.replace(second=0, microsecond=0) + timedelta(minutes=1)


def test_the_officer_hears_of_readiness_on_screen_by_email_and_the_system_by_webhook(
    browser, live_server, oidc_settings, settings, cast, smtp, receiver, worker
):
    settings.NOTICE_POLL_SECONDS = 1
    settings.EMAIL_HOST = "127.0.0.1"  # the web process knows the server too, as in production
    errors: list[str] = []
    officer_context, officer = open_context(browser, live_server, errors)
    ward_context, ward = open_context(browser, live_server, errors)
    try:
        # The case officer signs in through the identity provider (SITHS eID).
        officer.goto("/accounts/login/")
        officer.get_by_role("link", name="Logga in med SITHS eID").click()
        oidc_settings.sign_in(officer, hsa_id=OFFICER_HSA_ID, name="Kim Kommunsson")
        expect(officer.get_by_role("heading", level=1)).to_contain_text("Arbetslista")
        counter = officer.locator(".notice-counter")
        expect(counter).to_have_attribute("data-count", "0")

        # A digest at the next whole minute, to the officer's address.
        digest_at = next_minute()
        officer.get_by_role("link", name="Aviseringar").click()
        officer.get_by_label("En sammanfattning vid valda tider").check()
        officer.get_by_label("Tider för sammanfattning").fill(f"{digest_at:%H:%M}")
        expect(officer.get_by_label("E-postadress")).to_have_value(ADDRESS)
        shoot(officer, "notifications-settings")
        officer.get_by_role("button", name="Spara").click()
        expect(officer.locator(".messages")).to_contain_text("sparade")
        officer.goto("/")
        row = officer.locator("table.worklist tbody tr", has_text="Tolvan Tolvansson")
        expect(row).not_to_contain_text("Utskrivningsklar")

        # In another browser, the ward's physician declares the patient ready.
        ward.goto("/accounts/login/")
        ward.get_by_label("Användarnamn").fill("lakare")
        ward.get_by_label("Lösenord").fill(PASSWORD)
        ward.get_by_role("button", name="Logga in", exact=True).click()
        ward.goto(f"/episodes/{cast['episode'].pk}/")
        form = ward.locator('form[data-event="ready_declared"]')
        form.get_by_role("button").click()
        expect(ward.locator("#result .met")).to_be_visible()
        declared = time.monotonic()

        # The officer's counter rises by itself, and the worklist reloads with the new state.
        expect(counter).to_have_attribute("data-count", "1", timeout=20_000)
        risen = time.monotonic() - declared
        expect(row).to_contain_text("Utskrivningsklar", timeout=10_000)
        shoot(officer, "notifications-counter")

        # The webhook's receiver got the readiness, signed with the webhook's secret.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(
            e["type"] == "readiness" for e in receiver.events.values()
        ):
            time.sleep(0.5)
        readiness = [e for e in receiver.events.values() if e["type"] == "readiness"]
        assert [(e["event"], e["episode"]) for e in readiness] == [
            ("ready_declared", cast["episode"].pk)
        ]
        assert receiver.refused == 0 and receiver.duplicates == 0

        # The digest comes at the chosen minute, with the count and the link, without the patient.
        wait = (digest_at - timezone.now()).total_seconds() + 30
        deadline = time.monotonic() + max(wait, 30)
        while time.monotonic() < deadline and not smtp.inbox.received:
            time.sleep(1)
        ((to, message),) = smtp.inbox.received
        subject = str(make_header(decode_header(message["Subject"])))
        body = message.get_payload(decode=True).decode()
        assert to == [ADDRESS]
        assert subject == "1 ny patient kräver åtgärd på Falun – logga in"
        assert "Utskrivningsklar: 1" in body and f"{live_server.url}/notifications/" in body
        assert "Tolvan" not in message.as_string() and "121212" not in message.as_string()

        # Looking at what is new lists the patient and resets the counter.
        counter.click()
        expect(officer.locator("main")).to_contain_text("Tolvan Tolvansson")
        expect(officer.locator(".notice-counter")).to_have_attribute("data-count", "0")
        shoot(officer, "notifications-new")
        print(f"counter rose {risen:.1f} s after the declaration")
    finally:
        officer_context.close()
        ward_context.close()
    assert errors == [], errors


def test_the_administrator_registers_a_webhook_and_reads_its_delivery_log(
    browser, live_server, cast, receiver
):
    """The screen's side of webhooks: registered with its secret shown once, then the log."""
    from utskrivning.notifications.webhooks import deliveries_send

    errors: list[str] = []
    context, page = open_context(browser, live_server, errors)
    try:
        administrator = cast["administrator"]
        # An administrator reads no worklist: signed in straight to the organisation's page.
        page.goto("/accounts/login/?next=/notifications/organisation/")
        page.get_by_label("Användarnamn").fill(administrator.user.username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in", exact=True).click()
        expect(page.get_by_role("link", name="Webhooks och e-postlådor")).to_be_visible()
        page.get_by_label("Adress", exact=True).fill("https://system.falun.example/utskrivning")
        page.get_by_role("button", name="Registrera").click()
        expect(page.locator(".secret")).to_be_visible()
        shoot(page, "notifications-webhooks")
        declare_ready(cast)  # a notice after the receiver's webhook was registered
        _outbox(timezone.now())
        deliveries_send()
        page.get_by_role("row", name=receiver.url).get_by_role("link").click()
        expect(page.locator("table.deliveries")).to_contain_text("200")
        shoot(page, "notifications-delivery-log")
    finally:
        context.close()
    assert errors == [], errors

"""The header counter (counts only, a fixed number of queries, HX-Trigger when something new came),
the page of what is new (audited, resets the counter) and the settings page."""

from __future__ import annotations

import json

from django.utils import timezone

from service.factories import PASSWORD
from utskrivning.audit.models import AuditEntry
from utskrivning.notifications.models import EmailMode, NoticeKind, Subscription
from utskrivning.notifications.services import subscription_of, subscription_seen

from .conftest import ADMITTED, H, declare_ready, drain


def logged_in(client, membership):
    assert client.login(username=membership.user.username, password=PASSWORD)
    return client


def test_the_counter_rises_and_tells_the_page_to_reload(
    cast, client, django_assert_max_num_queries
):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    drain(timezone.now())
    subscription_seen(subscription=subscription_of(cast.officer_a), now=ADMITTED)
    logged_in(client, cast.officer_a)
    with django_assert_max_num_queries(12):
        first = client.get("/notifications/counter/")
    assert first.status_code == 200 and "HX-Trigger" not in first.headers
    body = first.content.decode()
    assert 'data-count="1"' in body and "Tolvan" not in body  # counts, never a patient
    known = body.split('name="known" value="')[1].split('"')[0]
    assert "HX-Trigger" not in client.get("/notifications/counter/", {"known": known}).headers
    declare_ready(cast, episode)
    drain(timezone.now())
    second = client.get("/notifications/counter/", {"known": known})
    assert 'data-count="2"' in second.content.decode()
    assert json.loads(second.headers["HX-Trigger"]) == {"notices-changed": True}
    # Polling is not a read of patient data: no audit entry per poll.
    assert not AuditEntry.objects.filter(path="/notifications/counter/").exists()


def test_the_page_of_what_is_new_lists_audits_and_resets_the_counter(cast, client):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    drain(timezone.now())
    subscription_seen(subscription=subscription_of(cast.officer_a), now=ADMITTED)
    logged_in(client, cast.officer_a)
    page = client.get("/notifications/")
    assert page.status_code == 200
    assert "Tolvan Tolvansson" in page.content.decode()
    assert f"/episodes/{episode.pk}/" in page.content.decode()
    entry = AuditEntry.objects.get(path="/notifications/")
    assert entry.patients  # the patient read is on the request's entry
    assert 'data-count="0"' in client.get("/notifications/counter/").content.decode()
    assert "Tolvan" not in client.get("/notifications/").content.decode()


def test_another_municipality_hears_and_sees_nothing(cast, client):
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    drain(timezone.now())
    subscription_seen(subscription=subscription_of(cast.officer_b), now=ADMITTED)
    logged_in(client, cast.officer_b)
    assert 'data-count="0"' in client.get("/notifications/counter/").content.decode()
    assert "Tolvan" not in client.get("/notifications/").content.decode()


def test_settings_are_saved_and_bad_times_refused_naming_the_field(cast, client):
    logged_in(client, cast.officer_a)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    assert "Nya inskrivningar" in page.content.decode()
    answer = client.post(
        "/notifications/settings/",
        {"kinds": ["readiness"], "mode": "digest", "digest_times": "07:30, 13:00",
         "email": "handlaggare@falun.example"},
    )  # fmt: skip
    assert answer.status_code == 302
    saved = Subscription.objects.get(membership=cast.officer_a)
    assert (saved.kinds, saved.mode, saved.digest_times) == (
        [NoticeKind.READINESS], EmailMode.DIGEST, ["07:30", "13:00"]
    )  # fmt: skip
    for times in ("7.30", "25:00", "０7:30", "01:00,02:00,03:00,04:00,05:00"):
        refused = client.post(
            "/notifications/settings/",
            {"kinds": ["readiness"], "mode": "digest", "digest_times": times,
             "email": "handlaggare@falun.example"},
        )  # fmt: skip
        assert refused.status_code == 200, times
        assert "digest_times" in refused.context["form"].errors, times
    no_address = client.post("/notifications/settings/", {"mode": "immediate", "email": ""})
    assert "email" in no_address.context["form"].errors


def test_a_role_is_offered_only_the_kinds_it_may_read(cast, client):
    logged_in(client, cast.finance_region)
    page = client.get("/notifications/settings/").content.decode()
    assert 'value="invoice"' in page and 'value="admission"' in page
    logged_in(client, cast.finance_a)
    refused = client.post("/notifications/settings/", {"kinds": ["invoice"], "mode": "off"})
    assert "kinds" in refused.context["form"].errors


def test_the_administrators_page_registers_shows_the_secret_once_and_the_log(
    cast, client, administrator, receiver
):
    from utskrivning.notifications.models import Webhook
    from utskrivning.notifications.webhooks import deliveries_send

    logged_in(client, administrator)
    page = client.post("/notifications/organisation/", {"url": receiver.url})
    assert page.status_code == 200
    hook = Webhook.objects.get()
    assert hook.secret in page.content.decode()
    assert hook.secret not in client.get("/notifications/organisation/").content.decode()
    receiver.secret = hook.secret
    episode = cast.admit()
    cast.notify(episode, ADMITTED + H)
    drain(timezone.now())
    deliveries_send()
    log = client.get(f"/notifications/webhooks/{hook.pk}/").content.decode()
    assert "Nya inskrivningar" in log and "200" in log
    assert client.post(f"/notifications/webhooks/{hook.pk}/off/").status_code == 302
    assert not Webhook.objects.get().active
    refused = client.post("/notifications/organisation/", {"url": "ftp://x.example/"})
    assert "url" in refused.context["form"].errors or refused.context["form"].non_field_errors()
    logged_in(client, cast.officer_a)
    assert client.get("/notifications/organisation/").status_code == 403


def test_a_shared_mailbox_is_added_and_removed(cast, client, administrator):
    logged_in(client, administrator)
    answer = client.post(
        "/notifications/organisation/",
        {"mailbox-kinds": ["readiness"], "mailbox-mode": "immediate",
         "mailbox-email": "bistand@falun.example", "mailbox-digest_times": ""},
    )  # fmt: skip
    assert answer.status_code == 302
    box = Subscription.objects.get(membership__isnull=True)
    assert (box.email, box.kinds) == ("bistand@falun.example", ["readiness"])
    client.post(f"/notifications/organisation/mailboxes/{box.pk}/remove/")
    assert not Subscription.objects.filter(membership__isnull=True).exists()


def test_a_role_that_reads_no_patients_gets_no_counter_linking_to_them(cast, client, administrator):
    logged_in(client, administrator)
    page = client.get("/notifications/organisation/").content.decode()
    assert "/notifications/counter/" not in page and "Webhooks och e-postlådor" in page
    logged_in(client, cast.officer_a)
    assert "/notifications/counter/" in client.get("/notifications/settings/").content.decode()


def test_polling_the_counter_does_not_keep_an_unattended_session_alive(cast, client):
    from django.contrib.sessions.models import Session

    logged_in(client, cast.officer_a)
    client.get("/notifications/settings/")
    key = client.session.session_key
    expires = Session.objects.get(session_key=key).expire_date
    for _ in range(3):
        answer = client.get("/notifications/counter/")
        assert answer.status_code == 200 and "sessionid" not in answer.cookies
    assert Session.objects.get(session_key=key).expire_date == expires
    client.get("/notifications/settings/")  # the person's own request extends it
    assert Session.objects.get(session_key=key).expire_date > expires

"""Issue 14 class 9 (API keys): a key expires, can be revoked, notes its last use, and its issuing
and revoking are audited; a key issued before the move to `organisations` keeps working."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from utskrivning.audit.models import AuditAction, AuditEntry
from utskrivning.organisations.api_keys import api_key_issue, api_key_revoke
from utskrivning.organisations.models import ApiKey


def _worklist(client, key: str):
    return client.get("/api/episodes/worklist", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_key_works_until_it_expires_and_notes_its_last_use(client, cast):
    stored, key = api_key_issue(
        membership=cast.nurse, name="journalsystem", issued_by=None, valid_for=timedelta(days=1)
    )
    assert _worklist(client, key).status_code == 200
    stored.refresh_from_db()
    assert stored.last_used is not None
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert _worklist(client, key).status_code == 401


def test_a_revoked_key_is_refused_at_once_and_both_acts_are_audited(client, cast):
    stored, key = api_key_issue(membership=cast.nurse, name="journalsystem", issued_by=None)
    api_key_revoke(api_key=stored, revoked_by=None)
    assert _worklist(client, key).status_code == 401
    actions = AuditEntry.objects.filter(obj_type="api_key", obj_id=str(stored.pk))
    assert sorted(actions.values_list("action", flat=True)) == [
        AuditAction.KEY_ISSUED,
        AuditAction.KEY_REVOKED,
    ]


def test_no_key_is_stored_in_plain(cast):
    _, key = api_key_issue(membership=cast.nurse, name="journalsystem", issued_by=None)
    assert not any(key in str(v) for v in ApiKey.objects.values().get().values())


def test_the_revoke_command_ends_a_key_and_the_list_shows_it(client, cast):
    from typer.testing import CliRunner

    from utskrivning.cli import app

    stored, key = api_key_issue(membership=cast.nurse, name="journalsystem", issued_by=None)
    _worklist(client, key)
    runner = CliRunner()
    revoked = runner.invoke(app, ["api-token-revoke", "--id", str(stored.pk)])
    assert revoked.exit_code == 0, revoked.output
    assert _worklist(client, key).status_code == 401
    listed = runner.invoke(app, ["api-token-list", "--organisation", cast.ward.name])
    assert "journalsystem" in listed.stdout
    assert str(timezone.localdate().year) in listed.stdout
    assert runner.invoke(app, ["api-token-revoke", "--id", "999999"]).exit_code == 2


def test_an_administrator_lists_issues_and_revokes_the_organisation_s_keys(client, cast):
    from service.factories import MembershipFactory
    from utskrivning.organisations.models import Role

    admin = MembershipFactory(organisation=cast.ward, role=Role.ADMINISTRATOR)
    theirs, _ = api_key_issue(membership=cast.other_nurse, name="annan avdelning", issued_by=None)
    client.force_login(admin.user)
    issued = client.post(
        "/accounts/api-keys/", {"holder": cast.nurse.pk, "name": "journalsystem", "days": 30}
    )
    assert issued.status_code == 200
    stored = ApiKey.objects.get(name="journalsystem")
    assert stored.membership == cast.nurse
    key = issued.context["issued"][1]
    assert _worklist(client, key).status_code == 200
    page = client.get("/accounts/api-keys/")
    assert "journalsystem" in page.text and "annan avdelning" not in page.text
    assert "API-nycklar" in page.text
    assert client.post(f"/accounts/api-keys/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/accounts/api-keys/{stored.pk}/revoke/").status_code == 302
    stored.refresh_from_db()
    assert stored.revoked is not None
    client.force_login(cast.nurse.user)
    assert client.get("/accounts/api-keys/").status_code == 403


def test_a_key_read_moments_ago_is_not_read_again_until_something_changes(client, cast):
    """Kept per process for `KEPT_FOR` seconds (issue 15); a revocation, a user made inactive or a
    membership removed in this process is seen at the next request, and another process's
    revocation within `KEPT_FOR`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from utskrivning.organisations import api_keys

    stored, key = api_key_issue(membership=cast.nurse, name="journalsystem", issued_by=None)
    assert _worklist(client, key).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert _worklist(client, key).status_code == 200
    assert not [q for q in queries if "organisations_apikey" in q["sql"]]
    cast.nurse.user.is_active = False
    cast.nurse.user.save()
    assert _worklist(client, key).status_code == 401
    cast.nurse.user.is_active = True
    cast.nurse.user.save()
    assert _worklist(client, key).status_code == 200
    ApiKey.objects.filter(pk=stored.pk).update(revoked=timezone.now())  # as another process
    assert _worklist(client, key).status_code == 200
    entries = api_keys._kept._entries
    read_at, kept = entries[api_keys.key_hash(key)]
    entries[api_keys.key_hash(key)] = (read_at - api_keys.KEPT_FOR, kept)  # time passed
    assert _worklist(client, key).status_code == 401

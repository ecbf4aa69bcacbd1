"""The audit log is append-only and never holds a personnummer in the clear."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils.crypto import salted_hmac

from service.factories import UserFactory
from utskrivning.audit.models import AppendOnlyError, AuditAction, AuditEntry
from utskrivning.audit.services import audit_record, patient_reference, patient_references
from utskrivning.domain.identity import parse_personal_number

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)
PATIENT = "19121212-1212"  # Skatteverket's test number


@pytest.fixture
def entry(ward_nurse):
    return audit_record(
        actor=ward_nurse.user,
        organisation=ward_nurse.organisation,
        action=AuditAction.READ,
        obj_type="episode",
        obj_id=42,
        patient_id=parse_personal_number(PATIENT, today=TODAY),
        purpose="worklist",
    )


def test_the_patient_is_referenced_by_a_keyed_hash(entry):
    number = parse_personal_number(PATIENT, today=TODAY)
    assert entry.patient_ref == patient_reference(number)
    assert len(entry.patient_ref) == 64
    stored = " ".join(str(value) for value in AuditEntry.objects.values().get(pk=entry.pk).values())
    assert number.canonical not in stored
    assert PATIENT not in stored


def test_one_patient_one_reference_whatever_the_form():
    long_form = parse_personal_number("191212121212", today=TODAY)
    short_form = parse_personal_number("121212+1212", today=TODAY)
    other = parse_personal_number("19900101-0017", today=TODAY)
    assert patient_reference(long_form) == patient_reference(short_form)
    assert patient_reference(long_form) != patient_reference(other)


def test_the_reference_is_djangos_salted_hmac_of_the_canonical_number():
    """Entries written before the batch form (`patient_references`) stay searchable."""
    number = parse_personal_number(PATIENT, today=TODAY)
    expected = salted_hmac(
        "utskrivning.audit.patient_reference", number.canonical, algorithm="sha256"
    ).hexdigest()
    assert patient_reference(number) == expected
    assert patient_references([number.canonical, "199001010017", number.canonical]) == [
        expected,
        patient_reference(parse_personal_number("19900101-0017", today=TODAY)),
    ]


def test_the_reference_depends_on_the_secret_key(settings):
    number = parse_personal_number(PATIENT, today=TODAY)
    before = patient_reference(number)
    settings.SECRET_KEY = "another-" + settings.SECRET_KEY
    assert patient_reference(number) != before


def test_the_request_gives_path_and_address_but_not_the_query_string():
    request = RequestFactory().get("/episodes/?q=19121212-1212", REMOTE_ADDR="192.0.2.7")
    request.user = UserFactory()
    entry = audit_record(
        actor=request.user,
        organisation=None,
        action=AuditAction.READ,
        obj_type="search",
        obj_id="",
        purpose="search",
        request=request,
    )
    assert (entry.path, entry.ip, entry.user) == ("/episodes/", "192.0.2.7", request.user)


def test_an_entry_cannot_be_changed(entry):
    entry.purpose = "something else"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(purpose="something else")
    assert AuditEntry.objects.get(pk=entry.pk).purpose == "worklist"


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET purpose = 'x' WHERE id = %s",
        "DELETE FROM audit_auditentry WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_changes(entry, sql):
    # The error leaves its own savepoint, as it would leave a request's transaction.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).purpose == "worklist"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage setting")
def test_a_request_s_patients_are_stored_without_a_compression_attempt(entry):
    """Random hex does not compress; trying cost a region's follow-up 370 ms a request."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'audit_auditentry'::regclass AND attname = 'patients'"
        )
        assert cursor.fetchone() == ("e",)  # EXTERNAL: out of line, uncompressed


def test_the_administrator_finds_a_patients_entries_by_personnummer(admin_client, entry):
    response = admin_client.get("/admin/audit/auditentry/", {"q": "191212121212"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [entry]
    response = admin_client.get("/admin/audit/auditentry/", {"q": "19900101-0017"})
    assert list(response.context["cl"].result_list) == []


def test_the_admin_list_is_read_only(admin_client, entry):
    assert admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403

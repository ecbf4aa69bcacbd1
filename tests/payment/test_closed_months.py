"""Closed months (issue 16): the region's finance approves a municipality's month; what changes
afterwards is carried as a correction line to the next open month, or the month is reopened with
an audited reason. Dalarna 2020 §11: 2.0-day limit, two of three months, > 7 days individually."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from episodes.conftest import Cast, fast_password_hasher  # noqa: F401
from utskrivning.audit.models import AuditEntry
from utskrivning.domain.calendar import STOCKHOLM
from utskrivning.domain.identity import valid_personal_number
from utskrivning.imports.services import import_episode_file
from utskrivning.lib.errors import ConflictError
from utskrivning.organisations.api_keys import api_key_issue
from utskrivning.payment.approvals import basis_approve, basis_reopen
from utskrivning.payment.closed_months import month_document
from utskrivning.payment.document import LineKind, from_json
from utskrivning.payment.models import ApprovedBasis
from utskrivning.payment.selectors import disputed_invoice_basis

HEADER = "episode_id,patient_id,municipality,care_type,unit,admitted_at,admission_notice_at,"
HEADER += "ready_at,discharged_at,status\n"
APRIL = datetime(2020, 4, 2, 9, 0, tzinfo=STOCKHOLM)
MAY = datetime(2020, 5, 4, 9, 0, tzinfo=STOCKHOLM)


def _row(n: int, ready: str, discharged: str) -> str:
    number = valid_personal_number(date(1940, 1, 1), n)
    return (
        f"E{n},{number},2080,somatic,Avdelning 12,{ready[:10]} 08:00,{ready[:10]} 09:00,"
        f"{ready},{discharged},UTFÖRD\n"
    )


# February exceeds (5 days each); March: two of 4 days in the average, one of 10 billed
# individually beyond 3 (7 days). March: 8 − 2.0 × 2 = 4 average days + 7 = 11 days × 8 200.
FILE = HEADER + "".join(
    [
        _row(1, "2020-02-03 10:00", "2020-02-08 10:00"),
        _row(2, "2020-02-03 10:00", "2020-02-08 10:00"),
        _row(3, "2020-03-02 10:00", "2020-03-06 10:00"),
        _row(4, "2020-03-02 10:00", "2020-03-06 10:00"),
        _row(5, "2020-03-02 10:00", "2020-03-12 10:00"),
    ]
)
LATE = HEADER + _row(6, "2020-03-02 10:00", "2020-03-06 10:00")  # 12 − 6 = 6 average days


@pytest.fixture
def cast(db) -> Cast:
    cast = Cast()
    import_episode_file(data=FILE.encode(), region=cast.region, actor=None)
    return cast


def _shown(cast, month):
    municipality = cast.municipality_a
    basis = disputed_invoice_basis(municipality=municipality, month=month)
    return month_document(municipality, month, basis)


def test_the_lines_add_up_to_the_total_with_the_average_part_as_its_own_line(cast):
    document = _shown(cast, "2020-03").document
    lines = document.lines
    assert [(li.kind, li.billable_days, li.amount) for li in lines] == [
        (LineKind.PATIENT, 0, 0),
        (LineKind.PATIENT, 0, 0),
        (LineKind.PATIENT, 7, 57_400),
        (LineKind.AVERAGE, 4, 32_800),
    ]
    assert sum(li.billable_days for li in lines) == document.billable_days == 11
    assert sum(li.amount for li in lines) == document.total == 90_200
    average = lines[-1]
    assert (average.counted, average.ready_days, average.threshold) == (2, 8, Decimal("2.00"))


def test_an_approved_month_keeps_its_lines_and_the_difference_goes_to_the_next_open_month(cast):
    approval = basis_approve(
        membership=cast.finance_region, municipality=cast.municipality_a, month="2020-03", at=APRIL
    )
    assert (approval.total_sek, approval.approved_by) == (90_200, cast.finance_region.user)
    import_episode_file(data=LATE.encode(), region=cast.region, actor=None)  # a late file

    march = _shown(cast, "2020-03")
    assert march.approval == approval
    assert march.document.total == 90_200  # as approved, not the 106 600 it comes to now
    assert march.current.total == 106_600
    assert march.changed_since_approval == 16_400

    april = _shown(cast, "2020-04")
    [correction] = april.document.corrections
    assert (correction.kind, correction.month, correction.amount) == (
        LineKind.CORRECTION, "2020-03", 16_400,
    )  # fmt: skip
    assert (correction.approved_amount, correction.current_amount) == (90_200, 106_600)
    assert april.document.total == 16_400

    basis_approve(
        membership=cast.finance_region, municipality=cast.municipality_a, month="2020-04", at=MAY
    )
    assert _shown(cast, "2020-05").document.corrections == ()  # April carried it


def test_the_stored_copy_reads_back_as_the_approved_document(cast):
    shown = _shown(cast, "2020-03").document
    approval = basis_approve(
        membership=cast.finance_region, municipality=cast.municipality_a, month="2020-03", at=APRIL
    )
    stored = from_json(approval.document)
    assert stored.total == shown.total and stored.lines[-1] == shown.lines[-1]
    number = valid_personal_number(date(1940, 1, 1), 3)
    first = stored.lines[0]
    assert (first.episode_id, first.personal_number) == ("E3", f"{number[:8]}-{number[8:]}")
    assert (first.admitted, first.ready, first.discharged) == (
        date(2020, 3, 2), date(2020, 3, 2), date(2020, 3, 6),
    )  # fmt: skip


def test_a_month_is_approved_once_and_only_after_it_ended(cast):
    approve = dict(membership=cast.finance_region, municipality=cast.municipality_a)
    with pytest.raises(ValidationError) as error:
        basis_approve(**approve, month="2020-04", at=APRIL)
    assert "month" in error.value.message_dict
    basis_approve(**approve, month="2020-03", at=APRIL)
    with pytest.raises(ConflictError):
        basis_approve(**approve, month="2020-03", at=APRIL)


@pytest.mark.parametrize("who", ["finance_a", "officer_a", "nurse"])
def test_only_the_region_s_finance_approves(cast, who):
    with pytest.raises(PermissionDenied):
        basis_approve(
            membership=getattr(cast, who), municipality=cast.municipality_a, month="2020-03",
            at=APRIL,
        )  # fmt: skip
    assert not ApprovedBasis.objects.exists()


def test_reopening_needs_a_reason_is_audited_and_shows_the_month_as_it_is_now(cast):
    region = dict(membership=cast.finance_region, municipality=cast.municipality_a)
    basis_approve(**region, month="2020-03", at=APRIL)
    import_episode_file(data=LATE.encode(), region=cast.region, actor=None)
    with pytest.raises(ValidationError) as error:
        basis_reopen(**region, month="2020-03", reason="  ", at=MAY)
    assert "reason" in error.value.message_dict
    reopened = basis_reopen(**region, month="2020-03", reason="Sen fil från sjukhuset", at=MAY)
    assert (reopened.reopened_by, reopened.reopen_reason) == (
        cast.finance_region.user, "Sen fil från sjukhuset",
    )  # fmt: skip
    assert _shown(cast, "2020-03").approval is None
    assert _shown(cast, "2020-03").document.total == 106_600
    assert _shown(cast, "2020-04").document.corrections == ()
    entries = AuditEntry.objects.filter(obj_type="approved invoice basis")
    assert [e.purpose for e in entries.order_by("id")] == [
        "invoice basis 2020-03 approved, total 90200 SEK",
        "invoice basis 2020-03 reopened: Sen fil från sjukhuset",
    ]
    again = basis_approve(**region, month="2020-03", at=MAY)
    assert again.total_sek == 106_600


@pytest.mark.parametrize("reason", ["Fel\x00fil", "Fel \u202efil", "Fel\ud800"])
def test_a_reopening_reason_that_cannot_be_stored_as_read_is_refused(cast, reason):
    """The audited reason is text from outside (lib.text): a NUL failed on PostgreSQL, a
    direction control shows another reason than the one given."""
    region = dict(membership=cast.finance_region, municipality=cast.municipality_a)
    basis_approve(**region, month="2020-03", at=APRIL)
    with pytest.raises(ValidationError) as error:
        basis_reopen(**region, month="2020-03", reason=reason, at=MAY)
    assert "reason" in error.value.message_dict
    assert ApprovedBasis.objects.get(month="2020-03").reopened_at is None


def test_a_month_whose_correction_a_later_month_carries_reopens_only_after_that_one(cast):
    region = dict(membership=cast.finance_region, municipality=cast.municipality_a)
    basis_approve(**region, month="2020-03", at=APRIL)
    import_episode_file(data=LATE.encode(), region=cast.region, actor=None)
    basis_approve(**region, month="2020-04", at=MAY)
    with pytest.raises(ConflictError, match="A later month carries a correction of this month"):
        basis_reopen(**region, month="2020-03", reason="Fel", at=MAY)
    basis_reopen(**region, month="2020-04", reason="Rättelsen ska in i mars", at=MAY)
    basis_reopen(**region, month="2020-03", reason="Sen fil", at=MAY)


def test_another_region_s_finance_cannot_approve(cast):
    from service.factories import MembershipFactory, RegionFactory
    from utskrivning.organisations.models import Role

    other = MembershipFactory(organisation=RegionFactory(name="Region X"), role=Role.FINANCE)
    with pytest.raises(PermissionDenied):
        basis_approve(membership=other, municipality=cast.municipality_a, month="2020-03", at=APRIL)


def _auth(membership) -> dict[str, str]:
    key = api_key_issue(membership=membership, name="ekonomi", issued_by=None)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_approve_and_reopen_over_the_api(client, cast):
    url = "/api/payment/invoice-basis/2080/2020-03"
    refused = client.post(f"{url}/approval", **_auth(cast.finance_a))
    assert refused.status_code == 403
    approved = client.post(f"{url}/approval", **_auth(cast.finance_region))
    assert approved.status_code == 201 and approved.json()["total_sek"] == "90200.00"
    again = client.post(f"{url}/approval", **_auth(cast.finance_region))
    assert again.status_code == 409
    import_episode_file(data=LATE.encode(), region=cast.region, actor=None)
    basis = client.get(url, **_auth(cast.finance_a)).json()
    assert basis["approval"]["total_sek"] == "90200.00"
    assert basis["changed_since_approval"] == "16400"
    assert [line["kind"] for line in basis["document"]["sections"][0]["lines"]][-1] == "average"
    april = client.get("/api/payment/invoice-basis/2080/2020-04", **_auth(cast.finance_a)).json()
    assert [(c["month"], c["amount"]) for c in april["document"]["corrections"]] == [
        ("2020-03", "16400")
    ]
    no_reason = client.post(
        f"{url}/reopen", {"reason": ""}, content_type="application/json",
        **_auth(cast.finance_region),
    )  # fmt: skip
    assert (no_reason.status_code, no_reason.json()["field"]) == (422, "reason")
    reopened = client.post(
        f"{url}/reopen", {"reason": "Sen fil"}, content_type="application/json",
        **_auth(cast.finance_region),
    )  # fmt: skip
    assert reopened.status_code == 200 and reopened.json()["reopen_reason"] == "Sen fil"


def test_a_month_the_rulebook_lacks_a_day_rate_for_is_a_409_naming_it_over_the_api(client, cast):
    """No national day rate for 2021 is in the project's sources: nothing is billed by a guess,
    and the API says which parameter is missing rather than answering 500."""
    import_episode_file(
        data=(HEADER + _row(7, "2021-03-02 10:00", "2021-03-12 10:00")).encode(),
        region=cast.region,
        actor=None,
    )
    url = "/api/payment/invoice-basis/2080/2021-03"
    for answer in (
        client.get(url, **_auth(cast.finance_a)),
        client.post(f"{url}/approval", **_auth(cast.finance_region)),
    ):
        assert (answer.status_code, answer.json()["field"]) == (409, "day_rate_2021")
    assert not ApprovedBasis.objects.filter(month="2021-03").exists()


def test_a_dispute_answered_after_approval_is_a_correction_too(cast):
    """E5's individual line (7 days, 57 400 kr) is taken out after March was approved."""
    from utskrivning.episodes.models import Episode
    from utskrivning.payment.services import dispute_answer, dispute_open

    region = dict(membership=cast.finance_region, municipality=cast.municipality_a)
    basis_approve(**region, month="2020-03", at=APRIL)
    dispute = dispute_open(
        membership=cast.finance_a, month="2020-03", text="Inte vår patient",
        episode=Episode.objects.get(external_id="E5"),
    )  # fmt: skip
    dispute_answer(
        membership=cast.finance_region, dispute=dispute, answer="Rätt, utelämnas",
        outcome="corrected", correction="exclude", at=APRIL,
    )  # fmt: skip
    assert _shown(cast, "2020-03").document.total == 90_200
    [correction] = _shown(cast, "2020-04").document.corrections
    assert (correction.month, correction.amount, correction.current_amount) == (
        "2020-03", -57_400, 32_800,
    )  # fmt: skip


def test_re_importing_the_stays_under_new_ids_is_refused_and_the_month_stands(cast):
    """The issue's case: five stays re-imported under new ids changed an approved month."""
    from utskrivning.domain.episodes import EpisodeFileError

    basis_approve(
        membership=cast.finance_region, municipality=cast.municipality_a, month="2020-03", at=APRIL
    )
    renumbered = FILE.replace("\nE", "\nNEW-E")
    with pytest.raises(EpisodeFileError) as error:
        import_episode_file(data=renumbered.encode(), region=cast.region, actor=None)
    assert [(e.line, e.column) for e in error.value.errors] == [
        (line, "episode_id") for line in range(2, 7)
    ]
    assert error.value.errors[2].reason.endswith("already present as episode E3")
    assert _shown(cast, "2020-03").current.total == 90_200
    assert _shown(cast, "2020-04").document.corrections == ()

"""Properties of the engine on generated episodes, for every shipped rulebook.

The episodes lean on the edges: the cut-offs (12:00, 13:00, 14:00), midnight, the DST changes,
Swedish holidays and eves, day zero, every care type and status, preconditions met or not.
"""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from utskrivning.domain.calendar import is_nonexistent_local
from utskrivning.domain.payment import compute_payment
from utskrivning.domain.payment.explain import explain_episode
from utskrivning.domain.rulebooks import load_rulebook

from .frames import episode, frame

SHIPPED = ["dalarna-2020", "law-2017-612", "stockholm-2018", "stockholm-2020", "uppsala-2018",
           "vastmanland-2019"]  # fmt: skip
RATE = Decimal(8000)  # the national table lacks 2018 and 2021; rates do not decide days
# PROPERTY_EXAMPLES=5000 for a long hunt; the default keeps each test near a second.
FAST = settings(
    max_examples=int(os.environ.get("PROPERTY_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Two engine runs per example: fewer examples for the same time.
PAIRED = settings(FAST, max_examples=max(1, FAST.max_examples * 3 // 5))

# Days the counting rules can trip on: DST changes, Easter 2019/2020, midsummer, Christmas and New
# Year, month and year ends, Epiphany, and the first days of the agreements and their stages.
EDGE_DAYS = [date.fromisoformat(d) for d in (
    "2018-03-25", "2018-10-28", "2018-12-31", "2019-03-31", "2019-04-18", "2019-04-19",
    "2019-04-22", "2019-06-21", "2019-09-30", "2019-10-01", "2019-10-27", "2019-12-20",
    "2019-12-24", "2019-12-31", "2020-01-01", "2020-01-06", "2020-02-29", "2020-03-29",
    "2020-04-10", "2020-06-19", "2020-10-25", "2020-10-31", "2020-11-01", "2021-03-28",
    "2021-06-30", "2021-07-01", "2021-10-31", "2021-11-01", "2021-12-24", "2022-02-28",
)]  # fmt: skip
EDGE_TIMES = [time(h, m) for h, m in ((0, 0), (1, 59), (2, 30), (3, 0), (11, 59), (12, 0),
                                      (12, 1), (12, 59), (13, 0), (13, 59), (14, 0), (14, 1),
                                      (23, 59))]  # fmt: skip
MUNICIPALITIES = ["0180", "0184", "2080", "2085", "1980", "0380"]


def _days(first: date, last: date) -> st.SearchStrategy[date]:
    span = (last - first).days
    edges = [d for d in EDGE_DAYS if first <= d <= last]
    random = st.integers(0, span).map(lambda n: first + timedelta(days=n))
    return st.one_of(st.sampled_from(edges), random) if edges else random


def _times() -> st.SearchStrategy[time]:
    return st.one_of(
        st.sampled_from(EDGE_TIMES), st.builds(time, st.integers(0, 23), st.integers(0, 59))
    )


def _real(moment: datetime) -> datetime:
    """A local time some clock showed: the reader refuses the spring-forward gap."""
    return moment + timedelta(hours=1) if is_nonexistent_local(moment) else moment


@st.composite
def episodes(draw: st.DrawFn, first: date = date(2018, 1, 1), last: date = date(2022, 12, 31)):
    ready = _real(datetime.combine(draw(_days(first, last)), draw(_times())))
    stay = draw(st.one_of(st.integers(0, 3), st.integers(4, 12), st.integers(13, 50)))
    out_time = draw(_times())
    discharged = _real(datetime.combine(ready.date() + timedelta(days=stay), out_time))
    if discharged < ready:
        discharged = ready + timedelta(minutes=draw(st.integers(0, 600)))
    has_ready = draw(st.integers(0, 7)) > 0  # one in eight never notified
    primary = draw(st.sampled_from([None, "Vårdcentral"]))
    sip_needed = draw(st.booleans())
    # Mostly before readiness; sometimes late, which moves day 1 (payment-rules.md).
    notice = ready + timedelta(hours=draw(st.integers(-200, 150)) if draw(st.booleans()) else -1)
    summons = ready + timedelta(hours=draw(st.integers(0, 150)) if draw(st.booleans()) else 0)
    contact = notice if draw(st.integers(0, 3)) else discharged + timedelta(hours=1)
    municipality = draw(st.sampled_from(MUNICIPALITIES))
    return episode(
        ready if has_ready else None,
        discharged if draw(st.integers(0, 9)) else None,  # one in ten still in hospital
        admitted_at=min(notice, ready) - timedelta(hours=1),
        admission_notice_at=notice if draw(st.integers(0, 5)) else None,
        care_type=draw(st.sampled_from(["somatic", "geriatric", "psychiatric"])),
        municipality=municipality,
        placing_municipality=draw(st.sampled_from([None, None, None, "2081"])),
        district=draw(st.sampled_from([None, "Södermalm"])) if municipality == "0180" else None,
        primary_care_unit=primary,
        named_contact_at=contact if primary and draw(st.integers(0, 4)) else None,
        sip_needed=sip_needed,
        sip_summoned_at=summons if sip_needed and draw(st.integers(0, 4)) else None,
        status=draw(st.sampled_from(["done", "done", "done", None, "PLANERAD"])),
    )


@st.composite
def episode_lists(draw: st.DrawFn, first: date = date(2018, 1, 1), last: date = date(2022, 12, 31)):
    """Mostly a few months' worth, so that months have neighbours (Dalarna's history, Stockholm's
    county window); sometimes spread over the whole range.
    """
    if draw(st.integers(0, 3)):
        start = draw(_days(first, last))
        first, last = start, min(last, start + timedelta(days=120))
    return draw(st.lists(episodes(first, last), min_size=1, max_size=12))


# Generated files never hold every month of Stockholm's etapp 1: its county average is set.
RULEBOOKS = {
    rulebook_id: load_rulebook(
        rulebook_id, {"county_average_2020": "1.75"} if rulebook_id == "stockholm-2020" else None
    )
    for rulebook_id in SHIPPED
}


def _numbered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**row, "episode_id": f"E{n}"} for n, row in enumerate(rows)]


@pytest.mark.parametrize("rulebook_id", SHIPPED)
@FAST
@given(rows=episode_lists())
def test_bulk_and_explanation_agree(rulebook_id, rows):
    """lines.py and explain.py: the same ready days, basis and billable days for every episode."""
    rulebook = RULEBOOKS[rulebook_id]
    rows = _numbered(rows)
    # An empty status is an open contact, as explain.py reads it: a month of them alone is not
    # refused here (test_vastmanland holds the refusal of a file without status).
    result = compute_payment(frame(*rows), rulebook, day_rate=RATE, status_known=True)
    bulk = {line["episode_id"]: line for line in result.line_frame.iter_rows(named=True)}
    for row in rows:
        explained = explain_episode(row, rulebook, day_rate=RATE)
        if row["discharged_at"] is None:
            assert row["episode_id"] not in bulk
            assert explained.basis is None
            continue
        line = bulk[row["episode_id"]]
        got = (line["ready_days"], line["basis"], line["billable_days"])
        want = (explained.ready_days, str(explained.basis), explained.billable_days)
        assert got == want, (row, explained.steps, line["reason"])
        assert line["reason"] == explained.reason
        assert Decimal(line["amount_ore"] or 0) / 100 == explained.amount_sek


@pytest.mark.parametrize("rulebook_id", SHIPPED)
@FAST
@given(rows=episode_lists())
def test_amounts_are_never_negative(rulebook_id, rows):
    result = compute_payment(
        frame(*_numbered(rows)), RULEBOOKS[rulebook_id], day_rate=RATE, status_known=True
    )
    lines = result.line_frame
    assert (lines["billable_days"] >= 0).all()
    assert (lines["amount_ore"].fill_null(0) >= 0).all()
    assert (lines["ready_days"] >= 0).all()
    for invoice in result.invoices():
        assert invoice.amount_sek >= 0
        assert invoice.billable_days >= 0
        assert invoice.liable or invoice.amount_sek == 0


@pytest.mark.parametrize(
    ("rulebook_id", "first", "last"),
    [
        ("dalarna-2020", date(2020, 1, 1), date(2021, 12, 20)),
        ("stockholm-2020", date(2020, 1, 1), date(2022, 6, 30)),
    ],
)
@PAIRED
@given(data=st.data())
def test_a_day_zero_discharge_never_raises_an_average_invoice(rulebook_id, first, last, data):
    """A patient discharged the day they were ready adds 1 to N and 0 to D: the average falls.

    It can only lower the month's amount (D − limit × N), and in Dalarna only turn later months'
    history from exceeding to not. One thing may rise, as the agreement means it to: in Stockholm a
    day zero in etapp 1 lowers the county average, so etapp 2's threshold, never raising it.
    """
    rulebook = RULEBOOKS[rulebook_id]
    rows = _numbered(data.draw(episode_lists(first, last)))
    like = data.draw(st.sampled_from(rows))
    day = data.draw(_days(first, last))
    zero = episode(
        f"{day} 08:00", f"{day} 15:00", episode_id="ZERO", admitted_at=f"{day} 06:00",
        admission_notice_at=f"{day} 07:00", care_type=like["care_type"],
        municipality=like["municipality"], placing_municipality=like["placing_municipality"],
        district=like["district"],
    )  # fmt: skip
    before = compute_payment(frame(*rows), rulebook, day_rate=RATE).invoices()
    after = compute_payment(frame(*rows, zero), rulebook, day_rate=RATE).invoices()
    after_by_key = {(i.municipality, i.district, i.month, i.group): i for i in after}
    for old in before:
        new = after_by_key.pop((old.municipality, old.district, old.month, old.group))
        if new.threshold_days != old.threshold_days:
            assert rulebook_id == "stockholm-2020"
            assert new.threshold_days < old.threshold_days
            continue
        assert new.amount_sek <= old.amount_sek, (old.reason, new.reason)
    for new in after_by_key.values():  # the day zero's own, new, invoice
        assert new.amount_sek == 0

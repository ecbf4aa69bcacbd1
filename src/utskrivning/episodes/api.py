"""The episodes' REST API: the same services and selectors as the UI."""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import partial
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.responses import NinjaJSONEncoder
from pydantic import AwareDatetime

from utskrivning.api.auth import AUTH, membership_of
from utskrivning.api.fields import DbId, Kommunkod, PathId
from utskrivning.domain.process import (
    CareContact,
    Event,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
    SipMeeting,
    allowed_events,
)
from utskrivning.domain.process.details import to_plain
from utskrivning.episodes import selectors
from utskrivning.episodes.events import CALLER_FIELDS
from utskrivning.episodes.models import Episode
from utskrivning.episodes.patients import patient_details_change
from utskrivning.episodes.selectors import episodes_visible_to
from utskrivning.episodes.services import episode_admit, episode_record_event
from utskrivning.episodes.worklist import paged_worklist
from utskrivning.episodes.worklist import worklist_summary as summary_of
from utskrivning.episodes.worklist_query import worklist_query
from utskrivning.lib.errors import NotVisibleError
from utskrivning.lib.paging import page_of
from utskrivning.organisations.models import Kind, Membership, Organisation
from utskrivning.organisations.parties import party_of

EpisodeId = PathId


def visible_episode(membership: Membership, pk: int) -> Episode:
    """Unordered: one row by its key needs no ORDER BY, whose building (the model's default
    order) cost the episode's read a tenth of its CPU."""
    visible = episodes_visible_to(organisation=membership.organisation).filter(pk=pk)
    episode = next(iter(visible.order_by()[:1]), None)
    if episode is None:
        raise NotVisibleError("No such episode.")
    return episode


router = Router(tags=["episodes"], auth=AUTH)

# --- schemas -----------------------------------------------------------------------------------


# A time without its offset is refused: in Stockholm 02:30 on the spring night never happens and
# on the autumn night happens twice, and a deadline counted from the wrong one is an hour off.
Instant = AwareDatetime


class AdmitIn(Schema):
    personal_number: str
    name: str
    address: str = ""
    home_municipality: Kommunkod
    ward_id: DbId
    care_type: str
    placing_municipality: Kommunkod | None = None
    district_id: DbId | None = None
    primary_care_id: DbId | None = None
    support_needed: bool = True
    estimated_discharge: date | None = None
    at: Instant | None = None


class EventIn(Schema):
    """`type`, `at`, `expected_version`, and the Event's fields (`events.CALLER_FIELDS`)."""

    type: EventType
    at: Instant | None = None
    expected_version: DbId | None = None
    party: Party | None = None
    parties: frozenset[Party] = frozenset()
    message: MessageKind | None = None
    criterion: HomeCriterion | None = None
    estimated_discharge: date | None = None
    support_needed: bool = True
    municipal_health_care: bool = False
    sip_needed: bool | None = None
    court_granted: bool | None = None
    # The planning record's details (issue 11 item 1); the service checks their text.
    contact: CareContact | None = None  # on named_contact_appointed: name, phone, title, unit
    meeting: SipMeeting | None = None  # on sip_summoned: starts_at, place and/or video_link
    planned_discharge: Instant | None = None  # on discharge_notice_sent


class AcknowledgeIn(Schema):
    message: MessageKind
    at: Instant | None = None


class EventOut(Schema):
    id: int
    episode_id: int
    type: str
    at: datetime  # the time the step claims (the service's own for messages and receipts)
    recorded_at: datetime  # when the service recorded it (issue 14 class 11)
    organisation_id: int | None
    payload: dict[str, Any]


def _event_out(stored: Any) -> dict[str, Any]:
    return {
        "id": stored.pk,
        "episode_id": stored.episode_id,
        "type": stored.type,
        "at": stored.at,
        "recorded_at": stored.created,
        "organisation_id": stored.organisation_id,
        "payload": stored.payload,
    }


def _episode_summary(episode: Episode) -> dict[str, Any]:
    return {
        "id": episode.pk,
        "episode_id": episode.external_id,
        "patient_name": episode.patient.name,
        "ward": episode.ward.name,
        "home_municipality": episode.home_municipality.municipality_code,
        "care_type": episode.care_type,
        "state": episode.state,
        "version": episode.version,
        "admitted_at": episode.admitted_at,
        "ready_at": episode.ready_at,
        "discharged_at": episode.discharged_at,
    }


def _deadline(d: Any) -> dict[str, Any]:
    return {
        "kind": d.kind.value,
        "party": d.party.value,
        "due_at": d.due_at,
        "met_at": d.met_at,
        "missed": d.missed,
    }


def _explanation(e: Any) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "ready_days": e.ready_days,
        "billable_days": e.billable_days,
        "amount_sek": None if e.amount_sek is None else str(e.amount_sek),
        "reason": e.reason,
        "steps": e.steps,
    }


# --- endpoints ---------------------------------------------------------------------------------


@router.get("/worklist", summary="The worklist of the organisation the caller acts for, a page")
def worklist(
    request: HttpRequest,
    page: str | None = None,
    limit: str | None = None,
    mine: str | None = None,
    unread: str | None = None,
    due: str | None = None,
    state: str | None = None,
    care_type: str | None = None,
    ward: str | None = None,
    q: str | None = None,
    sort: str | None = None,
    others: str | None = None,
) -> HttpResponse:
    """`limit` rows (1–500, default 50) of page `page` (from 1): by default the caller's own
    steps first, the soonest (or most overdue) deadline first; `sort=admitted` newest admission
    first, `sort=name`. Filters: `mine=1` (the caller's party owes a step), `unread=1` (a note to
    the caller's organisation not yet acknowledged), `due=overdue|today`
    (by its next deadline), `state`, `care_type`, `ward` (an id), `q` (a name, or a personnummer
    or part of one in 0-9). The deadlines are the caller's party's; `others=1` adds the other
    parties' unmet ones. The `X-Total-Count` header counts the filtered worklist; `Link` names
    the next and previous pages."""
    membership = membership_of(request)
    query = worklist_query(
        {
            "mine": mine,
            "unread": unread,
            "due": due,
            "state": state,
            "care_type": care_type,
            "ward": ward,
            "q": q,
            "sort": sort,
            "others": others,
        }
    )
    content, paged = paged_worklist(
        organisation=membership.organisation,
        now=timezone.now(),
        actor=membership.user,
        present=_worklist_json_with_others if query.others else _worklist_json,
        page=page_of(page=page, limit=limit),
        query=query,
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["X-Total-Count"] = str(paged.total)
    if links := paged.link_header(request.path):
        response["Link"] = links
    return response


def _worklist_json(rows: list[Any], *, others: bool = False) -> bytes:
    """Kept with the rows (`episodes.worklist`): encoding them is as much work as reading them."""
    return json.dumps(
        [
            _episode_summary(row.episode)
            | {
                "obligations": [
                    {"party": o.party.value, "action": o.action.value} for o in row.obligations
                ],
                "deadlines_coming": [_deadline(d) for d in row.deadlines_coming],
                "deadlines_missed": [_deadline(d) for d in row.deadlines_missed],
                "ready_days": row.ready_days,
            }
            | ({"other_parties_deadlines": [_deadline(d) for d in row.others]} if others else {})
            for row in rows
        ],
        cls=NinjaJSONEncoder,
    ).encode()


# One function, made once: the worklist keeps what each presentation made of its rows.
_worklist_json_with_others = partial(_worklist_json, others=True)


class WorklistSummaryOut(Schema):
    total: int
    needs_action: int
    overdue: int
    due_today: int
    unread: int


@router.get(
    "/worklist/summary",
    response=WorklistSummaryOut,
    summary="The worklist's counters: open, needing the caller's action, overdue, due today",
)
def worklist_summary(request: HttpRequest) -> Any:
    """Counted in the database by the caller's party's next deadline (overdue: it has passed;
    due today: later today, Stockholm time) and whether it owes a step; `unread`: the notes to
    the caller's organisation on open episodes it has not acknowledged. Names no patient."""
    membership = membership_of(request)
    return summary_of(organisation=membership.organisation, now=timezone.now())


@router.get("/{int:pk}", summary="One episode: timeline, deadlines, allowed steps, payment")
def episode_detail(
    request: HttpRequest, pk: EpisodeId, before: DbId | None = None, full: bool = False
) -> dict[str, Any]:
    """`timeline` is a page: the latest 50 events in time order, or the 50 before the event
    `before`; `timeline_older` is the `before` of the page of older events (null: none).
    `deadlines` are those not met and the latest 5 met, `planning.estimates` the latest 5 dates
    given, so the answer's size does not grow with the history; `deadlines_total` and
    `estimates_total` count them all, which `full=true` returns."""
    membership = membership_of(request)
    episode = visible_episode(membership, pk)
    detail = selectors.episode_detail(
        episode=episode,
        organisation=membership.organisation,
        actor=membership.user,
        now=timezone.now(),
        before=before,
        full=full,
        names=False,
    )
    return _episode_summary(episode) | {
        "timeline": [_event_out(e) for e in detail["events"]],
        "timeline_older": detail["older_events"],
        "deadlines": [_deadline(d) for d in detail["deadlines"]],
        "deadlines_total": detail["deadlines_total"],
        "estimates_total": detail["estimates_total"],
        "obligations": [
            {"party": o.party.value, "action": o.action.value} for o in detail["obligations"]
        ],
        "allowed_events": sorted(e.value for e in allowed_events(detail["facts"].state)),
        # What every party plans from: patient, dates, contact, SIP, criteria (issue 11 item 1).
        "planning": to_plain(detail["planning"]),
        "explanation": _explanation(detail["explanation"]),
        # Stored times out of bounds that left deadlines and payment out (issue 14 class 2).
        "faults": list(detail["faults"]),
    }


def _organisation(kind: Kind, field: str, **lookup: Any) -> Organisation:
    from django.core.exceptions import ValidationError

    found = Organisation.objects.filter(kind=kind, **lookup).first()
    if found is None:
        raise ValidationError({field: "No such organisation."})
    return found


@router.post("/", response={201: EventOut}, summary="Admit a patient")
def admit(request: HttpRequest, body: AdmitIn) -> Status:
    membership = membership_of(request)
    stored = episode_admit(
        actor=membership.user,
        membership=membership,
        personal_number=body.personal_number,
        name=body.name,
        address=body.address,
        home_municipality=_organisation(
            Kind.MUNICIPALITY, "home_municipality", municipality_code=body.home_municipality
        ),
        ward=_organisation(Kind.WARD, "ward_id", pk=body.ward_id),
        care_type=body.care_type,
        placing_municipality=(
            _organisation(
                Kind.MUNICIPALITY,
                "placing_municipality",
                municipality_code=body.placing_municipality,
            )
            if body.placing_municipality
            else None
        ),
        district=(
            _organisation(Kind.DISTRICT, "district_id", pk=body.district_id)
            if body.district_id
            else None
        ),
        primary_care=(
            _organisation(Kind.PRIMARY_CARE, "primary_care_id", pk=body.primary_care_id)
            if body.primary_care_id
            else None
        ),
        support_needed=body.support_needed,
        estimated_discharge=body.estimated_discharge,
        at=body.at or timezone.now(),
    )
    return Status(201, _event_out(stored))


@router.post("/{int:pk}/events", response={201: EventOut}, summary="Record a step")
def record_event(request: HttpRequest, pk: EpisodeId, body: EventIn) -> Status:
    membership = membership_of(request)
    episode = visible_episode(membership, pk)
    event = Event(type=body.type, **{name: getattr(body, name) for name in CALLER_FIELDS})
    stored = episode_record_event(
        episode=episode,
        event=event,
        at=body.at or timezone.now(),
        membership=membership,
        expected_version=body.expected_version,
    )
    return Status(201, _event_out(stored))


@router.post("/{int:pk}/acknowledgements", response={201: EventOut}, summary="Acknowledge")
def acknowledge(request: HttpRequest, pk: EpisodeId, body: AcknowledgeIn) -> Status:
    membership = membership_of(request)
    episode = visible_episode(membership, pk)
    stored = episode_record_event(
        episode=episode,
        event=Event(
            EventType.ACKNOWLEDGED, party=party_of(membership.organisation), message=body.message
        ),
        at=body.at or timezone.now(),
        membership=membership,
    )
    return Status(201, _event_out(stored))


class PatientDetailsIn(Schema):
    name: str
    address: str = ""


@router.post(
    "/{int:pk}/patient", response={201: EventOut}, summary="Correct the patient's name or address"
)
def change_patient_details(request: HttpRequest, pk: EpisodeId, body: PatientDetailsIn) -> Status:
    """An event of its own in the episode's timeline; an admission never changes them."""
    membership = membership_of(request)
    stored = patient_details_change(
        episode=visible_episode(membership, pk),
        membership=membership,
        name=body.name,
        address=body.address,
    )
    return Status(201, _event_out(stored))

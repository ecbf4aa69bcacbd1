"""Which steps the episode page offers a role, and the process event a posted form describes.

The permission table (organisations.permissions) says which role may take a step; the transition
table says which steps the episode's state has; the service checks both again when it writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from utskrivning.domain.process import (
    EpisodeFacts,
    Event,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
    allowed_events,
)
from utskrivning.episodes.services import EVENT_ACTIONS, OWN_PARTY_EVENTS
from utskrivning.lib.digits import iso_date
from utskrivning.organisations.models import Membership
from utskrivning.organisations.parties import party_of
from utskrivning.organisations.permissions import Action, can

E = EventType

# The steps the page has forms for, with the service's permission for each; the admission has
# its own page, and deviations are reported on their own form.
PERMISSION: dict[EventType, Action] = {
    event: action
    for event, action in EVENT_ACTIONS.items()
    if event not in (E.ADMITTED, E.DEVIATION_REPORTED)
}
OWN_PARTY = OWN_PARTY_EVENTS


@dataclass(frozen=True)
class Offer:
    """One action form on the episode page."""

    event: EventType
    party: Party | None


class FormError(ValueError):
    """A posted value that names no known party, criterion, message or date."""


def offers(membership: Membership, facts: EpisodeFacts, *, awaiting: bool) -> list[Offer]:
    """The steps the role may take in the episode's state; receipts only when one is awaited."""
    party = party_of(membership.organisation)
    allowed = allowed_events(facts.state)
    if not awaiting:
        allowed -= {E.ACKNOWLEDGED}
    if party in facts.consents:
        allowed -= {E.CONSENT_RECORDED}
    return [
        Offer(event, party)
        for event, action in PERMISSION.items()
        if event in allowed and can(membership, action)
    ]


def _enum(cls: type, value: str | None) -> object:
    if not value:
        return None
    try:
        return cls(value)
    except ValueError:
        raise FormError(value) from None


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def event_from_post(post: Mapping[str, object], membership: Membership) -> Event:
    getlist = getattr(post, "getlist", lambda name: [])
    try:
        event_type = EventType(str(post.get("event", "")))
    except ValueError:
        raise FormError(str(post.get("event", ""))) from None
    if event_type not in PERMISSION:
        raise FormError(event_type)
    estimated_text = str(post.get("estimated_discharge") or "")
    estimated = iso_date(estimated_text) if estimated_text else None
    if estimated_text and estimated is None:
        raise FormError(estimated_text)
    parties = frozenset(_enum(Party, p) for p in getlist("parties"))
    return Event(
        type=event_type,
        party=party_of(membership.organisation) if event_type in OWN_PARTY else None,
        parties=parties,  # type: ignore[arg-type]
        message=_enum(MessageKind, str(post.get("message") or "")),  # type: ignore[arg-type]
        criterion=_enum(HomeCriterion, str(post.get("criterion") or "")),  # type: ignore[arg-type]
        estimated_discharge=estimated,
        municipal_health_care=post.get("municipal_health_care") == "on",
        sip_needed=_yes_no(str(post.get("sip_needed") or "")),
        court_granted=_yes_no(str(post.get("court_granted") or "")),
    )

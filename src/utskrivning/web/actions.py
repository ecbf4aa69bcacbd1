"""Which steps the episode page offers a role, and the process event a posted form describes.

The permission table (organisations.permissions) says which role may take a step; the transition
table says which steps the episode's state has; the service checks both again when it writes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from utskrivning.domain.process import (
    EpisodeFacts,
    Event,
    EventType,
    HomeCriterion,
    MessageKind,
    Party,
    open_steps,
)
from utskrivning.episodes.services import EVENT_ACTIONS, OWN_PARTY_EVENTS
from utskrivning.lib.digits import iso_date, local_minute
from utskrivning.organisations.models import Membership
from utskrivning.organisations.parties import party_of
from utskrivning.organisations.permissions import Action, can
from utskrivning.web.labels import STEPS
from utskrivning.web.step_details import step_details

E = EventType

# The steps the page has forms for, with the service's permission for each; the admission has
# its own page, and deviations are reported on their own form.
PERMISSION: dict[EventType, Action] = {
    event: action
    for event, action in EVENT_ACTIONS.items()
    if event not in (E.ADMITTED, E.DEVIATION_REPORTED)
}
OWN_PARTY = OWN_PARTY_EVENTS


# The steps whose time the user gives (default now, bounded by `domain.process.clock`); the
# discharge also asks to be confirmed: it ends the stay and starts the municipality's days.
TIMED = frozenset({E.DISCHARGED})
CONFIRMED = frozenset({E.DISCHARGED})


@dataclass(frozen=True)
class Offer:
    """One action form on the episode page; its button says what it does."""

    event: EventType
    party: Party | None

    @property
    def label(self) -> object:
        return STEPS[self.event]

    @property
    def timed(self) -> bool:
        return self.event in TIMED

    @property
    def confirmed(self) -> bool:
        return self.event in CONFIRMED


class FormError(ValueError):
    """A posted value the step cannot take; `field` names it, `reason` is a msgid."""

    def __init__(self, field: str, reason: str = "The form has a value the process does not know."):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def offers(
    membership: Membership,
    facts: EpisodeFacts,
    *,
    awaiting: bool,
    criteria: bool,
    now: datetime,
) -> list[Offer]:
    """The steps the role may take now (the transition table and its guards over the episode);
    a receipt only when a message awaits one, a criterion only while one is left unchecked."""
    party = party_of(membership.organisation)
    allowed = set(open_steps(facts, party=party, at=now))
    if not awaiting:
        allowed -= {E.ACKNOWLEDGED}
    if not criteria:
        allowed -= {E.HEMGANGSKLAR_CHECKED}
    return [
        Offer(event, party)
        for event, action in PERMISSION.items()
        if event in allowed and can(membership, action)
    ]


def _enum(cls: type, value: str | None, field: str) -> object:
    if not value:
        return None
    try:
        return cls(value)
    except ValueError:
        raise FormError(field) from None


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def event_from_post(post: Mapping[str, object], membership: Membership) -> Event:
    getlist = getattr(post, "getlist", lambda name: [])
    try:
        event_type = EventType(str(post.get("event", "")))
    except ValueError:
        raise FormError("event") from None
    if event_type not in PERMISSION:
        raise FormError("event")
    if event_type in CONFIRMED and post.get("confirm") != "on":
        raise FormError("confirm", "Confirm the step by ticking the box.")
    estimated_text = str(post.get("estimated_discharge") or "")
    estimated = iso_date(estimated_text) if estimated_text else None
    if estimated_text and estimated is None:
        raise FormError("estimated_discharge", "Give the date as YYYY-MM-DD.")
    parties = frozenset(_enum(Party, p, "parties") for p in getlist("parties"))
    return Event(
        type=event_type,
        party=party_of(membership.organisation) if event_type in OWN_PARTY else None,
        parties=parties,  # type: ignore[arg-type]
        message=_enum(MessageKind, str(post.get("message") or ""), "message"),  # type: ignore[arg-type]
        criterion=_enum(HomeCriterion, str(post.get("criterion") or ""), "criterion"),  # type: ignore[arg-type]
        estimated_discharge=estimated,
        municipal_health_care=post.get("municipal_health_care") == "on",
        sip_needed=_yes_no(str(post.get("sip_needed") or "")),
        court_granted=_yes_no(str(post.get("court_granted") or "")),
        **step_details(post, event_type),
    )


def claimed_time(post: Mapping[str, object], event: EventType, now: datetime) -> datetime:
    """The time a timed step claims (the form's local `at`, to the minute); `now` when none is
    given, or when it names the current minute: the form's default, which would otherwise fall
    before a step taken earlier in the same minute."""
    text = str(post.get("at") or "")
    if event not in TIMED or not text:
        return now
    minute = local_minute(text)
    if minute is None:
        raise FormError("at", "Give the time as YYYY-MM-DD HH:MM.")
    at = timezone.make_aware(minute)
    return now if at <= now < at + timedelta(minutes=1) else at

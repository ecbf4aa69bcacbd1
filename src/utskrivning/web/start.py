"""Each role's start page: where a sign-in lands (password, identity provider, choosing an
organisation) and where "/" sends a membership with no worklist of its own, so that no one logs
in to a refusal or to an empty list. The parties' staff start at their worklist; finance,
analysts and administrators at the page their work begins with."""

from __future__ import annotations

from utskrivning.organisations.models import Membership, Role
from utskrivning.organisations.parties import party_of
from utskrivning.organisations.permissions import Action, can

# The pages a start can be after the worklist, in the navigation's order, each with the action
# reading it needs (READ of its route's data; tests/web/test_start.py holds them equal).
PAGES: dict[str, Action | None] = {
    "web:invoices_current": Action.VIEW_INVOICES,
    "followup:dashboard": Action.VIEW_FOLLOWUP,
    "api_keys": Action.MANAGE_API_KEYS,
    "notifications:organisation": Action.MANAGE_WEBHOOKS,
    "notifications:settings": None,  # the person's own settings: every role may open them
}
_OWN = {
    Role.FINANCE: "web:invoices_current",
    Role.ANALYST: "followup:dashboard",
    Role.ADMINISTRATOR: "api_keys",
}


def has_worklist(membership: Membership | None) -> bool:
    """Whether "/" is a worklist for the membership: a role that reads episodes, of a party. A
    region acts for no party and sees no open episode there: its worklist would always be empty."""
    return (
        membership is not None
        and can(membership, Action.VIEW_PROCESS)
        and party_of(membership.organisation) is not None
    )


def start_page(membership: Membership) -> str:
    """The URL name of the role's own page, or of the first it may read when its organisation's
    kind keeps the own one from it (an analyst of a municipality reads no invoice basis)."""
    own = _OWN.get(Role(membership.role))
    if own is None and has_worklist(membership):
        return "web:worklist"
    candidates = [own, *PAGES] if own else list(PAGES)
    readable = (name for name in candidates if PAGES[name] is None or can(membership, PAGES[name]))
    return next(readable)  # the last of PAGES needs no permission

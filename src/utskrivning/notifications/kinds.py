"""Which notices each kind of message is, who may hear of each, and what each role hears of
unless the person chooses otherwise (issue 12: the ward hears of acknowledgements and SIP
summons, the municipality of admission notices and readiness, finance of invoices to approve)."""

from __future__ import annotations

from utskrivning.domain.process import MessageKind
from utskrivning.notifications.models import NoticeKind
from utskrivning.organisations.models import Membership, Role
from utskrivning.organisations.permissions import Action, can

K = NoticeKind

MESSAGE_NOTICE: dict[str, NoticeKind] = {
    MessageKind.ADMISSION_NOTICE: K.ADMISSION,
    MessageKind.READINESS_NOTIFICATION: K.READINESS,
    MessageKind.READINESS_WITHDRAWAL: K.READINESS,
    MessageKind.SIP_SUMMONS: K.SIP_SUMMONS,
    MessageKind.ESTIMATED_DISCHARGE_CHANGE: K.MESSAGE,
    MessageKind.DISCHARGE_NOTICE: K.MESSAGE,
}

ROLE_DEFAULTS: dict[Role, tuple[NoticeKind, ...]] = {
    Role.WARD_NURSE: (K.ACKNOWLEDGEMENT, K.SIP_SUMMONS, K.DEADLINE),
    Role.PHYSICIAN: (K.ACKNOWLEDGEMENT, K.SIP_SUMMONS, K.DEADLINE),
    Role.PRIMARY_CARE_HEAD: (K.ADMISSION, K.READINESS, K.DEADLINE),
    Role.CARE_CONTACT: (K.READINESS, K.SIP_SUMMONS, K.MESSAGE, K.DEADLINE),
    Role.CASE_OFFICER: (K.ADMISSION, K.READINESS, K.MESSAGE, K.SIP_SUMMONS, K.DEADLINE),
    Role.FINANCE: (K.INVOICE,),
    Role.ANALYST: (),
    Role.ADMINISTRATOR: (),
}

# A notice leads to patients' episodes or to an invoice basis: offered to those who may read it.
NEEDS: dict[NoticeKind, Action] = {kind: Action.VIEW_PROCESS for kind in K} | {
    K.INVOICE: Action.APPROVE_INVOICE
}


def kinds_for(membership: Membership) -> list[NoticeKind]:
    """The kinds this membership may hear of, in the settings page's order."""
    return [kind for kind in K if can(membership, NEEDS[kind])]


def default_kinds(membership: Membership) -> list[str]:
    allowed = set(kinds_for(membership))
    return [kind.value for kind in ROLE_DEFAULTS[Role(membership.role)] if kind in allowed]

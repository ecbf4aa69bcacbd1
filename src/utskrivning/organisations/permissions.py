"""Which role, in which kind of organisation, may take which action: one table to read and test.

Whose patient it is (the ward's own, the municipality's notified ones) is the selectors' concern;
this table only says whether the role may take the action at all.
"""

from __future__ import annotations

from enum import StrEnum

from utskrivning.organisations.models import Kind, Membership, Role


class Action(StrEnum):
    ADMIT = "admit"
    SEND_ADMISSION_NOTICE = "send_admission_notice"
    CHANGE_ESTIMATED_DISCHARGE = "change_estimated_discharge"
    DECLARE_READY = "declare_ready"
    WITHDRAW_READY = "withdraw_ready"
    APPOINT_NAMED_CONTACT = "appoint_named_contact"
    RECORD_CONSENT = "record_consent"
    SUMMON_SIP = "summon_sip"
    RECORD_SIP_HELD = "record_sip_held"
    RECORD_HEMGANGSKLAR = "record_hemgangsklar"
    SEND_DISCHARGE_NOTICE = "send_discharge_notice"
    DISCHARGE = "discharge"
    CLOSE = "close"
    ACKNOWLEDGE = "acknowledge"
    REPORT_DEVIATION = "report_deviation"
    DISPUTE_INVOICE = "dispute_invoice"
    ANSWER_DISPUTE = "answer_dispute"
    APPROVE_INVOICE = "approve_invoice"
    IMPORT_EPISODES = "import_episodes"
    VIEW_PROCESS = "view_process"
    VIEW_DEVIATIONS = "view_deviations"
    VIEW_INVOICES = "view_invoices"
    VIEW_AUDIT_LOG = "view_audit_log"
    VIEW_FOLLOWUP = "view_followup"
    VOID_EVENT = "void_event"
    MANAGE_API_KEYS = "manage_api_keys"
    MANAGE_WEBHOOKS = "manage_webhooks"
    CHANGE_PATIENT_DETAILS = "change_patient_details"
    WRITE_NOTE = "write_note"


WARD_STAFF = frozenset({Role.WARD_NURSE, Role.PHYSICIAN})
PRIMARY_CARE_STAFF = frozenset({Role.PRIMARY_CARE_HEAD, Role.CARE_CONTACT})
# The three parties of the process, each acting for itself (consent, receipts, deviations).
PARTY_STAFF = WARD_STAFF | PRIMARY_CARE_STAFF | {Role.CASE_OFFICER}
ANYWHERE = frozenset(Kind)
MUNICIPAL = frozenset({Kind.MUNICIPALITY, Kind.DISTRICT})
REGIONAL = frozenset({Kind.REGION})

PERMISSIONS: dict[Action, tuple[frozenset[Role], frozenset[Kind]]] = {
    Action.ADMIT: (WARD_STAFF, ANYWHERE),
    Action.SEND_ADMISSION_NOTICE: (WARD_STAFF, ANYWHERE),
    Action.CHANGE_ESTIMATED_DISCHARGE: (WARD_STAFF, ANYWHERE),
    # Readiness is the treating physician's judgement (Dalarna §9, Regionens ansvar).
    Action.DECLARE_READY: (frozenset({Role.PHYSICIAN}), ANYWHERE),
    Action.WITHDRAW_READY: (frozenset({Role.PHYSICIAN}), ANYWHERE),
    # The head of the primary-care unit appoints the named care contact (Dalarna §9, Öppenvård).
    Action.APPOINT_NAMED_CONTACT: (frozenset({Role.PRIMARY_CARE_HEAD}), ANYWHERE),
    Action.RECORD_CONSENT: (PARTY_STAFF, ANYWHERE),
    # The named care contact summons the SIP (Dalarna §9) and records that it was held.
    Action.SUMMON_SIP: (frozenset({Role.CARE_CONTACT}), ANYWHERE),
    Action.RECORD_SIP_HELD: (frozenset({Role.CARE_CONTACT}), ANYWHERE),
    Action.RECORD_HEMGANGSKLAR: (WARD_STAFF, ANYWHERE),
    Action.SEND_DISCHARGE_NOTICE: (WARD_STAFF, ANYWHERE),
    Action.DISCHARGE: (WARD_STAFF, ANYWHERE),
    Action.CLOSE: (WARD_STAFF, ANYWHERE),
    Action.ACKNOWLEDGE: (PARTY_STAFF, ANYWHERE),
    Action.REPORT_DEVIATION: (PARTY_STAFF, ANYWHERE),
    # The municipality questions an invoice, the region answers (Dalarna §11).
    Action.DISPUTE_INVOICE: (frozenset({Role.FINANCE}), MUNICIPAL),
    Action.ANSWER_DISPUTE: (frozenset({Role.FINANCE}), REGIONAL),
    # The region's finance approves (fastställer) a month's basis and reopens it, with a reason.
    Action.APPROVE_INVOICE: (frozenset({Role.FINANCE}), REGIONAL),
    Action.IMPORT_EPISODES: (frozenset({Role.FINANCE, Role.ADMINISTRATOR}), REGIONAL),
    # Patients' episodes (worklists, episode pages): the parties' staff, and finance and analysts,
    # whose invoice lines and figures lead to them; an administrator manages, and reads none.
    Action.VIEW_PROCESS: (PARTY_STAFF | {Role.FINANCE, Role.ANALYST}, ANYWHERE),
    Action.VIEW_DEVIATIONS: (PARTY_STAFF | {Role.FINANCE, Role.ANALYST}, ANYWHERE),
    # An invoice basis and everything behind it (its lines, files, the episode file, disputes).
    Action.VIEW_INVOICES: (frozenset({Role.FINANCE, Role.ANALYST}), ANYWHERE),
    Action.VIEW_AUDIT_LOG: (frozenset({Role.ADMINISTRATOR}), ANYWHERE),
    # A compensating event for a wrong one (issue 14 class 2): the region's administrator.
    Action.VOID_EVENT: (frozenset({Role.ADMINISTRATOR}), REGIONAL),
    # Follow-up (Dalarna §12): the region's analysis and finance staff, a municipality its own.
    Action.VIEW_FOLLOWUP: (
        frozenset({Role.FINANCE, Role.ANALYST, Role.ADMINISTRATOR}),
        REGIONAL | MUNICIPAL,
    ),
    Action.MANAGE_API_KEYS: (frozenset({Role.ADMINISTRATOR}), ANYWHERE),
    # An organisation's webhooks and its shared mailbox (notifications): its administrator.
    Action.MANAGE_WEBHOOKS: (frozenset({Role.ADMINISTRATOR}), ANYWHERE),
    # The ward that has the patient corrects a name or an address (docs/process.md, identity).
    Action.CHANGE_PATIENT_DETAILS: (WARD_STAFF, ANYWHERE),
    # A note between the parties about the patient's planning; its receipt is `ACKNOWLEDGE`'s.
    Action.WRITE_NOTE: (PARTY_STAFF, ANYWHERE),
}


class Data(StrEnum):
    """What a route shows. Every route of the URL configuration names one
    (`service.routes.ROUTE_DATA`), and reading it needs the one action `READ` gives it."""

    NONE = "none"  # no patient data: logging in, health, the API's schema, choosing language
    PROCESS = "process"  # patients' episodes: worklists, episode pages, timelines, their steps
    DEVIATIONS = "deviations"  # deviations followed up across episodes
    INVOICES = "invoices"  # invoice bases, their files and the episode file, disputes, approval
    IMPORTS = "imports"  # episode files being imported
    FOLLOWUP = "followup"  # indicators and the monthly report
    API_KEYS = "api_keys"  # an organisation's API keys
    WEBHOOKS = "webhooks"  # an organisation's webhooks, their delivery log, its mailbox
    ADMIN = "admin"  # Django's admin: staff only, checked by the admin itself


READ: dict[Data, Action | None] = {
    Data.NONE: None,
    Data.PROCESS: Action.VIEW_PROCESS,
    Data.DEVIATIONS: Action.VIEW_DEVIATIONS,
    Data.INVOICES: Action.VIEW_INVOICES,
    Data.IMPORTS: Action.IMPORT_EPISODES,
    Data.FOLLOWUP: Action.VIEW_FOLLOWUP,
    Data.API_KEYS: Action.MANAGE_API_KEYS,
    Data.WEBHOOKS: Action.MANAGE_WEBHOOKS,
    Data.ADMIN: None,
}


def may_read(membership: Membership | None, data: Data) -> bool:
    """Whether the membership's role may read this kind of data at all (which patients and
    organisations it sees is the selectors' concern)."""
    action = READ[data]
    return action is None or can(membership, action)


def can(membership: Membership | None, action: Action) -> bool:
    """Whether the membership's role may take `action`; no membership may take none."""
    if membership is None:
        return False
    roles, kinds = PERMISSIONS[action]
    return membership.role in roles and membership.organisation.kind in kinds

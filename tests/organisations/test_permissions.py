"""The permission table: every action has a row, and the parties act only for themselves."""

from __future__ import annotations

import pytest

from utskrivning.organisations.models import ROLE_KINDS, Kind, Membership, Organisation, Role
from utskrivning.organisations.permissions import PERMISSIONS, Action, can


def member(role: Role, kind: Kind) -> Membership:
    return Membership(role=role, organisation=Organisation(kind=kind, name="x"))


def test_every_action_has_a_row_and_every_row_a_role():
    assert set(PERMISSIONS) == set(Action)
    assert all(roles for roles, _ in PERMISSIONS.values())


def test_no_row_names_a_role_where_it_cannot_sit():
    for action, (roles, kinds) in PERMISSIONS.items():
        for role in roles:
            assert ROLE_KINDS[role] & kinds, (action, role)


def test_without_a_membership_nothing_is_allowed():
    assert not any(can(None, action) for action in Action)


@pytest.mark.parametrize(
    ("role", "kind", "action", "allowed"),
    [
        (Role.WARD_NURSE, Kind.WARD, Action.ADMIT, True),
        (Role.WARD_NURSE, Kind.WARD, Action.SEND_ADMISSION_NOTICE, True),
        (Role.WARD_NURSE, Kind.WARD, Action.DECLARE_READY, False),
        (Role.PHYSICIAN, Kind.WARD, Action.DECLARE_READY, True),
        (Role.PHYSICIAN, Kind.WARD, Action.WITHDRAW_READY, True),
        (Role.CASE_OFFICER, Kind.MUNICIPALITY, Action.ADMIT, False),
        (Role.CASE_OFFICER, Kind.DISTRICT, Action.ACKNOWLEDGE, True),
        (Role.CASE_OFFICER, Kind.MUNICIPALITY, Action.RECORD_CONSENT, True),
        (Role.CASE_OFFICER, Kind.MUNICIPALITY, Action.APPOINT_NAMED_CONTACT, False),
        (Role.PRIMARY_CARE_HEAD, Kind.PRIMARY_CARE, Action.APPOINT_NAMED_CONTACT, True),
        (Role.CARE_CONTACT, Kind.PRIMARY_CARE, Action.APPOINT_NAMED_CONTACT, False),
        (Role.CARE_CONTACT, Kind.PRIMARY_CARE, Action.SUMMON_SIP, True),
        (Role.PRIMARY_CARE_HEAD, Kind.PRIMARY_CARE, Action.SUMMON_SIP, False),
        (Role.FINANCE, Kind.MUNICIPALITY, Action.DISPUTE_INVOICE, True),
        (Role.FINANCE, Kind.REGION, Action.DISPUTE_INVOICE, False),
        (Role.FINANCE, Kind.REGION, Action.ANSWER_DISPUTE, True),
        (Role.FINANCE, Kind.MUNICIPALITY, Action.ANSWER_DISPUTE, False),
        (Role.FINANCE, Kind.REGION, Action.IMPORT_EPISODES, True),
        (Role.ANALYST, Kind.REGION, Action.VIEW_INVOICES, True),
        (Role.ANALYST, Kind.REGION, Action.IMPORT_EPISODES, False),
        (Role.ADMINISTRATOR, Kind.REGION, Action.VIEW_AUDIT_LOG, True),
        (Role.ADMINISTRATOR, Kind.REGION, Action.DISCHARGE, False),
        (Role.PHYSICIAN, Kind.WARD, Action.VIEW_AUDIT_LOG, False),
    ],
)
def test_who_may_do_what(role, kind, action, allowed):
    assert can(member(role, kind), action) is allowed


def test_administrators_manage_but_take_no_part_in_the_process():
    administrator = member(Role.ADMINISTRATOR, Kind.REGION)
    allowed = {action for action in Action if can(administrator, action)}
    assert allowed == {
        Action.IMPORT_EPISODES,
        Action.VIEW_AUDIT_LOG,
        Action.VIEW_FOLLOWUP,
        Action.VOID_EVENT,  # a compensating event: history is corrected, never rewritten
        Action.MANAGE_API_KEYS,
        Action.MANAGE_WEBHOOKS,  # where the organisation's events are posted, not the events
    }

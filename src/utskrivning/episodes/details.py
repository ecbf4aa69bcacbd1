"""The text a step's details carry, checked before the process judges the step: bounded, only
characters every database stores, a phone number in ASCII digits, a video link on https. Each
refusal names its field as the API takes it (`contact.phone`), in a sentence the page translates.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from utskrivning.domain.process import Event
from utskrivning.lib.text import MAX_ADDRESS, MAX_NAME, checked_text

MAX_TITLE = 100
MAX_LINK = 500
# +46 70-123 45 67, 023-49 00 00, (023) 490000: ASCII digits with spaces, dashes, brackets.
PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,23}", re.ASCII)
# Printable ASCII only (`[!-~]`): no NUL for jsonb, no surrogate, no RTL override to disguise it.
LINK = re.compile(r"https://(?:(?![/?#])[!-~])+[!-~]*")
NO_NAME = "Give the named care contact's name."
BAD_PHONE = "Give a phone number in the digits 0-9 (spaces, dashes and a leading + allowed)."
BAD_LINK = "Give the video link as an https:// address."


def check_details(event: Event) -> None:
    """Refuse, naming the field, a detail the event cannot store."""
    contact = event.contact
    if contact is not None:
        checked_text(contact.name, field="contact.name", max_length=MAX_NAME)
        if not contact.name.strip():
            raise ValidationError({"contact.name": NO_NAME})
        checked_text(contact.title, field="contact.title", max_length=MAX_TITLE)
        checked_text(contact.unit, field="contact.unit", max_length=MAX_NAME)
        if PHONE.fullmatch(contact.phone) is None:
            raise ValidationError({"contact.phone": BAD_PHONE})
    meeting = event.meeting
    if meeting is not None:
        checked_text(meeting.place, field="meeting.place", max_length=MAX_ADDRESS)
        link = meeting.video_link
        if link and (len(link) > MAX_LINK or LINK.fullmatch(link) is None):
            raise ValidationError({"meeting.video_link": BAD_LINK})

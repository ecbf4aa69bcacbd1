"""A rulebook's care-type group by the name readers know, for every document that shows one (the
invoice basis and the monthly report alike)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def gettext_noop(msgid: str) -> str:
    """Marks a msgid for makemessages, as Django's does, without Django's settings: the command
    line reads these names too (tables.py, through `lib.swedish`)."""
    return msgid


GROUPS = {
    "all": gettext_noop("all care types"),
    "somatic": gettext_noop("somatic care"),
    "psychiatric": gettext_noop("psychiatric care"),
    "geriatric": gettext_noop("geriatric care"),
}


def group_text(name: str) -> str:
    """A rulebook group's name in the reader's language ("all" → "alla vårdformer")."""
    return _(GROUPS[name]) if name in GROUPS else name


def rulebook_name(title: str) -> str:
    """A rulebook's title in the reader's language (the shipped titles are Swedish but one)."""
    return _(title)

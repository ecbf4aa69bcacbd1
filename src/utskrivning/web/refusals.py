"""A refusal of the domain or a service (English: the API's and the CLI's words) in the reader's
language, at the web edge. Fixed sentences are msgids of the web's catalogue, as the process's
are; a sentence with a value in it is matched to its template here and the value kept."""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The domain's sentences with a value (`domain.identity._no_such_date`, `imports.services._ward`).
_TEMPLATES: list[tuple[re.Pattern[str], Promise]] = [
    (
        re.compile(r"no such date (?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"),
        gettext_lazy("no such date %(date)s"),
    ),
    (
        re.compile(r"(?P<count>[0-9]+) wards of the region have this name: (?P<names>.+)"),
        gettext_lazy("%(count)s wards of the region have this name: %(names)s"),
    ),
    (
        re.compile(r"At most (?P<count>[0-9]+) characters\."),
        gettext_lazy("At most %(count)s characters."),
    ),
    (
        re.compile(r"longer than (?P<most>[0-9]+) characters"),
        gettext_lazy("longer than %(most)s characters"),
    ),
    (
        re.compile(
            r"the same stay \(personnummer and admission time\) is already present as episode "
            r"(?P<episode>.+)"
        ),
        gettext_lazy(
            "the same stay (personnummer and admission time) is already present as episode "
            "%(episode)s"
        ),
    ),
    (
        re.compile(
            r"The patient already has an open stay: episode (?P<episode>.+) on (?P<ward>.+), "
            r"admitted (?P<since>[0-9-]{10} [0-9:]{5})\. Discharge it before admitting again\."
        ),
        gettext_lazy(
            "The patient already has an open stay: episode %(episode)s on %(ward)s, admitted "
            "%(since)s. Discharge it before admitting again."
        ),
    ),
    (
        re.compile(r"A month is YYYY-MM, from (?P<first>[0-9]{4}) to (?P<last>[0-9]{4})\."),
        gettext_lazy("A month is YYYY-MM, from %(first)s to %(last)s."),
    ),
    (
        re.compile(r"longer than (?P<most>[0-9]+) characters \((?P<count>[0-9]+)\)\."),
        gettext_lazy("longer than %(most)s characters (%(count)s)."),
    ),
    (
        re.compile(r"contains a control character \((?P<code>U\+[0-9A-F]{4,6})\)\."),
        gettext_lazy("contains a control character (%(code)s)."),
    ),
]


def refusal(text: str) -> str:
    """`text` translated: its template's, with the values it names, else the sentence's own."""
    for pattern, template in _TEMPLATES:
        if found := pattern.fullmatch(text):
            return str(template) % found.groupdict()
    return _(text) if text else text

"""Dates and times typed as a Swede writes them, whatever the browser's own language.

A browser draws `<input type="date">` (and `month`, `datetime-local`) in its own interface
language, not the page's: Chromium in English shows "mm/dd/yyyy" on a Swedish page, and a nurse
who types 03/04 has typed a different day. So every date of the service is a text field with the
format beside it ("ÅÅÅÅ-MM-DD"), ASCII digits checked by `pattern`, and the server reading the
same text (`lib.digits.local_minute`, the forms' `input_formats`) and refusing anything else.
"""

from __future__ import annotations

from typing import Any, Literal

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

Kind = Literal["date", "month", "minute"]

# What the field takes: a pattern in ASCII digits, its length, and the hint the reader sees.
_FORMATS: dict[str, tuple[str, int, Any]] = {
    "date": ("[0-9]{4}-[0-9]{2}-[0-9]{2}", 10, gettext_lazy("YYYY-MM-DD")),
    "month": ("[0-9]{4}-[0-9]{2}", 7, gettext_lazy("YYYY-MM")),
    # A browser's datetime-local wrote a T; a person writes a space. The server reads both.
    "minute": (
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}",
        16,
        gettext_lazy("YYYY-MM-DD HH:MM"),
    ),
}


def hint(kind: Kind) -> Any:
    """The format in the reader's language: "ÅÅÅÅ-MM-DD"."""
    return _FORMATS[kind][2]


def date_attrs(kind: Kind) -> dict[str, Any]:
    """A text input's attributes for a date of `kind` (a Django widget's `attrs`)."""
    pattern, length, shown = _FORMATS[kind]
    return {
        "type": "text",
        "pattern": pattern,
        "maxlength": length,
        "size": length + 2,
        "placeholder": shown,
        "autocomplete": "off",
        "spellcheck": "false",
        "class": "date-input",
    }


def date_input(
    name: str, kind: Kind, value: object = "", *, id: str, required: bool = False
) -> SafeString:
    """The hint and the input, for a template's own form: the hint is the input's description."""
    attrs = date_attrs(kind)
    return format_html(
        '<span class="date-hint" id="{}-hint">{}</span> <input class="ds-input date-input" '
        'type="text" id="{}" name="{}" value="{}" pattern="{}" maxlength="{}" size="{}" '
        'placeholder="{}" autocomplete="off" spellcheck="false" aria-describedby="{}-hint"{}>',
        id, attrs["placeholder"], id, name, value or "", attrs["pattern"], attrs["maxlength"],
        attrs["size"], attrs["placeholder"], id, SafeString(" required") if required else "",
    )  # fmt: skip

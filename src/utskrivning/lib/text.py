"""Free text from outside: bounded, and only characters every database stores.

PostgreSQL refuses NUL in text and a lone surrogate cannot be encoded as UTF-8, so either gave a
500 on one database and was stored on the other; a length unchecked in code is enforced by
PostgreSQL's `varchar(n)` (a 500 again) and by SQLite not at all. So each service checks its text
here, the same on both, and refuses it naming the field. The bidirectional embeddings, overrides
and isolates count as control characters: one in a note or a name turns the rest of its line
around on every screen showing it, so the text reads as another than it is; right-to-left letters
need none of them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from utskrivning.domain.refusals import Refusal

MAX_NAME = 200  # a patient's or an API key's name
MAX_ADDRESS = 300
MAX_NOTE = 4000  # a deviation, a dispute, an answer: a paragraph, not a document

_LINE_BREAKS = frozenset("\t\n\r")
_DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def text_problem(value: str, *, max_length: int, multiline: bool = False) -> Refusal | None:
    """Why `value` cannot be stored as text, or None."""
    if len(value) > max_length:
        return Refusal(
            "longer than %(most)s characters (%(count)s).", most=max_length, count=len(value)
        )
    for char in value:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return Refusal("contains an invalid character (a lone surrogate).")
        control = code < 0x20 or 0x7F <= code < 0xA0 or char in _DIRECTION_CONTROLS
        if control and not (multiline and char in _LINE_BREAKS):
            return Refusal("contains a control character (%(code)s).", code=f"U+{code:04X}")
    return None


def refused(field: str, refusal: Refusal) -> ValidationError:
    """A ValidationError naming `field`, its message the template and its params the values:
    the API formats it (English), a page translates the template (web.refusals)."""
    return ValidationError({field: ValidationError(refusal.template, params=dict(refusal.values))})


def checked_text(value: str, *, field: str, max_length: int, multiline: bool = False) -> str:
    """`value` if it can be stored; else a ValidationError naming `field`."""
    problem = text_problem(value, max_length=max_length, multiline=multiline)
    if problem is not None:
        raise refused(field, problem)
    return value


def printable(value: str, *, max_length: int) -> str:
    """A label we keep but do not refuse (an uploaded file's name): unstorable characters
    dropped, cut to the column's length."""
    kept = "".join(c for c in value if text_problem(c, max_length=1) is None)
    return kept[:max_length]

"""The service's Swedish catalogue for the command line, which runs without Django's settings.

The screens translate through Django's i18n; the command's tables and warnings are read by the
same people, so they take their Swedish from the same compiled catalogues (`*/locale/sv`), read
with the standard library's `gettext`, instead of a second copy of the words.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def _catalogue() -> gettext.NullTranslations:
    """The web's catalogue first, then every other app's, as Django merges them."""
    paths = sorted(_PACKAGE.glob("*/locale/sv/LC_MESSAGES/django.mo"))
    paths.sort(key=lambda path: path.parts[-5] != "web")
    catalogue = gettext.NullTranslations()
    for path in reversed(paths):
        with path.open("rb") as handle:
            found = gettext.GNUTranslations(handle)
        found.add_fallback(catalogue)
        catalogue = found
    return catalogue


def swedish(msgid: str) -> str:
    """`msgid` in Swedish, or as it is when the catalogues do not have it."""
    return _catalogue().gettext(msgid)

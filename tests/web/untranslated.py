"""What an English reader would recognise on a page meant to be Swedish.

Two nets: every English msgid of our catalogues whose Swedish differs (its literal words, between
the placeholders), and a list of English words the engine's and the rulebooks' sentences are made
of, which no catalogue holds when a text bypasses translation altogether ("Still in hospital").
"""

from __future__ import annotations

import io
import re
import subprocess
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import openpyxl

import utskrivning

# Words a Swedish page has no use for; each would show an English sentence that slipped through.
ENGLISH_WORDS = frozenset(
    """the and of with from for this that which is are was were be been not no yet still into
    than then when where what who why how any each every only also must may should will would
    could does did has have had its it's their there these those our your you episode episodes
    invoice invoices month months day days ready readiness liable threshold average billed
    individually counted stage group rulebook care type hospital discharge discharged
    admission notice municipality municipalities region primary inpatient deadline deadlines
    missed party parties amount total reason reasons grace calendar weekdays precondition
    preconditions assumption assumptions payment none error errors wrong digit check page
    previous next""".split()  # noqa: SIM905
)
# Words both languages write alike, or names: not a sign of English.
SHARED = frozenset({"SIP", "API", "XLSX", "PDF", "CSV", "HSA", "English", "OK", "Status", "Region"})
_WORD = re.compile(r"[A-Za-zÅÄÖåäöÉé]+(?:'[a-z]+)?")
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_0-9]*\}")


def _po_entries(path: Path) -> list[tuple[str, str]]:
    """(msgid, msgstr) of a .po file: the first plural form, no context, continued lines joined."""
    entries, current, field = [], {"msgid": "", "msgstr": ""}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current["msgid"]:
                entries.append((current["msgid"], current["msgstr"]))
            current, field = {"msgid": "", "msgstr": ""}, None
            continue
        found = re.match(
            r'(msgid|msgstr(?:\[0\])?|msgid_plural|msgctxt|msgstr\[[1-9]\]) "(.*)"$', line
        )
        if found:
            name = found.group(1)
            field = {"msgstr[0]": "msgstr"}.get(name, name)
            if field in current:
                current[field] = found.group(2)
        elif line.startswith('"') and field in current:
            current[field] += line[1:-1]
    return entries


@cache
def english_phrases() -> tuple[str, ...]:
    """The literal parts of every msgid translated into something else, longest first."""
    root = Path(utskrivning.__file__).parent
    phrases = set()
    for po in root.glob("*/locale/sv/LC_MESSAGES/django.po"):
        for msgid, msgstr in _po_entries(po):
            if not msgstr or msgstr == msgid:
                continue
            for part in _PLACEHOLDER.split(msgid.replace('\\"', '"')):
                part = part.strip(" .,:;()–-\"'")
                words = _WORD.findall(part)
                if words and any(len(w) >= 3 for w in words) and part not in SHARED:
                    phrases.add(part)
    return tuple(sorted(phrases, key=len, reverse=True))


class _Text(HTMLParser):
    """The text a user reads or hears: the body's text and the labels of its attributes."""

    # <code>: a name the reader types as it is (a file's column), not a sentence to translate.
    SKIP = frozenset({"script", "style", "template", "code"})
    SPOKEN = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        for name, value in attrs:
            if name in self.SPOKEN and value:
                self.parts.append(value)
            if tag == "input" and name == "value" and ("type", "submit") in attrs and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    # <title> is read out too; the language switch names English in English on purpose.
    return [p for p in parser.parts if p != "English"]


@cache
def _phrases() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(p) for p in english_phrases())
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])")


def untranslated(html: str) -> list[str]:
    """Each piece of the page's text that is English: the msgid found, or the English words."""
    return untranslated_texts(visible_text(html))


def file_texts(content: bytes, suffix: str) -> list[str]:
    """The text a downloaded file shows: a workbook's text cells, a PDF's lines."""
    if suffix == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return [
            cell
            for sheet in book
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if isinstance(cell, str) and cell.strip()
        ]
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return [line.strip() for line in text.splitlines() if line.strip()]


def untranslated_texts(texts: list[str]) -> list[str]:
    """Each of `texts` that is English: the msgid found, or the English words."""
    found = []
    for text in texts:
        hits = _phrases().findall(text)
        # An identifier (a rulebook's field, day_rate_2026, an episode's hex id 4be3…) is a name,
        # not English prose.
        prose = re.sub(r"\w*(?:_|[0-9])\w*", "", text)
        words = [w for w in _WORD.findall(prose) if w.lower() in ENGLISH_WORDS and w not in SHARED]
        if hits or words:
            found.append(f"{text!r}: {', '.join(hits[:3] + words[:5])}")
    return found

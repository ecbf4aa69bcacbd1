"""Approved documents keep their reasons and assumptions as codes and values, not sentences.

A month approved before the codes stored each reason and assumption as the engine's English
sentence, which a Swedish page could only show as it was (or match back with regular
expressions at every read). This reads each stored sentence once, by the sentences the engine
wrote then (frozen here, as a migration must not follow later code), into its code and values,
keeping the sentence itself as the code's `text`: what was approved is never lost, and
`payment.document.from_json` reads every document alike. A sentence no pattern knows is kept as
code `text`. A parameter's note gets its unit (`_unit`), in which a page shows the amount. Going back restores the reasons' sentences.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import migrations

_NOTES = [
    ("parameter_assumed", r"(?P<name>[a-z_0-9]+) = (?P<value>\S+) \((?P<description>.+)\) "
                          r"is an assumption: (?P<text>.+)"),
    ("parameter_set", r"(?P<name>[a-z_0-9]+) = (?P<value>\S+) was set for this run \(--set; "
                      r"the rulebook's (?P<was>\S+)\): (?P<description>.+)"),
    ("parameter_added", r"(?P<name>[a-z_0-9]+) = (?P<value>\S+) was set for this run \(--set; "
                        r"not in the rulebook\): (?P<description>.+)"),
    ("day_rate_set", r"the day rate (?P<rate>[0-9.]+) SEK was set for this run \(--day-rate\)"),
    ("county_average", r"the threshold (?P<days>[0-9.]+) is the county average "
                       r"(?P<first>[0-9-]+) – (?P<last>[0-9-]+) computed from this file "
                       r"\((?P<count>[0-9]+) episodes in (?P<municipalities>[0-9]+) "
                       r"municipalities, (?P<mean>[0-9.]+) days, cap (?P<cap>[0-9.]+)\), as "
                       r"(?P<name>\S+) is not set"),
    ("rulebook", r"(?P<field>[a-z_]+): (?P<text>.+)"),
]  # fmt: skip
_FIXED_REASONS = {
    "the rulebook is not in force in this month": "not_in_force",
    "no readiness notification: not a ready patient": "never_ready",
    "contact not closed with status UTFÖRD": "not_done",
    "day zero: zero-day patients are left out": "zero_day",
    "counted in the month's average": "counted",
    "no episode beyond its grace days": "none_beyond_grace",
}
_REASONS = [
    ("individual_over", r"more than (?P<over>[0-9]+) ready days: billed individually for the "
                        r"days beyond (?P<beyond>[0-9]+)"),
    ("grace", r"(?P<days>[0-9]+) grace days, then every calendar day until discharge"),
    ("grace_notified", r"(?P<days>[0-9]+) grace days, the rule in force on the notification "
                       r"date, then every calendar day"),
    ("no_invoicing", r"stage '(?P<stage>.*)' sends no invoices"),
    ("preconditions_failed", r"preconditions not met: (?P<failed>.+)"),
    ("rulebook_not_in_force", r"(?P<rulebook>\S+) is not in force in (?P<month>[0-9]{4}-[0-9]{2})"),
    ("average_exceeds", r"average (?P<average>[0-9.]+) exceeds the threshold "
                        r"(?P<threshold>[0-9.]+)"),
    ("average_within", r"average (?P<average>[0-9.]+) does not exceed the threshold "
                       r"(?P<threshold>[0-9.]+)"),
    ("none_counted", r"no counted episodes does not exceed the threshold (?P<threshold>[0-9.]+)"),
    ("two_of_three", r"(?P<liable>(?:not )?)liable by two of the last three months "
                     r"\((?P<history_1>1 month\(s\) before: [^;]+); "
                     r"(?P<history_2>2 month\(s\) before: [^;]+)\)"),
    ("billed_individually", r"(?P<episodes>[0-9]+) episode\(s\) billed individually for "
                            r"(?P<days>[0-9]+) day\(s\)"),
]  # fmt: skip
_PRECONDITIONS = {
    "no admission notice": "missing_admission_notice",
    "no readiness notification": "missing_readiness",
    "no named care contact in primary care before discharge": "missing_named_contact",
    "SIP needed but not summoned": "missing_sip_summons",
    "admission notice sent after discharge": "late_admission_notice",
    "SIP summoned after discharge": "late_sip_summons",
}
_HISTORY = [
    ("missing", r"[12] month\(s\) before: history missing"),
    ("exceeded", r"[12] month\(s\) before: average (?P<average>[0-9.]+), exceeded"),
    ("within", r"[12] month\(s\) before: average (?P<average>[0-9.]+), did not exceed"),
    ("none_counted", r"[12] month\(s\) before: no counted episodes, did not exceed"),
]


def _coded(code: str, values: dict[str, str], text: str) -> dict[str, Any]:
    return {"code": code, "values": values, "text": text}


def _as_text(text: str) -> dict[str, Any]:
    return _coded("text", {"text": text}, text)


def _unit(values: dict[str, str]) -> str:
    """A parameter's unit as the shipped rulebooks give it: yes/no by its value, SEK for a day
    rate, days (a threshold, a county average) otherwise."""
    if values["value"] in ("true", "false"):
        return "yes_no"
    if values["name"].startswith("day_rate") or "SEK" in values["description"]:
        return "sek"
    return "days"


def _with_unit(note: dict[str, Any]) -> dict[str, Any]:
    values = note["values"]
    if note["code"].startswith("parameter_") and "unit" not in values:
        return {**note, "values": {**values, "unit": _unit(values)}}
    return note


def _note(stored: Any) -> dict[str, Any]:
    if isinstance(stored, dict):
        return _with_unit(stored)
    for code, pattern in _NOTES:
        if found := re.fullmatch(pattern, stored, re.S):
            return _with_unit(_coded(code, found.groupdict(), stored))
    return _as_text(stored)


def _history(text: str, n: int) -> dict[str, str] | None:
    for verdict, pattern in _HISTORY:
        if found := re.fullmatch(pattern, text):
            return {f"month_{n}": verdict, f"average_{n}": found.groupdict().get("average") or ""}
    return None


def _reason(text: str) -> dict[str, Any]:
    if text in _FIXED_REASONS:
        return _coded(_FIXED_REASONS[text], {}, text)
    for code, pattern in _REASONS:
        found = re.fullmatch(pattern, text)
        if found is None:
            continue
        values = found.groupdict()
        if code == "preconditions_failed":
            failed = [_PRECONDITIONS.get(item) for item in values["failed"].split(", ")]
            if None in failed:
                return _as_text(text)
            return _coded(code, {"failed": ",".join(str(f) for f in failed)}, text)
        if code == "two_of_three":
            coded = {"liable": "false" if values["liable"] else "true"}
            for n in (1, 2):
                month = _history(values[f"history_{n}"], n)
                if month is None:
                    return _as_text(text)
                coded |= month
            return _coded(code, coded, text)
        return _coded(code, values, text)
    return _as_text(text)


def _parts(text: str) -> list[str]:
    """An invoice's reason split at its "; ", not at those inside the two-of-three's brackets."""
    parts, depth, start = [], 0, 0
    for at, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and text.startswith("; ", at):
            parts.append(text[start:at])
            start = at + 2
    return [*parts, text[start:]] if text else []


def _line(line: dict[str, Any]) -> dict[str, Any]:
    reason = line["reason"]
    if isinstance(reason, str):
        line = {**line, "reason": _reason(reason) if reason else None}
    return line


def _forwards(document: dict[str, Any]) -> dict[str, Any]:
    sections = []
    for section in document["sections"]:
        reason = section["reason"]
        if isinstance(reason, str):
            reason = {"parts": [_reason(part) for part in _parts(reason)], "text": reason}
        sections.append({**section, "reason": reason, "lines": list(map(_line, section["lines"]))})
    return {
        **document,
        "sections": sections,
        "assumptions": list(map(_note, document["assumptions"])),
        "corrections": list(map(_line, document["corrections"])),
        "left_out": list(map(_line, document["left_out"])),
    }


def _sentence(stored: Any) -> Any:
    return stored["text"] if isinstance(stored, dict) else ("" if stored is None else stored)


def _backwards(document: dict[str, Any]) -> dict[str, Any]:
    """The reasons as sentences again; the notes stay coded, which the code before read too."""

    def line(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "reason": _sentence(data["reason"])}

    return {
        **document,
        "sections": [
            {**s, "reason": _sentence(s["reason"]), "lines": list(map(line, s["lines"]))}
            for s in document["sections"]
        ],
        "corrections": list(map(line, document["corrections"])),
        "left_out": list(map(line, document["left_out"])),
    }


def _rewrite(apps: Any, change: Any) -> None:
    approved = apps.get_model("payment", "ApprovedBasis")
    for approval in approved.objects.only("document").iterator():
        approval.document = change(approval.document)
        approval.save(update_fields=["document"])


def forwards(apps: Any, schema_editor: Any) -> None:
    _rewrite(apps, _forwards)


def backwards(apps: Any, schema_editor: Any) -> None:
    _rewrite(apps, _backwards)


class Migration(migrations.Migration):
    dependencies = [("payment", "0003_approved_basis")]

    operations = [migrations.RunPython(forwards, backwards)]

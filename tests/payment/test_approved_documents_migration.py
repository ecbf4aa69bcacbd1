"""Months approved before the codes stored the engine's English sentences; the data migration
(payment/migrations/0004) reads each once into its code and values, so the page, the PDF and the
workbook say an approved month in Swedish as they do an open one, and keeps every sentence as it
was approved."""

from __future__ import annotations

import importlib
from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from django.utils import translation

from domain.payment.frames import frame, stay
from domain.payment.test_stockholm import covers_etapp_1
from utskrivning.domain.demo import generate_episodes
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.payment import PaymentResult, compute_payment
from utskrivning.domain.payment.notes import NoteCode
from utskrivning.domain.payment.reasons import ReasonCode
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.payment.document import (
    DocumentLine,
    InvoiceDocument,
    from_json,
    section,
    to_json,
)
from utskrivning.payment.texts import assumption_text, line_reason, reason_text

migration = importlib.import_module(
    "utskrivning.payment.migrations.0004_approved_documents_by_code"
)


def _document(result: PaymentResult) -> InvoiceDocument:
    return InvoiceDocument(
        sender="Region", recipient="Kommun", code="2080", month="2019-03",
        rulebook_id=result.rulebook.id, rulebook_title="X", rulebook_version="1",
        sections=tuple(section(invoice, {}) for invoice in result.invoices()),
        assumptions=tuple(result.assumption_notes()),
    )  # fmt: skip


def _as_approved_before_the_codes(stored: dict[str, Any], *, notes_coded: bool) -> dict[str, Any]:
    """The stored copy as the code before wrote it: every reason its sentence ("" for a line no
    patient owns); the notes sentences too, or (from a9373bf on) coded but with no unit."""

    def line(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "reason": "" if data["reason"] is None else data["reason"]["text"]}

    notes = [
        {**n, "values": {k: v for k, v in n["values"].items() if k != "unit"}}
        if notes_coded
        else n["text"]
        for n in stored["assumptions"]
    ]
    return {
        **stored,
        "sections": [
            {**s, "reason": s["reason"]["text"], "lines": list(map(line, s["lines"]))}
            for s in stored["sections"]
        ],
        "assumptions": notes,
    }


def _results() -> list[PaymentResult]:
    """Every kind of reason and note: a year of demo episodes under the law (grace days by the
    notification date, preconditions), Dalarna (two of three months, individually), Stockholm
    2018 (a stage that sends no invoices), and Stockholm 2020 with the county average from the
    file, a parameter set for the run and a --day-rate."""

    def year(year: int) -> pl.DataFrame:
        text = generate_episodes(3000, year, seed=5).write_csv().encode()
        return read_episodes(text, skip_invalid=True).frame

    rows = [stay(2, "2020-06-20"), stay(2, "2020-11-20"), *covers_etapp_1()]
    stockholm = load_rulebook("stockholm-2020", {"threshold_psychiatry_2": "1.5"})
    return [
        *(compute_payment(year(y), load_rulebook(r), day_rate=Decimal(8200))
          for r, y in (("law-2017-612", 2019), ("dalarna-2020", 2020), ("stockholm-2018", 2019))),
        compute_payment(frame(*rows), stockholm, day_rate=Decimal("8200.50")),
    ]  # fmt: skip


def _coded(line: DocumentLine) -> tuple[str, object] | None:
    return None if line.reason is None else (line.reason.code, line.reason.values)


@pytest.mark.parametrize("notes_coded", [False, True])
def test_an_approved_document_of_sentences_reads_back_by_its_codes(notes_coded):
    codes = set()
    for result in _results():
        stored = to_json(_document(result))
        approved = from_json(migration._forwards(
            _as_approved_before_the_codes(stored, notes_coded=notes_coded)
        ))  # fmt: skip
        expected = from_json(stored)
        for got, want in zip(approved.sections, expected.sections, strict=True):
            assert got.reason.parts == want.reason.parts
            assert [p.values for p in got.reason.parts] == [p.values for p in want.reason.parts]
            assert list(map(_coded, got.lines)) == list(map(_coded, want.lines))
            codes |= {p.code for p in got.reason.parts} | {li.reason.code for li in got.lines
                                                            if li.reason is not None}  # fmt: skip
        assert [(n.code, dict(n.values)) for n in approved.assumptions] == [
            (n.code, dict(n.values)) for n in expected.assumptions
        ]
    # Every code the engine gives was met and read back, none left as a bare sentence.
    assert ReasonCode.TEXT not in codes
    assert {ReasonCode.GRACE_NOTIFIED, ReasonCode.TWO_OF_THREE, ReasonCode.NO_INVOICING,
            ReasonCode.PRECONDITIONS_FAILED, ReasonCode.BILLED_INDIVIDUALLY} <= codes  # fmt: skip


def test_an_approved_month_reads_in_swedish_and_keeps_its_sentences():
    result = _results()[-1]
    stored = to_json(_document(result))
    older = _as_approved_before_the_codes(stored, notes_coded=False)
    migrated = migration._forwards(older)
    # What was approved is kept word for word beside the codes.
    assert [s["reason"]["text"] for s in migrated["sections"]] == [
        s["reason"] for s in older["sections"]
    ]
    assert [n["text"] for n in migrated["assumptions"]] == older["assumptions"]
    document = from_json(migrated)
    notes = [n for n in document.assumptions if n.code is not NoteCode.RULEBOOK]
    with translation.override("sv"):
        assert {assumption_text(n) for n in notes} >= {
            "Dygnskostnaden 8 200,50 kr angavs för den här beräkningen",
        }
        reasons = [reason_text(s.reason) for s in document.sections]
        lines = [line_reason(li.reason, li.moved_by, li.moved_days) for li in document.lines]
    assert any("överstiger" in r for r in reasons)
    assert "räknas i månadens genomsnitt" in lines
    # Going back gives the sentences again.
    assert migration._backwards(migrated)["sections"] == older["sections"]


def test_a_sentence_no_pattern_knows_is_kept_as_its_text():
    assert migration._reason("something the engine once wrote") == {
        "code": "text", "values": {"text": "something the engine once wrote"},
        "text": "something the engine once wrote",
    }  # fmt: skip
    assert migration._parts("a; b (c; d); e") == ["a", "b (c; d)", "e"]

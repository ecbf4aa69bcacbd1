"""An invoice's assumptions travel as codes and values (domain.payment.notes), not as sentences
a screen matches back: the files keep the English sentence (the JSON contract), each reader gets
its own words from the code (lib.note_texts), a stored document keeps the codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from domain.payment.frames import frame, stay
from domain.payment.test_stockholm import covers_etapp_1
from utskrivning.domain.payment import compute_payment
from utskrivning.domain.payment.export import to_json_dict
from utskrivning.domain.payment.notes import TEMPLATES, Note, NoteCode
from utskrivning.domain.rulebooks import load_rulebook
from utskrivning.lib.note_texts import MSGIDS, PAGE_MSGIDS, note_text
from utskrivning.lib.swedish import swedish
from utskrivning.payment.document import InvoiceDocument, from_json, to_json
from utskrivning.payment.texts import assumption_text


@pytest.fixture
def result():
    """Stockholm 2020 in November with the county average from the file, a --day-rate and a
    parameter set for the run: every kind of note but the rulebook's own."""
    rows = [stay(2, "2020-06-20"), stay(2, "2020-11-20"), *covers_etapp_1()]
    rulebook = load_rulebook("stockholm-2020", {"threshold_psychiatry_2": "1.5"})
    return compute_payment(frame(*rows), rulebook, day_rate=Decimal("8200.50"))


def test_each_sentence_of_the_files_has_its_code(result):
    notes = result.assumption_notes()
    assert [str(n) for n in notes] == result.assumptions()
    codes = {n.code for n in notes}
    assert {NoteCode.RULEBOOK, NoteCode.DAY_RATE_SET, NoteCode.COUNTY_AVERAGE} <= codes
    assert NoteCode.TEXT not in codes  # every sentence the run wrote is known by its code
    # The JSON contract: the same English sentences as before the codes.
    data = to_json_dict(result)
    assert data["assumptions"] == result.assumptions()
    assert any(a.startswith("the day rate 8200.50 SEK was set") for a in data["assumptions"])


def test_every_code_has_its_words_for_a_reader():
    assert set(TEMPLATES) - set(MSGIDS) == {NoteCode.RULEBOOK, NoteCode.TEXT}
    assert set(PAGE_MSGIDS) == set(MSGIDS)


@pytest.mark.parametrize(
    ("note", "swedish", "english"),
    [
        (Note.of(NoteCode.PARAMETER_SET, name="threshold", value="2.4", was="3.0", unit="days",
                 description="the limit for a month's average ready days, somatic care, etapp 1"),
         "Gränsen för månadens genomsnittliga utskrivningsklara dagar, somatisk vård, etapp 1: "
         "2,40 dagar i den här beräkningen, i stället för regelverkets 3,00 dagar",
         "The limit for a month's average ready days, somatic care, etapp 1: 2.4 days for this "
         "calculation, instead of the rulebook's 3.0 days"),
        (Note.of(NoteCode.PARAMETER_ADDED, name="day_rate_2021", value="8900", unit="sek",
                 description="Socialstyrelsen's day rate"),
         "Socialstyrelsens belopp per vårddygn: 8 900 kr i den här beräkningen, finns inte i "
         "regelverket",
         "Socialstyrelsen's day rate: 8900 SEK for this calculation, not in the rulebook"),
        (Note.of(NoteCode.PARAMETER_ASSUMED, name="day_rate_2026", value="9300", unit="sek",
                 description="Socialstyrelsen's amount per care day 2022",
                 text="Dalarna §11 has no later figure"),
         "Socialstyrelsens belopp per vårddygn 2022: 9 300 kr, ett antagande: Dalarna §11 has no "
         "later figure",
         "Socialstyrelsen's amount per care day 2022: 9300 SEK, an assumption: Dalarna §11 has "
         "no later figure"),
        (Note.of(NoteCode.DAY_RATE_SET, rate="8200.50"),
         "Dygnskostnaden 8 200,50 kr angavs för den här beräkningen",
         "The day rate 8200.50 SEK was set for this calculation"),
        (Note.of(NoteCode.RULEBOOK, field="cutoff",
                 text="The page sets no time of day; the date of the notification is day 1"),
         "Sidan anger ingen tid på dygnet; meddelandets datum är dag 1",
         "The page sets no time of day; the date of the notification is day 1"),
    ],
)  # fmt: skip
def test_a_page_says_each_code_in_its_language_without_code_names(note, swedish, english):
    """A parameter set for the run was shown in English on a page: no template matched it; an
    assumed one as its name (`day_rate_2026 = 9300 …`) where the reader sets nothing."""
    with translation.override("sv"):
        assert assumption_text(note) == swedish
    with translation.override("en"):
        assert assumption_text(note) == english
    for text in (swedish, english):
        assert "day_rate_" not in text and "threshold =" not in text and "--" not in text


def test_the_command_line_names_what_its_reader_may_set():
    note = Note.of(
        NoteCode.PARAMETER_ASSUMED, name="day_rate_2026", value="9300", unit="sek",
        description="Socialstyrelsen's day rate", text="no published figure",
    )  # fmt: skip
    assert note_text(note, swedish, swedish=True, command_line=True) == (
        "day_rate_2026 = 9300 (Socialstyrelsens belopp per vårddygn) är ett antagande: "
        "no published figure"
    )
    assert str(note) == (  # the files' English sentence: the contract
        "day_rate_2026 = 9300 (Socialstyrelsen's day rate) is an assumption: no published figure"
    )


def _document(assumptions) -> InvoiceDocument:
    return InvoiceDocument(
        sender="Region", recipient="Falun", code="2080", month="2020-11", rulebook_id="x",
        rulebook_title="X", rulebook_version="1", sections=(), assumptions=tuple(assumptions),
    )  # fmt: skip


def test_a_stored_document_keeps_the_codes(result):
    notes = result.assumption_notes()
    stored = to_json(_document(notes))
    assert stored["assumptions"][0]["code"] == str(notes[0].code)
    assert stored["assumptions"][0]["text"] == str(notes[0])  # the sentence approved, kept
    assert from_json(stored).assumptions == tuple(notes)

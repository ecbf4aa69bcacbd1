"""The engine's reasons on Swedish screens and PDFs: each said from its code and values."""

from __future__ import annotations

import pytest
from django.utils import translation

from utskrivning.domain.payment import explain, reasons
from utskrivning.domain.payment.reasons import (
    Basis,
    Reason,
    ReasonCode,
    Reasons,
    preconditions_failed,
)
from utskrivning.lib.payment_words import BASES, LEFT_OUT
from utskrivning.lib.swedish import swedish as lib_swedish
from utskrivning.payment.texts import basis_text, explanation_step, line_reason, reason_text
from utskrivning.web.labels import label


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_a_reason_is_translated_with_its_values():
    reason = Reason(ReasonCode.INDIVIDUAL_OVER, over=7, beyond=3)
    assert str(reason) == "more than 7 ready days: billed individually for the days beyond 3"
    assert (
        reason_text(reason)
        == "fler än 7 utskrivningsklara dagar: debiteras individuellt för dagarna utöver 3"
    )


def test_failed_preconditions_are_translated_one_by_one():
    reason = preconditions_failed(["missing_admission_notice", "missing_sip_summons"])
    assert str(reason) == "preconditions not met: no admission notice, SIP needed but not summoned"
    assert reason_text(reason) == (
        "förutsättningarna är inte uppfyllda: inget inskrivningsmeddelande, "
        "SIP behövs men är inte kallad"
    )


def test_the_line_says_which_step_moved_day_one_and_by_how_much():
    assert line_reason(Reason(ReasonCode.COUNTED), reasons.MOVED_BY_SIP_SUMMONS, 4) == (
        "räknas i månadens genomsnitt; dag 1 flyttad 4 dag(ar) av SIP-kallelsen"
    )


def _every_reason() -> list[str]:
    return [*reasons.TEMPLATES.values(), reasons.NOT_LIABLE_BY_TWO_OF_THREE,
            *reasons.HISTORY.values(), *reasons.PRECONDITIONS.values()]  # fmt: skip


@pytest.mark.parametrize("template", _every_reason())
def test_every_template_has_a_translation(template):
    assert template == "%(text)s" or translation.gettext(template) != template


def test_a_sentence_known_only_as_its_text_is_shown_as_it_is():
    assert reason_text(Reason(ReasonCode.TEXT, text="something else")) == "something else"


def test_an_invoice_s_reason_from_the_engine_reads_in_swedish():
    """The engine's own reason for Dalarna's March (two of three months, one billed alone):
    English in the files, Swedish from its codes on a page, no sentence matched back."""
    from utskrivning.domain.episodes import read_episodes
    from utskrivning.domain.payment import compute_payment
    from utskrivning.domain.rulebooks import load_rulebook

    from .test_closed_months import FILE

    frame = read_episodes(FILE.replace(",Avdelning 12", ",").encode()).frame
    [invoice] = compute_payment(frame, load_rulebook("dalarna-2020"), months=["2020-03"]).invoices()
    assert invoice.reason == (
        "average 4.00 exceeds the threshold 2.00; liable by two of the last three months "
        "(1 month(s) before: average 5.00, exceeded; 2 month(s) before: history missing); "
        "1 episode(s) billed individually for 7 day(s)"
    )
    assert [part.code for part in invoice.reason.parts] == [
        ReasonCode.AVERAGE_EXCEEDS, ReasonCode.TWO_OF_THREE, ReasonCode.BILLED_INDIVIDUALLY
    ]  # fmt: skip
    assert reason_text(invoice.reason) == (
        "medelvärdet 4,00 överstiger gränsen 2,00; betalningsansvar enligt två av de tre senaste "
        "månaderna (1 månad(er) före: medelvärdet 5,00, översteg; 2 månad(er) före: historik "
        "saknas); 1 vårdtillfälle(n) debiterade individuellt för 7 dag(ar)"
    )
    [line] = [li for li in invoice.lines if li.billable_days]
    assert reason_text(line.reason).startswith("fler än 7 utskrivningsklara dagar")


def test_a_month_out_of_force_and_a_month_below_the_threshold():
    out = Reasons([Reason(ReasonCode.RULEBOOK_NOT_IN_FORCE, rulebook="dalarna-2020",
                          month="2019-12")])  # fmt: skip
    assert reason_text(out) == "dalarna-2020 gäller inte 2019-12"
    below = Reasons([Reason(ReasonCode.AVERAGE_WITHIN, average="1.50", threshold="2.00")])
    assert str(below) == "average 1.50 does not exceed the threshold 2.00"
    assert reason_text(below) == "medelvärdet 1,50 överstiger inte gränsen 2,00"
    with translation.override("en"):
        assert reason_text(below) == str(below)


@pytest.mark.parametrize("template", explain.TEMPLATES)
def test_every_step_of_the_explanation_has_its_swedish(template):
    assert translation.gettext(template) != template


def test_an_explanation_step_is_swedish_with_its_values():
    step = explain.Step(explain.GROUP, care_type="somatic", group="all")
    assert str(step) == "Care type somatic: rulebook group 'all'"  # the API's and the CLI's
    assert explanation_step(step) == "Vårdform somatisk: regelbokens grupp alla vårdformer"
    counted = explain.Step(explain.COUNTED_DAYS, days=2, counting="calendar", end="2026-09-27")
    assert explanation_step(counted) == "2 utskrivningsklara dagar (kalenderdagar) före 2026-09-27"
    basis = explain.Step(explain.BASIS, basis=Basis.AVERAGE, reason=Reason(ReasonCode.COUNTED))
    assert explanation_step(basis) == "Grund: genomsnitt – räknas i månadens genomsnitt"


def test_the_run_s_own_notes_are_said_in_swedish():
    """The engine's county-average note and the --day-rate note, as a Stockholm 2020 run writes
    them (the CLI's JSON keeps the English), on a Swedish page."""
    from decimal import Decimal

    from domain.payment.frames import frame, invoice_of, stay
    from domain.payment.test_stockholm import covers_etapp_1
    from utskrivning.domain.payment import compute_payment
    from utskrivning.domain.rulebooks import load_rulebook
    from utskrivning.payment.texts import assumption_text

    rows = [stay(2, "2020-06-20"), stay(2, "2020-11-20"), *covers_etapp_1()]
    result = compute_payment(
        frame(*rows), load_rulebook("stockholm-2020"), day_rate=Decimal("8200.50")
    )
    notes = [result.note(text) for text in invoice_of(result, "2020-11").assumptions]
    county = next(n for n in notes if str(n).startswith("the threshold"))
    rate = next(n for n in notes if str(n).startswith("the day rate"))
    assert assumption_text(county) == (
        "Gränsen 2,00 dagar är länets genomsnitt 2020-01 – 2020-10 beräknat ur underlaget "
        "(1 vårdtillfällen i 1 kommuner, 2,00 dagar, tak 2,00 dagar), eftersom regelverket inte "
        "har det publicerade värdet"
    )
    assert assumption_text(rate) == "Dygnskostnaden 8 200,50 kr angavs för den här beräkningen"


def test_every_shipped_rulebook_is_named_in_swedish():
    """The titles the pages, PDFs and workbooks show: the law's English one translated."""
    from utskrivning.domain.rulebooks import available_rulebooks
    from utskrivning.lib.groups import rulebook_name

    names = {r.id: rulebook_name(r.title) for r in available_rulebooks()}
    assert names["law-2017-612"] == "Lag (2017:612), 5 kap.: lagens eget betalningsansvar"
    assert not any("the " in name for name in names.values()), names


def test_a_line_s_basis_has_one_set_of_words_for_every_reader():
    """The page, the PDF and the service's and the command's workbooks say a basis from one
    table (lib.payment_words.BASES), a line a dispute left out included: the page's label and
    the command line's catalogue read the same Swedish as the PDF and the service's workbook."""
    expected = {
        Basis.AVERAGE: "genomsnitt",
        Basis.INDIVIDUAL: "individuell",
        Basis.EXCLUDED: "utesluten",
        Basis.NOT_LIABLE: "ej betalningsansvar",
        LEFT_OUT: "utelämnad",
    }
    assert set(BASES) == set(expected)
    for code, words in expected.items():
        assert basis_text(code) == words
        assert str(label(str(code), "basis")) == words
        assert lib_swedish(BASES[code]) == words

"""The engine's reasons on Swedish screens and PDFs: each template matched back and translated."""

from __future__ import annotations

import pytest
from django.utils import translation

from utskrivning.domain.payment import reasons
from utskrivning.payment.texts import line_reason, reason_text


@pytest.fixture(autouse=True)
def swedish():
    with translation.override("sv"):
        yield


def test_a_filled_template_is_translated_with_its_values():
    text = reasons.INDIVIDUAL_OVER.format(7, 3)
    assert (
        reason_text(text)
        == "fler än 7 utskrivningsklara dagar: debiteras individuellt för dagarna utöver 3"
    )


def test_failed_preconditions_are_translated_one_by_one():
    text = reasons.PRECONDITIONS_FAILED.format(
        ", ".join([reasons.MISSING_ADMISSION_NOTICE, reasons.MISSING_SIP_SUMMONS])
    )
    assert reason_text(text) == (
        "förutsättningarna är inte uppfyllda: inget inskrivningsmeddelande, "
        "SIP behövs men är inte kallad"
    )


def test_the_line_says_which_step_moved_day_one_and_by_how_much():
    assert line_reason(reasons.COUNTED, reasons.MOVED_BY_SIP_SUMMONS, 4) == (
        "räknas i månadens genomsnitt; dag 1 flyttad 4 dag(ar) av SIP-kallelsen"
    )


def test_every_template_has_a_translation():
    from utskrivning.payment.texts import _TEMPLATES

    untranslated = [t for t in _TEMPLATES if translation.gettext(t) == t]
    assert untranslated == []


def test_a_text_of_no_template_is_shown_as_it_is():
    assert reason_text("something else") == "something else"

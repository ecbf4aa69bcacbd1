"""The domain's and the services' refusals reach the screen in Swedish (issue 11 item 5), in
English only for a reader who chose it; the API keeps its English contract."""

from __future__ import annotations

import io

import pytest
from django.utils import translation

from service.factories import MembershipFactory
from utskrivning.domain import identity
from utskrivning.domain.refusals import Refusal
from utskrivning.organisations.models import Role
from utskrivning.web.refusals import refusal

from .untranslated import untranslated

pytestmark = pytest.mark.django_db

ADMISSION = {"name": "Tolvan Tolvansson", "home_municipality": "2080", "care_type": "somatic"}
HEADER = "episode_id,patient_id,municipality,care_type,admitted_at\n"


def _admit(client, personal_number: str):
    return client.post("/episodes/new/", {"personal_number": personal_number, **ADMISSION})


@pytest.mark.parametrize(
    ("personal_number", "swedish"),
    [
        ("19121212-1213", "fel kontrollsiffra"),
        ("19121312-1212", "datumet 1912-13-12 finns inte"),
        ("1212", "inte ett personnummer eller samordningsnummer (ÅÅÅÅMMDD-NNNN väntas)"),
        ("19121212+1212", "'+' används bara i den tiosiffriga formen"),
        ("21121212-1219", "födelsedatum i framtiden"),
    ],
)
def test_a_wrong_personnummer_is_refused_in_swedish(
    client, login, physician, falun, personal_number, swedish
):
    page = _admit(login(physician), personal_number).content.decode()
    assert swedish.replace("'", "&#x27;") in page, page
    assert untranslated(page) == [], untranslated(page)


def test_a_second_open_stay_is_refused_in_swedish(client, login, physician, falun):
    login(physician)
    assert _admit(client, "19121212-1212").status_code == 302
    page = _admit(client, "19121212-1212").content.decode()
    assert "Patienten har redan ett pågående vårdtillfälle:" in page, page
    assert "Skriv ut det innan patienten skrivs in igen." in page
    assert untranslated(page) == [], untranslated(page)


def test_english_only_for_the_reader_who_chose_it(client, login, physician, falun):
    login(physician)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "wrong check digit" in _admit(client, "19121212-1213").content.decode()


def test_an_organisation_outside_the_region_is_refused_in_swedish(client, login, region, ward):
    importer = MembershipFactory(organisation=region, role=Role.FINANCE)
    login(importer)
    rows = HEADER + "E1,191212121212,2080,somatic,2026-03-02 09:00\n"  # 2080: not of the region
    page = client.post("/import/", {"file": io.BytesIO(rows.encode())}).content.decode()
    assert "inte en organisation i regionen" in page, page
    assert untranslated(page) == [], untranslated(page)


def test_every_personnummer_refusal_has_its_swedish():
    reasons = [
        identity.NOT_A_NUMBER,
        identity.PLUS_IN_LONG_FORM,
        identity.WRONG_CHECK_DIGIT,
        identity.BORN_IN_FUTURE,
        Refusal(identity.NO_SUCH_DATE, date="2026-02-30"),  # by its template and its date
    ]
    with translation.override("sv"):
        swedish = [refusal(reason) for reason in reasons]
    assert all(s != str(r) for s, r in zip(swedish, reasons, strict=True)), swedish
    assert swedish[-1] == "datumet 2026-02-30 finns inte"
    assert str(reasons[-1]) == "no such date 2026-02-30"  # the API's and the CLI's words


def test_a_refusal_with_values_is_translated_from_its_template_not_its_sentence():
    """A service's refusal carries its template and values (no sentence matched back): a
    template the catalogue has is said in Swedish with the same values, whatever they hold."""
    from django.core.exceptions import ValidationError

    from utskrivning.lib.text import checked_text
    from utskrivning.web.refusals import refusals

    with pytest.raises(ValidationError) as raised:
        checked_text("x" * 12, field="text", max_length=10)
    assert raised.value.message_dict == {"text": ["longer than 10 characters (12)."]}  # API
    with translation.override("sv"):
        assert refusals(raised.value) == {"text": ["längre än 10 tecken (12)."]}
        # A value that looks like the rest of a sentence stays a value.
        odd = Refusal("%(count)s wards of the region have this name: %(names)s",
                      count=2, names="'A'; 'B' (admitted 2020-01-01 10:00)")  # fmt: skip
        assert refusal(odd) == (
            "2 vårdavdelningar i regionen har det här namnet: 'A'; 'B' (admitted 2020-01-01 10:00)"
        )
        # An import job's stored error, with and without its template.
        stored = {
            "line": 2, "column": "episode_id", "reason": "longer than 50 characters",
            "template": "longer than %(most)s characters", "values": {"most": "50"},
        }  # fmt: skip
        assert refusal(stored) == "längre än 50 tecken"
        assert refusal({"reason": "not an organisation of the region"}) == (
            "inte en organisation i regionen"
        )

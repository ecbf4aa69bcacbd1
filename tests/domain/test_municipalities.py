import pytest

from utskrivning.domain.municipalities import MUNICIPALITY_CODES, municipality_name


def test_all_290_codes_are_loaded_with_leading_zeros() -> None:
    assert len(MUNICIPALITY_CODES) == 290
    assert {"0180", "2080", "1980", "0380", "0114"} <= MUNICIPALITY_CODES


def test_names_of_the_glossary_examples() -> None:
    assert municipality_name("0180") == "Stockholm"
    assert municipality_name("1980") == "Västerås"
    assert municipality_name("2080") == "Falun"
    assert municipality_name("0380") == "Uppsala"


def test_unknown_code_has_no_name() -> None:
    with pytest.raises(KeyError):
        municipality_name("180")

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from utskrivning.domain.identity import (
    canonical_personal_number,
    check_digit,
    looks_like_personal_number,
    parse_personal_number,
    personal_number_errors,
    valid_personal_number,
    with_canonical_personal_number,
)

TODAY = date(2024, 6, 1)


def luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def test_known_valid_numbers() -> None:
    assert parse_personal_number("19121212-1212", today=TODAY).canonical == "191212121212"
    assert parse_personal_number("20121212-1212", today=TODAY).canonical == "201212121212"
    assert parse_personal_number("191212121212", today=TODAY).birth_date == date(1912, 12, 12)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("121212-1212", "201212121212"),  # born 2012, not 2112
        ("1212121212", "201212121212"),
        ("121212+1212", "191212121212"),  # '+' from the 100th birthday
        ("250601-0004", "192506010004"),  # 2025-06-01 would be unborn on TODAY
        (" 19121212-1212 ", "191212121212"),
    ],
)
def test_ten_digit_forms_take_the_century_from_today(text: str, canonical: str) -> None:
    assert parse_personal_number(text, today=TODAY).canonical == canonical


def test_coordination_number_has_day_plus_sixty() -> None:
    number = parse_personal_number("19811278-9874"[:-1] + luhn_digit("811278987"), today=TODAY)
    assert number.is_coordination_number
    assert number.birth_date == date(1981, 12, 18)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("19121212-1213", "wrong check digit"),
        ("20190230-1234", "no such date 2019-02-30"),
        ("19000229-0000", "no such date 1900-02-29"),
        ("19121200-1212", "no such date 1912-12-00"),
        ("00001212-1212", "no such date 0000-12-12"),
        ("20300101-0000", "birth date in the future"),
        ("19121212+1212", "'+' is only used in the 10-digit form"),
        ("1912-1212-1212", "not a personnummer or samordningsnummer"),
        (
            "１９１２１２１２-１２１２",
            "not a personnummer or samordningsnummer",
        ),  # fullwidth digits
    ],
)
def test_invalid_numbers_say_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_personal_number(text, today=TODAY)
    assert str(caught.value).startswith(reason)


def test_the_number_is_never_printed_in_full() -> None:
    number = parse_personal_number("19121212-1212", today=TODAY)
    assert str(number) == "19121212-****"
    assert "1212'" not in repr(number)
    assert "-****" in repr(number)
    assert "121212121212" not in f"{number} {number!r}"


@pytest.mark.parametrize(
    ("text", "looks_like"),
    [
        ("19121212-1212", True),
        ("191212121212", True),
        ("121212-1212", True),
        ("121212+1212", True),
        ("1212121212", True),
        ("P-000123", False),
        ("12345", False),
        ("abc", False),
        ("19121212 1212", False),
    ],
)
def test_shapes_that_are_treated_as_numbers_rather_than_pseudonyms(
    text: str, looks_like: bool
) -> None:
    assert looks_like_personal_number(text) is looks_like


def test_polars_reasons_match_the_examples() -> None:
    texts = ["19121212-1212", "19121212-1213", "20190230-1234", None, "P-1", "00001212-1212"]
    result = pl.DataFrame({"p": texts}).select(
        reason=personal_number_errors(pl.col("p"), TODAY),
        canonical=canonical_personal_number(pl.col("p"), TODAY),
    )
    assert result["reason"].to_list() == [
        None,
        "wrong check digit",
        "no such date 2019-02-30",
        None,
        "not a personnummer or samordningsnummer (expected YYYYMMDD-NNNN)",
        "no such date 0000-12-12",
    ]
    assert result["canonical"].to_list() == ["191212121212", None, None, None, None, None]


def test_lazy_form_adds_only_the_canonical_column() -> None:
    frame = pl.LazyFrame({"p": ["121212-1212", "x"]})
    result = with_canonical_personal_number(frame, "p", today=TODAY, alias="n").collect()
    assert result.columns == ["p", "n"]
    assert result["n"].to_list() == ["201212121212", None]


@st.composite
def valid_numbers(draw: st.DrawFn) -> str:
    born = draw(st.dates(min_value=date(1890, 1, 1), max_value=TODAY))
    coordination = draw(st.booleans())
    serial = draw(st.integers(min_value=0, max_value=999))
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    tail = nine[6:] + luhn_digit(nine)
    form = draw(st.sampled_from(["long", "long-dash", "short", "short-sep"]))
    centenarian = born <= TODAY.replace(year=TODAY.year - 100)
    if form == "long":
        return f"{born.year // 100}{nine[:6]}{tail}"
    if form == "long-dash":
        return f"{born.year // 100}{nine[:6]}-{tail}"
    if form == "short" and not centenarian:
        return nine[:6] + tail
    # From the 100th birthday the 10-digit form takes '+': without it, a century too late.
    return f"{nine[:6]}{'+' if centenarian else '-'}{tail}"


def _both_paths(texts: list[str]) -> tuple[list[str | None], list[str | None]]:
    scalar: list[str | None] = []
    for text in texts:
        try:
            scalar.append(parse_personal_number(text, today=TODAY).canonical)
        except ValueError as error:
            scalar.append(str(error))
    frame = pl.DataFrame({"p": texts}).select(
        reason=personal_number_errors(pl.col("p"), TODAY),
        canonical=canonical_personal_number(pl.col("p"), TODAY),
    )
    vectorised = [c if r is None else r for r, c in frame.iter_rows()]
    return scalar, vectorised


@given(st.lists(valid_numbers(), min_size=1, max_size=30))
def test_generated_valid_numbers_pass_both_paths(texts: list[str]) -> None:
    scalar, vectorised = _both_paths(texts)
    assert scalar == vectorised
    assert all(value is not None and len(value) == 12 and value.isdigit() for value in scalar)


@given(valid_numbers(), st.integers(min_value=1, max_value=9))
def test_a_changed_check_digit_fails_both_paths(text: str, change: int) -> None:
    wrong = text[:-1] + str((int(text[-1]) + change) % 10)
    scalar, vectorised = _both_paths([wrong])
    assert scalar == vectorised == ["wrong check digit"]


@given(
    st.lists(
        st.one_of(
            st.from_regex(r"\A[0-9]{6}([0-9]{2})?[-+]?[0-9]{4}\Z"),
            st.text(alphabet="0123456789-+ ", max_size=14),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_scalar_and_polars_paths_agree_on_any_input(texts: list[str]) -> None:
    scalar, vectorised = _both_paths(texts)
    assert scalar == vectorised


@given(
    st.lists(
        st.one_of(
            valid_numbers(),
            st.from_regex(r"\A[0-9]{6}([0-9]{2})?[-+]?[0-9]{4}\Z"),
            st.text(alphabet="0123456789-+ ", max_size=14),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_lazy_form_flags_exactly_the_numbers_the_scalar_path_refuses(texts: list[str]) -> None:
    # Stripped, as the reader passes them.
    frame = pl.LazyFrame({"p": [text.strip() for text in texts]}, schema={"p": pl.String})
    result = with_canonical_personal_number(
        frame, "p", today=TODAY, alias="n", invalid="bad"
    ).collect()
    for text, canonical, bad in result.iter_rows():
        try:
            expected: str | None = parse_personal_number(text, today=TODAY).canonical
        except ValueError:
            expected = None
        assert canonical == expected
        assert bool(bad) is (expected is None and looks_like_personal_number(text))


def test_birth_date_of_a_number_born_on_leap_day() -> None:
    nine = "000229123"
    number = parse_personal_number(f"{nine[:6]}-{nine[6:]}{luhn_digit(nine)}", today=TODAY)
    assert number.birth_date == date(2000, 2, 29)
    assert number.birth_date + timedelta(days=1) == date(2000, 3, 1)


def test_check_digit_completes_a_number_that_parses() -> None:
    head = "121212121"
    number = f"19{head}{check_digit(head)}"
    assert number == "191212121212"
    assert parse_personal_number(number, today=date(2026, 1, 1)).canonical == number


@given(st.dates(date(1900, 1, 1), date(2025, 12, 31)), st.integers(0, 999))
def test_valid_personal_number_parses_back_to_its_birth_date(born: date, serial: int) -> None:
    number = valid_personal_number(born, serial)
    parsed = parse_personal_number(number, today=date(2026, 1, 1))
    assert (parsed.canonical, parsed.birth_date) == (number, born)

"""The municipality reference file: the kommunkod check and the demo weights depend on it."""

import csv
from collections import Counter
from pathlib import Path

import utskrivning.domain

DATA = Path(utskrivning.domain.__file__).parent / "data" / "municipalities.csv"

COUNTY_COUNTS = {
    "01": 26, "03": 8, "04": 9, "05": 13, "06": 13, "07": 8, "08": 12,
    "09": 1, "10": 5, "12": 33, "13": 6, "14": 49, "17": 16, "18": 12,
    "19": 10, "20": 15, "21": 10, "22": 7, "23": 8, "24": 15, "25": 14,
}  # fmt: skip


def _rows() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_header() -> None:
    with DATA.open(encoding="utf-8") as handle:
        assert handle.readline().strip() == "code,name,county,population"


def test_290_unique_four_digit_codes() -> None:
    codes = [row["code"] for row in _rows()]
    assert len(codes) == 290
    assert len(set(codes)) == 290
    assert all(len(code) == 4 and code.isdigit() for code in codes)


def test_county_is_the_code_prefix_and_counts_match() -> None:
    rows = _rows()
    assert all(row["code"][:2] == row["county"] for row in rows)
    assert Counter(row["county"] for row in rows) == COUNTY_COUNTS


def test_known_codes() -> None:
    names = {row["code"]: row["name"] for row in _rows()}
    assert names["0180"] == "Stockholm"
    assert names["0114"] == "Upplands Väsby"
    assert names["1980"] == "Västerås"
    assert names["2080"] == "Falun"
    assert names["0380"] == "Uppsala"
    assert names["1480"] == "Göteborg"
    assert names["1280"] == "Malmö"
    assert names["0980"] == "Gotland"


def test_populations_are_plausible() -> None:
    populations = [int(row["population"]) for row in _rows()]
    assert all(2_000 <= p <= 1_100_000 for p in populations)
    assert 10_000_000 < sum(populations) < 11_000_000

"""The one table of care types: the reader, the indicators and the rulebooks agree on it."""

from __future__ import annotations

from utskrivning.domain.care import INDICATOR_GROUP, SPELLINGS, CareGroup, CareType
from utskrivning.domain.rulebooks import available_rulebooks


def test_every_care_type_is_read_in_english_and_swedish_and_grouped():
    assert set(SPELLINGS.values()) == set(CareType)
    assert {"somatisk", "geriatrisk", "psykiatrisk"} <= set(SPELLINGS)
    assert set(INDICATOR_GROUP) == set(CareType)
    assert set(INDICATOR_GROUP.values()) == set(CareGroup) - {CareGroup.ALL}


def test_every_shipped_rulebook_prices_every_care_type():
    for rulebook in available_rulebooks():
        assert {care for group in rulebook.groups for care in group.care_types} == set(CareType)

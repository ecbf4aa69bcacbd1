"""The ranges every rulebook value must lie in: a rulebook file is input like an episode file.

A date in year 9999, a negative threshold or a day rate of 10^14 once loaded and billed nonsense
or overflowed (issue 14, class 10); here each is refused on load, naming the field. The bounds
are far beyond any agreement's figures but keep every sum the engine forms inside 64-bit öre.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2100, 12, 31)
# A threshold or county average, in ready days per patient: the agreements' lie between 1.3 and
# 5.0; a hundred is beyond any month's average and refuses a slip of a digit or two.
MAX_DAYS = Decimal(100)
# A day rate is a positive amount in SEK per care day. The figures of the agreements and of
# Socialstyrelsen lie between 3 638 (Stockholm 2018, geriatric, 2017 level) and 9 300 (2022):
# 100 – 100 000 leaves decades of indexation either side and refuses a slip (0, a rate in
# thousands, or ten times too many digits), which billed 0 kr or nonsense without a word.
MIN_DAY_RATE = Decimal(100)
MAX_DAY_RATE = Decimal(100_000)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def _in_period(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"{value} is outside {FIRST_DAY} – {LAST_DAY}")
    return value


Period = Annotated[date, AfterValidator(_in_period)]
Days = Annotated[Decimal, Field(ge=0, le=MAX_DAYS, decimal_places=2, allow_inf_nan=False)]
DayRateSEK = Annotated[
    Decimal, Field(ge=MIN_DAY_RATE, le=MAX_DAY_RATE, decimal_places=2, allow_inf_nan=False)
]
SmallCount = Annotated[int, Field(ge=0, le=1000)]
Year = Annotated[int, Field(ge=FIRST_DAY.year, le=LAST_DAY.year)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
Text = Annotated[str, Field(max_length=200)]
Note = Annotated[str, Field(max_length=2000)]
Notes = Annotated[dict[Annotated[str, Field(max_length=60)], Note], Field(max_length=50)]

"""The shape of a rulebook: an agreement's payment part as data, validated on load.

A rulebook has groups of care types; each group has stages with their own dates. A stage's values
come from the rulebook's `defaults`, then the group's, then the stage's own table, so an agreement
that changes one number between stages says only that number. Every value the agreement does not
state is listed under `assumptions` with the reason; `sources` cites the seed's section.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, time, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from utskrivning.domain.care import CARE_TYPES, CareType
from utskrivning.domain.rulebooks.bounds import (
    DayRateSEK,
    Days,
    Name,
    Note,
    Notes,
    Period,
    SmallCount,
    Strict,
    Text,
    Year,
)
from utskrivning.domain.rulebooks.parameters import Parameter


class Model(StrEnum):
    GRACE_DAYS = "grace_days"
    AVERAGE = "average"
    LAW_DEFAULT = "law_default"


class Counting(StrEnum):
    CALENDAR = "calendar"
    WEEKDAYS = "weekdays"


class LiableWhen(StrEnum):
    EXCEEDS = "exceeds"
    TWO_OF_THREE = "two_of_three"


class Precondition(StrEnum):
    """Lag 2017:612, 5 kap.; Dalarna §11 "Kommunens betalningsansvar förutsätter att"."""

    ADMISSION_NOTICE = "admission_notice"
    READINESS_NOTIFICATION = "readiness_notification"
    NAMED_CONTACT = "named_contact"
    SIP_SUMMONED = "sip_summoned"


class CountyAverage(Strict):
    """A threshold set from the county's own average over a window, never above a cap.

    Stockholm 2020 stage 2: "länsgenomsnittet ... per 31 oktober 2020. Kan inte överstiga ... 2,0".
    """

    county_average_from: Period
    county_average_to: Period
    cap: Days
    # The published figure (a parameter): None means "compute it from a file that has the window".
    value: Days | None = None
    parameter: Name | None = None


class IndividualRule(Strict):
    """An episode with more than `over_ready_days` leaves the average and pays beyond `pay_beyond`.

    Dalarna §11 "Individuell beräkning av ersättningsskyldighet i vissa fall": 7 and 3.
    """

    over_ready_days: SmallCount
    pay_beyond: SmallCount

    @model_validator(mode="after")
    def _pays_for_days_it_counts(self) -> IndividualRule:
        # Otherwise an episode just over the limit would be billed a negative number of days.
        if self.pay_beyond > self.over_ready_days:
            raise ValueError("individual: pay_beyond must not exceed over_ready_days")
        return self


Threshold = Days | CountyAverage
DayRate = (
    Literal["national"] | DayRateSEK | Annotated[dict[Year, DayRateSEK], Field(max_length=200)]
)


class Stage(Strict):
    """One period of a group's rules; `valid_to` is inclusive, None means open-ended."""

    name: Text
    valid_from: Period = Field(alias="from")
    valid_to: Period | None = Field(default=None, alias="to")
    model: Model
    counting: Counting = Counting.CALENDAR
    cutoff: time | None = None
    day_after: bool = False
    zero_days: Literal["include", "exclude"] = "include"
    status_filter: Literal["done"] | None = None
    grace_days: SmallCount | None = None
    threshold: Threshold | None = None
    liable_when: LiableWhen = LiableWhen.EXCEEDS
    individual: IndividualRule | None = None
    preconditions: tuple[Precondition, ...] = Field(default=(), max_length=4)
    day_rate: DayRate = "national"
    invoicing: bool = True
    sources: Notes = Field(default_factory=dict)
    assumptions: Notes = Field(default_factory=dict)
    # Field → the rulebook parameter its value came from (filled on load, see parameters.py).
    parameters: Annotated[dict[str, Name], Field(max_length=50)] = Field(default_factory=dict)

    @field_validator("day_rate", mode="before")
    @classmethod
    def _rate_years_from_toml_keys(cls, value: Any) -> Any:
        # TOML table keys are strings; a rate table is keyed by year, in ASCII digits.
        if isinstance(value, dict):
            bad = [year for year in value if not re.fullmatch(r"[0-9]{4}", str(year))]
            if bad:
                raise ValueError(f"day_rate: a rate table is keyed by year, not {bad[0]!r}")
            return {int(year): rate for year, rate in value.items()}
        return value

    @model_validator(mode="after")
    def _model_has_its_parameters(self) -> Stage:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"stage {self.name!r} ends ({self.valid_to}) before it starts")
        if self.model is Model.AVERAGE and self.threshold is None:
            raise ValueError(f"stage {self.name!r}: the average model needs a threshold")
        if self.model in (Model.GRACE_DAYS, Model.LAW_DEFAULT) and self.grace_days is None:
            raise ValueError(f"stage {self.name!r}: the {self.model} model needs grace_days")
        if self.model is not Model.AVERAGE and (
            self.individual or self.liable_when is not LiableWhen.EXCEEDS
        ):
            raise ValueError(
                f"stage {self.name!r}: individual and liable_when belong to the average model"
            )
        if self.valid_from.day != 1 or (
            self.valid_to is not None and (self.valid_to + timedelta(days=1)).day != 1
        ):
            raise ValueError(
                f"stage {self.name!r}: stages run in whole months (an invoice is one month)"
            )
        unknown = (
            (set(self.sources) | set(self.assumptions) | set(self.parameters))
            - set(type(self).model_fields)
            - {"from", "to"}
        )
        if unknown:
            raise ValueError(f"stage {self.name!r}: sources/assumptions name no field: {unknown}")
        return self

    def covers(self, month_start: date) -> bool:
        return self.valid_from <= month_start and (
            self.valid_to is None or month_start <= self.valid_to
        )


class Group(Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_-]*$", max_length=50)
    care_types: tuple[CareType, ...] = Field(max_length=len(CareType))
    stages: tuple[Stage, ...] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _stages_do_not_overlap(self) -> Group:
        ordered = sorted(self.stages, key=lambda s: s.valid_from)
        for before, after in itertools.pairwise(ordered):
            if before.valid_to is None or before.valid_to >= after.valid_from:
                raise ValueError(
                    f"group {self.name!r}: stages {before.name!r} and {after.name!r} overlap"
                )
        return self

    def stage_for(self, month_start: date) -> Stage | None:
        return next((s for s in self.stages if s.covers(month_start)), None)


class Rulebook(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=60)
    title: Text
    region: Text
    summary: Note
    parties: tuple[Text, ...] = Field(max_length=100)
    seed: Text | None = None
    valid_from: Period
    valid_to: Period | None = None
    groups: tuple[Group, ...] = Field(min_length=1, max_length=3)
    sources: Notes = Field(default_factory=dict)
    assumptions: Notes = Field(default_factory=dict)
    parameters: Annotated[dict[Name, Parameter], Field(max_length=200)] = Field(
        default_factory=dict
    )

    @model_validator(mode="after")
    def _each_care_type_in_one_group(self) -> Rulebook:
        seen: dict[str, str] = {}
        for group in self.groups:
            for care_type in group.care_types:
                if care_type in seen:
                    raise ValueError(
                        f"care type {care_type!r} is in both group {seen[care_type]!r} "
                        f"and {group.name!r}"
                    )
                seen[care_type] = group.name
        missing = set(CARE_TYPES) - set(seen)
        if missing:
            raise ValueError(f"no group covers care type(s) {sorted(missing)}")
        return self

    def group_of(self, care_type: str) -> Group:
        return next(g for g in self.groups if care_type in g.care_types)

    def in_force(self, month_start: date) -> bool:
        return self.valid_from <= month_start and (
            self.valid_to is None or month_start <= self.valid_to
        )

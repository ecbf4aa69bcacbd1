"""The details a step records for the planning record (issue 11 item 1): who took it, the named
care contact as a person, where and when the SIP meets, the estimated date's history, who ticked
each home-going criterion. Plain values, kept in the event's payload and the episode's facts;
an event stored before them has none, and the page shows the step without them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from functools import cache
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from utskrivning.domain.process.states import HomeCriterion


@dataclass(frozen=True)
class Signature:
    """Who took a step, as the service recorded it with the step: the person's and the
    organisation's names then (a later change of either does not rewrite the record)."""

    name: str
    organisation: str


@dataclass(frozen=True)
class CareContact:
    """The named care contact (fast vårdkontakt) as a person the other parties can reach:
    Dalarna §9 Öppenvård, Stockholm appendix §2.1.1."""

    name: str
    phone: str
    title: str = ""
    unit: str = ""


@dataclass(frozen=True)
class SipMeeting:
    """When and where the SIP meets (Dalarna §7): a place, a video link, or both."""

    starts_at: datetime
    place: str = ""
    video_link: str = ""


@dataclass(frozen=True)
class EstimateEntry:
    """One estimated discharge date as given (at admission, with the notice, or moved):
    Västmanland §3.3 counts how often and by whom the date is moved."""

    estimate: date
    at: datetime
    by: Signature | None = None


@dataclass(frozen=True)
class Appointment:
    contact: CareContact
    at: datetime
    by: Signature | None = None


@dataclass(frozen=True)
class CriterionCheck:
    criterion: HomeCriterion
    at: datetime
    by: Signature | None = None


def to_plain(value: Any) -> Any:
    """A detail as JSON: dataclasses as objects, times as ISO text, enums as their values."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, frozenset):
        return sorted(to_plain(v) for v in value)
    if isinstance(value, dict):
        return {key: to_plain(v) for key, v in value.items()}
    return value


@cache
def _type_hints(detail: type) -> dict[str, Any]:
    """A detail's annotations resolved once: `get_type_hints` evaluates each one anew (compiles
    it), and an episode's facts read a detail per message, each worklist row dozens."""
    return get_type_hints(detail)


def from_plain(hint: Any, data: Any) -> Any:
    """`to_plain`'s answer read back as `hint` (a detail's type, as its annotations say)."""
    if data is None:
        return None
    origin = get_origin(hint)
    if origin in (Union, UnionType):
        return from_plain(next(a for a in get_args(hint) if a is not type(None)), data)
    if origin is tuple:
        return tuple(from_plain(get_args(hint)[0], item) for item in data)
    if hint is datetime:
        return datetime.fromisoformat(data)
    if hint is date:
        return date.fromisoformat(data)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(data)
    if isinstance(hint, type) and is_dataclass(hint):
        types = _type_hints(hint)
        return hint(**{name: from_plain(types[name], value) for name, value in data.items()})
    return data

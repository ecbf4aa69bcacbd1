"""The care types of the episode file (docs/episode-file.md): the one table the reader, the
rulebooks, the indicators, the demo and the service's choices all take theirs from."""

from __future__ import annotations

from enum import StrEnum


class CareType(StrEnum):
    SOMATIC = "somatic"
    GERIATRIC = "geriatric"
    PSYCHIATRIC = "psychiatric"


CARE_TYPES = tuple(care.value for care in CareType)
# The file may name a care type in Swedish too.
SPELLINGS = {care.value: care.value for care in CareType} | {
    "somatisk": CareType.SOMATIC.value,
    "geriatrisk": CareType.GERIATRIC.value,
    "psykiatrisk": CareType.PSYCHIATRIC.value,
}


class CareGroup(StrEnum):
    """The indicators' care groups (Västmanland §3.2: somatic and psychiatric separately), and
    both together."""

    ALL = "all"
    SOMATIC = "somatic"
    PSYCHIATRIC = "psychiatric"


# vantetider.se reports somatic and psychiatric care, and geriatrics is a somatic specialty.
INDICATOR_GROUP = {
    CareType.SOMATIC.value: CareGroup.SOMATIC.value,
    CareType.GERIATRIC.value: CareGroup.SOMATIC.value,
    CareType.PSYCHIATRIC.value: CareGroup.PSYCHIATRIC.value,
}

"""The agreed follow-up indicators (issue #4), from an episode frame, vectorised with Polars.

Input: the `.frame` of `read_episodes(...)` (or the service's `episode_frame`), same columns.
Definitions, numerators and denominators: `INDICATORS` and docs/indicators.md.

The rules every indicator shares:
- Only closed episodes (discharged_at set) are counted, each in the month of its discharge
  ("YYYY-MM", local time), as the invoice does (payment-rules.md): a stay from 28 January to
  3 February is February's, with all its care and ready days. Still-admitted episodes are in no
  month; they count only as the later admission of a readmission.
- Ready days are calendar days from the date of ready_at up to, not including, the discharge
  date, without a notification cut-off: the national definition (vantetider.se), the same as
  `calendar.count_ready_days(cutoff=None, counting="calendar")`, so indicators compare across
  regions whatever their rulebook. Discharged on the date of ready_at is day zero: 0 ready days.
- Care days are midnights: discharge date − admission date; ready days are a part of them.
- care: "somatic" (geriatric included: vantetider.se reports somatic and psychiatric care, and
  geriatrics is a somatic specialty) or "psychiatric"; "all" is both.
- Group keys: the liable municipality (placing_municipality when set), `unit` or
  `primary_care_unit`, "" when empty.
"""

from __future__ import annotations

from utskrivning.domain.indicators.definitions import INDICATORS, Indicator
from utskrivning.domain.indicators.measures import episode_measures
from utskrivning.domain.indicators.table import (
    BY,
    baseline_comparison,
    indicator_table,
    measures_table,
)

__all__ = [
    "BY",
    "INDICATORS",
    "Indicator",
    "baseline_comparison",
    "episode_measures",
    "indicator_table",
    "measures_table",
]

"""The Swedish column headers and unit words of the follow-up's files, for the people who open
them: the chart data (CSV) and the monthly report's workbook name their columns alike.
"""

from __future__ import annotations

from utskrivning.domain.indicators.export import UNITS

FIGURE = ("Nyckel", "Namn", "Värde", "Täljare", "Nämnare", "Gräns")
# The indicator's id stays beside its name: what a spreadsheet joins another month's file on.
INDICATOR = ("Id", "Indikator", "Enhet", "Täljare", "Nämnare", "Värde")
BASELINE = ("Nyckel", "Namn", "Enhet", "Värde", "Basårets värde", "Skillnad", "Förändring")


def unit(code: str) -> str:
    return UNITS.get(code, code)

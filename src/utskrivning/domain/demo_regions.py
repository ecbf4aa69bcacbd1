"""The demo regions: each one's county, rulebook, hospitals with their wards and vårdcentraler.

One description for the two places that need it: the service seeds the demo region's
organisations from it (`organisations.demo`), and `utskrivning demo-data --region` writes an
episode file naming the same municipalities, wards and units, so the file imports into the demo
with no row refused.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoRegion:
    name: str
    county: str  # länskod: a kommunkod's first two digits
    rulebook: str
    hospitals: dict[str, tuple[str, ...]]  # hospital → its wards
    primary_care: tuple[str, ...]

    def wards(self, *, psychiatric: bool) -> list[str]:
        """Wards as a file names them, "hospital / ward" (unambiguous where names repeat)."""
        return [
            f"{hospital} / {ward}"
            for hospital, wards in self.hospitals.items()
            for ward in wards
            if ("Psykiatri" in ward) == psychiatric
        ]


DALARNA = DemoRegion(
    name="Region Dalarna",
    county="20",
    rulebook="dalarna-2020",
    hospitals={
        "Falu lasarett": ("Medicinavdelning 12", "Ortopedavdelning 31", "Psykiatriavdelning 61"),
        "Mora lasarett": ("Medicinavdelning 5", "Kirurgavdelning 3"),
    },
    primary_care=(
        "Vårdcentral Falun",
        "Vårdcentral Borlänge",
        "Vårdcentral Mora",
        "Vårdcentral Ludvika",
    ),
)

DEMO_REGIONS = {"dalarna": DALARNA}

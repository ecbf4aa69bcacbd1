"""Terminal tables (rich) for the command line, with Swedish number formatting (`lib.numbers`)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from rich.markup import escape
from rich.table import Table

from utskrivning.domain.indicators import INDICATORS
from utskrivning.domain.indicators.export import CARE_WORDS, CHANGES, HEADERS, KEY_HEADERS
from utskrivning.domain.municipalities import municipality_name
from utskrivning.domain.payment import PaymentResult
from utskrivning.domain.rulebooks import Rulebook
from utskrivning.lib.groups import GROUPS
from utskrivning.lib.numbers import days, sek
from utskrivning.lib.swedish import swedish
from utskrivning.lib.text_table import Justify, TextTable


def invoice_table(result: PaymentResult) -> TextTable:
    """One row per invoice (a national year has some 3 900), never per line."""
    columns: list[tuple[str, Justify]] = [
        (name, "left" if n < 4 else "right")
        for n, name in enumerate(["Kommun", "Stadsdel", "Månad", "Grupp", "Antal", "Dagar",
                                  "Medel", "Gräns", "Ansvar", "Fakt. dagar", "Dygnskostnad",
                                  "Belopp"])
    ]  # fmt: skip
    # The words of the service's invoice page, from its catalogue: the group "all" is
    # "alla vårdformer", the law's rulebook has a Swedish title there.
    table = TextTable(f"Fakturaunderlag · {swedish(result.rulebook.title)}", columns)
    invoices = result.invoices(lines=False)
    for invoice in invoices:
        table.rows.append([
            f"{invoice.municipality} {municipality_name(invoice.municipality)}",
            invoice.district or "",
            invoice.month,
            swedish(GROUPS.get(invoice.group, invoice.group)),
            str(invoice.counted_episodes),
            str(invoice.ready_days),
            days(invoice.average_days),
            days(invoice.threshold_days),
            ("ja", "bold red") if invoice.liable else "nej",
            days(invoice.billable_days),
            sek(invoice.day_rate_sek),
            sek(invoice.amount_sek),
        ])  # fmt: skip
    total = sum(invoice.amount_sek for invoice in invoices)
    table.footer = [f"{len(invoices)} fakturaunderlag", *[""] * 10, sek(total)]
    if result.skipped_rows:
        table.caption = _skipped_text(result.skipped_rows)
    return table


def compare_frame(results: dict[str, PaymentResult]) -> pl.DataFrame:
    """One row per municipality and month, one amount column per rulebook, totals last."""
    per_rulebook = [
        result.invoice_frame.group_by("liable_municipality", "month")
        .agg(pl.col("amount_sek").sum().alias(rulebook_id))
        .rename({"liable_municipality": "municipality"})
        for rulebook_id, result in results.items()
    ]
    frame = per_rulebook[0]
    for other in per_rulebook[1:]:
        frame = frame.join(other, on=["municipality", "month"], how="full", coalesce=True)
    frame = frame.fill_null(0).sort("municipality", "month")
    totals = frame.select(
        pl.lit("total").alias("municipality"), pl.lit("").alias("month"),
        *(pl.col(rid).sum() for rid in results),
    )  # fmt: skip
    return pl.concat([frame, totals], how="vertical_relaxed")


def compare_rich(frame: pl.DataFrame, ids: list[str]) -> Table:
    table = Table(title="Jämförelse av regelverk (belopp SEK)")
    table.add_column("Kommun")
    table.add_column("Månad")
    for rid in ids:
        table.add_column(rid, justify="right")
    for row in frame.iter_rows(named=True):
        code = row["municipality"]
        name = "Totalt" if code == "total" else f"{code} {municipality_name(code)}"
        table.add_row(name, row["month"], *(sek(row[rid]) for rid in ids),
                      end_section=code == "total")  # fmt: skip
    return table


def _parameters(rulebook: Rulebook) -> str:
    """NAME=VALUE for `--set`, each marked when it is an assumption or has no value."""
    shown = []
    for name, parameter in rulebook.parameters.items():
        value = "–" if parameter.value is None else str(parameter.value).lower()
        mark = " (antagande)" if parameter.assumption else ""
        shown.append(f"{name}={value}{mark}")
    return "\n".join(shown)


def rulebook_table(rulebooks: Iterable[Rulebook]) -> Table:
    table = Table(title="Regelverk")
    for name in ("Id", "Region", "Gäller", "Sammanfattning", "Parametrar (--set)"):
        table.add_column(name, overflow="fold")
    for rulebook in rulebooks:
        period = f"{rulebook.valid_from} – {rulebook.valid_to or ''}"
        table.add_row(
            rulebook.id, escape(rulebook.region), period, escape(rulebook.summary),
            escape(_parameters(rulebook)),
        )  # fmt: skip
    return table


def _indicator_value(unit: str, value: float | None) -> str:
    """Shares as per cent, means with two decimals, counts and days whole: Swedish style."""
    if value is None:
        return "–"
    if unit == "share":
        return f"{value * 100:.1f} %".replace(".", ",")
    if unit == "mean":
        return f"{value:.2f}".replace(".", ",")
    return sek(int(value))


def _count(value: float | None) -> str:
    return "" if value is None else sek(int(value))


def _skipped_text(skipped_rows: int) -> str:
    return f"{skipped_rows} ogiltiga rader utelämnade (--skip-invalid)"


def _skipped(table: Table, skipped_rows: int) -> Table:
    if skipped_rows:
        table.caption = _skipped_text(skipped_rows)
    return table


def _key(key: str, by: str) -> str:
    text = escape(key)  # a clinic's name from the file, not markup
    return f"{text} {municipality_name(key)}" if by == "municipality" and key else text


def indicator_rich(table: pl.DataFrame, *, by: str, skipped_rows: int = 0) -> Table:
    """The indicator table with Swedish titles, a section per month, key and care type."""
    result = Table(title="Indikatorer för samverkan vid utskrivning")
    for name in ("month", "key", "care", "title_sv", "numerator", "denominator", "value"):
        result.add_column(
            KEY_HEADERS[by] if name == "key" else HEADERS[name],
            justify="right" if name in ("numerator", "denominator", "value") else "left",
        )
    last = list(INDICATORS)[-1]
    for row in table.iter_rows(named=True):
        indicator = INDICATORS[row["indicator"]]
        result.add_row(
            row["month"], _key(row["key"], by), CARE_WORDS[row["care"]], indicator.title_sv,
            _count(row["numerator"]), _count(row["denominator"]),
            _indicator_value(indicator.unit, row["value"]),
            end_section=row["indicator"] == last,
        )  # fmt: skip
    return _skipped(result, skipped_rows)


_CHANGES = {"better": f"[green]{CHANGES['better']}[/]", "worse": f"[bold red]{CHANGES['worse']}[/]",
            "unchanged": CHANGES["unchanged"]}  # fmt: skip


def _difference(unit: str, value: float | None) -> str:
    """Signed, in the value's own unit; a share's difference in percentage points."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    if unit == "share":
        return f"{sign}{abs(value) * 100:.1f} p.e.".replace(".", ",", 1)
    return sign + _indicator_value(unit, abs(value))


def baseline_rich(
    comparison: pl.DataFrame, *, by: str, baseline_year: int, skipped_rows: int = 0
) -> Table:
    """`baseline_comparison` with Swedish titles: the period, the baseline, better or worse."""
    result = Table(title=f"Indikatorer jämförda med basåret {baseline_year}")
    for name in (HEADERS["period"], KEY_HEADERS[by], HEADERS["care"], HEADERS["title_sv"]):
        result.add_column(name)
    for name in (HEADERS["value"], str(baseline_year), HEADERS["difference"], HEADERS["change"]):
        result.add_column(name, justify="right")
    last = list(INDICATORS)[-1]
    for row in comparison.iter_rows(named=True):
        unit = INDICATORS[row["indicator"]].unit
        result.add_row(
            row["period"], _key(row["key"], by), CARE_WORDS[row["care"]],
            INDICATORS[row["indicator"]].title_sv, _indicator_value(unit, row["value"]),
            _indicator_value(unit, row["baseline_value"]), _difference(unit, row["difference"]),
            _CHANGES.get(row["change"], "–"), end_section=row["indicator"] == last,
        )  # fmt: skip
    return _skipped(result, skipped_rows)

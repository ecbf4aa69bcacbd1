"""The `utskrivning` command: payment runs, indicators, rulebooks and demo data from the shell.

Its options are a public contract (issue #2): tests outside the project call it exactly so.
Exit status 2 means bad input (an episode file with errors, an unknown rulebook, a bad month).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO

import typer

from utskrivning.domain.documents import NUMBER_FORMATS, safe_frame, xlsx_workbook
from utskrivning.domain.episodes import EpisodeFile, EpisodeFileError, read_episodes
from utskrivning.domain.payment import PaymentError, PaymentResult, compute_payment
from utskrivning.domain.payment.export import HEADERS, write_csv, write_json, write_xlsx
from utskrivning.domain.rulebooks import RulebookError, load_rulebook, rulebook_listing
from utskrivning.domain.rulebooks.parameters import bounded_number
from utskrivning.lib import months as month_texts
from utskrivning.lib.digits import MAX_ID, NumberError, bounded_int

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from utskrivning.lib.text_table import TextTable

app = typer.Typer(no_args_is_help=True, help="Samverkan vid utskrivning (Lag 2017:612).")
payment_app = typer.Typer(help="Payment liability (betalningsansvar) per rulebook.")
app.add_typer(payment_app, name="payment")


# rich, the terminal tables (utskrivning.tables) and what they import are imported where a
# command prints with them: the payment command's files, written at national scale, start
# without them (benchmarks/command.py times the command as users run it).
@cache
def _err() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def _stdout() -> Console:
    """Rich squeezes a table to 80 columns when piped; a file or pipe gets whole rows instead."""
    from rich.console import Console

    return Console() if sys.stdout.isatty() else Console(width=220)


class By(StrEnum):
    MUNICIPALITY = "municipality"
    UNIT = "unit"
    PRIMARY_CARE_UNIT = "primary_care_unit"


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def _fail(message: str) -> typer.Exit:
    _err().print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=2)


def _months(month: str | None) -> list[str] | None:
    if month is None:
        return None
    if not month_texts.is_month(month):
        raise _fail(
            f"--month {month!r} is not YYYY-MM from {month_texts.FIRST_YEAR} "
            f"to {month_texts.LAST_YEAR}"
        )
    return [month]


def _rate(day_rate: str | None) -> Decimal | None:
    """A day rate as `--set day_rate_<year>` takes one (parameters.bounded_number)."""
    if day_rate is None:
        return None
    try:
        return bounded_number(day_rate.replace(" ", ""), "sek")
    except ValueError as error:
        raise _fail(f"--day-rate {day_rate[:40]!r}: {error}") from None


def _whole(low: int, high: int) -> Callable[[str | int], int]:
    """A typer parser for a whole-number option: click's own takes `int()`'s other scripts'
    digits and any size. Exit 2 naming the option, as click does for its own refusals."""

    def parse(text: str | int) -> int:
        if isinstance(text, int):  # the option's default
            return text
        try:
            return bounded_int(text, field="value", low=low, high=high)
        except NumberError as error:
            raise typer.BadParameter(error.reason) from None

    return parse


def _settings(values: list[str] | None, rulebook_ids: list[str]) -> dict[str, dict[str, str]]:
    """`--set NAME=VALUE` (one rulebook) or `--set RULEBOOK:NAME=VALUE` (compare), by rulebook."""
    out: dict[str, dict[str, str]] = {rid: {} for rid in rulebook_ids}
    for text in values or []:
        target, equals, value = text.partition("=")
        rulebook_id, colon, name = target.rpartition(":")
        if not equals or not name or not value:
            raise _fail(f"--set {text[:60]!r}: write NAME=VALUE (see `utskrivning rulebooks`)")
        if not colon:
            if len(rulebook_ids) > 1:
                raise _fail(
                    f"--set {text[:60]!r}: with several rulebooks write RULEBOOK:{target}=…"
                )
            rulebook_id = rulebook_ids[0]
        if rulebook_id not in out:
            raise _fail(f"--set {text[:60]!r}: {rulebook_id!r} is not among the rulebooks run")
        out[rulebook_id][name] = value
    return out


def _episodes(path: Path, skip_invalid: bool) -> EpisodeFile:
    try:
        episodes = read_episodes(path, skip_invalid=skip_invalid)
    except FileNotFoundError:
        raise _fail(f"{path}: no such file") from None
    except EpisodeFileError as error:
        for problem in error.errors:
            _err().print(f"{path}: {problem}", highlight=False, markup=False)
        raise _fail(
            f"{path}: {len({e.line for e in error.errors})} bad row(s); nothing was computed "
            "(--skip-invalid leaves them out)"
        ) from None
    for problem in episodes.errors:
        _err().print(f"{path}: skipped: {problem}", highlight=False, markup=False)
    return episodes


def _run(
    rulebook_id: str,
    episodes: EpisodeFile,
    months: list[str] | None,
    rate: Decimal | None,
    settings: dict[str, str],
) -> PaymentResult:
    """An invoice from the command line rests on published day rates only: an assumed one is
    refused until `--set` gives the figure (national-day-rates.toml)."""
    try:
        rulebook = load_rulebook(rulebook_id, settings)
        return compute_payment(
            episodes.frame, rulebook, months=months, day_rate=rate,
            skipped_rows=episodes.skipped_rows, assumed_rates=False,
        )  # fmt: skip
    except (RulebookError, PaymentError) as error:
        raise _fail(str(error)) from None


def _warn_assumptions(result: PaymentResult, prefix: str = "") -> None:
    """Under the table: what the invoices rest on that no agreement states (payment-rules.md)."""
    from utskrivning.lib.note_texts import note_text
    from utskrivning.lib.swedish import swedish

    notes = result.assumption_notes()
    if notes:
        _err().print(f"[bold yellow]{prefix}Antaganden ({len(notes)}), inget avtal anger dem:[/]")
    for note in notes:
        text = note_text(note, swedish, swedish=True, command_line=True)
        _err().print(f"  • {text}", highlight=False, markup=False)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _binary_output(output: Path | None) -> Path | BinaryIO:
    """Where a writer of bytes goes: the file, or standard output after what was printed."""
    if output is not None:
        return output
    sys.stdout.flush()
    return sys.stdout.buffer


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _xlsx_path(output: Path | None) -> Path:
    if output is None:
        raise _fail("--format xlsx needs --output FILE")
    return output


def _print(table: Table | TextTable, output: Path | None) -> None:
    if output is None:
        _stdout().print(table, crop=False)
    else:
        from rich.console import Console

        with output.open("w", encoding="utf-8") as handle:
            Console(file=handle, width=220).print(table, crop=False)


EpisodesOpt = Annotated[Path, typer.Option("--episodes", help="An episode file (docs/).")]
MonthOpt = Annotated[str | None, typer.Option("--month", help="YYYY-MM; default every month.")]
RateOpt = Annotated[str | None, typer.Option("--day-rate", help="SEK per day, overrides all.")]
SkipOpt = Annotated[bool, typer.Option("--skip-invalid", help="Leave bad rows out, list them.")]
FormatOpt = Annotated[Format, typer.Option("--format")]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", help="NAME=VALUE: a rulebook parameter for this run (repeatable)."),
]
OutputOpt = Annotated[Path | None, typer.Option("--output", help="Write here, not stdout.")]


@payment_app.callback(invoke_without_command=True)
def payment(
    ctx: typer.Context,
    rulebook: Annotated[str | None, typer.Option("--rulebook", help="Rulebook id or file.")] = None,
    episodes: Annotated[Path | None, typer.Option("--episodes", help="Episode file.")] = None,
    month: MonthOpt = None,
    day_rate: RateOpt = None,
    format: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    skip_invalid: SkipOpt = False,
    settings: SetOpt = None,
) -> None:
    """The invoice basis per municipality (or district), month and rulebook group."""
    if ctx.invoked_subcommand is not None:
        return
    if rulebook is None or episodes is None:
        raise _fail("payment needs --rulebook and --episodes")
    months, rate = _months(month), _rate(day_rate)
    overrides = _settings(settings, [rulebook])[rulebook]
    result = _run(rulebook, _episodes(episodes, skip_invalid), months, rate, overrides)
    if format is Format.JSON:
        write_json(result, _binary_output(output))
    elif format is Format.CSV:
        write_csv(result, _binary_output(output))
    elif format is Format.XLSX:
        from utskrivning.lib.payment_words import workbook_words
        from utskrivning.lib.swedish import swedish

        # For a person: the reasons, assumptions and codes in Swedish, as the headers are.
        write_xlsx(result, _xlsx_path(output), words=workbook_words(result, swedish))
    else:
        from utskrivning.tables import invoice_table

        _print(invoice_table(result), output)
        _warn_assumptions(result)


@payment_app.command("compare")
def compare(
    episodes: EpisodesOpt,
    rulebooks: Annotated[str, typer.Option("--rulebooks", help="Comma-separated ids.")],
    month: MonthOpt = None,
    day_rate: RateOpt = None,
    format: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    skip_invalid: SkipOpt = False,
    settings: Annotated[
        list[str] | None,
        typer.Option("--set", help="RULEBOOK:NAME=VALUE for one rulebook of the run (repeatable)."),
    ] = None,
) -> None:
    """One row per municipality and month, one amount column per rulebook, with totals."""
    import polars as pl

    from utskrivning.tables import compare_frame, compare_rich

    ids = [r.strip() for r in rulebooks.split(",") if r.strip()]
    if not ids:
        raise _fail("--rulebooks needs at least one id")
    months, rate = _months(month), _rate(day_rate)
    overrides = _settings(settings, ids)
    data = _episodes(episodes, skip_invalid)
    results = {rid: _run(rid, data, months, rate, overrides[rid]) for rid in ids}
    table = compare_frame(results)
    if format is Format.JSON:
        _emit(_json(table.to_dicts()), output)
    elif format is Format.CSV:
        _emit(safe_frame(table).write_csv(), output)
    elif format is Format.XLSX:
        # For a person: the payment XLSX's Swedish names (the CSV's and JSON's are the contract).
        named = table.with_columns(pl.col("municipality").replace("total", "Totalt")).rename(
            {"municipality": HEADERS["municipality"], "month": HEADERS["month"]}
        )
        book = xlsx_workbook(_xlsx_path(output))
        safe_frame(named).write_excel(
            book, worksheet="Jämförelse", column_formats={rid: NUMBER_FORMATS["kr"] for rid in ids}
        )
        book.close()
    else:
        _stdout().print(compare_rich(table, ids))
        for rid, result in results.items():
            _warn_assumptions(result, prefix=f"{rid}: ")


BaselineOpt = Annotated[
    int | None,
    typer.Option("--baseline", parser=_whole(month_texts.FIRST_YEAR, month_texts.LAST_YEAR),
                 help="Compare with this year: each year, or --month with its month then."),
]  # fmt: skip


@app.command("indicators")
def indicators(
    episodes: EpisodesOpt,
    by: Annotated[By, typer.Option("--by", help="Group by this key.")] = By.MUNICIPALITY,
    month: MonthOpt = None,
    baseline: BaselineOpt = None,
    format: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    skip_invalid: SkipOpt = False,
) -> None:
    """The follow-up indicators (docs/indicators.md) per month, key and care type; with
    --baseline, each year (or the --month) beside the baseline year's (docs/followup.md)."""
    # Here, not at the top: the payment command, run at national scale, does without them.
    from utskrivning.domain.indicators import baseline_comparison, indicator_table
    from utskrivning.domain.indicators import export as indicator_export
    from utskrivning.tables import baseline_rich, indicator_rich

    months = _months(month)
    data = _episodes(episodes, skip_invalid)
    if baseline is None:
        table = indicator_table(data.frame, by=by.value, months=months)
    else:
        # The whole file: the baseline year's months are read as well as the compared ones.
        table = baseline_comparison(
            indicator_table(data.frame, by=by.value), baseline_year=baseline, months=months
        )
    if format is Format.JSON:
        document = indicator_export.to_json_dict(
            table, by=by.value, skipped_rows=data.skipped_rows, baseline_year=baseline
        )
        _emit(_json(document), output)
    elif format is Format.CSV:
        _emit(indicator_export.to_csv(table), output)
    elif format is Format.XLSX:
        indicator_export.write_xlsx(table, _xlsx_path(output), by=by.value)
    elif baseline is None:
        _print(indicator_rich(table, by=by.value, skipped_rows=data.skipped_rows), output)
    else:
        rich = baseline_rich(table, by=by.value, baseline_year=baseline,
                             skipped_rows=data.skipped_rows)  # fmt: skip
        _print(rich, output)


@app.command("rulebooks")
def rulebooks() -> None:
    """The shipped and configured rulebooks, with period, summary and parameters; a file that
    does not load is named with why, and the others are listed all the same."""
    from utskrivning.tables import rulebook_table

    listing = rulebook_listing()
    _stdout().print(rulebook_table(listing.rulebooks))
    for _path, problem in listing.failed:
        _err().print(f"not loaded: {problem}", highlight=False, markup=False)


MAX_DEMO_EPISODES = 10_000_000  # a national year several times over; memory grows with it


@app.command("demo-data")
def demo_data(
    episodes: Annotated[
        int, typer.Option("--episodes", parser=_whole(1, MAX_DEMO_EPISODES), help="How many.")
    ],
    # The year after must still be in the episode file's range: late discharges spill into it.
    year: Annotated[int, typer.Option("--year", parser=_whole(2018, month_texts.LAST_YEAR - 1))],
    seed: Annotated[int, typer.Option("--seed", parser=_whole(0, 2**32 - 1))] = 0,
    output: OutputOpt = None,
    region: Annotated[
        str | None,
        typer.Option(
            "--region",
            help="A demo region (dalarna): its municipalities, wards and vårdcentraler, so the "
            "file imports into `utskrivning demo`.",
        ),
    ] = None,
) -> None:
    """A realistic synthetic episode file, the same for the same seed."""
    from utskrivning.domain.demo import (
        generate_episodes,
        in_region,
        region_codes,
        write_episodes_csv,
    )
    from utskrivning.domain.demo_regions import DEMO_REGIONS

    if region is not None and region not in DEMO_REGIONS:
        _err().print(f"--region: one of {', '.join(DEMO_REGIONS)}", highlight=False, markup=False)
        raise typer.Exit(2)
    demo = DEMO_REGIONS[region] if region is not None else None
    codes = region_codes(demo) if demo is not None else None
    frame = generate_episodes(episodes, year, seed=seed, municipalities=codes)
    if demo is not None:
        frame = in_region(frame, demo, seed=seed)
    if output is None:
        sys.stdout.write(frame.write_csv())
    else:
        write_episodes_csv(frame, output)
        _err().print(f"wrote {frame.height} episodes to {output}")


HostOpt = Annotated[str, typer.Option("--host", help="Loopback by default.")]
PortOpt = Annotated[int, typer.Option("--port", parser=_whole(1, 65535))]


@app.command("demo")
def demo(host: HostOpt = "127.0.0.1", port: PortOpt = 8000) -> None:
    """The coordination service with a demo region (Dalarna), on SQLite unless DATABASE_URL."""
    from utskrivning.service.commands import demo_main

    demo_main(host, port)


@app.command("serve")
def serve(host: HostOpt = "127.0.0.1", port: PortOpt = 8000) -> None:
    """The coordination service on the configured database; migrations run on start."""
    from utskrivning.service.commands import serve as serve_service

    serve_service(host, port)


@app.command("worker")
def worker(
    once: Annotated[bool, typer.Option("--once", help="One pass, then exit.")] = False,
    interval: Annotated[
        int, typer.Option("--interval", parser=_whole(1, 86_400), help="Seconds between passes.")
    ] = 60,
) -> None:
    """The background work: outbox events, proposed deviations, queued imports (docs/process.md)."""
    from utskrivning.service.commands import worker as run_worker

    run_worker(once=once, interval=interval)


@app.command("rebuild")
def rebuild(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if any row differed (rebuilt all the same).")
    ] = False,
) -> None:
    """Fold every episode's history again into its row (the projection); list what differed."""
    from utskrivning.service.commands import rebuild_projection

    differed = rebuild_projection()
    print(f"{differed} episode row(s) differed from their history and were rebuilt")
    if check and differed:
        raise typer.Exit(1)


@app.command("void-event")
def void_event(
    event_id: Annotated[int, typer.Argument(min=1, max=2**63 - 1, help="The event's id.")],
    username: Annotated[str, typer.Option("--username", help="The region's administrator.")],
    reason: Annotated[str, typer.Option("--reason", help="Why the event is wrong.")],
) -> None:
    """Neutralise a wrong event with a compensating one (the history keeps both); the episode's
    row is folded again without it (a time out of bounds the screens report: docs/process.md)."""
    from utskrivning.service.commands import void_event as void

    try:
        print(void(event_id=event_id, username=username, reason=reason))
    except LookupError as error:
        raise _fail(str(error)) from None


@app.command("api-token")
def api_token(
    username: Annotated[str, typer.Option("--username", help="The user the system acts as.")],
    name: Annotated[str, typer.Option("--name", help="Which system holds the key.")],
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Organisation name, if several.")
    ] = None,
    days: Annotated[
        int, typer.Option("--days", parser=_whole(1, 730), help="Days the key is valid.")
    ] = 365,
) -> None:
    """Issue an API key for a system (Bearer token); it is printed once and only its hash kept."""
    from utskrivning.service.commands import setup

    setup()
    from utskrivning.organisations.api_keys import ApiKeyError, api_key_issue
    from utskrivning.organisations.models import Membership

    memberships = Membership.objects.filter(user__username=username, user__is_active=True)
    if organisation is not None:
        memberships = memberships.filter(organisation__name=organisation)
    found = list(memberships.select_related("organisation")[:2])
    if len(found) != 1:
        names = ", ".join(m.organisation.name for m in memberships.select_related("organisation"))
        raise _fail(
            f"{username!r} has {len(found) or 'no'} matching membership(s)"
            + (f" ({names}): pass --organisation" if names else "")
        )
    try:
        stored, key = api_key_issue(
            membership=found[0], name=name, issued_by=None, valid_for=timedelta(days=days)
        )
    except ApiKeyError as error:
        raise _fail(f"--{error.field}: {error}") from None
    print(key)
    print(f"key {stored.pk}, valid until {stored.expires:%Y-%m-%d}", file=sys.stderr)


@app.command("api-token-revoke")
def api_token_revoke(
    key_id: Annotated[
        int,
        typer.Option("--id", parser=_whole(1, MAX_ID), help="The key's number (api-token-list)."),
    ],
) -> None:
    """Revoke an API key at once; the key's row stays, so the audit log keeps its name."""
    from utskrivning.service.commands import setup

    setup()
    from utskrivning.organisations.api_keys import api_key_revoke
    from utskrivning.organisations.models import ApiKey

    found = ApiKey.objects.select_related("membership__organisation").filter(pk=key_id).first()
    if found is None:
        raise _fail(f"--id {key_id}: no such API key")
    revoked = api_key_revoke(api_key=found, revoked_by=None)
    print(f"key {revoked.pk} ({revoked.name}) revoked {revoked.revoked:%Y-%m-%d %H:%M}")


@app.command("api-token-list")
def api_token_list(
    organisation: Annotated[str, typer.Option("--organisation", help="Organisation name.")],
) -> None:
    """An organisation's API keys: number, name, holder, expiry, revocation and last use."""
    from utskrivning.service.commands import setup

    setup()
    from rich.console import Console
    from rich.table import Table

    from utskrivning.organisations.api_keys import api_keys_of
    from utskrivning.organisations.models import Organisation

    found = Organisation.objects.filter(name=organisation).first()
    if found is None:
        raise _fail(f"--organisation {organisation!r}: no such organisation")
    table = Table("id", "name", "user", "expires", "revoked", "last used")
    for key in api_keys_of(organisation=found):
        table.add_row(
            str(key.pk),
            key.name,
            key.membership.user.get_username(),
            f"{key.expires:%Y-%m-%d}",
            f"{key.revoked:%Y-%m-%d %H:%M}" if key.revoked else "",
            f"{key.last_used:%Y-%m-%d %H:%M}" if key.last_used else "",
        )
    Console().print(table)

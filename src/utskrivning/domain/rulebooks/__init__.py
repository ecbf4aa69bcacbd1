"""Rulebooks: the agreements' payment parts as TOML files, found by id or path.

The shipped files live in `data/`. A region adds its own agreement by writing a TOML file and
either passing its path or putting it in a directory named by `UTSKRIVNING_RULEBOOKS`
(os.pathsep-separated): no code changes. A rulebook file is input: every value is checked on
load (`bounds.py`), and a broken file fails alone, named in `rulebook_listing`, while the others
still load.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from utskrivning.domain.care import CARE_TYPES
from utskrivning.domain.rulebooks import parameters
from utskrivning.domain.rulebooks.model import (
    Counting,
    CountyAverage,
    Group,
    IndividualRule,
    LiableWhen,
    Model,
    Precondition,
    Rulebook,
    Stage,
)
from utskrivning.domain.rulebooks.parameters import Parameter

__all__ = [
    "CARE_TYPES",
    "Counting",
    "CountyAverage",
    "Group",
    "IndividualRule",
    "LiableWhen",
    "Model",
    "Parameter",
    "Precondition",
    "Rulebook",
    "RulebookError",
    "Stage",
    "available_rulebooks",
    "load_rulebook",
    "national_day_rates",
    "parse_rulebook",
    "rulebook_listing",
]

NATIONAL_RATES_FILE = "national-day-rates.toml"
# Larger than any agreement's payment part needs; a rulebook file is read whole.
MAX_FILE_BYTES = 256 * 1024


class RulebookError(ValueError):
    """A rulebook that cannot be found or does not validate; the message names file and field."""


def _data_dir() -> Path:
    return Path(str(resources.files(__package__) / "data"))


def _search_dirs() -> list[Path]:
    extra = os.environ.get("UTSKRIVNING_RULEBOOKS", "")
    return [Path(p) for p in extra.split(os.pathsep) if p] + [_data_dir()]


def _rulebook_files() -> Iterator[Path]:
    for directory in _search_dirs():
        for path in sorted(directory.glob("*.toml")):
            if path.name != NATIONAL_RATES_FILE:
                yield path


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise RulebookError(f"{path}: cannot be read: {error.strerror}") from error
    if len(data) > MAX_FILE_BYTES:
        raise RulebookError(f"{path}: larger than {MAX_FILE_BYTES} bytes; not a rulebook")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise RulebookError(f"{path}: not UTF-8 at byte {error.start}") from error
    except tomllib.TOMLDecodeError as error:
        raise RulebookError(f"{path}: not valid TOML: {error}") from error
    except RecursionError:
        raise RulebookError(f"{path}: arrays or tables nested too deeply") from None


def _find(rulebook_id: str) -> Path:
    for path in _rulebook_files():
        if path.stem == rulebook_id:
            return path
    known = ", ".join(sorted({p.stem for p in _rulebook_files()}))
    raise RulebookError(f"no rulebook {rulebook_id!r}; known rulebooks: {known}")


NOTES = ("sources", "assumptions")


def _layer(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """`top` over `base`, keeping both layers' citations and assumptions."""
    merged = {**base, **top}
    for notes in NOTES:
        merged[notes] = {**base.get(notes, {}), **top.get(notes, {})}
    return merged


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: a table, not {type(value).__name__} {str(value)[:40]!r}")
    return value


def _tables(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: an array of tables, not {type(value).__name__}")
    return [_table(item, f"{where}[{n}]") for n, item in enumerate(value)]


def _shape(raw: dict[str, Any]) -> None:
    """The tables the loader folds before validation are tables; wrongly typed, say where."""
    for name in ("defaults", "sources", "assumptions", "parameters"):
        _table(raw.get(name, {}), name)
    _tables(raw.get("stages", []), "stages")
    for n, group in enumerate(_tables(raw.get("groups", []), "groups")):
        _table(group.get("defaults", {}), f"groups[{n}].defaults")
        if "stages" in group:
            _tables(group["stages"], f"groups[{n}].stages")
    for table in (raw.get("defaults", {}), *(g.get("defaults", {}) for g in raw.get("groups", []))):
        for notes in NOTES:
            _table(table.get(notes, {}), notes)


def _with_defaults(raw: dict[str, Any]) -> dict[str, Any]:
    """Fold `defaults` (rulebook, then group) into each stage; the stage's own values win.

    A group without stages of its own takes the rulebook's `stages`, so care types that share a
    timetable but not their numbers (Stockholm 2018) state the timetable once.
    """
    rulebook_defaults = raw.pop("defaults", {})
    shared_stages = raw.pop("stages", [])
    for group in raw.get("groups", []):
        group_defaults = _layer(rulebook_defaults, group.pop("defaults", {}))
        group["stages"] = [_layer(group_defaults, s) for s in group.get("stages", shared_stages)]
    return raw


def _raw_rulebook(path: Path, seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's table, on top of the one it `extends` (an agreement that adopts the law)."""
    if path in seen:
        raise RulebookError(f"{path}: extends itself through {[p.stem for p in seen]}")
    raw = _read_toml(path)
    base_id = raw.pop("extends", None)
    if base_id is None:
        return raw
    return _layer(_raw_rulebook(_find(base_id), (*seen, path)), raw)


def _problems(error: ValidationError, prefix: str = "") -> str:
    return "; ".join(
        # A rulebook-wide check has an empty location: name the rulebook, not "".
        f"{prefix}{'.'.join(str(part) for part in e['loc']) or 'rulebook'}: {e['msg']}"
        for e in error.errors()[:10]
    )


def parse_rulebook(path: Path, overrides: Mapping[str, str] | None = None) -> Rulebook:
    """The file's rulebook, every value checked; `overrides` (--set NAME=VALUE) for one run."""
    raw = _raw_rulebook(path)
    try:
        _shape(raw)
    except ValueError as error:
        raise RulebookError(f"{path}: {error}") from None
    raw = _with_defaults(raw)
    if "id" in raw and raw["id"] != path.stem:
        raise RulebookError(f"{path}: id {raw['id']!r} differs from the file name {path.stem!r}")
    try:
        raw = parameters.resolve(raw, national_rate_table(), overrides or {})
        return Rulebook.model_validate(raw)
    except KeyError as error:
        names = sorted(raw.get("parameters", {}))
        if parameters.uses_national_rates(raw):
            names.append("day_rate_<YEAR> (Socialstyrelsen's amount)")
        known = ", ".join(names) or "none"
        raise RulebookError(
            f"{path.stem} has no parameter {error.args[0]!r}; its parameters: {known}"
        ) from None
    except ValidationError as error:
        prefix = "" if error.title == Rulebook.__name__ else "parameters."
        raise RulebookError(f"{path}: {_problems(error, prefix)}") from error
    except ValueError as error:
        raise RulebookError(f"{path}: {error}") from error


@cache
def _load_cached(path: Path, modified: float, overrides: tuple[tuple[str, str], ...]) -> Rulebook:
    return parse_rulebook(path, dict(overrides))


def load_rulebook(id_or_path: str, overrides: Mapping[str, str] | None = None) -> Rulebook:
    """By shipped or configured id, or by the path of a region's own TOML file."""
    candidate = Path(id_or_path)
    path = candidate if candidate.suffix == ".toml" and candidate.exists() else _find(id_or_path)
    try:
        modified = path.stat().st_mtime
    except OSError as error:
        raise RulebookError(f"{path}: cannot be read: {error.strerror}") from error
    return _load_cached(path.resolve(), modified, tuple(sorted((overrides or {}).items())))


@dataclass(frozen=True)
class Listing:
    """The rulebooks that load, and each file that does not with why: one bad file fails alone."""

    rulebooks: list[Rulebook]
    failed: list[tuple[Path, str]]


def rulebook_listing() -> Listing:
    seen: dict[str, Rulebook] = {}
    failed = []
    for path in _rulebook_files():
        if path.stem in seen:
            continue
        try:
            seen[path.stem] = load_rulebook(str(path))
        except RulebookError as error:
            failed.append((path, str(error)))
    return Listing(sorted(seen.values(), key=lambda r: r.id), failed)


def available_rulebooks() -> list[Rulebook]:
    """Every rulebook that loads; a broken file is left out (`rulebook_listing` says why)."""
    return rulebook_listing().rulebooks


@cache
def national_rate_table() -> dict[int, tuple[Decimal, str | None, str | None]]:
    """Socialstyrelsen's rate per care day by year (förordning 2017:617): (amount, source,
    assumption). `assumed` years are the project's guesses, listed on every invoice using them."""
    raw = _read_toml(_data_dir() / NATIONAL_RATES_FILE)
    sources, assumptions = raw.get("sources", {}), raw.get("assumptions", {})
    table = {**raw["rates"], **raw.get("assumed", {})}
    return {
        int(year): (Decimal(str(rate)), sources.get(year), assumptions.get(year))
        for year, rate in table.items()
    }


def national_day_rates() -> dict[int, Decimal]:
    return {year: rate for year, (rate, _, _) in national_rate_table().items()}

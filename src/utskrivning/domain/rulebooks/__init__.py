"""Rulebooks: the agreements' payment parts as TOML files, found by id or path.

The shipped files live in `data/`. A region adds its own agreement by writing a TOML file and
either passing its path or putting it in a directory named by `UTSKRIVNING_RULEBOOKS`
(os.pathsep-separated): no code changes.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from utskrivning.domain.rulebooks.model import (
    CARE_TYPES,
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

__all__ = [
    "CARE_TYPES",
    "Counting",
    "CountyAverage",
    "Group",
    "IndividualRule",
    "LiableWhen",
    "Model",
    "Precondition",
    "Rulebook",
    "RulebookError",
    "Stage",
    "available_rulebooks",
    "load_rulebook",
    "national_day_rates",
    "parse_rulebook",
]

NATIONAL_RATES_FILE = "national-day-rates.toml"


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
            return tomllib.load(handle)
    except OSError as error:
        raise RulebookError(f"{path}: cannot be read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise RulebookError(f"{path}: not valid TOML: {error}") from error


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


def parse_rulebook(path: Path) -> Rulebook:
    raw = _with_defaults(_raw_rulebook(path))
    if "id" in raw and raw["id"] != path.stem:
        raise RulebookError(f"{path}: id {raw['id']!r} differs from the file name {path.stem!r}")
    try:
        return Rulebook.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            # A rulebook-wide check has an empty location: name the rulebook, not "".
            f"{'.'.join(str(part) for part in e['loc']) or 'rulebook'}: {e['msg']}"
            for e in error.errors()
        )
        raise RulebookError(f"{path}: {problems}") from error


@cache
def _load_cached(path: Path, modified: float) -> Rulebook:
    return parse_rulebook(path)


def load_rulebook(id_or_path: str) -> Rulebook:
    """By shipped or configured id, or by the path of a region's own TOML file."""
    candidate = Path(id_or_path)
    path = candidate if candidate.suffix == ".toml" and candidate.exists() else _find(id_or_path)
    return _load_cached(path.resolve(), path.stat().st_mtime)


def available_rulebooks() -> list[Rulebook]:
    seen: dict[str, Rulebook] = {}
    for path in _rulebook_files():
        seen.setdefault(path.stem, load_rulebook(str(path)))
    return sorted(seen.values(), key=lambda r: r.id)


@cache
def national_day_rates() -> dict[int, Decimal]:
    """Socialstyrelsen's rate per care day by year (förordning 2017:617), shared by rulebooks."""
    raw = _read_toml(_data_dir() / NATIONAL_RATES_FILE)
    return {int(year): Decimal(str(rate)) for year, rate in raw["rates"].items()}

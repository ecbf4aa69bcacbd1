"""A national year through the payment engine, against the cost of merely reading the file.

Targets: reading and validating the file and computing every municipality's and month's invoice
basis takes at most twice as long as a bare `pl.read_csv` of it, in under 2 GB. Each measured run
is a freshly spawned process, so generating the data or an earlier run cannot inflate the peak
memory it reports. The steps take turns, run by run, so that a busy machine slows them alike;
the best wall time of each is the measure, and the process CPU time of that run is shown with it
(on a shared machine it varies less than the wall time). A third step, `unchecked.py`, runs the same
with no checks at all, to show how much time the target leaves for validating the file. Last,
`command.py` runs `utskrivning payment` as users run it, once per format and run (the formats
taking turns), each within 2× the engine's time (b) and under 2 GB.

    python benchmarks/payment.py [--episodes 1500000] [--year 2020] [--rulebook dalarna-2020]
                                 [--seed 0] [--runs 3] [--check] [--formats table,csv,json,xlsx]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

from command import FORMATS, CommandRun, command, run_command  # benchmarks/, beside this file
from unchecked import unchecked_run
from utskrivning.domain.demo import generate_episodes, write_episodes_csv
from utskrivning.domain.episodes import read_episodes
from utskrivning.domain.payment import compute_payment
from utskrivning.domain.rulebooks import load_rulebook

MAX_RATIO = 2.0
MAX_MEMORY_BYTES = 2_000_000_000
CACHE = Path(__file__).resolve().parents[1] / "build" / "benchmarks"


Phases = dict[str, float]


@dataclass(frozen=True)
class Measurement:
    seconds: float  # the best run
    cpu_seconds: float  # of the best run: user and system time of all its threads
    phases: Phases  # of the best run
    peak_bytes: int  # the highest of the runs


def bare_read(path: Path, _rulebook: str) -> Phases:
    start = time.perf_counter()
    pl.read_csv(path, infer_schema=False)
    return {"read_csv": time.perf_counter() - start}


def payment_run(path: Path, rulebook: str) -> Phases:
    start = time.perf_counter()
    episodes = read_episodes(path).frame  # raises on any bad row
    read = time.perf_counter()
    compute_payment(episodes, load_rulebook(rulebook))
    return {"read_episodes": read - start, "compute_payment": time.perf_counter() - read}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(
    step: Callable[[Path, str], Phases], path: Path, rulebook: str
) -> tuple[Phases, float, int]:
    """Runs in the child: the step's phase times, CPU time and the child's peak memory."""
    cpu = _cpu_seconds()
    phases = step(path, rulebook)
    cpu = _cpu_seconds() - cpu
    return phases, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def measure(
    steps: list[Callable[[Path, str], Phases]], path: Path, rulebook: str, runs: int
) -> list[Measurement]:
    """Each step `runs` times in fresh processes, the steps taking turns."""
    results: list[list[tuple[Phases, float, int]]] = [[] for _ in steps]
    for _ in range(runs):
        for step, step_results in zip(steps, results, strict=True):
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as child:
                step_results.append(child.submit(_timed, step, path, rulebook).result())
    measurements = []
    for step_results in results:
        phases, cpu, _ = min(step_results, key=lambda result: sum(result[0].values()))
        peak = max(peak for _, _, peak in step_results)
        measurements.append(Measurement(sum(phases.values()), cpu, phases, peak))
    return measurements


def episode_file(episodes: int, year: int, seed: int, console: Console) -> Path:
    """The generated year, cached under build/ because generating it costs as much as a run."""
    path = CACHE / f"episodes-{year}-{episodes}-seed{seed}.csv"
    if path.exists():
        console.print(f"Using cached {path}")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    frame = generate_episodes(episodes, year, seed=seed)
    generated = time.perf_counter() - start
    partial = path.with_suffix(".partial")
    write_episodes_csv(frame, partial)
    partial.replace(path)
    console.print(
        f"Generated {episodes:,} episodes in {generated:.1f} s, "
        f"written in {time.perf_counter() - start - generated:.1f} s: {path}"
    )
    return path


def _gb(size: int) -> str:
    return f"{size / 1e9:.2f} GB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=1_500_000)
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--rulebook", default="dalarna-2020")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--runs", type=int, default=3, help="best of this many runs per step")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--formats", default=",".join(FORMATS), help="the command's, or none")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    console = Console()

    path = episode_file(args.episodes, args.year, args.seed, console)
    console.print(
        f"{path.stat().st_size / 1e6:,.0f} MB, polars {pl.__version__}, {os.cpu_count()} CPUs, "
        f"rulebook {args.rulebook}, best of {args.runs}"
    )
    steps = [bare_read, payment_run, unchecked_run]
    read, run, unchecked = measure(steps, path, args.rulebook, args.runs)
    ratio = run.seconds / read.seconds
    ratio_ok, memory_ok = ratio <= MAX_RATIO, run.peak_bytes < MAX_MEMORY_BYTES

    table = Table(title=f"Payment run, {args.episodes:,} episodes ({args.year})")
    for column in ("step", "seconds", "CPU seconds", "peak memory", "target", "met"):
        table.add_column(column, justify="left" if column in ("step", "target") else "right")
    table.add_row(
        "(a) pl.read_csv, all strings",
        f"{read.seconds:.2f}",
        f"{read.cpu_seconds:.2f}",
        _gb(read.peak_bytes),
    )
    table.add_row(
        "(b) read_episodes + compute_payment",
        f"{run.seconds:.2f}",
        f"{run.cpu_seconds:.2f}",
        _gb(run.peak_bytes),
    )
    _add_phases(table, run)
    table.add_row(
        "(b) / (a)",
        f"{ratio:.2f}",
        f"{run.cpu_seconds / read.cpu_seconds:.2f}",
        "",
        f"≤ {MAX_RATIO}",
        _verdict(ratio_ok),
    )
    table.add_row(
        "(c) the same with no checks at all",
        f"{unchecked.seconds:.2f}",
        f"{unchecked.cpu_seconds:.2f}",
        _gb(unchecked.peak_bytes),
    )
    _add_phases(table, unchecked)
    table.add_row("(b) − (c): what the checks take", f"{run.seconds - unchecked.seconds:.2f}")
    table.add_row(
        "2 × (a) − (c): what the target leaves them",
        f"{MAX_RATIO * read.seconds - unchecked.seconds:.2f}",
    )
    table.add_row("peak memory of (b)", "", "", _gb(run.peak_bytes), "< 2 GB", _verdict(memory_ok))
    console.print(table)
    commands_ok = _commands(console, path, args.rulebook, formats, args.runs, run)
    return 1 if args.check and not (ratio_ok and memory_ok and commands_ok) else 0


def _commands(
    console: Console, path: Path, rulebook: str, formats: list[str], runs: int, engine: Measurement
) -> bool:
    """Each format's command `runs` times, the formats taking turns; best time, highest peak."""
    if not formats:
        return True
    results: dict[str, list[CommandRun]] = {f: [] for f in formats}
    for _ in range(runs):
        for format in formats:
            results[format].append(run_command(path, rulebook, format))
    table = Table(
        title="The command as users run it, output to a file (target: ≤ 2 × (b), < 2 GB)",
        caption=" ".join(command(path, rulebook, "FORMAT")) + " --output FILE",
    )
    for column in ("format", "seconds", "CPU seconds", "× (b)", "CPU × (b)", "≤ 2 × (b)",
                   "peak memory", "< 2 GB", "output"):  # fmt: skip
        table.add_column(column, justify="left" if column == "format" else "right")
    all_ok = True
    for format, measured in results.items():
        best = min(measured, key=lambda run: run.seconds)
        peak = max(run.peak_bytes for run in measured)
        ratio = best.seconds / engine.seconds
        fast, small = ratio <= MAX_RATIO, peak < MAX_MEMORY_BYTES
        all_ok = all_ok and fast and small
        table.add_row(
            format, f"{best.seconds:.2f}", f"{best.cpu_seconds:.2f}", f"{ratio:.2f}",
            f"{best.cpu_seconds / engine.cpu_seconds:.2f}", _verdict(fast), _gb(peak),
            _verdict(small), f"{best.output_bytes / 1e6:,.0f} MB",
        )  # fmt: skip
    console.print(table)
    console.print(
        f"The command within {MAX_RATIO:g} × the engine's time and under 2 GB in every format: "
        f"{_verdict(all_ok)}. Load while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} "
        "CPUs (a busy machine slows the command's single-threaded start more than the engine)."
    )
    return all_ok


def _add_phases(table: Table, measurement: Measurement) -> None:
    for phase, seconds in measurement.phases.items():
        table.add_row(f"    of which {phase}", f"{seconds:.2f}")


def _verdict(ok: bool) -> str:
    return "[green]yes[/green]" if ok else "[red]no[/red]"


if __name__ == "__main__":
    sys.exit(main())

"""The payment command as users run it: a process of its own, each format written to a file.

`make bench` sets each beside the engine alone (read, validate, compute, in one process): the
difference is the interpreter's start, the imports and writing the file. The child's peak
memory is its own resident set (`wait4`), as `/usr/bin/time -v` reports it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

FORMATS = ("table", "csv", "json", "xlsx")


@dataclass(frozen=True)
class CommandRun:
    seconds: float
    cpu_seconds: float  # user and system time of the child
    peak_bytes: int
    output_bytes: int


def command(path: Path, rulebook: str, format: str) -> list[str]:
    """The exact command line, with the installed entry point beside this interpreter."""
    executable = Path(sys.executable).with_name("utskrivning")
    return [str(executable), "payment", "--rulebook", rulebook, "--episodes", str(path),
            "--format", format]  # fmt: skip


def run_command(path: Path, rulebook: str, format: str) -> CommandRun:
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        output = Path(folder) / f"basis.{format}"
        errors = Path(folder) / "stderr"
        with errors.open("wb") as stderr:
            start = time.perf_counter()
            child = subprocess.Popen(
                [*command(path, rulebook, format), "--output", str(output)],
                stdout=subprocess.DEVNULL, stderr=stderr,
            )  # fmt: skip
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise RuntimeError(f"{format}: exit {code}: {errors.read_text(errors='replace')}")
        return CommandRun(
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            peak_bytes=usage.ru_maxrss * 1024,  # KiB on Linux
            output_bytes=output.stat().st_size,
        )

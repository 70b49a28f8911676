"""Tells the user how a build goes: a progress bar on a terminal, plain lines in CI or a pipe,
and a summary table at the end."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TextIO

from .errors import Problem

if TYPE_CHECKING:
    from rich.progress import TaskID


@dataclass
class Outcome:
    """What happened to one publication."""

    id: str
    status: str  # built, skipped (unchanged), failed, left out (a collection made none: see note)
    seconds: float = 0.0
    sizes: dict[str, int] = field(default_factory=dict)  # suffix -> bytes
    problems: list[Problem] = field(default_factory=list)
    note: str = ""  # why it was left out


class Reporter(Protocol):
    def start(self, total: int) -> None: ...
    def done(self, outcome: Outcome) -> None: ...
    def finish(self, outcomes: list[Outcome]) -> None: ...


class Quiet:
    """For library use and tests: says nothing."""

    def start(self, total: int) -> None: ...
    def done(self, outcome: Outcome) -> None: ...
    def finish(self, outcomes: list[Outcome]) -> None: ...


class Lines:
    """One line per publication: for CI logs and pipes."""

    def __init__(self, stream: TextIO | None = None, verbose: bool = False) -> None:
        self.stream = stream or sys.stdout
        self.verbose = verbose  # also the unchanged publications, and each problem of a failed one

    def start(self, total: int) -> None:
        print(f"building {total} publication(s)", file=self.stream, flush=True)

    def done(self, outcome: Outcome) -> None:
        if outcome.status == "built":
            sizes = ", ".join(
                f"{suffix.lstrip('.')} {size // 1024} KB" for suffix, size in outcome.sizes.items()
            )
            print(f"built {outcome.id} ({outcome.seconds:.2f} s; {sizes})", file=self.stream, flush=True)
        elif outcome.status == "failed":
            print(f"FAILED {outcome.id}", file=self.stream, flush=True)
            for problem in outcome.problems if self.verbose else ():
                print(f"  {problem}", file=self.stream, flush=True)
        elif outcome.status == "skipped" and self.verbose:
            print(f"unchanged {outcome.id}", file=self.stream, flush=True)
        elif outcome.status == "left out":
            print(f"left out {outcome.id}: {outcome.note}", file=self.stream, flush=True)

    def finish(self, outcomes: list[Outcome]) -> None:
        print(summary_line(outcomes), file=self.stream, flush=True)


class Bar:
    """A rich progress bar on a terminal, then a table of what was built."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
            auto_refresh=False,  # no refresher thread: the build forks its workers (see workers.py)
        )
        self.task: TaskID | None = None

    def start(self, total: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task("building", total=total)

    def done(self, outcome: Outcome) -> None:
        assert self.task is not None, "start() first"
        self.progress.update(self.task, advance=1, description=f"{outcome.status} {outcome.id}", refresh=True)

    def finish(self, outcomes: list[Outcome]) -> None:
        from rich.table import Table

        self.progress.stop()
        table = Table(title=summary_line(outcomes), title_justify="left")
        for column in ("publication", "status", "seconds", "PDF KB", "DOCX KB"):
            table.add_column(column, justify="right" if column not in ("publication", "status") else "left")
        for outcome in sorted(outcomes, key=lambda o: (o.status != "failed", o.status != "built", o.id)):
            if outcome.status == "skipped" and len(outcomes) > 12:
                continue  # a long list of unchanged publications says nothing: the title counts them
            table.add_row(
                outcome.id,
                f"{outcome.status}: {outcome.note}" if outcome.note else outcome.status,
                f"{outcome.seconds:.2f}" if outcome.seconds else "",
                *(str(outcome.sizes[s] // 1024) if s in outcome.sizes else "" for s in (".pdf", ".docx")),
            )
        self.console.print(table)


def summary_line(outcomes: list[Outcome]) -> str:
    counts: dict[str, int | None] = {
        status: sum(o.status == status for o in outcomes) for status in ("built", "skipped", "failed")
    }
    counts["left out"] = sum(o.status == "left out" for o in outcomes) or None  # named only when any
    return ", ".join(f"{n} {status}" for status, n in counts.items() if n is not None)


def reporter(verbosity: int = 0) -> Reporter:
    """Nothing for ``-q`` (errors still print), every publication in plain lines for ``-v``; else a
    bar on an interactive terminal and plain lines elsewhere (CI, pipes, files)."""
    if verbosity < 0:
        return Quiet()
    if verbosity == 0 and sys.stderr.isatty() and not os.environ.get("CI"):
        return Bar()
    return Lines(verbose=verbosity > 0)

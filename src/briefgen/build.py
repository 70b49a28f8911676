"""The pipeline, top to bottom: load → validate → build context → render → write.

Every publication is loaded, validated and rendered before any file is written, so a content
or template error never replaces an earlier output. Each publication's files are written to
temporary names and renamed together, so its PDF and DOCX always say the same thing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import context
from .atomic import atomic_target, sweep_stale
from .charts import ChartBook
from .errors import BriefgenError, Collector
from .render import Rendered, render, template_of
from .resources import Resources
from .validate import validate_content


@dataclass(frozen=True)
class Job:
    """One publication, rendered and ready for its writers."""

    rendered: Rendered
    resources: Resources


def prepare(content: Path, out: Path, paper: str | None = None, only: list[str] | None = None) -> list[Job]:
    """Load, validate, build contexts and render every publication (no output is written)."""
    # Load every YAML file with its line numbers, then validate: schema, references, prose links,
    # trade tables. All problems, load ones included, are reported at once.
    library = validate_content(content)
    selected = only or list(library.publications)
    unknown = [id for id in selected if id not in library.publications]
    if unknown:
        raise BriefgenError.at(
            content / "publications",
            None,
            f"no publication '{unknown[0]}'",
            f"choose from: {', '.join(library.publications)}",
        )
    if not selected:
        raise BriefgenError.at(
            content / "publications",
            None,
            "no publications to build",
            "add a file such as publications/my-brief.yaml",
        )
    # Build context and render: one HTML document per publication, for both writers.
    errors = Collector()
    jobs = []
    for id in selected:
        record = library.publications[id]
        try:
            ctx = context.build(record, library)
            if paper:
                ctx.publication["paper"] = paper
            book = ChartBook(ctx, out / ".cache" / "charts", template_of(ctx.kind))
            rendered = render(ctx, book)
            jobs.append(Job(rendered, Resources(content, book.charts, record.doc.path)))
        except BriefgenError as exc:
            errors.extend(exc)
    errors.raise_if_any()
    return jobs


def write(job: Job, out: Path) -> list[Path]:
    """Write one publication in every format; its files appear together or not at all."""
    from .writers import Layout, writers

    targets = [(writer, out / f"{job.rendered.id}{writer.suffix}") for writer in writers()]
    layout = Layout()
    with _all_or_nothing([target for _, target in targets]) as temps:
        for (writer, _), tmp in zip(targets, temps, strict=True):
            writer.write(job.rendered, job.resources, tmp, layout)
    return [target for _, target in targets]


@contextlib.contextmanager
def _all_or_nothing(targets: list[Path]) -> Iterator[list[Path]]:
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(atomic_target(target)) for target in targets]


def build(content: Path, out: Path, paper: str | None = None, only: list[str] | None = None) -> list[Path]:
    """Build every publication (or ``only`` those ids) into ``out``; return the files written."""
    jobs = prepare(content, out, paper, only)
    sweep_stale(out)
    written: list[Path] = []
    for job in jobs:
        written += write(job, out)
    return written

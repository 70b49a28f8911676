"""The pipeline, top to bottom: load → validate → plan → build context → render → write.

Content is loaded and validated before any file is written. Each publication is then rendered
once (in this process: it is quick) and written as PDF and DOCX by a pool of worker processes
(WeasyPrint is the slow part). A publication's files go to temporary names and are renamed
together, so its PDF and DOCX always say the same thing, and a failure replaces nothing.
One broken publication does not stop the others: every failure is reported at the end. An
output folder that refuses a write (a full disk, a read-only folder) stops the build at once.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Generator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from . import cluster, context
from .atomic import Unwritable, make_folder, sweep_stale, unwritable
from .charts import ChartBook
from .errors import BriefgenError, Problem, did_you_mean
from .glyphs import preflight
from .helper import Helper
from .incremental import (
    Manifest,
    code_version,
    digest,
    key,
    nothing_changed,
    settings,
    shown_files,
    snapshot,
    template_listing,
)
from .library import PUBLICATIONS, Library
from .paths import Templates
from .progress import Outcome, Quiet, Reporter
from .render import ENTRY, Rendered, render, shared_theme, template_of
from .resources import Resources
from .validate import check_content
from .workers import write, write_all


@dataclass(frozen=True)
class Job:
    """One publication, rendered and ready for its writers, with the files it was made from."""

    rendered: Rendered
    resources: Resources
    inputs: tuple[Path, ...]


@dataclass(frozen=True)
class Options:
    paper: str | None = None
    only: tuple[str, ...] = ()
    jobs: int = 1
    force: bool = False
    archival: bool = False
    edition: str | None = None
    scheduler: str | None = None  # a Dask scheduler's address: write there, not in local workers

    @property
    def settings(self) -> str:
        return settings(self.paper, self.archival, self.edition)


def build(
    content: Path,
    out: Path,
    paper: str | None = None,
    only: list[str] | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    archival: bool = False,
    edition: str | None = None,
    reporter: Reporter | None = None,
    scheduler: str | None = None,
) -> list[Outcome]:
    """Build what changed among every publication (or ``only`` those ids) into ``out``, or, for
    the ``edition`` of a client, into ``out/editions/<client>/``.

    Returns one outcome per publication; raises :class:`BriefgenError` with every problem if
    any publication failed, after building all the others."""
    options = Options(paper, tuple(only or ()), max(1, jobs), force, archival, edition, scheduler)
    if scheduler:  # a worker's folder is not ours: every path it is sent must be absolute
        content, out = content.absolute(), out.absolute()
    reporter = reporter or Quiet()
    charts = out / ".cache" / "charts"  # editions share the charts of the main build
    out = edition_folder(out, edition)
    # Nothing changed since the last complete build: stop before loading anything.
    if not force and nothing_changed(content, out, options.settings, list(options.only) or None):
        manifest = Manifest.load(out)
        skipped = [Outcome(id, "skipped") for id in (options.only or manifest.publications)]
        reporter.finish(skipped)
        return skipped
    # A build that writes one publication here would spend a second importing matplotlib, then
    # draw and write on one core: a helper process starts on that now (see helper.py).
    with Helper() if options.jobs > 1 and not options.scheduler else contextlib.nullcontext() as helper:
        return _build_changed(content, out, charts, options, reporter, helper)


def _build_changed(
    content: Path, out: Path, charts: Path, options: Options, reporter: Reporter, helper: Helper | None
) -> list[Outcome]:
    """``build`` once something may have changed: load, validate, plan, render, write."""
    edition = options.edition
    files = snapshot(content)
    # Load and validate. A problem outside the publication files stops everything; a problem
    # in a publication's own file fails that publication only.
    library, problems = _check(content)
    ids = _select(library, options.only, problems, content)
    if edition and edition not in library.entities.get("clients", {}):
        raise BriefgenError.at(
            content / "clients",
            None,
            f"no client '{edition}'",
            f"add content/clients/{edition}.yaml, or choose from: "
            f"{', '.join(library.entities.get('clients', {})) or 'none yet'}",
        )
    failed = _failed_publications(library, problems, ids)
    # Plan: skip what was built from exactly these inputs before.
    manifest = Manifest.load(out)
    code = code_version()
    outcomes = {id: Outcome(id, "failed", problems=found) for id, found in failed.items()}
    todo = []
    for id in ids:
        if id in outcomes:
            continue
        entry = manifest.publications.get(id)
        if (
            not options.force
            and entry
            and manifest.unchanged(id, library.publications[id].kind, files, code, options.settings, out)
        ):
            outcomes[id] = Outcome(id, "skipped")
        else:
            todo.append(id)
    make_folder(out)  # a file in its place stops the build before any work
    # A collection's entity with nothing to publish made no publication: say which, and why.
    left_out = (
        []
        if options.only
        else [Outcome(id, "left out", note=why) for id, why in sorted(library.left_out.items())]
    )
    reporter.start(len(ids))
    for outcome in [*left_out, *outcomes.values()]:
        reporter.done(outcome)
    # Build context and render each publication, then write it. A pool is handed each one as
    # soon as it is rendered, so its workers start while later ones still render. The first
    # write the system refuses stops the build: every later one would fare the same, and the
    # publications not yet written keep their files.
    sweep_stale(out)

    def rendered() -> Iterator[Job]:
        for id in todo:
            try:
                yield prepare_one(library, id, content, charts, options.paper, options.archival, edition)
            except BriefgenError as exc:
                outcomes[id] = Outcome(id, "failed", problems=exc.problems)
                reporter.done(outcomes[id])

    stop: list[Problem] = []  # that refusal, if any
    writing: Generator[tuple[Outcome, Job], None, None]
    if options.scheduler and todo:  # nothing to write: no cluster needed
        writing = cluster.write_all(rendered(), out, options.scheduler)
    elif options.jobs > 1 and len(todo) > 1:
        if helper is not None:  # a pool spreads many publications over its workers
            helper.close()
        writing = write_all(rendered(), out, options.jobs, len(todo))
    else:
        prepared = list(rendered())
        writing = write_all(prepared, out, options.jobs, helper=helper)
        if len(prepared) == 1 and helper is not None:  # written here: the helper draws its charts
            helper.draw(list(prepared[0].resources.charts.values()))
    with contextlib.closing(writing) as written:
        for outcome, job in written:
            outcomes[outcome.id] = outcome
            reporter.done(outcome)
            if outcome.status == "built":
                manifest.publications[outcome.id] = {
                    "inputs": {key(p, content): _sha(p, content, files) for p in job.inputs},
                    "templates": template_listing(files, job.rendered.kind),
                    "outputs": [f"{outcome.id}{suffix}" for suffix in outcome.sizes],
                }
            refused: list[Problem] = [p for p in outcome.problems if isinstance(p, Unwritable)]
            if refused:
                outcome.problems = stop = refused[:1]
                break
    for id in todo:  # not written: the build stopped before them
        outcomes.setdefault(id, Outcome(id, "failed"))
    # Outputs of publications that no longer exist go; the manifest records what was built.
    if not options.only and not problems and not stop:  # a file that fails to load is not a deleted one
        for gone in set(manifest.publications) - set(library.publications):
            stop = _remove_outputs(out, manifest.publications[gone])
            if stop:
                break
            del manifest.publications[gone]
    for id, outcome in outcomes.items():
        if outcome.status == "failed":
            manifest.publications.pop(id, None)
    complete = not options.only and not stop and not any(o.status == "failed" for o in outcomes.values())
    manifest.code, manifest.settings = code, options.settings
    manifest.snapshot = files if complete else {}
    try:
        manifest.save(out)
    except BriefgenError as exc:  # what was built is whole; unrecorded, it is built again next time
        stop = stop or exc.problems
    result = [outcomes[id] for id in ids]
    reporter.finish([*result, *left_out])
    errors = [p for o in result for p in o.problems]
    if stop and stop[0] not in errors:
        errors.append(stop[0])
    if errors:
        raise BriefgenError(errors)
    return result


def prepare(content: Path, out: Path, paper: str | None = None, only: list[str] | None = None) -> list[Job]:
    """Load, validate, build contexts and render (no output is written): what `validate` runs."""
    library, problems = _check(content)
    if problems:
        raise BriefgenError(problems)
    ids = _select(library, tuple(only or ()), [], content)
    jobs, errors = [], []
    for id in ids:
        try:
            jobs.append(prepare_one(library, id, content, out / ".cache" / "charts", paper))
        except BriefgenError as exc:
            errors += exc.problems
    if errors:
        raise BriefgenError(errors)
    return jobs


def _check(content: Path) -> tuple[Library, list[Problem]]:
    """Validation, then the glyph preflight: every character in a font the templates use."""
    library, problems = check_content(content)
    return library, problems + preflight(library, shared_theme(Templates.of(content)))


def prepare_one(
    library: Library,
    id: str,
    content: Path,
    charts: Path,
    paper: str | None,
    archival: bool = False,
    edition: str | None = None,
) -> Job:
    """Context, charts (cached in ``charts``) and the rendered HTML of one publication."""
    record = library.publications[id]
    if paper:  # the override becomes the publication's own paper: one value for the template
        # (the PDF's page) and the DOCX writer alike
        record = replace(record, model=record.model.model_copy(update={"paper": paper}))
    ctx = context.build(record, library, edition)
    templates = Templates.of(content)
    book = ChartBook(ctx, charts, template_of(ctx.kind, templates))
    rendered = render(ctx, book)
    if archival or ctx.publication.publisher.archival:
        rendered = replace(rendered, archival=True, attachments=_attachments(ctx, record.doc.sources))
    shown = shown_files(rendered.html, content)
    return Job(
        rendered,
        Resources(content, book.charts, record.doc.path),
        (*record.doc.sources, *sorted(ctx.inputs), *templates.files(ctx.kind), *shown),
    )


def _attachments(ctx: context.Context, sources: tuple[Path, ...]) -> tuple[tuple[str, bytes, str, str], ...]:
    """What an archival PDF carries inside it: the content files it was made from, and its
    trade table as CSV."""
    found = [(path.name, path.read_bytes(), "briefgen source content (YAML)", "Source") for path in sources]
    table = ctx.trade
    if table is not None:
        lines = [",".join(["row", *(f"{y}{' (e)' if y in table.estimates else ''}" for y in table.years)])]
        lines += [",".join([f'"{row.label}"', *map(_cell, row.values)]) for row in table.rows]
        lines.append(",".join(['"Exchange Rate"', *map(_cell, table.exchange_rate)]))
        csv = ("\n".join(lines) + "\n").encode()
        found.append((f"{ctx.id}-trade-data.csv", csv, f"trade data, {table.unit}", "Data"))
    return tuple(found)


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:g}"  # an empty cell: not available


def _select(library: Library, only: tuple[str, ...], problems: list[Problem], content: Path) -> list[str]:
    if not only:
        if not library.publications and not problems:
            raise BriefgenError.at(
                content / PUBLICATIONS,
                None,
                "no publications to build",
                "add a file such as publications/my-brief.yaml",
            )
        return list(library.publications) + sorted(_publication_ids_with_problems(problems, library))
    for id in only:
        if id in library.left_out:
            raise BriefgenError.at(
                content / PUBLICATIONS,
                None,
                f"publication '{id}' is left out: {library.left_out[id]}",
                "add that content, or build another publication",
            )
    unknown = [id for id in only if id not in library.publications]
    if unknown and not problems:
        raise BriefgenError.at(
            content / PUBLICATIONS,
            None,
            f"no publication '{unknown[0]}'",
            did_you_mean(unknown[0], library.publications)
            or f"choose from: {', '.join(library.publications)}",
        )
    return list(only)


def _publication_ids_with_problems(problems: list[Problem], library: Library) -> set[str]:
    """Publications that did not even validate, named after their files."""
    return {Path(p.path).stem for p in problems if Path(p.path).parent.name == PUBLICATIONS} - set(
        library.publications
    )


def _failed_publications(
    library: Library, problems: list[Problem], ids: list[str]
) -> dict[str, list[Problem]]:
    """Which publications the problems fail. A problem in an entity, theme or template file
    concerns every publication: then nothing is built."""
    if not problems:
        return {}
    if any(Path(p.path).parent.name != PUBLICATIONS for p in problems):
        raise BriefgenError(problems)
    failed: dict[str, list[Problem]] = {}
    for id in ids:
        path = library.publications[id].doc.path if id in library.publications else None
        mine = [p for p in problems if Path(p.path) == path or (path is None and Path(p.path).stem == id)]
        if mine or path is None:
            failed[id] = mine or [
                Problem(Path("publications"), None, f"no publication '{id}'", "check the id")
            ]
    return failed


def _sha(path: Path, content: Path, files: dict[str, str]) -> str:
    """An input's digest, from the snapshot; a file the snapshot leaves out (a name starting with
    a dot) is hashed here, and then counts as changed at every build: safe, if not quick."""
    return files.get(key(path, content)) or digest(path)


def _remove_outputs(out: Path, entry: dict) -> list[Problem]:
    """Delete a publication's outputs; what the system refused, if it did."""
    for name in entry.get("outputs", []):
        try:
            (out / name).unlink(missing_ok=True)
        except OSError as exc:
            return [unwritable(out / name, exc)]
    return []


def edition_folder(out: Path, edition: str | None) -> Path:
    return out / "editions" / edition if edition else out


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


__all__ = ["ENTRY", "Job", "build", "default_jobs", "prepare", "write"]

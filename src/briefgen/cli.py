"""The ``briefgen`` command: ``build`` and ``validate``; content errors are one line each, exit 1.

Heavy modules are imported only when there is work: a build in which nothing changed hashes the
inputs, finds them as they were, and stops (well under a second).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .epoch import source_date
from .errors import BriefgenError


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        source_date()  # a bad SOURCE_DATE_EPOCH stops every command, even one with nothing to do
        if args.command == "dist":
            from .dist import pack

            target, drafts = pack(args.content, args.out)
            for draft in drafts:
                print(draft)
            print(f"wrote {target}" + (f" ({len(drafts)} draft(s) left out)" if drafts else ""))
            return 0
        if args.command == "validate":
            from .build import prepare

            jobs = prepare(args.content, args.out, args.paper, args.ids or None)
            print(f"{len(jobs)} publication(s) valid")
            return 0
        return _build(args)
    except KeyboardInterrupt:
        print("briefgen: interrupted; every file is either as it was or complete", file=sys.stderr)
        return 130
    except BriefgenError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        done = "failed publications kept their files" if args.command == "build" else "nothing was written"
        print(f"briefgen: {len(exc.problems)} error(s); {done}", file=sys.stderr)
        return 1


def _build(args: argparse.Namespace) -> int:
    """Build the library, or one edition per client named (``--edition all``: every client)."""
    if args.edition == "all":
        editions = sorted(p.stem for p in (args.content / "clients").glob("*.yaml"))
    else:
        editions = [args.edition]
    for edition in editions:
        _build_one(args, edition)
    return 0


def _build_one(args: argparse.Namespace, edition: str | None) -> None:
    from .incremental import nothing_changed, settings

    folder = args.out / "editions" / edition if edition else args.out
    label = f"edition {edition}: " if edition else ""
    if not args.force and nothing_changed(
        args.content, folder, settings(args.paper, args.pdfa, edition), args.ids or None
    ):
        print(f"{label}nothing changed: every publication is up to date")
        return
    from .build import build, default_jobs
    from .progress import reporter

    if label:
        print(label.rstrip(": "))
    build(
        args.content,
        args.out,
        args.paper,
        args.ids or None,
        jobs=args.jobs or default_jobs(),
        force=args.force,
        archival=args.pdfa,
        edition=edition,
        reporter=reporter(),
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="briefgen", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help in (
        ("build", "build every publication that changed, as PDF and DOCX"),
        ("validate", "check the content and templates without writing anything"),
        ("dist", "zip the built final publications with a manifest (drafts are left out and named)"),
    ):
        cmd = commands.add_parser(name, help=help)
        cmd.add_argument(
            "--content", type=Path, default=Path("content"), help="content folder (default: content)"
        )
        cmd.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
        if name == "dist":
            continue
        cmd.add_argument("--paper", choices=["a4", "letter"], help="override every publication's paper size")
        cmd.add_argument("ids", nargs="*", help="publication ids to build (default: all)")
        if name == "build":
            cmd.add_argument("--jobs", "-j", type=int, help="worker processes (default: the number of cores)")
            cmd.add_argument("--force", action="store_true", help="rebuild everything, changed or not")
            cmd.add_argument(
                "--edition",
                metavar="CLIENT",
                help="a per-client edition into build/editions/CLIENT/ ('all': one for every client)",
            )
            cmd.add_argument(
                "--pdfa",
                action="store_true",
                help="archival PDF/A-3b, tagged, with the source and trade data attached",
            )
    return parser

"""The ``briefgen`` command; content errors are one line each, exit 1.

Heavy modules are imported only when there is work: a build in which nothing changed hashes the
inputs, finds them as they were, and stops (well under a second).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from . import __version__
from .epoch import source_date
from .errors import BriefgenError, did_you_mean

KINDS = ("market-brief", "commentary", "city-profile")  # model.PUBLICATION_KINDS, without pydantic


def run() -> NoReturn:
    """The ``briefgen`` command: ``main``, then the process ends at once. Every file is written
    and closed by then; tearing the interpreter down (freeing WeasyPrint's documents, unloading
    Pango) would only keep the shell waiting, a few tenths of a second on each build."""
    code = main()
    with contextlib.suppress(OSError):  # a reader that stopped was answered in main
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser, commands = _parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        _unrecognised(commands[args.command], extras)
    try:
        source_date()  # a bad SOURCE_DATE_EPOCH stops every command, even one with nothing to do
        code = COMMANDS[args.command][1](args)
        sys.stdout.flush()  # here, not at exit: a reader that stopped is met by the handler below
        return code
    except KeyboardInterrupt:
        print("briefgen: interrupted; every file is either as it was or complete", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output stopped (`briefgen … | head`): not our error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 1
    except BriefgenError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        done = "failed publications kept their files" if args.command == "build" else "nothing was written"
        print(f"briefgen: {len(exc.problems)} error(s); {done}", file=sys.stderr)
        return 1


def say(args: argparse.Namespace, text: str) -> None:
    """Print what a command did, unless ``-q`` asked for errors only."""
    if args.verbosity >= 0:
        print(text)


# --- the commands: each takes the parsed arguments and returns the exit code ------------------


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
        say(args, f"{label}nothing changed: every publication is up to date")
        return
    from .build import build, default_jobs
    from .progress import reporter

    if label:
        say(args, label.rstrip(": "))
    build(
        args.content,
        args.out,
        args.paper,
        args.ids or None,
        jobs=args.jobs or default_jobs(),
        force=args.force,
        archival=args.pdfa,
        edition=edition,
        reporter=reporter(args.verbosity),
        scheduler=args.scheduler,
    )


def _validate(args: argparse.Namespace) -> int:
    from .build import prepare

    jobs = prepare(args.content, args.out, args.paper, args.ids or None)
    if args.verbosity > 0:
        for job in jobs:
            print(f"valid {job.rendered.id}")
    say(args, f"{len(jobs)} publication(s) valid")
    return 0


def _dist(args: argparse.Namespace) -> int:
    from .dist import pack

    target, drafts = pack(args.content, args.out)
    for draft in drafts:
        say(args, str(draft))
    say(args, f"wrote {target}" + (f" ({len(drafts)} draft(s) left out)" if drafts else ""))
    return 0


def _init(args: argparse.Namespace) -> int:
    from .scaffold import init_project

    written = init_project(args.dir)
    for path in written if args.verbosity > 0 else ():
        print(f"wrote {path}")
    say(args, f"started a project in {args.dir}: cd {args.dir} && briefgen build")
    return 0


def _new(args: argparse.Namespace) -> int:
    from .errors import display_path
    from .scaffold import new_publication, schema_folder

    had_schemas = schema_folder(args.content).exists()
    path = new_publication(
        args.content,
        args.kind,
        args.id,
        country=args.country,
        sector=args.sector,
        publisher=args.publisher,
        authors=args.author,
        city=args.city,
    )
    say(args, f"wrote {path}: fill it in, then briefgen validate")
    if not had_schemas and schema_folder(args.content).exists():
        say(args, f"wrote JSON Schema for editors into {display_path(schema_folder(args.content))}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    written = write_schemas(args.out)
    for path in written if args.verbosity > 0 else ():
        print(f"wrote {path}")
    say(args, f"wrote {len(written)} JSON Schema file(s) into {args.out}")
    return 0


def _preview(args: argparse.Namespace) -> int:
    from .preview import serve

    return serve(args.content, args.out, args.ids or None, port=args.port, verbosity=args.verbosity)


Command = Callable[[argparse.Namespace], int]
COMMANDS: dict[str, tuple[str, Command]] = {
    "build": ("build every publication that changed, as PDF and DOCX", _build),
    "validate": ("check the content and templates without writing anything", _validate),
    "dist": ("zip the built final publications with a manifest (drafts are left out and named)", _dist),
    "init": ("start a content project in a new folder that builds at once", _init),
    "new": ("add a publication to the content folder, ready to fill in", _new),
    "schema": ("write JSON Schema of the content files, for editors that validate YAML", _schema),
    "preview": ("rebuild on every save and show the pages in a browser on 127.0.0.1", _preview),
}


# --- the parser -------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """Adds "did you mean" to argparse's message for a mistyped command or choice."""

    def error(self, message: str) -> NoReturn:
        wrong = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if wrong:
            hint = did_you_mean(wrong.group(1), re.findall(r"'([^']*)'", wrong.group(2)))
            message += f" — {hint}" if hint else ""
        super().error(message)


def _unrecognised(command: argparse.ArgumentParser, extras: list[str]) -> None:
    options = [s for action in command._actions for s in action.option_strings]
    hint = next((did_you_mean(x.split("=")[0], options) for x in extras if x.startswith("-")), "")
    command.error(f"unrecognized arguments: {' '.join(extras)}" + (f" — {hint}" if hint else ""))


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser: argparse.ArgumentParser = _Parser(
        prog="briefgen",
        description="Publish market briefs and commentaries from YAML content as PDF and Word.",
    )
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    _verbosity(parser, 0)
    sub = parser.add_subparsers(dest="command", required=True, metavar="command")
    commands: dict[str, argparse.ArgumentParser] = {
        name: sub.add_parser(name, help=help, description=help) for name, (help, _) in COMMANDS.items()
    }
    for command in commands.values():
        _verbosity(command, argparse.SUPPRESS)  # also after the command: briefgen build -q

    for name in ("build", "validate", "dist", "preview"):
        _folders(commands[name])
    for name in ("build", "validate", "preview"):
        commands[name].add_argument("ids", nargs="*", help="publication ids (default: all)")
    for name in ("build", "validate"):
        commands[name].add_argument(
            "--paper", choices=["a4", "letter"], help="override every publication's paper size"
        )

    build = commands["build"]
    build.add_argument("--jobs", "-j", type=int, help="worker processes (default: the number of cores)")
    build.add_argument("--force", action="store_true", help="rebuild everything, changed or not")
    build.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="write on a Dask cluster (e.g. tcp://host:8786) instead of local worker processes",
    )
    build.add_argument(
        "--edition",
        metavar="CLIENT",
        help="a per-client edition into build/editions/CLIENT/ ('all': one for every client)",
    )
    build.add_argument(
        "--pdfa",
        action="store_true",
        help="archival PDF/A-3b, tagged, with the source and trade data attached",
    )

    commands["init"].add_argument("dir", type=Path, help="the new project's folder (new or empty)")

    new = commands["new"]
    new.add_argument("kind", choices=KINDS, help="what kind of publication")
    new.add_argument("id", help="its id: the file name, lower case with hyphens (e.g. vietnam-fintech)")
    new.add_argument("--country", help="the country id (market-brief)")
    new.add_argument("--sector", help="the sector id (market-brief)")
    new.add_argument("--city", help="the city id (city-profile)")
    new.add_argument(
        "--author",
        action="append",
        help="an author id (commentary; repeat for several; default: the content's only author)",
    )
    new.add_argument("--publisher", help="the publisher id (default: the content's only publisher)")
    new.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )

    commands["schema"].add_argument(
        "--out", type=Path, default=Path("schemas"), help="folder for the schema files (default: schemas)"
    )
    commands["preview"].add_argument(
        "--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0 picks a free one)"
    )
    return parser, commands


def _folders(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--content", type=Path, default=Path("content"), help="content folder (default: content)"
    )
    command.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")


def _verbosity(parser: argparse.ArgumentParser, default: object) -> None:
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument(
        "-q",
        "--quiet",
        dest="verbosity",
        action="store_const",
        const=-1,
        default=default,
        help="print errors only",
    )
    loudness.add_argument(
        "-v",
        "--verbose",
        dest="verbosity",
        action="store_const",
        const=1,
        default=default,
        help="also name every publication and file",
    )

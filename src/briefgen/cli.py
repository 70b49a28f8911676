"""The ``briefgen`` command: ``build`` and ``validate``; content errors are one line each, exit 1."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .build import build, prepare
from .errors import BriefgenError, display_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="briefgen", description=__doc__)
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help in (
        ("build", "build every publication as PDF and DOCX"),
        ("validate", "check the content and templates without writing anything"),
    ):
        cmd = commands.add_parser(name, help=help)
        cmd.add_argument(
            "--content", type=Path, default=Path("content"), help="content folder (default: content)"
        )
        cmd.add_argument("--out", type=Path, default=Path("build"), help="output folder (default: build)")
        cmd.add_argument("--paper", choices=["a4", "letter"], help="override every publication's paper size")
        cmd.add_argument("ids", nargs="*", help="publication ids to build (default: all)")
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            jobs = prepare(args.content, args.out, args.paper, args.ids or None)
            print(f"{len(jobs)} publication(s) valid")
        else:
            for path in build(args.content, args.out, args.paper, args.ids or None):
                print(f"wrote {display_path(path)}")
    except KeyboardInterrupt:
        print("briefgen: interrupted; every file is either as it was or complete", file=sys.stderr)
        return 130
    except BriefgenError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"briefgen: {len(exc.problems)} error(s); nothing was replaced", file=sys.stderr)
        return 1
    return 0

"""``python -m tests.visual review|approve`` (from the repository root; ``make visual-review``,
``make visual-approve``): build the samples into build/, render every page, write the review page
build/visual/review.html, and with ``approve`` take the new images as approved."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from briefgen.build import build
from briefgen.errors import BriefgenError

from . import APPROVED, REVIEW, ROOT, approve, compare, libreoffice, publications, render
from .review import write_review


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.visual", description=__doc__)
    parser.add_argument("action", choices=["review", "approve"])
    action = parser.parse_args(argv).action
    soffice = shutil.which("soffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("needs pdftoppm and soffice: apt-get install poppler-utils libreoffice-writer-nogui")
        return 1
    out = ROOT / "build"
    try:
        outcomes = build(ROOT / "content", out, jobs=os.cpu_count() or 1)
    except BriefgenError as exc:
        print(exc)
        return 1
    ids = sorted(o.id for o in outcomes if (out / f"{o.id}.pdf").exists())
    with tempfile.TemporaryDirectory() as scratch:
        new = Path(scratch) / "pages"
        word_pdfs = libreoffice(soffice, [out / f"{id}.docx" for id in ids], Path(scratch) / "word")
        render({id: out / f"{id}.pdf" for id in ids}, word_pdfs, new)
        changes = compare(new, APPROVED, {*ids, *publications(APPROVED)})
        write_review(changes, new, APPROVED, REVIEW)
        if action == "approve":
            approve(changes, new)
    failing = sum(change.fails for change in changes)
    print(
        f"{len(ids)} publications: {len(changes)} pages differ from the approved images, {failing} beyond"
        f" the threshold{' (now approved)' if action == 'approve' and changes else ''}; see"
        f" {REVIEW.relative_to(ROOT)}"
    )
    return 0


sys.exit(main())

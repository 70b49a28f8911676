"""Editors run `make` dozens of times a day: only what changed is rebuilt, in parallel, and one
broken publication does not stop the others."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.build import build
from briefgen.errors import BriefgenError
from briefgen.incremental import Manifest
from briefgen.progress import Lines, Outcome, summary_line
from conftest import BRIEF, edit, rebuilt

COMMENTARY = "asean-smart-cities-5g-geopolitics"
HCCC = "malaysia-smart-cities-hccc"
VIETNAM = "vietnam-smart-cities"
SECOND_COMMENTARY = "vietnam-5g-year-one"


def test_an_unchanged_library_builds_nothing(library: tuple[Path, Path]) -> None:
    content, out = library
    outcomes = build(content, out)
    assert rebuilt(outcomes) == set() and len(outcomes) == len(Manifest.load(out).publications)


def test_editing_a_city_rebuilds_exactly_the_publications_that_show_it(library: tuple[Path, Path]) -> None:
    content, out = library
    edit(content / "cities" / "bangkok.yaml", "Traffy Fondue", "Traffy Fondue (Bangkok)")
    # The briefs list every pilot city of the network, Bangkok among them; every city profile
    # counts the network's pilot cities (its facts table), so it reads every city file too.
    profiles = {p.stem for p in out.glob("city-profile-*.pdf")}
    assert "city-profile-bangkok" in profiles
    assert rebuilt(build(content, out, jobs=2)) == {BRIEF, HCCC, VIETNAM, *profiles}


def test_editing_a_trade_figure_rebuilds_the_brief_and_its_derived_edition(
    library: tuple[Path, Path],
) -> None:
    content, out = library
    edit(content / "publications" / f"{BRIEF}.yaml", "2018: 1820,", "2018: 1830,")
    assert rebuilt(build(content, out)) == {BRIEF, HCCC}


def test_a_template_change_rebuilds_its_kind_only(library: tuple[Path, Path]) -> None:
    content, out = library
    path = Path(__file__).resolve().parents[1] / "templates" / "commentary" / "style.css"
    original = path.read_text(encoding="utf-8")
    try:
        path.write_text(original + "\n/* touched by a test */\n", encoding="utf-8")
        assert rebuilt(build(content, out)) == {COMMENTARY, SECOND_COMMENTARY}
    finally:
        path.write_text(original, encoding="utf-8")


def test_a_deleted_publication_loses_its_outputs(library: tuple[Path, Path]) -> None:
    content, out = library
    (content / "publications" / f"{COMMENTARY}.yaml").unlink()
    build(content, out)
    assert not (out / f"{COMMENTARY}.pdf").exists() and not (out / f"{COMMENTARY}.docx").exists()
    assert (out / f"{BRIEF}.pdf").exists()


def test_force_rebuilds_what_did_not_change(library: tuple[Path, Path]) -> None:
    content, out = library
    assert rebuilt(build(content, out, only=[COMMENTARY], force=True)) == {COMMENTARY}


def test_one_broken_publication_does_not_stop_the_others(library: tuple[Path, Path]) -> None:
    content, out = library
    before = (out / f"{BRIEF}.pdf").read_bytes()
    edit(content / "publications" / f"{BRIEF}.yaml", "2018: 1820,", "2018: 1820, 2017: 1,")
    edit(content / "publications" / f"{COMMENTARY}.yaml", 'number: "077"', 'number: "078"')
    with pytest.raises(BriefgenError) as exc:
        build(content, out, jobs=2)
    assert all(p.path.name == f"{BRIEF}.yaml" for p in exc.value.problems)  # the brief's own problems
    assert (out / f"{BRIEF}.pdf").read_bytes() == before  # its earlier output is intact
    assert (
        "No. 078"
        in subprocess.run(
            ["pdftotext", str(out / f"{COMMENTARY}.pdf"), "-"], capture_output=True, text=True, check=True
        ).stdout
    )  # the commentary was rebuilt
    assert rebuilt(build(content, out, only=[COMMENTARY])) == set()  # and is up to date now


def test_a_no_op_run_imports_neither_weasyprint_nor_matplotlib(library: tuple[Path, Path]) -> None:
    content, out = library
    probe = (
        "import sys; from briefgen.cli import main; "
        f"code = main(['build', '--content', {str(content)!r}, '--out', {str(out)!r}]); "
        "print(code, 'weasyprint' in sys.modules, 'matplotlib' in sys.modules, 'pydantic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "0 False False False"
    assert "nothing changed" in result.stdout


def test_plain_progress_says_what_was_built_and_sums_up(capsys) -> None:
    lines = Lines()
    outcomes = [Outcome("a", "built", 1.5, {".pdf": 2048, ".docx": 1024}), Outcome("b", "skipped")]
    lines.start(2)
    for outcome in outcomes:
        lines.done(outcome)
    lines.finish(outcomes)
    assert capsys.readouterr().out.splitlines() == [
        "building 2 publication(s)",
        "built a (1.50 s; pdf 2 KB, docx 1 KB)",
        "1 built, 1 skipped, 0 failed",
    ]
    assert summary_line([Outcome("c", "failed")]) == "0 built, 0 skipped, 1 failed"

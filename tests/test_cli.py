"""The command line: exit codes, one-line located errors, and outputs that survive failures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.cli import main
from conftest import BRIEF, ROOT


def break_city(content: Path) -> None:
    path = content / "cities" / "kuala-lumpur.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("country: malaysia", "country: malaysai"), encoding="utf-8"
    )


def test_build_writes_both_formats_and_exits_0(content: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--out", str(out), BRIEF]) == 0
    assert (out / f"{BRIEF}.pdf").read_bytes().startswith(b"%PDF")
    assert (out / f"{BRIEF}.docx").read_bytes().startswith(b"PK")
    assert not list(out.rglob("*.tmp")), "temporary files left"


def test_validate_writes_nothing(content: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["validate", "--content", str(content), "--out", str(out)]) == 0
    from briefgen.validate import validate_content

    publications = len(validate_content(content).publications)
    assert f"{publications} publication(s) valid" in capsys.readouterr().out
    assert not (out / f"{BRIEF}.pdf").exists()


def test_a_content_error_is_one_located_line_and_exit_1(
    content: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    break_city(content)
    assert main(["validate", "--content", "content"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        "content/cities/kuala-lumpur.yaml:4: unknown country 'malaysai' — did you mean 'malaysia'?"
    )
    assert err[-1] == "briefgen: 1 error(s); nothing was written"


def test_a_failed_build_leaves_earlier_outputs_intact(content: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--out", str(out), BRIEF]) == 0
    before = {p.name: p.read_bytes() for p in out.glob(f"{BRIEF}.*")}
    break_city(content)
    assert main(["build", "--content", str(content), "--out", str(out), BRIEF]) == 1
    assert {p.name: p.read_bytes() for p in out.glob(f"{BRIEF}.*")} == before


def test_an_edit_to_content_shows_in_both_files(content: Path, tmp_path: Path) -> None:
    from conftest import body_text, pdf_text
    from test_seed_coverage import docx_text

    publication = content / "publications" / f"{BRIEF}.yaml"
    text = publication.read_text(encoding="utf-8")
    publication.write_text(text.replace("2018: 1820,", "2018: 1999,"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--out", str(out), BRIEF]) == 0
    assert "1,999" in body_text(pdf_text(out / f"{BRIEF}.pdf"))
    assert "1,999" in docx_text(out / f"{BRIEF}.docx")


def test_unknown_publication_ids_are_refused(content: Path, capsys) -> None:
    assert main(["validate", "--content", str(content), "no-such-brief"]) == 1
    assert "no publication 'no-such-brief'" in capsys.readouterr().err


def test_python_dash_m_briefgen_is_the_same_command(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", "--content", str(ROOT / "content")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_the_command_ends_at_once_with_all_its_output_and_its_exit_code(content: Path, capsys) -> None:
    """``briefgen`` skips tearing the interpreter down once its work is done: nothing it printed
    is lost, and the exit code is main's."""
    for args, code in ((["-v", "validate"], 0), (["build", "no-such-brief"], 1)):
        assert main([*args, "--content", str(content)]) == code
        here = capsys.readouterr()
        command = [sys.executable, "-m", "briefgen", *args, "--content", str(content)]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert (result.returncode, result.stdout, result.stderr) == (code, here.out, here.err)
        assert here.out or here.err


def test_a_missing_content_folder_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert main(["build", "--content", str(tmp_path / "nowhere")]) == 1
    assert "content folder not found — pass --content DIR" in capsys.readouterr().err


def test_a_publisher_logo_appears_in_both_formats(content: Path, tmp_path: Path) -> None:
    import docx
    import pypdf
    from PIL import Image

    (content / "images").mkdir(exist_ok=True)
    Image.new("RGB", (300, 120), "#0b3d6e").save(content / "images" / "logo.png", dpi=(300, 300))
    publisher = content / "publishers" / "us-commercial-service.yaml"
    text = publisher.read_text(encoding="utf-8")
    publisher.write_text(re.sub(r"^logo: .*$", "logo: images/logo.png", text, flags=re.M), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--out", str(out), BRIEF]) == 0
    assert len(pypdf.PdfReader(out / f"{BRIEF}.pdf").pages[0].images) == 1
    alts = [s._inline.docPr.get("descr") for s in docx.Document(str(out / f"{BRIEF}.docx")).inline_shapes]
    assert alts[0] == "U.S. Commercial Service logo"


def test_an_svg_logo_is_refused_because_word_cannot_show_it(content: Path, capsys) -> None:
    (content / "images").mkdir(exist_ok=True)
    (content / "images" / "logo.svg").write_text(
        "<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8"
    )
    publisher = content / "publishers" / "us-commercial-service.yaml"
    text = publisher.read_text(encoding="utf-8")
    publisher.write_text(re.sub(r"^logo: .*$", "logo: images/logo.svg", text, flags=re.M), encoding="utf-8")
    assert main(["validate", "--content", str(content)]) == 1
    assert "image 'images/logo.svg' is SVG, which Word cannot show" in capsys.readouterr().err


def test_the_same_content_builds_to_the_same_bytes(tmp_path: Path) -> None:
    from conftest import CONTENT

    for name in ("one", "two"):  # separate folders: separate chart caches, drawn afresh
        assert main(["build", "--content", str(CONTENT), "--out", str(tmp_path / name), BRIEF]) == 0
    for suffix in (".pdf", ".docx"):
        one = (tmp_path / "one" / f"{BRIEF}{suffix}").read_bytes()
        assert one == (tmp_path / "two" / f"{BRIEF}{suffix}").read_bytes(), suffix


MISTAKES = {
    "YAML syntax": ("cities/kuala-lumpur.yaml", "country: malaysia", "country: [malaysia"),
    "duplicate key": (
        "cities/kuala-lumpur.yaml",
        "country: malaysia",
        "country: malaysia\ncountry: malaysia",
    ),
    "missing field": ("publications/malaysia-smart-cities.yaml", "sector: smart-cities\n", ""),
    "unknown reference": (
        "publications/malaysia-smart-cities.yaml",
        "sector: smart-cities",
        "sector: smart-city",
    ),
    "unsafe link": (
        "publishers/us-commercial-service.yaml",
        "(https://www.trade.gov/)",
        "(javascript:alert(1))",
    ),
    "trade table that does not add up": (
        "publications/malaysia-smart-cities.yaml",
        "  total_imports: {2016: 980,",
        "  total_market_size: {2016: 1, 2017: 2235, 2018: 2530, 2019: 2860, "
        "2020: 3240}\n  total_imports: {2016: 980,",
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_no_mistake_changes_a_byte_of_the_outputs_built_before_it(
    content: Path, tmp_path: Path, mistake
) -> None:
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--out", str(out), BRIEF]) == 0
    before = {p.name: p.read_bytes() for p in out.glob(f"{BRIEF}.*")}
    file, old, new = MISTAKES[mistake]
    path = content / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert main(["build", "--content", str(content), "--out", str(out), BRIEF]) == 1
    assert {p.name: p.read_bytes() for p in out.glob(f"{BRIEF}.*")} == before
    assert not list(out.rglob("*.tmp"))


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["buidl"], "did you mean 'build'?"),
        (["build", "--forse"], "did you mean '--force'?"),
        (["validate", "--contnet", "content"], "did you mean '--content'"),
        (["new", "market-breif", "x"], "did you mean 'market-brief'?"),
    ],
)
def test_a_mistyped_command_or_option_is_answered_with_the_likely_one(
    argv: list[str], suggestion: str, capsys
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert suggestion in capsys.readouterr().err


def test_a_mistyped_publication_id_is_answered_with_the_likely_one(content: Path, capsys) -> None:
    assert main(["validate", "--content", str(content), BRIEF.replace("cities", "citys")]) == 1
    assert (
        f"no publication '{BRIEF.replace('cities', 'citys')}' — did you mean '{BRIEF}'"
        in capsys.readouterr().err
    )


def test_quiet_prints_only_errors_and_verbose_names_every_publication(content: Path, capsys) -> None:
    assert main(["validate", "-q", "--content", str(content)]) == 0
    assert capsys.readouterr().out == ""
    assert main(["-v", "validate", "--content", str(content)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"valid {BRIEF}" in out and out[-1].endswith("publication(s) valid")
    break_city(content)
    assert main(["validate", "-q", "--content", str(content)]) == 1
    assert "unknown country 'malaysai'" in capsys.readouterr().err  # errors are never silenced


def test_verbose_build_names_the_unchanged_publications_and_quiet_build_says_nothing(
    content: Path, tmp_path: Path, capsys
) -> None:
    args = ["build", "--content", str(content), "--out", str(tmp_path / "out"), BRIEF]
    assert main([*args, "-q"]) == 0
    assert capsys.readouterr().out == ""
    assert main([*args, "-v", "--force"]) == 0
    assert f"built {BRIEF}" in capsys.readouterr().out
    assert main([*args, "-q"]) == 0  # nothing changed: said only without -q
    assert capsys.readouterr().out == ""


def test_output_piped_into_a_reader_that_stops_ends_quietly() -> None:
    """``briefgen validate -v | head -1``: the rest of the output has nowhere to go."""
    command = [sys.executable, "-m", "briefgen", "-v", "validate", "--content", str(ROOT / "content")]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert run.stdout is not None and run.stderr is not None
    run.stdout.close()  # the reader is gone before anything is written
    with run.stderr:
        err = run.stderr.read().decode()
    assert run.wait() == 1
    assert err == ""


def test_help_names_every_command() -> None:
    from briefgen.cli import COMMANDS

    run = subprocess.run(
        [sys.executable, "-m", "briefgen", "--help"], capture_output=True, text=True, check=True
    )
    assert all(f"    {name} " in run.stdout for name in COMMANDS)
    assert "dist" in COMMANDS and "-q, --quiet" in run.stdout and "-v, --verbose" in run.stdout

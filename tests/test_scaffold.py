"""Starting a project (`briefgen init`) and adding a publication to one (`briefgen new`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.load import load_document
from conftest import pdf_text, tool

SCHEMA_LINE = "# yaml-language-server: $schema="
EPOCH = "1767225600"  # SOURCE_DATE_EPOCH for 2026-01-01: what `new` dates a publication
STARTER_BRIEF = "vietnam-renewable-energy"


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def errors_of(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return capsys.readouterr().err.splitlines()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project just started by `briefgen init`, as the working directory."""
    monkeypatch.chdir(tmp_path)
    assert main(["init", "-q", "proj"]) == 0
    monkeypatch.chdir(tmp_path / "proj")
    return tmp_path / "proj"


@pytest.fixture
def samples(content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The sample content (three publishers, two authors, many cities) as ./content, today 2026-01-01."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return content


# --- init -------------------------------------------------------------------------------------


def test_init_writes_content_a_readme_a_makefile_and_the_schemas(project: Path) -> None:
    assert set(files_under(project)) == {
        ".gitignore",
        "Makefile",
        "README.md",
        "content/authors/trade-desk.yaml",
        "content/countries/vietnam.yaml",
        f"content/publications/{STARTER_BRIEF}.yaml",
        "content/publishers/example-chamber.yaml",
        "content/sectors/renewable-energy.yaml",
        *(
            f"schemas/{name}.schema.json"
            for name in (
                *("author", "city", "client", "country", "network", "policy", "publisher", "sector"),
                "publication",
            )
        ),
    }


def test_a_started_project_builds_at_once_into_a_pdf_and_a_docx(project: Path, capsys) -> None:
    assert main(["build"]) == 0
    pdf, docx = project / "build" / f"{STARTER_BRIEF}.pdf", project / "build" / f"{STARTER_BRIEF}.docx"
    assert pdf.read_bytes().startswith(b"%PDF") and docx.read_bytes().startswith(b"PK")
    text = pdf_text(pdf)
    assert "Renewable Energy" in text and "Example Chamber of Commerce" in text and "Viet Nam" in text


def test_the_starter_content_is_text_to_edit_not_filler(project: Path) -> None:
    for path in (project / "content").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").lower()
        assert not any(word in text for word in ("lorem", "ipsum", "todo", "xxx", "tbd")), path


def test_the_makefile_builds_by_default_and_writes_the_schemas(project: Path) -> None:
    make = [tool("make", "make"), "-n", "--no-print-directory"]  # also as make test's child
    dry = subprocess.run(make, cwd=project, capture_output=True, text=True, check=True)
    assert dry.stdout.strip() == "briefgen build"
    dry = subprocess.run([*make, "schema"], cwd=project, capture_output=True, text=True, check=True)
    assert dry.stdout.strip() == "briefgen schema --out schemas"


@pytest.mark.parametrize("existing", [".git/HEAD", None])
def test_init_takes_a_new_folder_an_empty_one_or_one_with_only_git(
    existing: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    if existing:
        (tmp_path / "proj" / existing).parent.mkdir(parents=True)
        (tmp_path / "proj" / existing).write_text("ref: refs/heads/main\n")
    else:
        (tmp_path / "proj").mkdir()
    assert main(["init", "proj"]) == 0
    assert capsys.readouterr().out == "started a project in proj: cd proj && briefgen build\n"
    assert (tmp_path / "proj" / "content" / "publications" / f"{STARTER_BRIEF}.yaml").is_file()


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (
            lambda root: (root / "proj").mkdir() or (root / "proj" / "notes.txt").write_text("mine"),
            "proj: the folder is not empty (it has notes.txt) — name a new or empty folder: init "
            "writes content/, schemas/, README.md and a Makefile into it",
        ),
        (
            lambda root: (root / "proj").write_text("mine"),
            "proj: is a file, not a folder — name a new folder for the project",
        ),
    ],
    ids=["a folder with a file", "a file"],
)
def test_init_refuses_a_folder_with_files_in_it_and_writes_nothing(
    make, error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    make(tmp_path)
    before = files_under(tmp_path)
    assert main(["init", "proj"]) == 1
    assert errors_of(capsys) == [error, "briefgen: 1 error(s); nothing was written"]
    assert files_under(tmp_path) == before


# --- new --------------------------------------------------------------------------------------

NEW = {
    "market-brief": ["--country", "vietnam", "--sector", "smart-cities", "--publisher", "rsis"],
    "commentary": ["--publisher", "rsis", "--author", "amalina-anuar", "--author", "mara-quill"],
    "city-profile": ["--city", "bangkok", "--publisher", "us-commercial-service"],
}


@pytest.mark.parametrize("kind", NEW)
def test_new_writes_a_draft_dated_today_that_validates_as_it_stands(kind: str, samples: Path, capsys) -> None:
    assert main(["new", kind, "a-new-one", *NEW[kind]]) == 0
    path = samples / "publications" / "a-new-one.yaml"
    assert capsys.readouterr().out.splitlines() == [
        f"wrote {Path('content/publications/a-new-one.yaml')}: fill it in, then briefgen validate",
        "wrote JSON Schema for editors into schemas",
    ]
    data = load_document(path).data
    assert (data["kind"], data["status"], str(data["published"])) == (kind, "draft", "2026-01-01")
    assert main(["validate", "--content", str(samples), "a-new-one"]) == 0


def test_new_fills_in_what_each_kind_names(samples: Path) -> None:
    for kind, argv in NEW.items():
        assert main(["new", "-q", kind, kind, *argv]) == 0
    brief, commentary, profile = (load_document(samples / "publications" / f"{k}.yaml").data for k in NEW)
    assert (brief["publisher"], brief["country"], brief["sector"]) == ("rsis", "vietnam", "smart-cities")
    assert brief["summary"].startswith("Smart Cities in Viet Nam:")
    assert commentary["authors"] == ["amalina-anuar", "mara-quill"]
    assert (profile["city"], profile["network"]) == ("bangkok", "ascn")  # the city's only network


@pytest.mark.parametrize(("publisher", "number"), [("rsis", "078"), ("harbour-city-chamber", "003")])
def test_a_new_commentary_takes_the_next_number_in_its_publishers_series(
    publisher: str, number: str, samples: Path
) -> None:
    assert main(["new", "-q", "commentary", "next", "--publisher", publisher, "--author", "mara-quill"]) == 0
    assert load_document(samples / "publications" / "next.yaml").data["number"] == number


def test_in_a_started_project_new_picks_the_only_publisher_and_author(project: Path) -> None:
    assert main(["new", "-q", "commentary", "power-plan-first-year"]) == 0
    data = load_document(project / "content" / "publications" / "power-plan-first-year.yaml").data
    assert (data["publisher"], data["authors"], data["number"]) == ("example-chamber", ["trade-desk"], "001")
    assert (
        main(
            [
                "new",
                "-q",
                "market-brief",
                "vietnam-solar",
                "--country",
                "vietnam",
                "--sector",
                "renewable-energy",
            ]
        )
        == 0
    )
    assert main(["validate", "-q"]) == 0


BRIEF = ["new", "market-brief", "x"]
WHERE = "content/publications/x.yaml: "
ALL_PUBLISHERS = "harbour-city-chamber, rsis, us-commercial-service"


@pytest.mark.parametrize(
    ("argv", "error"),
    [
        (
            ["new", "commentary", "Bad_Id"],
            "content/publications/Bad_Id.yaml: 'Bad_Id' is not a valid id — use lowercase letters, "
            "digits and hyphens, e.g. vietnam-fintech",
        ),
        (
            ["new", "market-brief", "malaysia-smart-cities", "--country", "malaysia"],
            "content/publications/malaysia-smart-cities.yaml: already exists — choose another id, or "
            "edit that file",
        ),
        (
            [*BRIEF, "--country", "vietnm", "--sector", "smart-cities", "--publisher", "rsis"],
            WHERE + "unknown country 'vietnm' (--country) — did you mean 'vietnam'?",
        ),
        (
            [*BRIEF, "--sector", "smart-cities", "--publisher", "rsis"],
            WHERE + "a market brief needs a country — pass --country with one of: brunei, cambodia, "
            "indonesia, laos, malaysia, myanmar, philippines, singapore, thailand, vietnam",
        ),
        (
            [*BRIEF, "--country", "vietnam", "--publisher", "rsis"],
            WHERE + "a market brief needs a sector — pass --sector with one of: smart-cities",
        ),
        (
            [*BRIEF, "--country", "vietnam", "--sector", "fintech", "--publisher", "rsis"],
            WHERE + "unknown sector 'fintech' (--sector) — use one of: smart-cities; or add "
            "content/sectors/fintech.yaml",
        ),
        (
            [*BRIEF, "--country", "vietnam", "--sector", "smart-cities"],
            WHERE
            + f"which publisher? content/publishers/ has 3 — pass --publisher with one of: {ALL_PUBLISHERS}",
        ),
        (
            [*BRIEF, "--country", "vietnam", "--sector", "smart-cities", "--publisher", "rsi"],
            WHERE + "unknown publisher 'rsi' (--publisher) — did you mean 'rsis'?",
        ),
        (
            ["new", "commentary", "x", "--publisher", "rsis"],
            WHERE
            + "which author? content/authors/ has 2 — pass --author with one of: amalina-anuar, mara-quill",
        ),
        (
            ["new", "commentary", "x", "--publisher", "rsis", "--author", "mara-quil"],
            WHERE + "unknown author 'mara-quil' (--author) — did you mean 'mara-quill'?",
        ),
        (
            [
                "new",
                "commentary",
                "x",
                "--publisher",
                "rsis",
                "--author",
                "mara-quill",
                "--country",
                "vietnam",
            ],
            WHERE + "--country is for a market brief, not a commentary — leave it out",
        ),
        (
            ["new", "city-profile", "x", "--publisher", "rsis", "--city", "bangkog"],
            WHERE + "unknown city 'bangkog' (--city) — did you mean 'bangkok'?",
        ),
        (
            ["new", "city-profile", "x", "--publisher", "rsis", "--city", "manila"],
            WHERE + "city 'manila' has no initiatives, so its profile would have nothing to show — add "
            "initiatives to content/cities/manila.yaml first",
        ),
        (
            ["new", "commentary", "x", "--content", "elsewhere"],
            "elsewhere: content folder not found — pass --content DIR, or start a project: briefgen init DIR",
        ),
    ],
    ids=lambda value: None if isinstance(value, list) else value.split(": ", 1)[1].split(" — ")[0][:40],
)
def test_a_mistake_in_new_is_one_line_exit_1_and_writes_nothing(
    argv: list[str], error: str, samples: Path, tmp_path: Path, capsys
) -> None:
    before = files_under(tmp_path)
    assert main(argv) == 1
    assert errors_of(capsys) == [error, "briefgen: 1 error(s); nothing was written"]
    assert files_under(tmp_path) == before


def test_new_names_every_problem_at_once(samples: Path, capsys) -> None:
    assert main([*BRIEF, "--country", "vietnm", "--sector", "smart-citys"]) == 1
    assert errors_of(capsys) == [
        WHERE + "unknown country 'vietnm' (--country) — did you mean 'vietnam'?",
        WHERE + "unknown sector 'smart-citys' (--sector) — did you mean 'smart-cities'?",
        WHERE
        + f"which publisher? content/publishers/ has 3 — pass --publisher with one of: {ALL_PUBLISHERS}",
        "briefgen: 3 error(s); nothing was written",
    ]


# --- the schema line --------------------------------------------------------------------------


ONE = {
    "authors": "author",
    "countries": "country",
    "publications": "publication",
    "publishers": "publisher",
    "sectors": "sector",
}


def test_every_scaffolded_yaml_file_names_a_schema_that_exists(project: Path) -> None:
    assert main(["new", "-q", "commentary", "a-commentary"]) == 0
    scaffolded = sorted((project / "content").rglob("*.yaml"))
    assert len(scaffolded) == 6
    for path in scaffolded:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(SCHEMA_LINE), path
        schema = (path.parent / first.removeprefix(SCHEMA_LINE)).resolve()
        assert schema.is_file(), f"{path}: {first}"
        assert schema.name == f"{ONE[path.parent.name]}.schema.json", path


def test_a_new_file_names_the_publication_schema_beside_its_content_folder(samples: Path) -> None:
    assert main(["new", "-q", "commentary", "x", "--publisher", "rsis", "--author", "mara-quill"]) == 0
    first = (samples / "publications" / "x.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == f"{SCHEMA_LINE}../../schemas/publication.schema.json"
    assert (samples.parent / "schemas" / "publication.schema.json").is_file()

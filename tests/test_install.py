"""briefgen installed anywhere: the wheel carries its templates, and a project may lay its own
``templates/`` (beside its content folder) over them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from briefgen.build import prepare
from briefgen.paths import TEMPLATES, Templates
from briefgen.render import kind_theme
from conftest import BRIEF, ROOT

COMMENTARY = "asean-smart-cities-5g-geopolitics"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel ``pip`` builds from this checkout, as a user's ``pip install .`` would."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", out, ROOT],
        check=True,
    )
    (found,) = out.glob("briefgen-*.whl")
    return found


def test_the_wheel_carries_every_template_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        f"briefgen/templates/{p.relative_to(TEMPLATES).as_posix()}"
        for p in TEMPLATES.rglob("*")
        if p.is_file()
    }
    assert expected and expected <= names


def test_a_fresh_venv_installs_the_wheel_then_starts_and_builds_a_project_elsewhere(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = venv / "bin" / "python"
    subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", wheel], check=True)
    # The dependencies come from this environment rather than the network; briefgen itself, its
    # templates included, only from the wheel (this checkout is nowhere on the path).
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    (Path(purelib) / "briefgen-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [python, "-c", "import briefgen.paths as p; print(p.TEMPLATES)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout.strip()
    assert Path(where).is_relative_to(venv), where

    briefgen = venv / "bin" / "briefgen"
    subprocess.run([briefgen, "init", "x"], check=True, cwd=tmp_path, env=env)
    run = subprocess.run([briefgen, "build"], cwd=tmp_path / "x", env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    pdfs = list((tmp_path / "x" / "build").glob("*.pdf"))
    assert pdfs and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)
    assert all(p.with_suffix(".docx").is_file() for p in pdfs)


@pytest.fixture
def own(content: Path) -> Path:
    """The project's own templates folder, beside its content folder."""
    folder = content.parent / "templates"
    folder.mkdir()
    return folder


def test_a_project_without_its_own_templates_builds_with_briefgens(content: Path) -> None:
    assert Templates.of(content).roots == (TEMPLATES,)
    assert Templates.of(ROOT / "content").roots == (TEMPLATES,)  # this checkout's are briefgen's


def test_a_projects_template_replaces_briefgens_of_the_same_name(
    content: Path, own: Path, tmp_path: Path
) -> None:
    entry = own / "market-brief" / "publication.html.j2"
    entry.parent.mkdir()
    text = (TEMPLATES / "market-brief" / "publication.html.j2").read_text(encoding="utf-8")
    entry.write_text(text.replace("{{ p.summary }}", "Prepared by the house: {{ p.summary }}", 1))
    (job,) = prepare(content, tmp_path / "out", only=[BRIEF])
    assert "Prepared by the house:" in job.rendered.html
    (other,) = prepare(content, tmp_path / "out", only=[COMMENTARY])  # other kinds: briefgen's
    assert "Prepared by the house:" not in other.rendered.html


def test_a_projects_shared_partial_replaces_briefgens_for_every_kind(
    content: Path, own: Path, tmp_path: Path
) -> None:
    macros = own / "shared" / "macros.html.j2"
    macros.parent.mkdir()
    text = (TEMPLATES / "shared" / "macros.html.j2").read_text(encoding="utf-8")
    macros.write_text(text + "\n{# the house's own macros #}\n", encoding="utf-8")
    assert Templates.of(content).find("commentary", "macros.html.j2") == macros.resolve()
    (job,) = prepare(content, tmp_path / "out", only=[COMMENTARY])
    assert job.rendered.html  # it renders with the project's partial


def test_a_projects_stylesheet_and_theme_are_laid_over_briefgens(
    content: Path, own: Path, tmp_path: Path
) -> None:
    (own / "commentary").mkdir()
    (own / "commentary" / "style.css").write_text("h1 { color: #123456; }\n", encoding="utf-8")
    (own / "commentary" / "theme.yaml").write_text("sizes:\n  logo-height: 25\n", encoding="utf-8")
    (job,) = prepare(content, tmp_path / "out", only=[COMMENTARY])
    sheets = job.rendered.stylesheets
    assert sheets[-1] == (own / "commentary" / "style.css").resolve()
    assert TEMPLATES / "commentary" / "style.css" in sheets  # briefgen's still applies first
    assert job.rendered.theme.sizes["logo-height"] == 25
    assert kind_theme("commentary").sizes["logo-height"] != 25  # briefgen's own is untouched
    assert kind_theme("commentary", Templates.of(content)).styles == kind_theme("commentary").styles


def test_editing_a_projects_template_rebuilds_what_uses_it(content: Path, own: Path, tmp_path: Path) -> None:
    from briefgen.build import build

    def statuses() -> list[str]:
        return [o.status for o in build(content, tmp_path / "out", only=[BRIEF, COMMENTARY])]

    (own / "commentary").mkdir()
    css = own / "commentary" / "style.css"
    css.write_text("h1 { color: #123456; }\n", encoding="utf-8")
    assert statuses() == ["built", "built"]
    assert statuses() == ["skipped", "skipped"]
    css.write_text("h1 { color: #654321; }\n", encoding="utf-8")
    assert statuses() == ["skipped", "built"]  # only the commentary reads it


def test_a_template_added_to_or_removed_from_the_project_rebuilds_its_kind(
    content: Path, tmp_path: Path
) -> None:
    from briefgen.build import build

    def statuses() -> list[str]:
        return [o.status for o in build(content, tmp_path / "out", only=[BRIEF, COMMENTARY])]

    assert statuses() == ["built", "built"]
    css = content.parent / "templates" / "commentary" / "style.css"
    css.parent.mkdir(parents=True)  # no templates/ folder at all before
    css.write_text("h1 { color: #123456; }\n", encoding="utf-8")
    assert statuses() == ["skipped", "built"]  # read by no build before, yet it changes the commentary
    assert statuses() == ["skipped", "skipped"]
    css.unlink()
    assert statuses() == ["skipped", "built"]


def test_a_template_missing_from_the_project_falls_back_to_briefgens(content: Path, own: Path) -> None:
    (own / "market-brief").mkdir()
    templates = Templates.of(content)
    assert templates.own == own.resolve()
    assert (
        templates.find("market-brief", "publication.html.j2")
        == TEMPLATES / "market-brief" / "publication.html.j2"
    )
    shutil.rmtree(own)
    assert Templates.of(content).own is None

"""Project habits a newcomer relies on: one version number, `make JOBS=n`, a licence and a
changelog, CI that lints as well as tests, and a README whose module table names every module."""

from __future__ import annotations

import re
import subprocess
import tomllib
from importlib.metadata import version

import briefgen
from conftest import ROOT


def test_the_version_is_written_once_and_the_package_metadata_reads_it() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    assert version("briefgen") == briefgen.__version__


def test_make_passes_jobs_to_every_build_and_leaves_the_default_alone() -> None:
    def dry_run(*args: str) -> str:
        # -n prints the commands; -o takes the set-up stamp as fresh, so only the build is planned.
        result = subprocess.run(
            ["make", "-n", "-o", ".venv/.installed", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    assert "briefgen build --jobs 3" in dry_run("build", "JOBS=3")
    assert "briefgen build --edition all --jobs 3" in dry_run("editions", "JOBS=3")
    assert "--jobs" not in dry_run("build")
    assert "briefgen build --scheduler tcp://h:8786" in dry_run("build", "SCHEDULER=tcp://h:8786")
    assert "--scheduler" not in dry_run("editions")


def test_a_licence_and_a_changelog_ship_with_the_project() -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Unreleased" in changelog and f"## {briefgen.__version__}" in changelog


def test_ci_lints_and_tests() -> None:
    steps = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert steps.index("make lint") < steps.index("make test")


def test_the_readme_names_every_module_and_no_module_that_is_gone() -> None:
    package = ROOT / "src" / "briefgen"
    # Every module, by its path in the package: `images.py` and `writers/images.py` are two.
    # The package's own __init__ and __main__ say nothing; the writers' __init__ is their registry.
    modules = {path.relative_to(package).as_posix() for path in package.rglob("*.py")}
    modules -= {"__init__.py", "__main__.py"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## How it works\n", 1)[1].split("\n## ", 1)[0]
    # The first cell of each row of its module table: `writers/pdf.py`, `writers/docx.py`, …
    cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    named = {name for cell in cells for name in re.findall(r"`([\w/]+\.py)`", cell)}
    assert not modules - named, f"the module table lacks {sorted(modules - named)}"
    assert not named - modules, f"the module table names modules that are gone: {sorted(named - modules)}"


def test_no_date_format_only_one_platform_knows() -> None:
    """``%-d`` is glibc's (Windows wants ``%#d``): dates are formatted in dates.py without them."""
    sources = [*(ROOT / "src").rglob("*.py"), *(ROOT / "templates").rglob("*.j2")]
    offenders = [
        path.relative_to(ROOT).as_posix()
        for path in sources
        if re.search(r"%[-#][a-zA-Z]", path.read_text(encoding="utf-8"))
    ]
    assert not offenders

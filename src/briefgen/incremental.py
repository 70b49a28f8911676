"""Decides what needs building: fingerprints of inputs, and the manifest of the last build.

A publication's inputs are its content file, every entity file it draws on, the files of the
folders its template queries (the city tables read every city), its kind's templates, the
shared templates and theme, and briefgen's own code. The manifest (``build/.briefgen.json``)
records them with their SHA-256 per publication; a publication whose inputs are all unchanged
is skipped. When nothing at all changed, a build stops after hashing, before importing any of
the heavy libraries.

Kept light on purpose: the no-op path imports only the standard library.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import atomic_target
from .paths import TEMPLATES

MANIFEST = ".briefgen.json"
SRC = Path(__file__).resolve().parent


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def code_version() -> str:
    """briefgen's version and a hash of its source: new code rebuilds everything."""
    from . import __version__

    sources = sorted(SRC.rglob("*.py"))
    blob = hashlib.sha256()
    for path in sources:
        blob.update(path.relative_to(SRC).as_posix().encode())
        blob.update(path.read_bytes())
    return f"{__version__}+{blob.hexdigest()[:16]}"


def snapshot(content: Path) -> dict[str, str]:
    """Every input file there is, by key (see :func:`key`), with its digest."""
    files: dict[str, str] = {}
    for label, root in (("content", content), ("templates", TEMPLATES)):
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[f"{label}/{path.relative_to(root).as_posix()}"] = digest(path)
    return files


def key(path: Path, content: Path) -> str:
    """A file's name in the manifest: relative to the content or templates folder, so a content
    folder and its build folder can move together and stay up to date."""
    path = path.resolve()
    for label, root in (("content", content.resolve()), ("templates", TEMPLATES)):
        if path.is_relative_to(root):
            return f"{label}/{path.relative_to(root).as_posix()}"
    return str(path)


@dataclass
class Manifest:
    """What the last build in a folder was made from."""

    code: str = ""
    settings: str = ""  # options that change every output (paper size)
    snapshot: dict[str, str] = field(default_factory=dict)
    publications: dict[str, dict] = field(default_factory=dict)  # id -> {"inputs": {...}, "outputs": [...]}

    @classmethod
    def load(cls, out: Path) -> Manifest:
        try:
            data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            return cls(data["code"], data["settings"], data["snapshot"], data["publications"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def save(self, out: Path) -> None:
        data = {
            "code": self.code,
            "settings": self.settings,
            "snapshot": self.snapshot,
            "publications": self.publications,
        }
        with atomic_target(out / MANIFEST) as tmp:
            tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")

    def unchanged(self, id: str, files: dict[str, str], code: str, settings: str, out: Path) -> bool:
        """Whether publication ``id`` was built from exactly these inputs and its outputs exist."""
        entry = self.publications.get(id)
        if entry is None or self.code != code or self.settings != settings:
            return False
        inputs = entry["inputs"]
        if any(files.get(path) != sha for path, sha in inputs.items()):
            return False
        return all((out / name).exists() for name in entry["outputs"])


def settings(paper: str | None, archival: bool, edition: str | None = None) -> str:
    """The options that change every output, as the manifest records them."""
    return f"paper={paper or ''};pdfa={archival};edition={edition or ''}"


def nothing_changed(content: Path, out: Path, settings: str, only: list[str] | None) -> bool:
    """The fast path: the same files, code and settings as the last complete build."""
    manifest = Manifest.load(out)
    if not manifest.publications or manifest.code != code_version() or manifest.settings != settings:
        return False
    if manifest.snapshot != snapshot(content):
        return False
    wanted = only or list(manifest.publications)
    return all(id in manifest.publications for id in wanted) and all(
        (out / name).exists() for id in wanted for name in manifest.publications[id]["outputs"]
    )

"""Decides what needs building: fingerprints of inputs, and the manifest of the last build.

A publication's inputs are its content file, every entity file it draws on, the files of the
folders its template queries (the city tables read every city), its kind's templates, the
shared templates and theme, the images it shows, and what every output depends on: briefgen's
own code, the versions of the libraries that render it and the fonts installed. The manifest
(``build/.briefgen.json``) records them with their SHA-256 per publication; a publication whose
inputs are all unchanged is skipped. When nothing at all changed, a build stops after hashing,
before importing any of the heavy libraries.

Kept light on purpose: the no-op path imports only the standard library.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .atomic import atomic_target
from .paths import Templates

MANIFEST = ".briefgen.json"
SRC = Path(__file__).resolve().parent


def digest(path: Path) -> str:
    """SHA-256 of a file, read in chunks: a content folder may hold (or link to) large files."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def code_version() -> str:
    """briefgen's version and a hash of its source, of the libraries' versions and of the fonts
    installed: new code, an upgrade or a new font rebuilds everything."""
    from . import __version__

    sources = sorted(SRC.rglob("*.py"))
    blob = hashlib.sha256()
    for path in sources:
        blob.update(path.relative_to(SRC).as_posix().encode())
        blob.update(path.read_bytes())
    blob.update(dependencies().encode())
    blob.update(fonts().encode())
    return f"{__version__}+{blob.hexdigest()[:16]}"


# The libraries whose version can change an output: a new WeasyPrint or Pyphen may break lines
# elsewhere, a new matplotlib draws charts differently.
DEPENDENCIES = (
    "jinja2",
    "markupsafe",
    "weasyprint",
    "pydyf",
    "tinycss2",
    "cssselect2",
    "tinyhtml5",
    "pyphen",
    "fonttools",
    "pillow",
    "python-docx",
    "lxml",
    "pyyaml",
    "pydantic",
    "markdown-it-py",
    "mdit-py-plugins",
    "matplotlib",
    "numpy",
)


def dependencies() -> str:
    """The installed version of each library in :data:`DEPENDENCIES`. Read from the names of
    the installed metadata folders (``weasyprint-70.0.dist-info``), as importlib.metadata finds
    them but without importing it and parsing every METADATA file: ~1 ms instead of ~40."""
    wanted = {_normal(name) for name in DEPENDENCIES}
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # a zip file, or a folder that is gone
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                project, _, version = name.rpartition(".")[0].partition("-")
                if _normal(project) in wanted:
                    found.setdefault(_normal(project), version)  # the first on the path is imported
    return ";".join(f"{name}=={found.get(name, 'absent')}" for name in sorted(wanted))


def _normal(project: str) -> str:
    """A project's name as its metadata folder spells it (PEP 503, with underscores)."""
    return re.sub(r"[-_.]+", "_", project).lower()


def font_folders() -> list[Path]:
    """Where fontconfig (Linux) and macOS keep fonts: WeasyPrint and matplotlib find theirs there."""
    home = Path(os.path.expanduser("~"))
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".fonts",
        data / "fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
        home / "Library" / "Fonts",
    ]


def fonts() -> str:
    """A hash of every font file's path, size and time of change: installing, removing or
    replacing a font changes it. Names and sizes only (a few ms), not the files' bytes."""
    blob = hashlib.sha256()
    for folder in font_folders():
        for root, dirs, names in os.walk(folder):
            dirs.sort()
            for name in sorted(names):
                path = os.path.join(root, name)
                try:
                    info = os.stat(path)
                except OSError:  # a broken link: no font there
                    continue
                blob.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return blob.hexdigest()


def snapshot(content: Path) -> dict[str, str]:
    """Every input file there is, by key (see :func:`key`), with its digest."""
    files: dict[str, str] = {}
    for label, root in (("content", content), *Templates.of(content).labelled()):
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files[f"{label}/{path.relative_to(root).as_posix()}"] = digest(path)
    return files


def key(path: Path, content: Path) -> str:
    """A file's name in the manifest: relative to the content or templates folder, so a content
    folder and its build folder can move together and stay up to date."""
    path = path.resolve()
    for label, root in (("content", content.resolve()), *Templates.of(content).labelled()):
        if path.is_relative_to(root):
            return f"{label}/{path.relative_to(root).as_posix()}"
    return str(path)


def shown_files(html: str, content: Path) -> list[Path]:
    """The project files a rendered document shows (pictures in prose, logos), resolved as
    :meth:`Resources.fetch` resolves them: inputs of the publication like its YAML. What the
    writers will refuse (the network, a file outside the project) is left for them to report."""
    finder = _Sources()
    finder.feed(html)
    finder.close()
    roots = (content.resolve(), *Templates.of(content).roots)
    found = set()
    for src in finder.sources:
        parts = urlsplit(src)
        if parts.scheme not in ("", "file") or parts.netloc:
            continue  # chart:NAME (drawn from the context) or a refused address
        try:
            path = (Path(unquote(parts.path)) if parts.scheme else content / unquote(src)).resolve()
        except (OSError, RuntimeError):  # a link that loops: the writers refuse it
            continue
        if any(path.is_relative_to(root) for root in roots) and path.is_file():
            found.add(path)
    return sorted(found)


class _Sources(HTMLParser):
    """Collects every ``<img src>`` of a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources += [value for name, value in attrs if name == "src" and value]


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

    def unchanged(
        self, id: str, kind: str, files: dict[str, str], code: str, settings: str, out: Path
    ) -> bool:
        """Whether publication ``id`` was built from exactly these inputs and its outputs exist."""
        entry = self.publications.get(id)
        if entry is None or self.code != code or self.settings != settings:
            return False
        inputs = entry["inputs"]
        if any(files.get(path) != sha for path, sha in inputs.items()):
            return False
        if entry.get("templates") != template_listing(files, kind):  # a template added or removed
            return False
        return all((out / name).exists() for name in entry["outputs"])


def template_listing(files: dict[str, str], kind: str) -> list[str]:
    """The template files a publication of ``kind`` may read, by key: a project's new template
    of the same name as briefgen's replaces or extends it, so a file that appears is a change
    even though no publication read it before."""
    return sorted(
        name
        for name in files
        if name.startswith(("templates/", "project-templates/")) and name.split("/")[1] in (kind, "shared")
    )


def settings(paper: str | None, archival: bool, edition: str | None = None) -> str:
    """The options that change every output, as the manifest records them (SOURCE_DATE_EPOCH
    dates the Word package's entries)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    return f"paper={paper or ''};pdfa={archival};edition={edition or ''};epoch={epoch}"


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

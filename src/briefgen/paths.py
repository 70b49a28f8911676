"""Where the templates are: briefgen's own, and a project's ``templates/`` laid over them.

An installed wheel carries the templates inside the package (``briefgen/templates``); a source
checkout (and an editable install of it) reads the repository's top-level ``templates/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "templates"
_CHECKOUT = Path(__file__).resolve().parents[2] / "templates"
TEMPLATES = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT  # briefgen's own
SHARED = TEMPLATES / "shared"
MAP = SHARED / "maps" / "southeast-asia.geojson"
ENTRY = "publication.html.j2"
OWN = "templates"  # a project's own folder, beside its content folder


@dataclass(frozen=True)
class Templates:
    """The template folders one content folder builds with, the project's own first.

    A project's ``templates/<kind>/`` and ``templates/shared/`` hold files that replace
    briefgen's of the same name (Jinja templates), or are laid over them (``style.css`` and
    ``base.css`` after briefgen's, ``theme.yaml`` key by key)."""

    roots: tuple[Path, ...] = (TEMPLATES,)

    @staticmethod
    def of(content: Path) -> Templates:
        own = (content.resolve().parent / OWN).resolve()
        return Templates((own, TEMPLATES)) if own.is_dir() and own != TEMPLATES.resolve() else BUILTIN

    @property
    def own(self) -> Path | None:
        """The project's own templates folder, if it has one."""
        return self.roots[0] if len(self.roots) > 1 else None

    def search_path(self, kind: str) -> list[Path]:
        """Where Jinja looks for a kind's templates: the kind's folders, then the shared ones."""
        return [root / kind for root in self.roots] + [root / "shared" for root in self.roots]

    def find(self, kind: str, name: str) -> Path:
        """The file Jinja uses for ``name``; briefgen's own path when there is none at all."""
        found = (folder / name for folder in self.search_path(kind) if (folder / name).is_file())
        return next(found, TEMPLATES / kind / name)

    def layers(self, folder: str, name: str) -> list[Path]:
        """Every ``folder/name`` there is, briefgen's first: files laid one over the other."""
        return [root / folder / name for root in reversed(self.roots) if (root / folder / name).is_file()]

    def files(self, kind: str) -> list[Path]:
        """Every file a publication of ``kind`` may read: its dependencies for rebuilding."""
        return sorted(
            path
            for folder in self.search_path(kind)
            for path in folder.rglob("*")
            if path.is_file() and not path.name.startswith(".")
        )

    def labelled(self) -> list[tuple[str, Path]]:
        """Each root with its name in the build manifest."""
        return [("templates", TEMPLATES), *((("project-templates", self.own),) if self.own else ())]


BUILTIN = Templates()  # briefgen's own templates alone

"""Finds the content files of a content folder and loads each into a :class:`Document`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from .errors import BriefgenError, Collector
from .load import Document, load_document
from .model import ENTITY_FOLDERS

PUBLICATIONS = "publications"
ID = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")  # whole ids only: fullmatch, so no trailing newline slips by


def valid_id(text: str) -> bool:
    """Whether ``text`` is an id: lowercase letters, digits and hyphens, at most 100 of them."""
    return ID.fullmatch(text) is not None


@dataclass
class Record:
    """A validated entity or publication with the document it came from."""

    doc: Document
    model: BaseModel

    @property
    def id(self) -> str:
        return self.doc.id

    @property
    def kind(self) -> str:
        """A publication's kind ('' for an entity)."""
        return str(getattr(self.model, "kind", ""))


@dataclass
class Library:
    """Every entity and publication of a content folder, by folder and id."""

    root: Path
    entities: dict[str, dict[str, Record]] = field(default_factory=dict)
    publications: dict[str, Record] = field(default_factory=dict)
    broken: set[tuple[str, str]] = field(default_factory=set)  # (folder, id) of files with errors
    left_out: dict[str, str] = field(default_factory=dict)  # id -> why `each` made no such publication

    def get(self, folder: str, id: str) -> BaseModel:
        return self.entities[folder][id].model


def find_documents(root: Path, errors: Collector) -> dict[str, list[Document]]:
    """Load every ``<folder>/*.yaml`` of the content folder; load errors go to ``errors``."""
    if not root.is_dir():
        raise BriefgenError.at(root, None, "content folder not found", "pass --content DIR")
    found: dict[str, list[Document]] = {}
    for folder in [*ENTITY_FOLDERS, PUBLICATIONS]:
        found[folder] = []
        seen: dict[str, Path] = {}
        for path in sorted([*(root / folder).glob("*.yaml"), *(root / folder).glob("*.yml")]):
            if path.stem in seen:
                errors.add(
                    path,
                    None,
                    f"a second file for id '{path.stem}' (also {seen[path.stem].name})",
                    "keep one of the two files",
                )
                continue
            seen[path.stem] = path
            try:
                found[folder].append(load_document(path))
            except BriefgenError as exc:
                errors.extend(exc)
                found[folder].append(Document(path, UNLOADABLE))
    return found


UNLOADABLE = object()  # stands for a file that did not load, so references to it are not errors too

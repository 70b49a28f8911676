"""Turns publication files into publications: ``based_on`` derives one publication from another,
``each`` makes one publication per matching entity (a collection).

    based_on: malaysia-smart-cities      # everything from that file, then this file's keys
    each:                                # one publication per city of the ASCN
      from: cities
      where: {networks: ascn}            # a field equal to, or a list containing, the value
      as: city                           # the field that receives each entity's id
      id: "{city}-profile"               # the publications' ids (default: <file id>-{city})
"""

from __future__ import annotations

import copy
import re
from typing import Any

from .errors import Collector
from .library import ID_PATTERN, Library
from .load import Document

EACH_KEYS = {"from", "where", "as", "id"}


def expand(docs: list[Document], library: Library, errors: Collector) -> list[Document]:
    """Every publication document, with derived ones merged and collections multiplied."""
    by_id = {doc.id: doc for doc in docs}
    result: list[Document] = []
    for doc in docs:
        if not isinstance(doc.data, dict):
            result.append(doc)
            continue
        merged = _based_on(doc, by_id, errors, seen=[doc.id])
        if merged is None:
            continue
        if "each" in merged.data:
            result += _each(merged, library, errors)
        else:
            result.append(merged)
    ids = [doc.id for doc in result]
    for doc in result:
        if ids.count(doc.id) > 1 and doc.name:
            errors.add(
                doc.path,
                doc.line(("each",)),
                f"publication id '{doc.id}' is made twice",
                "change `each: id:` so every id is unique",
            )
    return [doc for doc in result if ids.count(doc.id) == 1 or not doc.name]


def _based_on(
    doc: Document, by_id: dict[str, Document], errors: Collector, seen: list[str]
) -> Document | None:
    base_id = doc.data.get("based_on")
    if base_id is None:
        return doc
    line = doc.line(("based_on",))
    base = by_id.get(str(base_id))
    if base is not None and not isinstance(base.data, dict):
        return None  # the base file is broken: its own error says so
    if base is None:
        errors.add(
            doc.path,
            line,
            f"unknown publication '{base_id}' in based_on",
            f"use the id of a file in publications/ ({', '.join(sorted(by_id)) or 'none yet'})",
        )
        return None
    if base.id in seen:
        errors.add(
            doc.path,
            line,
            f"based_on goes round in a circle ({' → '.join([*seen, base.id])})",
            "let one publication stand on its own",
        )
        return None
    resolved = _based_on(base, by_id, errors, [*seen, base.id])
    if resolved is None:
        return None
    own = {k: v for k, v in doc.data.items() if k != "based_on"}
    lines = {loc: line for loc in resolved.lines} | doc.lines  # inherited values: the based_on line
    return Document(
        doc.path,
        _merge(resolved.data, own),
        lines,
        dict(doc.text_starts),
        doc.name,
        base=(base.path, line),
        bases=resolved.sources,
    )


def _merge(base: Any, own: Any) -> Any:
    if isinstance(base, dict) and isinstance(own, dict):
        return {**base, **{k: _merge(base[k], v) if k in base else v for k, v in own.items()}}
    return copy.deepcopy(own)


def _each(doc: Document, library: Library, errors: Collector) -> list[Document]:
    spec = doc.data["each"]
    line = doc.line(("each",))
    if not isinstance(spec, dict) or not {"from", "as"} <= set(spec) or set(spec) - EACH_KEYS:
        errors.add(
            doc.path,
            line,
            "`each` needs `from` and `as` (and may have `where` and `id`)",
            "see 'Collections' in the README",
        )
        return []
    folder, field = str(spec["from"]), str(spec["as"])
    if folder not in library.entities:
        errors.add(
            doc.path,
            doc.line(("each", "from")),
            f"unknown folder '{folder}' in each",
            f"use one of: {', '.join(library.entities)}",
        )
        return []
    pattern = str(spec.get("id") or f"{doc.id}-{{{field}}}")
    where = spec.get("where") or {}
    if not isinstance(where, dict):
        errors.add(
            doc.path,
            doc.line(("each", "where")),
            "`where` must be fields and values",
            "write e.g. `where: {networks: ascn}`",
        )
        return []
    made = []
    for entity_id, record in sorted(library.entities[folder].items()):
        if not all(_matches(getattr(record.model, key, None), value) for key, value in where.items()):
            continue
        data = {k: v for k, v in doc.data.items() if k != "each"} | {field: entity_id}
        name = pattern.replace(f"{{{field}}}", entity_id)
        if not re.match(ID_PATTERN, name):
            errors.add(
                doc.path,
                doc.line(("each", "id")),
                f"the id pattern makes '{name}', which is not a valid id",
                "use lowercase letters, digits, hyphens and {" + field + "}",
            )
            return []
        made.append(
            Document(doc.path, data, dict(doc.lines), dict(doc.text_starts), name, doc.base, doc.bases)
        )
    if not made:
        errors.add(doc.path, line, f"no {folder} match {where}", "check the `where` values")
    return made


def _matches(actual: Any, wanted: Any) -> bool:
    return wanted in actual if isinstance(actual, list) else actual == wanted


def drop_inherited(errors: Collector, docs: list[Document]) -> None:
    """A problem in a base publication is reported at the base, not again at every file based on
    it (where it would point at the `based_on` line)."""
    with_problems = {problem.path for problem in errors.problems}
    inherited = {(doc.path, doc.base[1]) for doc in docs if doc.base and doc.base[0] in with_problems}
    errors.problems = [p for p in errors.problems if (p.path, p.line) not in inherited]

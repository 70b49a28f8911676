"""Turns publication files into publications: ``based_on`` derives one publication from another,
``each`` makes one publication per matching entity (a collection).

    based_on: malaysia-smart-cities      # everything from that file, then this file's keys
    each:                                # one publication per city of the ASCN
      from: cities
      where: {networks: ascn}            # a field equal to, or a list containing, the value
      as: city                           # the field that receives each entity's id
      id: "{city}-profile"               # the publications' ids (default: <file id>-{city})
      needs: initiatives                 # leave out an entity with none (reported, not an error)

An entity left out for want of content makes no publication: the build says which and why
(``Library.left_out``) rather than printing a page that says there is nothing to say.
"""

from __future__ import annotations

import copy
from typing import Any

from .errors import Collector
from .library import Library, valid_id
from .load import Document
from .model import ENTITY_FOLDERS

EACH_KEYS = {"from", "where", "as", "id", "needs"}
MAX_BASED_ON = 10  # derived publications in a row: deeper chains are hard to follow (and to debug)


def expand(docs: list[Document], library: Library, errors: Collector) -> list[Document]:
    """Every publication document, with derived ones merged and collections multiplied."""
    by_id = {doc.id: doc for doc in docs}
    result: list[Document] = []
    for doc in docs:
        if not isinstance(doc.data, dict):
            result.append(doc)
            continue
        merged = _based_on(doc, by_id, errors)
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


def _based_on(doc: Document, by_id: dict[str, Document], errors: Collector) -> Document | None:
    """``doc`` with its based_on chain merged in, original first; None if the chain is broken."""
    chain = [doc]  # the document, its base, the base's base, ...
    while (base_id := chain[-1].data.get("based_on")) is not None:
        current = chain[-1]
        line = current.line(("based_on",))
        base = by_id.get(str(base_id))
        if base is not None and not isinstance(base.data, dict):
            return None  # the base file is broken: its own error says so
        if base is None:
            errors.add(
                current.path,
                line,
                f"unknown publication {str(base_id)!r} in based_on",
                f"use the id of a file in publications/ ({', '.join(sorted(by_id)) or 'none yet'})",
            )
            return None
        if any(base.id == link.id for link in chain):
            circle = " → ".join([*(link.id for link in chain), base.id])
            errors.add(
                current.path,
                line,
                f"based_on goes round in a circle ({circle})",
                "let one publication stand on its own",
            )
            return None
        if len(chain) > MAX_BASED_ON:
            errors.add(
                doc.path,
                doc.line(("based_on",)),
                f"the based_on chain is more than {MAX_BASED_ON} publications long",
                "base this publication on the original rather than on a copy of a copy",
            )
            return None
        chain.append(base)
    merged = chain[-1]
    for derived, base in zip(reversed(chain[:-1]), reversed(chain[1:]), strict=True):
        line = derived.line(("based_on",))
        own = {k: v for k, v in derived.data.items() if k != "based_on"}
        lines = {loc: line for loc in merged.lines} | derived.lines  # inherited values: the based_on line
        merged = Document(
            derived.path,
            _merge(merged.data, own),
            lines,
            dict(derived.text_starts),
            derived.name,
            base=(base.path, line),
            bases=merged.sources,
        )
    return merged


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
            "`each` needs `from` and `as` (and may have `where`, `id` and `needs`)",
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
    wanted = spec.get("needs") or []
    needs = [str(wanted)] if isinstance(wanted, str) else [str(n) for n in wanted]
    fields = ENTITY_FOLDERS[folder].model_fields
    unknown = [need for need in needs if need not in fields]
    if unknown:
        errors.add(
            doc.path,
            doc.line(("each", "needs")),
            f"{folder} have no field '{unknown[0]}' for `needs`",
            f"use one of: {', '.join(fields)}",
        )
        return []
    made, matched = [], False
    for entity_id, record in sorted(library.entities[folder].items()):
        if not all(_matches(getattr(record.model, key, None), value) for key, value in where.items()):
            continue
        matched = True
        data = {k: v for k, v in doc.data.items() if k != "each"} | {field: entity_id}
        name = pattern.replace(f"{{{field}}}", entity_id)
        if not valid_id(name):
            errors.add(
                doc.path,
                doc.line(("each", "id")),
                f"the id pattern makes '{name}', which is not a valid id",
                "use lowercase letters, digits, hyphens and {" + field + "}",
            )
            return []
        missing = [need for need in needs if not getattr(record.model, need, None)]
        if missing:
            library.left_out[name] = f"the {field} has no {' or '.join(missing)} to show"
            continue
        made.append(
            Document(doc.path, data, dict(doc.lines), dict(doc.text_starts), name, doc.base, doc.bases)
        )
    if not matched:
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

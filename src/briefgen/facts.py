"""Holds a publication to its date: no dated fact it prints may be later than ``published``.

A profile published in August 2019 that says buses run "since 2020" prints the future as fact.
A kind names the fields whose entities it prints (``PRINTS``, e.g. a profile's city and
network); every date in those entities, and in the entities they name in turn, is a fact as of
that date unless the model holding it says ``expected: true`` (a target, such as a milestone).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from .dates import PartialDate
from .errors import Collector, display_path
from .fields import walk
from .library import Library, Record
from .load import Loc
from .model import Ref


@dataclass(frozen=True)
class Fact:
    """A date in an entity file: where it is written, what it dates, and whether it is a target."""

    path: Path
    line: int
    field: str  # e.g. initiatives.1.since
    date: PartialDate
    subject: str  # the title or name of what it dates
    expected: bool
    can_expect: bool  # whether its model has an ``expected`` field to mark a target with


def check(library: Library, errors: Collector) -> None:
    """Report each fact a publication prints that is later than the publication's date: once
    per fact and publication file (a network founded too late is one line, not one per profile)."""
    late: dict[tuple[Fact, Path, int, PartialDate], list[str]] = {}
    for record in library.publications.values():
        published: PartialDate = record.model.published  # type: ignore[attr-defined]
        for fact in printed_facts(record.model, library):
            if not fact.expected and later(fact.date, published):
                key = (fact, record.doc.path, record.doc.line(("published",)), published)
                late.setdefault(key, []).append(record.id)
    for (fact, path, line, published), ids in late.items():
        who = ids[0] if len(ids) == 1 else f"{ids[0]} and {len(ids) - 1} more"
        mark = "mark it `expected: true` if it was still planned then, or " if fact.can_expect else ""
        errors.add(
            fact.path,
            fact.line,
            f"{fact.subject}: '{fact.field}' is {fact.date.format()}, later than {who}"
            f" (published {published.format()}, {display_path(path)}:{line}), which prints it as fact",
            f"{mark}correct one of the two dates",
        )


def printed_facts(publication: BaseModel, library: Library) -> Iterator[Fact]:
    """Every dated fact in the entities a publication prints (each entity once). A kind without
    ``PRINTS`` has none checked."""
    prints = getattr(type(publication), "PRINTS", ())
    seen: set[tuple[str, str]] = set()
    queue = [
        (ref.folder, value)
        for loc, value, meta in (walk(publication) if prints else ())
        for ref in meta
        if isinstance(ref, Ref) and str(loc[0]) in prints
    ]
    while queue:
        folder, id = queue.pop(0)
        record = library.entities.get(folder, {}).get(id)
        if (folder, id) in seen or record is None:  # a broken file: its own error says so
            continue
        seen.add((folder, id))
        yield from _dated(record, record.model, ())
        queue += [(m.folder, v) for _, v, meta in walk(record.model) for m in meta if isinstance(m, Ref)]


def _dated(record: Record, model: BaseModel, loc: Loc) -> Iterator[Fact]:
    subject = getattr(model, "title", None) or getattr(model, "name", None) or record.id
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for i, item in items:
            here = (*loc, name) if i is None else (*loc, name, i)
            if isinstance(item, PartialDate):
                field = ".".join(str(part) for part in here)
                expected = getattr(model, "expected", False) is True
                can_expect = "expected" in type(model).model_fields
                yield Fact(record.doc.path, record.doc.line(here), field, item, subject, expected, can_expect)
            elif isinstance(item, BaseModel):
                yield from _dated(record, item, here)


def later(fact: PartialDate, published: PartialDate) -> bool:
    """Whether ``fact`` is certainly later than ``published``, compared as precisely as both are
    known: 2020 is later than 2019-08-01; 2019 is not (it may mean January)."""
    n = min(len(_parts(fact)), len(_parts(published)))
    return _parts(fact)[:n] > _parts(published)[:n]


def _parts(date: PartialDate) -> tuple[int, ...]:
    return tuple(part for part in (date.year, date.month, date.day) if part is not None)

"""Checks loaded documents against the content model, references and domain rules.

Every problem of a run is collected and reported together, each at its file and line.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import declared, facts, images, markdown, trade, word_template
from .dates import HINT as DATE_HINT
from .errors import BriefgenError, Collector, Problem, did_you_mean, display_path
from .expand import drop_inherited, expand
from .fields import walk
from .library import PUBLICATIONS, UNLOADABLE, Library, Record, find_documents, valid_id
from .load import Document, Loc
from .model import (
    ENTITY_FOLDERS,
    MAX_TRADE_YEARS,
    PUBLICATION_KINDS,
    CityProfile,
    Figures,
    Image,
    Prose,
    Ref,
    singular,
)

# Longest text a field may hold. Layout time grows faster than text length (a title is set
# again in the running head of every page it fills), so length is bounded where it is written.
MAX_PROSE_CHARS = 50_000  # a Markdown field: about 8,000 words
MAX_LINE_CHARS = 500  # a name, title, caption or summary line
MAX_URL_CHARS = 2_000


def validate_content(root: Path) -> Library:
    """Load and validate a whole content folder: the library, or every problem at once."""
    library, problems = check_content(root)
    if problems:
        raise BriefgenError(problems)
    return library


def check_content(root: Path) -> tuple[Library, list[Problem]]:
    """Load and validate a content folder; return what is valid and every problem found."""
    errors = Collector()
    found = find_documents(root, errors)
    return validate(root, found, errors), errors.problems


def validate(root: Path, found: dict[str, list[Document]], errors: Collector) -> Library:
    """Turn documents into a :class:`Library`, adding every problem found to ``errors`` (which
    already holds the load problems)."""
    library = Library(root)
    publications: list[Document] = []
    for folder, docs in found.items():
        bucket: dict[str, Record] = {}
        if folder == PUBLICATIONS:  # entities are validated by now: collections can select them
            docs = publications = expand(docs, library, errors)
        for doc in docs:
            model = _schema(doc, folder, errors) if _valid_id(doc, errors) else None
            if model is None:
                library.broken.add((folder, doc.id))
            else:
                bucket[doc.id] = Record(doc, model)
        if folder == PUBLICATIONS:
            library.publications = bucket
        else:
            library.entities[folder] = bucket
    for record in _all_records(library):
        _check_lengths(record, errors)
        _check_references(record, library, errors)
        _check_prose(record, root, errors)
        declared.check(record, root, errors)
        word_template.check(record, root, errors)
    for record in library.publications.values():
        trade.check(record, errors)
        _check_figures(record, errors)
        _check_sections(record, errors)
        _check_profile(record, library, errors)
    facts.check(library, errors)
    drop_inherited(errors, publications)
    return library


def _valid_id(doc: Document, errors: Collector) -> bool:
    if valid_id(doc.id):
        return True
    errors.add(
        doc.path,
        None,
        f"file name '{doc.path.name}' is not a valid id",
        "use lowercase letters, digits and hyphens, e.g. kuala-lumpur.yaml",
    )
    return False


def _all_records(library: Library) -> Iterator[Record]:
    for bucket in library.entities.values():
        yield from bucket.values()
    yield from library.publications.values()


def _schema(doc: Document, folder: str, errors: Collector) -> BaseModel | None:
    if doc.data is UNLOADABLE:
        return None
    if not isinstance(doc.data, dict):
        what = "empty" if doc.data is None else f"a {type(doc.data).__name__}, not a mapping"
        errors.add(
            doc.path,
            doc.line(),
            f"the file is {what}",
            f"write the {singular(folder)}'s fields as `name: value` lines",
        )
        return None
    model = ENTITY_FOLDERS[folder] if folder != PUBLICATIONS else _publication_kind(doc, errors)
    if model is None:
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(part for part in err["loc"] if part != "[key]")
            message, hint = _explain(err, loc, model)
            errors.add(doc.path, doc.line(loc or _first_named_field(doc, message)), message, hint)
        return None


def _publication_kind(doc: Document, errors: Collector) -> type[BaseModel] | None:
    kind = doc.data.get("kind")
    if isinstance(kind, str) and kind in PUBLICATION_KINDS:
        return PUBLICATION_KINDS[kind]
    known = ", ".join(PUBLICATION_KINDS)
    if kind is None:
        errors.add(doc.path, doc.line(), "publication has no 'kind'", f"add `kind:` with one of: {known}")
    else:
        errors.add(
            doc.path,
            doc.line(("kind",)),
            f"unknown publication kind '{kind}'",
            did_you_mean(str(kind), PUBLICATION_KINDS) or f"use one of: {known}",
        )
    return None


def _first_named_field(doc: Document, message: str) -> Loc:
    """For a whole-model rule ("local_name and local_lang go together"), the line of the
    first field the message names that the file has."""
    for word in re.findall(r"\w+", message):
        if isinstance(doc.data, dict) and word in doc.data:
            return (word,)
    return ()


def _explain(err: Any, loc: Loc, model: type[BaseModel]) -> tuple[str, str]:
    """A pydantic error as (message, what to do), in an editor's words."""
    name = ".".join(str(p) for p in loc) or "file"
    kind = err["type"]
    if kind == "missing":
        return f"missing required field '{name}'", f"add `{loc[-1]}:`"
    if kind == "extra_forbidden":
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(str(loc[-1]), allowed) or f"remove it; allowed here: {', '.join(allowed)}"
        return f"unknown field '{name}'", hint
    if kind == "string_pattern_mismatch":
        return f"'{name}' has the wrong form ({err['input']!r})", PATTERN_HINTS.get(
            str(loc[-1]), "see the README's field reference"
        )
    if kind.startswith(("date_", "datetime_")):
        return f"'{name}' is not a date ({err['input']!r})", DATE_HINT
    if kind == "value_error":  # the model's own checks: "what is wrong — what to do"
        message, _, hint = err["msg"].removeprefix("Value error, ").partition(" — ")
        return (f"'{name}': {message}" if loc else message), hint or "see the README's field reference"
    if kind == "finite_number":
        return f"'{name}' is not a finite number (got {_short(err['input'])})", "write a number"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        hint = "check the figure and the table's unit" if "trade_data" in loc else "check the value"
        return f"'{name}': {err['msg'].lower()} (got {_short(err['input'])})", hint
    if kind == "too_long" and "trade_data" in loc:
        return (
            f"'{name}' has more than {MAX_TRADE_YEARS} years",
            f"at most {MAX_TRADE_YEARS} years fit across a page: keep the latest {MAX_TRADE_YEARS}",
        )
    if kind == "too_short":
        return f"'{name}' is empty", "give at least one value, or remove the field"
    if kind == "literal_error":
        return f"'{name}': {err['msg'].lower()}", f"got {err['input']!r}"
    return f"'{name}': {err['msg'].lower()} (got {_short(err['input'])})", "see the README's field reference"


PATTERN_HINTS = {
    "url": "write a full address starting with https:// (or mailto:)",
    "iso": "use the two-letter ISO 3166 code, e.g. MY",
    "currency": "use the three-letter ISO 4217 code, e.g. MYR",
    "unit": "write e.g. 'USD millions' (a currency code, then thousands, millions or billions)",
}


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at ``loc`` inside ``model`` (for did-you-mean)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return list(current.model_fields) if _is_model(current) else []


def _is_model(value: object) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _inner_model(annotation: Any) -> Any:
    if _is_model(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _inner_model(arg)) is not None:
            return found
    return None


def _check_references(record: Record, library: Library, errors: Collector) -> None:
    for loc, value, meta in walk(record.model):
        for ref in (m for m in meta if isinstance(m, Ref)):
            known = library.entities.get(ref.folder, {})
            if value not in known and (ref.folder, value) not in library.broken:
                hint = did_you_mean(value, known) or f"add content/{ref.folder}/{value}.yaml"
                errors.add(
                    record.doc.path,
                    record.doc.line(loc),
                    f"unknown {ref.singular} '{value}'",
                    hint,
                )


def _check_lengths(record: Record, errors: Collector) -> None:
    for loc, value, meta in walk(record.model):
        if not isinstance(value, str):
            continue
        if any(isinstance(m, Prose) and not m.inline for m in meta):
            limit, hint = MAX_PROSE_CHARS, "split it into sections, or publish it in parts"
        elif str(loc[-1]) == "url":
            limit, hint = MAX_URL_CHARS, "link to a shorter address"
        else:
            limit, hint = MAX_LINE_CHARS, "shorten it; long text belongs in a Markdown field such as a body"
        if len(value) > limit:
            name = ".".join(str(part) for part in loc)
            errors.add(
                record.doc.path,
                record.doc.line(loc),
                f"'{name}' is {len(value):,} characters long, over the limit of {limit:,}",
                hint,
            )


def _check_figures(record: Record, errors: Collector) -> None:
    figures = getattr(record.model, "figures", None)
    if figures is None:
        return
    for name, source in Figures.NEEDS.items():
        if getattr(figures, name) is not None and not getattr(record.model, source, None):
            errors.add(
                record.doc.path,
                record.doc.line(("figures", name)),
                f"figure '{name}' is drawn from '{source}', which this publication does not have",
                f"add `{source}:` or remove the figure",
            )


def _check_sections(record: Record, errors: Collector) -> None:
    """Each free section follows a part its kind has (``after``), or comes at the end."""
    slots = type(record.model).SLOTS  # type: ignore[attr-defined]
    for i, section in enumerate(record.model.sections):  # type: ignore[attr-defined]
        if section.after is not None and section.after not in slots:
            errors.add(
                record.doc.path,
                record.doc.line(("sections", i, "after")),
                f"a {record.model.kind} has no part {section.after!r} to follow",  # type: ignore[attr-defined]
                did_you_mean(section.after, slots)
                or f"use one of: {', '.join(slots)}; or leave `after:` out",
            )


def _check_prose(record: Record, root: Path, errors: Collector) -> None:
    """Links and images in Markdown, and image fields (PNG or JPEG: Word takes no SVG)."""
    for loc, value, meta in walk(record.model):
        if any(isinstance(m, Image) for m in meta):
            for message, hint in images.problems(value, root):
                errors.add(record.doc.path, record.doc.line(loc), message, hint)
        if any(isinstance(m, Prose) for m in meta):
            for offset, message, hint in markdown.problems(value, root):
                errors.add(record.doc.path, record.doc.text_line(loc, offset), message, hint)


def _check_profile(record: Record, library: Library, errors: Collector) -> None:
    """A profile names a city with something to profile. A collection leaves such a city out
    itself (``each: needs``); a file that names one has written a page with nothing on it."""
    profile = record.model
    if not isinstance(profile, CityProfile) or ("each",) in record.doc.lines:  # `each` needs: says why
        return
    city = library.entities["cities"].get(profile.city)
    if city is not None and not city.model.initiatives:  # type: ignore[attr-defined]
        errors.add(
            record.doc.path,
            record.doc.line(("city",)),
            f"city '{profile.city}' has no initiatives, so its profile would have nothing to show",
            f"add initiatives to {display_path(city.doc.path)} or drop the profile",
        )

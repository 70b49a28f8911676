"""The content model as JSON Schema files, one per kind of content file, for editors that check
YAML as it is typed (yaml-language-server, which VS Code's YAML extension runs).

``countries/*.yaml`` files take ``country.schema.json``, and so on for each entity folder;
``publications/*.yaml`` take ``publication.schema.json``, which applies each kind's fields by
``kind`` (if/then, which the language server evaluates both to check and to complete) and knows
``based_on`` and ``each`` (expand.py). pydantic writes the schemas; this module widens them to
what briefgen reads from YAML and adds descriptions from the model's annotations and comments.
"""

from __future__ import annotations

import ast
import inspect
import io
import json
import tokenize
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue, models_json_schema

from . import model
from .atomic import atomic_target
from .dates import HINT as DATE_HINT
from .dates import PartialDate
from .library import ID, PUBLICATIONS
from .model import ENTITY_FOLDERS, PUBLICATION_KINDS, UNKNOWN, DataFile, Image, Prose, Ref, singular
from .validate import PATTERN_HINTS  # briefgen's own hints for a field's form

DIALECT = "https://json-schema.org/draft/2020-12/schema"  # the dialect pydantic writes
# A year (an integer to YAML) or a year-month or day (text). The pattern applies to text only.
DATE: JsonSchemaValue = {
    "type": ["integer", "string"],
    "minimum": 1000,
    "maximum": 9999,
    "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
    "patternErrorMessage": f"not a date: {DATE_HINT}",  # yaml-language-server's message
}
YEAR_KEY = "^(19[0-9]{2}|20[0-9]{2}|2100)$"  # model.Year, 1900-2100, as a YAML key
EACH_FIELDS = {  # expand.EACH_KEYS, described
    "from": "the entity folder to make one publication per entity of",
    "where": "fields equal to (or lists containing) these values, e.g. {networks: ascn}",
    "as": "the field each publication gets the entity's id in, e.g. city",
    "id": 'the publications\' ids, e.g. "city-profile-{city}" (default: <file id>-{<as>})',
    "needs": "a field (or list of fields) an entity must have filled in; others are left out, and said so",
}


def schema_file(folder: str) -> str:
    """The schema file for the content files of a folder: ``countries`` → ``country.schema.json``."""
    return f"{singular(folder)}.schema.json"


def write_schemas(out: Path) -> list[Path]:
    """Write every schema file into ``out`` (sorted keys, two-space indents, a final newline, so
    the same briefgen writes the same bytes); return their paths."""
    schemas = {schema_file(folder): entity_schema(folder) for folder in ENTITY_FOLDERS}
    schemas[schema_file(PUBLICATIONS)] = publication_schema()
    written = []
    for name, schema in schemas.items():
        target = out / name
        with atomic_target(target) as tmp:
            tmp.write_text(json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n", "utf-8")
        written.append(target)
    return written


def entity_schema(folder: str) -> JsonSchemaValue:
    """The schema of one file of an entity folder."""
    cls = ENTITY_FOLDERS[folder]
    defs = _definitions([cls])
    top = defs.pop(cls.__name__)
    about = f"One {singular(folder)}: a file in content/{folder}/, whose name is its id."
    top["description"] = f"{about} {top['description']}" if "description" in top else about
    return {"$schema": DIALECT, **top, "title": f"briefgen {singular(folder)}", "$defs": defs}


def publication_schema() -> JsonSchemaValue:
    """The schema of a publication file: each kind's fields by ``kind``; a file with ``based_on``
    needs no field (its base has them); with ``each``, the entity fields one of which ``as``
    fills are not required."""
    kinds = list(PUBLICATION_KINDS.values())
    defs = _definitions(kinds)
    extra = {"based_on": _based_on(), "each": _each()}
    forms: dict[str, list[JsonSchemaValue]] = {}  # each field's schemas across the kinds
    for cls in kinds:
        node = defs[cls.__name__]
        required = node.pop("required")
        # `each: as:` puts one entity's id in a field: one that holds an id, not a list of them
        refs = {name for name in required if any(isinstance(m, Ref) for m in cls.model_fields[name].metadata)}
        node["properties"].update(extra)
        node["allOf"] = [
            {
                "if": {"required": ["based_on"]},
                "else": {
                    "if": {"required": ["each"]},
                    "then": {"required": [name for name in required if name not in refs]},
                    "else": {"required": required},
                },
            }
        ]
        for name, prop in node["properties"].items():
            if prop not in forms.setdefault(name, []):
                forms[name].append(prop)
    by_kind = [
        {
            "if": {"required": ["kind"], "properties": {"kind": {"const": kind}}},
            "then": {"$ref": f"#/$defs/{cls.__name__}"},
        }
        for kind, cls in PUBLICATION_KINDS.items()
    ]
    return {
        "$schema": DIALECT,
        "title": "briefgen publication",
        "description": (
            f"A publication: a file in content/{PUBLICATIONS}/, whose name is its id (and its outputs' "
            "names). `kind` decides its fields; `based_on` takes them from another publication; "
            "`each` makes one publication per entity of a folder."
        ),
        "type": "object",
        "properties": {
            "kind": {
                "enum": list(PUBLICATION_KINDS),
                "description": "What kind of publication it is: it decides the other fields.",
            },
            **extra,
        },
        "allOf": [
            {"if": {"required": ["based_on"]}, "else": {"required": ["kind"]}},
            *by_kind,
            {  # based_on without kind: the base's kind, which a schema cannot look up
                "if": {"not": {"required": ["kind"]}},
                "then": {
                    "properties": {name: f[0] if len(f) == 1 else {"anyOf": f} for name, f in forms.items()},
                    "additionalProperties": False,
                },
            },
        ],
        "$defs": defs,
    }


def _based_on() -> JsonSchemaValue:
    return {
        "type": "string",
        "pattern": f"^{ID.pattern}$",
        "description": (
            f"The id of another file in content/{PUBLICATIONS}/: this publication is that one with "
            "this file's fields laid over it (mappings merge; lists and values replace)."
        ),
    }


def _each() -> JsonSchemaValue:
    properties: dict[str, JsonSchemaValue] = {
        name: {"description": text} for name, text in EACH_FIELDS.items()
    }
    properties["from"]["enum"] = list(ENTITY_FOLDERS)
    properties["where"]["type"] = "object"
    properties["as"]["type"] = properties["id"]["type"] = "string"
    properties["needs"]["anyOf"] = [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    return {
        "type": "object",
        "description": "A collection: one publication per entity of a folder that matches `where`.",
        "properties": properties,
        "required": ["from", "as"],
        "additionalProperties": False,
    }


# --- pydantic's schema, as briefgen reads YAML ------------------------------------------------


class _Generator(GenerateJsonSchema):
    """pydantic's JSON Schema, widened where briefgen's validators accept more than the type
    says, and without the titles pydantic makes up from field names."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def str_schema(self, schema: Any) -> JsonSchemaValue:
        json_schema = super().str_schema(schema)
        # coerce_numbers_to_str: `number: 077` and `title: 2026` are text to briefgen, numbers to
        # an editor's YAML. Text of a set form (a pattern) stays text.
        if "pattern" not in json_schema:
            json_schema["type"] = ["string", "number"]
        return json_schema

    def function_plain_schema(self, schema: Any) -> JsonSchemaValue:
        if schema["function"]["function"] == PartialDate.parse:  # equal bound methods: same class
            return {**DATE, "description": DATE_HINT}
        return super().function_plain_schema(schema)

    def function_before_schema(self, schema: Any) -> JsonSchemaValue:
        json_schema = super().function_before_schema(schema)
        if schema["function"]["function"] is model._unknown_as_none:
            return {"anyOf": [json_schema, _unknown_mark()]}
        if json_schema.get("type") == "array":  # `y: Budget` for [Budget]; a CSS-style font stack
            return {"anyOf": [json_schema, {"type": "string"}]}
        return json_schema

    def dict_schema(self, schema: Any) -> JsonSchemaValue:
        json_schema = super().dict_schema(schema)
        keys = schema.get("keys_schema", {})
        if keys.get("type") == "int":  # YAML's 2021: is a number; a schema's keys are text
            years = (keys.get("ge"), keys.get("le")) == (1900, 2100)
            json_schema["propertyNames"] = {"pattern": YEAR_KEY if years else "^-?[0-9]+$"}
        return json_schema


def _definitions(classes: Sequence[type[BaseModel]]) -> dict[str, JsonSchemaValue]:
    """The schemas of ``classes`` and of every model they use, by class name, described."""
    _, top = models_json_schema(
        [(cls, "validation") for cls in classes],
        ref_template="#/$defs/{model}",
        schema_generator=_Generator,
    )
    defs: dict[str, JsonSchemaValue] = top["$defs"]
    comments = _field_comments()
    for cls in _models():
        node = defs.get(cls.__name__)
        if node is None:
            continue
        if "description" in node:  # the docstring, as one paragraph of plain backticks
            node["description"] = " ".join(node["description"].replace("``", "`").split())
        for name in cls.model_fields:
            comment = next(
                (comments[c.__name__, name] for c in cls.__mro__ if (c.__name__, name) in comments), ""
            )
            text = " ".join(t for t in (_derived(cls, name), _sentence(comment)) if t)
            prop = node["properties"][name]
            if text:
                prop["description"] = text
            if name in PATTERN_HINTS:  # the hint briefgen gives, as the editor's message
                for form in (prop, *prop.get("anyOf", [])):
                    if "pattern" in form:
                        form["patternErrorMessage"] = PATTERN_HINTS[name]
    return defs


def _models() -> list[type[BaseModel]]:
    return [
        value
        for value in vars(model).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == model.__name__
    ]


def _derived(cls: type[BaseModel], name: str) -> str:
    """What a field's annotations say it holds: an id of some folder, Markdown, an image, a date."""
    markers = _markers(cls, name)
    many = typing.get_origin(cls.model_fields[name].annotation) is list
    for marker in markers:
        if isinstance(marker, Ref):
            if many:
                return f"Ids of {marker.folder}: file names in content/{marker.folder}/, without .yaml."
            return f"The id of a {marker.singular}: a file name in content/{marker.folder}/, without .yaml."
        if isinstance(marker, Prose):
            return "Markdown on one line." if marker.inline else "Markdown."
        if isinstance(marker, Image):
            return "A PNG or JPEG file inside the content folder, e.g. images/logo.png."
        if isinstance(marker, DataFile):
            return "A CSV file inside the content folder, e.g. data/figures.csv."
        if marker is PartialDate:
            return f"A date: {DATE_HINT}."
    return ""


def _markers(cls: type[BaseModel], name: str) -> list[object]:
    """Every type and annotation marker inside a field's annotation."""
    field = cls.model_fields[name]
    found: list[object] = [*field.metadata]
    todo: list[object] = [field.annotation]
    while todo:
        item = todo.pop()
        found.append(item)
        todo.extend(typing.get_args(item))
    return found


def _field_comments() -> dict[tuple[str, str], str]:
    """The ``#`` comments of model.py's fields, by (class, field): on the field's line, or the
    comment lines just above it."""
    source = inspect.getsource(model)
    lines = source.splitlines()
    comments = {
        token.start[0]: token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    found = {}
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ClassDef):
            continue
        for statement in node.body:
            if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
                continue
            above: list[str] = []
            line = statement.lineno - 1
            while line in comments and lines[line - 1].lstrip().startswith("#"):
                above.insert(0, comments[line])
                line -= 1
            text = " ".join([*above, comments.get(statement.end_lineno or 0, "")]).strip()
            if text:
                found[(node.name, statement.target.id)] = text
    return found


def _unknown_mark() -> JsonSchemaValue:
    """What editors write for a figure nobody knows (model.UNKNOWN, in any case and spacing)."""
    words = ("".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in word) for word in UNKNOWN)
    return {"type": "string", "pattern": f"^\\s*({'|'.join(w for w in words if w)})?\\s*$"}


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}{'' if text.endswith('.') else '.'}" if text else ""

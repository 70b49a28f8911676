"""`briefgen schema`: JSON Schema of the content files, for editors (yaml-language-server).

No JSON Schema validator is among briefgen's dependencies, so these tests read the schemas'
structure: every field is there, required exactly when briefgen requires it, every key the
sample content uses is known, and the forms briefgen reads as text, dates or "unknown" match.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from briefgen.cli import main
from briefgen.dates import PartialDate
from briefgen.expand import EACH_KEYS
from briefgen.load import load_document
from briefgen.model import ENTITY_FOLDERS, PUBLICATION_KINDS, Money, Row, singular
from briefgen.schema import write_schemas
from conftest import CONTENT

FILES = {folder: f"{singular(folder)}.schema.json" for folder in [*ENTITY_FOLDERS, "publications"]}


@pytest.fixture(scope="module")
def schemas(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every schema file as written, by content folder."""
    out = tmp_path_factory.mktemp("schemas")
    write_schemas(out)
    return {folder: json.loads((out / name).read_text(encoding="utf-8")) for folder, name in FILES.items()}


def kind_schema(schemas: dict[str, Any], kind: str) -> dict[str, Any]:
    return schemas["publications"]["$defs"][PUBLICATION_KINDS[kind].__name__]


def resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = root["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def required(node: dict[str, Any], keys: set[str]) -> set[str]:
    """The properties ``node`` requires of an object with ``keys`` (its `if: required` conditions)."""
    found = set(node.get("required", []))
    for part in node.get("allOf", []):
        found |= required(part, keys)
    if "if" in node:
        branch = "then" if set(node["if"].get("required", [])) <= keys else "else"
        found |= required(node.get(branch, {}), keys)
    return found


def test_schema_writes_one_file_per_entity_folder_and_one_for_publications(tmp_path: Path, capsys) -> None:
    assert main(["schema", "--out", str(tmp_path / "schemas")]) == 0
    assert capsys.readouterr().out == f"wrote 9 JSON Schema file(s) into {tmp_path / 'schemas'}\n"
    assert sorted(p.name for p in (tmp_path / "schemas").iterdir()) == sorted(FILES.values())
    assert "publication.schema.json" in FILES.values() and "city.schema.json" in FILES.values()


def test_the_files_are_the_same_bytes_each_time_sorted_and_indented(tmp_path: Path) -> None:
    first, second = write_schemas(tmp_path / "a"), write_schemas(tmp_path / "b")
    for a, b in zip(first, second, strict=True):
        text = a.read_text(encoding="utf-8")
        assert text == b.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("folder", ENTITY_FOLDERS)
def test_an_entity_has_every_field_and_requires_what_briefgen_requires(
    folder: str, schemas: dict[str, Any]
) -> None:
    model = ENTITY_FOLDERS[folder]
    schema = schemas[folder]
    assert set(schema["properties"]) == set(model.model_fields)
    assert set(schema["required"]) == {name for name, f in model.model_fields.items() if f.is_required()}
    assert schema["additionalProperties"] is False


@pytest.mark.parametrize("kind", PUBLICATION_KINDS)
def test_a_publication_kind_has_every_field_and_requires_what_briefgen_requires(
    kind: str, schemas: dict[str, Any]
) -> None:
    model = PUBLICATION_KINDS[kind]
    node = kind_schema(schemas, kind)
    assert set(node["properties"]) == {*model.model_fields, "based_on", "each"}
    must = {name for name, f in model.model_fields.items() if f.is_required()}
    assert required(node, set()) == must
    assert required(node, {"based_on"}) == set()  # the base has them
    ids = {"publisher", "country", "sector", "city"}  # one of which `each: as:` fills in
    assert required(node, {"each"}) == must - ids


def test_the_kind_chooses_the_fields_and_a_file_needs_a_kind_or_a_base(schemas: dict[str, Any]) -> None:
    top = schemas["publications"]
    assert top["properties"]["kind"]["enum"] == list(PUBLICATION_KINDS)
    assert required(top, set()) == {"kind"}
    assert required(top, {"based_on"}) == set()
    chosen = {
        part["if"]["properties"]["kind"]["const"]: part["then"]["$ref"]
        for part in top["allOf"]
        if "kind" in part["if"].get("properties", {})
    }
    assert chosen == {kind: f"#/$defs/{cls.__name__}" for kind, cls in PUBLICATION_KINDS.items()}


def test_each_takes_the_keys_briefgen_reads(schemas: dict[str, Any]) -> None:
    each = schemas["publications"]["properties"]["each"]
    assert set(each["properties"]) == EACH_KEYS and set(each["required"]) == {"from", "as"}
    assert each["properties"]["from"]["enum"] == list(ENTITY_FOLDERS)


def test_every_nested_model_refuses_unknown_fields_as_briefgen_does(schemas: dict[str, Any]) -> None:
    for schema in schemas.values():
        for name, node in schema.get("$defs", {}).items():
            assert node["additionalProperties"] is False, name


def known_keys(data: Any, node: dict[str, Any], root: dict[str, Any], where: str) -> list[str]:
    """Keys in ``data`` that the schema ``node`` does not declare, as "file: a.b" lines."""
    node = resolve(node, root)
    unknown: list[str] = []
    for option in node.get("anyOf", []):
        unknown += known_keys(data, option, root, where)
    if isinstance(data, dict) and "properties" in node:
        for key, value in data.items():
            if key in node["properties"]:
                unknown += known_keys(value, node["properties"][key], root, f"{where}.{key}")
            elif node.get("additionalProperties") is False:
                unknown.append(f"{where}.{key}")
    if isinstance(data, list) and "items" in node:
        for i, item in enumerate(data):
            unknown += known_keys(item, node["items"], root, f"{where}.{i}")
    return unknown


@pytest.mark.parametrize("folder", FILES)
def test_the_schema_knows_every_key_the_sample_content_uses(folder: str, schemas: dict[str, Any]) -> None:
    root = schemas[folder]
    for path in sorted((CONTENT / folder).glob("*.yaml")):
        data = load_document(path).data
        if folder == "publications":
            node = (
                kind_schema(schemas, data["kind"]) if "kind" in data else {"properties": root["properties"]}
            )
            keys = set(data)
            assert required(node, keys) | required(root, keys) <= keys, path.name
        else:
            node = root
            assert set(root["required"]) <= set(data), path.name
        assert known_keys(data, node, root, path.name) == []


def accepted_by_briefgen(annotation: Any, value: object) -> bool:
    class Probe(BaseModel):
        value: annotation

    try:
        Probe(value=value)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize(
    "text", ["2025", "2025-06", "2025-06-30", "June 2025", "2025/06", "25-06-30", "2025-6"]
)
def test_a_date_has_the_forms_briefgen_reads(text: str, schemas: dict[str, Any]) -> None:
    date = kind_schema(schemas, "commentary")["properties"]["published"]
    assert date["type"] == ["integer", "string"]  # 2025 is a number to YAML
    assert bool(re.search(date["pattern"], text)) == accepted_by_briefgen(PartialDate, text)


@pytest.mark.parametrize("text", ["n/a", "N/A", "na", "unknown", "Unknown", "", " n/a ", "none", "-", "?"])
def test_a_trade_figure_may_be_unknown_in_the_words_briefgen_reads(
    text: str, schemas: dict[str, Any]
) -> None:
    row = resolve({"$ref": "#/$defs/TradeData"}, schemas["publications"])["properties"]["total_exports"]
    (mark,) = [form for form in row["additionalProperties"]["anyOf"] if form.get("type") == "string"]
    assert bool(re.search(mark["pattern"], text)) == accepted_by_briefgen(Money, text)


@pytest.mark.parametrize("year", ["1899", "1900", "2021", "2100", "2101", "20210", "x"])
def test_a_trade_rows_keys_are_the_years_briefgen_reads(year: str, schemas: dict[str, Any]) -> None:
    row = resolve({"$ref": "#/$defs/TradeData"}, schemas["publications"])["properties"]["total_exports"]
    assert bool(re.search(row["propertyNames"]["pattern"], year)) == accepted_by_briefgen(Row, {year: 1})


def test_text_may_be_written_as_a_number_as_briefgen_reads_it(schemas: dict[str, Any]) -> None:
    number = kind_schema(schemas, "commentary")["properties"]["number"]  # `number: 077`
    assert number["type"] == ["string", "number"]
    assert schemas["countries"]["properties"]["iso"]["type"] == "string"  # a set form stays text


@pytest.mark.parametrize(
    ("folder", "path", "says"),
    [
        ("publications", ["$defs", "MarketBrief", "properties", "country"], "content/countries/"),
        ("publications", ["$defs", "Commentary", "properties", "authors"], "content/authors/"),
        ("publications", ["$defs", "MarketBrief", "properties", "overview"], "Markdown. Else the sector's"),
        ("publications", ["$defs", "Commentary", "properties", "published"], "a month (2025-06)"),
        ("publications", ["properties", "based_on"], "laid over it"),
        ("publishers", ["properties", "unknown_mark"], "A figure nobody knows."),
        ("publishers", ["properties", "logo"], "PNG or JPEG"),
        ("publishers", ["description"], "A house style"),
        ("countries", ["description"], "a file in content/countries/, whose name is its id"),
        ("countries", ["properties", "iso", "patternErrorMessage"], "ISO 3166"),
    ],
)
def test_fields_say_what_they_hold(folder: str, path: list[str], says: str, schemas: dict[str, Any]) -> None:
    node: Any = schemas[folder]
    for key in path:
        node = node[key]
    text = node if isinstance(node, str) else node["description"]
    assert says in text

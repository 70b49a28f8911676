"""Reads YAML content files into plain data, remembering the line of every value.

PyYAML's safe loader is used for scalars only; mappings and sequences are built here so that
duplicate keys are refused (PyYAML silently keeps the last), aliases cannot expand without
bound (neither in count nor in the size of text they repeat), and every value's position
survives for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .dates import HINT
from .errors import BriefgenError
from .files import read_bytes

MAX_FILE_BYTES = 1 << 20
MAX_NODES = 100_000
# The text a file may expand to, counting a value each time an alias repeats it: a small file
# of aliases to one long string would otherwise become gigabytes of prose to render.
MAX_EXPANDED_CHARS = 2 << 20
MAX_DEPTH = 50
# Control characters (but tab and newlines), surrogates and non-characters: YAML's escapes let
# them into a string, but neither a PDF nor Word XML can carry them.
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

Loc = tuple[str | int, ...]


@dataclass
class Document:
    """One content file: its data and the 1-based line of each value, keyed by path."""

    path: Path
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    text_starts: dict[Loc, int] = field(default_factory=dict)  # first line of a text value's body
    name: str | None = None  # the id of a publication made by a collection (see expand.py)
    base: tuple[Path, int] | None = None  # for based_on: the base file, and the line naming it
    bases: tuple[Path, ...] = ()  # every file a based_on chain merged into this one

    @property
    def sources(self) -> tuple[Path, ...]:
        """The files this document's data comes from."""
        return (self.path, *self.bases)

    @property
    def id(self) -> str:
        return self.name or self.path.stem

    def text_line(self, loc: Loc, offset: int = 0) -> int:
        """The line ``offset`` lines into a text value (for problems inside Markdown)."""
        start = self.text_starts.get(tuple(loc))
        return self.line(loc) if start is None else start + offset  # no start known: the value's line

    def line(self, loc: Loc = ()) -> int:
        """The line of ``loc``, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while loc not in self.lines and loc:
            loc = loc[:-1]
        return self.lines.get(loc, 1)


class _Yaml12Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2's core schema for plain values, not PyYAML's YAML 1.1: `NO` (Norway) and `yes`
    stay text, `1:20` is not sexagesimal 80, and `1e308` is a number. A number with a leading
    zero (`077`, a series number; `020`) stays text, never octal. Dates (2025-06-30) are still
    read as dates."""


_RESOLVED = {
    "bool": (r"true|True|TRUE|false|False|FALSE", "tTfF"),
    "int": (r"[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+", "-+0123456789"),
    "float": (
        r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
        "-+.0123456789",
    ),
    "null": (r"~|null|Null|NULL|", ["~", "n", "N", ""]),
    "merge": (r"<<", "<"),  # YAML 1.1's merge key: recognised, so that it is refused by name
}
for _name, (_pattern, _first) in _RESOLVED.items():
    _Yaml12Resolver.add_implicit_resolver(
        f"tag:yaml.org,2002:{_name}", re.compile(f"^(?:{_pattern})$"), list(_first)
    )
for _first, _resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items():
    for _tag, _regexp in _resolvers:
        if _tag == "tag:yaml.org,2002:timestamp":
            _Yaml12Resolver.add_implicit_resolver(_tag, _regexp, [_first])


class Loader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    _Yaml12Resolver,
):
    """PyYAML's safe loader with YAML 1.2's reading of plain values."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        _Yaml12Resolver.__init__(self)


def load_document(path: Path) -> Document:
    """Load one YAML file safely; raise a located error for anything malformed."""
    try:
        text = read_bytes(path, MAX_FILE_BYTES, "content file").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BriefgenError.at(
            path, None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8"
        ) from None
    if bad := UNPRINTABLE.search(text.replace("\ufeff", "", 1) if text.startswith("\ufeff") else text):
        line = text[: bad.start()].count("\n") + 1
        raise BriefgenError.at(
            path,
            line,
            f"the file holds the control character U+{ord(bad.group()):04X}",
            "delete it: it cannot be printed, and Word files cannot hold it",
        )
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        doc = Document(path, None)
        if node is not None:
            doc.data = _Builder(loader, doc).build(node, ())
        return doc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise BriefgenError.at(path, at, f"YAML syntax error: {problem}", _yaml_hint(problem)) from None
    except RecursionError:  # PyYAML composes recursively: thousands of nested [ [ [ ...
        raise BriefgenError.at(
            path, _too_deep_line(text), f"values nested more than {MAX_DEPTH} deep", "flatten the structure"
        ) from None
    except yaml.YAMLError as exc:
        raise BriefgenError.at(path, None, f"YAML error: {exc}", "check the file's syntax") from None
    finally:
        loader.dispose()


def _too_deep_line(text: str) -> int | None:
    """The line where nesting first passes MAX_DEPTH (the scanner, unlike the composer, is flat)."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(
                token,
                (
                    yaml.FlowSequenceStartToken,
                    yaml.FlowMappingStartToken,
                    yaml.BlockSequenceStartToken,
                    yaml.BlockMappingStartToken,
                ),
            ):
                depth += 1
                if depth > MAX_DEPTH:
                    return token.start_mark.line + 1
            elif isinstance(token, (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)):
                depth -= 1
    except yaml.YAMLError:
        pass
    return None


def _yaml_hint(problem: str) -> str:
    if "tab" in problem or "\\t" in problem:
        return "indent with spaces, not tabs"
    if "mapping values" in problem:
        return "quote a value that contains ': '"
    return "check indentation and quoting on this line or the one before"


class _Builder:
    def __init__(self, loader: Loader, doc: Document) -> None:
        self.loader = loader
        self.doc = doc
        self.count = 0
        self.chars = 0  # the text built so far, aliases counted at each use
        self.open: list[yaml.Node] = []  # the nodes being built, to catch an alias to itself

    def fail(self, node: yaml.Node, message: str, hint: str) -> BriefgenError:
        return BriefgenError.at(self.doc.path, node.start_mark.line + 1, message, hint)

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node, f"more than {MAX_NODES:,} values (an alias bomb?)", "remove the repeated aliases"
            )
        if len(self.open) > MAX_DEPTH:
            raise self.fail(node, f"values nested more than {MAX_DEPTH} deep", "flatten the structure")
        if any(node is open_node for open_node in self.open):
            raise self.fail(node, "an alias refers to a value that contains it", "remove the alias")
        self.doc.lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            self.chars += len(node.value)
            if self.chars > MAX_EXPANDED_CHARS:
                raise self.fail(
                    node,
                    "aliases repeat the value here until the file expands to more than "
                    f"{MAX_EXPANDED_CHARS >> 20} MiB of text",
                    "write the text once, or use fewer aliases",
                )
            if node.tag.startswith(_STANDARD) and node.tag not in _SCALAR_TAGS:
                raise self.fail(
                    node,
                    f"the tag {node.tag!r} is not allowed",
                    "write the value as plain text (quote it if it starts with !)",
                )
            self.doc.text_starts[loc] = _content_line(node)
            return self._scalar(node, loc)
        if node.tag not in _PLAIN_TAGS:
            raise self.fail(
                node, f"the tag {node.tag} is not allowed", "remove the !tag: content is plain data"
            )
        self.open.append(node)
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, loc)
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        finally:
            self.open.pop()

    def _scalar(self, node: yaml.ScalarNode, loc: Loc = ()) -> Any:
        try:
            value = self.loader.construct_object(node, deep=True)
            if isinstance(value, str) and (bad := UNPRINTABLE.search(value)):
                raise self.fail(
                    node,
                    f"the text holds the control character U+{ord(bad.group()):04X}",
                    "delete it: it cannot be printed, and Word files cannot hold it",
                )
            return value
        except yaml.constructor.ConstructorError as exc:
            raise self.fail(
                node,
                f"YAML reads '{node.tag}' as a tag, which is not allowed",
                "if the ! is text (a Markdown image starts with ![), put the whole value in quotes",
            ) from exc
        except ValueError:  # a date-shaped value that is no date, such as 2019-13-45
            name = ".".join(str(part) for part in loc) or "value"
            raise self.fail(node, f"'{name}' is not a date ({node.value!r})", HINT) from None

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str | int, Any]:
        result: dict[str | int, Any] = {}
        for (key_node, value_node), after in zip(
            node.value, [*node.value[1:], None][: len(node.value)], strict=True
        ):
            if node.flow_style and after is not None and _thousands_split(value_node, after):
                value, rest = value_node.value, after[0].value
                raise self.fail(
                    after[0],
                    f"'{key_node.value}: {value},{rest}' reads as two entries, because a comma"
                    " separates entries in { }",
                    f"write {value}{rest} without the comma",
                )
            line = key_node.start_mark.line + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail(key_node, "merge keys (<<) are not supported", "write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be plain text", "write `name: value`")
            key = self._key(key_node)
            if key in result:
                first = self.doc.lines[(*loc, key)]
                raise self.fail(
                    key_node, f"duplicate key '{key}' (first on line {first})", "keep one of the two"
                )
            self.doc.lines[(*loc, key)] = line
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _key(self, node: yaml.ScalarNode) -> str | int:
        """Keys are text, except whole numbers (years in trade tables); `yes:` stays 'yes'."""
        value = self._scalar(node)
        return value if isinstance(value, int) and not isinstance(value, bool) else str(node.value)


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
# Text, numbers, booleans, null and dates; not !!binary (bytes), which nothing can print.
_STANDARD = "tag:yaml.org,2002:"  # other tags (!foo) fail in the constructor, with their own hint
_SCALAR_TAGS = {f"{_STANDARD}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}


def _thousands_split(value: yaml.Node, after: tuple[yaml.Node, yaml.Node]) -> bool:
    """Whether `{2026: 1,020}` was meant: a number, then a key of three digits with no value."""
    key, empty = after
    return (
        isinstance(value, yaml.ScalarNode)
        and value.style is None
        and re.fullmatch(r"[0-9]{1,3}", value.value) is not None
        and isinstance(key, yaml.ScalarNode)
        and key.style is None
        and re.fullmatch(r"[0-9]{3}", key.value) is not None
        and isinstance(empty, yaml.ScalarNode)
        and empty.value == ""
        and empty.style is None
    )


def _content_line(node: yaml.Node) -> int:
    """1-based line where a value's text starts (block scalars start below their indicator)."""
    line = node.start_mark.line + 1
    if isinstance(node, yaml.ScalarNode) and node.style in ("|", ">"):
        line += 1
    return line

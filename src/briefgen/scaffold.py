"""Writes new content: a starter project that builds at once (``briefgen init``), and one
publication file with its required fields filled in and commented (``briefgen new``).

Both copy files kept under ``starter/``: ``project/`` is the starter project as it is written,
``new/<kind>.yaml`` the text of a new publication with ``$placeholders``. Every YAML file written
starts with a ``yaml-language-server`` line naming its JSON Schema (schema.py), relative to it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from string import Template

from .atomic import unwritable
from .epoch import source_date
from .errors import BriefgenError, Collector, did_you_mean, display_path
from .load import load_document

STARTER = Path(__file__).resolve().parent / "starter"
SCHEMAS = "schemas"  # beside the content folder
SCHEMA_LINE = "# yaml-language-server: $schema="
RENAMED = {"gitignore": ".gitignore"}  # kept under another name so that packaging keeps it
IGNORED = {".git"}  # a folder that holds only these is empty enough to start a project in
KIND_NAMES = {"market-brief": "market brief", "commentary": "commentary", "city-profile": "city profile"}
# A top-level field with a comment after it, as the templates write them: the comments line up
# at this column again once the values are filled in.
COMMENT_COLUMN = 33
_COMMENTED = re.compile(r"^([a-z_]+: [^\n]*?) {2,}(# [^\n]*)$", re.M)
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 .,'’()&/–-]*")  # text YAML reads back as itself
_DIGITS = re.compile(r"[0-9]+")


def init_project(dir: Path) -> list[Path]:
    """Write the starter project into ``dir`` (new, or empty); return the files written."""
    if dir.exists() and not dir.is_dir():
        raise BriefgenError.at(dir, None, "is a file, not a folder", "name a new folder for the project")
    found = sorted(p.name for p in dir.iterdir() if p.name not in IGNORED) if dir.is_dir() else []
    if found:
        shown = ", ".join(found[:3]) + (", …" if len(found) > 3 else "")
        raise BriefgenError.at(
            dir,
            None,
            f"the folder is not empty (it has {shown})",
            "name a new or empty folder: init writes content/, schemas/, README.md and a Makefile into it",
        )
    from .schema import write_schemas

    project = STARTER / "project"
    written = []
    for source in sorted(p for p in project.rglob("*") if p.is_file()):
        relative = source.relative_to(project)
        target = dir / relative.parent / RENAMED.get(relative.name, relative.name)
        _write(target, source.read_text(encoding="utf-8"), exclusive=False)
        written.append(target)
    return written + write_schemas(dir / SCHEMAS)


def new_publication(
    content: Path,
    kind: str,
    id: str,
    *,
    country: str | None = None,
    sector: str | None = None,
    publisher: str | None = None,
    authors: list[str] | None = None,
    city: str | None = None,
) -> Path:
    """Write ``content/publications/<id>.yaml``, a draft of ``kind`` dated today that validates as
    it stands, and the JSON Schema beside the content folder if it has none yet; return its path.
    A problem (a bad id, a file already there, a reference to nothing) writes nothing."""
    from .library import PUBLICATIONS, valid_id

    target = content / PUBLICATIONS / f"{id}.yaml"
    if not valid_id(id):
        raise BriefgenError.at(
            target,
            None,
            f"{id!r} is not a valid id",
            "use lowercase letters, digits and hyphens, e.g. vietnam-fintech",
        )
    if not content.is_dir():
        raise BriefgenError.at(
            content,
            None,
            "content folder not found",
            "pass --content DIR, or start a project: briefgen init DIR",
        )
    if kind not in KIND_NAMES:
        raise BriefgenError.at(
            target,
            None,
            f"unknown kind {kind!r}",
            did_you_mean(kind, KIND_NAMES) or f"use one of: {', '.join(KIND_NAMES)}",
        )
    for existing in (target, target.with_suffix(".yml")):
        if existing.exists():
            raise _exists(existing)

    new = _New(content, kind, target, Collector())
    fields = {"id": id, "publisher": new.pick("publishers", publisher, "--publisher", default=True)}
    new.refuse({"--country": country, "--sector": sector}, unless="market-brief")
    new.refuse({"--author": authors}, unless="commentary")
    new.refuse({"--city": city}, unless="city-profile")
    if kind == "market-brief":
        fields |= new.market_brief(country, sector)
    elif kind == "commentary":
        fields |= new.commentary(id, authors, fields["publisher"])
    elif kind == "city-profile":
        fields |= new.city_profile(city)
    new.errors.raise_if_any()

    fields["published"] = (stamp.date() if (stamp := source_date()) else dt.date.today()).isoformat()
    text = Template((STARTER / "new" / f"{kind}.yaml").read_text(encoding="utf-8")).substitute(fields)
    text = _COMMENTED.sub(lambda m: f"{m[1]:<{COMMENT_COLUMN - 1}} {m[2]}", text)
    _write(target, text, exclusive=True)
    if not (schema_folder(content) / "publication.schema.json").exists():
        from .schema import write_schemas

        write_schemas(schema_folder(content))
    return target


def schema_folder(content: Path) -> Path:
    """Where the JSON Schema of a content folder's files is: ``schemas/`` beside it."""
    return Path(os.path.abspath(content)).parent / SCHEMAS


class _New:
    """What a new publication refers to, each checked against the content folder; problems are
    collected so that one run names them all."""

    def __init__(self, content: Path, kind: str, target: Path, errors: Collector):
        self.content, self.kind, self.target, self.errors = content, kind, target, errors

    def ids(self, folder: str) -> list[str]:
        files = [*(self.content / folder).glob("*.yaml"), *(self.content / folder).glob("*.yml")]
        return sorted({path.stem for path in files})

    def pick(self, folder: str, given: str | None, option: str, *, default: bool = False) -> str:
        """The id ``given`` if the folder has it; without one, the folder's only entity when
        ``default`` allows it. Otherwise a problem saying what to pass, and ``""``."""
        from .library import valid_id
        from .model import singular

        one, ids = singular(folder), self.ids(folder)
        if given is not None and given in ids:
            return given
        if given is None and default and len(ids) == 1:
            return ids[0]
        if given is not None:
            message = f"unknown {one} {given!r} ({option})"
            add = f"content/{folder}/{given}.yaml" if valid_id(given) else f"content/{folder}/<id>.yaml"
            hint = did_you_mean(given, ids) or (
                f"use one of: {_listed(ids)}; or add {add}" if ids else f"add {add} first"
            )
        elif not ids:
            message = f"a {KIND_NAMES[self.kind]} needs a {one}, and content/{folder}/ has none"
            hint = f"add content/{folder}/<id>.yaml, then pass {option} <id>"
        else:
            many = f"which {one}? content/{folder}/ has {len(ids)}"
            message = many if default else f"a {KIND_NAMES[self.kind]} needs a {one}"
            hint = f"pass {option} with one of: {_listed(ids)}"
        self.errors.add(self.target, None, message, hint)
        return ""

    def refuse(self, options: dict[str, object], *, unless: str) -> None:
        """Options that say nothing about this kind are a problem, not silently dropped."""
        for option, value in options.items():
            if value and self.kind != unless:
                self.errors.add(
                    self.target,
                    None,
                    f"{option} is for a {KIND_NAMES[unless]}, not a {KIND_NAMES[self.kind]}",
                    "leave it out",
                )

    def name(self, folder: str, id: str) -> str:
        """An entity's ``name``, or its id when its file does not say (validate will)."""
        return str((self.data(folder, id) or {}).get("name") or id)

    def data(self, folder: str, id: str) -> dict | None:
        """The fields of an entity's file; None if it does not load (validate says why)."""
        try:
            data = load_document(self.content / folder / f"{id}.yaml").data
        except BriefgenError:
            return None
        return data if isinstance(data, dict) else None

    def market_brief(self, country: str | None, sector: str | None) -> dict[str, str]:
        country = self.pick("countries", country, "--country")
        sector = self.pick("sectors", sector, "--sector")
        if not (country and sector):
            return {}
        place, topic = self.name("countries", country), self.name("sectors", sector)
        return {
            "country": country,
            "sector": sector,
            "summary": _scalar(
                f"{topic} in {place}: who buys, what they need, and how suppliers can take part."
            ),
            "keywords": ", ".join(_scalar(word) for word in (place, topic)),
        }

    def commentary(self, id: str, authors: list[str] | None, publisher: str) -> dict[str, str]:
        chosen = (
            [self.pick("authors", given, "--author") for given in authors]
            if authors
            else [self.pick("authors", None, "--author", default=True)]
        )
        return {
            "authors": ", ".join(chosen),
            "number": self.next_number(publisher),
            "title": _scalar(" ".join(word.capitalize() for word in id.split("-"))),
        }

    def next_number(self, publisher: str) -> str:
        """One past the publisher's highest commentary number, as wide as it (001 to start)."""
        numbers = []
        for id in self.ids("publications"):
            data = self.data("publications", id) or {}
            number = str(data.get("number", ""))
            if (
                data.get("kind") == "commentary"
                and data.get("publisher") == publisher
                and _DIGITS.fullmatch(number)
            ):
                numbers.append(number)
        last = max(numbers, key=int, default="000")
        return str(int(last) + 1).zfill(len(last))

    def city_profile(self, city: str | None) -> dict[str, str]:
        city = self.pick("cities", city, "--city")
        if not city:
            return {}
        data = self.data("cities", city)
        if data is not None and not data.get("initiatives"):
            self.errors.add(
                self.target,
                None,
                f"city {city!r} has no initiatives, so its profile would have nothing to show",
                f"add initiatives to {display_path(self.content / 'cities' / f'{city}.yaml')} first",
            )
        networks = (data or {}).get("networks")
        networks = [str(n) for n in networks] if isinstance(networks, list) else []
        # The network named in the masthead: the city's own, when it has one.
        network = (
            f"network: {networks[0]}"
            if len(networks) == 1
            else f"# network: {' or '.join(networks) or '<id>'}"
        )
        return {
            "city": city,
            "network": f"{network}  # a network in content/networks/, named in the masthead",
        }


def _write(target: Path, text: str, *, exclusive: bool) -> None:
    """Write a new file with its schema line; ``exclusive`` refuses to replace one made meanwhile."""
    schema = _schema_for(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x" if exclusive else "w", encoding="utf-8", newline="\n") as file:
            file.write(text if schema is None else f"{SCHEMA_LINE}{schema}\n{text}")
    except FileExistsError:
        raise _exists(target) from None
    except OSError as exc:
        raise BriefgenError([unwritable(target, exc)]) from None


def _exists(path: Path) -> BriefgenError:
    return BriefgenError.at(path, None, "already exists", "choose another id, or edit that file")


def _schema_for(target: Path) -> str | None:
    """The schema line's path for a content file ``<project>/content/<folder>/<id>.yaml``."""
    if target.suffix != ".yaml":
        return None
    from .schema import schema_file

    folder = Path(os.path.abspath(target)).parent
    schema = schema_folder(folder.parent) / schema_file(folder.name)
    return Path(os.path.relpath(schema, folder)).as_posix()


def _listed(ids: list[str], most: int = 10) -> str:
    return ", ".join(ids[:most]) + (f" (and {len(ids) - most} more)" if len(ids) > most else "")


def _scalar(text: str) -> str:
    """``text`` as a YAML value: plain when that reads back as the same text, else quoted."""
    plain = _PLAIN.fullmatch(text) and text.lower() not in ("true", "false", "null") and text == text.strip()
    return text if plain else json.dumps(text, ensure_ascii=False)

"""The content model: one pydantic class per entity kind and per publication kind.

Fields annotated ``Ref("cities")`` hold the id of another entity; fields annotated ``PROSE``
hold Markdown. Validation walks those annotations, so a new field needs no new checking code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .dates import PartialDate


@dataclass(frozen=True)
class Ref:
    """Marks a field as the id of an entity in ``content/<folder>/``."""

    folder: str

    @property
    def singular(self) -> str:
        return singular(self.folder)


def singular(folder: str) -> str:
    """What one entity of a folder is called in messages ("city" for cities)."""
    return re.sub(r"ies$", "y", folder).removesuffix("s")


@dataclass(frozen=True)
class Prose:
    """Marks a field as Markdown text; ``inline`` prose renders without a paragraph around it."""

    inline: bool = False


@dataclass(frozen=True)
class Image:
    """Marks a field as the path of a PNG or JPEG file inside the content folder."""


Markdown = Annotated[str, Prose()]
ImagePath = Annotated[str, Image()]
InlineMarkdown = Annotated[str, Prose(inline=True)]
Url = Annotated[str, Field(pattern=r"^(https?://[^\s/]+\S*|mailto:\S+@\S+)$")]
Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
Lang = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")]


class Entity(BaseModel):
    # No .nan or .inf anywhere: they would print as "nan" and poison sums and charts.
    # A plain number where text is expected (title: 2026) is that text.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, coerce_numbers_to_str=True)


# A font family name: letters, digits, spaces, dots, hyphens and underscores. Nothing that can
# end a CSS declaration or an HTML <style> element (no quotes, ;, {, }, <, \) can pass.
FAMILY = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}")
FontFamily = Annotated[str, Field(pattern=rf"^{FAMILY.pattern}$")]


def parse_font_stack(text: str) -> list[str] | None:
    """A CSS font-family value ("Liberation Sans", 'Noto Sans', serif) as its family names, or
    None if it holds anything but names, quotes around whole names, and commas."""
    names = []
    for part in text.split(","):
        name = part.strip()
        if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'":
            name = name[1:-1]
        if not FAMILY.fullmatch(name):
            return None
        names.append(name)
    return names


class FontChoice(Entity):
    """A font for each format: a font stack for the PDF (family names, first found wins), a font
    Word users have for the DOCX."""

    css: list[FontFamily] = Field(min_length=1, max_length=20)
    word: FontFamily

    @field_validator("css", mode="before")
    @classmethod
    def _stack(cls, value: object) -> object:
        if isinstance(value, str):
            names = parse_font_stack(value)
            if names is None:
                raise ValueError(
                    "a font stack is a list of font family names (letters, digits, spaces, "
                    "hyphens), e.g. [Liberation Serif, Noto Serif, serif]"
                )
            return names
        return value


class Publisher(Entity):
    """A house style: name, colours, fonts, logo and the wording it puts on every publication."""

    name: str
    short_name: str | None = None
    parent: str | None = None
    series: str
    url: Url | None = None
    logo: ImagePath | None = None
    colors: dict[Literal["primary", "accent", "muted"], Color] = {}
    fonts: dict[Literal["body", "heading"], FontChoice] = {}
    # A .docx or .dotx inside the content folder: the DOCX starts from its styles, page margins,
    # headers and footers, as pandoc's reference-doc (checked by word_template.py).
    word_template: str | None = None
    boilerplate: Markdown
    disclaimer: Markdown | None = None
    address: list[InlineMarkdown] = []
    # How a reader reaches the publisher: printed as RSIS prints them ("Tel: … | Email: …").
    telephone: Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ()-]{4,30}$")] | None = None
    fax: Annotated[str, Field(pattern=r"^\+?[0-9][0-9 ()-]{4,30}$")] | None = None
    email: (
        Annotated[str, Field(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")]
        | None
    ) = None
    unknown_mark: Annotated[str, Field(min_length=1, max_length=12)] = "n/a"  # a figure nobody knows
    archival: bool = False  # PDF/A-3b, tagged, with the source YAML and trade data attached


class Author(Entity):
    name: str
    role: str | None = None
    affiliation: str | None = None
    bio: Markdown | None = None


class Client(Entity):
    """Who a per-client edition is prepared for."""

    name: str
    organisation: str
    logo: ImagePath | None = None


class Country(Entity):
    name: str
    iso: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    currency_name: str
    region: str
    languages: list[Lang] = []


class Network(Entity):
    name: str
    short_name: str | None = None
    established: PartialDate | None = None
    url: Url | None = None
    description: Markdown | None = None


class Coordinates(Entity):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class Initiative(Entity):
    title: str
    summary: Markdown | None = None
    since: PartialDate | None = None  # when it began: a profile prints "Since 2020"
    expected: bool = False  # `since` is a planned start, still ahead when the profile is published
    url: Url | None = None

    @model_validator(mode="after")
    def _expected_has_since(self) -> Initiative:
        if self.expected and self.since is None:
            raise ValueError(
                "`expected` marks the date in `since` as planned — add `since:` or remove `expected`"
            )
        return self


class City(Entity):
    name: str
    local_name: str | None = None
    local_lang: Lang | None = None
    subdivision: str | None = None
    country: Annotated[str, Ref("countries")]
    coordinates: Coordinates
    networks: list[Annotated[str, Ref("networks")]] = []
    initiatives: list[Initiative] = []

    @model_validator(mode="after")
    def _local_name_has_lang(self) -> City:
        if (self.local_name is None) != (self.local_lang is None):
            raise ValueError("local_name and local_lang go together: give both or neither")
        return self


class Body(Entity):
    name: str
    short_name: str | None = None
    url: Url | None = None


class Milestone(Entity):
    date: PartialDate  # a year, a month or a day: printed as precisely as it is written
    title: str
    expected: bool = False  # a target date, not yet reached when published


class Policy(Entity):
    name: str
    country: Annotated[str, Ref("countries")]
    topic: str
    summary: Markdown
    bodies: list[Body] = []
    working_groups: list[str] = []
    milestones: list[Milestone] = []


class Pillar(Entity):
    name: str
    items: list[str] = Field(min_length=1)


class Sector(Entity):
    name: str
    overview: Markdown
    related_sectors: list[str] = []
    policy_issues: list[str] = []
    pillars: list[Pillar] = []


class Section(Entity):
    """A headed piece of prose; a leading sub-sector may be a name only (then listed, not headed)."""

    heading: str
    body: Markdown | None = None


@dataclass(frozen=True)
class DataFile:
    """Marks a field as the path of a CSV file inside the content folder."""


CsvPath = Annotated[str, DataFile()]


class DeclaredTable(Entity):
    """A table read from a CSV file: its first row names the columns."""

    csv: CsvPath
    caption: str
    note: InlineMarkdown | None = None  # e.g. its source, printed under the table


class DeclaredChart(Entity):
    """A chart drawn from a CSV file: ``x`` names the column of categories, ``y`` the columns
    drawn as series."""

    type: Literal["bar", "line", "stacked"]
    csv: CsvPath
    x: str
    y: list[str] = Field(min_length=1, max_length=8)
    caption: str
    alt: str = Field(min_length=10)
    unit: str | None = None  # the value axis label, e.g. "USD millions"

    @field_validator("y", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value


class FreeSection(Entity):
    """A section a publication adds to its kind's outline, after the part named by ``after``
    (each kind lists its parts in ``SLOTS``; by default, at the end)."""

    heading: str
    after: str | None = None
    body: Markdown | None = None
    table: DeclaredTable | None = None
    chart: DeclaredChart | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> FreeSection:
        if self.body is None and self.table is None and self.chart is None:
            raise ValueError("a section needs a body, a table or a chart: a heading alone says nothing")
        return self


class CityNote(Entity):
    cities: list[Annotated[str, Ref("cities")]] = Field(min_length=1)
    note: InlineMarkdown


class WebResource(Entity):
    title: str
    url: Url


class Figure(Entity):
    caption: str
    alt: str = Field(min_length=10)


MAX_TRADE_YEARS = 8  # with the row labels, 9 columns: what fits an A4 or Letter page at 8.5 pt
MAX_MONEY = 1e12  # a trillion of the table's unit: anything larger is a slip of the unit or a typo
Year = Annotated[int, Field(ge=1900, le=2100)]
UNKNOWN = ("n/a", "na", "unknown", "")  # how editors write a value nobody knows (also null)


def _unknown_as_none(value: object) -> object:
    return None if isinstance(value, str) and value.strip().lower() in UNKNOWN else value


Money = Annotated[Annotated[float, Field(ge=0, le=MAX_MONEY)] | None, BeforeValidator(_unknown_as_none)]
Rate = Annotated[Annotated[float, Field(gt=0, le=1e7)] | None, BeforeValidator(_unknown_as_none)]  # per USD
Row = Annotated[dict[Year, Money], Field(min_length=1, max_length=MAX_TRADE_YEARS)]


class TradeData(Entity):
    """A Country Commercial Guide trade table: rows of ``{year: value}``, one unit."""

    unit: Annotated[str, Field(pattern=r"^[A-Z]{3} (thousands|millions|billions)$")]
    illustrative: bool = False
    estimates: list[Year] = []
    total_local_production: Row
    total_exports: Row
    total_imports: Row
    imports_from_us: Row
    total_market_size: Row | None = None
    exchange_rate: Annotated[dict[Year, Rate], Field(min_length=1, max_length=MAX_TRADE_YEARS)]
    sources: Markdown


class PilotCities(Entity):
    network: Annotated[str, Ref("networks")]
    intro: Markdown | None = None


class Figures(Entity):
    """The charts a publication shows; each is drawn from the publication field named in NEEDS."""

    NEEDS: ClassVar[dict[str, str]] = {
        "trade": "trade_data",
        "milestones": "policies",
        "pilot_map": "pilot_cities",
    }

    trade: Figure | None = None
    milestones: Figure | None = None
    pilot_map: Figure | None = None


class Publication(Entity):
    kind: str
    status: Literal["draft", "final"] = "final"
    paper: Literal["a4", "letter"] = "a4"
    publisher: Annotated[str, Ref("publishers")]
    published: PartialDate
    series: str | None = None  # the publisher's series this belongs to, if not its usual one
    keywords: list[str] = []
    sections: list[FreeSection] = []

    # The parts of the kind's outline a free section may follow (see FreeSection.after).
    SLOTS: ClassVar[tuple[str, ...]] = ()


class MarketBrief(Publication):
    SLOTS = ("overview", "leading-subsectors", "policies", "trade-data", "web-resources")

    kind: Literal["market-brief"]
    country: Annotated[str, Ref("countries")]
    sector: Annotated[str, Ref("sectors")]
    title: str | None = None
    summary: str
    overview: Markdown | None = None  # else the sector's overview
    leading_subsectors: list[Section] = []
    pilot_cities: PilotCities | None = None
    other_cities: list[CityNote] = []
    policies: list[Annotated[str, Ref("policies")]] = []
    trade_data: TradeData | None = None
    figures: Figures = Figures()
    web_resources: list[WebResource] = []


class Commentary(Publication):
    """A policy commentary in the manner of an RSIS Commentary."""

    SLOTS = ("synopsis", "commentary")

    kind: Literal["commentary"]
    number: str
    title: str
    authors: list[Annotated[str, Ref("authors")]] = Field(min_length=1)
    synopsis: Markdown
    body: Markdown
    tags: list[str] = []


class CityProfile(Publication):
    """A one-page profile of a city, usually one per city of a network (see ``each``)."""

    SLOTS = ("profile", "initiatives")
    # The fields naming what it prints as fact, with what those entities name in turn (the
    # city's country and networks): no date there may be later than ``published`` (facts.py).
    PRINTS: ClassVar[tuple[str, ...]] = ("city", "network")

    kind: Literal["city-profile"]
    city: Annotated[str, Ref("cities")]
    network: Annotated[str, Ref("networks")] | None = None


ENTITY_FOLDERS: dict[str, type[Entity]] = {
    "publishers": Publisher,
    "authors": Author,
    "clients": Client,
    "countries": Country,
    "networks": Network,
    "cities": City,
    "policies": Policy,
    "sectors": Sector,
}

PUBLICATION_KINDS: dict[str, type[Publication]] = {
    "market-brief": MarketBrief,
    "commentary": Commentary,
    "city-profile": CityProfile,
}

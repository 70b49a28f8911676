"""The content model: one pydantic class per entity kind and per publication kind.

Fields annotated ``Ref("cities")`` hold the id of another entity; fields annotated ``PROSE``
hold Markdown. Validation walks those annotations, so a new field needs no new checking code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


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
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])(-\d{2})?")  # used with fullmatch


class Entity(BaseModel):
    # No .nan or .inf anywhere: they would print as "nan" and poison sums and charts.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


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
    boilerplate: Markdown
    disclaimer: Markdown | None = None
    address: list[InlineMarkdown] = []
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
    established: dt.date | None = None
    url: Url | None = None
    description: Markdown | None = None


class Coordinates(Entity):
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]


class Initiative(Entity):
    title: str
    summary: Markdown | None = None
    url: Url | None = None


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
    date: str
    title: str
    expected: bool = False  # a target date, not yet reached when published

    @field_validator("date", mode="before")
    @classmethod
    def _month_or_day(cls, value: object) -> str:
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and MONTH.fullmatch(value):
            try:  # 2019-02-31 has the form but is no day
                dt.date.fromisoformat(value if len(value) > 7 else f"{value}-01")
            except ValueError:
                raise ValueError(f"{value!r} is not a date in the calendar") from None
            return value
        raise ValueError("a date is written YYYY-MM or YYYY-MM-DD")


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
    heading: str
    body: Markdown


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
Money = Annotated[float, Field(ge=0, le=MAX_MONEY)]
Rate = Annotated[float, Field(gt=0, le=1e7)]  # local currency per USD
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
    published: dt.date
    keywords: list[str] = []


class MarketBrief(Publication):
    kind: Literal["market-brief"]
    country: Annotated[str, Ref("countries")]
    sector: Annotated[str, Ref("sectors")]
    title: str | None = None
    summary: str
    leading_subsectors: list[Section] = []
    pilot_cities: PilotCities | None = None
    other_cities: list[CityNote] = []
    policies: list[Annotated[str, Ref("policies")]] = []
    trade_data: TradeData | None = None
    figures: Figures = Figures()
    web_resources: list[WebResource] = []


class Commentary(Publication):
    """A policy commentary in the manner of an RSIS Commentary."""

    kind: Literal["commentary"]
    number: str
    title: str
    authors: list[Annotated[str, Ref("authors")]] = Field(min_length=1)
    synopsis: Markdown
    body: Markdown
    tags: list[str] = []


class CityProfile(Publication):
    """A one-page profile of a city, usually one per city of a network (see ``each``)."""

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

"""Builds what a template sees: the publication with every reference resolved and prose rendered.

Resolution is generic (it follows the model's ``Ref`` and ``Prose`` annotations), so a new
publication kind gets its context without code here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import csvdata, markdown, trade
from .fields import item_annotation, metadata
from .library import Library, Record
from .model import DataFile, Prose, Ref


class View(dict):
    """A resolved entity: a dict whose keys read as attributes in templates."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Context:
    """The publication as a template sees it, plus the library for lookups by templates.

    ``inputs`` collects every content file the publication draws on, as references are
    resolved and as templates query the library: the incremental build's dependencies."""

    id: str
    model: BaseModel
    publication: View
    library: Library
    inputs: set[Path]
    edition: View | None = None  # the client a per-client edition is prepared for

    @property
    def kind(self) -> str:
        return self.model.kind  # type: ignore[attr-defined]

    @property
    def trade(self) -> trade.TradeTable | None:
        """The trade table with derived rows, for publications that carry trade data."""
        data = getattr(self.model, "trade_data", None)
        return trade.table(data) if data is not None else None

    def as_dict(self) -> dict[str, Any]:
        """The names a template sees."""
        return {
            "id": self.id,
            "publication": self.publication,
            "trade": self.trade,
            "cities": self.cities,
            "edition": self.edition,
        }

    def cities(self, network: str | None = None, country: str | None = None) -> list[View]:
        """Cities of a network and/or country, by country then name (for tables and maps). Any
        city file can change the answer, so the publication depends on all of them."""
        found = []
        for record in self.library.entities["cities"].values():
            self.inputs.add(record.doc.path)
            city: Any = record.model  # a City
            if (network and network not in city.networks) or (country and city.country != country):
                continue
            found.append(_Resolver(self.library, self.inputs).record(record))
        return sorted(found, key=lambda c: (c.country.name, c.name))


def build(record: Record, library: Library, edition: str | None = None) -> Context:
    inputs: set[Path] = set()
    resolver = _Resolver(library, inputs)
    publication = resolver.record(record)
    client = resolver.record(library.entities["clients"][edition]) if edition else None
    return Context(record.id, record.model, publication, library, inputs, client)


class _Resolver:
    """Turns a record into a View: references followed, prose rendered, files noted."""

    def __init__(self, library: Library, inputs: set[Path]) -> None:
        self.library = library
        self.inputs = inputs

    def record(self, record: Record) -> View:
        self.inputs.add(record.doc.path)
        view = self.model(record.model)
        view["id"] = record.id
        return view

    def model(self, model: BaseModel) -> View:
        view = View()
        for name, field in type(model).model_fields.items():
            view[name] = self.value(getattr(model, name), field.annotation, tuple(field.metadata))
        return view

    def value(self, value: Any, annotation: Any, meta: tuple[object, ...]) -> Any:
        meta = meta + metadata(annotation)
        if value is None:
            return None
        if isinstance(value, BaseModel):
            return self.model(value)
        if isinstance(value, dict):
            return View({key: self.value(item, None, ()) for key, item in value.items()})
        if isinstance(value, list):
            item = item_annotation(annotation)
            return [self.value(v, item, ()) for v in value]
        for m in meta:
            if isinstance(m, Ref):
                return self.record(self.library.entities[m.folder][value])
            if isinstance(m, Prose):
                return markdown.render_inline(value) if m.inline else markdown.render(value)
            if isinstance(m, DataFile):  # a table of cells, and a file the publication depends on
                path = self.library.root / value
                self.inputs.add(path)
                return csvdata.load(path, value)
        return value

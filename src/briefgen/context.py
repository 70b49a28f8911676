"""Builds what a template sees: the publication with every reference resolved and prose rendered.

Resolution is generic (it follows the model's ``Ref`` and ``Prose`` annotations), so a new
publication kind gets its context without code here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from . import markdown, trade
from .fields import item_annotation, metadata
from .library import Library, Record
from .model import Prose, Ref


class View(dict):
    """A resolved entity: a dict whose keys read as attributes in templates."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass(frozen=True)
class Context:
    """The publication as a template sees it, plus the library for lookups by templates."""

    id: str
    model: BaseModel
    publication: View
    library: Library

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
        return {"id": self.id, "publication": self.publication, "trade": self.trade, "cities": self.cities}

    def cities(self, network: str | None = None, country: str | None = None) -> list[View]:
        """Cities of a network and/or country, by country then name (for tables and maps)."""
        found = []
        for _id, record in self.library.entities["cities"].items():
            city = record.model
            if (network and network not in city.networks) or (country and city.country != country):
                continue
            found.append(resolve(record, self.library))
        return sorted(found, key=lambda c: (c.country.name, c.name))


def build(record: Record, library: Library) -> Context:
    return Context(record.id, record.model, resolve(record, library), library)


def resolve(record: Record, library: Library) -> View:
    view = _resolve_model(record.model, library)
    view["id"] = record.id
    return view


def _resolve_model(model: BaseModel, library: Library) -> View:
    view = View()
    for name, field in type(model).model_fields.items():
        view[name] = _resolve_value(getattr(model, name), field.annotation, tuple(field.metadata), library)
    return view


def _resolve_value(value: Any, annotation: Any, meta: tuple[object, ...], library: Library) -> Any:
    meta = meta + metadata(annotation)
    if value is None:
        return None
    if isinstance(value, BaseModel):
        return _resolve_model(value, library)
    if isinstance(value, dict):
        return View({key: _resolve_value(item, None, (), library) for key, item in value.items()})
    if isinstance(value, list):
        item = item_annotation(annotation)
        return [_resolve_value(v, item, (), library) for v in value]
    for m in meta:
        if isinstance(m, Ref):
            return resolve(library.entities[m.folder][value], library)
        if isinstance(m, Prose):
            return markdown.render_inline(value) if m.inline else markdown.render(value)
    return value

"""Reads the content model's field annotations (``Ref``, ``Prose``) for validation and context."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from .load import Loc


def walk(model: BaseModel, loc: Loc = ()) -> Iterator[tuple[Loc, Any, tuple[object, ...]]]:
    """Yield (loc, value, annotation metadata) for every leaf value of a model."""
    for name, field in type(model).model_fields.items():
        yield from _walk_value(getattr(model, name), (*loc, name), field.annotation, tuple(field.metadata))


def _walk_value(value: Any, loc: Loc, annotation: Any, meta: tuple[object, ...]) -> Iterator:
    if value is None:
        return
    if isinstance(value, BaseModel):
        yield from walk(value, loc)
    elif isinstance(value, (list, tuple)):
        item_type = item_annotation(annotation)
        for i, item in enumerate(value):
            yield from _walk_value(item, (*loc, i), item_type, metadata(item_type))
    else:
        yield loc, value, meta + metadata(annotation)


def item_annotation(annotation: Any) -> Any:
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is list:
            return typing.get_args(arg)[0]
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None


def metadata(annotation: Any) -> tuple[object, ...]:
    if typing.get_origin(annotation) is typing.Annotated:
        return tuple(annotation.__metadata__)
    found: tuple[object, ...] = ()
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Annotated:
            found += tuple(arg.__metadata__)
    return found

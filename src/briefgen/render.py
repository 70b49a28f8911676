"""Renders a publication once, with Jinja, into the HTML document both writers read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import crossref, markdown
from .context import Context
from .dates import format_date
from .errors import BriefgenError
from .paths import SHARED, TEMPLATES
from .theme import Theme, load_theme

ENTRY = "publication.html.j2"


@dataclass(frozen=True)
class Rendered:
    """A publication's HTML and what its writers need alongside it."""

    id: str
    kind: str
    html: str
    stylesheets: tuple[Path, ...]
    theme: Theme
    paper: str
    archival: bool = False
    attachments: tuple[tuple[str, bytes, str, str], ...] = ()  # name, data, description, relationship


@cache
def environment(kind: str) -> jinja2.Environment:
    """Strict Jinja for one kind: its own folder first, then the shared partials."""
    folder = TEMPLATES / kind
    if not (folder / ENTRY).is_file():
        raise BriefgenError.at(
            folder / ENTRY, None, f"no template for kind '{kind}'", f"create {folder.name}/{ENTRY}"
        )
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([folder, SHARED]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date  # "5 November 2019", or ("month-day") "November 5, 2019"
    env.filters["number"] = number
    env.filters["rate"] = rate
    env.filters["unwrap"] = markdown.unwrap
    env.filters["lead_words"] = markdown.lead_words
    env.filters["unbroken_last_words"] = markdown.unbroken_last_words
    env.filters["website"] = website
    return env


def website(url: str) -> str:
    """A web address as a reader writes it: "www.rsis.edu.sg", without scheme or trailing slash."""
    return url.split("://", 1)[-1].rstrip("/")


def number(value: float | None, decimals: int = 0, unknown: str = "n/a") -> str:
    """A figure with thousands separators ("1,020"); ``unknown`` for a value nobody knows."""
    return unknown if value is None else f"{value:,.{decimals}f}"


def rate(value: float | None, unknown: str = "n/a") -> str:
    """An exchange rate with as many decimals as its size needs: 23,160 · 32.5 · 4.15 · 0.742."""
    if value is None:
        return unknown
    decimals = 0 if value >= 100 else 1 if value >= 10 else 2 if value >= 1 else 3
    return f"{value:,.{decimals}f}"


@cache
def shared_theme() -> Theme:
    return load_theme(SHARED / "theme.yaml")


@cache
def kind_theme(kind: str) -> Theme:
    """The shared theme with the kind's own ``theme.yaml`` (if it has one) laid over it."""
    return shared_theme().for_kind(TEMPLATES / kind / "theme.yaml")


def template_of(kind: str) -> Path:
    return TEMPLATES / kind / ENTRY


def render(ctx: Context, chart: Callable[[str], str]) -> Rendered:
    """Render the publication's HTML; template mistakes become located errors. Templates ask for
    charts by name with ``chart(name)``."""
    env = environment(ctx.kind)
    publisher = ctx.publication.publisher
    theme = kind_theme(ctx.kind).with_house_style(publisher.colors, publisher.fonts)
    try:
        html = env.get_template(ENTRY).render(
            **ctx.as_dict(), chart=chart, theme_css=Markup(theme.variables_css())
        )
    except jinja2.TemplateSyntaxError as exc:
        raise BriefgenError.at(
            exc.filename or ENTRY, exc.lineno, f"template syntax error: {exc.message}", "fix the template"
        ) from None
    except jinja2.UndefinedError as exc:
        raise BriefgenError.at(
            *_template_location(exc),
            f"template error: {exc.message}",
            "check the variable's name in the template and the content field",
        ) from None
    record = ctx.library.publications[ctx.id]  # errors point into the files prose comes from
    html = crossref.finish(html, tuple(dict.fromkeys((*record.doc.sources, *sorted(ctx.inputs)))))
    stylesheets = tuple(p for p in (SHARED / "base.css", TEMPLATES / ctx.kind / "style.css") if p.is_file())
    return Rendered(ctx.id, ctx.kind, html, stylesheets, theme, ctx.model.paper)  # type: ignore[attr-defined]


def _template_location(exc: BaseException) -> tuple[str, int | None]:
    """The innermost template frame of a traceback: Jinja compiles templates to Python code."""
    tb = exc.__traceback__
    where: tuple[str, int | None] = (ENTRY, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".html")):
            where = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return where

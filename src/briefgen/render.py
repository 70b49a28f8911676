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
from .paths import BUILTIN, ENTRY, Templates
from .theme import Theme, load_theme


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
    word_template: Path | None = None  # the publisher's house template, which the DOCX starts from
    template: Path | None = None  # the kind's entry template (the project's or briefgen's), for errors


@cache
def environment(kind: str, templates: Templates = BUILTIN) -> jinja2.Environment:
    """Strict Jinja for one kind: its own folders first (the project's, then briefgen's), then
    the shared partials."""
    entry = templates.find(kind, ENTRY)
    if not entry.is_file():
        raise BriefgenError.at(entry, None, f"no template for kind '{kind}'", f"create {kind}/{ENTRY}")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates.search_path(kind)),
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
def shared_theme(templates: Templates = BUILTIN) -> Theme:
    """briefgen's ``theme.yaml``, with the project's shared one (if any) laid over it."""
    theme, *layers = templates.layers("shared", "theme.yaml")
    return _laid(load_theme(theme), layers)


@cache
def kind_theme(kind: str, templates: Templates = BUILTIN) -> Theme:
    """The shared theme with the kind's own ``theme.yaml`` files (if any) laid over it."""
    return _laid(shared_theme(templates), templates.layers(kind, "theme.yaml"))


def _laid(theme: Theme, layers: list[Path]) -> Theme:
    for layer in layers:
        theme = theme.for_kind(layer)
    return theme


def template_of(kind: str, templates: Templates = BUILTIN) -> Path:
    return templates.find(kind, ENTRY)


def render(ctx: Context, chart: Callable[[str], str]) -> Rendered:
    """Render the publication's HTML; template mistakes become located errors. Templates ask for
    charts by name with ``chart(name)``."""
    templates = Templates.of(ctx.library.root)
    env = environment(ctx.kind, templates)
    publisher = ctx.publication.publisher
    theme = kind_theme(ctx.kind, templates).with_house_style(publisher.colors, publisher.fonts)
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
    stylesheets = (*templates.layers("shared", "base.css"), *templates.layers(ctx.kind, "style.css"))
    word_template = ctx.library.root / publisher.word_template if publisher.word_template else None
    if word_template is not None:
        ctx.inputs.add(word_template)  # a changed house template rebuilds the publication
    paper = ctx.model.paper  # type: ignore[attr-defined]
    return Rendered(
        ctx.id,
        ctx.kind,
        html,
        stylesheets,
        theme,
        paper,
        word_template=word_template,
        template=templates.find(ctx.kind, ENTRY),
    )


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

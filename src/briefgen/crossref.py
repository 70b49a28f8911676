"""Finishes a rendered document: prose headings nested, unique ids, contents and cross-references.

Runs once on the HTML both writers read, so the PDF and the DOCX get the same heading levels,
contents entries and reference texts. A prose heading (``#`` = ``h1``) sits one level below
the template heading it follows: under an ``h2``, ``#`` is ``h3`` and ``##`` is ``h4``.
``<nav class="toc"></nav>`` in a template asks for contents; an internal link with no text
(Markdown ``[](#table-trade)``) takes its target's label ("Table 3"). Ids a template writes are
reserved: a prose heading (marked ``data-prose`` by markdown.render) never takes one, so
``[](#figure-trade)`` cannot be hijacked by a heading "Figure Trade".
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from .errors import BriefgenError, Collector
from .markdown import heading_id, slug

TOC_LEVELS = {"h2": 1, "h3": 2, "h4": 3}
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
LABELLED = re.compile(r"^((?:Figure|Table) \d+)")
PROSE = "data-prose"  # set by markdown.render on the headings it makes
ATX_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
SETEXT_RULE = re.compile(r"^\s*(?:=+|-+)\s*$")


def finish(html: str, where: Path | tuple[Path, ...]) -> str:
    """The rendered HTML with ids, contents and cross-references resolved; a reference to a
    target that does not exist is a located error. ``where`` is the publication's file, or the
    files its prose may come from (the publication's first): errors point into them."""
    sources = where if isinstance(where, tuple) else (where,)
    root = lxml.html.document_fromstring(html)
    _nest_prose_headings(root, sources)
    _unique_ids(root, sources)
    targets = {el.get("id"): el for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for nav in root.iter("nav"):
        if "toc" in nav.classes:
            _fill_contents(nav, root)
    for link in root.iter("a"):
        href = link.get("href", "")
        if not href.startswith("#"):
            continue
        target = targets.get(href[1:])
        if target is None:
            raise BriefgenError.at(
                sources[0],
                None,
                f"the cross-reference '{href}' has no target",
                f"link to one of: {', '.join(sorted(f'#{t}' for t in targets))}",
            )
        if not link.text_content().strip():
            link.text = _label(target)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _nest_prose_headings(root: HtmlElement, sources: tuple[Path, ...]) -> None:
    """Each prose heading one level below the template heading before it, and its own
    sub-headings below that (prose before any template heading nests under the title, ``h1``).
    A heading that would be deeper than ``h6`` is a located error: HTML, PDF bookmarks and
    Word's outline have six levels."""
    errors = Collector()
    under = 1
    for el in list(root.iter(*HEADINGS)):
        level = int(el.tag[1])
        if el.get(PROSE) is None:
            under = level
            continue
        if under + level > len(HEADINGS):
            fits = len(HEADINGS) - under
            errors.add(
                *_heading_line(el.get("id") or slug(el.text_content()), sources),
                f"the heading '{el.text_content().strip()}' ({'#' * level}) would be level"
                f" {under + level}, below a level-{under} heading of the template; there are six",
                f"use {'#' * fits} at most here" if fits else "make it a paragraph that opens in **bold**",
            )
        el.tag = f"h{min(under + level, len(HEADINGS))}"
    errors.raise_if_any()


def _unique_ids(root: HtmlElement, sources: tuple[Path, ...]) -> None:
    """Every heading gets an id (from its text) and a repeated id gets -2, -3, ...; in turn, so
    nothing content writes can move an id a template gave: first the ids the template wrote,
    then its headings' ids, then the prose headings' (which may not take a written id)."""
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    prose = [el for el in elements if el.get(PROSE) is not None]
    template = [el for el in elements if el.get(PROSE) is None]
    written = {el.get("id"): el for el in reversed(template) if el.get("id")}  # the first of each
    ids = _Ids()
    for el in template:
        if el.get("id"):
            el.set("id", ids.free(el.get("id")))
    for el in template:
        if el.tag in TOC_LEVELS and not el.get("id"):
            el.set("id", ids.free(slug(el.text_content())))
    for el in prose:
        base = el.get("id") or slug(el.text_content())
        if base in written:
            path, line = _heading_line(base, sources)
            raise BriefgenError.at(
                path,
                line,
                f"the heading '{el.text_content().strip()}' would take the id '{base}' of"
                f" {_named(written[base])}",
                "rename the heading",
            )
        el.set("id", ids.free(base))
        del el.attrib[PROSE]  # the writers see the vocabulary only


class _Ids:
    """The ids taken so far, and for each base the last number tried (so that a thousand headings
    alike cost a thousand steps, not half a million)."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self.tried: dict[str, int] = {}

    def free(self, base: str) -> str:
        """``base``, or ``base-2``, ``base-3``... whichever is not yet taken; now taken."""
        n = self.tried.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.taken:
            n += 1
            candidate = f"{base}-{n}"
        self.tried[base] = n
        self.taken.add(candidate)
        return candidate


def _named(el: HtmlElement) -> str:
    """How an error names a template's element: "Figure 3", "the heading 'Overview'"."""
    label = _label(el) if el.tag in ("figure", "table") else ""
    if LABELLED.fullmatch(label):
        return label
    if el.tag in HEADINGS:
        return f"the heading '{el.text_content().strip()}'"
    return f"the template's <{el.tag}>"


def _heading_line(base: str, sources: tuple[Path, ...]) -> tuple[Path, int | None]:
    """Where a prose heading whose id would be ``base`` is written: the first Markdown heading line
    (``# Text``, or text underlined with = or -) in ``sources`` whose text gives that id. In YAML,
    prose is indented under its key, so a ``#`` in the first column is a comment, not a heading."""
    for path in sources:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        indented = path.suffix in (".yaml", ".yml")
        for number, line in enumerate(lines, start=1):
            if indented and not line[:1].isspace():
                continue
            atx = ATX_HEADING.match(line)
            underlined = number < len(lines) and SETEXT_RULE.match(lines[number]) and line.strip()
            text = atx.group(1) if atx else line if underlined else None
            if text is not None and heading_id(text) == base:
                return path, number
    return sources[0], None


def _fill_contents(nav: HtmlElement, root: HtmlElement) -> None:
    title = lxml.html.Element("p", {"class": "toc-title"})
    title.text = "Contents"
    nav.append(title)
    for heading in root.iter(*TOC_LEVELS):
        if heading.getparent() is nav:
            continue
        entry = lxml.html.Element("p", {"class": f"toc-{TOC_LEVELS[heading.tag]}"})
        link = etree.SubElement(entry, "a", {"href": "#" + heading.get("id")})
        link.text = heading.text_content().strip()
        nav.append(entry)


def _label(target: HtmlElement) -> str:
    """What a reference to ``target`` says: "Figure 2" for a figure or table, else its heading."""
    caption = target.find(".//figcaption") if target.tag == "figure" else target.find("caption")
    if caption is not None and (match := LABELLED.match(caption.text_content().strip())):
        return match.group(1)
    return target.text_content().strip()

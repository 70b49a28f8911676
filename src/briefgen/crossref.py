"""Finishes a rendered document: unique ids, the contents list, and cross-references.

Runs once on the HTML both writers read, so the PDF and the DOCX get the same contents entries
and the same reference texts. ``<nav class="toc"></nav>`` in a template asks for contents; an
internal link with no text (Markdown ``[](#table-trade)``) takes its target's label ("Table 3").
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from .errors import BriefgenError
from .markdown import slug

TOC_LEVELS = {"h2": 1, "h3": 2}
LABELLED = re.compile(r"^((?:Figure|Table) \d+)")


def finish(html: str, where: Path) -> str:
    """The rendered HTML with ids, contents and cross-references resolved; a reference to a
    target that does not exist is a located error."""
    root = lxml.html.document_fromstring(html)
    _unique_ids(root)
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
                where,
                None,
                f"the cross-reference '{href}' has no target",
                f"link to one of: {', '.join(sorted(f'#{t}' for t in targets))}",
            )
        if not link.text_content().strip():
            link.text = _label(target)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _unique_ids(root: HtmlElement) -> None:
    """Every heading gets an id (from its text); a repeated id gets -2, -3, ..."""
    seen: set[str] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in TOC_LEVELS and not el.get("id"):
            el.set("id", slug(el.text_content()))
        base = el.get("id")
        if base is None:
            continue
        candidate, n = base, 1
        while candidate in seen:
            n += 1
            candidate = f"{base}-{n}"
        el.set("id", candidate)
        seen.add(candidate)


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

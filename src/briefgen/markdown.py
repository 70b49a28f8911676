"""Renders prose fields from Markdown to the template vocabulary and finds unsafe links.

markdown-it-py runs with raw HTML off, so pasted markup is shown as text, never passed on.
Headings in prose sit below the template's own (``#`` becomes ``h3``).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin

from . import images

HEADING_OFFSET = 2
DEEPEST_HEADING = 3
LINK_SCHEMES = ("http", "https", "mailto")
MAX_TABLE_COLUMNS = 8  # what fits across an A4 or Letter page at the table size
# A header row repeats on every page of its table, and a header taller than a page is dropped
# (WeasyPrint) or clipped (LibreOffice): header cells stay short.
MAX_HEADER_CELL_CHARS = 200
REFUSED_BLOCKS = {"fence": "code blocks", "code_block": "indented code blocks", "hr": "horizontal rules"}


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.use(footnote_plugin)
    md.validateLink = lambda url: True  # we check links ourselves, with a located error
    return md


def render(text: str) -> Markup:
    """Markdown to HTML in the template vocabulary (safe: raw HTML is escaped).

    Headings get ids (for contents and cross-references); a footnote becomes a
    ``<span class="footnote">`` at its call, which the PDF floats to the page foot and the
    DOCX writer turns into a Word footnote."""
    md = _parser()
    tokens = _without_footnote_block(md.parse(text))
    notes = _footnotes(md.parse(text), md)
    for i, token in enumerate(tokens):
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + HEADING_OFFSET, 6)}"
        if token.type == "heading_open":
            token.attrSet("id", slug(tokens[i + 1].content))
            token.attrSet("data-prose", "")  # crossref.finish: prose yields to template ids
        for j, child in enumerate(token.children or []):
            if child.type == "footnote_ref":
                note = notes.get(child.meta["id"], "")
                token.children[j] = Token(
                    "html_inline", "", 0, content=f'<span class="footnote">{note}</span>'
                )
    return Markup(md.renderer.render(tokens, md.options, {}))


def slug(text: str) -> str:
    """An id for a heading: lowercase ASCII words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", text.lower().encode("ascii", "ignore").decode())
    return "-".join(words) or "section"


def _footnotes(tokens: list[Token], md: MarkdownIt) -> dict[int, str]:
    """Each footnote's text as inline HTML, by footnote id."""
    notes: dict[int, list[str]] = {}
    current = None
    for token in tokens:
        if token.type == "footnote_open":
            current = notes.setdefault(token.meta["id"], [])
        elif token.type == "footnote_close":
            current = None
        elif token.type == "inline" and current is not None:
            children = [c for c in token.children or [] if c.type != "footnote_anchor"]
            current.append(md.renderer.renderInline(children, md.options, {}))
    return {id: " ".join(parts) for id, parts in notes.items()}


def _without_footnote_block(tokens: list[Token]) -> list[Token]:
    kept, inside = [], False
    for token in tokens:
        if token.type == "footnote_block_open":
            inside = True
        elif token.type == "footnote_block_close":
            inside = False
        elif not inside:
            kept.append(token)
    return kept


def render_inline(text: str) -> Markup:
    """One line of Markdown without the surrounding paragraph."""
    return Markup(_parser().renderInline(text))


def problems(text: str, root: Path) -> list[tuple[int, str, str]]:
    """Unsafe or broken links and images in ``text``: (line offset, message, what to do)."""
    found: list[tuple[int, str, str]] = []
    line = 0
    tokens = _parser().parse(text)
    for i, token in enumerate(tokens):
        if token.map:
            line = token.map[0]
        if token.type in REFUSED_BLOCKS:
            found.append(
                (line, f"{REFUSED_BLOCKS[token.type]} are not supported in prose", "write plain paragraphs")
            )
        if token.type == "heading_open" and int(token.tag[1]) + HEADING_OFFSET > DEEPEST_HEADING:
            found.append(
                (
                    line,
                    f"heading level {token.tag[1]} is too deep for prose",
                    "use a single # for a sub-heading",
                )
            )
        if token.type == "tr_open" and (columns := _row_width(tokens, i)) > MAX_TABLE_COLUMNS:
            found.append(
                (
                    line,
                    f"the table has {columns} columns; at most {MAX_TABLE_COLUMNS} fit across a page",
                    "split it into two tables, or turn it round (years as rows)",
                )
            )
        if token.type == "th_open" and len(header := tokens[i + 1].content) > MAX_HEADER_CELL_CHARS:
            found.append(
                (
                    line,
                    f"a table heading is {len(header):,} characters long,"
                    f" over the limit of {MAX_HEADER_CELL_CHARS}",
                    "shorten the heading; put the detail in the cells or a note below the table",
                )
            )
        child_line = line
        for child in token.children or []:
            if child.type in ("softbreak", "hardbreak"):  # inline tokens carry no line of their own
                child_line += 1
            found.extend((child_line, *p) for p in _inline_problems(child, root))
    return found


def _row_width(tokens: list[Token], start: int) -> int:
    """The number of cells in the table row that opens at ``tokens[start]``."""
    cells = 0
    for token in tokens[start + 1 :]:
        if token.type == "tr_close":
            break
        cells += token.type in ("th_open", "td_open")
    return cells


def _inline_problems(token: Token, root: Path) -> list[tuple[str, str]]:
    if token.type == "link_open":
        return _link_problem(str(token.attrGet("href") or ""))
    if token.type == "image":
        return images.problems(str(token.attrGet("src") or ""), root)
    return []


def _link_problem(href: str) -> list[tuple[str, str]]:
    if href.strip() in ("", "#"):
        return [
            (
                f"link target is empty ('{href}')",
                "give the full https:// address, or remove the link and keep the text",
            )
        ]
    if href.startswith("#"):
        return []
    scheme = urlsplit(href).scheme.lower()
    if scheme not in LINK_SCHEMES:
        what = f"scheme '{scheme}:'" if scheme else "no scheme"
        return [(f"link '{href}' has {what}", "links must start with https://, http:// or mailto:")]
    if scheme in ("http", "https") and not urlsplit(href).netloc:
        return [(f"link '{href}' has no host", "write the full address, e.g. https://www.example.org/page")]
    return []


def unwrap(html: str) -> Markup:
    """One rendered paragraph without its ``<p>``, to run on after other text."""
    match = re.fullmatch(r"\s*<p>(.*)</p>\s*", str(html), flags=re.S)
    return Markup(match.group(1) if match and "<p>" not in match.group(1) else html)


def lead_words(html: str, count: int = 6) -> Markup:
    """Mark the opening words of the first paragraph (set in capitals, as commentaries open)."""
    match = re.match(r"(\s*<p>)([^<]*)", str(html))
    if not match:
        return Markup(html)
    words = match.group(2).split()
    lead, rest = " ".join(words[:count]), " ".join(words[count:])
    opened = f'{match.group(1)}<span class="lead-words">{lead}</span>{" " + rest if rest else ""}'
    return Markup(opened + str(html)[match.end() :])

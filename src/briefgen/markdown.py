"""Renders prose fields from Markdown to the template vocabulary and finds unsafe links.

markdown-it-py runs with raw HTML off, so pasted markup is shown as text, never passed on.
Prose headings keep their Markdown level here (``#`` is ``h1``, marked ``data-prose``):
crossref.finish nests them under the template heading they follow. ``[text]{lang=th}`` tags
a language, the one attribute prose may set.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import images

DEEPEST_HEADING = 3  # ###: three levels below a template heading still fit in HTML's six
ATTRIBUTES = ("lang",)  # all a {…} after [text] may set: anything else is a located error
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")  # BCP 47, as far as prose needs
LINK_SCHEMES = ("http", "https", "mailto")
MAX_TABLE_COLUMNS = 8  # what fits across an A4 or Letter page at the table size
# A header row repeats on every page of its table, and a header taller than a page is dropped
# (WeasyPrint) or clipped (LibreOffice): header cells stay short.
MAX_HEADER_CELL_CHARS = 200
REFUSED_BLOCKS = {"fence": "code blocks", "code_block": "indented code blocks", "hr": "horizontal rules"}


@cache
def _parser() -> MarkdownIt:
    # Typographer with smart quotes only: "quotes" and it's become “quotes” and it’s, as a
    # typesetter would set them; the other replacements ((c) → ©, -- → –) would surprise editors.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.enable(["table", "smartquotes"])
    md.use(footnote_plugin)
    # Disallowed attributes go to token.meta, where problems() finds them; the output never has them.
    md.use(attrs_plugin, spans=True, allowed=ATTRIBUTES)
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # we check links ourselves, with a located error
    return md


def render(text: str) -> Markup:
    """Markdown to HTML in the template vocabulary (safe: raw HTML is escaped).

    Headings get ids (for contents and cross-references) and keep their Markdown level until
    crossref.finish places them; a footnote becomes a ``<span class="footnote">`` at its call,
    which the PDF floats to the page foot and the DOCX writer turns into a Word footnote."""
    md = _parser()
    tokens = _without_footnote_block(md.parse(text))
    notes = _footnotes(md.parse(text), md)
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("id", heading_id(tokens[i + 1].content))
            token.attrSet("data-prose", "")  # crossref.finish: nests it, and it yields to template ids
        children = token.children or []
        for j, child in enumerate(children):
            if child.type != "span_open":  # a language belongs to a span; problems() says so
                child.attrs.pop("lang", None)
            if child.type == "footnote_ref":
                note = notes.get(child.meta["id"], "")
                children[j] = Token("html_inline", "", 0, content=f'<span class="footnote">{note}</span>')
    return Markup(md.renderer.render(tokens, md.options, {}))


def heading_id(markdown: str) -> str:
    """A prose heading's id, from the words it shows (``Tokyo [東京]{lang=ja}`` shows "Tokyo 東京")."""
    return slug("".join(_shown(_parser().parseInline(markdown))))


def _shown(tokens: list[Token]) -> list[str]:
    return [
        t.content if t.type in ("text", "code_inline") else "".join(_shown(t.children or [])) for t in tokens
    ]


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
            # A line break in the source is a space: WeasyPrint breaks a floated footnote's line
            # at a newline, which left notes at half the measure.
            children = [
                Token("text", "", 0, content=" ") if c.type == "softbreak" else c
                for c in token.children or []
                if c.type != "footnote_anchor"
            ]
            current.append(md.renderer.renderInline(children, md.options, {}))  # type: ignore[attr-defined]
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
        if token.type == "heading_open" and (level := int(token.tag[1])) > DEEPEST_HEADING:
            found.append(
                (
                    line,
                    f"heading level {level} ({'#' * level}) is too deep for prose",
                    "prose headings go three deep (#, ## and ###): use ### at most,"
                    " or a paragraph that opens in **bold**",
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
    found = _attribute_problems(token)
    if token.type == "link_open":
        found += _link_problem(str(token.attrGet("href") or ""))
    if token.type == "image":
        found += images.problems(str(token.attrGet("src") or ""), root)
    return found


def _attribute_problems(token: Token) -> list[tuple[str, str]]:
    """What a ``{…}`` after an inline element asks for and prose may not set: anything but a
    span's language (ids, classes and styles belong to the templates)."""
    refused = dict(token.meta.get("insecure_attrs", {}))
    if token.type != "span_open" and "lang" in token.attrs:
        refused["lang"] = token.attrs["lang"]
    found = []
    if refused:
        written = " ".join(_attribute(name, value) for name, value in refused.items())
        found.append(
            (
                f"the attribute {{{written}}} is not allowed in prose",
                "the only attribute is a language, on text in brackets: [กรุงเทพฯ]{lang=th}",
            )
        )
    if token.type == "span_open":
        lang = token.attrs.get("lang")
        if lang is None and not refused:
            found.append(("a [text]{…} span says nothing", "give its language, e.g. [กรุงเทพฯ]{lang=th}"))
        elif lang is not None and not LANGUAGE_TAG.fullmatch(str(lang)):
            found.append(
                (
                    f"'{lang}' is not a language tag",
                    "write a language code, then any script or region: th, vi, zh-Hans, zh-Hant, ja, pt-BR",
                )
            )
    return found


def _attribute(name: str, value: object) -> str:
    """An attribute as an editor wrote it: .class, #id or name=value."""
    if name == "class":
        return " ".join(f".{cls}" for cls in str(value).split())
    return f"#{value}" if name == "id" else f"{name}={value}"


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


def unbroken_last_words(text: str) -> Markup:
    """Join a title's last two words with a no-break space, so no line holds one word alone
    (a "widow" in a centred title). Short titles are left as they are."""
    words = str(text).split(" ")
    if len(words) < 4:
        return Markup(text) if isinstance(text, Markup) else Markup.escape(text)
    joined = " ".join(words[:-1]) + "\u00a0" + words[-1]
    return Markup(joined) if isinstance(text, Markup) else Markup.escape(joined)

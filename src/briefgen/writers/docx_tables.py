"""Tables in Word as the PDF prints them (base.css): a table style in the publisher's colours,
columns as wide as their content, figures right-aligned, the header row's text on its colour.

The table style carries what is the cells' (shading, rules, padding); the header row's text
takes a paragraph style of its own, because in Word a paragraph style's font and colour beat a
table style's (and bold set in both would toggle off).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Length, Mm, Twips
from docx.table import Table
from lxml.html import HtmlElement

from ..csvdata import YEARS, is_number, is_unknown
from ..theme import WHITE, Theme, readable_on
from . import docx_styles, ooxml
from .ooxml import word_color

RULE, BAND = "#c8cdd2", "#f3f5f7"  # base.css: the rule under each body row, even body rows' fill
PADDING = {"top": Mm(1.2), "left": Mm(2), "bottom": Mm(1.2), "right": Mm(2)}  # base.css td
HEADER_PADDING = Mm(1.4)  # th's, above and below
NUMBER = "number"  # the class of a cell that holds a figure (the theme maps it to a right-aligned style)
CHAR = Mm(1.6)  # a character of table text on average (8.5 pt Arial; headers are bold)


@dataclass(frozen=True)
class Grid:
    """A table's rows (its element, whether it is a header row, its cells), which columns hold
    figures, and each column's width."""

    rows: list[tuple[HtmlElement, bool, list[HtmlElement]]]
    numeric: list[bool]
    widths: list[Length]

    @classmethod
    def of(cls, table: HtmlElement, width: Length) -> Grid:
        """The grid of an HTML table laid out in ``width`` (the text width)."""
        rows = [
            (tr, tr.getparent().tag == "thead", [c for c in tr if c.tag in ("td", "th")])
            for tr in table.iter("tr")
        ]
        columns: list[list[tuple[bool, str]]] = [[] for _ in range(max(len(cells) for _, _, cells in rows))]
        for _, is_header, cells in rows:
            for column, cell in zip(columns, cells, strict=False):
                column.append((is_header, _text(cell)))
        numeric = [i > 0 and _figures(column) for i, column in enumerate(columns)]
        texts = [[text for _, text in column] for column in columns]
        return cls(rows, numeric, column_widths(texts, width))


def _text(cell: HtmlElement) -> str:
    return " ".join(cell.text_content().split())


def _figures(column: list[tuple[bool, str]]) -> bool:
    """Whether a column of (header?, text) cells holds figures, by the rule declared tables follow
    (csvdata): not the first column (it labels the rows), not a column of years, every body cell
    a number or a mark for one nobody knows ("n/a", "–"), at least one a number."""
    if any(YEARS.search(text) for is_header, text in column if is_header):
        return False
    body = [text for is_header, text in column if not is_header]
    known = [c for c in body if not is_unknown(c) and any(ch.isalnum() for ch in c)]
    return bool(known) and all(is_number(c) for c in known)


def column_widths(columns: list[list[str]], width: Length) -> list[Length]:
    """Widths for columns of these texts that fill ``width``, as a browser's automatic table
    layout shares it: each column at least as wide as its longest word, the rest of the width
    shared in proportion to how much wider each column's longest text would like to be."""
    pad = (PADDING["left"] + PADDING["right"]) / CHAR
    most = [max((_columns(t) for t in texts), default=0) + pad for texts in columns]
    least = [max((_columns(w) for t in texts for w in t.split()), default=0) + pad for texts in columns]
    room = width / CHAR
    if sum(most) <= room:  # everything fits on one line: widen every column alike
        shares = [m / sum(most) * room for m in most]
    elif sum(least) >= room:  # not even the longest words fit: narrow them alike
        shares = [s / sum(least) * room for s in least]
    else:
        spare, wants = room - sum(least), [m - s for m, s in zip(most, least, strict=True)]
        shares = [s + w / sum(wants) * spare for s, w in zip(least, wants, strict=True)]
    twips = [round(share / room * width.twips) for share in shares]
    twips[-1] += width.twips - sum(twips)  # rounding: the columns add up to the width exactly
    return [Twips(t) for t in twips]


def set_widths(table: Table, widths: Sequence[Length]) -> None:
    """Fix the table's columns at ``widths`` (autofit off, so Word and LibreOffice keep them)."""
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    ooxml.set_table_width(table, Twips(sum(w.twips for w in widths)))


def _columns(text: str) -> float:
    """How many average characters wide ``text`` is: Chinese, Japanese and Korean characters are
    two, combining marks (Thai vowels and tones) none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text
    )


def table_style(document: Document, theme: Theme) -> str:
    """The name of the style every table takes: the theme's ``table_style``, a style of Word's
    default template if it names one, else made here in the publisher's colours."""
    name = theme.table_style
    try:
        document.styles[name]
    except KeyError:
        try:  # Word's own id is "TableNormal"; a house template's Word may have translated it
            base = document.styles["Normal Table"].style_id
        except KeyError:
            base = "TableNormal"
        document.styles.element.append(parse_xml(_style_xml(name, theme, base)))
    return name


def _style_xml(name: str, theme: Theme, base: str) -> str:
    """The table style: no rules but a thin one under every row, cells padded as the PDF's, the
    header row in the primary colour, every second body row tinted (Word counts the first
    body row as band 1, so the PDF's even rows are band 2)."""
    primary = theme.color("primary")
    ink = readable_on(primary, WHITE)
    style_id = "".join(ch for ch in name if ch.isalnum())
    rule = f'w:val="single" w:sz="3" w:space="0" w:color="{word_color(RULE)}"'
    margins = "".join(f'<w:{side} w:w="{size.twips}" w:type="dxa"/>' for side, size in PADDING.items())
    header_margins = "".join(
        f'<w:{side} w:w="{HEADER_PADDING.twips}" w:type="dxa"/>' for side in ("top", "bottom")
    )
    return (
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="{style_id}">'
        f"<w:name w:val={quoteattr(name)}/>"
        f"<w:basedOn w:val={quoteattr(base)}/>"
        '<w:uiPriority w:val="59"/>'
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblInd w:w="0" w:type="dxa"/>'
        f"<w:tblBorders><w:bottom {rule}/><w:insideH {rule}/></w:tblBorders>"
        f"<w:tblCellMar>{margins}</w:tblCellMar></w:tblPr>"
        '<w:tblStylePr w:type="firstRow">'
        f'<w:rPr><w:color w:val="{word_color(ink)}"/></w:rPr>'
        "<w:trPr><w:tblHeader/></w:trPr>"
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{word_color(primary)}"/>'
        f"<w:tcMar>{header_margins}</w:tcMar></w:tcPr>"
        "</w:tblStylePr>"
        '<w:tblStylePr w:type="band2Horz">'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{word_color(BAND)}"/></w:tcPr>'
        "</w:tblStylePr>"
        "</w:style>"
    )


def cell_style(
    document: Document,
    theme: Theme,
    cell: HtmlElement,
    style: str,
    header: bool,
    figure: bool,
    known: dict[str, str] | None = None,
) -> str:
    """The paragraph style of a cell whose own style is ``style``: a figure in a cell with no class
    of its own is a number (right-aligned, as the PDF's); a header cell's style is the same in
    bold, in the ink that reads on the primary colour ("Table Text Heading")."""
    if figure and not cell.classes and NUMBER in theme.classes:
        style = theme.classes[NUMBER]
    if not header:
        return style
    ink = readable_on(theme.color("primary"), WHITE)
    name = f"{style} Heading"
    docx_styles.derived(document, name, style, WD_STYLE_TYPE.PARAGRAPH, ink, bold=True, known=known)
    return name

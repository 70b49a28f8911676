"""Word's styles from the theme: built-ins restyled from a clean slate, the rest created, and the
styles derived from them for text on a band of colour.

A restyled built-in keeps only its list numbering and outline level: whatever else Word's
default template gives it (Subtitle's italics and letter spacing, Title's rule and theme
colour, Caption's bold) the theme did not ask for, so the theme is the whole truth.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor

from ..theme import Theme
from . import ooxml


def apply_theme(
    document: Document, theme: Theme, right_tab: Length, house: Mapping[str, frozenset[str]] | None = None
) -> None:
    """Define every theme style in the document; ``right_tab`` is where a contents entry's page
    number stands (the right margin). ``house`` names the styles a house template defines, each
    with the theme keys it sets itself: such a style keeps its own look and base, and takes only
    the theme's other keys."""
    styles = document.styles
    for name, spec in theme.styles.items():
        kind = WD_STYLE_TYPE.CHARACTER if spec.get("type") == "character" else WD_STYLE_TYPE.PARAGRAPH
        own = (house or {}).get(name)
        try:
            style = styles[name]
        except KeyError:
            style = _add_style(styles, name, kind)
            if kind == WD_STYLE_TYPE.PARAGRAPH:  # based on a heading, it keeps its outline level
                style.base_style = styles[spec.get("based_on", "Normal")]
            style.quick_style = True
        else:
            if own is not None:
                spec = {key: value for key, value in spec.items() if key not in own and key != "based_on"}
            else:
                ooxml.clear_style_formatting(style)
                if "based_on" in spec:
                    style.base_style = styles[spec["based_on"]]
        _font(style, spec, theme, name)
        if kind == WD_STYLE_TYPE.PARAGRAPH:
            _paragraph(style, spec, right_tab)


def _font(style: Any, spec: dict[str, Any], theme: Theme, name: str) -> None:
    font = style.font
    if "font" in spec:
        ooxml.set_style_font(style, theme.fonts[spec["font"]]["word"])
    if "size" in spec:
        font.size = Pt(spec["size"])
    for attr in ("bold", "italic", "underline"):
        if attr in spec:
            setattr(font, attr, spec[attr])
    if "caps" in spec:
        font.all_caps = spec["caps"]
    if "superscript" in spec:
        font.superscript = spec["superscript"]
    if "script_font" in spec:
        ooxml.set_script_font(style, spec["script_font"])
    if "color" in spec:
        font.color.rgb = rgb(theme.style_color(name))


def _paragraph(style: Any, spec: dict[str, Any], right_tab: Length) -> None:
    fmt = style.paragraph_format
    if "space_before" in spec:
        fmt.space_before = Pt(spec["space_before"])
    if "space_after" in spec:
        fmt.space_after = Pt(spec["space_after"])
    if "line_spacing" in spec:
        fmt.line_spacing = spec["line_spacing"]
    if "keep_with_next" in spec:
        fmt.keep_with_next = spec["keep_with_next"]
    if "keep_lines" in spec:
        fmt.keep_together = spec["keep_lines"]
    if "widow_control" in spec:
        fmt.widow_control = spec["widow_control"]
    if "align" in spec:
        fmt.alignment = getattr(WD_ALIGN_PARAGRAPH, spec["align"].upper())
    if "indent" in spec:
        fmt.left_indent = Mm(spec["indent"])
    if spec.get("right_tab"):  # contents entries: the page number at the right margin
        fmt.tab_stops.add_tab_stop(right_tab, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def derived(
    document: Document,
    name: str,
    base: str | None,
    kind: WD_STYLE_TYPE,
    color: str,
    bold: bool | None = None,
    known: dict[str, str] | None = None,
) -> str:
    """The style ``name``, made on first use: ``base`` (a paragraph or character style, or none)
    in ``color`` (#rrggbb), bold if asked. The header row's and a band's text take these, so
    their look stays in styles (a Word user restyles them) and not on every run. ``known``: the
    document's style ids by name, kept up to date (python-docx looks a name up among all)."""
    if known is not None and name in known:
        return name
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = _add_style(styles, name, kind)
        if base is not None:
            style.base_style = styles[base]
        style.font.color.rgb = rgb(color)
        if bold is not None:
            style.font.bold = bold
    if known is not None:
        known[name] = style.style_id
    return name


def _add_style(styles: Any, name: str, kind: WD_STYLE_TYPE) -> Any:
    """A new style; python-docx makes its id from its name, which a house template's style of
    another name may have (Word's ids are names without spaces, and translated)."""
    style = styles.add_style(name, kind)
    taken = {s.get(qn("w:styleId")) for s in styles.element.findall(qn("w:style")) if s is not style.element}
    style_id = style.style_id
    while style_id in taken:
        style_id += "0"
    style.style_id = style_id
    return style


def rgb(color: str) -> RGBColor:
    """#rrggbb as Word's colour."""
    return RGBColor.from_string(color.lstrip("#").upper())

"""The typography source shared by both writers: CSS variables for the PDF, style specs for Word.

Colours and fonts come partly from publishers' content, so every value that reaches CSS is
serialised from checked data (a colour as ``#rrggbb``, a font as a quoted family name, a size
as a number), never pasted in as text.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .errors import BriefgenError
from .load import load_document
from .model import FontChoice

WHITE, INK = "#ffffff", "#1a1a1a"
MIN_CONTRAST = 4.5  # WCAG AA for body-size text
DEFAULT_COLORS = {"primary": "#1f3864", "accent": "#b3282d", "muted": "#5b6770"}
GENERIC_FAMILIES = {"serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui"}
HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")
STYLE_KEYS = {
    "font",
    "size",
    "bold",
    "italic",
    "caps",
    "color",
    "space_before",
    "space_after",
    "line_spacing",
    "keep_with_next",
    "keep_lines",
    "widow_control",
    "readable",
    "type",
    "underline",
    "align",
    "script_font",
    "based_on",
    "right_tab",
    "indent",
    "superscript",
}
PAGE_SIDES = ("top", "right", "bottom", "left")
# Word's "single" line is about 1.15 em for the fonts the theme names (their ascent, descent and
# gap): a Word line spacing of 1.2 is a CSS line-height of 1.38, so both break pages alike.
WORD_SINGLE_LINE = 1.15
ALIGNMENTS = {"left", "center", "right", "justify"}
# Elements that are paragraphs in Word; any other element a style names is a container of them.
PARAGRAPH_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "figcaption", "caption", "td", "th"}


@dataclass(frozen=True)
class Theme:
    """Fonts, Word styles and the class→style map, with the publisher's colours applied."""

    fonts: dict[str, dict[str, Any]]  # name -> {"css": [family, ...], "word": family}
    styles: dict[str, dict[str, Any]]
    sizes: dict[str, float]
    classes: dict[str, str]
    table_style: str
    scripts: dict[str, str] = field(default_factory=dict)
    colors: dict[str, str] = field(default_factory=dict)
    elements: dict[str, str] = field(default_factory=dict)  # HTML element -> paragraph style
    page: dict[str, Any] = field(default_factory=dict)  # margins, header and footer distance (mm)

    def color(self, value: str) -> str:
        """A colour name (primary, accent, muted) or #rrggbb, as #rrggbb."""
        return self.colors.get(value, value)

    def style_color(self, style: str) -> str:
        """A style's colour as #rrggbb; a ``readable`` style's colour, if a publisher's colour is
        too pale to read on white paper (WCAG AA), is the body's ink instead."""
        spec = self.resolved(style)
        value = self.color(spec["color"])
        return readable_on(WHITE, value) if spec.get("readable") else value

    def with_house_style(self, colors: dict[str, str], fonts: dict[str, dict[str, Any]]) -> Theme:
        """This theme in a publisher's colours and fonts."""
        return replace(self, colors={**DEFAULT_COLORS, **colors}, fonts={**self.fonts, **fonts})

    def for_kind(self, path: Path) -> Theme:
        """This theme with a kind's own ``theme.yaml`` laid over it: a style's keys replace the
        shared style's keys one by one, page geometry likewise; a missing file changes nothing."""
        if not path.is_file():
            return self
        own = _load(path, self)
        styles = {name: {**self.styles.get(name, {}), **spec} for name, spec in own.styles.items()}
        return replace(
            self,
            fonts={**self.fonts, **own.fonts},
            styles={**self.styles, **styles},
            classes={**self.classes, **own.classes},
            elements={**self.elements, **own.elements},
            page={
                **self.page,
                **own.page,
                "margins": {**self.page["margins"], **own.page.get("margins", {})},
            },
            sizes={**self.sizes, **own.sizes},
        )

    def css(self) -> str:
        """The stylesheet the theme writes: custom properties, page geometry, and one rule per
        element and class style, so the PDF takes italics, caps, alignment and spacing from the
        same entries as Word."""
        return self.variables_css() + self._page_css() + self._style_rules()

    def _style_rules(self) -> str:
        """One rule per element and class. Type (font, size, italics, caps, colour, alignment,
        leading) is inherited, as Word's paragraphs take a container's style; spacing and indent
        go on the paragraph itself, or, for a container, on its plain paragraphs."""
        rules = []
        targets: list[tuple[str, str, bool | None]] = [
            (tag, tag, tag in PARAGRAPH_TAGS) for tag in self.elements
        ]
        targets += [(f".{cls}", cls, None) for cls in self.classes]
        for selector, key, is_paragraph in targets:
            style = self.elements[key] if is_paragraph is not None else self.classes[key]
            if self.styles[style].get("type") == "character":
                is_paragraph = True  # a run's style: its type only, on the element itself
            text, box = self.declarations(style)
            if text:
                rules.append(f"{selector} {{ {' '.join(text)} }}")
            if box:
                if is_paragraph:
                    where = selector
                elif selector == "html":  # Normal: every style is based on it, in Word
                    where = ", ".join(sorted(PARAGRAPH_TAGS - {"td", "th", "caption"}))
                elif is_paragraph is None:  # a class names a paragraph, or a container of them
                    where = f":is({', '.join(sorted(PARAGRAPH_TAGS))}){selector}, {selector} p:not([class])"
                else:
                    where = f"{selector} p:not([class])"
                rules.append(f"{where} {{ {' '.join(box)} }}")
        return "\n".join(rules) + "\n"

    def resolved(self, style: str) -> dict[str, Any]:
        """A style's keys with those of the style it is ``based_on`` beneath (as Word reads them)."""
        spec = self.styles[style]
        base = spec.get("based_on")
        return {**(self.resolved(base) if base and base != "Normal" else {}), **spec}

    def declarations(self, style: str) -> tuple[list[str], list[str]]:
        """A style's CSS declarations (Word's meaning of each key): type, then spacing."""
        spec = self.resolved(style)
        text, box = [], []
        if "font" in spec:
            text.append(f"font-family: var(--font-{spec['font']});")
        if "size" in spec:
            text.append(f"font-size: {css_points(spec['size'])};")
        if "bold" in spec:
            text.append(f"font-weight: {'bold' if spec['bold'] else 'normal'};")
        if "italic" in spec:
            text.append(f"font-style: {'italic' if spec['italic'] else 'normal'};")
        if "caps" in spec:
            text.append(f"text-transform: {'uppercase' if spec['caps'] else 'none'};")
        if "color" in spec and spec.get("type") != "character":
            text.append(f"color: {css_color(self.style_color(style))};")
        if "align" in spec:
            text.append(f"text-align: {spec['align']};")
        if "line_spacing" in spec:
            text.append(f"line-height: {float(spec['line_spacing']) * WORD_SINGLE_LINE:.3g};")
        if "space_before" in spec:
            box.append(f"margin-top: {css_points(spec['space_before'])};")
        if "space_after" in spec:
            box.append(f"margin-bottom: {css_points(spec['space_after'])};")
        if "indent" in spec:
            box.append(f"padding-left: {css_points(spec['indent'] * 72 / 25.4)};")  # mm, as Word's
        return text, box

    def _page_css(self) -> str:
        """The page's margins for every kind and paper, and the same margins as negative
        lengths (``--bleed-top``…) for a masthead that runs to the paper's edge."""
        margins = self.page["margins"]
        box = " ".join(f"{float(margins[side]):g}mm" for side in PAGE_SIDES)
        bleed = " ".join(f"--bleed-{side}: -{float(margins[side]):g}mm;" for side in PAGE_SIDES)
        return f"@page {{ margin: {box}; }}\n:root {{ {bleed} }}\n"

    def variables_css(self) -> str:
        """The custom properties alone, for the document's own ``<style>``: the rules go to the
        PDF writer as a stylesheet, beneath the templates' (an author ``<style>`` would outrank
        every template rule)."""
        props = [f"--color-{name}: {css_color(value)};" for name, value in self.colors.items()]
        # Text on a band of the primary colour (a dark masthead): white, or ink on a pale primary.
        props.append(f"--color-on-primary: {readable_on(self.color('primary'), WHITE)};")
        props += [f"--font-{name}: {css_font_stack(font['css'])};" for name, font in self.fonts.items()]
        props += [f"--size-{name}: {css_points(size)};" for name, size in self.sizes.items()]
        for style, spec in self.styles.items():
            if spec.get("type") == "character":
                continue
            slug = re.sub(r"\W+", "-", style.lower())
            if "size" in spec:
                props.append(f"--size-{slug}: {css_points(spec['size'])};")
            if "color" in spec:
                props.append(f"--color-{slug}: {css_color(self.style_color(style))};")
        return ":root {\n  " + "\n  ".join(props) + "\n}\n"


def _checked_margins(value: Any) -> dict[str, float]:
    if not isinstance(value, dict) or set(value) - set(PAGE_SIDES):
        raise ValueError(f"margins are {{{', '.join(PAGE_SIDES)}}} in mm")
    for side, size in value.items():
        css_points(size)  # a finite number, or an error
        if not 0 <= size <= 60:
            raise ValueError(f"margin {side} {size} mm is outside 0–60 mm")
    return dict(value)


def luminance(color: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(background: str, preferred: str) -> str:
    """``preferred`` if it reads on ``background`` (WCAG AA), else ink or white, whichever reads."""
    if contrast(preferred, background) >= MIN_CONTRAST:
        return preferred
    return max((INK, WHITE), key=lambda c: contrast(c, background))


def css_color(value: str) -> str:
    """``#rrggbb``, or an error: nothing else may reach a stylesheet as a colour."""
    if not isinstance(value, str) or not HEX_COLOR.fullmatch(value):
        raise BriefgenError.at("theme", None, f"colour {value!r} is not #rrggbb", "write it as e.g. #1f3864")
    return value


def css_font_stack(names: list[str]) -> str:
    """A font-family value: each checked family name quoted, generic families bare."""
    try:
        families = FontChoice.model_validate({"css": names, "word": "x"}).css
    except ValidationError:
        raise BriefgenError.at("theme", None, f"font stack {names!r} is not a list of family names") from None
    return ", ".join(name if name in GENERIC_FAMILIES else f'"{name}"' for name in families)


def css_points(value: object) -> str:
    """A length in points from a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BriefgenError.at("theme", None, f"size {value!r} is not a number of points", "write e.g. 10.5")
    return f"{float(value):g}pt"


def load_theme(path: Path) -> Theme:
    """Read and check the shared ``theme.yaml``; a bad entry is a located error."""
    return _load(path, None)


def _load(path: Path, base: Theme | None) -> Theme:
    """A theme file checked on its own terms, or (``base`` given) as a kind's layer over ``base``."""
    doc = load_document(path)
    data = doc.data or {}
    fonts_known = {*(data.get("fonts") or {}), *(base.fonts if base else ())}
    styles_known = {*(data.get("styles") or {}), *(base.styles if base else ())}
    problems = []
    for name, spec in (data.get("styles") or {}).items():
        unknown = set(spec) - STYLE_KEYS
        if unknown:
            problems.append(
                (doc.line(("styles", name)), f"style '{name}' has unknown keys {sorted(unknown)}")
            )
        if spec.get("font") and spec["font"] not in fonts_known:
            problems.append(
                (doc.line(("styles", name)), f"style '{name}' uses undefined font '{spec['font']}'")
            )
        if spec.get("align", "left") not in ALIGNMENTS:
            problems.append((doc.line(("styles", name)), f"style '{name}' has align '{spec['align']}'"))
    for section, what in (("classes", "class"), ("scripts", "script"), ("elements", "element")):
        for key, style in (data.get(section) or {}).items():
            if style not in styles_known:
                problems.append(
                    (doc.line((section, key)), f"{what} '{key}' maps to undefined style '{style}'")
                )
    slugs = {re.sub(r"\W+", "-", name.lower()) for name in styles_known}
    for size in data.get("sizes") or {}:
        if size in slugs:  # both would be the custom property --size-NAME
            problems.append((doc.line(("sizes", size)), f"size '{size}' has the name of a style"))
    page = data.get("page") or {}
    try:
        margins = _checked_margins(page.get("margins", {}))
        if base is None and set(margins) != set(PAGE_SIDES):
            raise ValueError(f"the shared theme gives every margin: {', '.join(PAGE_SIDES)}")
    except ValueError as exc:
        problems.append((doc.line(("page", "margins")), str(exc)))
        margins = {}
    if problems:
        line, message = problems[0]
        raise BriefgenError.at(
            path,
            line,
            message,
            f"style keys: {', '.join(sorted(STYLE_KEYS))}; align: {', '.join(sorted(ALIGNMENTS))}",
        )
    fonts = {}
    for name, spec in (data.get("fonts") or {}).items():
        try:
            fonts[name] = FontChoice.model_validate(spec).model_dump()
        except ValidationError as exc:
            message = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise BriefgenError.at(path, doc.line(("fonts", name)), f"font '{name}': {message}") from None
    return Theme(
        fonts,
        data.get("styles") or {},
        data.get("sizes") or {},
        data.get("classes") or {},
        data.get("table_style") or (base.table_style if base else ""),
        data.get("scripts") or {},
        DEFAULT_COLORS,
        data.get("elements") or {},
        {**page, "margins": margins},
    )

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

    def color(self, value: str) -> str:
        """A colour name (primary, accent, muted) or #rrggbb, as #rrggbb."""
        return self.colors.get(value, value)

    def style_color(self, style: str) -> str:
        """A style's colour as #rrggbb; a ``readable`` style's colour, if a publisher's colour is
        too pale to read on white paper (WCAG AA), is the body's ink instead."""
        spec = self.styles[style]
        value = self.color(spec["color"])
        return readable_on(WHITE, value) if spec.get("readable") else value

    def with_house_style(self, colors: dict[str, str], fonts: dict[str, dict[str, Any]]) -> Theme:
        """This theme in a publisher's colours and fonts."""
        return replace(self, colors={**DEFAULT_COLORS, **colors}, fonts={**self.fonts, **fonts})

    def css(self) -> str:
        """CSS custom properties for the stylesheets of every kind."""
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
    """Read and check ``theme.yaml``; a bad entry is a located error."""
    doc = load_document(path)
    data = doc.data or {}
    problems = []
    for name, spec in (data.get("styles") or {}).items():
        unknown = set(spec) - STYLE_KEYS
        if unknown:
            problems.append(
                (doc.line(("styles", name)), f"style '{name}' has unknown keys {sorted(unknown)}")
            )
        if spec.get("font") and spec["font"] not in data.get("fonts", {}):
            problems.append(
                (doc.line(("styles", name)), f"style '{name}' uses undefined font '{spec['font']}'")
            )
    for cls, style in [*(data.get("classes") or {}).items(), *(data.get("scripts") or {}).items()]:
        if style not in data.get("styles", {}):
            problems.append((doc.line(("classes", cls)), f"class '{cls}' maps to undefined style '{style}'"))
    if problems:
        line, message = problems[0]
        raise BriefgenError.at(path, line, message, f"allowed keys: {', '.join(sorted(STYLE_KEYS))}")
    fonts = {}
    for name, spec in (data.get("fonts") or {}).items():
        try:
            fonts[name] = FontChoice.model_validate(spec).model_dump()
        except ValidationError as exc:
            message = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise BriefgenError.at(path, doc.line(("fonts", name)), f"font '{name}': {message}") from None
    return Theme(
        fonts,
        data["styles"],
        data.get("sizes", {}),
        data.get("classes", {}),
        data["table_style"],
        data.get("scripts", {}),
        DEFAULT_COLORS,
    )

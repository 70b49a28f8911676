"""The typography source shared by both writers: CSS variables for the PDF, style specs for Word."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import BriefgenError
from .load import load_document

DEFAULT_COLORS = {"primary": "#1f3864", "accent": "#b3282d", "muted": "#5b6770"}
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

    fonts: dict[str, dict[str, str]]
    styles: dict[str, dict[str, Any]]
    sizes: dict[str, float]
    classes: dict[str, str]
    table_style: str
    scripts: dict[str, str] = field(default_factory=dict)
    colors: dict[str, str] = field(default_factory=dict)

    def color(self, value: str) -> str:
        """A colour name (primary, accent, muted) or #rrggbb, as #rrggbb."""
        return self.colors.get(value, value)

    def with_house_style(self, colors: dict[str, str], fonts: dict[str, dict[str, str]]) -> Theme:
        """This theme in a publisher's colours and fonts."""
        return replace(self, colors={**DEFAULT_COLORS, **colors}, fonts={**self.fonts, **fonts})

    def css(self) -> str:
        """CSS custom properties for the stylesheets of every kind."""
        props = [f"--color-{name}: {value};" for name, value in self.colors.items()]
        props += [f"--font-{name}: {font['css']};" for name, font in self.fonts.items()]
        props += [f"--size-{name}: {size}pt;" for name, size in self.sizes.items()]
        for style, spec in self.styles.items():
            if spec.get("type") == "character":
                continue
            slug = re.sub(r"\W+", "-", style.lower())
            if "size" in spec:
                props.append(f"--size-{slug}: {spec['size']}pt;")
            if "color" in spec:
                props.append(f"--color-{slug}: {self.color(spec['color'])};")
        return ":root {\n  " + "\n  ".join(props) + "\n}\n"


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
    return Theme(
        data["fonts"],
        data["styles"],
        data.get("sizes", {}),
        data.get("classes", {}),
        data["table_style"],
        data.get("scripts", {}),
        DEFAULT_COLORS,
    )

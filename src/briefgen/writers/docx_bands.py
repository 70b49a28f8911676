"""Bands of colour in Word: a container the template marks ``data-band="primary"`` (the market
brief's and the city profile's masthead) prints on a band of that theme colour, as the PDF's.

Templates say which containers are bands (the writer reads no CSS): its paragraphs are shaded in
the colour, joined into one box closed by a rule in the accent colour, and its text is set in
the ink that reads on the colour (the character style "Text on Primary"), so paragraph styles
(Title, Subtitle) stay what they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Mm
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from ..errors import BriefgenError
from ..theme import WHITE, Theme, readable_on
from . import docx_styles, ooxml

PADDING = Mm(4)  # the band's colour beyond the text on each side
ATTRIBUTE = "data-band"


@dataclass(frozen=True)
class Band:
    """A band's name (a theme colour: primary, accent, muted), its fill, its ink and its rule."""

    name: str
    fill: str
    ink: str
    rule: str

    @classmethod
    def named(cls, theme: Theme, name: str, where: Path) -> Band:
        """The band of the theme colour ``name``; any other name is an error at ``where`` (the
        kind's template)."""
        if name not in theme.colors:
            raise BriefgenError.at(
                where,
                None,
                f'{ATTRIBUTE}="{name}" names no theme colour',
                f"use one of {', '.join(sorted(theme.colors))}",
            )
        fill = theme.colors[name]
        return cls(name, fill, readable_on(fill, WHITE), theme.color("accent"))

    def shade(self, paragraph: Paragraph) -> None:
        ooxml.shade(paragraph, self.fill, self.rule, PADDING)

    def text_style(self, document: Document, known: dict[str, str] | None = None) -> str:
        """The character style of plain text on this band: "Text on Primary", in its ink."""
        name = f"Text on {self.name.title()}"
        return docx_styles.derived(document, name, None, WD_STYLE_TYPE.CHARACTER, self.ink, known=known)

    def paint(self, run: Run) -> None:
        """Set a run that has a character style of its own in the band's ink: it keeps its style
        (a Thai name stays Thai Text, its font and all) and takes the ink as direct formatting."""
        run.font.color.rgb = docx_styles.rgb(self.ink)

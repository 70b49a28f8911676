"""Typeset text: prose gets typographic quotes and apostrophes, in both formats, as a typesetter
would set them; code and addresses keep their straight ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.markdown import render
from conftest import pdf_text

COMMENTARY = "asean-smart-cities-5g-geopolitics"


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("ASEAN's ambitions", "<p>ASEAN’s ambitions</p>\n"),
        ('the "sinification of 5G"', "<p>the “sinification of 5G”</p>\n"),
        ("'single' and \"double\"", "<p>‘single’ and “double”</p>\n"),
        ("`it's code`", "<p><code>it's code</code></p>\n"),
        ("[a link](https://example.org/it's)", '<p><a href="https://example.org/it\'s">a link</a></p>\n'),
        ("-- and (c) stay as written", "<p>-- and (c) stay as written</p>\n"),
    ],
)
def test_prose_gets_typographic_quotes_but_code_and_addresses_keep_straight_ones(
    markdown: str, html: str
) -> None:
    assert render(markdown) == html


def test_both_formats_print_the_same_typographic_apostrophe(built: Path) -> None:
    import docx

    word = " ".join(p.text for p in docx.Document(str(built / f"{COMMENTARY}.docx")).paragraphs)
    assert "ASEAN’s smart city ambitions" in pdf_text(built / f"{COMMENTARY}.pdf").replace("\n", " ")
    assert "ASEAN’s smart city ambitions" in word

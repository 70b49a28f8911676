"""Prose Markdown: rendered safely into the template's heading levels, with unsafe links found."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.markdown import problems, render, render_inline
from conftest import png

LINK_HINT = "links must start with https://, http:// or mailto:"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Before <script>alert(1)</script> after.", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src="x" onerror="alert(1)">', "&lt;img src=&quot;x&quot; onerror=&quot;alert(1)&quot;&gt;"),
        ('See <a href="javascript:alert(1)">this</a>.', "&lt;a href=&quot;javascript:alert(1)&quot;&gt;"),
        ("<!-- hidden -->", "&lt;!-- hidden --&gt;"),
    ],
)
def test_raw_html_in_prose_is_shown_as_text_not_passed_on(text, escaped):
    html = render(text)
    assert escaped in html
    for tag in ("<script", "<img", "<a ", "<!--"):
        assert tag not in html


def test_raw_html_in_inline_prose_is_shown_as_text_too():
    html = render_inline("Smart <script>alert(1)</script> cities")
    assert html == "Smart &lt;script&gt;alert(1)&lt;/script&gt; cities"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("# Overview", '<h3 id="overview" data-prose="">Overview</h3>\n'),
        ("## Detail", '<h4 id="detail" data-prose="">Detail</h4>\n'),
        ("#### Deep", '<h6 id="deep" data-prose="">Deep</h6>\n'),
        ("###### Deepest", '<h6 id="deepest" data-prose="">Deepest</h6>\n'),
        ("Overview\n========", '<h3 id="overview" data-prose="">Overview</h3>\n'),
    ],
)
def test_prose_headings_sit_two_levels_below_the_templates_own(text, html):
    assert render(text) == html


def test_inline_prose_renders_without_a_paragraph():
    assert render_inline("Smart *City* Blueprint") == "Smart <em>City</em> Blueprint"


def test_tables_render_as_html_tables():
    html = render("| Year | Value |\n|---|--:|\n| 2019 | 1,400 |\n")
    assert "<table>" in html
    assert "<th>Year</th>" in html
    assert "<td>2019</td>" in html
    assert '<td style="text-align:right">1,400</td>' in html


@pytest.mark.parametrize(
    "text",
    [
        "[trade.gov](https://www.trade.gov/)",
        "[plain http](http://example.org/page?x=1#y)",
        "[write to us](mailto:office@trade.gov)",
        "[see below](#trade-data)",
        "<https://www.trade.gov/>",
        "[ref][1]\n\n[1]: https://www.trade.gov/",
        "# Heading\n\nA paragraph, *emphasised*.\n\n- a list\n- of items\n\n| a | b |\n|---|---|\n| 1 | 2 |",
    ],
)
def test_safe_links_and_plain_prose_have_no_problems(tmp_path, text):
    assert problems(text, tmp_path) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("[x](javascript:alert(1))", (0, "link 'javascript:alert(1)' has scheme 'javascript:'", LINK_HINT)),
        ("[x](data:text/html,hi)", (0, "link 'data:text/html,hi' has scheme 'data:'", LINK_HINT)),
        ("[x](//evil.example)", (0, "link '//evil.example' has no scheme", LINK_HINT)),
        ("<javascript:alert(1)>", (0, "link 'javascript:alert(1)' has scheme 'javascript:'", LINK_HINT)),
        ("[x][1]\n\n[1]: vbscript:msgbox", (0, "link 'vbscript:msgbox' has scheme 'vbscript:'", LINK_HINT)),
        (
            "One.\n\nTwo [x](file:///etc/passwd)",
            (2, "link 'file:///etc/passwd' has scheme 'file:'", LINK_HINT),
        ),
        (
            "| a | b |\n|---|---|\n| [x](javascript:1) | 2 |",
            (2, "link 'javascript:1' has scheme 'javascript:'", LINK_HINT),
        ),
    ],
)
def test_unsafe_links_are_found_with_their_line_offset(tmp_path, text, found):
    assert problems(text, tmp_path) == [found]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("```\ncode\n```", (0, "code blocks are not supported in prose", "write plain paragraphs")),
        (
            "    indented code",
            (0, "indented code blocks are not supported in prose", "write plain paragraphs"),
        ),
        ("One.\n\n---\n\nTwo.", (2, "horizontal rules are not supported in prose", "write plain paragraphs")),
        (
            "## Too deep",
            (0, "heading level 2 is too deep for prose", "use a single # for a sub-heading"),
        ),
    ],
)
def test_blocks_the_templates_cannot_show_are_found(tmp_path, text, found):
    assert problems(text, tmp_path) == [found]


def test_an_image_inside_the_content_folder_has_no_problems(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "chart.png").write_bytes(png())
    assert problems("![A chart](images/chart.png)", tmp_path) == []


@pytest.mark.parametrize("name", ["café.png", "my chart.png"])
def test_an_image_whose_name_has_spaces_or_accents_is_found(tmp_path: Path, name):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / name).write_bytes(png())
    assert problems(f"![A chart](<images/{name}>)", tmp_path) == []

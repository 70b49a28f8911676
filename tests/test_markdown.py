"""Prose Markdown: rendered safely, headings marked for nesting, languages tagged, unsafe links found."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.markdown import problems, render, render_inline
from conftest import png

LINK_HINT = "links must start with https://, http:// or mailto:"
DEPTH_HINT = (
    "prose headings go three deep (#, ## and ###): use ### at most, or a paragraph that opens in **bold**"
)
SPAN_HINT = "the only attribute is a language, on text in brackets: [กรุงเทพฯ]{lang=th}"
LANG_HINT = "write a language code, then any script or region: th, vi, zh-Hans, zh-Hant, ja, pt-BR"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("Before <script>alert(1)</script> after.", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src="x" onerror="alert(1)">', "&lt;img src=“x” onerror=“alert(1)”&gt;"),
        ('See <a href="javascript:alert(1)">this</a>.', "&lt;a href=“javascript:alert(1)”&gt;"),
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
        ("# Overview", '<h1 id="overview" data-prose="">Overview</h1>\n'),
        ("## Detail", '<h2 id="detail" data-prose="">Detail</h2>\n'),
        ("### Finer", '<h3 id="finer" data-prose="">Finer</h3>\n'),
        ("Overview\n========", '<h1 id="overview" data-prose="">Overview</h1>\n'),
        ("Detail\n------", '<h2 id="detail" data-prose="">Detail</h2>\n'),
        (  # the id is made of the words the heading shows, not of its Markdown
            "# Tokyo [東京]{lang=ja}",
            '<h1 id="tokyo" data-prose="">Tokyo <span lang="ja">東京</span></h1>\n',
        ),
    ],
)
def test_prose_headings_keep_their_markdown_level_marked_for_crossref_to_nest(text, html):
    assert render(text) == html


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("[กรุงเทพฯ]{lang=th}", '<p><span lang="th">กรุงเทพฯ</span></p>\n'),
        ('[智慧城市]{lang="zh-Hans"} cities', '<p><span lang="zh-Hans">智慧城市</span> cities</p>\n'),
        ("*[Đà Nẵng]{lang=vi}*", '<p><em><span lang="vi">Đà Nẵng</span></em></p>\n'),
        ('[x]{.red #top onclick="alert(1)"}', "<p><span>x</span></p>\n"),  # problems() names them
        ("[l](https://x.org){lang=fr}", '<p><a href="https://x.org">l</a></p>\n'),
    ],
)
def test_a_language_span_renders_with_its_lang_and_nothing_else(text, html):
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
        ("One.\n\n#### Too deep", (2, "heading level 4 (####) is too deep for prose", DEPTH_HINT)),
        ("###### Deepest", (0, "heading level 6 (######) is too deep for prose", DEPTH_HINT)),
    ],
)
def test_blocks_the_templates_cannot_show_are_found(tmp_path, text, found):
    assert problems(text, tmp_path) == [found]


def test_headings_three_deep_are_prose(tmp_path):
    assert problems("# One\n\n## Two\n\n### Three\n\nText.", tmp_path) == []


@pytest.mark.parametrize(
    "text",
    [
        "[กรุงเทพฯ]{lang=th}",
        "[Hà Nội]{lang=vi} and [東京]{lang=ja}",
        '[臺北]{lang="zh-Hant-TW"}',
        "A footnote.[^1]\n\n[^1]: In Thai, [กรุงเทพฯ]{lang=th}.",
    ],
)
def test_a_language_on_text_in_brackets_has_no_problems(tmp_path, text):
    assert problems(text, tmp_path) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            '[x]{onclick="alert(1)"}',
            (0, "the attribute {onclick=alert(1)} is not allowed in prose", SPAN_HINT),
        ),
        ("[x]{.red}", (0, "the attribute {.red} is not allowed in prose", SPAN_HINT)),
        ("One.\n\n[x]{#top lang=th}", (2, "the attribute {#top} is not allowed in prose", SPAN_HINT)),
        ("[l](https://x.org){lang=fr}", (0, "the attribute {lang=fr} is not allowed in prose", SPAN_HINT)),
        ("![A chart](c.png){width=50}", (0, "the attribute {width=50} is not allowed in prose", SPAN_HINT)),
        ("`code`{.python}", (0, "the attribute {.python} is not allowed in prose", SPAN_HINT)),
        ("[x]{}", (0, "a [text]{…} span says nothing", "give its language, e.g. [กรุงเทพฯ]{lang=th}")),
        ('[x]{lang="Thai"}', (0, "'Thai' is not a language tag", LANG_HINT)),
        ('[x]{lang="th x"}', (0, "'th x' is not a language tag", LANG_HINT)),
    ],
)
def test_attributes_other_than_a_spans_language_are_found(tmp_path, text, found):
    assert found in problems(text, tmp_path)


def test_an_image_inside_the_content_folder_has_no_problems(tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "chart.png").write_bytes(png())
    assert problems("![A chart](images/chart.png)", tmp_path) == []


@pytest.mark.parametrize("name", ["café.png", "my chart.png"])
def test_an_image_whose_name_has_spaces_or_accents_is_found(tmp_path: Path, name):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / name).write_bytes(png())
    assert problems(f"![A chart](<images/{name}>)", tmp_path) == []

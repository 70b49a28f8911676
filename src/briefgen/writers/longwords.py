"""Gives WeasyPrint a place to break a word too long for any line, every few letters.

CSS ``overflow-wrap: break-word`` breaks such a word at the margin, but a table column or a flex
item is still sized to fit the whole word, and so runs off the page. ``anywhere`` would size it
by one letter instead, but WeasyPrint finds that width by laying the word out once per letter:
quadratic, so a 5000-letter word in a table cell takes minutes. An invisible break opportunity
(U+200B, drawn as nothing and not extracted as text) every few letters bounds both. Only the PDF
gets them: Word and LibreOffice break a long word at the margin by themselves, and the DOCX keeps
the text as written.
"""

from __future__ import annotations

import re
import unicodedata

import lxml.html

ZWSP = "\u200b"
ZWJ = "\u200d"
LONG = 40  # letters: a run this long gets break opportunities (no real word is; a URL may be)
EVERY = 10  # letters between them: a column needs at least this much width
RUN = re.compile(rf"[^\s{ZWSP}]{{{LONG},}}")
# Thai, Lao, Tibetan, Myanmar, Khmer are written without spaces; Pango breaks them by dictionary.
SPACELESS = re.compile("[\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\uaa60-\uaa7f]")
JOINS_BACK = {"Mn", "Mc", "Me", "Cf", "Sk"}  # marks, joiners, modifiers: part of the letter before


def with_breaks(html: str) -> str:
    """``html`` with a break opportunity every ``EVERY`` letters of each run of ``LONG`` or more
    in the body's text; unchanged (the same string) when it has none."""
    if not RUN.search(html):
        return html  # the usual case: no parse, no reserialisation
    root = lxml.html.document_fromstring(html)
    changed = False
    for el in root.body.iter():
        if isinstance(el.tag, str) and el.tag not in ("style", "script") and el.text and RUN.search(el.text):
            el.text, changed = RUN.sub(_broken, el.text), True
        if el is not root.body and el.tail and RUN.search(el.tail):
            el.tail, changed = RUN.sub(_broken, el.tail), True
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>") if changed else html


def _broken(run: re.Match[str]) -> str:
    word = run.group()
    if SPACELESS.search(word):
        return word
    out: list[str] = []
    since, previous = 0, ""
    for char in word:
        # Never inside a letter: not before a combining mark or joiner, nor after a ZWJ.
        if since >= EVERY and unicodedata.category(char) not in JOINS_BACK and previous != ZWJ:
            out.append(ZWSP)
            since = 0
        out.append(char)
        since, previous = since + 1, char
    return "".join(out)

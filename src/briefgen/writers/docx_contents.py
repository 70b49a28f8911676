"""The contents in Word: a TOC field whose shown result is the PDF's contents, page numbers too.

Word lays pages out differently from WeasyPrint (and LibreOffice from both), so the page numbers
the field shows are the PDF's until the field is updated; the document asks Word to update its
fields on opening (Word asks the reader first), after which they are Word's own.
"""

from __future__ import annotations

from docx.document import Document
from docx.text.paragraph import Paragraph

from . import ooxml

TOC_FIELD = 'TOC \\o "1-3" \\h \\z \\u'


def entry(paragraph: Paragraph, title: str, anchor: str, page: int | str, first: bool, last: bool) -> None:
    """One line of the contents, a link to ``anchor``: the title, a tab, the page number. The
    first line opens the TOC field and the last one closes it."""
    if first:
        ooxml.field_start(paragraph, TOC_FIELD)
    link = ooxml.hyperlink(paragraph, f"#{anchor}")
    ooxml.run_in(link, paragraph).text = title
    ooxml.add_tab(ooxml.run_in(link, paragraph))
    ooxml.run_in(link, paragraph).text = str(page)
    if last:
        ooxml.field_end(paragraph)


def update_on_open(document: Document) -> None:
    """Have Word bring the contents' page numbers up to date when it opens the document."""
    ooxml.update_fields_on_open(document)

"""A house template's styles against the theme's: which properties each of its styles sets (they
win), and the built-in styles briefgen uses that it lacks, brought over with their numbering.

A property counts as set when the style gives it, or a style it is based on does, or the
template's document defaults do: a template whose Normal names no font still has one, and that
is the house's. Missing built-ins (List Bullet, Strong, Caption, …) come from python-docx's
default template, the one a DOCX starts from without a house template, so the writer finds
every style it uses and lists keep their bullets and numbers.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from copy import deepcopy

from docx import Document
from docx.document import Document as DocumentObject
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.numbering import NumberingPart
from docx.styles import BabelFish
from lxml import etree

from ..theme import Theme

# Styles the writer uses beyond the theme's: Word's own character styles, nested list levels,
# and the defaults the others are based on.
WRITER_STYLES = (
    "Strong",
    "Emphasis",
    "List Bullet 2",
    "List Bullet 3",
    "List Number 2",
    "List Number 3",
    "Normal Table",
    "Default Paragraph Font",
    "No List",
)
LISTS = ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3")
# Where a theme key is written in a style: (rPr or pPr, the child, the attributes that count;
# None: the child alone).
WHERE: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "font": ("rPr", "rFonts", ("ascii", "asciiTheme", "hAnsi", "hAnsiTheme")),
    "script_font": ("rPr", "rFonts", ("cs", "cstheme", "eastAsia", "eastAsiaTheme")),
    "size": ("rPr", "sz", None),
    "bold": ("rPr", "b", None),
    "italic": ("rPr", "i", None),
    "underline": ("rPr", "u", None),
    "caps": ("rPr", "caps", None),
    "superscript": ("rPr", "vertAlign", None),
    "color": ("rPr", "color", None),
    "space_before": ("pPr", "spacing", ("before", "beforeLines", "beforeAutospacing")),
    "space_after": ("pPr", "spacing", ("after", "afterLines", "afterAutospacing")),
    "line_spacing": ("pPr", "spacing", ("line",)),
    "keep_with_next": ("pPr", "keepNext", None),
    "keep_lines": ("pPr", "keepLines", None),
    "widow_control": ("pPr", "widowControl", None),
    "align": ("pPr", "jc", None),
    "indent": ("pPr", "ind", ("left", "start", "leftChars", "startChars")),
    "right_tab": ("pPr", "tabs", None),
}
REFERENCES = ("w:basedOn", "w:next", "w:link")
MAX_DEPTH = 20  # of basedOn: a loop is the template's mistake, not a hang


def prepare(document: DocumentObject, theme: Theme) -> dict[str, frozenset[str]]:
    """Make the template's styles ready for the theme: its built-in names spelt as python-docx
    looks them up, the built-ins it lacks brought over, its list styles numbered. Returns, for
    each theme style the template has, the theme keys it sets itself (the theme leaves those)."""
    styles = document.styles.element
    wanted = [BabelFish.ui2internal(name) for name in (*theme.styles, *WRITER_STYLES)]
    _spell(styles, wanted)
    house = {_name(s): s for s in styles.findall(qn("w:style"))}
    kept = {
        name: _keys_set(styles, house[BabelFish.ui2internal(name)])
        for name in theme.styles
        if BabelFish.ui2internal(name) in house
    }
    _bring_over(document, wanted)
    for name in LISTS:
        element = house.get(name)
        if element is not None:
            _numbered(document, element)
    return kept


def _name(style: BaseOxmlElement) -> str:
    name = style.find(qn("w:name"))
    return name.get(qn("w:val"), "") if name is not None else ""


def _spell(styles: BaseOxmlElement, wanted: Iterable[str]) -> None:
    """Word writes some built-in names in lower case ("toc 1", "footnote text"); python-docx
    finds a style by its exact name, so the template's take the spelling briefgen asks for."""
    spelling = {name.casefold(): name for name in wanted}
    for style in styles.findall(qn("w:style")):
        name = _name(style)
        if name.casefold() in spelling and name != spelling[name.casefold()]:
            style.find(qn("w:name")).set(qn("w:val"), spelling[name.casefold()])


def _by_id(styles: BaseOxmlElement, style_id: str | None) -> BaseOxmlElement | None:
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) == style_id:
            return style
    return None


def _chain(styles: BaseOxmlElement, style: BaseOxmlElement) -> list[BaseOxmlElement]:
    """The style and those it is based on, nearest first."""
    chain: list[BaseOxmlElement] = []
    current: BaseOxmlElement | None = style
    while current is not None and current not in chain and len(chain) < MAX_DEPTH:
        chain.append(current)
        based = current.find(qn("w:basedOn"))
        current = _by_id(styles, based.get(qn("w:val"))) if based is not None else None
    return chain


def _keys_set(styles: BaseOxmlElement, style: BaseOxmlElement) -> frozenset[str]:
    """The theme keys ``style`` sets: itself, through its bases, or by the document defaults."""
    layers = {
        kind: [
            *(el.find(qn(f"w:{kind}")) for el in _chain(styles, style)),
            styles.find(f"{qn('w:docDefaults')}/{qn(f'w:{kind}Default')}/{qn(f'w:{kind}')}"),
        ]
        for kind in ("rPr", "pPr")
    }
    found = set()
    for key, (kind, child, attributes) in WHERE.items():
        for props in (p for p in layers[kind] if p is not None):
            element = props.find(qn(f"w:{child}"))
            if element is not None and (
                attributes is None or any(element.get(qn(f"w:{a}")) is not None for a in attributes)
            ):
                found.add(key)
                break
    return frozenset(found)


@functools.cache
def _defaults() -> tuple[bytes, bytes]:
    """The styles and numbering of python-docx's default template, as XML."""
    document = Document()
    return (
        etree.tostring(document.styles.element),
        etree.tostring(document.part.numbering_part.element),
    )


def _bring_over(document: DocumentObject, wanted: list[str]) -> None:
    """Copy the default template's styles named in ``wanted`` that the template lacks, with the
    styles they refer to, their ids made unique and their references and numbering re-pointed."""
    styles = document.styles.element
    source_xml, numbering_xml = _defaults()
    source = parse_xml(source_xml)
    by_name = {_name(s): s for s in source.findall(qn("w:style"))}
    have = {_name(s): s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    copied: dict[str, BaseOxmlElement] = {}
    queue = [name for name in wanted if name in by_name and name not in have]
    while queue:
        name = queue.pop(0)
        if name in copied or name in have:
            continue
        copied[name] = deepcopy(by_name[name])
        for tag in REFERENCES:
            ref = copied[name].find(qn(tag))
            target = _by_id(source, ref.get(qn("w:val"))) if ref is not None else None
            if target is not None:
                queue.append(_name(target))
    if not copied:
        return
    ids = set(have.values())
    renamed = {by_name[n].get(qn("w:styleId")): i for n, i in have.items() if n in by_name}
    for element in copied.values():
        old = element.get(qn("w:styleId"))
        new = old
        while new in ids:
            new = f"{new}0"
        ids.add(new)
        renamed[old] = new
        element.set(qn("w:styleId"), new)
    defaults = {
        s.get(qn("w:type")) for s in styles.findall(qn("w:style")) if s.get(qn("w:default")) in ("1", "true")
    }
    numbering = parse_xml(numbering_xml)
    for element in copied.values():
        for tag in REFERENCES:
            for ref in element.findall(qn(tag)):
                if ref.get(qn("w:val")) in renamed:
                    ref.set(qn("w:val"), renamed[ref.get(qn("w:val"))])
                else:
                    element.remove(ref)
        if element.get(qn("w:type")) in defaults:  # one default style of each type
            element.attrib.pop(qn("w:default"), None)
        num_id = element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if num_id is not None:
            num_id.set(qn("w:val"), str(_copy_list(document, numbering, num_id.get(qn("w:val")), renamed)))
        styles.append(element)


def _numbered(document: DocumentObject, style: BaseOxmlElement) -> None:
    """A list style of the template without numbering of its own takes its base's, or else the
    default template's (a list must show bullets or numbers, and List Number restarts from it)."""
    p_pr = style.get_or_add_pPr()
    if p_pr.numPr is not None and p_pr.numPr.numId is not None:
        return
    styles = document.styles.element
    for base in _chain(styles, style)[1:]:
        inherited = base.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
        if inherited is not None:
            p_pr.get_or_add_numPr().get_or_add_numId().val = int(inherited.get(qn("w:val")))
            return
    source_xml, numbering_xml = _defaults()
    default = next(s for s in parse_xml(source_xml).findall(qn("w:style")) if _name(s) == _name(style))
    num_id = default.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}").get(qn("w:val"))
    renamed = {default.get(qn("w:styleId")): style.get(qn("w:styleId"))}
    p_pr.get_or_add_numPr().get_or_add_numId().val = _copy_list(
        document, parse_xml(numbering_xml), num_id, renamed
    )


def _copy_list(document: DocumentObject, source: BaseOxmlElement, num_id: str | None, renamed: dict) -> int:
    """Copy list ``num_id`` of the default template's numbering (``source``) and its abstract
    definition into the document's numbering, under fresh ids; return the new list's id."""
    target = _numbering(document)
    num = next(n for n in source.findall(qn("w:num")) if n.get(qn("w:numId")) == num_id)
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a for a in source.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id
    )
    new_abstract, new_num = deepcopy(abstract), deepcopy(num)
    new_abstract_id = 1 + max(
        (int(a.get(qn("w:abstractNumId"))) for a in target.findall(qn("w:abstractNum"))), default=-1
    )
    new_num_id = 1 + max((int(n.get(qn("w:numId"))) for n in target.findall(qn("w:num"))), default=0)
    new_abstract.set(qn("w:abstractNumId"), str(new_abstract_id))
    for p_style in new_abstract.iter(qn("w:pStyle")):
        if p_style.get(qn("w:val")) in renamed:
            p_style.set(qn("w:val"), renamed[p_style.get(qn("w:val"))])
        else:
            p_style.getparent().remove(p_style)
    new_num.set(qn("w:numId"), str(new_num_id))
    new_num.find(qn("w:abstractNumId")).set(qn("w:val"), str(new_abstract_id))
    # The schema's order: picture bullets, abstract definitions, lists, then the cleanup mark.
    abstracts = target.findall(qn("w:abstractNum"))
    nums = target.findall(qn("w:num"))
    if abstracts:
        abstracts[-1].addnext(new_abstract)
    elif nums:
        nums[0].addprevious(new_abstract)
    else:
        pictures = target.findall(qn("w:numPicBullet"))
        if pictures:
            pictures[-1].addnext(new_abstract)
        else:
            target.insert(0, new_abstract)
    cleanup = target.find(qn("w:numIdMacAtCleanup"))
    if cleanup is not None:
        cleanup.addprevious(new_num)
    else:
        target.append(new_num)
    return new_num_id


def _numbering(document: DocumentObject) -> BaseOxmlElement:
    """The document's numbering definitions, a part made for them if the template has none."""
    part = document.part
    try:
        return part.part_related_by(RT.NUMBERING).element  # type: ignore[attr-defined]
    except KeyError:
        taken = {str(p.partname) for p in part.package.iter_parts()}
        name = "/word/numbering.xml"
        numbering = NumberingPart(
            PackURI(name) if name not in taken else part.package.next_partname("/word/numbering%d.xml"),
            CT.WML_NUMBERING,
            parse_xml(f"<w:numbering {nsdecls('w')}/>"),
            part.package,
        )
        part.relate_to(numbering, RT.NUMBERING)
        return numbering.element

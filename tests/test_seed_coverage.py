"""Both files of the Malaysia brief carry every sentence, pillar and bullet of seed 000."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from conftest import BRIEF, SEEDS, body_text, normalize, pdf_text

# Obvious slips of the source that the content files correct (see shared/seeds/README.md).
CORRECTIONS = {
    "Smart Planing": "Smart Planning",
    "Infrastucture": "Infrastructure",
    "4 of the 26 cites": "4 of the 26 cities",
    "the Task Force comprise members": "the Task Force comprises members",
    "Johor Baharu": "Johor Bahru",
    # The source's heading mislabels the section; ours names both the network and the partnership.
    "U.S.-ASEAN Smart City Network (ASCN)": (
        "ASEAN Smart Cities Network (ASCN) and the U.S.-ASEAN Smart Cities Partnership"
    ),
}


def seed_phrases() -> list[str]:
    """Every line of the seed, split into sentences; list markers and numbering removed."""
    text = (SEEDS / "000_4a65f15ed9e4bee6.txt").read_text(encoding="utf-8")
    for wrong, right in CORRECTIONS.items():
        text = text.replace(wrong, right)
    phrases: list[str] = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(•|\d+\.)\s*", "", line).strip()
        if not line:
            continue
        if re.fullmatch(r"[\w .'’-]+, [\w .]+", line):  # "Kota Kinabalu, Sabah": a table row now
            phrases += line.split(", ")
            continue
        phrases += [s for s in re.split(r"(?<=[.:])\s+(?=[A-Z“])", line) if s]
    return [normalize(p) for p in phrases]


PHRASES = seed_phrases()


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return normalize(" ".join(parts))


def test_the_seed_yields_enough_phrases_to_mean_something() -> None:
    assert len(PHRASES) > 60


@pytest.mark.parametrize("phrase", PHRASES, ids=lambda p: p[:40])
def test_every_seed_phrase_is_in_the_pdf(built: Path, phrase: str) -> None:
    assert phrase in body_text(pdf_text(built / f"{BRIEF}.pdf"))


@pytest.mark.parametrize("phrase", PHRASES, ids=lambda p: p[:40])
def test_every_seed_phrase_is_in_the_docx(built: Path, phrase: str) -> None:
    assert phrase in docx_text(built / f"{BRIEF}.docx")

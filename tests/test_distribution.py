"""Distribution-grade outputs: the same bytes every time, drafts marked and kept back, a dated
zip with a manifest, and no character that no font can draw."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import docx
import pytest

from briefgen.build import build
from briefgen.cli import main
from conftest import BRIEF, CONTENT, pdf_text, tool

COMMENTARY = "asean-smart-cities-5g-geopolitics"
SAMPLES = [BRIEF, COMMENTARY, "city-profile-bangkok"]


def set_status(content: Path, id: str, status: str) -> Path:
    path = content / "publications" / f"{id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: final", f"status: {status}"), encoding="utf-8")
    return path


def test_every_kind_builds_to_the_same_bytes_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for name in ("one", "two"):  # separate folders: charts drawn afresh in each
        build(CONTENT, tmp_path / name, only=SAMPLES)
    for id in SAMPLES:
        for suffix in (".pdf", ".docx"):
            assert (tmp_path / "one" / f"{id}{suffix}").read_bytes() == (
                tmp_path / "two" / f"{id}{suffix}"
            ).read_bytes()
    charts = sorted((tmp_path / "one" / ".cache" / "charts").iterdir())
    assert [c.read_bytes() for c in charts] == [
        (tmp_path / "two" / ".cache" / "charts" / c.name).read_bytes() for c in charts
    ]


def test_source_date_epoch_dates_the_word_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    build(CONTENT, tmp_path, only=[COMMENTARY])
    with zipfile.ZipFile(tmp_path / f"{COMMENTARY}.docx") as package:
        assert {info.date_time[:3] for info in package.infolist()} == {(2023, 11, 14)}


def test_a_draft_is_marked_on_every_page_and_in_the_word_header(content: Path, tmp_path: Path) -> None:
    set_status(content, COMMENTARY, "draft")
    build(content, tmp_path, only=[COMMENTARY])
    pages = pdf_text(tmp_path / f"{COMMENTARY}.pdf").split("\f")[:-1]
    assert pages and all("DRAFT – NOT FOR DISTRIBUTION" in page for page in pages)  # in capitals
    document = docx.Document(str(tmp_path / f"{COMMENTARY}.docx"))
    section = document.sections[0]
    for header in (section.header, section.first_page_header):
        assert "DRAFT – not for distribution" in [p.text for p in header.paragraphs]
    assert document.styles["Page Mark"].font.all_caps  # Word sets the same text in capitals


def test_a_final_publication_carries_no_draft_mark(built: Path) -> None:
    assert "DRAFT" not in pdf_text(built / f"{COMMENTARY}.pdf")
    section = docx.Document(str(built / f"{COMMENTARY}.docx")).sections[0]
    assert not any(
        "DRAFT" in p.text for p in section.header.paragraphs + section.first_page_header.paragraphs
    )


def test_dist_zips_the_final_publications_with_a_manifest_and_names_the_drafts_left_out(
    built: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    import shutil

    from briefgen.validate import validate_content

    out = tmp_path / "build"
    shutil.copytree(built, out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert main(["dist", "--content", str(CONTENT), "--out", str(out)]) == 0
    statuses = {id: r.model.status for id, r in validate_content(CONTENT).publications.items()}
    finals = [id for id, status in statuses.items() if status == "final"]
    drafts = [id for id, status in statuses.items() if status == "draft"]
    # The samples whose trade figures are illustrative are drafts.
    assert sorted(drafts) == ["malaysia-smart-cities", "malaysia-smart-cities-hccc", "vietnam-smart-cities"]
    printed = capsys.readouterr().out
    assert all(f"'{id}' is a draft: left out" in printed for id in drafts)
    assert "(3 draft(s) left out)" in printed
    package = out / "dist" / "briefgen-2023-11-14.zip"
    with zipfile.ZipFile(package) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        entry = next(e for e in manifest if e["id"] == COMMENTARY)
        assert (
            entry["title"] == "ASEAN Smart Cities: Balancing 5G and Geopolitics"
            and entry["date"] == "2020-04-29"
        )
        assert (
            entry["files"][f"{COMMENTARY}.pdf"]
            == hashlib.sha256(archive.read(f"{COMMENTARY}.pdf")).hexdigest()
        )
        assert sorted(e["id"] for e in manifest) == sorted(finals)
        assert len(archive.namelist()) == 2 * len(finals) + 1
    first = package.read_bytes()
    assert main(["dist", "--content", str(CONTENT), "--out", str(out)]) == 0
    assert package.read_bytes() == first  # the same build packs to the same bytes


def test_dist_with_nothing_final_ships_nothing_and_names_every_draft(
    content: Path, tmp_path: Path, capsys
) -> None:
    for path in (content / "publications").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if "status:" in text:
            path.write_text(text.replace("status: final", "status: draft"), encoding="utf-8")
        else:
            path.write_text(text + "status: draft\n", encoding="utf-8")
    assert main(["dist", "--content", str(content), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    path = content / "publications" / f"{COMMENTARY}.yaml"
    line = path.read_text(encoding="utf-8").splitlines().index("status: draft") + 1
    assert f"{COMMENTARY}.yaml:{line}: '{COMMENTARY}' is a draft: left out — set `status: final`" in err
    assert not (tmp_path / "dist").exists()


def test_the_glyph_preflight_names_the_file_line_and_character(content: Path, capsys) -> None:
    path = content / "cities" / "bangkok.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Traffy Fondue", "Traffy Fondue \U0001f1f9\U0001f1ed"),
        encoding="utf-8",
    )
    line_no = next(
        i for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "Traffy" in text
    )
    assert main(["validate", "--content", str(content)]) == 1
    err = capsys.readouterr().err.splitlines()
    for letter, code in (("T", "1F1F9"), ("H", "1F1ED")):  # Thailand's flag: in no installed font
        assert any(
            line.endswith(
                f"cities/bangkok.yaml:{line_no}: no font the templates use has U+{code}"
                f" REGIONAL INDICATOR SYMBOL LETTER {letter} — remove it, or add a font that has it to a font"
                " stack in templates/shared/theme.yaml"
            )
            for line in err
        )


def test_an_archival_pdf_is_pdfa_3b_tagged_with_its_source_and_data_attached(tmp_path: Path) -> None:
    import re
    import subprocess

    import pypdf

    build(CONTENT, tmp_path, only=[BRIEF], archival=True)
    path = tmp_path / f"{BRIEF}.pdf"
    checked = subprocess.run([tool("qpdf", "qpdf"), "--check", str(path)], capture_output=True, check=False)
    assert checked.returncode == 0, checked.stdout
    reader = pypdf.PdfReader(path)
    catalog = reader.trailer["/Root"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*B", xmp)
    assert catalog["/Lang"] == "en" and catalog["/MarkInfo"]["/Marked"] and "/StructTreeRoot" in catalog
    attachments = {name: data[0] for name, data in reader.attachments.items()}
    assert attachments[f"{BRIEF}.yaml"] == (CONTENT / "publications" / f"{BRIEF}.yaml").read_bytes()
    csv = attachments[f"{BRIEF}-trade-data.csv"].decode().splitlines()
    assert csv[0] == "row,2016,2017,2018,2019 (e),2020 (e)"
    assert '"Total Market Size",2010,2235,2530,2860,3240' in csv

    def alts(node, found):
        node = node.get_object()
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and isinstance(kid.get_object(), dict):
                alts(kid, found)
        return found

    figures = alts(catalog["/StructTreeRoot"], [])
    assert figures[0] == "U.S. Commercial Service logo"  # the logo band, then the three charts
    assert len(figures) == 4 and all(len(alt) > 20 for alt in figures)


def test_a_client_edition_says_who_it_is_prepared_for(tmp_path: Path, capsys) -> None:
    import pypdf

    client = "example-utilities"
    argv = [
        "build",
        "--content",
        str(CONTENT),
        "--out",
        str(tmp_path),
        "--edition",
        client,
        BRIEF,
        COMMENTARY,
    ]
    assert main(argv) == 0
    folder = tmp_path / "editions" / client
    for id in (BRIEF, COMMENTARY):
        pdf = folder / f"{id}.pdf"
        first = " ".join(pdf_text(pdf).split("\f")[0].split())
        assert "Prepared for Procurement Team, Example Utilities Inc." in first
        assert pypdf.PdfReader(pdf).metadata.subject.startswith(
            "Prepared for Procurement Team, Example Utilities"
        )
        texts = [p.text for p in docx.Document(str(folder / f"{id}.docx")).paragraphs]
        assert "Prepared for Procurement Team, Example Utilities Inc." in texts
    assert not (tmp_path / f"{BRIEF}.pdf").exists()  # the main build is not touched
    capsys.readouterr()
    assert main(argv) == 0  # editions use the same incremental tracking
    assert "0 built, 2 skipped" in capsys.readouterr().out


def test_an_unknown_client_is_a_located_error(tmp_path: Path, capsys) -> None:
    assert (
        main(["build", "--content", str(CONTENT), "--out", str(tmp_path), "--edition", "nobody", BRIEF]) == 1
    )
    assert "no client 'nobody' — add content/clients/nobody.yaml, or choose from: example-utilities" in (
        capsys.readouterr().err
    )

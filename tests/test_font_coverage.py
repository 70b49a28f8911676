"""The glyph preflight reads which characters a font family covers from the font files' cmaps
(fontTools), with or without fontconfig, and keeps what it read in a cache that a changed font
file, a corrupt cache or an unwritable cache folder cannot mislead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import fontcache
from briefgen.fontcache import cache_dir, cache_file, covered_ranges, fold

FAMILY = "Briefgen Test Sans"


def make_font(path: Path, chars: str, family: str = FAMILY) -> Path:
    """A small TrueType font named ``family`` whose cmap maps exactly ``chars`` (empty glyphs)."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    glyphs = [".notdef", *(f"u{ord(c):04X}" for c in chars)]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(glyphs)
    builder.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    builder.setupGlyf({name: TTGlyphPen(None).glyph() for name in glyphs})
    builder.setupHorizontalMetrics({name: (500, 0) for name in glyphs})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def covers(ranges: list[tuple[int, int]], char: str) -> bool:
    return any(low <= ord(char) <= high for low, high in ranges)


def spelled(ranges: list[tuple[int, int]]) -> str:
    """The characters of (small) ranges, in order: ``[(65, 67)]`` is ``"ABC"``."""
    return "".join(chr(code) for low, high in ranges for code in range(low, high + 1))


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test starts with its own empty cache folder."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(folder))
    return folder


@pytest.mark.parametrize(
    ("family", "char"),
    [
        ("Liberation Sans", "A"),
        ("Liberation Sans", "é"),
        ("Liberation Sans", "ก"),  # Thai: not in a Latin font
        ("Liberation Sans", "\ue000"),  # private use: in no font the theme names
        ("Noto Sans Thai", "ก"),
        ("Noto Sans Thai", "北"),
        ("Noto Sans CJK SC", "北"),  # from a collection (.ttc), whose first face is CJK JP
        ("Noto Sans CJK TC", "臺"),
        ("Noto Sans Khmer", "ក"),
        ("noto sans thai", "ข"),  # fontconfig ignores case and spaces in family names
    ],
)
def test_a_family_covers_what_fontconfig_says_it_covers(family: str, char: str) -> None:
    fc_list = shutil.which("fc-list") or pytest.skip("no fc-list (fontconfig) to compare with")
    listing = subprocess.run(
        [fc_list, f"{family}:charset={ord(char):x}", "family"], capture_output=True, text=True, check=True
    ).stdout
    assert covers(covered_ranges([family]), char) == bool(listing.strip())


def test_the_theme_families_cover_the_same_characters_with_and_without_fontconfig(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    families = ["Liberation Sans", "Noto Sans Thai", "Noto Sans CJK SC", "Noto Sans Khmer"]
    with_fontconfig = covered_ranges(families)
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))  # no fc-list, as on Windows and on macOS without Homebrew
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "other-cache"))
    assert covered_ranges(families) == with_fontconfig


def test_a_font_in_the_users_font_folder_is_found_without_fontconfig(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_font(tmp_path / "data" / "fonts" / "test.ttf", "Aĳ")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert spelled(covered_ranges([FAMILY])) == "Aĳ"


def test_a_second_check_reads_no_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    font = make_font(tmp_path / "test.ttf", "ABCXYZ")
    assert covered_ranges([FAMILY], [font]) == [(ord("A"), ord("C")), (ord("X"), ord("Z"))]  # sorted ranges

    def unexpected(*args: object) -> None:
        raise AssertionError(f"read a font again: {args}")

    monkeypatch.setattr(fontcache, "_read_names", unexpected)
    monkeypatch.setattr(fontcache, "_read_ranges", unexpected)
    assert spelled(covered_ranges([FAMILY], [font])) == "ABCXYZ"


def test_a_font_file_changed_in_place_is_read_again(tmp_path: Path) -> None:
    font = make_font(tmp_path / "test.ttf", "ACE")
    assert spelled(covered_ranges([FAMILY], [font])) == "ACE"
    before = font.stat()
    make_font(font, "ACG")  # the same size: only the time of change tells
    assert font.stat().st_size == before.st_size
    os.utime(font, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert spelled(covered_ranges([FAMILY], [font])) == "ACG"


@pytest.mark.parametrize(
    "corrupt",
    [
        b"",
        b"\x00\xff not json",
        b'{"format": 1, "fonts": {',  # cut short by a full disk
        b'{"format": 999, "fonts": {}}',
        b"[1, 2, 3]",
        b'{"format": 1, "fonts": {"PATH": {"size": "big", "mtime_ns": 0, "faces": []}}}',
        b'{"format": 1, "fonts": {"PATH": {"size": 0, "mtime_ns": 0, "faces": [{"families": [], '
        b'"ranges": [65]}]}}}',
    ],
)
def test_a_corrupt_cache_is_rebuilt(tmp_path: Path, corrupt: bytes) -> None:
    font = make_font(tmp_path / "test.ttf", "ABC")
    cache_file().parent.mkdir(parents=True)
    cache_file().write_bytes(corrupt.replace(b"PATH", str(font).encode()))
    assert spelled(covered_ranges([FAMILY], [font])) == "ABC"
    data = json.loads(cache_file().read_bytes())
    assert data["fonts"][str(font)]["faces"] == [{"families": [FAMILY], "ranges": [65, 67]}]


def test_a_cache_folder_that_cannot_be_written_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    font = make_font(tmp_path / "test.ttf", "ABC")
    (tmp_path / "a-file").write_text("in the way", encoding="utf-8")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    assert spelled(covered_ranges([FAMILY], [font])) == "ABC"


def test_a_file_that_is_no_font_covers_nothing(tmp_path: Path) -> None:
    fake = tmp_path / "fake.ttf"
    fake.write_bytes(b"\x00\x01\x00\x00 not really a font")
    font = make_font(tmp_path / "test.ttf", "A")
    assert spelled(covered_ranges([FAMILY], [fake, font])) == "A"


def test_the_faces_of_several_files_of_a_family_add_up(tmp_path: Path) -> None:
    regular = make_font(tmp_path / "regular.ttf", "ABC")
    other = make_font(tmp_path / "other.ttf", "CDE")
    unrelated = make_font(tmp_path / "unrelated.ttf", "XYZ", family="Another Family")
    assert covered_ranges([FAMILY.upper()], [regular, other, unrelated]) == [
        (ord("A"), ord("E"))
    ]  # one range


@pytest.mark.parametrize(
    ("name", "folded"),
    [
        ("Noto Sans CJK SC", "notosanscjksc"),
        ("Noto Sans PauCinHau", "notosanspaucinhau"),
        ("DejaVu Sans", "dejavusans"),
    ],
)
def test_family_names_compare_without_case_or_spaces(name: str, folded: str) -> None:
    assert fold(name) == folded


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux locations")
@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BRIEFGEN_CACHE_DIR": "/tmp/chosen"}, "/tmp/chosen"),
        ({"XDG_CACHE_HOME": "/var/cache/me"}, "/var/cache/me/briefgen"),
        ({"XDG_CACHE_HOME": "relative/ignored", "HOME": "/home/me"}, "/home/me/.cache/briefgen"),
        ({"HOME": "/home/me"}, "/home/me/.cache/briefgen"),
    ],
)
def test_the_cache_lives_in_the_users_cache_folder(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str
) -> None:
    for name in ("BRIEFGEN_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert cache_dir() == Path(expected)


def test_checks_that_save_the_cache_at_once_leave_a_whole_one(tmp_path: Path) -> None:
    fonts = [make_font(tmp_path / f"{chars}.ttf", chars) for chars in ("AB", "CD", "EF", "GH")]
    script = (
        "import sys\n"
        "from briefgen.fontcache import covered_ranges\n"
        "print(covered_ranges([sys.argv[1]], sys.argv[2:]))\n"
    )
    command = [sys.executable, "-c", script, FAMILY, *map(str, fonts)]
    checks = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(4)]
    assert [check.communicate()[0] for check in checks] == ["[(65, 72)]\n"] * 4
    data = json.loads(cache_file().read_bytes())
    assert {path: entry["faces"][0]["ranges"] for path, entry in data["fonts"].items()} == {
        str(font): [ord(font.stem[0]), ord(font.stem[1])] for font in fonts
    }
    assert list(cache_dir().iterdir()) == [cache_file()], "a temporary file was left behind"

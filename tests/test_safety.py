"""Untrusted content reaches no file and no network; interrupted and parallel builds lose nothing;
random content ends in a build or a located error, never a traceback."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import docx
import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.atomic import sweep_stale
from briefgen.build import build, prepare
from briefgen.cli import main
from briefgen.errors import BriefgenError
from briefgen.paths import TEMPLATES
from briefgen.render import Rendered, shared_theme
from briefgen.resources import Resources
from briefgen.validate import validate_content
from briefgen.writers import Layout
from briefgen.writers.pdf import PdfWriter
from conftest import BRIEF, CONTENT

CITY = "cities/kuala-lumpur.yaml"
PUBLICATION = f"publications/{BRIEF}.yaml"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every attempt to open a connection, recorded and refused."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("the network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


def html_document(head: str, body: str) -> Rendered:
    html = f"<!DOCTYPE html><html lang='en'><head><title>T</title>{head}</head><body>{body}</body></html>"
    return Rendered("t", "market-brief", html, (), shared_theme().with_house_style({}, {}), "a4")


@pytest.mark.parametrize(
    ("head", "body"),
    [
        ("", '<p><img src="http://127.0.0.1:9/x.png" alt="x"></p>'),
        ('<link rel="stylesheet" href="http://127.0.0.1:9/x.css">', "<p>x</p>"),
        ("<style>@import url(https://127.0.0.1:9/x.css);</style>", "<p>x</p>"),
        ("<style>p { background: url(http://127.0.0.1:9/bg.png) }</style>", "<p>x</p>"),
    ],
    ids=["image", "stylesheet", "import", "background"],
)
def test_the_pdf_writer_makes_no_network_request(tmp_path: Path, no_network, head: str, body: str) -> None:
    content = tmp_path / "content"
    content.mkdir()
    resources = Resources(content, {}, content / "publications" / "t.yaml")
    with pytest.raises(BriefgenError, match="is not a project file"):
        PdfWriter().write(html_document(head, body), resources, tmp_path / "t.pdf", Layout())
    assert no_network == []


def test_content_naming_a_web_image_is_refused_before_anything_is_fetched(content: Path, no_network) -> None:
    path = content / CITY
    path.write_text(
        re.sub(
            r"summary: .*",
            'summary: "![x](http://127.0.0.1:9/x.png) City Hall"',
            path.read_text(encoding="utf-8"),
        ),
        encoding="utf-8",
    )
    with pytest.raises(BriefgenError) as exc:
        validate_content(content)
    assert "image 'http://127.0.0.1:9/x.png' is not a file inside the content folder" in str(exc.value)
    assert no_network == []


def test_an_image_symlinked_out_of_the_content_folder_is_refused(content: Path) -> None:
    (content / "images" / "secret.png").symlink_to("/etc/hostname")
    path = content / CITY
    path.write_text(
        re.sub(
            r"summary: .*", 'summary: "![x](images/secret.png) City Hall"', path.read_text(encoding="utf-8")
        ),
        encoding="utf-8",
    )
    with pytest.raises(BriefgenError, match=r"image 'images/secret\.png' is outside the content folder"):
        validate_content(content)


def test_yaml_cannot_construct_python_objects(content: Path) -> None:
    (content / CITY).write_text("name: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(BriefgenError, match=r"kuala-lumpur\.yaml:1: .*python/object"):
        validate_content(content)


@pytest.fixture
def own_entry(content: Path) -> Path:
    """The project's own copy of the market brief's template, beside its content, to break."""
    path = content.parent / "templates" / "market-brief" / "publication.html.j2"
    path.parent.mkdir(parents=True)
    shutil.copy(TEMPLATES / "market-brief" / "publication.html.j2", path)
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("{% if p.web_resources %}", "{% if p.web_resources %", "template syntax error"),
        ("{{ p.summary }}", "{{ p.summery }}", "template error: 'renamed.View object' has no attribute"),
    ],
)
def test_a_template_mistake_names_the_template_and_line(
    own_entry: Path, content: Path, tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = own_entry.read_text(encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    own_entry.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BriefgenError) as exc:
        prepare(content, tmp_path / "out", only=[BRIEF])
    problem = exc.value.problems[0]
    assert Path(problem.path).resolve() == own_entry.resolve()
    assert problem.line in (line, line + 1)  # Jinja notices an unclosed tag on the next line
    assert message.split("'renamed")[0] in problem.message


def test_temporary_files_of_a_killed_build_are_swept_but_a_running_builds_are_kept(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".{BRIEF}.pdf.{dead.pid}.abc123.tmp"
    live = tmp_path / f".{BRIEF}.docx.{os.getpid()}.def456.tmp"
    stale.write_bytes(b"half")
    live.write_bytes(b"half")
    assert sweep_stale(tmp_path) == [stale]
    assert live.exists() and not stale.exists()


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.glob(f"{BRIEF}.*")}


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*.tmp")]


def test_an_interrupted_build_leaves_every_file_whole_and_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(CONTENT, out, only=[BRIEF])
    before = outputs(out)
    command = [sys.executable, "-m", "briefgen", "build", "--content", str(CONTENT), "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)  # well into writing the 29 publications
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    # 130 as a rule; 1 when the interrupt lands inside WeasyPrint, which reports it as a failed
    # image (and so the build refuses to replace anything): either way no file is half-written.
    assert process.returncode in (0, 1, 130), err
    after = outputs(out)
    for name, data in after.items():  # each file is the old one or a whole new one
        assert data == before[name] or (out / name).stat().st_size > 1000
    pypdf.PdfReader(out / f"{BRIEF}.pdf")
    docx.Document(str(out / f"{BRIEF}.docx"))
    assert temporaries(out) == []


def test_two_builds_into_one_folder_do_not_corrupt_each_other(tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "briefgen",
        "build",
        "--content",
        str(CONTENT),
        "--out",
        str(out),
        BRIEF,
        "asean-smart-cities-5g-geopolitics",
    ]
    processes = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for process in processes:
        process.communicate(timeout=300)
        assert process.returncode == 0
    for id in (BRIEF, "asean-smart-cities-5g-geopolitics"):
        assert len(pypdf.PdfReader(out / f"{id}.pdf").pages) >= 2
        assert docx.Document(str(out / f"{id}.docx")).paragraphs
    assert temporaries(out) == []


# --- fuzzing --------------------------------------------------------------------------------------

PIECES = st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    [
        "\x00",
        "\x07",
        "\u202e",
        "\u200b",
        "\ufeff",
        "\ufffd",
        "e\u0301",
        "🇲🇾",
        "กรุงเทพ",
        "<script>",
        "&amp;",
        "{{ x }}",
        "{% raw %}",
        "\t",
        "\r\n",
        "#",
        "[x](#)",
        "[^1]",
        "\\",
        '"',
        "'",
        ": ",
        "- ",
        "*",
        "\n\n",
    ]
)
EDGE_TEXT = st.lists(PIECES, max_size=120).map("".join)  # Unicode edge cases among ordinary text


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(CONTENT, root)
    return root


def located(error: BriefgenError, root: Path) -> bool:
    return all(
        str(p).split(":")[0].endswith((".yaml", ".j2")) or str(root) in str(p.path) for p in error.problems
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=EDGE_TEXT | st.text(max_size=2000))
def test_any_file_text_loads_or_gives_a_located_error(sample: Path, text: str) -> None:
    path = sample / CITY
    original = path.read_bytes()
    try:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        validate_content(sample)
    except BriefgenError as exc:
        assert all(p.path == path or "publications" in str(p.path) for p in exc.problems), exc
    finally:
        path.write_bytes(original)


YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.dates() | EDGE_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.dictionaries(
        st.sampled_from(
            [
                "kind",
                "publisher",
                "country",
                "sector",
                "published",
                "summary",
                "trade_data",
                "figures",
                "leading_subsectors",
                "other_cities",
                "policies",
                "status",
                "paper",
                "web_resources",
                "x",
            ]
        ),
        YAML_VALUES,
        max_size=8,
    )
)
def test_any_yaml_shape_validates_or_gives_located_errors(sample: Path, data: dict) -> None:
    path = sample / PUBLICATION
    original = path.read_bytes()
    try:
        path.write_text(
            yaml.safe_dump({"kind": "market-brief", **data}, allow_unicode=True), encoding="utf-8"
        )
        validate_content(sample)
    except BriefgenError as exc:
        assert exc.problems and all(p.line is None or p.line >= 1 for p in exc.problems)
    finally:
        path.write_bytes(original)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prose=EDGE_TEXT
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=500, max_size=3000)
)
def test_any_prose_builds_to_pdf_and_docx_or_gives_a_located_error(
    sample: Path, tmp_path_factory, caplog, prose: str
):
    path = sample / PUBLICATION
    original = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(original)
        data["leading_subsectors"][0]["body"] = prose
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        out = tmp_path_factory.mktemp("fuzz-out")
        assert main(["build", "--content", str(sample), "--out", str(out), BRIEF]) in (0, 1)
    finally:
        path.write_text(original, encoding="utf-8")
        caplog.clear()  # random characters no font has: WeasyPrint warns, and the build refuses them


def test_the_fuzzed_build_really_builds_ordinary_prose(sample: Path, tmp_path: Path) -> None:
    assert main(["build", "--content", str(sample), "--out", str(tmp_path), BRIEF]) == 0
    assert (tmp_path / f"{BRIEF}.pdf").exists()

"""briefgen preview: a page on 127.0.0.1 that shows the built pages and follows every save."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefgen.errors import BriefgenError
from briefgen.preview import Preview
from conftest import CONTENT, edit, tool

COMMENTARY = "asean-smart-cities-5g-geopolitics"  # three pages: quick to build and to render
TITLE = "ASEAN Smart Cities: Balancing 5G and Geopolitics"


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    """A preview of the commentary, built once for the tests that only look at it."""
    root = tmp_path_factory.mktemp("preview")
    shutil.copytree(CONTENT, root / "content")
    with Preview(root / "content", root / "build", [COMMENTARY], verbosity=-1, watch=False) as running:
        running.wait(1)
        yield running


def fetch(preview: Preview, path: str, host: str | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    """GET ``path`` exactly as written (no client tidies it up first)."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or f"127.0.0.1:{preview.port}")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def state(preview: Preview) -> dict:
    return json.loads(fetch(preview, "/state.json")[2])


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_the_publications_title_and_its_page_images(preview: Preview):
    status, headers, body = fetch(preview, "/")
    page = body.decode()
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert f'<h1 id="title">{TITLE}</h1>' in page
    images = re.findall(r'<img class="page" src="([^"]+)" width="(\d+)" height="(\d+)"', page)
    assert len(images) == 3  # the commentary's pages
    for src, width, height in images:
        status, headers, png = fetch(preview, src)
        assert status == 200 and headers["Content-Type"] == "image/png" and png.startswith(b"\x89PNG")
        assert (int(width), int(height)) == (794, 1123)  # A4 at 96 dpi: one pixel a CSS pixel
    assert 'id="errors"' not in page


def test_the_page_links_the_pdf_it_shows(preview: Preview):
    (shown,) = state(preview)["publications"]
    assert shown["pdf"] == f"/pdf/{COMMENTARY}.pdf"
    status, headers, pdf = fetch(preview, shown["pdf"])
    assert status == 200 and headers["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF-")


def test_it_listens_on_the_loopback_address_only(preview: Preview):
    assert preview._server.server_address[0] == "127.0.0.1"
    assert preview.url == f"http://127.0.0.1:{preview.port}/"
    address = "127.0.0.1"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe, contextlib.suppress(OSError):
        probe.connect(("192.0.2.1", 9))  # UDP: sends nothing, only picks this machine's own address
        address = probe.getsockname()[0]
    if not address.startswith("127."):  # a machine with a network: that address finds no server
        with pytest.raises(ConnectionRefusedError), socket.create_connection((address, preview.port), 5):
            pass


@pytest.mark.parametrize(
    "path",
    [
        "/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/pages/../../../etc/passwd",
        "/pages/1/..%2f..%2f..%2fetc%2fpasswd",
        "//etc/passwd",
        "/%2Fetc/passwd",
        "/etc/passwd",
        "/pages/1/..\\..\\x.png",
        "/pages/1/%00.png",
        f"/{COMMENTARY}.pdf",  # in the build folder, but not a file of the preview's
        "/.briefgen.json",
        "/pdf/../.briefgen.json",
        "/preview.html",
        "http://example.com/",
    ],
)
def test_it_serves_nothing_outside_its_own_files(preview: Preview, path: str):
    status, _, body = fetch(preview, path)
    assert status in (403, 404)
    assert b"root:" not in body and b'"publications"' not in body


def test_it_answers_no_other_host_than_its_own(preview: Preview):
    """A site whose name another DNS answer points at 127.0.0.1 reads nothing (DNS rebinding)."""
    assert fetch(preview, "/", host=f"evil.example:{preview.port}")[0] == 403
    assert fetch(preview, "/", host=f"localhost:{preview.port}")[0] == 200


def test_nothing_is_cached_and_the_page_runs_only_its_own_script_and_style(preview: Preview):
    page = fetch(preview, "/")[2].decode()
    image = re.search(r'<img class="page" src="([^"]+)"', page)
    assert image
    for path in ("/", "/state.json", image.group(1), "/nothing-here"):
        _, headers, _ = fetch(preview, path)
        assert headers["Cache-Control"] == "no-store"
        assert headers["X-Content-Type-Options"] == "nosniff"
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    for tag in ("script", "style"):
        (inline,) = re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        digest = base64.b64encode(hashlib.sha256(inline.encode()).digest()).decode()
        assert f"{tag}-src 'sha256-{digest}'" in policy


def test_events_announce_each_build_as_it_starts_and_ends(preview: Preview):
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=30)
    try:
        connection.request("GET", "/events")
        response = connection.getresponse()
        assert response.headers["Content-Type"] == "text/event-stream"

        def event() -> dict:
            while not (line := response.readline().decode()).startswith("data: "):
                assert line, "the stream ended"
            return json.loads(line.removeprefix("data: "))

        now = event()
        assert now["building"] is False
        preview.rebuild()
        assert event() == {"generation": now["generation"], "building": True}
        assert event() == {"generation": now["generation"] + 1, "building": False}
    finally:
        connection.close()


def test_changes_during_a_build_make_exactly_one_more_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import briefgen.build

    started, release, calls = threading.Semaphore(0), threading.Event(), []

    def slow_build(*args: object, **kwargs: object) -> list:
        calls.append(args)
        started.release()
        assert release.wait(30)
        return []

    monkeypatch.setattr(briefgen.build, "build", slow_build)
    with Preview(CONTENT, tmp_path / "build", [COMMENTARY], verbosity=-1, watch=False) as preview:
        assert started.acquire(timeout=30)  # the first build is under way
        for _ in range(3):
            preview.rebuild()
        release.set()
        preview.wait(2)
        time.sleep(0.3)  # time enough for a third build to start, were there one
        assert preview.snapshot.generation == 2 and not preview.snapshot.building
    assert len(calls) == 2


def test_a_bug_in_a_build_is_shown_and_the_preview_goes_on(tmp_path: Path, monkeypatch, capsys):
    import briefgen.build

    def broken_build(*args: object, **kwargs: object) -> list:
        raise RuntimeError("<boom>")

    monkeypatch.setattr(briefgen.build, "build", broken_build)
    with Preview(CONTENT, tmp_path / "build", [COMMENTARY], verbosity=-1, watch=False) as preview:
        preview.wait(1)
        preview.rebuild()
        preview.wait(2)
        page = fetch(preview, "/")[2].decode()
    assert "briefgen: internal error: RuntimeError(&#39;&lt;boom&gt;&#39;)" in page
    assert "Traceback (most recent call last)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "watched"),
    [
        ("content/publications/brief.yaml", True),
        ("content/data/trade.csv", True),
        ("templates/commentary/style.css", True),
        ("content/publications/.brief.yaml.swp", False),  # an editor's swap file
        ("content/publications/brief.yaml~", False),  # an editor's backup
        ("content/build/brief.pdf", False),  # an output folder inside the content folder
        ("content/build/.cache/charts/chart.svg", False),
        ("content/build", False),
    ],
)
def test_the_watcher_follows_inputs_not_outputs(tmp_path: Path, name: str, watched: bool):
    from watchfiles import Change

    from briefgen.preview import _Inputs

    assert _Inputs(tmp_path / "content" / "build")(Change.modified, str(tmp_path / name)) is watched


# --- errors -----------------------------------------------------------------------------------


def test_the_error_panel_shows_each_problem_escaped(content: Path, tmp_path: Path, capsys):
    source = content / "publications" / f"{COMMENTARY}.yaml"
    edit(source, "publisher: rsis", 'publisher: "<b>rsis</b>"')
    with Preview(content, tmp_path / "build", [COMMENTARY], verbosity=-1) as preview:
        preview.wait(1)
        page = fetch(preview, "/")[2].decode()
        problems = state(preview)["problems"]
    assert len(problems) == 1 and f"{COMMENTARY}.yaml:9: unknown publisher '<b>rsis</b>'" in problems[0]
    panel = re.search(r'<section id="errors"[^>]*>(.*?)</section>', page, re.S)
    assert panel, "no error panel"
    assert "unknown publisher &#39;&lt;b&gt;rsis&lt;/b&gt;&#39;" in panel.group(1)
    assert "<b>" not in page
    assert problems[0] in capsys.readouterr().err  # the terminal says it too


def test_a_port_in_use_is_refused_in_one_line(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(BriefgenError) as error:
            Preview(CONTENT, tmp_path / "build", port=port)
    assert [str(p) for p in error.value.problems] == [
        f"briefgen preview: port {port} on 127.0.0.1 is in use — choose another: --port 0 picks one"
    ]


def test_without_pdftoppm_the_page_links_the_pdf(preview: Preview, monkeypatch: pytest.MonkeyPatch):
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "pdftoppm" else which(name))
    with Preview(preview.content, preview.out, [COMMENTARY], verbosity=-1) as plain:
        plain.wait(1)
        page = fetch(plain, "/")[2].decode()
    assert "pdftoppm is not installed" in page and f'<a href="/pdf/{COMMENTARY}.pdf">' in page
    assert "<img" not in page


# --- the command ------------------------------------------------------------------------------


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_the_command_prints_its_address_and_stops_cleanly(preview: Preview, stop: int, tmp_path: Path):
    command = [sys.executable, "-m", "briefgen", "preview", COMMENTARY, "--port", "0"]
    command += ["--content", str(preview.content), "--out", str(preview.out)]
    env = {**os.environ, "TMPDIR": str(tmp_path)}  # where it keeps its page images
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as running:
        try:
            assert running.stdout
            first = running.stdout.readline()
            found = re.fullmatch(r"preview: http://127\.0\.0\.1:(\d+)/\n", first)
            assert found, first
            port = int(found.group(1))
            assert port != 0
            deadline = time.monotonic() + 60
            while True:  # Ctrl-C once the build is done: one under way would be finished first
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", "/state.json")
                now = json.loads(connection.getresponse().read())
                connection.close()
                if now["generation"] and not now["building"]:
                    break
                assert time.monotonic() < deadline, "the first build did not finish"
                time.sleep(0.1)
            assert list(tmp_path.glob("briefgen-preview-*"))
            running.send_signal(stop)
            out, err = running.communicate(timeout=10)
        finally:
            if running.poll() is None:
                running.kill()
    assert running.returncode == 0, err
    assert out.endswith("preview: stopped\n")
    assert not list(tmp_path.iterdir())  # it tidied up


# --- in a real browser ------------------------------------------------------------------------


class WebDriver:
    """Just enough of the W3C WebDriver protocol (JSON over HTTP) to drive chromedriver."""

    def __init__(self, port: int) -> None:
        self.port, self.session = port, ""

    def call(self, method: str, path: str, body: dict | None = None) -> object:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            data = json.dumps(body).encode() if body is not None else None
            connection.request(method, path, data, {"Content-Type": "application/json"})
            reply = json.loads(connection.getresponse().read() or b"{}")
        finally:
            connection.close()
        value = reply.get("value")
        if isinstance(value, dict) and "error" in value:
            raise RuntimeError(f"{value['error']}: {value.get('message', '')[:300]}")
        return value

    def script(self, source: str) -> object:
        return self.call("POST", f"/session/{self.session}/execute/sync", {"script": source, "args": []})


# What the test reads of the page: a mark that a reload clears, the build shown, the title, the
# error panel's lines and each page image (its address, and its width once it has loaded).
LOOK = """
const images = [...document.querySelectorAll("img.page")];
return {
  marked: window.briefgenTestMark === true,
  generation: document.body ? document.body.dataset.generation : null,
  title: document.getElementById("title")?.textContent ?? null,
  errors: [...document.querySelectorAll("#errors li")].map((li) => li.textContent),
  images: images.map((img) => [img.getAttribute("src"), img.complete ? img.naturalWidth : 0]),
};
"""


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[WebDriver]:
    """Headless Chromium, driven through chromedriver."""
    chromium, chromedriver = tool("chromium", "chromium"), tool("chromedriver", "chromium-driver")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    driver = subprocess.Popen(
        [chromedriver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    webdriver = WebDriver(port)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError):
                if webdriver.call("GET", "/status")["ready"]:  # type: ignore[index]
                    break
            assert time.monotonic() < deadline, "chromedriver did not start"
            time.sleep(0.1)
        flags = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
        ]
        flags += ["--disable-quic", "--disable-background-networking", "--disable-component-update"]
        flags += ["--disable-sync", f"--user-data-dir={tmp_path / 'chromium'}", "--window-size=1200,900"]
        options = {"binary": chromium, "args": flags}
        logged = {"browser": "ALL"}  # the console, where a blocked script or style would show
        capabilities = {
            "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": options,
                "goog:loggingPrefs": logged,
            }
        }
        session = webdriver.call("POST", "/session", {"capabilities": capabilities})
        webdriver.session = session["sessionId"]  # type: ignore[index]
        yield webdriver
        webdriver.call("DELETE", f"/session/{webdriver.session}")
    finally:
        driver.terminate()
        driver.wait(timeout=30)


def until(browser: WebDriver, what: str, check: Callable[[dict], bool], seconds: float = 60) -> dict:
    """The page as it looks once ``check`` holds; it may reload meanwhile."""
    deadline, seen = time.monotonic() + seconds, {}
    while time.monotonic() < deadline:
        with contextlib.suppress(RuntimeError):  # asked while the page reloads
            seen = browser.script(LOOK)  # type: ignore[assignment]
            if check(seen):
                return seen
        time.sleep(0.2)
    raise AssertionError(f"the page never showed {what}; it showed {seen}")


def loaded(page: dict) -> bool:
    return bool(page["images"]) and all(width > 0 for _, width in page["images"])


def test_a_real_browser_shows_each_save_without_being_asked(
    browser: WebDriver, content: Path, tmp_path: Path
):
    """Chromium loads the page once; every later change comes from the page reloading itself."""
    source = content / "publications" / f"{COMMENTARY}.yaml"
    with Preview(content, tmp_path / "build", [COMMENTARY], verbosity=-1) as preview:
        preview.wait(1)
        browser.call("POST", f"/session/{browser.session}/url", {"url": preview.url})
        first = until(browser, "the pages", lambda page: page["title"] == TITLE and loaded(page))
        assert len(first["images"]) == 3 and first["errors"] == []

        browser.script("window.briefgenTestMark = true;")  # gone once the page reloads
        edit(source, TITLE, "Smart Cities, Seen in a Browser")
        changed = until(
            browser,
            "the new title",
            lambda page: page["title"] == "Smart Cities, Seen in a Browser" and loaded(page),
        )
        assert not changed["marked"] and changed["generation"] != first["generation"]
        assert {src for src, _ in changed["images"]}.isdisjoint(src for src, _ in first["images"])

        browser.script("window.briefgenTestMark = true;")
        edit(source, '"Smart Cities, Seen in a Browser"', '"Smart Cities, Seen in a Browser')
        broken = until(browser, "the error panel", lambda page: bool(page["errors"]))
        (line,) = broken["errors"]
        assert re.match(rf".*{COMMENTARY}\.yaml:\d+: YAML syntax error: .+ — .+", line), line
        assert not broken["marked"] and loaded(broken)  # the last good pages stay below the panel

        edit(source, '"Smart Cities, Seen in a Browser', '"Smart Cities, Fixed"')
        until(
            browser,
            "the fixed title without errors",
            lambda page: page["title"] == "Smart Cities, Fixed" and page["errors"] == [] and loaded(page),
        )
        console = browser.call("POST", f"/session/{browser.session}/se/log", {"type": "browser"})
    assert not [entry for entry in console if "Content Security Policy" in entry["message"]]  # type: ignore[union-attr]

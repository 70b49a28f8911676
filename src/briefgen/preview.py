"""Serves the pages of the publications being edited on 127.0.0.1, rebuilt on every save.

Three threads share one :class:`Snapshot`: a watcher (watchfiles) marks the inputs changed, a
builder runs the incremental build and renders each new PDF's pages to PNG (pdftoppm), and a
ThreadingHTTPServer serves the page, its page images and ``/events`` (Server-Sent Events), which
tells the page to reload itself after each build. The server looks every address up in a table
of the files it made, so no request names a path on disk.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, quote, unquote, urlsplit

from .errors import BriefgenError, display_path, one_line
from .progress import Lines, Outcome, Quiet, Reporter, summary_line

HOST = "127.0.0.1"  # never another interface: the preview serves unpublished drafts
DPI = 96  # one image pixel per CSS pixel at 100 % zoom
PAGE = Path(__file__).with_name("preview.html")


@dataclass(frozen=True)
class Shown:
    """One previewed publication as the page shows it."""

    id: str
    title: str
    status: str  # the last build's: built, skipped or failed
    pages: tuple[tuple[str, int, int], ...] = ()  # (address, width, height) of each page image
    pdf: str | None = None  # the PDF's address, once there is one


@dataclass(frozen=True)
class Snapshot:
    """What the page shows: the last build's outcome, replaced whole after every build."""

    generation: int = 0  # builds finished
    building: bool = True
    finished: str = ""  # when the last build finished (time of day)
    summary: str = ""
    publications: tuple[Shown, ...] = ()
    problems: tuple[str, ...] = ()  # one line each, as the terminal prints them
    focus: str | None = None  # the publication last built: shown when the address names none
    files: Mapping[str, Path] = field(default_factory=dict)  # address -> file: all there is to serve

    def current(self, wanted: str | None) -> Shown | None:
        found = {shown.id: shown for shown in self.publications}
        return found.get(wanted or "") or found.get(self.focus or "") or next(iter(found.values()), None)


class Preview:
    """Builds, watches and serves; ``with Preview(...) as preview:`` runs it in the background.

    The port is bound on construction, so :attr:`url` is known (and a port in use refused)
    before anything starts."""

    def __init__(
        self,
        content: Path,
        out: Path,
        ids: list[str] | None = None,
        *,
        port: int = 0,
        verbosity: int = 0,
        watch: bool = True,
    ) -> None:
        from jinja2 import Environment, StrictUndefined

        self.content, self.out, self.ids = content, out, list(ids or ())
        self.verbosity = verbosity
        self.snapshot = Snapshot()
        self.pdftoppm, self.pdfinfo = shutil.which("pdftoppm"), shutil.which("pdfinfo")
        source = PAGE.read_text(encoding="utf-8")
        self.page = Environment(autoescape=True, undefined=StrictUndefined).from_string(source)
        self.policy = content_security_policy(source)
        self._changed = threading.Condition()  # guards snapshot, _dirty and _stopping
        self._dirty = True  # the first build
        self._stopping = False
        self._stop = threading.Event()  # for the watcher
        self._renders: dict[str, _Render] = {}  # by publication id
        self._serial = 0  # numbers the folders of page images
        try:
            self._server = _Server((HOST, port), _Handler)
        except (OSError, OverflowError) as exc:
            reason = (
                "is in use"
                if isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE
                else f"is refused ({exc})"
            )
            raise BriefgenError.at(
                "briefgen preview",
                None,
                f"port {port} on {HOST} {reason}",
                "choose another: --port 0 picks one",
            ) from None
        self._server.preview = self
        self._folder = Path(tempfile.mkdtemp(prefix="briefgen-preview-"))
        self._threads = [
            threading.Thread(target=self._server.serve_forever, name="preview-http", daemon=True),
            threading.Thread(target=self._build_loop, name="preview-build", daemon=True),
        ]
        if watch:  # else it builds again only when asked to (rebuild())
            self._threads.append(threading.Thread(target=self._watch, name="preview-watch", daemon=True))

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> Preview:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        """Stop watching and serving; a build under way finishes first (its files stay whole)."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._stop.set()
        if self._threads[0].is_alive():
            self._server.shutdown()
        self._server.server_close()
        for thread in self._threads:
            if thread.is_alive():
                thread.join()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> Preview:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def rebuild(self) -> None:
        """Build again (after the build under way, if any): what every change to the inputs does."""
        with self._changed:
            self._dirty = True
            self._changed.notify_all()

    def wait(self, generation: int, timeout: float = 60.0) -> Snapshot:
        """The snapshot once ``generation`` builds have finished."""
        with self._changed:
            if not self._changed.wait_for(lambda: self.snapshot.generation >= generation, timeout):
                raise TimeoutError(f"build {generation} did not finish in {timeout} s")
            return self.snapshot

    def next_state(self, seen: tuple[int, bool] | None, timeout: float) -> Snapshot | None:
        """The snapshot once its (generation, building) differs from ``seen``, or after
        ``timeout`` seconds; ``None`` once the preview stops."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopping or _state(self.snapshot) != seen, timeout)
            return None if self._stopping else self.snapshot

    # --- watching: every saved input asks for a build --------------------------------------

    def _roots(self) -> list[Path]:
        """The content folder and every template folder it builds with (the project's own
        ``templates/`` too, which may appear while the preview runs)."""
        from .paths import Templates

        return [root for root in (self.content, *Templates.of(self.content).roots) if root.is_dir()]

    def _watch(self) -> None:
        from watchfiles import watch

        inputs, polling = _Inputs(self.out), False
        while not self._stop.is_set():
            roots = self._roots()
            if not roots:  # the content folder is gone (a checkout under way): wait for it
                self._stop.wait(1)
                continue
            try:
                for changes in watch(
                    *roots,
                    watch_filter=inputs,
                    stop_event=self._stop,
                    rust_timeout=1000,
                    yield_on_timeout=True,
                    force_polling=polling or None,
                ):
                    if changes:
                        if self.verbosity > 0:
                            named = sorted(display_path(path) for _, path in changes)
                            print(f"preview: changed {', '.join(named)}", flush=True)
                        self.rebuild()
                    if self._roots() != roots:
                        self.rebuild()
                        break
            except (OSError, RuntimeError) as exc:  # a folder gone, or no inotify watches left
                if not polling:
                    print(f"preview: watching by polling ({exc})", file=sys.stderr, flush=True)
                polling = True
                self.rebuild()
                self._stop.wait(1)

    # --- building: one build at a time, off the HTTP threads ---------------------------------

    def _build_loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._dirty or self._stopping)
                if self._stopping:
                    return
                self._dirty = False  # a change from now on asks for one more build after this one
                self.snapshot = replace(self.snapshot, building=True)
                self._changed.notify_all()
            try:
                snapshot = self._build()
            except Exception as exc:  # a bug: its traceback to the terminal, and the preview goes on
                traceback.print_exc()
                line = f"briefgen: internal error: {exc!r} — the terminal shows where; please report it"
                snapshot = replace(
                    self.snapshot,
                    generation=self.snapshot.generation + 1,
                    building=False,
                    finished=time.strftime("%H:%M:%S"),
                    problems=(one_line(line),),
                )
            with self._changed:
                self.snapshot = snapshot
                self._changed.notify_all()

    def _build(self) -> Snapshot:
        """Build what changed, then render the pages of every PDF that is new."""
        from .build import build, default_jobs
        from .incremental import Manifest

        recorder = _Recorder(Lines(sys.stdout, self.verbosity > 0) if self.verbosity >= 0 else Quiet())
        problems: list[str] = []
        try:
            build(self.content, self.out, None, self.ids or None, jobs=default_jobs(), reporter=recorder)
        except BriefgenError as exc:
            problems = [str(problem) for problem in exc.problems]
        for line in problems:
            print(line, file=sys.stderr, flush=True)
        if problems:
            print(f"preview: {len(problems)} error(s); the page shows them", file=sys.stderr, flush=True)
        previous = self.snapshot
        status = {o.id: o.status for o in recorder.outcomes if o.status != "left out"}
        ids = self.ids or list(status) or [s.id for s in previous.publications]
        ids = ids or list(Manifest.load(self.out).publications)
        kept = {shown.id: shown.status for shown in previous.publications}
        shown = self._show({id: status.get(id) or kept.get(id, "failed") for id in ids})
        changed = [o.id for o in recorder.outcomes if o.status in ("failed", "built")]
        return Snapshot(
            generation=previous.generation + 1,
            building=False,
            finished=time.strftime("%H:%M:%S"),
            summary=summary_line(recorder.outcomes) if recorder.outcomes else "",
            publications=tuple(shown),
            problems=tuple(problems),
            focus=changed[0] if changed else previous.focus,
            files=self._files(shown),
        )

    def _show(self, statuses: dict[str, str]) -> list[Shown]:
        """Each publication with its title and pages, rendered again (in parallel: pdftoppm
        takes a moment a page) only where its PDF changed."""
        from .build import default_jobs

        pdfs: dict[str, tuple[Path, tuple[int, int, int]]] = {}
        for id in statuses:
            pdf = self.out / f"{id}.pdf"
            with contextlib.suppress(OSError):  # not built yet
                info = pdf.stat()
                pdfs[id] = pdf, (info.st_mtime_ns, info.st_size, info.st_ino)
        stale = [
            id for id, (_, made) in pdfs.items() if id not in self._renders or self._renders[id].made != made
        ]
        with ThreadPoolExecutor(max_workers=default_jobs()) as pool:
            for render in pool.map(lambda id: self._render(id, *pdfs[id]), stale):
                old = self._renders.get(render.id)
                if old:  # its images go now: the page that shows them reloads after this build
                    shutil.rmtree(old.folder, ignore_errors=True)
                self._renders[render.id] = render
        return [
            Shown(id, self._renders[id].title, status, self._renders[id].pages, quote(f"/pdf/{id}.pdf"))
            if id in pdfs
            else Shown(id, id, status)
            for id, status in statuses.items()
        ]

    def _files(self, shown: list[Shown]) -> dict[str, Path]:
        """Every file the page may ask for, by address (unquoted, as requests are looked up)."""
        files = {f"/pdf/{s.id}.pdf": self.out / f"{s.id}.pdf" for s in shown if s.pdf}
        for s in shown:
            files.update(self._renders[s.id].files if s.id in self._renders else {})
        return files

    def _render(self, id: str, pdf: Path, made: tuple[int, int, int]) -> _Render:
        """A PDF's title (from its metadata) and its pages as PNG, in a new folder."""
        with self._changed:
            self._serial += 1
            serial = self._serial
        folder = self._folder / str(serial)
        folder.mkdir()
        title = None
        if self.pdfinfo:
            info = subprocess.run([self.pdfinfo, "-enc", "UTF-8", str(pdf)], capture_output=True, text=True)
            found = re.search(r"^Title:[ \t]*(.*\S)", info.stdout, re.M)
            title = found.group(1) if found else None
        files = {}
        if self.pdftoppm:
            command = [self.pdftoppm, "-r", str(DPI), "-png", str(pdf), str(folder / "page")]
            made_pages = subprocess.run(command, capture_output=True, text=True)
            if made_pages.returncode:
                print(f"preview: pdftoppm could not read {pdf}: {made_pages.stderr.strip()}", file=sys.stderr)
            images = sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rpartition("-")[2]))
            files = {f"/pages/{serial}/{n}.png": image for n, image in enumerate(images, 1)}
        pages = tuple((address, *_png_size(image)) for address, image in files.items())
        return _Render(id, made, title or id, folder, pages, files)


def serve(
    content: Path, out: Path, ids: list[str] | None = None, *, port: int = 8000, verbosity: int = 0
) -> int:
    """``briefgen preview``: serve until Ctrl-C (or SIGTERM), its normal end: exit 0. A second
    Ctrl-C while a build finishes interrupts that too (exit 130, as for every command)."""
    preview = Preview(content, out, ids, port=port, verbosity=verbosity)
    print(f"preview: {preview.url}", flush=True)
    terminate = signal.getsignal(signal.SIGTERM)
    if threading.current_thread() is threading.main_thread():  # `kill` too tidies up
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        preview.start()
        threading.Event().wait()
    except KeyboardInterrupt:
        if preview.snapshot.building:
            print("preview: finishing the build under way (Ctrl-C again interrupts it)", file=sys.stderr)
    finally:
        preview.stop()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, terminate)
    if verbosity >= 0:
        print("preview: stopped")
    return 0


# --- serving -----------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    preview: Preview


class _Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the page, its state, its events and the files in the snapshot's table."""

    server: _Server
    protocol_version = "HTTP/1.0"  # one request a connection: /events ends when the page goes
    protected = True  # a response with the page's Content-Security-Policy

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def _respond(self, head: bool) -> None:
        preview = self.server.preview
        # DNS rebinding: another site's name pointed at 127.0.0.1 must not read the drafts.
        if self.headers.get("Host") not in (f"{HOST}:{preview.port}", f"localhost:{preview.port}"):
            return self.send_error(HTTPStatus.FORBIDDEN, "unknown host")
        if not self.path.startswith("/") or self.path.startswith("//"):
            return self.send_error(HTTPStatus.FORBIDDEN)
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if any(part in ("..", ".") for part in path.split("/")) or "\\" in path or "\0" in path:
            return self.send_error(HTTPStatus.FORBIDDEN)
        snapshot = preview.snapshot
        if path in ("/", "/index.html"):
            wanted = parse_qs(parts.query).get("id", [None])[0]
            current = snapshot.current(wanted)
            page = preview.page.render(snapshot=snapshot, current=current, rasterised=bool(preview.pdftoppm))
            return self._send(page.encode(), "text/html; charset=utf-8", head)
        if path == "/state.json":
            return self._send(json.dumps(_public(snapshot), indent=1).encode(), "application/json", head)
        if path == "/events":
            return self._events(head)
        file = snapshot.files.get(path)
        try:
            body = file.read_bytes() if file else None
        except OSError:  # rendered again meanwhile, or the PDF is gone
            body = None
        if body is None:
            return self.send_error(HTTPStatus.NOT_FOUND)
        # Chromium's PDF viewer is itself a page, which the page's policy would block.
        self.protected = not path.endswith(".pdf")
        return self._send(body, "application/pdf" if path.endswith(".pdf") else "image/png", head)

    def _send(self, body: bytes, kind: str, head: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _events(self, head: bool) -> None:
        """One event for each change of (generation, building), until the client or the
        preview goes; a comment every 15 s keeps the connection open."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if head:
            return
        seen = None
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while (snapshot := self.server.preview.next_state(seen, timeout=15)) is not None:
                if _state(snapshot) == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    seen = _state(snapshot)
                    data = {"generation": snapshot.generation, "building": snapshot.building}
                    self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
                self.wfile.flush()
        except OSError:  # the page went away
            pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        if self.protected:
            self.send_header("Content-Security-Policy", self.server.preview.policy)
        super().end_headers()

    def version_string(self) -> str:
        return "briefgen-preview"

    def log_message(self, format: str, *args: object) -> None:
        if self.server.preview.verbosity > 0:
            super().log_message(format, *args)


def content_security_policy(page: str) -> str:
    """Nothing but the page's own inline script and style (by hash: no 'unsafe-inline'), images
    and events from this server, and no framing."""

    def hashes(tag: str) -> str:
        blocks = re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        return " ".join(
            f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in blocks
        )

    return (
        f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


# --- helpers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Render:
    """The page images of one PDF, as it was when rendered."""

    id: str
    made: tuple[int, int, int]  # the PDF's time of change, size and inode
    title: str
    folder: Path
    pages: tuple[tuple[str, int, int], ...]  # (address, width, height)
    files: dict[str, Path]  # address -> image


class _Recorder:
    """A reporter that passes everything on and keeps the build's outcomes."""

    def __init__(self, inner: Reporter) -> None:
        self.inner = inner
        self.outcomes: list[Outcome] = []

    def start(self, total: int) -> None:
        self.inner.start(total)

    def done(self, outcome: Outcome) -> None:
        self.inner.done(outcome)

    def finish(self, outcomes: list[Outcome]) -> None:
        self.outcomes = outcomes
        self.inner.finish(outcomes)


class _Inputs:
    """watchfiles' filter: what the build reads, not what it writes (an output folder inside the
    content folder would otherwise rebuild forever) nor editors' swap and backup files."""

    def __init__(self, out: Path) -> None:
        from watchfiles import DefaultFilter

        self.default = DefaultFilter()
        self.out = {out.absolute(), out.resolve()}

    def __call__(self, change: object, path: str) -> bool:
        file = Path(path)
        if file.name.startswith(".") or any(file == o or file.is_relative_to(o) for o in self.out):
            return False
        return bool(self.default(change, path))  # type: ignore[arg-type]


def _state(snapshot: Snapshot) -> tuple[int, bool]:
    return snapshot.generation, snapshot.building


def _public(snapshot: Snapshot) -> dict:
    """The snapshot as ``/state.json`` gives it (no paths on disk)."""
    return {
        "generation": snapshot.generation,
        "building": snapshot.building,
        "problems": list(snapshot.problems),
        "publications": [
            {"id": s.id, "title": s.title, "status": s.status, "pages": [p[0] for p in s.pages], "pdf": s.pdf}
            for s in snapshot.publications
        ],
    }


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (IHDR), without decoding it."""
    with path.open("rb") as file:
        header = file.read(24)
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


__all__ = ["Preview", "Snapshot", "serve"]

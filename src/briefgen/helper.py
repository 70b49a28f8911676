"""A second process for a build that writes one publication itself (a cold build of one brief).

Such a build would spend a second importing matplotlib and drawing charts, and then write the
Word file after the PDF, all on one core. The helper starts with the build and imports what it
needs at once, while the build validates; it draws the publication's charts while the build
imports WeasyPrint and lays the pages out (a page waits for a chart only when it reaches it);
and it writes the Word file from the pages the PDF's layout gives while the build prints the
PDF. A build that writes many publications hands them to a pool, and closes the helper at once.

If the helper dies or fails unexpectedly, the build draws and writes what it lacks itself, and
an error in the content is the same one-line error either way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import charts
from .charts import _AHEAD, DRAWN, Chart
from .errors import BriefgenError, Problem

if TYPE_CHECKING:
    from .render import Rendered
    from .resources import Resources


class Helper:
    """The helper process of one build (see the module docstring); closing it ends the process."""

    def __init__(self) -> None:
        from .workers import start_method

        context = multiprocessing.get_context(start_method())
        self._connection, theirs = context.Pipe()
        via_server = context.get_start_method() == "forkserver"
        self._process = context.Process(  # type: ignore[attr-defined]  # every concrete context has it
            target=_main, args=(theirs, os.getpid(), via_server), daemon=True, name="briefgen-helper"
        )
        self._process.start()
        theirs.close()
        self._drawn: set[str] = set()  # keys of the charts it drew, or failed to
        self._written: list[tuple[bool, list[Problem]]] = []  # per write asked: (done, problems)

    # --- charts ------------------------------------------------------------------------------

    def draw(self, charts: list[Chart]) -> None:
        """Have the charts the cache lacks drawn, in this order (``Chart.path`` waits for them)."""
        missing = [chart for chart in charts if not all(chart.paths()[fmt].exists() for fmt in DRAWN)]
        for chart in missing:
            for fmt in DRAWN:
                _AHEAD[chart.paths()[fmt]] = self
        if missing:
            self._send("draw", missing)

    def busy_with(self, chart: Chart) -> bool:
        """Whether it may still draw ``chart``: alive, and not yet done with it."""
        self._receive(block=False)
        return chart.key not in self._drawn and self._process.is_alive()

    # --- writing -----------------------------------------------------------------------------

    def write(
        self, writer: str, rendered: Rendered, resources: Resources, target: Path, pages: dict[str, int]
    ) -> bool:
        """Have the writer named ``writer`` write ``target`` from the PDF's ``pages``; whether
        the helper took it (it may have died)."""
        return self._send("write", (writer, rendered, resources, target, pages))

    def written(self) -> bool:
        """Wait for the earliest write not yet waited for: whether it was written (if not, the
        build writes it). An error in the content is raised as the build would raise it."""
        while not self._written:
            if not self._receive(block=True):
                return False  # it died first
        done, problems = self._written.pop(0)
        if problems:
            raise BriefgenError(problems)
        return done

    # --- the process -------------------------------------------------------------------------

    def close(self) -> None:
        """End the process (what it was asked to draw is drawn by now, or drawn on request)."""
        for path in [path for path, helper in _AHEAD.items() if helper is self]:
            del _AHEAD[path]
        self._connection.close()
        self._process.terminate()
        self._process.join()

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, kind: str, payload: object) -> bool:
        try:
            self._connection.send((kind, payload))
        except (OSError, ValueError):  # it died, or was closed
            return False
        return True

    def _receive(self, block: bool) -> bool:
        """Take in what the helper reported; False once it can report nothing more."""
        try:
            while block or self._connection.poll():
                kind, payload = self._connection.recv()
                if kind == "drawn":
                    self._drawn.add(payload)
                else:
                    self._written.append(payload)
                    return True
        except (EOFError, OSError, ValueError):
            return False
        return True


def _main(connection: Any, builder: int, via_server: bool) -> None:
    """The helper: import what drawing and Word take, then do as asked until the pipe closes."""
    from .workers import die_with_parent

    die_with_parent(builder, via_server)
    with contextlib.suppress(Exception):  # only a head start: what fails fails again, reported
        _warm_up()
    try:
        while True:
            kind, payload = connection.recv()
            if kind == "draw":
                _draw(payload, connection)
                from .writers import docx  # noqa: F401  (the Word file comes next: import it now)
            else:
                connection.send(("written", _write(*payload)))
    except (EOFError, OSError):  # the build closed the pipe: its work is done
        return


def _draw(wanted: list[Chart], connection: Any) -> None:
    """Every chart's PDF first, which the layout waits for; then the other formats, which only the
    Word file needs. A chart that fails is left to the build, which draws it and says why."""
    drawings: list[tuple[Chart, charts.Drawing | None]] = []
    for chart in wanted:
        drawing = None
        with contextlib.suppress(Exception):
            drawing = charts.Drawing(chart)
            if not chart.paths()["pdf"].exists():
                drawing.save("pdf", chart.paths()["pdf"])
        drawings.append((chart, drawing))
    for chart, drawing in drawings:
        if drawing is not None:
            with contextlib.suppress(Exception):
                for fmt in DRAWN:
                    if not chart.paths()[fmt].exists():
                        drawing.save(fmt, chart.paths()[fmt])
            drawing.close()
        connection.send(("drawn", chart.key))


def _write(
    name: str, rendered: Rendered, resources: Resources, target: Path, pages: dict
) -> tuple[bool, list[Problem]]:
    """(written, problems): a content error is reported; anything else leaves it to the build."""
    from .writers import Layout, writer

    try:
        writer(name).write(rendered, resources, target, Layout(pages=dict(pages)))
    except BriefgenError as exc:
        return False, exc.problems
    except Exception:  # a bug: the build writes the file itself, and shows the traceback
        return False, []
    return True, []


def _warm_up() -> None:
    """What every drawing needs first: matplotlib (most of a second), the chart font, the map."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from . import maps
    from .charts import STYLE

    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(1, 1))
        fig.text(0, 0, "Ag")
        fig.canvas.draw()
        plt.close(fig)
    maps.features()

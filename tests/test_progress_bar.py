"""On a terminal a build shows a progress bar and ends with a table (rich)."""

from __future__ import annotations

import io

from briefgen.progress import Bar, Outcome


def test_the_bar_ends_with_a_table_of_what_was_built() -> None:
    bar = Bar()
    bar.console.file = io.StringIO()  # a terminal stand-in
    outcomes = [Outcome("brief", "built", 1.25, {".pdf": 204800, ".docx": 102400}), Outcome("old", "skipped")]
    bar.start(len(outcomes))
    for outcome in outcomes:
        bar.done(outcome)
    bar.finish(outcomes)
    shown = bar.console.file.getvalue()
    assert "1 built, 1 skipped, 0 failed" in shown
    assert "brief" in shown and "1.25" in shown and "200" in shown

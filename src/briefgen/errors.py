"""The one error type users see: a content problem located at ``file:line``."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Characters that would break one error onto two lines, rewrite the terminal (ESC) or reorder
# what is shown (bidi controls): a value quoted in a message shows them escaped instead.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Problem:
    """One located content problem: where it is, what is wrong, what to do."""

    path: Path | str
    line: int | None
    message: str
    hint: str = ""
    column: int | None = None  # 1-based, where it is known (a CSV cell)

    def __str__(self) -> str:
        where = display_path(self.path)
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        text = f"{where}: {self.message}"
        return one_line(f"{text} — {self.hint}" if self.hint else text)


class BriefgenError(Exception):
    """Content or template errors; the CLI prints each on one line and exits 1."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=_order)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: Path | str, line: int | None, message: str, hint: str = "") -> BriefgenError:
        return cls([Problem(path, line, message, hint)])


def _order(p: Problem) -> tuple[str, int, str]:
    return (str(p.path), p.line or 0, p.message)


def display_path(path: Path | str) -> str:
    """Show paths relative to the working directory when they are inside it (links are not
    followed: the path may be a broken or looping link)."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(os.getcwd()))
    except ValueError:
        return str(path)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the choices close to a mistyped ``word``, or "" when none is close."""
    close = difflib.get_close_matches(word, list(choices), n=3, cutoff=0.6)
    if close:  # only the best and those nearly as close: "--forse" is --force, not --jobs
        best = _likeness(word, close[0])
        close = [c for c in close if _likeness(word, c) >= best - 0.1]
    return f"did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def _likeness(word: str, choice: str) -> float:
    return difflib.SequenceMatcher(None, word, choice).ratio()


def one_line(text: str) -> str:
    """``text`` with line breaks, terminal escapes and bidi controls shown as escapes."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class Collector:
    """Gathers problems so a run reports all of them at once, then stops once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(
        self, path: Path | str, line: int | None, message: str, hint: str = "", column: int | None = None
    ) -> None:
        self.problems.append(Problem(path, line, message, hint, column))

    def extend(self, error: BriefgenError) -> None:
        self.problems.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise BriefgenError(self.problems)

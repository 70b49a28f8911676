"""Serves the files a rendered document refers to, and nothing else.

Both writers resolve ``src`` attributes here: ``chart:NAME`` gives the chart in the writer's
format; a relative path or ``file:`` URL gives a file inside the content or templates folder.
Any other address (the network, ``../``, a symlink out) is refused with a located error.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .charts import Chart
from .errors import BriefgenError
from .files import is_regular, read_bytes
from .images import MAX_IMAGE_BYTES
from .paths import Templates


@dataclass(frozen=True)
class Resources:
    content: Path
    charts: dict[str, Chart]
    where: Path  # the publication file, for error messages

    def base_url(self) -> str:
        return self.content.resolve().as_uri() + "/"

    def fetch(self, url: str, fmt: str) -> tuple[bytes, str]:
        """The bytes and MIME type behind ``url``, for a writer that takes ``fmt`` charts."""
        parts = urlsplit(url)
        if parts.scheme == "chart":
            chart = self.charts.get(parts.path)
            if chart is None:
                raise self._refuse(
                    url,
                    "names no chart of this publication",
                    f"add figures: {parts.path}: to the publication",
                )
            path = chart.path(fmt)
        elif parts.scheme in ("", "file") and not parts.netloc:
            path = self._inside(
                Path(unquote(parts.path)) if parts.scheme else self.content / unquote(url), url
            )
        else:
            raise self._refuse(url, "is not a project file", "copy the file into content/images/")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        try:
            return read_bytes(path, MAX_IMAGE_BYTES, "resource"), mime
        except BriefgenError as exc:  # the content changed since validation: say where it is used
            raise self._refuse(
                url, exc.problems[0].message.removeprefix("the resource "), exc.problems[0].hint
            ) from None

    def _inside(self, path: Path, url: str) -> Path:
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # RuntimeError: a link loop, on Python 3.11
            raise self._refuse(url, "is a link that cannot be followed", "point it at a real file") from None
        roots = (self.content.resolve(), *Templates.of(self.content).roots)
        if not any(resolved.is_relative_to(root) for root in roots):
            raise self._refuse(
                url, "is outside the content and templates folders", "copy the file into content/images/"
            )
        if not is_regular(resolved):
            raise self._refuse(url, "does not exist", "add the file or correct its name")
        return resolved

    def _refuse(self, url: str, why: str, hint: str) -> BriefgenError:
        return BriefgenError.at(self.where, None, f"resource '{url}' {why}", hint)

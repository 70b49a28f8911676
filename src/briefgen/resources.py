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
from .paths import TEMPLATES


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
        return path.read_bytes(), mime

    def _inside(self, path: Path, url: str) -> Path:
        resolved = path.resolve()
        roots = (self.content.resolve(), TEMPLATES)
        if not any(resolved.is_relative_to(root) for root in roots):
            raise self._refuse(
                url, "is outside the content and templates folders", "copy the file into content/images/"
            )
        if not resolved.is_file():
            raise self._refuse(url, "does not exist", "add the file or correct its name")
        return resolved

    def _refuse(self, url: str, why: str, hint: str) -> BriefgenError:
        return BriefgenError.at(self.where, None, f"resource '{url}' {why}", hint)

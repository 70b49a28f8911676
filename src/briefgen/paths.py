"""Where the project's own folders are: the templates every content folder builds with."""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SHARED = TEMPLATES / "shared"
MAP = SHARED / "maps" / "southeast-asia.geojson"

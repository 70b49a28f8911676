"""``python -m briefgen`` runs the command line."""

from .cli import run

run()

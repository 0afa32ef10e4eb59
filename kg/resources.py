"""Find the ontology and the named queries wherever ``kg`` is installed.

They live at the repository root (``ontology/``, ``queries/``) so they can be
read and edited as plain files; a built wheel carries copies under
``kg/_data/``.  The packaged copy wins so an installed ``kg`` never reads a
stray checkout's files.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resource_path(name: str) -> Path:
    """The path of ``name`` (``"ontology/shapes.ttl"``, ``"queries"``...), packaged copy first."""
    for root in (_PACKAGE / "_data", _PACKAGE.parent):
        candidate = root / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"resource {name!r} not found in {_PACKAGE / '_data'} nor in {_PACKAGE.parent}")

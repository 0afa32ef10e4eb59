"""Settings read from the environment and the command line, in one place.

Everything that a deployment changes (where the store lives, the write token)
comes through ``Settings`` so the CLI, ``server.py`` and the tests agree.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs


def default_store_path() -> Path:
    """The on-disk store when neither ``--store`` nor ``KG_STORE`` names one: the user's data directory."""
    return platformdirs.user_data_path("kg", appauthor=False) / "store"


@dataclass(frozen=True)
class Settings:
    store: Path = field(default_factory=default_store_path)
    update_token: str | None = None  # None: the server is read-only

    @classmethod
    def from_env(cls, store: Path | str | None = None) -> Settings:
        """``store`` (from ``--store``) wins over ``KG_STORE``, which wins over the default."""
        chosen = store or os.environ.get("KG_STORE") or default_store_path()
        return cls(store=Path(chosen).expanduser(), update_token=os.environ.get("KG_UPDATE_TOKEN") or None)

"""French legal vocabulary and institutions, kept as data rather than code.

Each ``NAME.json`` file beside this module is domain knowledge (trigger words,
institutions, office titles): extending the extractor to a new phrasing should
mean editing a lexicon, not a regular expression in a module.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> Any:
    """The parsed content of ``kg/lexicons/NAME.json`` (read once per process)."""
    path = resources.files(__package__).joinpath(f"{name}.json")
    return json.loads(path.read_text(encoding="utf-8"))

"""From files to the store: read, extract, write, for a few articles at a time.

``ingest_paths`` is all or nothing (every file is extracted before anything is written),
which suits an API call or a test; ``kg ingest`` takes the corpus path instead
(``kg.corpus``: worker processes, batched bulk writes, failures isolated, resumable).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from importlib import resources
from pathlib import Path

from kg.extract import extract
from kg.models import Extraction
from kg.reader import read_article
from kg.store import GraphStore, IngestResult

SAMPLE_NAME = "hdh-quitte-microsoft-2020-11-23.txt"


def extract_path(path: Path, *, published: datetime | None = None) -> Extraction:
    """Read and extract one article; raises ``ArticleError`` with the file's name on bad input."""
    return extract(read_article(path, published=published))


def ingest_paths(
    store: GraphStore, paths: Iterable[Path], *, published: datetime | None = None
) -> list[IngestResult]:
    """Extract every file first, then write: a bad file stops the run before anything is written."""
    extractions = [extract_path(path, published=published) for path in paths]
    return [store.ingest(extraction) for extraction in extractions]


def sample_path() -> Path:
    """The bundled sample article (the Health Data Hub brief of 23 November 2020)."""
    return Path(str(resources.files("kg").joinpath("samples", SAMPLE_NAME)))


def load_sample_if_empty(store: GraphStore) -> IngestResult | None:
    """Give a new user something to look at: the sample goes in only when the store holds no document."""
    if not store.is_empty():
        return None
    return store.ingest(extract_path(sample_path()))

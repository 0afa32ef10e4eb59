"""Shared helpers for tests that run the real extractor on invented sentences."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kg.extract import extract
from kg.models import Article, Event, Extraction, Section

PUBLISHED = datetime(2023, 3, 15, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
CNIL = "Commission nationale de l’informatique et des libertés"
ADLC = "Autorité de la concurrence"
ARCEP = ("Autorité de régulation des communications électroniques, des postes et de la distribution "
         "de la presse")


def extract_text(text: str) -> Extraction:
    """The extraction of ``text`` as the body of an article published on ``PUBLISHED``."""
    article = Article(id="invented", title="t", published=PUBLISHED, text=text,
                      sections=(Section("body", 0, len(text)),))
    return extract(article)


def events_of(extraction: Extraction, kind: str) -> list[Event]:
    return [e for e in extraction.events if e.type == kind]


def one_event(extraction: Extraction, kind: str) -> Event:
    """The only event of type ``kind``; the failure message lists what was extracted instead."""
    found = events_of(extraction, kind)
    assert len(found) == 1, [(e.type, e.label, [s.text for s in e.evidence]) for e in extraction.events]
    return found[0]

"""A store filled from hand-built extractions, and the app factory the uvicorn tests start.

The web tests must not depend on how well the extractor reads an article, so the
extractions are written out here: two short invented articles whose events cover every
field the HTTP doors expose (dates to the day, month and year, undated events, deadlines,
agents and addressees, legal acts, relations, flags, evidence, a reader comment).

``python -m uvicorn --factory asgi_fixture:create`` opens (and fills, if empty) the store
named by ``KG_WEB_TEST_STORE``.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from starlette.applications import Starlette

from kg.models import (
    Actor,
    Article,
    Event,
    Extraction,
    LegalAct,
    RelatedEvent,
    Section,
    Span,
    TimeValue,
)
from kg.store import GraphStore
from kg.web.app import create_app

PARIS = ZoneInfo("Europe/Paris")
STORE_ENV = "KG_WEB_TEST_STORE"

BODY_A = (
    "L'association Les Vigies du Numérique a déposé un recours devant le Conseil d'État "
    "contre le décret du 3 mars 2031. Le Conseil d'État a rejeté ce recours le 12 juin 2031. "
    "La ministre de la Culture s'est engagée à publier un nouveau texte d'ici fin 2032. "
    "Le journal L'Écho numérique avait révélé en mai 2031 une lettre de la CNIL. "
    "Un rapport parlementaire est attendu en 2033."
)
COMMENT_A = "Un lecteur affirme que la CNIL a aussi écrit au ministère."
TEXT_A = BODY_A + "\n" + COMMENT_A

TEXT_B = (
    "La CNIL a infligé le 2 février 2031 une amende à la société Nimbus Cloud "
    "pour manquement au règlement général sur la protection des données."
)


def span(text: str, fragment: str) -> Span:
    """The Span of the first occurrence of ``fragment`` in ``text`` (offsets computed, never typed)."""
    start = text.index(fragment)
    return Span(start, start + len(fragment), fragment)


def extraction_a() -> Extraction:
    article = Article(
        id="vigies-recours-2031-06-20",
        title="Le Conseil d'État rejette le recours des Vigies",
        published=datetime(2031, 6, 20, 9, 30, tzinfo=PARIS),
        text=TEXT_A,
        sections=(
            Section("body", 0, len(BODY_A)),
            Section("comment", len(BODY_A) + 1, len(TEXT_A), datetime(2031, 6, 20, 11, 0, tzinfo=PARIS)),
        ),
        source="https://example.org/articles/vigies-recours",
    )
    actors = (
        Actor("Les Vigies du Numérique", "Association", short="Vigies", aliases=("les Vigies",)),
        Actor("Conseil d'État", "Court", aliases=("la haute juridiction",)),
        Actor("Ministre de la Culture", "Government", role="ministre"),
        Actor("L'Écho numérique", "PressOutlet"),
        Actor("Commission nationale de l'informatique et des libertés", "RegulatoryAuthority", short="CNIL"),
    )
    acts = (LegalAct("décret du 3 mars 2031", "Decree", date=TimeValue(2031, 3, 3),
                     identifiers=("CULX3100001D",)),)
    events = (
        Event("e-decree", "Publication", "Publication du décret du 3 mars 2031", "body",
              (span(TEXT_A, "le décret du 3 mars 2031"),), date=TimeValue(2031, 3, 3),
              date_text="3 mars 2031", legal_acts=("décret du 3 mars 2031",)),
        Event("e-appeal", "Appeal", "Recours des Vigies contre le décret", "body",
              (span(TEXT_A, "a déposé un recours devant le Conseil d'État"),),
              agents=("Les Vigies du Numérique",), addressees=("Conseil d'État",),
              legal_acts=("décret du 3 mars 2031",), related=(RelatedEvent("targets", "e-decree"),)),
        Event("e-ruling", "Ruling", "Le Conseil d'État rejette le recours", "body",
              (span(TEXT_A, "a rejeté ce recours le 12 juin 2031"),), date=TimeValue(2031, 6, 12),
              date_text="le 12 juin 2031", agents=("Conseil d'État",), outcome="rejected",
              related=(RelatedEvent("decides", "e-appeal"),), flags=("weekday_mismatch",)),
        Event("e-commitment", "Commitment", "Engagement de la ministre à publier un nouveau texte", "body",
              (span(TEXT_A, "s'est engagée à publier un nouveau texte d'ici fin 2032"),),
              deadline=TimeValue(2032, 12, 31), agents=("Ministre de la Culture",), expected=True),
        Event("e-disclosure", "Disclosure", "L'Écho numérique révèle une lettre de la CNIL", "body",
              (span(TEXT_A, "avait révélé en mai 2031"),), date=TimeValue(2031, 5), date_text="en mai 2031",
              agents=("L'Écho numérique",), related=(RelatedEvent("discloses", "e-letter"),)),
        Event("e-letter", "Letter", "Lettre de la CNIL", "body", (span(TEXT_A, "une lettre de la CNIL"),),
              agents=("Commission nationale de l'informatique et des libertés",)),
        Event("e-report", "Publication", "Rapport parlementaire attendu", "body",
              (span(TEXT_A, "Un rapport parlementaire est attendu en 2033"),), date=TimeValue(2033),
              date_text="en 2033", expected=True),
        Event("e-comment-letter", "Letter", "Lettre de la CNIL au ministère (selon un lecteur)", "comment",
              (span(TEXT_A, "la CNIL a aussi écrit au ministère"),),
              agents=("Commission nationale de l'informatique et des libertés",)),
    )
    return Extraction(article, events, actors, acts, extractor_version="test")


def extraction_b() -> Extraction:
    article = Article(
        id="nimbus-amende-2031-02-03",
        title="Amende de la CNIL contre Nimbus Cloud",
        published=datetime(2031, 2, 3, 8, 0, tzinfo=PARIS),
        text=TEXT_B,
        sections=(Section("body", 0, len(TEXT_B)),),
    )
    actors = (
        Actor("Commission nationale de l'informatique et des libertés", "RegulatoryAuthority", short="CNIL"),
        Actor("Nimbus Cloud", "Company"),
    )
    acts = (LegalAct("règlement général sur la protection des données", "Regulation", aliases=("RGPD",)),)
    events = (
        Event("e-sanction", "Sanction", "La CNIL inflige une amende à Nimbus Cloud", "body",
              (span(TEXT_B, "a infligé le 2 février 2031 une amende"),), date=TimeValue(2031, 2, 2),
              date_text="le 2 février 2031",
              agents=("Commission nationale de l'informatique et des libertés",),
              addressees=("Nimbus Cloud",), legal_acts=("règlement général sur la protection des données",)),
    )
    return Extraction(article, events, actors, acts, extractor_version="test")


def fill(store: GraphStore) -> None:
    """Ingest both test articles (idempotent: an unchanged article is skipped by the store)."""
    for extraction in (extraction_a(), extraction_b()):
        store.ingest(extraction)


def create() -> Starlette:
    """The uvicorn app factory: the on-disk store named by KG_WEB_TEST_STORE, filled at start-up."""
    store = GraphStore(Path(os.environ[STORE_ENV]))
    return create_app(store, on_startup=lambda: fill(store))

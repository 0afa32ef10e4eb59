"""A hand-built extraction of an invented article, for the RDF, store, SHACL and query tests.

Built by hand so these tests do not depend on the extractor: offsets are
computed from the text, so they are right by construction.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

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

PARIS = timezone(timedelta(hours=1))

BODY = (
    "La Commission nationale de l’informatique et des libertés a mis en demeure la société Exemplia "
    "le lundi 3 mars 2021 de cesser la collecte, d’ici juin 2021. "
    "Exemplia s’est engagée en avril 2021 à se conformer d’ici 2022. "
    "Elle avait formé un recours contre la délibération n° 2021-001 devant le Conseil d’État, "
    "qui l’a rejeté le 2 février 2021.\n"
)
COMMENT = "Jean Dupont, juriste : « Le Conseil d'Etat a eu raison. »\n"
TEXT = BODY + COMMENT


def span(text: str, fragment: str) -> Span:
    start = text.index(fragment)
    return Span(start, start + len(fragment), fragment)


def article(article_id: str = "exemplia-mise-en-demeure-2021-05-01", text: str = TEXT) -> Article:
    body_end = text.index(COMMENT) if COMMENT in text else len(text)
    sections = [Section("body", 0, body_end)]
    if body_end < len(text):
        sections.append(Section("comment", body_end, len(text), datetime(2021, 5, 2, 8, 30, tzinfo=PARIS)))
    return Article(
        id=article_id,
        title="La CNIL met Exemplia en demeure",
        published=datetime(2021, 5, 1, 9, 15, tzinfo=PARIS),
        text=text,
        sections=tuple(sections),
        source="https://example.org/articles/exemplia",
    )


ACTORS = (
    Actor("Commission nationale de l’informatique et des libertés", "RegulatoryAuthority", short="CNIL",
          aliases=("CNIL",)),
    Actor("Exemplia", "Company", aliases=("la société Exemplia",)),
    Actor("Conseil d’État", "Court", short="CE", aliases=("Conseil d'Etat",)),
    Actor("Jean Dupont", "Person", role="juriste"),
)

ACTS = (
    LegalAct("délibération n° 2021-001", "Deliberation", date=TimeValue(2021, 1), identifiers=("2021-001",)),
)


def extraction(article_id: str = "exemplia-mise-en-demeure-2021-05-01", label_suffix: str = "") -> Extraction:
    """Five events: dates at the three precisions, a deadline, relations, a flag, a comment."""
    text = TEXT
    events = (
        Event("e-request", "Request", "Mise en demeure d’Exemplia par la CNIL" + label_suffix, "body",
              (span(text, "a mis en demeure la société Exemplia le lundi 3 mars 2021"),),
              date=TimeValue(2021, 3, 3), date_text="le lundi 3 mars 2021", deadline=TimeValue(2021, 6),
              agents=("CNIL",), addressees=("Exemplia",), flags=("weekday_mismatch",)),
        Event("e-commitment", "Commitment", "Exemplia s’engage à se conformer", "body",
              (span(text, "Exemplia s’est engagée en avril 2021 à se conformer d’ici 2022"),),
              date=TimeValue(2021, 4), date_text="en avril 2021", deadline=TimeValue(2022),
              agents=("Exemplia",), addressees=("CNIL",),
              related=(RelatedEvent("responds_to", "e-request"),), expected=True),
        Event("e-appeal", "Appeal", "Recours d’Exemplia contre la délibération", "body",
              (span(text, "Elle avait formé un recours contre la délibération n° 2021-001"),),
              agents=("Exemplia",), addressees=("Conseil d'Etat",), legal_acts=("délibération n° 2021-001",)),
        Event("e-ruling", "Ruling", "Le Conseil d’État rejette le recours", "body",
              (span(text, "qui l’a rejeté le 2 février 2021"),),
              date=TimeValue(2021, 2, 2), date_text="le 2 février 2021", agents=("Conseil d’État",),
              outcome="rejected", related=(RelatedEvent("decides", "e-appeal"),)),
        Event("e-comment", "Statement", "Un juriste approuve la décision", "comment",
              (span(text, "Le Conseil d'Etat a eu raison"),), date=TimeValue(2021),
              agents=("Jean Dupont",), related=(RelatedEvent("follows", "e-ruling"),)),
    )
    return Extraction(article(article_id), events, ACTORS, ACTS, extractor_version="test")


def other_extraction() -> Extraction:
    """A second article naming the same court with other typography (plain apostrophe, no accent)."""
    text = "Le Conseil d'Etat a rendu un avis le 5 mai 2021.\n"
    published = datetime(2021, 5, 6, 10, 0, tzinfo=PARIS)
    sections = (Section("body", 0, len(text)),)
    art = Article("ce-avis-2021-05-06", "Un avis du Conseil d'Etat", published, text, sections)
    event = Event("e-opinion", "Opinion", "Avis du Conseil d'État", "body",
                  (span(text, "Le Conseil d'Etat a rendu un avis le 5 mai 2021"),),
                  date=TimeValue(2021, 5, 5), agents=("Conseil d'Etat",))
    return Extraction(art, (event,), (Actor("Conseil d'Etat", "Court"),), extractor_version="test")


def old_law_extraction() -> Extraction:
    """An article recalling a law of 1881 and announcing a deadline in 2101: events outside 1900 to 2099."""
    text = ("La loi sur la liberté de la presse a été promulguée le 29 juillet 1881. "
            "Le ministère a fixé l'échéance au 1er janvier 2101.\n")
    published = datetime(2021, 6, 1, 8, 0, tzinfo=PARIS)
    art = Article("loi-1881-2021-06-01", "La loi de 1881", published, text, (Section("body", 0, len(text)),))
    law = Event("e-law", "Publication", "Promulgation de la loi sur la liberté de la presse", "body",
                (span(text, "La loi sur la liberté de la presse a été promulguée le 29 juillet 1881"),),
                date=TimeValue(1881, 7, 29), date_text="le 29 juillet 1881", agents=("Conseil d'Etat",))
    far = Event("e-far", "Commitment", "Échéance fixée au 1er janvier 2101", "body",
                (span(text, "Le ministère a fixé l'échéance au 1er janvier 2101"),),
                date=TimeValue(2101, 1, 1), date_text="au 1er janvier 2101", agents=("Conseil d'Etat",))
    return Extraction(art, (law, far), (Actor("Conseil d'Etat", "Court"),), extractor_version="test")


def echo_extraction() -> Extraction:
    """A third article reporting the CNIL's formal notice a day earlier: one event, two dates, two sources."""
    text = "La CNIL a mis en demeure Exemplia le 2 mars 2021, selon nos informations.\n"
    published = datetime(2021, 5, 3, 7, 0, tzinfo=PARIS)
    art = Article("presse-exemplia-2021-05-03", "Exemplia mise en demeure", published, text,
                  (Section("body", 0, len(text)),))
    event = Event("e-notice", "Request", "La CNIL met Exemplia en demeure", "body",
                  (span(text, "La CNIL a mis en demeure Exemplia le 2 mars 2021"),),
                  date=TimeValue(2021, 3, 2), date_text="le 2 mars 2021", agents=("CNIL",),
                  addressees=("Exemplia",))
    return Extraction(art, (event,), ACTORS[:2], extractor_version="test")

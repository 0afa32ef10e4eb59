"""Extraction steps: from an Article's text to events, actors, legal acts and dates.

``extract`` runs them in order: dates (per section, each against its own
publication time), actors, legal acts, sentences, event mentions, then the
relations between events; the drafts are finally frozen into ``Event`` values.
"""

from __future__ import annotations

import kg
from kg.extract.actors import find_actors
from kg.extract.dates import anchor, find_dates
from kg.extract.events import Draft, find_events
from kg.extract.labels import event_label
from kg.extract.legal_acts import find_legal_acts
from kg.extract.plurals import resolve_plurals
from kg.extract.relations import link
from kg.extract.sentences import split_sentences
from kg.models import Article, DateMention, Event, Extraction, RelatedEvent, TimeValue


def extract(article: Article) -> Extraction:
    """The legal timeline told by ``article``: its events, actors and legal acts."""
    dates = find_article_dates(article)
    actors = resolve_plurals(article.text, find_actors(article))
    acts = find_legal_acts(article, dates)
    kinds = {a.name: str(a.kind) for a in actors.actors}
    reading = find_events(article, split_sentences(article), dates, actors, acts, kinds)
    link(reading, article.text, anchor)
    press = {a.name for a in actors.actors if a.kind == "PressOutlet"}
    drafts = sorted((d for d in reading.drafts if not _press_item(d, press)), key=lambda d: d.start)
    ids = {id(d): f"e{n}-{d.type.lower()}" for n, d in enumerate(drafts, 1)}
    events = tuple(_event(d, ids) for d in drafts)
    return Extraction(article=article, events=events, actors=actors.actors, legal_acts=acts.acts,
                      extractor_version=kg.__version__)


def _press_item(draft: Draft, press: set[str]) -> bool:
    """``L'article du Monde est paru lundi``: a newspaper publishing its own story is no legal act
    (what the story reveals is a Disclosure, told by its own verb)."""
    return draft.type == "Publication" and bool(draft.agents) and set(draft.agents) <= press


def find_article_dates(article: Article) -> list[DateMention]:
    """Date mentions of every section, a comment's relative dates read against the comment's own time."""
    mentions: list[DateMention] = []
    for section in article.sections:
        published = section.published or article.published
        mentions += find_dates(article.text, published, section.start, section.end)
    return sorted(mentions, key=lambda m: m.span.start)


def _event(draft: Draft, ids: dict[int, str]) -> Event:
    date = draft.date.value if draft.date else None
    flags = tuple(draft.date.flags) if draft.date else ()
    return Event(
        id=ids[id(draft)], type=draft.type, label=_label(draft), section=draft.section,
        evidence=tuple(sorted(draft.evidence, key=lambda s: s.start)),
        date=date, date_text=draft.date.span.text if draft.date else None,
        deadline=_deadline(draft.deadline, date), agents=tuple(draft.agents),
        addressees=tuple(draft.addressees), legal_acts=tuple(draft.legal_acts), outcome=draft.outcome,
        related=tuple(RelatedEvent(relation, ids[id(target)]) for relation, target in draft.related
                      if id(target) in ids),
        flags=flags, expected=draft.expected or bool(draft.date and draft.date.future),
    )


def _deadline(mention: DateMention | None, on: TimeValue | None) -> TimeValue | None:
    """A relative deadline (``d'ici deux ans``) counts from the event's own date when known."""
    if mention is None:
        return None
    if on is not None and mention.offset is not None:
        return anchor(mention, on)
    return mention.value


_NOUNS = {
    "Publication": "Publication", "Appeal": "Recours", "Hearing": "Audience", "Ruling": "Décision",
    "Request": "Demande", "Opinion": "Avis", "Letter": "Courrier", "Commitment": "Engagement",
    "Disclosure": "Révélation", "Sanction": "Sanction", "Statement": "Déclaration",
}


def _label(draft: Draft) -> str:
    """A short French label: the kind of act, who did it, to whom, and on what legal act."""
    return event_label(_NOUNS[draft.type], draft.agents, draft.addressees,
                       draft.legal_acts[0] if draft.legal_acts else None)

"""Properties that must hold on any input, checked with hypothesis.

The text strategy mixes arbitrary Unicode with French legal and temporal
vocabulary, so generated inputs reach the tagger's and the extractor's rules
instead of only exercising their "nothing found" paths.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.extract import extract
from kg.extract.dates import find_dates
from kg.models import Article, Section
from kg.reader import PARIS, ArticleError, parse_text_article

WORDS = [
    "le", "la", "les", "du", "de", "d’", "l’", "à", "a", "par", "auprès", "devant", "contre", "ne", "pas",
    "Conseil", "d’État", "CNIL", "(CNIL)", "Commission", "nationale", "ministre", "Olga", "Martin",
    "décret", "arrêté", "loi", "n°", "2021-123", "recours", "référé", "décision", "rendue", "rejeté",
    "annulé", "suspendu", "demande", "courrier", "engagé", "révélé", "amende", "sanction", "avis",
    "publié", "saisi", "audience", "1er", "13", "31", "29", "février", "mars", "avril", "décembre",
    "lundi", "vendredi", "dernier", "prochain", "hier", "demain", "avant-hier", "d’ici", "deux", "ans",
    "mois", "jours", "il", "y", "semaine", "dernière", "début", "mi-juillet", "fin", "2020", "2025",
    "13/10/2020", "31/02/2021", "pendant", "trois", "heures", "sous", "cinq", "délai", "attendu",
    ",", ".", "«", "»", "–", "?", "\n",
]
prose = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=60).map(" ".join)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 12, 31)).map(
    lambda d: d.replace(tzinfo=PARIS)
)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(text=prose, published=moments)
def test_tagger_spans_slice_the_input_and_dates_are_valid(text: str, published: datetime) -> None:
    for mention in find_dates(text, published):
        assert text[mention.span.start:mention.span.end] == mention.span.text
        if mention.value is not None:
            mention.value.first_day()  # a valid calendar date, or TimeValue would have refused it
        if mention.role == "duration":
            assert mention.value is None


@FUZZ
@given(text=st.text(max_size=400))
def test_reader_returns_an_article_or_a_clear_error(text: str) -> None:
    try:
        article = parse_text_article(text, source="fuzz.txt", article_id="fuzz")
    except ArticleError as exc:
        assert str(exc).startswith("fuzz.txt")
        return
    for section in article.sections:
        assert 0 <= section.start < section.end <= len(article.text)


@FUZZ
@given(body=prose, published=moments)
def test_extractor_never_raises_and_is_deterministic(body: str, published: datetime) -> None:
    body = body.strip() or "Texte."
    article = Article("fuzz", "Titre", published, body, (Section("body", 0, len(body)),))
    first = extract(article)
    for event in first.events:
        for span in event.evidence:
            assert body[span.start:span.end] == span.text
        for value in (event.date, event.deadline):
            if value is not None:
                value.first_day()
    assert extract(article).to_json() == first.to_json()


def test_many_sentences_stay_linear() -> None:
    """10,000 sentences go through without blowing up (no timing asserted: machines are noisy)."""
    sentence = "Le Conseil d’État a rejeté le recours le 3 mars 2021. "
    body = sentence * 10_000
    article = Article("big", "T", datetime(2021, 3, 5, tzinfo=PARIS), body, (Section("body", 0, len(body)),))
    extraction = extract(article)
    assert extraction.events
    assert all(e.date is None or e.date.first_day() <= (article.published + timedelta(days=1)).date()
               for e in extraction.events)

"""Sentence and clause segmentation: exact offsets, abbreviations, quotes, section boundaries."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kg.extract.sentences import split_clauses, split_sentences, split_text
from kg.models import Article, Section, Span


def _texts(text: str) -> list[str]:
    spans = split_text(text)
    for span in spans:
        assert text[span.start:span.end] == span.text
    return [span.text for span in spans]


def test_splits_on_final_marks_and_keeps_offsets() -> None:
    text = "Le juge a tranché. A-t-il eu raison ? Oui ! Et après… La suite."
    assert _texts(text) == ["Le juge a tranché.", "A-t-il eu raison ?", "Oui !", "Et après…", "La suite."]


def test_abbreviations_and_initials_do_not_end_a_sentence() -> None:
    text = "M. Dupont cite l’art. 3 du décret n° 2020-650. J. R. R. Tolkien n’y est pour rien."
    assert _texts(text) == ["M. Dupont cite l’art. 3 du décret n° 2020-650.",
                            "J. R. R. Tolkien n’y est pour rien."]


def test_no_split_inside_french_quotes_nor_before_lowercase() -> None:
    text = "« Il n’existe pas de solution. C’est ainsi », écrit le ministre. voir google.fr ici."
    assert _texts(text) == [text]


def test_line_breaks_always_end_a_sentence() -> None:
    assert _texts("Un titre sans point\nUn corps.") == ["Un titre sans point", "Un corps."]


def test_sentences_never_cross_a_section_boundary() -> None:
    body = "Le Conseil a rejeté le recours"
    comment = "le 5 mai. Vraiment."
    text = f"Titre\n{body} {comment}"
    start = text.index(body)
    split = start + len(body) + 1
    paris = ZoneInfo("Europe/Paris")
    article = Article(
        id="a", title="Titre", published=datetime(2020, 5, 19, tzinfo=paris), text=text,
        sections=(Section("body", start, split), Section("comment", split, len(text))),
    )
    spans = split_sentences(article)
    assert [s.text for s in spans] == [body, "le 5 mai.", "Vraiment."]
    assert all(s.start >= start for s in spans)  # the title line is outside every section


def test_clauses_split_on_punctuation_brackets_and_dashes() -> None:
    text = "Dans sa décision, rendue hier, le juge (TA) a statué – enfin : c’est fini."
    clauses = split_clauses(text, Span(0, len(text), text))
    assert [c.text for c in clauses] == ["Dans sa décision", "rendue hier", "le juge", "TA", "a statué",
                                         "enfin", "c’est fini."]

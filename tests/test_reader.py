"""The article reader on the corpus's plain-text form, the JSON form, and bad input."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from kg.reader import PARIS, ArticleError, parse_text_article, read_article

CORPUS = Path(__file__).parent / "corpus"
SAMPLE = CORPUS / "hdh-quitte-microsoft-2020-11-23.txt"


def test_sample_header_body_and_comments() -> None:
    article = read_article(SAMPLE)
    assert article.id == "hdh-quitte-microsoft-2020-11-23"
    assert article.title == "Health Data Hub quittera Microsoft d’ici deux ans"
    assert article.published == datetime(2020, 11, 23, 9, 49, tzinfo=PARIS)
    assert article.published.utcoffset().total_seconds() == 3600  # type: ignore[union-attr]
    assert article.categories == ("Internet", "Internet")
    body = article.body
    assert article.text[body.start:].startswith("Le ministre de la santé")
    assert article.text[:body.end].endswith("leurs engagements.")
    comments = [s for s in article.sections if s.kind == "comment"]
    assert len(comments) == 10
    assert comments[0].published == datetime(2020, 11, 23, 10, 7, tzinfo=PARIS)
    assert article.text[comments[0].start:comments[0].end].startswith("Pas sûr que deux ans")
    assert comments[-1].published == datetime(2020, 11, 26, 20, 40, tzinfo=PARIS)
    assert "Le 23/11/2020" not in "".join(article.text[s.start:s.end] for s in comments)


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_gold_evidence_offset_lies_in_its_section(path: Path) -> None:
    """Offsets of the reader's text are the gold files' offsets, and sections agree with the gold's."""
    article = read_article(path)
    gold = json.loads(path.with_suffix("").with_suffix(".gold.json").read_text(encoding="utf-8"))
    assert article.published.isoformat() == gold["document"]["published"]
    for event in gold["events"]:
        for evidence in event["evidence"]:
            assert article.text[evidence["start"]:evidence["end"]] == evidence["text"]
        first = event["evidence"][0]["start"]  # an event's section is where it is first told
        assert article.section_at(first).kind == event["section"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Publié le 2 mars 2021 à 14:05", datetime(2021, 3, 2, 14, 5, tzinfo=PARIS)),
        ("Le 02/03/2021 à 14h05", datetime(2021, 3, 2, 14, 5, tzinfo=PARIS)),
        ("Le 1er juillet 2021 à 8h30", datetime(2021, 7, 1, 8, 30, tzinfo=PARIS)),
    ],
)
def test_other_publication_line_forms(line: str, expected: datetime) -> None:
    article = parse_text_article(f"Titre\n{line}\nLe texte de l’article.\n", source="t.txt", article_id="t")
    assert article.published == expected
    assert article.text[article.body.start:article.body.end] == "Le texte de l’article."


def test_summer_time_offset() -> None:
    article = parse_text_article("T\nLe 19 mai 2020 à 07h45\nCorps.", source="t", article_id="t")
    assert article.published.isoformat() == "2020-05-19T07:45:00+02:00"


def test_json_form(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps({
        "title": "Titre", "published": "2021-03-02T14:05:00+01:00", "url": "https://example.org/a",
        "text": "Le Conseil d’État a rejeté le recours.",
        "comments": ["Bravo.", {"published": "2021-03-02T15:00:00+01:00", "text": "Enfin."}],
    }), encoding="utf-8")
    article = read_article(path)
    assert article.source == "https://example.org/a"
    assert [s.kind for s in article.sections] == ["body", "comment", "comment"]
    assert [article.text[s.start:s.end] for s in article.sections[1:]] == ["Bravo.", "Enfin."]
    assert article.sections[2].published == datetime(2021, 3, 2, 15, 0, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty article"),
        (b"Titre\nPas de date ici.\nCorps.", "no publication line"),
        ("Заголовок\nЭто не французский текст.".encode("cp1251"), "not UTF-8"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"Titre\nLe 2 mars 2021 \xc3\xa0 14h05\n", "no body"),
    ],
)
def test_bad_text_input_names_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message) as info:
        read_article(path)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("{not json", "invalid JSON"),
        ('{"title": "T", "text": "x"}', "'published'"),
        ('{"title": 3, "published": "2021-01-01T00:00:00", "text": "x"}', "'title'"),
        ('{"title": "T", "published": "hier", "text": "x"}', "ISO 8601"),
    ],
)
def test_bad_json_input(tmp_path: Path, data: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(data, encoding="utf-8")
    with pytest.raises(ArticleError, match=message):
        read_article(path)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_single_byte_encodings_are_decoded(tmp_path: Path, encoding: str) -> None:
    text = "Titre\nLe 2 mars 2021 à 14h05\nLe Conseil d'État a rejeté le recours déposé à Paris.\n"
    path = tmp_path / "archive.txt"
    path.write_bytes(text.encode(encoding))
    article = read_article(path)
    assert article.text == text
    assert article.published == datetime(2021, 3, 2, 14, 5, tzinfo=PARIS)


def test_windows_1252_punctuation(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    text = "Titre\nLe 2 mars 2021 à 14h05\nL’État s’engage – « enfin » – à agir.\n"
    path.write_bytes(text.encode("cp1252"))
    assert "L’État s’engage – « enfin »" in read_article(path).text


def test_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Titre\nLe 2 mars 2021 à 14h05\n" + "Phrase. " * 1000, encoding="utf-8")
    with pytest.raises(ArticleError, match="over the 1000-byte limit"):
        read_article(path, max_bytes=1000)


def test_control_characters_are_blanked_in_place(tmp_path: Path) -> None:
    path = tmp_path / "ctrl.txt"
    path.write_text("Titre\nLe 2 mars 2021 à 14h05\nLe juge\x07 a\x1b statué.\n", encoding="utf-8")
    article = read_article(path)
    assert article.text[article.body.start:article.body.end] == "Le juge  a  statué."


def test_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("Titre\r\nLe 2 mars 2021 à 14h05\r\nCorps du texte.\r\n".encode())
    article = read_article(path)
    assert article.text[article.body.start:article.body.end] == "Corps du texte."


def test_missing_file_and_published_override(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "absent.txt")
    path = tmp_path / "undated.txt"
    path.write_text("Titre\nLe Conseil d’État a rejeté le recours.\n", encoding="utf-8")
    when = datetime(2021, 5, 4, 12, 0, tzinfo=PARIS)
    assert read_article(path, published=when).published == when

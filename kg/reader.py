"""Article reader: a file on disk in, an ``Article`` out.

Two forms are read:

* the plain-text form of French news sites: a title line; a publication line
  (``Le 23 novembre 2020 à 09h49``, ``Publié le 2 mars 2021 à 14:05``,
  ``Le 02/03/2021 à 14h05``); an optional reading-time line (``2 min``,
  ``Lecture : 4 min``) and short category lines; the body; then optionally the
  publication line again, ``Commentaires (N)``, and comments each introduced by
  a line such as ``Le 23/11/2020 à 10h07``;
* a JSON object ``{"title", "published", "url", "text", "comments"?}`` for other
  sources, where each comment is a string or ``{"published", "text"}``.

Offsets downstream are into ``Article.text``: for the plain-text form that is
the whole file, so evidence offsets point into the file as published; for the
JSON form it is ``text`` followed by each comment on its own line.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import charset_normalizer
from dateparser.date import DateDataParser

from kg.config import max_article_bytes
from kg.models import Article, Section

PARIS = ZoneInfo("Europe/Paris")

_PUBLICATION_LINE = re.compile(
    r"^(?:Publié\s+)?(?:le\s+)?(?P<date>\d{1,2}(?:er)?\s+\w+\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})"
    r"(?:\s+à\s+(?P<hour>\d{1,2})\s*[h:H]\s*(?P<minute>\d{2}))?\s*$",
    re.IGNORECASE,
)
_READING_TIME = re.compile(r"^(?:(?:Temps de )?lecture\s*:?\s*)?\d+\s*min(?:utes?)?\.?$", re.IGNORECASE)
_COMMENTS_HEADER = re.compile(r"^Commentaires\s*\(\d+\)\s*$", re.IGNORECASE)
_CATEGORY_MAX_WORDS = 4
# French archives that are not UTF-8 are almost always in one of these; other guesses are refused.
_WESTERN_ENCODINGS = ["cp1252", "latin_1", "iso8859_15"]
# C0 and C1 control characters other than tab and newline: replaced by a space, so offsets hold.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# One parser for every line: ``dateparser.parse`` builds a new one per call, which dominated reading.
_DATE_PARSER = DateDataParser(
    languages=["fr"], settings={"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "first"}
)


class ArticleError(ValueError):
    """An article that cannot be read; the message names the file and, when known, the line."""


def read_article(
    path: Path, *, published: datetime | None = None, max_bytes: int | None = None
) -> Article:
    """Read the article at ``path`` (``.json`` for the JSON form, anything else as plain text).

    ``published`` overrides (or supplies) the publication date-time; a file over
    ``max_bytes`` (by default ``KG_MAX_ARTICLE_BYTES``, see ``kg.config``) is refused before it is read.
    """
    raw = _read_text(path, max_article_bytes() if max_bytes is None else max_bytes)
    if path.suffix.lower() == ".json":
        return parse_json_article(raw, source=str(path), article_id=path.stem, published=published)
    return parse_text_article(raw, source=str(path), article_id=_article_id(path), published=published)


def parse_text_article(
    text: str, *, source: str, article_id: str, published: datetime | None = None
) -> Article:
    """Parse the plain-text form; ``source`` names the input in error messages."""
    lines = _lines_with_offsets(text)
    if not lines or not lines[0][1].strip():
        raise ArticleError(f"{source}: line 1: empty article (no title line)")
    title = lines[0][1].strip()
    index = 1
    header_date = _publication_datetime(lines[1][1]) if len(lines) > 1 else None
    if header_date is not None:
        index = 2
    elif published is None:
        raise ArticleError(
            f"{source}: line 2: no publication line (expected e.g. 'Le 23 novembre 2020 à 09h49'); "
            "give the date with --published"
        )
    publication = published or header_date
    assert publication is not None
    index, categories = _skip_header_lines(lines, index)
    body_end, comments = _split_comments(lines, index, text)
    body_start = lines[index][0] if index < len(lines) else len(text)
    if body_start >= body_end:
        raise ArticleError(f"{source}: line {index + 1}: the article has no body text")
    sections = (Section("body", body_start, body_end), *comments)
    return Article(article_id, title, publication, text, sections, source, categories)


def parse_json_article(
    raw: str, *, source: str, article_id: str, published: datetime | None = None
) -> Article:
    """Parse the JSON form; fields are checked one by one so the message names the one at fault."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ArticleError(f"{source}: line {exc.lineno}: invalid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise ArticleError(f"{source}: expected a JSON object with title, published and text")
    title = _json_string(data, "title", source)
    body = _json_string(data, "text", source)
    publication = published or _json_datetime(data.get("published"), "published", source)
    text = body
    sections = [Section("body", 0, len(body))]
    for number, comment in enumerate(data.get("comments") or [], start=1):
        comment_text, comment_date = _json_comment(comment, number, source)
        start = len(text) + 1
        text = f"{text}\n{comment_text}"
        sections.append(Section("comment", start, len(text), comment_date))
    url = data.get("url")
    return Article(
        article_id, title, publication, text, tuple(sections), url if isinstance(url, str) else source
    )


def _read_text(path: Path, max_bytes: int) -> str:
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise ArticleError(f"{path}: is a directory, not an article")
        if size > max_bytes:
            raise ArticleError(f"{path}: {size} bytes, over the {max_bytes}-byte limit for one article "
                               "(KG_MAX_ARTICLE_BYTES)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot read: {exc.strerror}") from None
    if b"\x00" in data:
        raise ArticleError(f"{path}: binary file (NUL bytes), not an article")
    return _clean(_decode(data, path).replace("\r\n", "\n").replace("\r", "\n"))


def _clean(text: str) -> str:
    """NFC (one code point per accented letter, as offsets count them) and controls blanked in place."""
    return unicodedata.normalize("NFC", _CONTROL.sub(" ", text))


def _decode(data: bytes, path: Path) -> str:
    """UTF-8 when it is; else a Western single-byte encoding when charset-normalizer can tell; else refuse."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        position = exc.start
    guess = charset_normalizer.from_bytes(data, cp_isolation=_WESTERN_ENCODINGS).best()
    if guess is None:
        raise ArticleError(
            f"{path}: byte {position}: not UTF-8, and not recognisably Windows-1252 or Latin-1 text"
        )
    return str(guess)


def _article_id(path: Path) -> str:
    """A stable document id from the file name (the same file always maps to the same graph)."""
    slug = re.sub(r"[^a-z0-9]+", "-", _fold(path.stem).lower()).strip("-")
    return slug or "article"


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1
    while lines and not lines[-1][1].strip():
        lines.pop()
    return lines


def _publication_datetime(line: str) -> datetime | None:
    """The date-time of a publication or comment line, in Europe/Paris; None if it is not one.

    The regular expression only decides whether the line *is* such a line;
    dateparser reads the date (month names, numeric day-first dates).
    """
    match = _PUBLICATION_LINE.match(line.strip())
    if not match:
        return None
    parsed = _absolute_date(match["date"])
    if parsed is None:
        return None
    hour, minute = int(match["hour"] or 0), int(match["minute"] or 0)
    if hour > 23 or minute > 59:
        return None
    return parsed.replace(hour=hour, minute=minute, second=0, microsecond=0, tzinfo=PARIS)


@lru_cache(maxsize=4096)
def _absolute_date(words: str) -> datetime | None:
    """``words`` read as an absolute French date; a corpus repeats the same few days, hence the cache."""
    return _DATE_PARSER.get_date_data(words).date_obj


def _skip_header_lines(lines: list[tuple[int, str]], index: int) -> tuple[int, tuple[str, ...]]:
    """Step over the reading-time line and the short category lines that follow the publication line."""
    if index < len(lines) and _READING_TIME.match(lines[index][1].strip()):
        index += 1
    categories: list[str] = []
    while index + 1 < len(lines) and _is_category(lines[index][1]):
        categories.append(lines[index][1].strip())
        index += 1
    return index, tuple(categories)


def _is_category(line: str) -> bool:
    stripped = line.strip()
    return (
        0 < len(stripped.split()) <= _CATEGORY_MAX_WORDS
        and not stripped.endswith((".", "!", "?", ":", "»", "…"))
    )


def _split_comments(lines: list[tuple[int, str]], start: int, text: str) -> tuple[int, list[Section]]:
    """The end offset of the body and the comment sections after a ``Commentaires (N)`` line."""
    header = next((i for i in range(start, len(lines)) if _COMMENTS_HEADER.match(lines[i][1].strip())), None)
    if header is None:
        return _trimmed_end(text, len(text)), []
    body_end_line = header
    if header - 1 > start and _publication_datetime(lines[header - 1][1]) is not None:
        body_end_line = header - 1  # the publication line repeated under the body
    body_end = _trimmed_end(text, lines[body_end_line][0])
    return body_end, _comment_sections(lines, header + 1, text)


def _comment_sections(lines: list[tuple[int, str]], start: int, text: str) -> list[Section]:
    sections: list[Section] = []
    current: tuple[int, datetime] | None = None
    for offset, line in lines[start:]:
        stamp = _publication_datetime(line)
        if stamp is None:
            continue
        if current is not None:
            sections.append(Section("comment", current[0], _trimmed_end(text, offset), current[1]))
        current = (offset + len(line) + 1, stamp)
    if current is not None and current[0] < len(text):
        sections.append(Section("comment", current[0], _trimmed_end(text, len(text)), current[1]))
    return [s for s in sections if s.end > s.start]


def _trimmed_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1] in "\n\r \t":
        end -= 1
    return end


def _json_string(data: dict[str, Any], field: str, source: str) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not value.strip():
        kind = "missing" if value is None else f"not a non-empty string ({type(value).__name__})"
        raise ArticleError(f"{source}: field '{field}' is {kind}")
    if "\x00" in value:  # as for a file: NUL never occurs in text, it is binary data sent as a string
        raise ArticleError(f"{source}: field '{field}' holds NUL characters: binary data, not an article")
    return _clean(value)


def _json_datetime(value: Any, field: str, source: str) -> datetime:
    if not isinstance(value, str):
        raise ArticleError(f"{source}: field '{field}' must be an ISO 8601 date-time string")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ArticleError(f"{source}: field '{field}' is not an ISO 8601 date-time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=PARIS)


def _json_comment(comment: Any, number: int, source: str) -> tuple[str, datetime | None]:
    if isinstance(comment, str):
        return _clean(comment), None
    if isinstance(comment, dict) and isinstance(comment.get("text"), str):
        stamp = comment.get("published")
        when = _json_datetime(stamp, f"comments[{number}].published", source) if stamp else None
        return _clean(comment["text"]), when
    raise ArticleError(f"{source}: comment {number} must be a string or an object with 'text'")

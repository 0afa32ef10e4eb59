"""French temporal tagger: find the date expressions of a text and normalise them.

The tagger finds expressions itself, with regular expressions built once from the
words of ``kg/lexicons/temporal.json``, because ``dateparser.search_dates`` on French
prose reports dates in ``je``, ``me``, ``Dans sa`` or ``a 90%`` and turns durations
(``trois mois``) into past dates.

It hands what each rule found to dateparser (``DateDataParser(languages=["fr"])``,
``RELATIVE_BASE`` the publication day) to turn it into a calendar value with its
grain (``get_date_data(...).period``): the day, month and year of ``21 avril 2020``,
``13/10/2020``, ``avril 2021``, ``2021``, the day and month of ``21 avril`` or the
month of ``en juin``, what ``hier``, ``demain``, ``l'année dernière``, ``la semaine
prochaine`` and a bare weekday mean on publication, and the day ``dans 2 ans`` or
``il y a 15 jours`` away from it.  A rule hands over the words dateparser reads, not
the whole span: the article, a written weekday, ``dernier``, ``début`` and the like
stay out (dateparser returns None for ``le 21 avril dernier``, ``début juillet``,
``fin 2021``), ``1er``/``premier`` becomes ``1`` (the ordinal loses the day and
year), an amount is rewritten ``dans N unités``/``il y a N unités`` with its number
in digits (dateparser reads neither ``d'ici``, ``sous``, ``plus tôt`` nor
``quinze``), and the lexicon gives for ``ce matin``, ``l'an dernier``... the phrase
dateparser reads.  Readings are cached by (words, publication day, preference).

The module keeps its own logic only where dateparser cannot do the job:

* Year of a date written without one.  dateparser's ``PREFER_DATES_FROM`` knows
  neither a tolerance nor a horizon and reads ``le 1er décembre`` as last year in the
  past, so dateparser gives the day and month and the tagger picks the year:
  ``dernier``/``passé`` take the latest such date strictly before publication,
  ``prochain`` the first strictly after.  Otherwise the tense of the clause decides
  (the nearest past or future cue of the sentence): past takes the latest date on or
  before publication, future the first on or after publication minus a month (a
  planned date may have just passed).  With no cue, the date is in the past unless it
  falls less than three months after publication, and a deadline (``avant le 31
  mars``) is ahead.  Months without a year follow the same rules at month grain.
* A weekday written with a date keeps the day number; a contradiction is flagged
  ``weekday_mismatch`` (dateparser never notices one).  A bare weekday is read by
  dateparser: the latest such day on or before publication, strictly before it with
  ``dernier``, strictly after it with ``prochain`` and on or after it in a future
  clause; ``ce jeudi``, which dateparser does not read, is the day of the
  publication's week.
* ``la semaine dernière`` and other weeks (dateparser's ``week`` grain) are given at
  month precision: the month holding the week's Thursday (the ISO 8601 rule for a
  week's year).
* ``début``/``mi``/``fin`` keep the precision of what follows: ``début mai`` is
  a month, ``fin 2021`` a year.  For a deadline the latest point counts, so
  ``d'ici fin 2025`` is ``2025-12`` (``début`` January, ``mi`` June).
* An amount counted from a reference (``d'ici deux ans``, ``il y a trois jours``,
  ``un mois plus tôt``, ``la veille``) keeps its ``offset``; its value is dateparser's
  reading of the amount from the publication day, as a fallback.  Days and weeks give
  a day; months give a month, and so do years counted forward, to a deadline
  (``2020-11-23`` + two years = ``2022-11``, where dateparser's grain would say a year);
  years counted back (``il y a quinze ans``, ``deux ans plus tôt``) give a year: a
  writer looking years back rounds to the year, and its month would be made up.
  ``anchor`` re-anchors an offset on another event's date, which may be known only to
  a month or a year: nothing is then finer than the anchor, which dateparser cannot
  express.  Hours and minutes are only ever durations; a duration is never turned into a date.
* The first day of a range (``du 5 au 8 mai``, ``les 5 et 6 mai``) takes the month and
  year written after the second.  A season, which dateparser does not read, is given
  at year precision, the year it starts.
* ``hier``, ``demain`` and the like count from publication and carry no offset;
  ``la veille``/``le lendemain`` count from another event and carry one, and so do
  ``le même jour``, ``dans la foulée``, ``au même moment`` (an offset of zero days).
* ``cette année-là``, ``la même année``, ``à l'automne de cette année-là`` take the year last
  written out before them in the tagged stretch (a section), at year precision; none is a
  date when no year was written before.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal, TypeVar

from dateparser.date import DateDataParser

from kg.lexicons import load
from kg.models import DateMention, Offset, Span, TimeValue

Role = Literal["point", "deadline", "duration"]
Direction = Literal["before", "after", "past", "future"] | None
Prefer = Literal["current_period", "past", "future"]
_V = TypeVar("_V")

_LEX = load("temporal")
_WEEKDAY_MISMATCH = "weekday_mismatch"
_SEPARATOR = r"(?:\s*[-‐‑]\s*|\s+)"
_START = r"(?<!\w)"
_END = r"(?!\w)"
_NOT_THAT = r"(?!\s*[-‐‑]\s*là)"  # "ce jour-là", "cette année-là" point back to another event


def _key(text: str) -> str:
    """One spelling per phrase: lower case, ' for ’, one space for any run of spaces or hyphens."""
    text = re.sub(r"[\s\-‐‑]+", " ", text.lower().replace("’", "'"))
    return text.replace("' ", "'")


def _phrase(text: str) -> str:
    """The regex of a lexicon phrase: either apostrophe, any spacing, a hyphen or a space."""
    parts = []
    for char in text:
        if char in "'’":
            parts.append(r"['’]\s*")
        elif char == " ":
            parts.append(r"\s+")
        elif char == "-":
            parts.append(_SEPARATOR)
        else:
            parts.append(re.escape(char))
    return "".join(parts)


def _alternatives(phrases: Iterable[str]) -> str:
    """Longest first, so that ``avant-hier`` wins over ``hier`` where both start."""
    return "(?:" + "|".join(_phrase(p) for p in sorted(set(phrases), key=len, reverse=True)) + ")"


def _prefixes(phrases: Iterable[str]) -> str:
    """Phrases standing before a word: ``en mai`` needs a space, ``mois d'avril`` none."""
    items = sorted(set(phrases), key=len, reverse=True)
    return "(?:" + "|".join(_phrase(p) + ("" if p[-1] in "'’" else r"\s+") for p in items) + ")"


def _table(mapping: dict[str, _V]) -> dict[str, _V]:
    return {_key(word): value for word, value in mapping.items()}


_WEEKDAYS: dict[str, int] = _table(_LEX["weekdays"])
_NUMBERS: dict[str, int] = _table(_LEX["numbers"])
_DEICTIC: dict[str, str] = _table(_LEX["deictic_days"])
_ANAPHORIC: dict[str, int] = _table(_LEX["anaphoric_days"])
_FIRST_DAY = {_key(w) for w in _LEX["first_day"]}
_PAST_MARKERS = {_key(w) for w in _LEX["markers"]["past"]}
_POSITIONS = {_key(w): p for w, p in _LEX["positions"].items()}
_UNITS = {_key(word): unit for unit, words in _LEX["units"].items() for word in words}
_CALENDAR: dict[str, list[str]] = _table(_LEX["calendar_relative"])
_NEXT_YEARS: dict[str, int] = _table(_LEX["next_years"])
_NEXT_MONTHS: dict[str, int] = _table(_LEX["next_months"])
_NOT_FUTURE_VERBS = {_key(w) for w in _LEX["not_future_verbs"]}
_MONTH_OF_POSITION = {"start": 1, "mid": 6, "end": 12}
_SEASONS = {_key(name): months for name, months in _LEX["seasons"].items()}

_MONTH = _alternatives(_LEX["months"])
_WEEKDAY = _alternatives(_LEX["weekdays"])
_MARK = "(?P<mark>" + _alternatives(_LEX["markers"]["past"] + _LEX["markers"]["future"]) + ")"
_TIME_OF_DAY = r"(?:\s+" + _alternatives(_LEX["times_of_day"]) + ")?"
_DAY = r"(?P<day>" + _alternatives(_LEX["first_day"]) + r"|3[01]|[12]\d|0?[1-9])(?!\d)"
_YEAR = r"(?P<year>(?:1[6-9]|20|21)\d\d)"
_YEAR_END = r"(?![\w/]|[-‐‑.,]\d|\s*(?:€|%|euros?\b|dollars?\b|millions?\b|milliards?\b))"
_NUMBER_WORD = _alternatives(_LEX["numbers"]) + _END
_NUMBER = rf"(?P<num>\d{{1,3}}|{_NUMBER_WORD}(?:(?:\s+et\s+|{_SEPARATOR}){_NUMBER_WORD})*)"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_FULL_DATE = _compile(
    _START + rf"(?:{_prefixes(_LEX['date_articles'])})?(?:(?P<weekday>{_WEEKDAY})\s+)?{_DAY}\s+"
    rf"(?P<month>{_MONTH})(?:\s+{_YEAR}{_YEAR_END})?(?:\s+{_MARK})?" + _END
)
_NUMERIC_DATE = _compile(
    rf"(?<![\w/]){_prefixes(_LEX['date_articles'])}?(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/"
    r"(?P<year>\d{4}|\d{2})(?![\w/])"
    r"|(?<![\w/-])(?P<iso_year>\d{4})-(?P<iso_month>[01]\d)-(?P<iso_day>[0-3]\d)(?![\w-])"
)
_WEEKDAY_ALONE = _compile(
    _START + rf"(?:(?P<this>ce)\s+)?(?P<weekday>{_WEEKDAY}){_NOT_THAT}{_TIME_OF_DAY}(?:\s+{_MARK})?" + _END
)
_DEICTIC_DAY = _compile(
    _START + rf"(?P<word>{_alternatives(_LEX['deictic_days'])}){_NOT_THAT}{_TIME_OF_DAY}" + _END
)
_ANAPHORIC_DAY = _compile(
    _START + rf"{_prefixes(_LEX['anaphoric_articles'])}(?P<word>{_alternatives(_LEX['anaphoric_days'])})"
    rf"(?!\s+{_alternatives(_LEX['veille_senses'])}{_END})" + _END
)
_SAME_TIME = _compile(_START + _alternatives(_LEX["same_time"]) + _END)
_SAME_YEAR = _compile(
    _START + rf"(?:(?:{_prefixes(_LEX['season_prefixes'])})?{_alternatives(_LEX['seasons'])}\s+"
    rf"d(?:e\s+|['’]\s*))?{_alternatives(_LEX['same_year'])}" + _END
)
# "l'année suivante", not "le mois suivant la fuite" (counted from an act named after it)
_NOT_RELATIONAL = r"(?!\s+(?:la|le|les|l['’]|sa|son|ses|leur|leurs|cette|ce|cet|ces|une?)(?![\w'’]))"
_NEXT_YEAR = _compile(_START + rf"(?P<word>{_alternatives(_LEX['next_years'])})" + _END + _NOT_RELATIONAL)
_NEXT_MONTH = _compile(_START + rf"(?P<word>{_alternatives(_LEX['next_months'])})" + _END + _NOT_RELATIONAL)
# "ce jour-là", "le soir même" (not "le soir même de la décision": that one is told relative to the act)
_SAME_DAY = _compile(_START + _alternatives(_LEX["same_day"]) + r"(?!\s+(?:de|du|d['’]))" + _END)
_WRITTEN_YEAR = re.compile(r"(?<!\d)(?:1[6-9]|20|21)\d\d(?!\d)")
_CALENDAR_RELATIVE = _compile(
    _START + rf"(?P<word>{_alternatives(_LEX['calendar_relative'])})" + _END + _NOT_THAT
)
_PARTIAL = _compile(
    _START + rf"(?P<position>{_alternatives(_LEX['positions'])}){_SEPARATOR}(?:du\s+mois\s+)?"
    rf"(?:d(?:e\s+|['’]\s*))?(?:(?P<month>{_MONTH})(?:\s+{_YEAR}{_YEAR_END})?|"
    rf"(?P<year_only>(?:1[6-9]|20|21)\d\d){_YEAR_END})" + _END
)
_MONTH_NAME = _compile(
    _START + rf"(?P<prefix>{_prefixes(_LEX['month_prefixes'])})?(?P<month>{_MONTH})"
    rf"(?:\s+{_YEAR}{_YEAR_END})?(?:\s+{_MARK})?" + _END
)
_YEAR_ALONE = _compile(
    r"(?<![\w/-])" + rf"(?P<prefix>{_prefixes(_LEX['year_prefixes'])})?{_YEAR}{_YEAR_END}"
)
_SEASON = _compile(
    _START + rf"(?:{_prefixes(_LEX['season_prefixes'])})?(?P<season>{_alternatives(_LEX['seasons'])})\s+"
    rf"(?:{_YEAR}{_YEAR_END}|{_MARK})" + _END
)
_RANGE_START = _compile(
    _START + rf"{_prefixes(_LEX['range_articles'])}(?:(?P<weekday>{_WEEKDAY})\s+)?{_DAY}"
    rf"(?=\s+{_alternatives(_LEX['range_links'])}\s+(?:{_WEEKDAY}\s+)?"
    rf"(?:{_alternatives(_LEX['first_day'])}|3[01]|[12]\d|0?[1-9])\s+(?P<month>{_MONTH})"
    rf"(?:\s+{_YEAR}{_YEAR_END})?(?:\s+{_MARK})?{_END})"
)
_AMOUNT = _compile(
    r"(?<![\w.,])" + rf"{_NUMBER}\s+(?P<unit>{_alternatives(_UNITS)})" + _END
)


def _signals(groups: dict[str, list[str]]) -> re.Pattern[str]:
    """Words just before an expression that say what it is: ``d'ici`` makes a deadline."""
    named = "|".join(f"(?P<{name}>{_alternatives(words)})" for name, words in groups.items())
    return _compile(r"(?<![\w'’])" + f"(?:{named})" + r"\s*\Z")


_DATE_SIGNAL = _signals(_LEX["date_signals"])
_AMOUNT_SIGNAL = _signals(_LEX["amount_signals"])
_AMOUNT_DIRECTION = _compile(
    r"\s+(?:(?P<before>" + _alternatives(_LEX["amount_directions"]["before"]) + ")|(?P<after>"
    + _alternatives(_LEX["amount_directions"]["after"]) + "))" + _END
)
_SENTENCE_BREAK = re.compile(r"[.!?;\n]")
_PAST_CUE = _compile(
    _START + rf"(?:{_alternatives(_LEX['past_auxiliaries'])})\s+"
    rf"(?:{_alternatives(_LEX['adverbs'])}\s+){{0,2}}\w+(?:{'|'.join(_LEX['participle_endings'])})(?![\w'’])"
    + "|" + _START + _alternatives(_LEX["past_cues"]) + _END
    + "|" + _START + r"\w{2,}(?<!r)(?:ait|aient)" + _END
)
_FUTURE_CUE = _compile(_START + _alternatives(_LEX["future_cues"]) + _END)
# Case-sensitive: a capitalised word ending in -ra (Clara, Sahra) is a name, not a verb.
_FUTURE_VERB = re.compile(r"(?<![\w'’])[a-zàâçéèêëîïôûù]{2,}(?:ra|ront)(?![\w'’])")


@dataclass(frozen=True)
class _Reading:
    """What a rule read in its match: the value, and for relative expressions the amount."""

    value: TimeValue | None
    offset: Offset | None = None
    future: bool = False
    flags: tuple[str, ...] = ()


_TOLD_REACH = 400  # characters before a sentence where the year of a story told day by day is read


@dataclass
class _Context:
    """The text under tagging, its publication day, and the sentence cues found so far."""

    text: str
    published: date
    lo: int
    hi: int
    _breaks: list[int] = field(default_factory=list)
    _tenses: dict[tuple[int, int, bool], Direction] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._breaks = [m.start() for m in _SENTENCE_BREAK.finditer(self.text, self.lo, self.hi)]

    def signal(self, pattern: re.Pattern[str], start: int) -> tuple[int, str] | None:
        """Where the signal ending at ``start`` begins and its kind, when there is one."""
        found = pattern.search(self.text, max(self.lo, start - 48), start)
        if found is None or found.lastgroup is None:
            return None
        return found.start(), found.lastgroup

    def tense(self, start: int, end: int, clause: bool = False) -> Direction:
        """The tense of the cue nearest to ``text[start:end]`` within its sentence (future on ties),
        or within its clause only (between commas) when ``clause`` is set."""
        if (start, end, clause) not in self._tenses:
            self._tenses[start, end, clause] = self._nearest_cue(start, end, clause)
        return self._tenses[start, end, clause]

    def _nearest_cue(self, start: int, end: int, clause: bool) -> Direction:
        index = bisect.bisect_left(self._breaks, start)
        lo = self._breaks[index - 1] + 1 if index else self.lo
        hi = self._breaks[index] if index < len(self._breaks) else self.hi
        if clause:
            lo = max([lo, *(self.text.rfind(c, lo, start) + 1 for c in ",;:")])
            hi = min([hi, *(p for p in (self.text.find(c, end, hi) for c in ",;:") if p >= 0)])
        best: tuple[int, int, Direction] | None = None
        for found, tense, rank in self._cues(lo, hi):
            if found.end() <= start:
                distance = start - found.end()
            elif found.start() >= end:
                distance = found.start() - end
            else:
                continue
            if best is None or (distance, rank) < best[:2]:
                best = (distance, rank, tense)
        return best[2] if best else None

    def _cues(self, lo: int, hi: int) -> Iterator[tuple[re.Match[str], Direction, int]]:
        for found in _FUTURE_CUE.finditer(self.text, lo, hi):
            yield found, "future", 0
        for found in _FUTURE_VERB.finditer(self.text, lo, hi):
            if _key(found.group()) not in _NOT_FUTURE_VERBS:
                yield found, "future", 0
        for found in _PAST_CUE.finditer(self.text, lo, hi):
            yield found, "past", 1

    def written_day_before(self, start: int, beyond: bool = False) -> date | None:
        """The last date written with its day and year before ``start`` in its sentence, else, when
        ``beyond``, in the ``_TOLD_REACH`` characters before it."""
        index = bisect.bisect_left(self._breaks, start)
        lo = self._breaks[index - 1] + 1 if index else self.lo
        here = self._last_written(lo, start)
        return here if here or not beyond else self._last_written(max(self.lo, lo - _TOLD_REACH), lo)

    def _last_written(self, lo: int, start: int) -> date | None:
        last = None
        for found in _FULL_DATE.finditer(self.text, lo, start):
            if found.group("year") and found.end() <= start:
                last = found
        if last is None:
            return None
        reading = _read(_calendar_words(last), self.published)
        return reading[0] if reading is not None else None

    def is_future(self, value: TimeValue, direction: Direction) -> bool:
        """After publication, or covering it in a future clause (``prévu ce mois-ci``)."""
        if value.first_day() > self.published:
            return True
        return value.last_day() >= self.published and direction in ("future", "after")


def _mark(found: re.Match[str]) -> Direction:
    mark = found.groupdict().get("mark")
    if mark is None:
        return None
    return "before" if _key(mark) in _PAST_MARKERS else "after"


def _direction(ctx: _Context, found: re.Match[str], role: Role) -> Direction:
    """``dernier``/``prochain`` when written, else the tense of the clause; a deadline looks ahead.
    A deadline reads the tense of its own clause only: in ``X, que Y a pu consulter, s'engage à le
    faire avant le 30 juin`` the past of the relative clause says nothing of the deadline."""
    direction = _mark(found) or ctx.tense(found.start(), found.end(), clause=role == "deadline")
    return "future" if direction is None and role == "deadline" else direction


def _pick(
    candidates: Iterable[int], ref: int, direction: Direction, tolerance: int, horizon: int
) -> int | None:
    """Choose among the same calendar date in neighbouring years (see the module docstring)."""
    ordered = sorted(candidates)
    before = [c for c in ordered if c < ref]
    on_or_before = [c for c in ordered if c <= ref]
    after = [c for c in ordered if c > ref]
    if direction == "before":
        return before[-1] if before else None
    if direction == "after":
        return after[0] if after else None
    if direction == "past":
        return on_or_before[-1] if on_or_before else None
    if direction == "future":
        return next((c for c in ordered if c >= ref - tolerance), None)
    if after and (not on_or_before or after[0] - ref <= horizon):
        return after[0]
    return on_or_before[-1] if on_or_before else None


@lru_cache(maxsize=64)
def _parser(base: date, prefer: Prefer) -> DateDataParser:
    """One parser per publication day and preference: a parser's settings are fixed when it is built.

    ``languages=["fr"]`` spares the language detection over 200 locales (150 times
    faster); a month read alone falls on its first day, which exists in every month
    whatever the publication day; ``13/10/2020`` is read day first, as French writes it.
    """
    return DateDataParser(languages=["fr"], settings={
        "RELATIVE_BASE": datetime.combine(base, time()),
        "PREFER_DATES_FROM": prefer,
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
    })


@lru_cache(maxsize=4096)
def _read(words: str, base: date, prefer: Prefer = "current_period") -> tuple[date, str] | None:
    """dateparser's reading of ``words`` against ``base``: a day and its grain (day, week, month, year).

    Cached: the same words recur across the sections and articles of a publication day.
    """
    data = _parser(base, prefer).get_date_data(words)
    if data.date_obj is None or data.period is None:
        return None
    return data.date_obj.date(), data.period


def _value(reading: tuple[date, str]) -> TimeValue:
    """The grain dateparser read, never finer; a week is the month holding its Thursday."""
    day, period = reading
    if period == "year":
        return TimeValue(day.year)
    if period == "month":
        return TimeValue(day.year, day.month)
    if period == "week":
        thursday = day + timedelta(days=3 - day.weekday())
        return TimeValue(thursday.year, thursday.month)
    return TimeValue.from_date(day)


def _day_without_year(month: int, day: int, published: date, direction: Direction) -> date | None:
    candidates = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day).toordinal())
        except ValueError:  # 29 February of a common year
            continue
    chosen = _pick(candidates, published.toordinal(), direction, tolerance=31, horizon=92)
    return date.fromordinal(chosen) if chosen is not None else None


def _month_without_year(month: int, published: date, direction: Direction) -> TimeValue:
    ref = published.year * 12 + published.month - 1
    candidates = [(published.year + delta) * 12 + month - 1 for delta in (-1, 0, 1)]
    chosen = _pick(candidates, ref, direction, tolerance=0, horizon=3)
    assert chosen is not None  # one candidate lies on each side of any reference
    return TimeValue(chosen // 12, chosen % 12 + 1)


def _calendar_words(found: re.Match[str]) -> str:
    """The day, month and year a rule matched, for dateparser: ``1er``/``premier`` read as ``1``."""
    day = found.groupdict().get("day")
    if day is not None and _key(day) in _FIRST_DAY:
        day = "1"
    return " ".join(part for part in (day, found.group("month"), found.group("year")) if part)


def _month_value(ctx: _Context, found: re.Match[str], direction: Direction) -> TimeValue | None:
    """dateparser reads the month (and year); without a year the tagger picks it."""
    reading = _read(_calendar_words(found), ctx.published)
    if reading is None:
        return None
    if found.group("year"):
        return _value(reading)
    return _month_without_year(reading[0].month, ctx.published, direction)


def _full_date(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading | None:
    reading = _read(_calendar_words(found), ctx.published)
    direction: Direction = None if found.group("year") else _direction(ctx, found, role)
    if reading is None:  # 31 avril
        return None
    value = reading[0]
    if not found.group("year"):
        picked = _in_told_year(ctx, found, value, direction) \
            or _day_without_year(value.month, value.day, ctx.published, direction)
        if picked is None:
            return None
        value = picked
    weekday = found.group("weekday")
    mismatch = weekday is not None and _WEEKDAYS[_key(weekday)] != value.weekday()
    time_value = TimeValue.from_date(value)
    return _Reading(time_value, future=ctx.is_future(time_value, direction),
                    flags=(_WEEKDAY_MISMATCH,) if mismatch else ())


def _in_told_year(ctx: _Context, found: re.Match[str], value: date, direction: Direction) -> date | None:
    """``Adoptée le 26 janvier 2021, la loi est promulguée le 9 février``: a day without a year
    that follows, in its sentence, a date of an earlier year is the first such day after that date
    (a story told in the past keeps its year), unless ``dernier``/``prochain`` place it.  A story
    told day by day in the present, with no tense to place it (``déposée le 4 février 2025. Le 17
    mars, X adresse ...``), writes the year once: the date before its sentence counts too."""
    if direction in ("before", "after"):
        return None
    told = ctx.written_day_before(found.start(), beyond=direction is None and not found.group("weekday"))
    if told is None or told.year >= ctx.published.year:
        return None
    for year in (told.year, told.year + 1):
        try:
            candidate = date(year, value.month, value.day)
        except ValueError:
            continue
        if candidate >= told:
            return candidate if candidate <= ctx.published else None
    return None


def _numeric_date(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading | None:
    """``13/10/2020``, ``19/06/20``, ``2021-03-04``: the date without its article, read day first."""
    first = "iso_year" if found.group("iso_year") else "day"
    reading = _read(ctx.text[found.start(first):found.end()], ctx.published)
    if reading is None:  # 31/02/2020
        return None
    value = _value(reading)
    return _Reading(value, future=ctx.is_future(value, None))


def _weekday_alone(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading | None:
    """dateparser's ``past``/``future`` exclude the publication day, its default looks back."""
    published = ctx.published
    direction = _direction(ctx, found, role)
    weekday = found.group("weekday")
    if found.group("this"):
        day = published + timedelta(days=_WEEKDAYS[_key(weekday)] - published.weekday())
        value = TimeValue.from_date(day)
        return _Reading(value, future=ctx.is_future(value, direction))
    if direction == "before":
        reading = _read(weekday, published, "past")
    elif direction == "after":
        reading = _read(weekday, published, "future")
    elif direction == "future":  # on or after publication: strictly after the day before
        reading = _read(weekday, published - timedelta(days=1), "future")
    else:
        reading = _read(weekday, published)
    if reading is None:
        return None
    value = _value(reading)
    return _Reading(value, future=ctx.is_future(value, direction))


def _deictic_day(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading | None:
    reading = _read(_DEICTIC[_key(found.group("word"))], ctx.published)
    if reading is None:
        return None
    return _Reading(_value(reading), future=reading[0] > ctx.published)


def _anaphoric_day(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading:
    offset = Offset(days=_ANAPHORIC[_key(found.group("word"))])
    return _Reading(_counted(ctx.published, offset), offset=offset)


def _same_time(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading:
    """``le même jour``, ``dans la foulée``: no time away from the act told before; read on the
    publication day until the event extractor knows that act's date."""
    value = TimeValue.from_date(ctx.published)
    return _Reading(value, offset=Offset())


def _calendar_relative(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading | None:
    words, *position = _CALENDAR[_key(found.group("word"))]
    reading = _read(words, ctx.published)
    if reading is None:
        return None
    value = _value(reading)
    if position and value.month is None:
        value = _positioned(value.year, position[0], role)
    return _Reading(value, future=reading[0] > ctx.published or value.first_day() > ctx.published)


def _positioned(year: int, position: str | None, role: Role) -> TimeValue:
    """A year, or for a deadline at ``début``/``mi``/``fin`` of it, the month it ends by."""
    if role == "deadline" and position is not None:
        return TimeValue(year, _MONTH_OF_POSITION[position])
    return TimeValue(year)


def _year_value(ctx: _Context, year: str) -> TimeValue | None:
    reading = _read(year, ctx.published)
    return None if reading is None else _value(reading)


def _partial(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading | None:
    """dateparser does not read ``début``/``mi``/``fin``: it reads what follows, the tagger the rest."""
    position = _POSITIONS[_key(found.group("position"))]
    direction: Direction = None
    if found.group("year_only"):
        year = _year_value(ctx, found.group("year_only"))
        value = None if year is None else _positioned(year.year, position, role)
    else:
        direction = _direction(ctx, found, role)
        value = _month_value(ctx, found, direction)
    if value is None:
        return None
    return _Reading(value, future=ctx.is_future(value, direction))


def _month_name(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading | None:
    """A month needs a year, a preposition, ``dernier`` or a signal: ``Mars`` alone may be the planet."""
    if not (found.group("prefix") or found.group("year") or found.group("mark") or signalled):
        return None
    direction = None if found.group("year") else _direction(ctx, found, role)
    value = _month_value(ctx, found, direction)
    if value is None:
        return None
    return _Reading(value, future=ctx.is_future(value, direction))


def _year_alone(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading | None:
    """A bare number like 2020 is a year only after ``en``, ``depuis``, ``d'ici``..."""
    if not (found.group("prefix") or signalled):
        return None
    value = _year_value(ctx, found.group("year"))
    if value is None:
        return None
    return _Reading(value, future=ctx.is_future(value, None))


def _season(ctx: _Context, found: re.Match[str], role: Role, signalled: bool) -> _Reading | None:
    """A season is given as the year it starts in; ``dernier`` is the last one over before publication."""
    if found.group("year"):
        value = _year_value(ctx, found.group("year"))
        if value is None:
            return None
        return _Reading(value, future=ctx.is_future(value, None))
    first, last = _SEASONS[_key(found.group("season"))]
    published = ctx.published.year * 12 + ctx.published.month - 1
    starts = [(ctx.published.year + delta) * 12 + first - 1 for delta in (-2, -1, 0, 1)]
    if _mark(found) == "before":
        start = max(s for s in starts if s + (last - first) % 12 < published)
    else:
        start = min(s for s in starts if s > published)
    return _Reading(TimeValue(start // 12), future=start > published)


Handler = Callable[[_Context, re.Match[str], Role, bool], _Reading | None]

_RULES: tuple[tuple[re.Pattern[str], Handler], ...] = (
    (_FULL_DATE, _full_date),
    (_RANGE_START, _full_date),
    (_NUMERIC_DATE, _numeric_date),
    (_WEEKDAY_ALONE, _weekday_alone),
    (_DEICTIC_DAY, _deictic_day),
    (_ANAPHORIC_DAY, _anaphoric_day),
    (_SAME_TIME, _same_time),
    (_CALENDAR_RELATIVE, _calendar_relative),
    (_PARTIAL, _partial),
    (_MONTH_NAME, _month_name),
    (_YEAR_ALONE, _year_alone),
    (_SEASON, _season),
)


def _mention(ctx: _Context, start: int, end: int, role: Role, reading: _Reading) -> DateMention:
    return DateMention(
        span=Span(start, end, ctx.text[start:end]), role=role, value=reading.value,
        offset=reading.offset, future=reading.future, flags=reading.flags,
    )


def _dated(ctx: _Context) -> Iterator[DateMention]:
    """Mentions of the calendar rules, widened to a signal before them (``d'ici``, ``dès``)."""
    for pattern, handler in _RULES:
        for found in pattern.finditer(ctx.text, ctx.lo, ctx.hi):
            signal = ctx.signal(_DATE_SIGNAL, found.start())
            role: Role = "deadline" if signal and signal[1] == "deadline" else "point"
            reading = handler(ctx, found, role, signal is not None)
            if reading is not None:
                yield _mention(ctx, signal[0] if signal else found.start(), found.end(), role, reading)


def _number(text: str) -> int:
    """``24``, ``vingt-quatre``, ``vingt et un``, ``quatre-vingt-dix``, ``deux cents``."""
    if text.isdigit():
        return int(text)
    total = current = 0
    for word in re.split(r"\s+et\s+|[\s\-‐‑]+", _key(text)):
        value = _NUMBERS[word]
        if value == 1000:
            total, current = total + max(current, 1) * 1000, 0
        elif value == 100:
            current = max(current, 1) * 100
        elif value == 20 and current % 100 == 4:
            current += 76  # quatre-vingt: the 4 already counted becomes 80
        else:
            current += value
    return total + current


def _offset(unit: str, amount: int) -> Offset:
    if unit == "days":
        return Offset(days=amount)
    if unit == "weeks":
        return Offset(days=7 * amount)
    if unit == "years":
        return Offset(years=amount)
    return Offset(months=amount * {"months": 1, "quarters": 3, "semesters": 6}[unit])


def _counted(published: date, offset: Offset) -> TimeValue | None:
    """The value ``offset`` away from publication, read by dateparser as ``dans N …``/``il y a N …``.

    An offset counts in one unit, as ``_offset`` builds it.  Days give a day, months and
    years a month where dateparser's grain says a year; None beyond the calendar.
    """
    if offset.years or offset.months:
        amount, unit = (offset.years, "ans") if offset.years else (offset.months, "mois")
    else:
        amount, unit = offset.days, "jours"
    reading = _read(f"dans {amount} {unit}" if amount >= 0 else f"il y a {-amount} {unit}", published)
    if reading is None:
        return None
    day = reading[0]
    if unit == "jours":
        return TimeValue.from_date(day)
    return TimeValue(day.year) if _years_back(offset) else TimeValue(day.year, day.month)


def _years_back(offset: Offset) -> bool:
    """Years counted back from a reference: given to the year (see the module docstring)."""
    return offset.years < 0 and not offset.months


def _amounts(ctx: _Context) -> Iterator[DateMention]:
    """``deux ans``: a duration, unless a signal makes it a deadline or a point counted from a reference."""
    for found in _AMOUNT.finditer(ctx.text, ctx.lo, ctx.hi):
        unit = _UNITS[_key(found.group("unit"))]
        amount = _number(found.group("num"))
        signal = ctx.signal(_AMOUNT_SIGNAL, found.start())
        kind = signal[1] if signal else None
        direction = _AMOUNT_DIRECTION.match(ctx.text, found.end(), ctx.hi)
        counted = kind not in (None, "duration") or direction is not None
        backwards = kind == "ago" or (direction is not None and direction.group("before") is not None)
        offset = _offset(unit, -amount if backwards else amount) if unit not in ("hours", "minutes") else None
        value = _counted(ctx.published, offset) if counted and offset is not None and amount else None
        if offset is None or value is None:  # a duration, or a point beyond the calendar (il y a 3000 ans)
            start = signal[0] if signal and kind == "duration" else found.start()
            yield _mention(ctx, start, found.end(), "duration", _Reading(None))
            continue
        start = signal[0] if signal else found.start()
        forward = kind in ("deadline", "ahead") and not backwards
        role: Role = "deadline" if kind == "deadline" else "point"
        end = direction.end() if direction else found.end()
        yield _mention(ctx, start, end, role, _Reading(value, offset=offset, future=forward))


def _non_overlapping(mentions: list[DateMention]) -> list[DateMention]:
    """The longest reading wins where expressions overlap (``jeudi 19 novembre`` over ``jeudi``)."""
    starts: list[int] = []
    kept: list[DateMention] = []  # sorted by start, never overlapping
    for mention in sorted(mentions, key=lambda m: (m.span.start - m.span.end, m.span.start)):
        index = bisect.bisect_left(starts, mention.span.start)
        if index and kept[index - 1].span.end > mention.span.start:
            continue
        if index < len(kept) and kept[index].span.start < mention.span.end:
            continue
        starts.insert(index, mention.span.start)
        kept.insert(index, mention)
    return kept


def find_dates(text: str, published: datetime, start: int = 0, end: int | None = None) -> list[DateMention]:
    """All date expressions in text[start:end] (offsets stay relative to the whole text), sorted by start,
    normalised against `published` (tz-aware publication date-time)."""
    hi = len(text) if end is None else max(0, min(end, len(text)))
    ctx = _Context(text, published.date(), max(0, min(start, hi)), hi)
    mentions = _non_overlapping([*_dated(ctx), *_amounts(ctx)])
    found = _non_overlapping([*mentions, *_same_year(ctx, mentions), *_same_day(ctx, mentions),
                              *_next_period(ctx, mentions)])
    return _on_written_day(found)


_NAMES_DAY = re.compile(r"(?<!\w)jour(?!\w)", re.IGNORECASE)


def _on_written_day(mentions: list[DateMention]) -> list[DateMention]:
    """``le 21 août, X a notifié ... et déposé plainte le même jour``: an expression naming the
    same *day* points at the day last written before it, whichever act was told with that day (one
    recalled in the pluperfect included); ``dans la foulée`` names no day and keeps following the
    act told before.  With no day written before it, the expression stays relative."""
    written: TimeValue | None = None
    result = []
    for mention in mentions:
        if mention.offset == Offset() and written is not None and _NAMES_DAY.search(mention.span.text):
            mention = DateMention(mention.span, mention.role, written, None, mention.future, mention.flags)
        elif mention.offset is None and mention.value is not None and mention.value.day is not None:
            written = mention.value
        result.append(mention)
    return result


def _same_year(ctx: _Context, mentions: list[DateMention]) -> Iterator[DateMention]:
    """``cette année-là``, ``à l'automne de la même année``: the year last written out before the
    expression in the tagged stretch (a section), at year precision as a season is; nothing when
    no year was written before it.  A year counts only when written (``en 2019``, ``le 3 mars
    2019``): a relative date (``la veille``) or a year-less one says nothing about which year the
    writer has in mind."""
    written = [m for m in mentions if m.value is not None and _WRITTEN_YEAR.search(m.span.text)]
    starts = [m.span.start for m in written]
    for found in _SAME_YEAR.finditer(ctx.text, ctx.lo, ctx.hi):
        before = bisect.bisect_left(starts, found.start())
        year = written[before - 1].value if before else None
        if year is not None:
            value = TimeValue(year.year)
            yield _mention(ctx, found.start(), found.end(), "point",
                           _Reading(value, future=ctx.is_future(value, None)))


def _next_period(ctx: _Context, mentions: list[DateMention]) -> Iterator[DateMention]:
    """``l'année suivante``, ``le mois précédent``: the year (month) last told before the
    expression, moved by one, at that precision; nothing when none was told before it.  Told
    after an act of the story, they count from that act, not from the publication date."""
    for pattern, table, month in ((_NEXT_YEAR, _NEXT_YEARS, False), (_NEXT_MONTH, _NEXT_MONTHS, True)):
        told = [m for m in mentions if m.value is not None and m.offset is None
                and (m.value.month is not None or not month)]
        starts = [m.span.start for m in told]
        for found in pattern.finditer(ctx.text, ctx.lo, ctx.hi):
            before = bisect.bisect_left(starts, found.start())
            if not before:
                continue
            on = told[before - 1].value
            assert on is not None
            step = table[_key(found.group("word"))]
            value = _shift(TimeValue(on.year, on.month) if month else TimeValue(on.year),
                           Offset(months=step) if month else Offset(years=step))
            yield _mention(ctx, found.start(), found.end(), "point",
                           _Reading(value, future=ctx.is_future(value, None)))


def _same_day(ctx: _Context, mentions: list[DateMention]) -> Iterator[DateMention]:
    """``Ce jour-là``, ``le soir même``: the day last told before the expression in the tagged
    stretch (``jusqu'à lundi. Ce jour-là, ...``), whether or not an event was told with it;
    nothing when no day was told before it."""
    days = [m for m in mentions if m.value is not None and m.value.day is not None and m.offset is None]
    starts = [m.span.start for m in days]
    for found in _SAME_DAY.finditer(ctx.text, ctx.lo, ctx.hi):
        before = bisect.bisect_left(starts, found.start())
        if before:
            value = days[before - 1].value
            assert value is not None
            yield _mention(ctx, found.start(), found.end(), "point",
                           _Reading(value, future=ctx.is_future(value, None)))


def _shift(on: TimeValue, offset: Offset) -> TimeValue:
    """``on`` moved by ``offset``, never finer than ``on``; months and years give at most a month.

    Days move a day-precise value exactly; on a month or a year they move its middle
    (the 15th, 1 July), so ``le lendemain`` of an event known to a month stays in that month.
    """
    if offset.years or offset.months:
        months = offset.years * 12 + offset.months
        if on.month is None or _years_back(offset):
            return TimeValue((on.year * 12 + months) // 12)
        index = on.year * 12 + on.month - 1 + months
        return TimeValue(index // 12, index % 12 + 1)
    if on.day is not None:
        return TimeValue.from_date(on.first_day() + timedelta(days=offset.days))
    middle = date(on.year, on.month or 7, 15 if on.month else 1) + timedelta(days=offset.days)
    return TimeValue(middle.year, middle.month) if on.month else TimeValue(middle.year)


def anchor(mention: DateMention, on: TimeValue) -> TimeValue | None:
    """Re-anchor a relative expression (one with mention.offset) on another reference date, e.g. a deadline
    'd'ici deux ans' on the date of the letter it belongs to; returns mention.value when it has no offset."""
    if mention.offset is None:
        return mention.value
    return _shift(on, mention.offset)

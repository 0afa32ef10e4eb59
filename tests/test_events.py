"""Event triggers, argument filling, merging and relations, on hand-built articles.

Actors and dates are given by hand (what actors.py and dates.py would find),
so these tests pin down the event rules alone.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from kg.extract.dates import anchor
from kg.extract.events import Draft, Reading, find_events
from kg.extract.relations import link
from kg.extract.sentences import split_sentences
from kg.models import Article, DateMention, Mention, Offset, Section, Span, TimeValue

PARIS = ZoneInfo("Europe/Paris")


class Index:
    """Every occurrence of the given surface forms, as an ActorIndex or LegalActIndex would list them."""

    def __init__(self, text: str, names: dict[str, str]) -> None:
        found = [Mention(Span(m.start(), m.end(), m.group()), key)
                 for surface, key in names.items() for m in re.finditer(re.escape(surface), text)]
        self.mentions = tuple(sorted(found, key=lambda m: m.span.start))

    def within(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.span.start and m.span.end <= end]


def _date(text: str, surface: str, value: TimeValue | None, role: str = "point",
          offset: Offset | None = None, flags: tuple[str, ...] = ()) -> DateMention:
    start = text.index(surface)
    return DateMention(Span(start, start + len(surface), surface), role, value, offset,  # type: ignore[arg-type]
                       flags=flags)


def _read(text: str, actors: dict[str, str], dates: list[DateMention]) -> Reading:
    article = Article(id="t", title="t", published=datetime(2020, 11, 23, 9, 49, tzinfo=PARIS), text=text,
                      sections=(Section("body", 0, len(text)),))
    reading = find_events(article, split_sentences(article), sorted(dates, key=lambda d: d.span.start),
                          Index(text, actors), Index(text, {}))
    link(reading, text, anchor)
    return reading


def _one(reading: Reading, kind: str) -> Draft:
    found = [d for d in reading.drafts if d.type == kind]
    assert len(found) == 1, [(d.type, d.evidence) for d in reading.drafts]
    return found[0]


def test_ruling_framed_by_its_decision_noun_decides_the_appeal_named_twice() -> None:
    text = ("Un recours formé par le collectif Alpha visait un décret publié le 3 mars. "
            "Dans sa décision, rendue le 9 avril, le Conseil d’État a rejeté le recours d’Alpha.")
    actors = {"le collectif Alpha": "Alpha", "Alpha": "Alpha", "Conseil d’État": "Conseil d’État"}
    reading = _read(text, actors,
                    [_date(text, "le 3 mars", TimeValue(2020, 3, 3)),
                     _date(text, "le 9 avril", TimeValue(2020, 4, 9), flags=("weekday_mismatch",))])
    assert sorted(d.type for d in reading.drafts) == ["Appeal", "Publication", "Ruling"]
    appeal, decree, ruling = _one(reading, "Appeal"), _one(reading, "Publication"), _one(reading, "Ruling")
    assert appeal.agents == ["Alpha"] and appeal.addressees == ["Conseil d’État"]
    assert len(appeal.evidence) == 2 and appeal.evidence[0].text == "Un recours formé par le collectif Alpha"
    assert ("targets", decree) in appeal.related
    assert decree.date is not None and decree.date.value == TimeValue(2020, 3, 3)
    assert ruling.agents == ["Conseil d’État"] and ruling.outcome == "rejected"
    assert ruling.date is not None and ruling.date.span.text == "le 9 avril"
    assert ruling.related == [("decides", appeal)]


def test_commitment_made_in_a_letter_shares_its_date_and_addressee() -> None:
    text = ("La ministre Jeanne Durand, dans une lettre du 2 mars, s’est engagée auprès de l’Arcom "
            "à publier un rapport d’ici six mois.")
    deadline = _date(text, "d’ici six mois", TimeValue(2021, 5), "deadline", Offset(months=6))
    reading = _read(text, {"La ministre Jeanne Durand": "Jeanne Durand", "Arcom": "Arcom"},
                    [_date(text, "du 2 mars", TimeValue(2020, 3, 2)), deadline])
    letter, commitment = _one(reading, "Letter"), _one(reading, "Commitment")
    assert letter.agents == commitment.agents == ["Jeanne Durand"]
    assert letter.addressees == commitment.addressees == ["Arcom"]
    assert letter.evidence[0].text == "dans une lettre du 2 mars"
    assert commitment.date is letter.date
    assert commitment.deadline is deadline


def test_disclosure_reveals_the_act_named_before_it() -> None:
    text = "Cette mesure répond à une demande de la CNIL, révélée par Mediapart le 8 octobre."
    reading = _read(text, {"CNIL": "CNIL", "Mediapart": "Mediapart"},
                    [_date(text, "le 8 octobre", TimeValue(2020, 10, 8))])
    request, disclosure = _one(reading, "Request"), _one(reading, "Disclosure")
    assert request.agents == ["CNIL"] and request.date is None
    assert disclosure.agents == ["Mediapart"] and disclosure.related == [("discloses", request)]
    assert disclosure.evidence[0].text == "révélée par Mediapart le 8 octobre"


def test_negated_hedged_quoted_and_asked_acts_are_not_events() -> None:
    text = ("Le ministère n’a pas publié le décret. Un recours reste possible. "
            "« Nous ferons appel », dit-il. Le Conseil a-t-il rejeté la demande ? "
            "Ils pourraient saisir le juge. Le juge des référés se tait.")
    assert _read(text, {"Le Conseil": "Conseil d’État"}, []).drafts == []


def test_a_demonstrative_mention_refers_back_instead_of_adding_an_event() -> None:
    text = "Le 3 mars, la CNIL a infligé une amende à Acme. Cette sanction est la plus lourde."
    reading = _read(text, {"CNIL": "CNIL", "Acme": "Acme"}, [_date(text, "Le 3 mars", TimeValue(2020, 3, 3))])
    sanction = _one(reading, "Sanction")
    assert sanction.agents == ["CNIL"] and sanction.addressees == ["Acme"]
    assert sanction.date is not None and sanction.date.value == TimeValue(2020, 3, 3)
    assert [o.anaphor for o in reading.occurrences] == [False, True]


def test_an_injunction_follows_its_ruling_which_is_then_only_partly_a_rejection() -> None:
    text = ("Le 9 avril, le Conseil d’État a rejeté la requête. "
            "Il ordonne néanmoins à l’Agence de publier ses données sous dix jours.")
    reading = _read(text, {"Conseil d’État": "Conseil d’État", "l’Agence": "Agence"},
                    [_date(text, "Le 9 avril", TimeValue(2020, 4, 9)),
                     _date(text, "sous dix jours", TimeValue(2020, 12, 3), "deadline", Offset(days=10))])
    ruling, request = _one(reading, "Ruling"), _one(reading, "Request")
    assert ruling.outcome == "partially_granted"
    assert request.agents == ["Conseil d’État"] and request.addressees == ["Agence"]
    assert request.related == [("follows", ruling)] and request.date is ruling.date
    assert ("decides", _one(reading, "Appeal")) in ruling.related


def test_relative_dates_count_from_the_event_told_before() -> None:
    text = "Leur demande a été rejetée le 5 mai, et elles ont fait appel dès le lendemain devant le Conseil."
    reading = _read(text, {"le Conseil": "Conseil d’État"},
                    [_date(text, "le 5 mai", TimeValue(2020, 5, 5)),
                     _date(text, "dès le lendemain", TimeValue(2020, 11, 24), offset=Offset(days=1))])
    appeals = [d for d in reading.drafts if d.type == "Appeal"]
    assert len(appeals) == 2
    appeal = next(d for d in appeals if d.date is not None)
    assert appeal.date is not None and appeal.date.value == TimeValue(2020, 5, 6)
    assert appeal.addressees == ["Conseil d’État"]
    assert ("targets", _one(reading, "Ruling")) in appeal.related

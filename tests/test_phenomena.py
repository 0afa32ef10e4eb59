"""French-journalism phenomena, end to end through the real extractor, on invented sentences.

Every text here is made up (other institutions, other parties, other dates
than the dev corpus), so a rule that passes these tests holds for the
phenomenon, not for one article's sentence.  Actors, dates, legal acts and
events are all found by the real pipeline (``kg.extract.extract``).
"""

from __future__ import annotations

from invented import ARCEP, CNIL, events_of, extract_text, one_event

from kg.models import Event


def _iso(event: Event) -> str | None:
    return event.date.iso() if event.date else None


# --------------------------------------------------------------------------- voice and synonyms


def test_passive_ruling_by_a_periphrasis_decides_the_appeal_filed_with_that_court() -> None:
    text = ("Le 2 février 2023, l’association Alpha Liberté a saisi le Conseil d’État d’un recours contre "
            "le décret. Le recours a été rejeté par la haute juridiction le 9 mars 2023.")
    extraction = extract_text(text)
    appeal, ruling = one_event(extraction, "Appeal"), one_event(extraction, "Ruling")
    assert appeal.agents == ("Alpha Liberté",) and appeal.addressees == ("Conseil d’État",)
    assert ruling.agents == ("Conseil d’État",) and ruling.outcome == "rejected"
    assert _iso(ruling) == "2023-03-09"
    assert [(r.relation, r.event) for r in ruling.related] == [("decides", appeal.id)]


def test_press_periphrases_and_seats_name_the_institution() -> None:
    text = ("Le gendarme des données personnelles a publié le 3 janvier 2023 une recommandation. "
            "Bercy a signé le 4 janvier 2023 un arrêté. "
            "La Place Beauvau a publié le 5 janvier 2023 une circulaire.")
    agents = [e.agents for e in events_of(extract_text(text), "Publication")]
    assert agents == [(CNIL,), ("Ministère de l’Économie",), ("Ministère de l’Intérieur",)]


def test_a_bare_description_and_a_contracted_one_refer_to_the_actor_named_before() -> None:
    text = ("L’Autorité de la concurrence a infligé le 4 mars 2023 une amende à la société Zeta. "
            "L’autorité a aussi publié le 6 mars 2023 un avis. "
            "Le ministère de la Culture a reçu la société Zeta. "
            "La présidente de l’Arcom, Jeanne Morel, avait écrit au ministère dès le 2 février 2023.")
    extraction = extract_text(text)
    assert one_event(extraction, "Publication").agents == ("Autorité de la concurrence",)
    letter = one_event(extraction, "Letter")
    assert letter.agents == ("Jeanne Morel",) and letter.addressees == ("Ministère de la Culture",)


def test_plural_descriptions_and_pronouns_stand_for_the_actors_just_listed() -> None:
    text = ("L’association Alpha Liberté et le syndicat Beta contestent l’arrêté préfectoral. "
            "Les deux organisations ont saisi le tribunal administratif de Lille le 3 février 2023. "
            "Leur requête a été rejetée le 20 février 2023, et elles ont fait appel dès le lendemain "
            "devant la cour administrative d’appel de Douai.")
    extraction = extract_text(text)
    first, second = sorted(events_of(extraction, "Appeal"), key=lambda e: e.evidence[0].start)
    assert set(first.agents) == set(second.agents) == {"Alpha Liberté", "Beta"}
    assert first.addressees == ("Tribunal administratif de Lille",) and _iso(first) == "2023-02-03"
    assert second.addressees == ("Cour administrative d’appel de Douai",) and _iso(second) == "2023-02-21"
    ruling = one_event(extraction, "Ruling")
    assert ruling.agents == ("Tribunal administratif de Lille",)
    assert [r.relation for r in second.related] == ["targets"] and second.related[0].event == ruling.id


def test_a_number_that_does_not_fit_the_actors_named_resolves_to_nobody() -> None:
    text = ("L’association Alpha Liberté a saisi le tribunal administratif de Lyon le 3 février 2023. "
            "Les trois associations ont fait appel le 20 février 2023.")
    appeals = sorted(events_of(extract_text(text), "Appeal"), key=lambda e: e.evidence[0].start)
    assert appeals[0].agents == ("Alpha Liberté",)
    assert appeals[-1].agents == ()


def test_a_quantity_before_the_agent_keeps_it_the_agent() -> None:
    text = ("Saisi par plus de soixante députés Les Républicains, le Conseil constitutionnel a censuré "
            "le 12 janvier 2023 la loi relative aux drones.")
    extraction = extract_text(text)
    appeal = one_event(extraction, "Appeal")
    assert appeal.agents == ("Députés Les Républicains",)
    assert appeal.addressees == ("Conseil constitutionnel",)
    assert one_event(extraction, "Ruling").outcome == "annulled"


# --------------------------------------------------------------------------- several events


def test_several_events_in_one_sentence() -> None:
    text = ("Le 4 février 2023, l’Arcom a mis en demeure la société Kappa Média et le tribunal "
            "administratif de Marseille a rejeté la requête du collectif Omega.")
    extraction = extract_text(text)
    request, ruling = one_event(extraction, "Request"), one_event(extraction, "Ruling")
    appeal = one_event(extraction, "Appeal")
    assert request.agents == ("Autorité de régulation de la communication audiovisuelle et numérique",)
    assert request.addressees == ("Kappa Média",)
    assert ruling.agents == ("Tribunal administratif de Marseille",) and _iso(ruling) == "2023-02-04"
    assert appeal.agents == ("Omega",)


def test_one_verb_with_two_penalised_objects_is_two_sanctions() -> None:
    text = ("Le 12 octobre 2022, l’Arcep a condamné Bouygues Telecom à 20 millions d’euros et la "
            "société Orange à 5 millions d’euros.")
    sanctions = events_of(extract_text(text), "Sanction")
    assert [s.addressees for s in sanctions] == [("Bouygues Telecom",), ("Orange",)]
    assert all(s.agents == (ARCEP,) and _iso(s) == "2022-10-12" for s in sanctions)
    assert sanctions[1].evidence[0].text == "la société Orange à 5 millions d’euros"


def test_a_plural_penalty_noun_is_one_sanction_per_party_a_singular_one_is_joint() -> None:
    several = events_of(extract_text("Le 12 octobre 2022, Orange et Bouygues Telecom se sont vu infliger par "
                           "l’Arcep des amendes record."), "Sanction")
    assert sorted(s.addressees for s in several) == [("Bouygues Telecom",), ("Orange",)]
    assert all(s.agents == (ARCEP,) for s in several)
    joint = events_of(extract_text("Le 14 octobre 2022, l’Arcep a infligé une amende de 3 millions d’euros à "
                         "Orange et Bouygues Telecom."), "Sanction")
    assert [s.addressees for s in joint] == [("Orange", "Bouygues Telecom")]


def test_a_second_penalty_against_another_company_is_another_event() -> None:
    text = ("L’Autorité de la concurrence a infligé le 4 mars 2023 une amende à la société Zeta. "
            "L’autorité a aussi sanctionné la société Epsilon le même jour.")
    sanctions = events_of(extract_text(text), "Sanction")
    assert [s.addressees for s in sanctions] == [("Zeta",), ("Epsilon",)]
    assert [_iso(s) for s in sanctions] == ["2023-03-04", "2023-03-04"]


def test_a_party_that_undergoes_a_penalty_is_its_addressee() -> None:
    text = "En 2021, la société Acme a écopé d’une amende de 2 millions d’euros infligée par la CNIL."
    sanction = one_event(extract_text(text), "Sanction")
    assert sanction.addressees == ("Acme",) and sanction.agents == (CNIL,) and _iso(sanction) == "2021"


def test_a_time_limit_given_after_a_decision_is_an_injunction_of_its_author() -> None:
    text = ("Le 9 janvier 2023, l’Arcep a infligé une amende à la société Lambda. "
            "L’opérateur dispose de deux mois pour se mettre en conformité.")
    extraction = extract_text(text)
    sanction, request = one_event(extraction, "Sanction"), one_event(extraction, "Request")
    assert request.agents == (ARCEP,) and request.addressees == ("Lambda",)
    assert _iso(request) == "2023-01-09"
    assert [(r.relation, r.event) for r in request.related] == [("follows", sanction.id)]


def test_coordinated_participles_share_their_agent() -> None:
    text = ("Adoptée par le Sénat le 3 mai 2023 et promulguée le 10 mai 2023, la loi sur les drones "
            "s’applique depuis juin.")
    extraction = extract_text(text)
    publications = sorted(events_of(extraction, "Publication"), key=lambda e: e.evidence[0].start)
    assert [_iso(p) for p in publications][-1] == "2023-05-10"
    assert publications[-1].agents == ("Sénat",)


# --------------------------------------------------------------------------- one event, two mentions


def test_an_event_mentioned_twice_is_one_event_with_two_pieces_of_evidence() -> None:
    text = ("Le collectif Delta a déposé un recours le 2 février 2023 devant le Conseil d’État. "
            "Le juge administratif doit encore fixer une audience. "
            "Le recours du collectif Delta vise le décret sur la vidéoprotection.")
    appeal = one_event(extract_text(text), "Appeal")
    assert appeal.agents == ("Delta",) and appeal.addressees == ("Conseil d’État",)
    assert len(appeal.evidence) == 2


def test_a_continuing_plural_participle_completes_every_act_told_last() -> None:
    text = ("Orange et Bouygues Telecom se sont vu infliger par l’Arcep des amendes record. "
            "Décidées par le régulateur le 12 octobre 2022, elles sont les plus lourdes de son histoire.")
    sanctions = events_of(extract_text(text), "Sanction")
    assert len(sanctions) == 2 and all(_iso(s) == "2022-10-12" for s in sanctions)


# --------------------------------------------------------------------------- modality and time


def test_negated_hypothetical_and_intended_acts_are_not_events() -> None:
    text = ("Le Conseil d’État n’a pas encore rendu son avis. "
            "Un recours pourrait être déposé devant le tribunal administratif de Lyon. "
            "Le syndicat Beta envisage de saisir la Cour de cassation.")
    assert extract_text(text).events == ()


def test_a_conditional_after_an_asserted_support_verb_does_not_cancel_the_act() -> None:
    text = "Le recours déposé par le syndicat Beta le 3 février 2023 pourrait aboutir."
    appeal = one_event(extract_text(text), "Appeal")
    assert appeal.agents == ("Beta",) and _iso(appeal) == "2023-02-03"


def test_announced_rulings_are_not_events_yet() -> None:
    text = ("La décision sera rendue le 3 juin. "
            "L’arrêt de la cour d’appel de Rennes est attendu le 3 juillet. "
            "La Commission européenne doit présenter son avis d’ici la fin de l’année.")
    assert extract_text(text).events == ()


def test_an_expected_mention_of_an_act_already_told_keeps_it_asserted() -> None:
    text = ("Le 2 mars 2023, la cour d’appel de Rennes a rendu son arrêt. "
            "Cet arrêt, attendu depuis des mois, confirme la condamnation.")
    ruling = one_event(extract_text(text), "Ruling")
    assert not ruling.expected and _iso(ruling) == "2023-03-02"


def test_same_time_is_inherited_only_when_the_text_says_so() -> None:
    said = ("Le 7 avril 2022, le tribunal administratif de Nice a rejeté la requête du syndicat Beta. "
            "Dans la foulée, le syndicat a fait appel devant la cour administrative d’appel de Marseille.")
    appeal = next(e for e in events_of(extract_text(said), "Appeal") if e.addressees[0].startswith("Cour"))
    assert _iso(appeal) == "2022-04-07" and appeal.agents == ("Beta",)
    unsaid = ("Le 7 avril 2022, le tribunal administratif de Nice a rejeté la requête du syndicat Beta. "
              "Le syndicat a fait appel devant la cour administrative d’appel de Marseille.")
    appeal = next(e for e in events_of(extract_text(unsaid), "Appeal") if e.addressees[0].startswith("Cour"))
    assert appeal.date is None


def test_a_date_after_the_object_of_a_ruling_verb_dates_the_ruling() -> None:
    text = ("Le Conseil d’État a partiellement fait droit à la requête de l’association Sigma "
            "le 2 février 2023.")
    extraction = extract_text(text)
    ruling = one_event(extraction, "Ruling")
    assert ruling.outcome == "partially_granted" and _iso(ruling) == "2023-02-02"


def test_a_ruling_never_decides_an_appeal_filed_after_it() -> None:
    text = ("Le 5 janvier 2023, la CNIL a autorisé le fichier. "
            "Le 9 février 2023, l’association Sigma a déposé un recours contre cette autorisation.")
    extraction = extract_text(text)
    ruling, appeal = one_event(extraction, "Ruling"), one_event(extraction, "Appeal")
    assert ruling.related == ()
    assert [(r.relation, r.event) for r in appeal.related] == [("targets", ruling.id)]


# --------------------------------------------------------------------------- outcomes


def test_outcomes_of_rulings() -> None:
    text = ("Le 8 juin 2022, le tribunal administratif de Nantes a annulé l’arrêté municipal. "
            "Le 10 juin 2022, la cour administrative d’appel de Nantes a suspendu l’arrêté préfectoral. "
            "Le 20 juin 2022, le tribunal administratif de Rouen a rejeté la demande de la société Iota. "
            "Le 5 juillet 2022, la Cour de cassation a confirmé le jugement. "
            "Le 9 juillet 2022, le Conseil d’État a fait droit à la demande d’annulation de "
            "l’association Rho.")
    outcomes = [(e.agents, e.outcome) for e in events_of(extract_text(text), "Ruling")]
    assert outcomes == [
        (("Tribunal administratif de Nantes",), "annulled"),
        (("Cour administrative d’appel de Nantes",), "suspended"),
        (("Tribunal administratif de Rouen",), "rejected"),
        (("Cour de cassation",), "upheld"),
        (("Conseil d’État",), "granted"),
    ]

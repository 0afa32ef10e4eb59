"""Round 12 of generalisation: names of bodies and companies, role nouns, procedural verbs, story years.

A capitalised descriptor (``La Fédération des …``, ``le Collectif pour …``) or a legal form written
first (``SAS X``, ``Laboratoires X``) begins a name; a name's head noun (``Banque …``) tells its kind;
``le parquet de X`` and ``la communauté d'agglomération du X`` are bodies named after their seat;
``l'électricien``, ``le même tribunal`` stand for the actor named before; ``enjoindre`` asserts a
request in every tense; a support verb governs its noun across a date and an addressee; a story told
day by day in the present writes its year once.
"""

from __future__ import annotations

from tests.invented import CNIL, extract_text, one_event


def test_a_capitalised_federation_is_named_with_its_lower_case_words() -> None:
    text = ("La Fédération des meuniers indépendants avait demandé au ministère de l'Agriculture "
            "de suspendre le texte.")
    x = extract_text(text)
    request = one_event(x, "Request")
    assert request.agents == ("Fédération des meuniers indépendants",)
    assert {a.name: a.kind for a in x.actors}["Fédération des meuniers indépendants"] == "Association"


def test_a_capitalised_collective_keeps_its_linking_words() -> None:
    x = extract_text("Le Collectif pour la défense des marais a salué la décision mardi.")
    statement = one_event(x, "Statement")
    assert statement.agents == ("Collectif pour la défense des marais",)


def test_a_sentence_opening_word_is_no_capitalised_head() -> None:
    x = extract_text("Le tribunal a rejeté la requête le 3 mars 2022. Association de malfaiteurs, "
                     "a ensuite jugé la cour.")
    assert all(not a.name.startswith("Association") for a in x.actors)


def test_a_legal_form_written_first_names_a_company() -> None:
    x = extract_text("La SARL Moulins du Trégor a fait savoir hier qu'elle ferait appel. "
                     "Moulins du Trégor a saisi la cour administrative d'appel de Nantes le 2 mars 2022.")
    actors = {a.name: a.kind for a in x.actors}
    assert actors.get("SARL Moulins du Trégor") == "Company"
    appeal = one_event(x, "Appeal")
    assert appeal.agents == ("SARL Moulins du Trégor",)


def test_laboratoires_belongs_to_the_company_name() -> None:
    text = ("L'Agence nationale de sécurité du médicament et des produits de santé (ANSM) a enjoint lundi "
            "aux Laboratoires Quernel de reconstituer leurs stocks.")
    request = one_event(extract_text(text), "Request")
    assert request.addressees == ("Laboratoires Quernel",)


def test_a_bank_named_by_an_acronym_is_a_company_and_la_banque_refers_to_it() -> None:
    text = ("La Caisse Armoricaine de Dépôts (CAD) a été condamnée en 2021. "
            "La banque a interjeté appel le 3 mars 2022.")
    x = extract_text(text)
    assert {a.name: a.kind for a in x.actors}["Caisse Armoricaine de Dépôts"] == "PublicBody"
    text = ("La Banque Provençale d'Escompte (BPE) a été condamnée en 2021. "
            "La banque a interjeté appel le 3 mars 2022.")
    x = extract_text(text)
    assert {a.name: a.kind for a in x.actors}["Banque Provençale d'Escompte"] == "Company"
    appeal = one_event(x, "Appeal")
    assert appeal.agents == ("Banque Provençale d'Escompte",)


def test_a_prosecutor_office_is_named_after_its_seat() -> None:
    text = "L'association Datacit a déposé plainte le 2 mars 2022 auprès du parquet de Quimper."
    appeal = one_event(extract_text(text), "Appeal")
    assert appeal.addressees == ("Parquet de Quimper",)


def test_an_intercommunal_body_is_named_after_its_territory() -> None:
    text = ("Le 4 mars 2022, le tribunal administratif de Rennes enjoint à la communauté d'agglomération "
            "du Pays de Morlane de relancer la procédure dans un délai de six mois.")
    request = one_event(extract_text(text), "Request")
    assert request.addressees == ("Communauté d’agglomération du Pays de Morlane",)
    assert request.deadline is not None and request.deadline.iso() == "2022-09"


def test_enjoindre_in_the_present_plural_is_a_request() -> None:
    text = ("Le tribunal administratif de Caen a annulé l'arrêté le 3 mars 2022. "
            "Les juges enjoignent au préfet du Calvados de statuer à nouveau dans un délai de trois mois.")
    request = one_event(extract_text(text), "Request")
    assert request.addressees == ("Préfet du Calvados",)


def test_the_electricity_company_is_referred_to_by_its_trade() -> None:
    text = "EDF avait demandé l'arrêt du chantier. L'électricien a déposé sa demande de report fin mai 2022."
    requests = extract_text(text).events
    assert requests and all(e.agents == ("EDF",) for e in requests if e.type == "Request")


def test_the_same_court_is_the_court_named_before() -> None:
    text = ("Le tribunal administratif de Rennes a annulé l'arrêté le 3 mars 2022. "
            "Le même tribunal avait annulé l'an dernier un permis de construire.")
    rulings = [e for e in extract_text(text).events if e.type == "Ruling"]
    assert [r.agents for r in rulings] == [("Tribunal administratif de Rennes",)] * 2


def test_a_support_verb_reaches_its_noun_across_a_date_and_an_addressee() -> None:
    text = ("La CNIL a prononcé le 3 mai 2022 à l'encontre de la société Brivex une amende de 2 millions "
            "d'euros.")
    sanction = one_event(extract_text(text), "Sanction")
    assert sanction.agents == (CNIL,)


def test_a_story_told_in_the_present_keeps_the_year_written_before() -> None:
    text = ("La plainte de l'association Datacit est déposée le 4 février 2021.\n"
            "Le 17 mars, la CNIL adresse à la société Brivex une demande d'informations.")
    request = one_event(extract_text(text), "Request")
    assert request.date is not None and request.date.iso() == "2021-03-17"


def test_a_past_tense_sentence_does_not_borrow_an_earlier_year() -> None:
    text = ("Le Conseil d'État avait suspendu l'autorisation le 12 février 2021. "
            "Lors de l'audience du 25 janvier, la rapporteure publique avait conclu à l'annulation.")
    hearing = one_event(extract_text(text), "Hearing")
    assert hearing.date is not None and hearing.date.iso() == "2023-01-25"


def test_a_present_plural_is_no_passive_participle() -> None:
    text = ("La société Brivex a été sanctionnée le 3 mars 2022. Ses dirigeants contestent la sanction "
            "devant le Conseil d'État.")
    appeal = one_event(extract_text(text), "Appeal")
    assert "Conseil d’État" in appeal.addressees
    assert "Conseil d’État" not in appeal.agents

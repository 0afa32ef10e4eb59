"""Write N synthetic French news articles in the corpus's plain-text form, for benchmarks only.

    python bench/make_corpus.py 10000 --seed 7 --out /tmp/corpus-10k

Each article is built from the templates and word lists below (its own, not the extractor's
lexicons): a title, a publication line, a reading time and categories, a body of about 600
words telling a legal affair (appeals, rulings, sanctions, opinions, letters, commitments,
publications of decrees, hearings, disclosures) with actors, legal acts and date expressions
of every precision, then a comments section.  The same (seed, index) always gives the same
article, whatever N, so a 10,000-article corpus starts with the 1,000-article one.

Never used to tune the extractor: the numbers it yields measure speed, not quality.
Files go in sub-directories of 1,000 (``0000/``, ``0001/``...) so no directory gets huge.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
COUNTS = ["deux", "trois", "quatre", "six", "dix-huit"]

COURTS = ["le Conseil d’État", "le Conseil constitutionnel", "la Cour de justice de l’Union européenne",
          "le tribunal administratif de Paris", "la cour d’appel de Versailles", "la Cour de cassation",
          "le tribunal judiciaire de Nanterre"]
REGULATORS = [("la Commission nationale de l’informatique et des libertés", "CNIL"),
              ("l’Autorité de la concurrence", None), ("l’Autorité de régulation de la communication "
                                                       "audiovisuelle et numérique", "Arcom"),
              ("l’Agence nationale de la sécurité des systèmes d’information", "ANSSI"),
              ("le Comité européen de la protection des données", "CEPD")]
COMPANIES = ["Google", "Meta", "Amazon", "Microsoft", "Apple", "Criteo", "Doctolib", "Orange", "Free",
             "TikTok", "Clearview AI", "Yahoo", "Carrefour", "Free Mobile", "Deliveroo", "Uber"]
ASSOCIATIONS = ["La Quadrature du Net", "l’UFC-Que Choisir", "noyb", "la Ligue des droits de l’homme",
                "le collectif InterHop", "l’association Privacy International", "le syndicat CGT"]
MINISTRIES = ["le ministère de l’Intérieur", "le ministère de la Santé", "le gouvernement",
              "le ministère de l’Économie", "Matignon", "le ministère de l’Éducation nationale"]
FIRST_NAMES = ["Claire", "Julien", "Sophie", "Marc", "Nadia", "Thomas", "Élise", "Karim", "Isabelle",
               "Olivier", "Hélène", "Patrick", "Amélie", "Rachid", "Camille"]
LAST_NAMES = ["Martin", "Bernard", "Lefèvre", "Moreau", "Garnier", "Rousseau", "Fabre", "Girard",
              "Mercier", "Dupont", "Lambert", "Bonnet", "Faure", "Chevalier", "Roux"]
OFFICES = ["le ministre de l’Intérieur", "la ministre de la Santé", "le secrétaire d’État au numérique",
           "la présidente de la CNIL", "le rapporteur public", "la députée", "le sénateur"]
OUTLETS = ["Mediapart", "Le Monde", "Libération", "Contexte", "L’Informé", "Le Canard enchaîné"]
TOPICS = ["la reconnaissance faciale", "les cookies publicitaires", "le fichier des passeports",
          "les données de santé", "la vidéosurveillance algorithmique", "le traçage des contacts",
          "la conservation des données de connexion", "le pass sanitaire", "les caméras-piétons",
          "le fichier TAJ", "les algorithmes de la CAF", "la publicité ciblée", "le transfert de données "
          "vers les États-Unis", "les drones de surveillance", "l’hébergement des données de santé"]
CATEGORIES = ["Droit", "Internet", "Vie privée", "Société numérique", "Économie", "Sécurité", "Justice"]
ACT_KINDS = ["décret", "arrêté", "ordonnance", "délibération", "loi"]
FILLER = [
    "Le dossier, suivi de près par les associations, illustre la difficulté d’encadrer {topic}.",
    "Plusieurs spécialistes interrogés jugent que le débat sur {topic} dépasse largement ce seul cas.",
    "Les débats ont surtout porté sur la proportionnalité du dispositif et sur les garanties offertes.",
    "Contacté, {company} n’a pas souhaité faire de commentaire à ce stade de la procédure.",
    "D’autres acteurs du secteur observent l’affaire avec attention, tant ses effets pourraient être larges.",
    "Ce n’est pas la première fois que {topic} se retrouve au cœur d’un contentieux de ce type.",
    "Sur le fond, les arguments échangés restent très techniques et portent sur la base légale retenue.",
    "Selon nos informations, les discussions entre les parties se poursuivent en coulisses.",
]
COMMENTS = [
    "Encore une fois, on découvre que {topic} pose problème. Qui aurait pu prévoir…",
    "Je ne comprends pas pourquoi {company} n’a pas été sanctionné plus tôt.",
    "Bonne nouvelle, mais il faudra voir l’application concrète de la décision.",
    "Le montant de l’amende reste ridicule au regard de leur chiffre d’affaires.",
    "Quelqu’un a le lien vers le texte complet ?",
    "Merci pour l’article, très clair comme toujours.",
    "Ils vont faire appel, comme d’habitude, et ça prendra encore deux ans.",
    "Hors sujet, mais le site rame beaucoup ce matin.",
]


@dataclass
class Scene:
    """What one article is about: its people, institutions, acts and the days events fall on."""

    rng: random.Random
    published: datetime
    topic: str
    court: str
    regulator: tuple[str, str | None]
    company: str
    association: str
    ministry: str
    person: tuple[str, str]
    act: str
    outlet: str


def article(seed: int, index: int) -> tuple[str, str]:
    """The file name and the text of article ``index`` of the corpus ``seed``."""
    rng = random.Random(f"{seed}:{index}")
    scene = _scene(rng)
    body = _body(scene)
    comments = _comments(scene)
    published = scene.published
    title = _title(scene)
    header = [title, _publication_line(published, rng), f"{rng.randint(2, 9)} min",
              *rng.sample(CATEGORIES, rng.randint(1, 2))]
    text = "\n".join([*header, *body, _publication_line(published, rng), *comments]) + "\n"
    slug = "-".join(title.lower().split()[:5])
    safe = "".join(c if c.isalnum() or c == "-" else "-" for c in slug).strip("-")
    return f"{index // 1000:04d}/{safe}-{published:%Y-%m-%d}-{index:06d}.txt", text


def _scene(rng: random.Random) -> Scene:
    published = datetime(2018, 1, 1, 7, 0) + timedelta(days=rng.randint(0, 8 * 365),
                                                       minutes=rng.randint(0, 14 * 60))
    number = f"{published.year - rng.randint(0, 2)}-{rng.randint(100, 1500)}"
    kind = rng.choice(ACT_KINDS)
    act = (f"la délibération n° SAN-{number}" if kind == "délibération"
           else f"la loi n° {number}" if kind == "loi" else f"l’{kind} n° {number}" if kind in ("arrêté",
                                                                                               "ordonnance")
           else f"le décret n° {number}")
    person = (f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", rng.choice(OFFICES))
    return Scene(rng, published, rng.choice(TOPICS), rng.choice(COURTS), rng.choice(REGULATORS),
                 rng.choice(COMPANIES), rng.choice(ASSOCIATIONS), rng.choice(MINISTRIES), person, act,
                 rng.choice(OUTLETS))


def _title(scene: Scene) -> str:
    rng = scene.rng
    return rng.choice([
        f"{_cap(scene.court)} se prononce sur {scene.topic}",
        f"{_short(scene.regulator)} sanctionne {scene.company}",
        f"{_cap(scene.association)} attaque {scene.act}",
        f"{scene.company} s’engage à revoir ses pratiques sur {scene.topic}",
        f"{_cap(scene.ministry)} publie un texte sur {scene.topic}",
    ])


def _body(scene: Scene) -> list[str]:
    """About 600 words: an affair told as several dated events, with context sentences between."""
    rng = scene.rng
    days = sorted({scene.published.date() - timedelta(days=rng.randint(1, 200)) for _ in range(7)})
    events = [_appeal, _ruling, _sanction, _letter, _commitment, _publication, _opinion, _hearing,
              _disclosure, _request, _statement]
    chosen = rng.sample(events, rng.randint(6, 9))
    paragraphs: list[str] = []
    for position, make in enumerate(chosen):
        sentences = [make(scene, days[position % len(days)])]
        sentences += [filler.format(topic=scene.topic, company=scene.company)
                      for filler in rng.sample(FILLER, rng.randint(2, 4))]
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _when(scene: Scene, day: date) -> str:
    """A date expression of a random kind: day with or without year or weekday, month, relative."""
    rng, published = scene.rng, scene.published.date()
    month = MONTHS[day.month - 1]
    same_year = day.year == published.year
    choices = [f"le {_day(day)} {month} {day.year}", f"le {WEEKDAYS[day.weekday()]} {_day(day)} {month}",
               f"en {month} {day.year}", f"le {_day(day)} {month} dernier" if not same_year else
               f"le {_day(day)} {month}"]
    if (published - day).days == 1:
        choices.append("hier")
    return rng.choice(choices)


def _day(day: date) -> str:
    return "1er" if day.day == 1 else str(day.day)


def _appeal(scene: Scene, day: date) -> str:
    return (f"{_cap(scene.association)} a déposé {_when(scene, day)} un recours devant {scene.court} "
            f"visant à obtenir l’annulation de {scene.act}, portant sur {scene.topic}.")


def _ruling(scene: Scene, day: date) -> str:
    outcome = scene.rng.choice(["a rejeté la requête", "a annulé", "a suspendu l’exécution de",
                                "a partiellement fait droit à la demande visant"])
    target = "" if outcome.endswith("requête") else f" {scene.act}"
    return (f"Dans sa décision rendue {_when(scene, day)}, {scene.court} {outcome}{target}, estimant que "
            f"l’atteinte portée à la vie privée n’était pas justifiée.")


def _sanction(scene: Scene, day: date) -> str:
    amount = scene.rng.choice(["150 000 euros", "2 millions d’euros", "60 millions d’euros", "800 000 euros"])
    return (f"{_cap(scene.regulator[0])} a infligé {_when(scene, day)} une amende de {amount} à "
            f"{scene.company} pour manquement à ses obligations.")


def _letter(scene: Scene, day: date) -> str:
    name, office = scene.person
    return (f"Dans un courrier daté du {_day(day)} {MONTHS[day.month - 1]}, {office} {name} a écrit à "
            f"{_short(scene.regulator)} pour défendre le dispositif.")


def _commitment(scene: Scene, day: date) -> str:
    delay = scene.rng.choice([f"d’ici {scene.rng.choice(COUNTS)} ans", f"dans un délai de "
                              f"{scene.rng.choice(COUNTS)} mois", f"avant la fin de l’année {day.year + 1}"])
    return (f"{scene.company} s’est engagé {_when(scene, day)} à mettre fin à ces pratiques {delay}, "
            f"selon un document consulté par {scene.outlet}.")


def _publication(scene: Scene, day: date) -> str:
    return (f"{_cap(scene.act)} a été publié au Journal officiel {_when(scene, day)}, à l’initiative de "
            f"{scene.ministry}.")


def _opinion(scene: Scene, day: date) -> str:
    return (f"Saisie pour avis, {_short(scene.regulator)} avait rendu {_when(scene, day)} un avis "
            f"réservé sur {scene.act}.")


def _hearing(scene: Scene, day: date) -> str:
    return (f"Lors de l’audience qui s’est tenue {_when(scene, day)} devant {scene.court}, le rapporteur "
            f"public a conclu au rejet.")


def _disclosure(scene: Scene, day: date) -> str:
    return (f"{scene.outlet} a révélé {_when(scene, day)} que {scene.company} transmettait des données "
            f"à des partenaires sans consentement.")


def _request(scene: Scene, day: date) -> str:
    return (f"{_cap(scene.regulator[0])} a demandé {_when(scene, day)} à {scene.ministry} de suspendre "
            f"le traitement en cause.")


def _statement(scene: Scene, day: date) -> str:
    name, office = scene.person
    return (f"« Nous respecterons la décision », a déclaré {_when(scene, day)} {office} {name}, "
            f"interrogé par {scene.outlet}.")


def _comments(scene: Scene) -> list[str]:
    rng = scene.rng
    count = rng.randint(0, 8)
    if count == 0:
        return []
    lines = [f"Commentaires ({count})"]
    moment = scene.published
    for _ in range(count):
        moment += timedelta(minutes=rng.randint(3, 300))
        lines.append(f"Le {moment:%d/%m/%Y} à {moment:%H}h{moment:%M}")
        lines.append(rng.choice(COMMENTS).format(topic=scene.topic, company=scene.company))
    return lines


def _publication_line(published: datetime, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"Le {published:%d/%m/%Y} à {published:%H}h{published:%M}"
    return f"Le {_day(published.date())} {MONTHS[published.month - 1]} {published.year} à " \
           f"{published:%H}h{published:%M}"


def _short(regulator: tuple[str, str | None]) -> str:
    name, short = regulator
    if short is None:
        return name
    return f"{name.split()[0]} {short}" if name.startswith("la ") else f"l’{short}" if name.startswith("l’") \
        else short


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def write_corpus(count: int, seed: int, out: Path) -> list[Path]:
    """Write articles 0..count-1 of corpus ``seed`` under ``out``; the paths written."""
    paths = []
    for index in range(count):
        name, text = article(seed, index)
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="how many articles")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("corpus-synthetic"))
    args = parser.parse_args(argv)
    paths = write_corpus(args.count, args.seed, args.out)
    print(f"{len(paths)} articles written under {args.out} (seed {args.seed})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

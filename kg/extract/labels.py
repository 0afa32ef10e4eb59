"""Readable French event labels: ``Décision du Conseil d’État``, ``Engagement de Paul Martin à la CNIL``.

An institution is named with its article in running French, and ``de``/``à``
contract with it (``de + le`` -> ``du``, ``à + les`` -> ``aux``, ``l’`` before
a vowel); a person, a brand or a company is named bare (``de Zorbelo``,
``d’Orange``).  Which names take an article, and its gender, comes from their
head noun (``name_articles.json``): the first word of the name.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from kg import lexicons
from kg.extract.normalize import key

_VOWELS = "aeiouyàâäéèêëîïôöûüœ"  # before an article; "haut", "haute" have an aspirated h
_CONTRACTED = {("de", "m"): "du ", ("à", "m"): "au ", ("de", "pl"): "des ", ("à", "pl"): "aux ",
               ("de", "f"): "de la ", ("à", "f"): "à la "}
# a name that opens with its own article: "Le Monde" -> "du Monde", "Les Échos" -> "aux Échos"
_OWN_ARTICLE = {"le": "m", "les": "pl"}


def governed(preposition: str, name: str) -> str:
    """``name`` after ``de`` or ``à``, with the article it takes contracted into the preposition."""
    words = name.split()
    if not words:
        return preposition
    first = key(_long_name(name).split()[0])
    if first in _OWN_ARTICLE and len(words) > 1:
        return _CONTRACTED[(preposition, _OWN_ARTICLE[first])] + " ".join(words[1:])
    gender = _heads().get(first)
    starts_with_vowel = first[:1] in _VOWELS
    if gender is None:
        if preposition == "de" and (starts_with_vowel or first[:1] == "h"):
            return f"d’{name}"
        return f"{preposition} {name}"
    if gender != "pl" and starts_with_vowel:
        return f"{preposition} l’{name}"
    return _CONTRACTED[(preposition, gender)] + name


def definite(name: str) -> str:
    """``name`` with the definite article its head noun takes (``la loi …``, ``l’arrêté …``)."""
    gender = _heads().get(key(name.split()[0])) if name.split() else None
    if gender is None:
        return name
    if gender != "pl" and key(name)[:1] in _VOWELS:
        return f"l’{name}"
    return {"m": "le ", "f": "la ", "pl": "les "}[gender] + name


def listed(preposition: str, names: Sequence[str]) -> str:
    """Several names after one preposition: ``du Conseil d’État et de la CNIL``."""
    parts = [governed(preposition, n) for n in names]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def event_label(noun: str, agents: Sequence[str], addressees: Sequence[str], act: str | None) -> str:
    """The kind of act, who did it, to whom, and on what legal act."""
    parts = [noun]
    if agents:
        parts.append(listed("de", agents))
    if addressees:
        parts.append(listed("à", addressees))
    if act:
        parts.append(f"sur {definite(act)}")
    return " ".join(parts)


def _long_name(name: str) -> str:
    """An institution's long name when ``name`` is its acronym (``CNIL`` -> ``Commission …``)."""
    return _long_names().get(key(name), name)


@cache
def _long_names() -> dict[str, str]:
    entries = lexicons.load("institutions")["entries"]
    return {key(e["short"]): str(e["name"]) for e in entries if e.get("short")}


@cache
def _heads() -> dict[str, str]:
    return {key(head): gender for head, gender in lexicons.load("name_articles")["heads"].items()}

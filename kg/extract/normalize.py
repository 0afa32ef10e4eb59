"""Text folding and name search, without losing offsets.

French press writes the same name as ``Conseil d’État``, ``Conseil d'Etat`` or
``conseil d'état``.  Recognisers match on a folded copy of the text whose
every character sits at the same index as in the original (one character in,
one character out), so a match found in the copy is a span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from typing import Generic, TypeVar

T = TypeVar("T")

APOSTROPHES = "’‘ʼ′`´"
_SPACES = "\u00a0\u202f\u2007\u2009"
_ONE_TO_ONE = str.maketrans({**{c: "'" for c in APOSTROPHES}, **{c: " " for c in _SPACES}})


@cache
def _bare(char: str) -> str:
    """``char`` without its accent, or itself when that is not one character."""
    decomposed = unicodedata.normalize("NFD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if len(base) == 1 else char


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table filled on first sight of each character: one character in, one out.

    Translating in C, with each character's folding worked out once, is what makes folding
    cheap: every article is folded many times, clause by clause.
    """

    def __init__(self, lower: bool) -> None:
        super().__init__()
        self.lower = lower

    def __missing__(self, code: int) -> str:
        char = _bare(chr(code).translate(_ONE_TO_ONE))
        if self.lower and len(char.lower()) == 1:
            char = char.lower()
        self[code] = char
        return char


_FOLD, _FOLD_LOWER = _FoldTable(lower=False), _FoldTable(lower=True)


def fold(text: str, *, lower: bool = False) -> str:
    """Same-length copy: apostrophes as ``'``, odd spaces as `` ``, accents removed.

    Case is kept unless ``lower``: ``l’État`` (the State) and ``l’état``
    (a condition) differ only by case.
    """
    return text.translate(_FOLD_LOWER if lower else _FOLD)


def key(text: str) -> str:
    """The form two spellings of one name share: folded, lower case, single spaces."""
    return " ".join(fold(text, lower=True).split())


def ascii_apostrophe(text: str) -> str:
    """``text`` with every typographic apostrophe written ``'``."""
    return re.sub(f"[{APOSTROPHES}]", "'", text)


def spelling_variants(name: str) -> tuple[str, ...]:
    """Other ways the press spells ``name``: ASCII apostrophe, unaccented capitals.

    ``Conseil d’État`` -> ``Conseil d'État``, ``Conseil d’Etat``, ``Conseil d'Etat``.
    Only capitals lose their accent, as in French typing habits; lower-case
    accents stay, so the variants remain readable names.
    """
    bare_caps = "".join(_bare(c) if c.isupper() else c for c in name)
    forms = (ascii_apostrophe(name), bare_caps, ascii_apostrophe(bare_caps))
    return tuple(f for f in dict.fromkeys(forms) if f != name)


def capitalize_first(text: str) -> str:
    """``text`` with its first letter upper-cased and the rest untouched."""
    return text[:1].upper() + text[1:]


def is_acronym(form: str) -> bool:
    """``CNIL``, ``TA``: one word of capitals (digits and signs allowed), matched as written."""
    letters = [c for c in form if c.isalpha()]
    return " " not in form and len(letters) >= 2 and all(c.isupper() for c in letters)


def search_forms(alias: str, strict: bool) -> set[str]:
    """The folded spellings under which ``alias`` is looked for (case-sensitive search)."""
    form = " ".join(fold(alias).split())
    if strict:
        return {form}
    if is_acronym(form):
        return {form, form.capitalize()} if len(form) >= 4 and form.isalpha() else {form}
    if form[:1].islower():
        return {form, capitalize_first(form)}
    return {form, form.lower(), form[0] + form[1:].lower(), form[0].lower() + form[1:]}


class FormMatcher(Generic[T]):
    """Finds any of many folded forms in folded text, longest first, with an optional article."""

    def __init__(self, forms: dict[str, T]) -> None:
        self.forms = forms
        ordered = sorted(forms, key=len, reverse=True)
        alternation = "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in ordered) or "(?!)"
        self.regex = re.compile(
            rf"(?<!\w)(?P<art>[Ll](?:es|e|a)\s+|[Ll]')?(?P<body>{alternation})(?!\w|[-.]\w)"
        )

    def find(self, ftext: str) -> Iterator[tuple[int, int, T]]:
        """(start, end, payload); the article belongs to the span when the form is a common noun."""
        for match in self.regex.finditer(ftext):
            body = " ".join(match.group("body").split())
            whole = " ".join(match.group().split())
            if whole in self.forms:
                yield match.start(), match.end(), self.forms[whole]
                continue
            start = match.start() if match.group("art") and body[:1].islower() else match.start("body")
            yield start, match.end(), self.forms[body]

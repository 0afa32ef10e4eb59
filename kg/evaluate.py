"""Score extractions against hand-written gold files, one article or a whole corpus.

The extractor is judged on articles it has never seen, so the only honest
signal while writing it is a score against gold files it was not tuned to
read literally.  The scorer therefore rewards finding the right events and
reading their facts right, and it forgives what a gold file itself calls
debatable (``"optional": true``) or a different spelling of the same name.

Both sides have the JSON shape of ``extraction.schema.json``
(``Extraction.to_json()`` for the prediction, ``NAME.gold.json`` for the gold).

Scoring rules
=============

Names
    Two names are equal when their folded forms are: case-folded, accents
    removed, typographic apostrophes (’ ‘ ʼ ′) read as ``'``, runs of spaces
    collapsed.  A name *denotes* a gold actor when it folds to that actor's
    name, short name or one of its aliases (the first such actor in the gold
    ``actors`` array when several would do).  A predicted name also denotes a
    gold actor through the predicted ``actors`` entry that carries it: when
    that entry's name, short name or an alias denotes the gold actor, so does
    the name.  A name that denotes no gold actor stands for itself (folded).

Event matching
    A predicted event can match a gold event when all of these hold:

    * same ``type``;
    * compatible date: when the gold has a date, the predicted date cut to the
      gold's precision equals it (gold ``2020-05`` accepts ``2020-05-06``; a
      coarser prediction, ``2020`` for ``2020-05``, or none, does not); when
      the gold date is null, any predicted date is accepted (the article gives
      none, so the scorer does not punish a guess twice: the date accuracy
      below still counts it wrong);
    * when the gold names agents, at least one predicted agent denotes the
      same actor as one of them.

    Among those candidate pairs the assignment is one-to-one and greedy: the
    pair agreeing on most compared fields (date, agents, addressees, outcome,
    deadline, section, flags) first, then the pair whose evidence offsets
    overlap the gold's evidence most, then a required gold event before an
    optional one, then document order.

Counts
    A predicted event matched to a required gold event is a true positive;
    matched to an optional gold event it counts for nothing (neither true nor
    false positive); unmatched it is a false positive.  A required gold event
    left unmatched is a false negative; an optional one never is.  Precision,
    recall and F1 are micro-averaged over documents.  A ratio over nothing is
    1.0 (no prediction made: nothing claimed wrongly; no required gold event:
    nothing to find), and F1 is 0.0 when precision and recall both are.

Field accuracies
    Over the pairs matched to required gold events only, each field is right
    or wrong:

    * ``date``: same date string and same precision (both null counts right);
    * ``agents``, ``addressees``: the same set of denoted actors;
    * ``outcome``, ``deadline``, ``section``: equal values (null == null);
    * ``relations``: each predicted ``related`` target is replaced by the gold
      id its event was matched to (an unmatched target never agrees), and the
      set of ``(relation, gold id)`` must equal the gold's set;
    * ``flags``: ``weekday_mismatch`` is present on both sides or on neither.

    Legal acts, labels, ``date_text`` and ``expected`` are not scored.

Actors
    Recall of the required gold actors: a gold actor is found when one of the
    predicted actors' names, short names or aliases folds to one of its own.
    Precision over the predicted actors, in the order of the prediction: a
    predicted actor sharing a folded form with a required gold actor no
    earlier predicted actor claimed is right; one sharing a form only with
    optional gold actors counts for nothing (neither right nor wrong); any
    other is wrong, a second predicted actor for an already claimed gold
    actor included (the graph would hold one actor twice).  F1 combines the
    two like the events' F1 (a ratio over nothing is 1.0).  Kind accuracy is
    over the found actors, judged on the predicted actor whose name is one of
    the gold actor's names when there is one, else the first predicted actor
    found.

Corpus
    ``evaluate`` scores every ``NAME.txt`` that has a ``NAME.gold.json`` beside
    it.  An extraction that raises, or returns a dict outside the schema,
    scores as all required events missed and no actor found, with the error
    kept on the document; a missing directory or a broken gold file is the
    user's input error and raises ``EvaluationError``.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

FIELDS: tuple[str, ...] = (
    "date", "agents", "addressees", "outcome", "deadline", "relations", "section", "flags",
)
WEEKDAY_FLAG = "weekday_mismatch"
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "′": "'"})


class EvaluationError(ValueError):
    """Bad input to the evaluation (a directory or a gold file); the message names it."""


def fold(name: str) -> str:
    """The form two spellings of one name share (``Conseil d’État`` = ``conseil d'etat``)."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


# --------------------------------------------------------------------------- names


def _actor_forms(actor: dict[str, Any]) -> tuple[str, ...]:
    """Folded name, short name and aliases of an actor entry, name first."""
    names = [actor.get("name"), actor.get("short"), *(actor.get("aliases") or ())]
    return tuple(dict.fromkeys(fold(n) for n in names if n))


@dataclass(frozen=True)
class _Names:
    """Turns event agents and addressees of both sides into comparable actor keys."""

    gold: dict[str, str]  # folded form -> folded canonical name of the gold actor
    predicted: dict[str, tuple[str, ...]]  # folded form -> all forms of the predicted actor

    @classmethod
    def build(
        cls, gold_actors: Iterable[dict[str, Any]], predicted_actors: Iterable[dict[str, Any]],
    ) -> _Names:
        gold: dict[str, str] = {}
        for actor in gold_actors:
            forms = _actor_forms(actor)
            for form in forms:
                gold.setdefault(form, forms[0])
        predicted: dict[str, tuple[str, ...]] = {}
        for actor in predicted_actors:
            forms = _actor_forms(actor)
            for form in forms:
                predicted.setdefault(form, forms)
        return cls(gold, predicted)

    def gold_key(self, name: str) -> str:
        folded = fold(name)
        return self.gold.get(folded, folded)

    def predicted_key(self, name: str) -> str:
        folded = fold(name)
        if folded in self.gold:
            return self.gold[folded]
        for form in self.predicted.get(folded, ()):
            if form in self.gold:
                return self.gold[form]
        return folded


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class _Event:
    """One event of either side, reduced to what the scorer compares."""

    id: str
    type: str
    date: str | None
    precision: str | None
    deadline: str | None
    agents: frozenset[str]
    addressees: frozenset[str]
    outcome: str | None
    related: tuple[tuple[str, str], ...]
    section: str | None
    weekday_mismatch: bool
    evidence: tuple[tuple[int, int], ...]
    optional: bool


_PRECISIONS = {4: "year", 7: "month", 10: "day"}


def _event(raw: dict[str, Any], index: int, key: Callable[[str], str]) -> _Event:
    date = raw.get("date")
    spans = tuple(
        (span["start"], span["end"]) for span in raw.get("evidence") or ()
        if isinstance(span.get("start"), int) and isinstance(span.get("end"), int)
    )
    return _Event(
        id=str(raw.get("id") or f"#{index}"),
        type=raw["type"],
        date=date,
        precision=raw.get("precision") or (_PRECISIONS.get(len(date)) if date else None),
        deadline=raw.get("deadline"),
        agents=frozenset(key(n) for n in raw.get("agents") or ()),
        addressees=frozenset(key(n) for n in raw.get("addressees") or ()),
        outcome=raw.get("outcome"),
        related=tuple((r["relation"], r["event"]) for r in raw.get("related") or ()),
        section=raw.get("section"),
        weekday_mismatch=WEEKDAY_FLAG in (raw.get("flags") or ()),
        evidence=spans,
        optional=bool(raw.get("optional")),
    )


def _compatible(pred: _Event, gold: _Event) -> bool:
    """Whether ``pred`` may be ``gold`` at all: the rules of the module docstring."""
    if pred.type != gold.type:
        return False
    if gold.date is not None and not (pred.date or "").startswith(gold.date):
        return False
    return not gold.agents or bool(pred.agents & gold.agents)


def _plain_agreements(pred: _Event, gold: _Event) -> dict[str, bool]:
    """Field verdicts that do not depend on the matching (all but relations)."""
    return {
        "date": (pred.date, pred.precision) == (gold.date, gold.precision),
        "agents": pred.agents == gold.agents,
        "addressees": pred.addressees == gold.addressees,
        "outcome": pred.outcome == gold.outcome,
        "deadline": pred.deadline == gold.deadline,
        "section": pred.section == gold.section,
        "flags": pred.weekday_mismatch == gold.weekday_mismatch,
    }


def _overlap(pred: _Event, gold: _Event) -> int:
    """Code points shared by the two events' evidence spans."""
    return sum(
        max(0, min(p_end, g_end) - max(p_start, g_start))
        for p_start, p_end in pred.evidence for g_start, g_end in gold.evidence
    )


def _assign(predicted: Sequence[_Event], gold: Sequence[_Event]) -> dict[int, int]:
    """Greedy one-to-one matching, gold index -> predicted index, best pair first."""
    candidates = []
    for g, gold_event in enumerate(gold):
        for p, pred_event in enumerate(predicted):
            if _compatible(pred_event, gold_event):
                agreements = sum(_plain_agreements(pred_event, gold_event).values())
                rank = (-agreements, -_overlap(pred_event, gold_event), gold_event.optional, g, p)
                candidates.append((rank, g, p))
    pairs: dict[int, int] = {}
    taken: set[int] = set()
    for _, g, p in sorted(candidates):
        if g not in pairs and p not in taken:
            pairs[g] = p
            taken.add(p)
    return pairs


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class EventMatch:
    """A predicted event paired with a gold event, and the fields it got wrong."""

    gold_id: str
    predicted_id: str
    optional: bool
    wrong: tuple[str, ...] = ()


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass(frozen=True)
class DocumentScore:
    """How one article's extraction compares with its gold file."""

    name: str
    tp: int
    fp: int
    fn: int
    field_hits: dict[str, tuple[int, int]]  # field -> (correct, compared)
    actor_hits: tuple[int, int]  # (found, required)
    actor_kind_hits: tuple[int, int]  # (right kind, found)
    matches: tuple[EventMatch, ...] = ()
    actor_claims: tuple[int, int] = (0, 0)  # (right, counted) predicted actors, for precision
    missed: tuple[str, ...] = ()  # ids of the required gold events not found
    spurious: tuple[str, ...] = ()  # ids of the predicted events matching no gold event
    error: str | None = None

    def precision(self) -> float:
        return _prf(self.tp, self.fp, self.fn)[0]

    def recall(self) -> float:
        return _prf(self.tp, self.fp, self.fn)[1]

    def f1(self) -> float:
        return _prf(self.tp, self.fp, self.fn)[2]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tp": self.tp, "fp": self.fp, "fn": self.fn,
            "precision": self.precision(), "recall": self.recall(), "f1": self.f1(),
            "fields": {f: {"correct": c, "compared": n} for f, (c, n) in self.field_hits.items()},
            "actors": {"found": self.actor_hits[0], "required": self.actor_hits[1],
                       "right": self.actor_claims[0], "predicted": self.actor_claims[1]},
            "actor_kinds": {"correct": self.actor_kind_hits[0], "compared": self.actor_kind_hits[1]},
            "matches": [
                {"gold": m.gold_id, "predicted": m.predicted_id, "optional": m.optional,
                 "wrong": list(m.wrong)}
                for m in self.matches
            ],
            "missed": list(self.missed),
            "spurious": list(self.spurious),
            "error": self.error,
        }


def _field_hits(pairs: Iterable[tuple[_Event, _Event]], gold_id_of: dict[str, str]) -> list[EventMatch]:
    """Judge every field of the matched pairs; relations go through the matching."""
    matches = []
    for pred, gold in pairs:
        verdicts = _plain_agreements(pred, gold)
        mapped = {(relation, gold_id_of.get(target)) for relation, target in pred.related}
        verdicts["relations"] = mapped == set(gold.related)
        wrong = tuple(f for f in FIELDS if not verdicts[f])
        matches.append(EventMatch(gold.id, pred.id, gold.optional, wrong))
    return matches


def _actor_scores(
    predicted: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]],
) -> tuple[tuple[int, int], tuple[int, int]]:
    """((found, required), (right kind, found)) for the required gold actors."""
    required = [a for a in gold if not a.get("optional")]
    found = right_kind = 0
    candidates = [(p, _actor_forms(p)) for p in predicted]
    for actor in required:
        forms = set(_actor_forms(actor))
        by_name = [p for p, p_forms in candidates if p_forms[:1] and p_forms[0] in forms]
        by_any = [p for p, p_forms in candidates if forms.intersection(p_forms)]
        chosen = (by_name or by_any)[:1]
        if chosen:
            found += 1
            right_kind += chosen[0].get("kind") == actor.get("kind")
    return (found, len(required)), (right_kind, found)


def _actor_claims(predicted: Sequence[dict[str, Any]], gold: Sequence[dict[str, Any]]) -> tuple[int, int]:
    """(right, counted) predicted actors: the precision rule of the module docstring."""
    owners: dict[str, list[int]] = {}  # folded form -> indexes of the gold actors carrying it
    for index, actor in enumerate(gold):
        for form in _actor_forms(actor):
            owners.setdefault(form, []).append(index)
    claimed: set[int] = set()
    right = counted = 0
    for actor in predicted:
        denoted = {g for form in _actor_forms(actor) for g in owners.get(form, ())}
        required = {g for g in denoted if not gold[g].get("optional")}
        if denoted and not required:
            continue
        counted += 1
        fresh = required - claimed
        if fresh:
            right += 1
            claimed.add(min(fresh))
    return right, counted


def score_document(predicted: dict[str, Any], gold: dict[str, Any], name: str = "") -> DocumentScore:
    """Compare one extraction with its gold file (both in the schema's JSON shape)."""
    names = _Names.build(gold.get("actors") or (), predicted.get("actors") or ())
    gold_events = [_event(e, i, names.gold_key) for i, e in enumerate(gold.get("events") or ())]
    pred_events = [_event(e, i, names.predicted_key) for i, e in enumerate(predicted.get("events") or ())]
    pairs = _assign(pred_events, gold_events)
    gold_id_of = {pred_events[p].id: gold_events[g].id for g, p in pairs.items()}
    matches = _field_hits(
        ((pred_events[p], gold_events[g]) for g, p in sorted(pairs.items())), gold_id_of,
    )
    required = [m for m in matches if not m.optional]
    matched_preds = set(pairs.values())
    missed = tuple(e.id for g, e in enumerate(gold_events) if not e.optional and g not in pairs)
    actor_hits, actor_kind_hits = _actor_scores(predicted.get("actors") or (), gold.get("actors") or ())
    actor_claims = _actor_claims(predicted.get("actors") or (), gold.get("actors") or ())
    return DocumentScore(
        name=name,
        tp=len(required),
        fp=len(pred_events) - len(matched_preds),
        fn=len(missed),
        field_hits={f: (sum(f not in m.wrong for m in required), len(required)) for f in FIELDS},
        actor_hits=actor_hits,
        actor_kind_hits=actor_kind_hits,
        actor_claims=actor_claims,
        matches=tuple(matches),
        missed=missed,
        spurious=tuple(e.id for p, e in enumerate(pred_events) if p not in matched_preds),
    )


def failed_document(gold: dict[str, Any], name: str, error: str) -> DocumentScore:
    """The score of an article whose extraction failed: every required item missed."""
    required_events = [e for e in gold.get("events") or () if not e.get("optional")]
    required_actors = [a for a in gold.get("actors") or () if not a.get("optional")]
    return DocumentScore(
        name=name, tp=0, fp=0, fn=len(required_events),
        field_hits={f: (0, 0) for f in FIELDS},
        actor_hits=(0, len(required_actors)), actor_kind_hits=(0, 0),
        missed=tuple(str(e.get("id") or f"#{i}") for i, e in enumerate(required_events)),
        error=error,
    )


# --------------------------------------------------------------------------- report


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@dataclass(frozen=True)
class Report:
    """Scores of a corpus: micro-averaged events, pooled field and actor accuracies."""

    documents: list[DocumentScore] = field(default_factory=list)

    def _counts(self) -> tuple[int, int, int]:
        docs = self.documents
        return sum(d.tp for d in docs), sum(d.fp for d in docs), sum(d.fn for d in docs)

    def precision(self) -> float:
        return _prf(*self._counts())[0]

    def recall(self) -> float:
        return _prf(*self._counts())[1]

    def f1(self) -> float:
        return _prf(*self._counts())[2]

    def field_hits(self, name: str) -> tuple[int, int]:
        """(correct, compared) for one of ``FIELDS`` over all documents."""
        if name not in FIELDS:
            raise KeyError(f"unknown field {name!r}; known: {', '.join(FIELDS)}")
        hits = [d.field_hits.get(name, (0, 0)) for d in self.documents]
        return sum(h[0] for h in hits), sum(h[1] for h in hits)

    def field_accuracy(self, name: str) -> float | None:
        """Share of matched required events with ``name`` right; None when none was compared."""
        return _ratio(*self.field_hits(name))

    def actor_hits(self) -> tuple[int, int]:
        return sum(d.actor_hits[0] for d in self.documents), sum(d.actor_hits[1] for d in self.documents)

    def actor_kind_hits(self) -> tuple[int, int]:
        docs = self.documents
        return sum(d.actor_kind_hits[0] for d in docs), sum(d.actor_kind_hits[1] for d in docs)

    def actor_claims(self) -> tuple[int, int]:
        """(right, counted) predicted actors over all documents (the precision's counts)."""
        docs = self.documents
        return sum(d.actor_claims[0] for d in docs), sum(d.actor_claims[1] for d in docs)

    def actor_recall(self) -> float | None:
        return _ratio(*self.actor_hits())

    def actor_precision(self) -> float:
        right, counted = self.actor_claims()
        return right / counted if counted else 1.0

    def actor_f1(self) -> float:
        found, required = self.actor_hits()
        recall = found / required if required else 1.0
        precision = self.actor_precision()
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def actor_kind_accuracy(self) -> float | None:
        return _ratio(*self.actor_kind_hits())

    def to_json(self) -> dict[str, Any]:
        tp, fp, fn = self._counts()
        return {
            "documents": [d.to_json() for d in self.documents],
            "events": {"tp": tp, "fp": fp, "fn": fn,
                       "precision": self.precision(), "recall": self.recall(), "f1": self.f1()},
            "fields": {
                f: {"correct": c, "compared": n, "accuracy": _ratio(c, n)}
                for f in FIELDS for c, n in [self.field_hits(f)]
            },
            "actors": {"found": self.actor_hits()[0], "required": self.actor_hits()[1],
                       "right": self.actor_claims()[0], "predicted": self.actor_claims()[1],
                       "recall": self.actor_recall(), "precision": self.actor_precision(),
                       "f1": self.actor_f1()},
            "actor_kinds": {"correct": self.actor_kind_hits()[0], "compared": self.actor_kind_hits()[1],
                            "accuracy": self.actor_kind_accuracy()},
        }

    def format_table(self) -> str:
        """One row per document and a total row, then the accuracies, for a terminal."""
        width = max([len("document"), len("total"), *(len(d.name) for d in self.documents)])
        header = f"{'document':<{width}}  {'TP':>4} {'FP':>4} {'FN':>4}  {'P':>5}  {'R':>5}  {'F1':>5}"
        lines = [header, "-" * len(header)]
        for doc in self.documents:
            note = f"  error: {doc.error}" if doc.error else ""
            lines.append(self._row(doc.name, width, (doc.tp, doc.fp, doc.fn)) + note)
        lines += ["-" * len(header), self._row("total", width, self._counts()), ""]
        lines.append(f"{'accuracy':<12} {'correct':>8} {'of':>5}  {'acc':>5}")
        for name in FIELDS:
            lines.append(self._accuracy_row(name, self.field_hits(name)))
        lines.append(self._accuracy_row("actor kind", self.actor_kind_hits()))
        right, counted = self.actor_claims()
        found, required = self.actor_hits()
        scores = f"{self.actor_precision():>5.3f}  {_fmt(self.actor_recall()):>5}  {self.actor_f1():>5.3f}"
        lines += ["", f"{'actors':<12} {'P':>5}  {'R':>5}  {'F1':>5}   (right {right} of {counted} predicted,"
                      f" found {found} of {required} required)", f"{'':<12} {scores}"]
        return "\n".join(lines)

    @staticmethod
    def _row(name: str, width: int, counts: tuple[int, int, int]) -> str:
        p, r, f = _prf(*counts)
        tp, fp, fn = counts
        return f"{name:<{width}}  {tp:>4} {fp:>4} {fn:>4}  {p:>5.3f}  {r:>5.3f}  {f:>5.3f}"

    @staticmethod
    def _accuracy_row(name: str, hits: tuple[int, int]) -> str:
        return f"{name:<12} {hits[0]:>8} {hits[1]:>5}  {_fmt(_ratio(*hits)):>5}"


# --------------------------------------------------------------------------- corpus


@cache
def _validator() -> Any:
    """A validator for ``extraction.schema.json`` (jsonschema is imported only when evaluating)."""
    try:
        from jsonschema import Draft202012Validator
    except ImportError as exc:
        raise EvaluationError("evaluation needs the jsonschema package: pip install jsonschema") from exc

    text = resources.files("kg").joinpath("schemas/extraction.schema.json").read_text(encoding="utf-8")
    return Draft202012Validator(json.loads(text))


def schema_error(document: Any) -> str | None:
    """The first way ``document`` breaks the extraction schema, as one line, or None."""
    validator = _validator()
    from jsonschema.exceptions import best_match

    error = best_match(validator.iter_errors(document))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "top level"
    return f"{where}: {error.message}"


def _load_gold(path: Path) -> dict[str, Any]:
    try:
        gold: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"{path}: cannot read gold file: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise EvaluationError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from exc
    problem = schema_error(gold)
    if problem:
        raise EvaluationError(f"{path}: not a valid gold file: {problem}")
    return gold


def _articles(directory: Path) -> list[tuple[Path, Path]]:
    """The (``NAME.txt``, ``NAME.gold.json``) pairs of one directory, sorted by name."""
    if not directory.is_dir():
        raise EvaluationError(f"{directory}: not a directory")
    pairs = [(text, text.with_name(text.stem + ".gold.json")) for text in sorted(directory.glob("*.txt"))]
    pairs = [(text, gold) for text, gold in pairs if gold.is_file()]
    if not pairs:
        raise EvaluationError(f"{directory}: no NAME.txt with a NAME.gold.json beside it")
    return pairs


def _score_article(text: Path, gold: dict[str, Any], extract_file: Callable[[Path], dict[str, Any]]
                   ) -> DocumentScore:
    """Extract and score one article; an extractor failure is a scored miss, not a crash."""
    try:
        predicted = extract_file(text)
        problem = schema_error(predicted)
    except Exception as exc:  # the extractor under test may fail in any way: record it, go on
        return failed_document(gold, text.stem, f"{type(exc).__name__}: {exc}")
    if problem:
        return failed_document(gold, text.stem, f"extraction outside the schema: {problem}")
    return score_document(predicted, gold, text.stem)


def evaluate(dirs: Sequence[Path], extract_file: Callable[[Path], dict[str, Any]]) -> Report:
    """Run ``extract_file`` on every article of ``dirs`` that has a gold file, and score it."""
    documents = []
    for directory in dirs:
        for text, gold_path in _articles(Path(directory)):
            documents.append(_score_article(text, _load_gold(gold_path), extract_file))
    return Report(documents)

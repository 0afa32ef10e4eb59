"""The ``kg`` command line: it parses arguments and wires the library's steps, nothing more.

Every expected failure (a missing file, a malformed SPARQL query, a locked
store) is turned into one line on stderr and a non-zero exit: no traceback.
Heavy modules are imported inside the commands so ``kg --help`` stays fast.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from kg import __version__

EXIT_USAGE = 2
EXIT_FAILURE = 1
EXPORT_FORMATS = ("turtle", "trig", "ntriples", "nquads", "jsonld")


class CommandError(Exception):
    """A failure the user can act on; its message is printed as it is."""


def main(argv: Sequence[str] | None = None) -> int:
    from kg.config import SettingsError

    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.run(args) or 0)
    except (CommandError, SettingsError) as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kg", description="Legal-timeline knowledge graph: French legal news in, RDF timeline out."
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    extract = commands.add_parser("extract", help="extract the legal timeline of one article (no store)")
    extract.add_argument("file", type=Path)
    extract.add_argument("--format", choices=("json", "turtle"), default="json")
    _published_option(extract)
    extract.set_defaults(run=_run_extract)

    ingest = commands.add_parser(
        "ingest", help="extract articles (files, directories, globs) in parallel and write them to the store",
        description="Exit status: 0 when every article is in the store, 1 when any failed (each named on "
                    "stderr; the others are written), 130 when interrupted (run it again to resume).")
    ingest.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="an article file, a directory (its .txt and .json, recursively) or a glob")
    ingest.add_argument("--jobs", "-j", type=_positive_int, metavar="N",
                        help="extraction worker processes (default: one per core)")
    ingest.add_argument("--force", action="store_true",
                        help="re-extract articles whose input is unchanged (after an extractor change)")
    _published_option(ingest)
    ingest.add_argument("--store", help="store directory, or the http(s) URL of a SPARQL 1.1 server "
                                        "(default: $KG_STORE, else the user data dir)")
    ingest.set_defaults(run=_run_ingest)

    query = commands.add_parser("query", help="run SPARQL: text, a .rq file, or a named query of queries/")
    query.add_argument("query", nargs="?", help="SPARQL text, a .rq file, or a named query (see --list)")
    query.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                       help="a named query's parameter (repeatable)")
    query.add_argument("--format", choices=("table", "json", "csv"), default="table")
    query.add_argument("--list", action="store_true", help="list the named queries and their parameters")
    _store_option(query)
    query.set_defaults(run=_run_query)

    timeline = commands.add_parser("timeline", help="print the timeline: one line per event, in date order")
    timeline.add_argument("--from", dest="from_", metavar="DATE", help="first day (YYYY-MM-DD)")
    timeline.add_argument("--to", metavar="DATE", help="last day (YYYY-MM-DD)")
    timeline.add_argument("--type", help="event type (Ruling, Appeal, Commitment...)")
    timeline.add_argument("--actor", metavar="IRI", help="only events with this actor as agent or addressee")
    timeline.add_argument("--limit", type=int, metavar="N", help="print one page of N dated events, read "
                          "through the timeline keys (fast on any store), then the cursor of the next page")
    timeline.add_argument("--after", metavar="CURSOR", help="the page after this cursor (printed by --limit)")
    _store_option(timeline)
    timeline.set_defaults(run=_run_timeline)

    export = commands.add_parser("export", help="write the graph (or one document's graph) as RDF")
    export.add_argument("--format", choices=EXPORT_FORMATS, default="turtle")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    export.add_argument("--document", help="IRI of one document graph")
    _store_option(export)
    export.set_defaults(run=_run_export)

    serve = commands.add_parser("serve", help="serve SPARQL, Graph Store, GraphQL and exports over HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-sample", action="store_true", help="do not load the sample into an empty store")
    serve.add_argument("--no-access-log", action="store_true",
                       help="do not log each request (about a sixth of a small query's cost)")
    _store_option(serve)
    serve.set_defaults(run=_run_serve)

    validate = commands.add_parser("validate", help="check the store against the SHACL shapes")
    validate.add_argument("--document", help="IRI of one document graph")
    _store_option(validate)
    validate.set_defaults(run=_run_validate)

    reindex = commands.add_parser("reindex", help="add the timeline keys to a store written by an older "
                                                  "version (no re-extraction; safe to run twice)")
    _store_option(reindex)
    reindex.set_defaults(run=_run_reindex)

    evaluate = commands.add_parser("eval", help="score extraction against NAME.gold.json files")
    evaluate.add_argument("dirs", type=Path, nargs="+")
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.set_defaults(run=_run_eval)
    return parser


def _store_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", metavar="DIR|URL",
                        help="store directory or SPARQL server URL (default: $KG_STORE, else user data dir)")


def _published_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--published", type=_iso_datetime, metavar="DATETIME",
                        help="publication date-time (ISO 8601) when the article has no publication line")


def _iso_datetime(text: str) -> datetime:
    from kg.reader import PARIS

    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date-time: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=PARIS)


def _run_extract(args: argparse.Namespace) -> int:
    extraction = _extract(args.file, args.published)
    if args.format == "json":
        json.dump(extraction.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        from kg.rdf import extraction_turtle

        sys.stdout.buffer.write(extraction_turtle(extraction))
    return 0


def _run_ingest(args: argparse.Namespace) -> int:
    """Every input extracted in worker processes and written in batches; failures listed, the rest kept."""
    from kg.corpus import default_jobs, expand_inputs, ingest_corpus
    from kg.progress import Progress
    from kg.store import open_store

    paths, missing = expand_inputs(args.inputs)
    store = _guard(lambda: open_store(_store_location(args.store)))
    try:
        progress = Progress(len(paths)) if len(paths) > 1 else None
        summary = _guard(lambda: ingest_corpus(store, paths, jobs=args.jobs or default_jobs(),
                                               published=args.published, force=args.force, progress=progress))
    finally:
        store.close()
    summary.documents += len(missing)
    summary.failed[:0] = missing
    if summary.recovered:
        print(f"kg ingest: dropped {len(summary.recovered)} graph(s) an interrupted run left pending; "
              "they were ingested again if given", file=sys.stderr)
    for _, reason in summary.failed:
        print(f"kg: error: {reason}", file=sys.stderr)
    print(summary.text())
    if summary.interrupted:
        return 130
    return EXIT_FAILURE if summary.failed else 0


def _store_location(option: str | None) -> str | Path:
    """``--store``, else ``KG_STORE``, else the default directory; an http(s) URL is kept as it is."""
    import os

    from kg.config import Settings

    chosen = option or os.environ.get("KG_STORE", "")
    return chosen if chosen.startswith(("http://", "https://")) else Settings.from_env(option).store


def _positive_int(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _run_query(args: argparse.Namespace) -> int:
    from kg.named_queries import load_named_queries

    if args.list:
        for name, named in sorted(load_named_queries().items()):
            params = ", ".join(p.name for p in named.parameters)
            print(f"{name}\t{named.title}" + (f"\t({params})" if params else ""))
        return 0
    if not args.query:
        raise CommandError("give a SPARQL query, a .rq file or a named query (kg query --list)")
    sparql = _query_text(args.query, args.param)
    with _open_store(args.store) as store:
        from kg.store import StoreError

        try:
            result = store.query(sparql)
            _print_result(result, args.format, sys.stdout)
        except StoreError as exc:
            raise CommandError(f"{_query_label(args.query)}: {exc}") from None
    return 0


def _run_timeline(args: argparse.Namespace) -> int:
    """A reading view of the ``timeline`` named query: date, type, label, deadline, agents.

    The whole timeline in one query sorts every event of the store; ``--limit``/``--after`` page it
    through the timeline keys instead (``kg.timeline_pages``), dated events only, without deadlines.
    """
    if args.limit is not None or args.after is not None:
        return _timeline_pages(args)
    from kg.solutions import plain_rows

    values = {"from": args.from_, "to": args.to, "type": args.type, "actor": args.actor}
    sparql = _query_text("timeline", [f"{k}={v}" for k, v in values.items() if v])
    with _open_store(args.store) as store:
        rows = plain_rows(store.query(sparql))
    for row in rows:
        when = row["date"] or "undated"
        deadline = f"  (deadline {row['deadline']})" if row["deadline"] else ""
        comment = "  [reader comment]" if row["section"] == "comment" else ""
        print(f"{when:<10}  {row['eventType']:<11}  {row['label']}{deadline}{comment}")
    return 0


def _timeline_pages(args: argparse.Namespace) -> int:
    """``--limit`` dated events (50 with ``--after`` alone) after ``--after``; then the next cursor."""
    import base64
    import binascii
    from datetime import date

    from kg.timeline_pages import Cursor, Filters, TimelineReader

    limit = 50 if args.limit is None else args.limit
    if limit < 1:
        raise CommandError(f"--limit: {limit} is not a number of events (1 or more)")
    for option, day in (("--from", args.from_), ("--to", args.to)):
        try:
            if day is not None:
                date.fromisoformat(day)
        except ValueError:
            raise CommandError(f"{option}: {day!r} is not a day (YYYY-MM-DD)") from None
    after = None
    if args.after is not None:
        try:
            bucket, event = base64.urlsafe_b64decode(args.after.encode("ascii")).decode("utf-8").split("\n")
        except (ValueError, UnicodeError, binascii.Error):
            raise CommandError(f"--after: {args.after!r} is not a cursor kg timeline printed") from None
        after = Cursor(bucket, event)
    filters = Filters(args.type, args.actor, args.from_, args.to)
    rows: list[dict[str, str | None]] = []
    with _open_store(args.store) as store:
        reader = TimelineReader(store)
        try:
            while len(rows) < limit:
                page = reader.page(min(50, limit - len(rows)), after, filters)
                rows += page.rows
                after = page.next
                if after is None:
                    break
        except ValueError as exc:
            raise CommandError(f"timeline: {exc}") from None
    for row in rows:
        comment = "  [reader comment]" if row["section"] == "comment" else ""
        print(f"{row['sortKey']:<10}  {row['eventType']:<11}  {row['label']}{comment}")
    if after is not None:
        cursor = base64.urlsafe_b64encode(f"{after.bucket}\n{after.event}".encode()).decode("ascii")
        print(f"next page: --after {cursor}")
    return 0


def _run_export(args: argparse.Namespace) -> int:
    from kg.store import StoreError

    with _open_store(args.store) as store:
        try:
            if args.output:
                with _atomic_output(args.output) as out:
                    store.export(out, args.format, args.document)
            else:
                store.export(sys.stdout.buffer, args.format, args.document)
        except StoreError as exc:
            raise CommandError(str(exc)) from None
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from kg.config import Settings
    from kg.serve import build_app

    location = _store_location(args.store)
    settings = Settings.from_env(location)
    app = _guard(lambda: build_app(settings, location=location, load_sample=not args.no_sample))
    print(f"kg: serving {location} on http://{args.host}:{args.port}/ "
          "(/sparql, /update, /store, /queries, /graphql, /export, /health)", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=not args.no_access_log)
    return 0


def _run_validate(args: argparse.Namespace) -> int:
    from kg.shacl import validate_store

    with _open_store(args.store) as store:
        report = validate_store(store, args.document)
    if report.conforms:
        print("conforms: the graph satisfies ontology/shapes.ttl")
        return 0
    print(report.text)
    return EXIT_FAILURE


def _run_reindex(args: argparse.Namespace) -> int:
    from kg.timeline_index import reindex

    with _open_store(args.store) as store:
        batches = _guard(lambda: reindex(store))
        _guard(store.optimize)
    print(f"kg reindex: timeline keys written, {batches:,} month batch(es)")
    return 0


def _run_eval(args: argparse.Namespace) -> int:
    from kg.evaluate import EvaluationError, evaluate

    try:
        report = evaluate(args.dirs, lambda path: _extract(path, None).to_json())
    except EvaluationError as exc:
        raise CommandError(str(exc)) from None
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(report.format_table())
    return 0


def _extract(path: Path, published: datetime | None) -> Any:
    from kg.ingest import extract_path
    from kg.reader import ArticleError

    try:
        return extract_path(path, published=published)
    except ArticleError as exc:
        raise CommandError(str(exc)) from None


class _open_store:
    """Open the configured store for one command and close it after, turning store errors into messages."""

    def __init__(self, option: str | None) -> None:
        self.location = _store_location(option)

    def __enter__(self) -> Any:
        from kg.store import open_store

        self.store = _guard(lambda: open_store(self.location))
        return self.store

    def __exit__(self, *exc: object) -> None:
        self.store.close()


def _guard(make: Any) -> Any:
    from kg.store import StoreError

    try:
        return make()
    except StoreError as exc:
        raise CommandError(str(exc)) from None


class _atomic_output:
    """Write to ``path.tmp`` and rename on success, so a failed export never leaves half a file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")

    def __enter__(self) -> IO[bytes]:
        try:
            self.file = self.tmp.open("wb")
        except OSError as exc:
            raise CommandError(f"{self.path}: cannot write: {exc.strerror}") from None
        return self.file

    def __exit__(self, exc_type: object, *rest: object) -> None:
        self.file.close()
        if exc_type is None:
            self.tmp.replace(self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def _query_text(query: str, params: list[str]) -> str:
    """SPARQL text from a named query (with its parameters bound), a ``.rq`` file, or the argument itself."""
    from kg.named_queries import load_named_queries

    named = load_named_queries().get(query)
    values = dict(_split_param(p) for p in params)
    if named is not None:
        try:
            return named.bind(values)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
    if values:
        raise CommandError(f"--param is for named queries; '{query}' is not one (kg query --list)")
    if query.endswith(".rq"):
        try:
            return Path(query).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{query}: cannot read: {exc.strerror}") from None
    return query


def _split_param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise CommandError(f"--param expects NAME=VALUE, got {text!r}")
    return name, value


def _query_label(query: str) -> str:
    return query if len(query) < 60 and "\n" not in query else "query"


def _print_result(result: Any, fmt: str, out: IO[str]) -> None:
    import pyoxigraph

    if isinstance(result, pyoxigraph.QueryBoolean):
        print(json.dumps({"boolean": bool(result)}) if fmt == "json" else str(bool(result)).lower(), file=out)
        return
    if isinstance(result, pyoxigraph.QueryTriples):
        out.flush()
        sys.stdout.buffer.write(result.serialize(format=pyoxigraph.RdfFormat.TURTLE) or b"")
        return
    variables = [v.value for v in result.variables]
    rows = [[_term_text(term) for term in solution] for solution in result]
    if fmt == "json":
        json.dump([dict(zip(variables, row, strict=True)) for row in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    elif fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(variables)
        writer.writerows(rows)
    else:
        _print_table(variables, rows, out)


def _term_text(term: Any) -> str:
    return "" if term is None else str(term.value)


def _print_table(header: list[str], rows: list[list[str]], out: IO[str]) -> None:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    widths = [min(w, 60) for w in widths]

    def line(cells: list[str]) -> str:
        return "  ".join(_clip(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    print(line(header), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for row in rows:
        print(line(row), file=out)
    print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})", file=out)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())

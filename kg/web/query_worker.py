"""A SPARQL query worker: a process of its own, so the server can kill a query that overruns.

pyoxigraph has no query timeout and a running query cannot be interrupted from Python
(sorting or aggregating happens inside one call, with the GIL released).  So queries run
in worker processes that ``kg.web.query_pool`` kills at the time limit.  A worker reads a
snapshot of the store (``GraphStore.snapshot``) opened read-only, because Oxigraph allows
several processes on one directory only when none of them writes to it.

The protocol, over the worker's stdin and stdout: the worker first writes ``{"ready": pid}``
then, for each job line (JSON: the query, its dataset, the snapshot, the format asked for),
one JSON header line, followed by ``length`` bytes of body when the header has one.
A result is kept in memory up to ``kg.web.spill.SPILL_BYTES`` and written past that to the job's
``spill`` file, so the server can send it with a status decided before the first byte (a
result over the size cap is an error, not a truncated 200) without holding it in memory.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, BinaryIO, cast

import pyoxigraph as ox

from kg.store import GraphStore, StoreError
from kg.web.formats import FormatRefused, query_result_format
from kg.web.spill import SpillingOutput

Header = dict[str, Any]


class Worker:
    """Answers jobs against the latest snapshot it was pointed at."""

    def __init__(self) -> None:
        self.snapshot: str | None = None
        self.store: GraphStore | None = None

    def answer(self, job: dict[str, Any]) -> tuple[Header, bytes]:
        try:
            store = self._open(job["snapshot"])
        except StoreError as error:  # the server's fault, and its message holds the snapshot's path
            print(f"kg query worker: {error}", file=sys.stderr, flush=True)
            return {"status": 500, "message": "the query could not open the store's snapshot "
                                              "(the server's log has the details)"}, b""
        try:
            result = store.query(job["query"], union_default_graph=job["default_graphs"] is None,
                                 default_graphs=job["default_graphs"], named_graphs=job["named_graphs"])
        except StoreError as error:
            return {"status": 400, "message": str(error)}, b""
        try:
            chosen = query_result_format(isinstance(result, ox.QueryTriples), job["formats"], job["accept"])
        except FormatRefused as refused:
            return {"status": 406, "message": str(refused)}, b""
        return self._serialize(result, chosen.serializer, chosen.content_type, job)

    def _open(self, snapshot: str) -> GraphStore:
        if self.store is None or snapshot != self.snapshot:
            self.store = None  # the previous snapshot's files are released before the next opens
            self.store = GraphStore.open_read_only(Path(snapshot))
            self.snapshot = snapshot
        return self.store

    def _serialize(
        self, result: Any, serializer: Any, content_type: str, job: dict[str, Any]
    ) -> tuple[Header, bytes]:
        out = SpillingOutput(Path(job["spill"]), job["max_bytes"])
        try:
            result.serialize(cast(BinaryIO, out), serializer)
        except Exception as error:  # evaluation errors surface while the result is read
            out.discard()
            if out.too_large:
                return {"status": 500, "message": (
                    f"query result larger than {job['max_bytes']} bytes, the server's limit "
                    "(KG_MAX_RESULT_BYTES): add a LIMIT or narrow the query")}, b""
            return {"status": 500, "message": f"query failed: {' '.join(str(error).split())}"}, b""
        out.close()
        if out.file is not None:
            return {"status": 200, "content_type": content_type, "file": job["spill"], "size": out.size}, b""
        return {"status": 200, "content_type": content_type, "length": out.size}, bytes(out.buffer)


def main() -> None:
    """Serve jobs from stdin until it closes (the server stopped or let this worker go)."""
    out = sys.stdout.buffer
    out.write(json.dumps({"ready": os.getpid()}).encode() + b"\n")
    out.flush()
    worker = Worker()
    for line in sys.stdin.buffer:
        try:
            header, body = worker.answer(json.loads(line))
        except Exception as error:  # a worker that dies would only be replaced: answer instead
            print(f"kg query worker: {type(error).__name__}: {error}", file=sys.stderr, flush=True)
            header, body = {"status": 500, "message": f"query worker failed ({type(error).__name__}; "
                                                      "the server's log has the details)"}, b""
        out.write(json.dumps(header).encode() + b"\n")
        out.write(body)
        out.flush()


if __name__ == "__main__":
    main()

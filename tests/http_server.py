"""Servers for the HTTP protocol tests: uvicorn in a thread of the test process, or as its own process.

``serving`` runs an app built by the test (its settings chosen there) on a free loopback
port; ``running_server`` starts ``python -m uvicorn --factory http_server:create``, which
reads its settings from the environment like the real server (``Settings.from_env``) and
fills an empty store with the hand-built articles of ``asgi_fixture``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from asgi_fixture import fill
from starlette.applications import Starlette

from kg.config import Settings
from kg.store import GraphStore
from kg.web.app import create_app

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "s3cret-token"


@contextmanager
def serving(app: Starlette) -> Iterator[httpx.Client]:
    """uvicorn serving ``app`` on a free loopback port from a thread; a client bound to it."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            yield http
    finally:
        server.should_exit = True
        thread.join()


def create() -> Starlette:
    """The app as ``kg serve`` builds it from the environment, over a store filled with the test articles."""
    settings = Settings.from_env()
    store = GraphStore(settings.store)

    def on_startup() -> None:
        if store.is_empty():
            fill(store)

    return create_app(store, settings=settings, on_startup=on_startup)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(
    store: Path, *, factory: str = "http_server:create", store_env: str = "KG_STORE", **env: str
) -> Iterator[str]:
    """``python -m uvicorn`` running the app ``factory`` (a module of tests/) over ``store``.

    ``store_env`` names the variable the factory reads the store from; ``env`` (KG_* settings)
    is added to the environment.  Yields the base URL; fails on any traceback in the log.
    """
    port = free_port()
    environment = {**os.environ, store_env: str(store), **env,
                   "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", factory, "--app-dir", str(ROOT / "tests"),
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(base, process)
        yield base
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        assert b"Traceback" not in output, output.decode(errors="replace")


def _wait_for_health(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"uvicorn exited: {process.communicate()[0].decode(errors='replace')}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("uvicorn did not answer /health within 30 s")


def assert_one_line_error(response: httpx.Response, status: int, *fragments: str) -> None:
    """``response`` is the refusal every door sends: ``status``, one plain-text line holding ``fragments``."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.count("\n") == 1 and "Traceback" not in response.text
    for fragment in fragments:
        assert fragment in response.text, response.text


def worker_pids() -> set[int]:
    """The query worker processes that are children of this process (the thread-served apps' pools)."""
    pids = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        state = stat.rsplit(")", 1)[1].split()[0]
        if parent == os.getpid() and b"kg.web.query_worker" in command and state != "Z":
            pids.add(int(entry.name))
    return pids


@contextmanager
def recording_listener() -> Iterator[tuple[str, list[bytes]]]:
    """A TCP server on loopback that records whatever connects to it: (its URL, what it received)."""
    received: list[bytes] = []
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            with connection:
                received.append(connection.recv(4096))

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql", received
    finally:
        stop.set()
        thread.join()
        server.close()

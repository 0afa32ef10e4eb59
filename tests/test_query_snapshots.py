"""The query workers' snapshot directories: a server killed without shutting down leaves its own, the next
server started beside it deletes it, and never deletes the directory of a server still running."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from http_server import ROOT, _wait_for_health, free_port, running_server

SNAPSHOTS = "kg-query-snapshots-*"


def start(store: Path) -> subprocess.Popen[bytes]:
    """``uvicorn --factory http_server:create`` over ``store``, answering /health."""
    port = free_port()
    environment = {**os.environ, "KG_STORE": str(store),
                   "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "http_server:create", "--app-dir", str(ROOT / "tests"),
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    _wait_for_health(f"http://127.0.0.1:{port}", process)
    return process


def test_the_next_server_deletes_what_a_killed_server_left(tmp_path: Path) -> None:
    killed = start(tmp_path / "first")
    [abandoned] = tmp_path.glob(SNAPSHOTS)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=30)
    time.sleep(0.5)  # its workers see their pipe close and exit
    assert abandoned.exists()  # nobody cleaned up after a SIGKILL

    with running_server(tmp_path / "second"):
        assert not abandoned.exists()
        [own] = tmp_path.glob(SNAPSHOTS)
    assert not own.exists()  # removed at a clean shutdown


def test_a_running_servers_snapshots_are_left_alone(tmp_path: Path) -> None:
    alive = start(tmp_path / "first")
    try:
        [theirs] = tmp_path.glob(SNAPSHOTS)
        with running_server(tmp_path / "second"):
            assert theirs.exists() and len(list(tmp_path.glob(SNAPSHOTS))) == 2
    finally:
        alive.terminate()
        alive.wait(timeout=30)
    assert not theirs.exists()

"""Serving: gunicorn started with gunicorn.conf.py keeps answering while slow clients hold
connections open (the "slow loris": a header line now and then, never the end)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SLOW_CLIENTS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start listening")


@contextmanager
def serving(env: dict[str, str]) -> Iterator[int]:
    """``gunicorn -c gunicorn.conf.py`` with ``env`` on a free port, one worker process and
    no access log: its port while it listens; stopped (killed if it hangs) afterwards."""
    port = free_port()
    env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": "",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(port, process)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def gunicorn():
    # One process: the threads alone must keep it answering.
    with serving({**os.environ, "DEBUG": "1"}) as port:
        yield port


def slow_client(port: int, stop: threading.Event) -> None:
    """Send a request's headers one line every half second until told to stop."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        line = 0
        while not stop.wait(0.5):
            line += 1
            try:
                sock.sendall(b"X-Slow-%d: 1\r\n" % line)
            except OSError:
                return


@pytest.mark.slow
def test_other_visitors_are_answered_while_slow_clients_hold_connections(gunicorn):
    stop = threading.Event()
    clients = [
        threading.Thread(target=slow_client, args=(gunicorn, stop), daemon=True)
        for _ in range(SLOW_CLIENTS)
    ]
    for client in clients:
        client.start()
    try:
        time.sleep(1.5)  # the slow ones are connected and trickling
        with urllib.request.urlopen(f"http://127.0.0.1:{gunicorn}/robots.txt", timeout=5) as r:
            assert r.status == 200
            assert b"User-agent" in r.read()
        assert all(client.is_alive() for client in clients)  # they were still holding on
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=5)

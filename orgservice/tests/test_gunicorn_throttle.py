"""The login throttle is shared by gunicorn workers: counted in the database, not per process."""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from orgservice.testing import gunicorn

pytestmark = pytest.mark.slow

ATTEMPTS = 12


def _tcp_sockets() -> list[tuple[int, int, str, str]]:
    """(local port, remote port, state, inode) of every IPv4 TCP socket on this host."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    sockets = []
    for row in rows:
        fields = row.split()
        local, remote = (int(addr.split(":")[1], 16) for addr in fields[1:3])
        sockets.append((local, remote, fields[3], fields[9]))
    return sockets


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _server_pids(port: int) -> list[int]:
    """Every process holding the server's listening socket (the master and its workers)."""
    listening = {
        inode for local, _, state, inode in _tcp_sockets() if local == port and state == "0A"
    }
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if _socket_inodes(int(entry.name)) & listening:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _worker_serving(server_port: int, client_port: int, pids: list[int]) -> int:
    """The pid that accepted our connection (whose socket is its server end)."""
    deadline = time.monotonic() + 5
    while True:
        inodes = {
            inode
            for local, remote, _, inode in _tcp_sockets()
            if local == server_port and remote == client_port
        }
        owners = [pid for pid in pids if _socket_inodes(pid) & inodes]
        if owners or time.monotonic() > deadline:
            assert len(owners) == 1, owners
            return owners[0]
        time.sleep(0.01)  # not accepted yet


def _wrong_login(port: int, email: str, pids: list[int]) -> tuple[int, str | None, int]:
    """One login over a fresh connection: (status, Retry-After, pid of the worker that served)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.connect()
        worker = _worker_serving(port, connection.sock.getsockname()[1], pids)
        body = json.dumps({"email": email, "password": "Wrong-pass-1"})
        connection.request("POST", "/admin/login", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Retry-After"), worker
    finally:
        connection.close()


def _refused_by_a_worker_that_saw_few(results: list[tuple[int, str | None, int]]) -> bool:
    """Whether some 429 came from a worker that had itself served at most 5 of the attempts:
    with a per-process count, that worker would have let the attempt through."""
    for index, (status, _, worker) in enumerate(results):
        own = sum(1 for _, _, w in results[: index + 1] if w == worker)
        if status == 429 and own <= 5:
            return True
    return False


@contextmanager
def _occupying_a_worker(port: int) -> Iterator[None]:
    """Hold an idle connection open: with --worker-connections 1 the worker that accepted it
    accepts nothing else meanwhile, so the next connection goes to the other worker (left to
    itself, the kernel hands nearly every connection to the same one)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10):
        time.sleep(0.2)  # the worker's loop notices it is full
        yield
    time.sleep(0.2)  # ... and that it has room again


def _wrong_logins(port: int, email: str, pids: list[int]) -> list[tuple[int, str | None, int]]:
    results = []
    for attempt in range(ATTEMPTS):
        if attempt % 2:
            with _occupying_a_worker(port):
                results.append(_wrong_login(port, email, pids))
        else:
            results.append(_wrong_login(port, email, pids))
    return results


def test_two_workers_share_one_login_count_per_email(tmp_path):
    with gunicorn(
        tmp_path,
        workers=2,
        LOGIN_RATE_PER_EMAIL="5/min",
        LOGIN_RATE_PER_IP="1000/min",
        GUNICORN_CMD_ARGS="--worker-connections 1",
    ) as base:
        port = urlsplit(base).port
        pids = _server_pids(port)
        assert len(pids) == 3  # master + 2 workers
        for trial in range(3):  # a run where one worker served nearly all would prove nothing
            results = _wrong_logins(port, f"victim{trial}@acme.example", pids)
            assert [status for status, _, _ in results] == [401] * 5 + [429] * (ATTEMPTS - 5)
            assert all(0 < int(retry) <= 60 for _, retry, _ in results[5:])
            if _refused_by_a_worker_that_saw_few(results):
                break
    assert len({worker for _, _, worker in results}) == 2
    assert _refused_by_a_worker_that_saw_few(results)

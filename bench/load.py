"""Load generation from separate processes: wrk for HTTP throughput, timed request loops."""

from __future__ import annotations

import re
import statistics
import subprocess
import threading
import time
from collections.abc import Callable

import requests

_LATENCY = re.compile(r"^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, *, connections: int, seconds: int, headers: dict | None = None) -> dict:
    """Throughput and latency percentiles (ms) of GETs on ``url``, bounded by ``seconds``."""
    threads = min(2, connections)
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "5s",
    ]
    for key, value in (headers or {}).items():
        cmd += ["-H", f"{key}: {value}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 30).stdout
    latency = {f"p{m[0]}_ms": float(m[1]) * _UNIT[m[2]] for m in _LATENCY.findall(out)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, **latency, "non_2xx": int(errors.group(1)) if errors else 0}


def timed(call: Callable[[int], requests.Response], *, count: int, max_seconds: float) -> dict:
    """Median and p90 (ms) of up to ``count`` sequential calls, stopping after ``max_seconds``."""
    samples = []
    deadline = time.monotonic() + max_seconds
    for i in range(count):
        if time.monotonic() > deadline:
            break
        start = time.perf_counter()
        response = call(i)
        samples.append((time.perf_counter() - start) * 1000)
        response.raise_for_status()
    samples.sort()
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(samples), 1),
        "p90_ms": round(samples[int(len(samples) * 0.9) - 1 if len(samples) > 1 else 0], 1),
    }


class Background:
    """``clients`` threads calling ``call`` in a loop until stopped (bounded by max_seconds)."""

    def __init__(self, call: Callable[[], object], *, clients: int, max_seconds: float):
        self._stop = threading.Event()
        self._deadline = time.monotonic() + max_seconds
        self.calls = 0
        self._threads = [threading.Thread(target=self._loop, args=(call,)) for _ in range(clients)]

    def _loop(self, call) -> None:
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            call()
            self.calls += 1

    def __enter__(self) -> Background:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join()

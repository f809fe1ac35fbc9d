"""Load on the web workbench over loopback: N signed-in users reading pages and the API for S seconds.

    python -m judgeflow.benchmarks.web_load --users 20 --seconds 20

Starts `judgeflow serve` in a subprocess on a free port over a fresh JUDGEFLOW_HOME (two
example cases waiting at their first checkpoint, one judge account per user), signs every user
in concurrently, then has each user loop over a page request and an API request in turn until
the time is up. Prints request counts and p50/p99 latency per kind (login, page, API). Client
and server share the machine's cores, so the figures are an upper bound on latency.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

PASSWORD = "load-test-password"
CASES = ("clean-loan", "guarantor")
PAGE_PATHS = ("/cases", "/cases/clean-loan", "/cases/guarantor/trace")
API_PATHS = ("/api/cases", "/api/cases/clean-loan", "/api/cases/guarantor/trace")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare(home: Path, users: int) -> None:
    from judgeflow.app.web.accounts import Account, AccountStore
    from judgeflow.app.web.service import Workbench

    store = AccountStore(home)
    for n in range(users):
        store.add(f"judge{n:02d}", "judge", PASSWORD)
    bench = Workbench(home)
    for case in CASES:
        bench.start_example(Account("judge00", "judge"), case)


def _wait_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"服务未能启动（exit {proc.returncode}）")
        try:
            httpx.get(f"{base}/login", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise SystemExit("服务在 60 秒内未就绪")


def _user(
    base: str,
    n: int,
    start: threading.Barrier,
    go: threading.Event,
    until: list[float],
    out: dict[str, list[Any]],
) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        start.wait()
        began = time.perf_counter()
        response = client.post("/api/login", json={"name": f"judge{n:02d}", "password": PASSWORD})
        out["login"].append((time.perf_counter() - began, response.status_code))
        start.wait()  # everyone is signed in
        go.wait()  # the timed phase begins
        turn = n
        while time.monotonic() < until[0]:
            for kind, paths in (("page", PAGE_PATHS), ("api", API_PATHS)):
                path = paths[turn % len(paths)]
                began = time.perf_counter()
                response = client.get(path)
                out[kind].append((time.perf_counter() - began, response.status_code))
            turn += 1


def _percentile(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if q < 100 else max(values)


def main(argv: list[str] | None = None) -> int:
    """Run the load and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent signed-in users (default 20)")
    parser.add_argument("--seconds", type=float, default=20, help="length of the timed phase (default 20)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="judgeflow-web-load-") as temp:
        home = Path(temp) / "home"
        os.environ["JUDGEFLOW_HOME"] = str(home)
        _prepare(home, args.users)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "JUDGEFLOW_HOME": str(home)}
        command = [sys.executable, "-m", "judgeflow.app.cli", "serve", "--port", str(port)]
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            _wait_up(base, proc)
            out: dict[str, list[Any]] = {"login": [], "page": [], "api": []}
            barrier = threading.Barrier(args.users + 1)
            go = threading.Event()
            until = [0.0]
            threads = [
                threading.Thread(target=_user, args=(base, n, barrier, go, until, out))
                for n in range(args.users)
            ]
            for thread in threads:
                thread.start()
            barrier.wait()  # logins start together
            barrier.wait()  # logins done
            until[0] = time.monotonic() + args.seconds
            began = time.monotonic()
            go.set()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - began
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print(
        f"web_load: {args.users} users, {args.seconds:g} s timed phase ({elapsed:.1f} s measured), loopback"
    )
    print(f"{'kind':<6} {'requests':>9} {'errors':>7} {'p50 ms':>9} {'p99 ms':>9} {'req/s':>8}")
    for kind, rows in out.items():
        latencies = sorted(r[0] * 1000 for r in rows)
        errors = sum(1 for r in rows if r[1] >= 400)
        rate = "" if kind == "login" else f"{len(rows) / elapsed:8.1f}"
        print(
            f"{kind:<6} {len(rows):>9} {errors:>7} {_percentile(latencies, 50):>9.1f} "
            f"{_percentile(latencies, 99):>9.1f} {rate:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

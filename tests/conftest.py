"""Shared fixtures: a private JUDGEFLOW_HOME per test and a switch that forbids network access."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
        raise RuntimeError(f"tests may not reach the network (tried {address!r})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test talks to anything but this machine: no model endpoint, no hub."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh JUDGEFLOW_HOME for the test, used by in-process runners and CLI subprocesses."""
    path = tmp_path / "home"
    monkeypatch.setenv("JUDGEFLOW_HOME", str(path))
    monkeypatch.delenv("JUDGEFLOW_CHECKPOINT_URL", raising=False)
    return path


@pytest.fixture
def runner(home: Path) -> Iterator[Any]:
    """A CaseRunner over the test's home."""
    from judgeflow.graph.runner import CaseRunner

    with CaseRunner(home=home) as r:
        yield r


@pytest.fixture
def example() -> Any:
    """Path of an example case folder by name."""

    def _path(name: str) -> Path:
        return EXAMPLES / name

    return _path

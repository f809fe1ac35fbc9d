"""The per-process shared FalkorDB client behind `open_store()`: reuse across steps and threads,
reconnection after a server restart, cached reads dropped when the graph changes, a clear error
when the server cannot be reached."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from judgeflow.knowledge_graph import server
from judgeflow.knowledge_graph import store as store_module
from judgeflow.knowledge_graph.server import ensure_server, stop_server
from judgeflow.knowledge_graph.store import (
    FalkorStore,
    GraphUnavailableError,
    close_shared_stores,
    open_store,
)

TEXT = "MATCH (a:Article {id: $id}) RETURN a.text AS text"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A server of its own holding one article, and no shared client left from other tests."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    close_shared_stores()
    home = tmp_path / "home"
    with FalkorStore(*ensure_server(home)) as direct:
        direct.write("CREATE (:Article {id: 'x:1', text: '旧文'})")
    yield home
    close_shared_stores()
    stop_server(home)


def _ro_queries(home: Path) -> int:
    """GRAPH.RO_QUERY commands the home's server has run (what reached the server)."""
    host, port = ensure_server(home)
    stats = redis.Redis(host=host, port=port).info("commandstats")
    return int(stats.get("cmdstat_graph.RO_QUERY", {}).get("calls", 0))


def test_steps_reuse_one_client_and_read_once(home: Path) -> None:
    first = open_store(home)
    assert first.read(TEXT, {"id": "x:1"}) == [{"text": "旧文"}]
    first.close()  # a step ends: the handle lets go, the client stays
    sent = _ro_queries(home)
    for _ in range(5):
        with open_store(home) as step:
            assert isinstance(step, FalkorStore) and step._link is first._link
            rows = step.read(TEXT, {"id": "x:1"})
            assert rows == [{"text": "旧文"}]
            rows[0]["text"] = "changed by the caller"  # a caller's change does not reach the cache
    assert _ro_queries(home) == sent  # answered from the cache
    assert open_store(home, shared=False)._link is not first._link  # a store of its own on request


def test_package_metadata_is_read_once_per_process(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import falkordb._version  # type: ignore[import-untyped]
    import redis.utils

    open_store(home).close()
    looked_up: list[str] = []

    def counting(name: str) -> str:
        looked_up.append(name)
        return "0"

    monkeypatch.setattr(falkordb._version, "get_version", counting)
    monkeypatch.setattr(redis.utils.metadata, "version", counting)
    for _ in range(3):
        open_store(home).close()
        FalkorStore(*ensure_server(home)).close()
    assert looked_up == []


def test_a_write_in_this_process_is_read_back_at_once(home: Path) -> None:
    shared = open_store(home)
    assert shared.read(TEXT, {"id": "x:1"}) == [{"text": "旧文"}]
    with FalkorStore(*ensure_server(home)) as loader:  # what `judgeflow kg load` would do
        loader.write("MATCH (a:Article {id: 'x:1'}) SET a.text = '新文'")
    assert shared.read(TEXT, {"id": "x:1"}) == [{"text": "新文"}]  # same handle, no stale text
    shared.write("MATCH (a:Article {id: 'x:1'}) SET a.text = '再改'")
    assert open_store(home).read(TEXT, {"id": "x:1"}) == [{"text": "再改"}]


def test_a_load_by_another_process_is_seen_from_the_next_step(home: Path) -> None:
    assert open_store(home).read(TEXT, {"id": "x:1"}) == [{"text": "旧文"}]
    script = (
        "import sys; from pathlib import Path; from judgeflow.knowledge_graph.store import open_store; "
        "s = open_store(Path(sys.argv[1])); s.write(\"MATCH (a:Article {id: 'x:1'}) SET a.text = '新文'\"); "
        "s.persist()"  # the write counter resets with a snapshot: the change is still seen
    )
    subprocess.run([sys.executable, "-c", script, str(home)], check=True, timeout=60)
    assert open_store(home).read(TEXT, {"id": "x:1"}) == [{"text": "新文"}]


def test_reconnects_after_the_server_restarts(home: Path) -> None:
    step = open_store(home)
    assert step.read(TEXT, {"id": "x:1"}) == [{"text": "旧文"}]
    stop_server(home)  # saves; e.g. the process that started it exited
    host, port = ensure_server(home)  # started again by another process (a new port)
    assert step.read("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 1}]  # a step in flight: rerun
    assert step.address == f"{host}:{port}"
    stop_server(home)
    assert open_store(home).read(TEXT, {"id": "x:1"}) == [{"text": "旧文"}]  # the next step: started


def test_a_server_that_cannot_be_reached_is_a_clear_error(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    step = open_store(home)
    assert step.read(TEXT, {"id": "x:1"}) == [{"text": "旧文"}]
    stop_server(home)
    real = server._command
    monkeypatch.setattr(server, "_command", lambda port, d: [*real(port, d), "--no-such-option", "1"])
    with pytest.raises(GraphUnavailableError, match="知识图谱服务") as err:
        step.read("MATCH (a:Article) RETURN count(a) AS n")  # not cached: it needs the server
    assert "falkordb.log" in str(err.value)
    with pytest.raises(GraphUnavailableError, match="知识图谱服务"):
        open_store(home)


def test_a_write_is_not_repeated_on_the_same_server(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The connection drops after the write was sent, the server is still the same one: the write may
    # have been applied, so it is reported, not sent again.
    step = open_store(home)
    sent: list[bool] = []
    real = store_module._FalkorLink._send

    def drop_once(client: Any, schema: int, query: str, params: Any, ro: bool) -> Any:
        sent.append(ro)
        if not ro and len(sent) == 1:
            raise redis.ConnectionError("connection reset")
        return real(client, schema, query, params, ro)

    monkeypatch.setattr(store_module._FalkorLink, "_send", staticmethod(drop_once))
    with pytest.raises(GraphUnavailableError, match="知识图谱服务不可用"):
        step.write("CREATE (:Article {id: 'x:2'})")
    assert sent == [False]
    assert step.read("MATCH (a:Article) RETURN count(a) AS n") == [{"n": 1}]  # a read is safe to run


def test_threads_share_the_client(home: Path) -> None:
    with FalkorStore(*ensure_server(home)) as direct:
        direct.write(
            "UNWIND range(2, 40) AS i CREATE (:Article {id: 'x:' + toString(i), text: 'T' + toString(i)})"
        )
    errors: list[BaseException] = []
    links: set[int] = set()

    def work(offset: int) -> None:
        try:
            for i in range(2, 41):
                n = 2 + (i + offset) % 39
                with open_store(home) as step:
                    links.add(id(step._link))
                    assert step.read(TEXT, {"id": f"x:{n}"}) == [{"text": f"T{n}"}]
                    assert (
                        step.read("MATCH (a:Article {id: $id}) RETURN a AS a", {"id": f"x:{n}"})[0]["a"][
                            "text"
                        ]
                        == f"T{n}"
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(links) == 1


def test_the_cache_keeps_to_its_row_budget(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "CACHE_ROWS", 3)
    step = open_store(home)
    assert isinstance(step, FalkorStore)
    link = step._link
    for n in range(5):
        assert step.read("RETURN $n AS n", {"n": n}) == [{"n": n}]
    assert link._cached_rows == 3 and len(link._cache) == 3  # the two oldest results dropped
    assert ("RETURN $n AS n", '{"n": 4}') in link._cache and ("RETURN $n AS n", '{"n": 0}') not in link._cache

"""FalkorStore against the real embedded server: plain results, write counters, migrations, errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from judgeflow.knowledge_graph import queries as q
from judgeflow.knowledge_graph.migrations import MIGRATIONS, applied, migrate
from judgeflow.knowledge_graph.server import ensure_server, stop_server
from judgeflow.knowledge_graph.store import FalkorStore, GraphStore, GraphUnavailableError, open_store


@pytest.fixture
def scratch(kg_home: Path) -> Iterator[FalkorStore]:
    """An empty graph of its own on the session's server."""
    host, port = ensure_server(kg_home)
    store = FalkorStore(host, port, graph="scratch_test")
    store.delete_graph()
    yield store
    store.delete_graph()
    store.close()


def test_open_store_uses_the_embedded_server(kg_home: Path, kg_store: FalkorStore) -> None:
    with open_store(kg_home) as store:
        assert (
            isinstance(store, GraphStore) and store.backend == "falkordb" and store.dialect.name == "falkordb"
        )
        assert store.address == kg_store.address  # the running server is reused
        assert store.read(q.COUNT_LAWS) == [{"n": 378}]


def test_results_are_plain_python(scratch: FalkorStore) -> None:
    changed = scratch.write(
        "UNWIND $rows AS row CREATE (:Law {id: row.id, aliases: row.aliases, effective_date: row.d})",
        {"rows": [{"id": "x", "aliases": ["甲", "乙"], "d": "2021-01-01"}]},
    )
    assert changed == 4  # one node, three properties
    rows = scratch.read("MATCH (l:Law) RETURN l AS node, l {.*} AS map, [l.id] AS ids, count(l) AS n")
    assert rows == [
        {"node": {"id": "x", "aliases": ["甲", "乙"], "effective_date": "2021-01-01"},
         "map": {"id": "x", "aliases": ["甲", "乙"], "effective_date": "2021-01-01"}, "ids": ["x"], "n": 1},
    ]  # fmt: skip
    assert type(rows[0]["map"]) is dict and type(rows[0]["n"]) is int
    assert scratch.write("MATCH (l:Law {id: 'x'}) SET l.aliases = ['甲', '乙']") == 0  # unchanged values


def test_reading_a_graph_that_does_not_exist_yet(scratch: FalkorStore) -> None:
    assert scratch.read(q.COUNT_ARTICLES) == [{"n": 0}]


def test_migrations_apply_once(scratch: FalkorStore) -> None:
    assert migrate(scratch) == [m.name for m in MIGRATIONS]
    assert migrate(scratch) == []
    assert applied(scratch) == [m.name for m in MIGRATIONS]
    indexes = {
        r["label"]: r["types"]
        for r in scratch.read(
            "CALL db.indexes() YIELD label, properties, types RETURN label, properties, types"
        )
    }
    assert indexes["Article"]["text_seg"] == ["FULLTEXT"]
    assert "RANGE" in indexes["Article"]["law_id"] and "RANGE" in indexes["Article"]["number"]
    assert "RANGE" in indexes["Law"]["id"]
    # the recorded steps still let the dialect skip existing indexes when asked again
    for migration in MIGRATIONS:
        for op in migration.ops:
            scratch.dialect.apply(scratch, op)
    scratch.write("CREATE (:Law {id: 'dup'})")
    with pytest.raises(redis.ResponseError, match=r"(?i)unique"):
        scratch.write("CREATE (:Law {id: 'dup'})")


def test_server_down_raises_graph_unavailable(tmp_path: Path) -> None:
    home = tmp_path / "down"
    host, port = ensure_server(home)
    store = FalkorStore(host, port)
    assert store.read("RETURN 1 AS one") == [{"one": 1}]
    stop_server(home)
    with pytest.raises(GraphUnavailableError, match="知识图谱服务不可用") as err:
        store.read("RETURN 1 AS one")
    assert "judgeflow kg load" in str(err.value) and "NEO4J_URI" in str(err.value)
    with pytest.raises(GraphUnavailableError, match="知识图谱服务不可用"):
        FalkorStore(host, port)

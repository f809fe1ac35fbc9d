"""Neo4jStore: the exact queries and parameters it sends to a neo4j.Driver, and a real run when NEO4J_URI is set."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from unittest import mock

import neo4j
import pytest
from judgeflow.knowledge_graph import queries as q
from judgeflow.knowledge_graph.dialect import FulltextIndex, RangeIndex, UniqueConstraint
from judgeflow.knowledge_graph.migrations import MIGRATIONS, migrate
from judgeflow.knowledge_graph.store import GraphUnavailableError, Neo4jStore, close_shared_stores, open_store


def _driver(records: list[dict[str, Any]] | None = None, **counters: int) -> Any:
    driver = mock.create_autospec(neo4j.Driver, instance=True)
    summary = mock.Mock()
    summary.counters = mock.Mock(
        nodes_created=0, nodes_deleted=0, relationships_created=0, relationships_deleted=0, properties_set=0
    )
    for name, value in counters.items():
        setattr(summary.counters, name, value)
    rows = [neo4j.Record(r) for r in records or []]
    driver.execute_query.return_value = neo4j.EagerResult(rows, summary, list(records[0]) if records else [])
    return driver


def test_read_sends_the_query_with_parameters_to_readers() -> None:
    driver = _driver([{"article": {"id": "x:667", "number": 667}, "law_status": "现行有效"}])
    store = Neo4jStore(driver, database="laws")
    params = {"law": "民法典", "number": 667, "suffix": ""}
    rows = store.read(q.ARTICLE_BY_LAW_AND_NUMBER, params)
    driver.execute_query.assert_called_once_with(
        q.ARTICLE_BY_LAW_AND_NUMBER, parameters_=params, database_="laws", routing_=neo4j.RoutingControl.READ
    )
    assert rows == [{"article": {"id": "x:667", "number": 667}, "law_status": "现行有效"}]
    assert store.backend == "neo4j" and store.dialect.name == "neo4j"


def test_write_routes_to_the_writer_and_counts_changes() -> None:
    driver = _driver(nodes_created=2, relationships_created=3, properties_set=7)
    with Neo4jStore(driver) as store:
        rows = [{"id": "a", "name": "中华人民共和国民法典"}]
        assert store.write(q.UPSERT_LAWS, {"rows": rows}) == 12
        driver.execute_query.assert_called_once_with(
            q.UPSERT_LAWS, parameters_={"rows": rows}, database_=None, routing_=neo4j.RoutingControl.WRITE
        )
    driver.close.assert_called_once_with()


def test_migrations_send_neo4j_statements_once() -> None:
    driver = _driver()
    store = Neo4jStore(driver, database="neo4j")
    assert migrate(store) == [m.name for m in MIGRATIONS]
    sent = [c.args[0] for c in driver.execute_query.call_args_list]
    assert sent[0] == q.MIGRATIONS_LIST
    assert "CREATE CONSTRAINT law_id_unique IF NOT EXISTS FOR (n:Law) REQUIRE n.id IS UNIQUE" in sent
    assert (
        "CREATE INDEX article_law_id_number_range IF NOT EXISTS FOR (n:Article) ON (n.law_id, n.number)"
        in sent
    )
    assert (
        "CREATE FULLTEXT INDEX article_text_seg_fulltext IF NOT EXISTS FOR (n:Article) ON EACH [n.text_seg] "
        "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}"
    ) in sent
    assert sent.count(q.MIGRATION_RECORD) == len(MIGRATIONS)
    done = _driver([{"name": m.name} for m in MIGRATIONS])
    assert migrate(Neo4jStore(done)) == []
    assert [c.args[0] for c in done.execute_query.call_args_list] == [q.MIGRATIONS_LIST]


def test_dialect_statements_and_fulltext_syntax() -> None:
    dialect = Neo4jStore(_driver()).dialect
    assert dialect.statement(UniqueConstraint("Article", "id")) == (  # type: ignore[attr-defined]
        "CREATE CONSTRAINT article_id_unique IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE"
    )
    assert "ON (n.name)" in dialect.statement(RangeIndex("Law", ("name",)))  # type: ignore[attr-defined]
    assert "ON EACH [n.text_seg]" in dialect.statement(FulltextIndex("Article", "text_seg"))  # type: ignore[attr-defined]
    assert dialect.fulltext_query(["借款", "利息", "借款", "a:b"]) == '"借款" OR "利息" OR "ab"'
    assert "db.index.fulltext.queryNodes('article_text_seg_fulltext', $query)" in dialect.FULLTEXT_ARTICLES


def test_unreachable_server_raises_graph_unavailable() -> None:
    driver = _driver()
    driver.execute_query.side_effect = neo4j.exceptions.ServiceUnavailable("connection refused")
    with pytest.raises(GraphUnavailableError, match=r"知识图谱服务不可用.*NEO4J_URI"):
        Neo4jStore(driver).read(q.COUNT_LAWS)


def test_open_store_picks_neo4j_when_uri_is_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    close_shared_stores()
    driver = _driver([{"n": 1}])
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:7687")
    monkeypatch.setenv("NEO4J_USER", "neo4j")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret-pw")
    monkeypatch.setenv("NEO4J_DATABASE", "laws")
    with mock.patch.object(neo4j.GraphDatabase, "driver", return_value=driver) as factory:
        store = open_store(tmp_path)
        again = open_store(tmp_path)  # a later step: the same driver, checked again
    factory.assert_called_once_with("bolt://127.0.0.1:7687", auth=("neo4j", "secret-pw"))
    assert driver.verify_connectivity.call_count == 2
    assert isinstance(store, Neo4jStore) and store.database == "laws"
    assert isinstance(again, Neo4jStore) and again.driver is store.driver
    store.close()  # a step's handle lets go; the driver stays open for the next step
    driver.close.assert_not_called()
    assert again.read(q.COUNT_LAWS) == [{"n": 1}]
    # the server goes down: a query in flight and the next step's open both say so clearly
    driver.execute_query.side_effect = neo4j.exceptions.ServiceUnavailable("connection refused")
    with pytest.raises(GraphUnavailableError, match=r"知识图谱服务不可用.*NEO4J_URI"):
        again.read(q.COUNT_LAWS)
    driver.verify_connectivity.side_effect = neo4j.exceptions.ServiceUnavailable("down")
    with pytest.raises(GraphUnavailableError, match="知识图谱服务不可用"):
        open_store(tmp_path)
    close_shared_stores()  # process exit
    driver.close.assert_called_once_with()
    with (
        mock.patch.object(neo4j.GraphDatabase, "driver", return_value=driver),
        pytest.raises(GraphUnavailableError),
    ):
        open_store(tmp_path)  # a fresh connection to a server that is down
    assert driver.close.call_count == 2  # the driver that could not connect is closed


@pytest.mark.neo4j
@pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason="needs a Neo4j server at NEO4J_URI")
def test_real_neo4j_load_and_queries(tmp_path: Path) -> None:
    from judgeflow.knowledge_graph.importer import load, status

    with open_store(tmp_path) as store:
        assert isinstance(store, Neo4jStore)
        report = load(store)
        assert report.ok, report.as_dict()
        again = load(store)
        assert (again.laws, again.articles, again.references) == (
            report.laws,
            report.articles,
            report.references,
        )
        assert status(store)["nodes"]["Article"] == report.source_articles
        article = store.read(q.ARTICLE_BY_LAW_AND_NUMBER, {"law": "民法典", "number": 667, "suffix": ""})[0]
        assert article["article"]["text"].startswith("借款合同是借款人向贷款人借款")
        refs = store.read(
            q.ARTICLE_REFERENCES, {"article_id": article["article"]["id"].replace(":667", ":675")}
        )
        assert [r["label"] for r in refs] == ["第五百一十条"]

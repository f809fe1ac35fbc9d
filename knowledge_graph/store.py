"""The graph store: one small interface, two backends (embedded FalkorDB, or Neo4j 5).

`open_store()` returns a `Neo4jStore` when NEO4J_URI is set (NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE), otherwise a `FalkorStore` on the embedded FalkorDB server, started if needed.
Both run the same OpenCypher from `queries.py`; what differs lives in `dialect.py`.
Results are plain Python: rows as dicts keyed by the RETURN aliases, nodes as property dicts.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from judgeflow.errors import JudgeflowError
from judgeflow.knowledge_graph.dialect import Dialect, FalkorDialect, Neo4jDialect

GRAPH_NAME = "judgeflow_law"
CONSTRAINT_TIMEOUT_S = 30.0


class GraphUnavailableError(JudgeflowError):
    """The knowledge-graph server cannot be reached; the message says how to fix it."""


def _unavailable(where: str, exc: BaseException) -> GraphUnavailableError:
    return GraphUnavailableError(
        f"知识图谱服务不可用（{where}：{exc}）。"
        "内置 FalkorDB：重新运行命令即会自动启动（数据在 $JUDGEFLOW_HOME/falkordb/，日志 falkordb.log）；"
        "使用 Neo4j：检查 NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD 并启动服务"
        "（docker compose -f deploy/neo4j-compose.yml up -d）；然后运行 judgeflow kg load。"
    )


@runtime_checkable
class GraphStore(Protocol):
    """A graph database that runs OpenCypher with $parameters."""

    backend: str
    dialect: Dialect

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a read-only query, as dicts keyed by the RETURN aliases."""
        ...

    def write(self, query: str, params: dict[str, Any] | None = None) -> int:
        """Run a write query; the number of nodes, relationships and properties it changed."""
        ...

    def close(self) -> None:
        """Release the connection (the server keeps running)."""
        ...


def plain(value: Any) -> Any:
    """A driver value as plain Python: nodes/relationships → property dicts, maps → dicts."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    props = getattr(value, "properties", None)  # falkordb Node / Edge
    if isinstance(props, dict):
        return {str(k): plain(v) for k, v in props.items()}
    if hasattr(value, "items") and hasattr(value, "element_id"):  # neo4j Node / Relationship
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j temporal types
        return str(value.iso_format())
    return value


class _ContextMixin:
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class FalkorStore(_ContextMixin):
    """The native `falkordb` client over the Redis protocol (not FalkorDB's Bolt endpoint)."""

    backend = "falkordb"

    def __init__(self, host: str, port: int, graph: str = GRAPH_NAME) -> None:
        import falkordb  # type: ignore[import-untyped]
        import redis

        self.dialect: Dialect = FalkorDialect()
        self._errors: tuple[type[BaseException], ...] = (redis.ConnectionError, redis.TimeoutError, OSError)
        self._response_error = redis.ResponseError
        self.address = f"{host}:{port}"
        try:
            self._db = falkordb.FalkorDB(host=host, port=port, socket_connect_timeout=5)
            self._db.connection.ping()
        except self._errors as exc:
            raise _unavailable(f"FalkorDB {self.address}", exc) from exc
        self._graph = self._db.select_graph(graph)

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a read-only query, as plain dicts."""
        try:
            try:
                result = self._graph.ro_query(query, params)
            except self._response_error as exc:
                if "empty key" not in str(exc):
                    raise
                result = self._graph.query(query, params)  # no graph yet: GRAPH.QUERY creates it
        except self._errors as exc:
            raise _unavailable(f"FalkorDB {self.address}", exc) from exc
        keys = [str(h[1]) for h in result.header]
        return [dict(zip(keys, (plain(v) for v in row), strict=True)) for row in result.result_set]

    def write(self, query: str, params: dict[str, Any] | None = None) -> int:
        """Run a write query; nodes+relationships created/deleted plus properties changed."""
        try:
            r = self._graph.query(query, params)
        except self._errors as exc:
            raise _unavailable(f"FalkorDB {self.address}", exc) from exc
        counted = (r.nodes_created, r.nodes_deleted, r.relationships_created, r.relationships_deleted)
        return int(sum(counted) + r.properties_set)

    def create_unique_constraint(self, label: str, prop: str) -> None:
        """GRAPH.CONSTRAINT CREATE … UNIQUE, waiting until FalkorDB reports it operational."""
        existing = self._graph.list_constraints()
        if not any(c["label"] == label and c["properties"] == [prop] for c in existing):
            self._graph.create_node_unique_constraint(label, prop)
        deadline = time.monotonic() + CONSTRAINT_TIMEOUT_S
        while time.monotonic() < deadline:
            for c in self._graph.list_constraints():
                if c["label"] == label and c["properties"] == [prop] and c["status"] != "PENDING":
                    if c["status"] == "FAILED":
                        raise JudgeflowError(f"图谱唯一约束 {label}.{prop} 创建失败（存在重复值）")
                    return
            time.sleep(0.05)

    def persist(self) -> None:
        """Snapshot the data to disk now (SAVE), so that a fresh import survives a crash."""
        try:
            self._db.connection.save()
        except self._errors as exc:
            raise _unavailable(f"FalkorDB {self.address}", exc) from exc

    def delete_graph(self) -> None:
        """Drop the whole graph (tests, or before a from-scratch re-import)."""
        try:
            self._graph.delete()
        except Exception as exc:  # an empty graph does not exist yet
            if "empty key" not in str(exc).lower() and "invalid graph" not in str(exc).lower():
                raise

    def close(self) -> None:
        """Close the client's connection pool."""
        self._db.connection.close()


class Neo4jStore(_ContextMixin):
    """The official `neo4j` driver (Bolt), for a Neo4j 5 server or cluster."""

    backend = "neo4j"

    def __init__(self, driver: Any, database: str | None = None) -> None:
        self.dialect: Dialect = Neo4jDialect()
        self.driver = driver
        self.database = database or None

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str | None = None) -> Neo4jStore:
        """A store on a running Neo4j at `uri`, checked with verify_connectivity()."""
        import neo4j

        driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
        try:
            driver.verify_connectivity()
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.AuthError, OSError) as exc:
            driver.close()
            raise _unavailable(f"Neo4j {uri}", exc) from exc
        return cls(driver, database)

    def _run(self, query: str, params: dict[str, Any] | None, routing: str) -> Any:
        import neo4j

        try:
            return self.driver.execute_query(
                query,
                parameters_=params or {},
                database_=self.database,
                routing_=neo4j.RoutingControl(routing),
            )
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired) as exc:
            raise _unavailable("Neo4j", exc) from exc

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a read-only query (routed to readers), as plain dicts."""
        result = self._run(query, params, "r")
        return [{k: plain(record[k]) for k in record.keys()} for record in result.records]  # noqa: SIM118

    def write(self, query: str, params: dict[str, Any] | None = None) -> int:
        """Run a write query; nodes+relationships created/deleted plus properties set."""
        c = self._run(query, params, "w").summary.counters
        counted = (c.nodes_created, c.nodes_deleted, c.relationships_created, c.relationships_deleted)
        return int(sum(counted) + c.properties_set)

    def close(self) -> None:
        """Close the driver."""
        self.driver.close()


def open_store(home: Path | None = None) -> FalkorStore | Neo4jStore:
    """Neo4j when NEO4J_URI is set, else the embedded FalkorDB server of `home` (started if needed)."""
    uri = os.environ.get("NEO4J_URI", "").strip()
    if uri:
        return Neo4jStore.connect(
            uri,
            os.environ.get("NEO4J_USER", "neo4j"),
            os.environ.get("NEO4J_PASSWORD", ""),
            os.environ.get("NEO4J_DATABASE") or None,
        )
    from judgeflow.knowledge_graph.server import ensure_server
    from judgeflow.knowledge_graph.statute_source import graph_home

    host, port = ensure_server(home or graph_home())
    return FalkorStore(host, port)

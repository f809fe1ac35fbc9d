"""The graph store: one small interface, two backends (embedded FalkorDB, or Neo4j 5).

`open_store()` returns a `Neo4jStore` when NEO4J_URI is set (NEO4J_USER, NEO4J_PASSWORD,
NEO4J_DATABASE), otherwise a `FalkorStore` on the embedded FalkorDB server, started if needed.
Both run the same OpenCypher from `queries.py`; what differs lives in `dialect.py`.
Results are plain Python: rows as dicts keyed by the RETURN aliases, nodes as property dicts.

Connections are kept per process. The flow opens a store in every step that reads the graph; a new
client each time would cost a PING and package-metadata lookups, so `open_store()` hands out a light
handle on one client per process and per (backend, home or URI), opened on first use, shared by every
step and thread, and closed when the process exits (`close()` on a handle releases the handle only).
The embedded server's shared client also:
- reconnects once, transparently, when its server was stopped or restarted (a query on a dead
  connection is repeated after `ensure_server`; a write only when it reached a server that is gone),
  and raises the usual `GraphUnavailableError` when the server cannot be reached or started;
- caches the rows of read-only queries. A write through any store of this process drops the cache
  at once; at every `open_store()` the server's write counters (run id, snapshots taken, changes
  since the last one) are compared with those the cache was filled under, so a `judgeflow kg load`
  run by another process against the same server is seen from the next step on (a step already
  running finishes with what it read).
A Neo4j server gives no cheap change counter, so Neo4j handles share the driver (it pools and
reconnects by itself; each `open_store()` checks that the server answers) but cache nothing.
A store built directly (`FalkorStore(host, port)`, `Neo4jStore.connect(...)`,
`open_store(shared=False)`) owns its connection, never reconnects and caches nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import threading
import time
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self, runtime_checkable

from judgeflow.errors import JudgeflowError
from judgeflow.knowledge_graph.dialect import Dialect, FalkorDialect, Neo4jDialect

GRAPH_NAME = "judgeflow_law"
CONSTRAINT_TIMEOUT_S = 30.0
# Rows of read results kept per shared client, oldest results dropped first (a row with its article
# text is about 1 KB: some 20 MB at most), and the largest result kept: the hot lookups are a few rows
# each, while a full scan (fingerprint, export) is not worth holding in memory.
CACHE_ROWS = 20_000
CACHE_MAX_ROWS = 2000


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


def _copy(value: Any) -> Any:
    """A copy of plain values (dicts and lists copied, scalars shared)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _copy_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Cached rows as the caller's own: a caller may change what it gets without changing the cache."""
    return [{k: _copy(v) for k, v in row.items()} for row in rows]


@lru_cache(maxsize=1)
def _falkordb_version() -> str:
    """The falkordb package's version, which its client sends to the server: looked up once per process
    (the client would otherwise read the package metadata every time it is built)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("FalkorDB")
    except PackageNotFoundError:
        return "unknown"


class _ContextMixin:
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


# Writes made through any FalkorDB store of this process, per server address and graph: a shared
# client drops its cached reads as soon as this moves, whichever store wrote.
_local_writes: dict[tuple[str, str], int] = {}
_local_writes_lock = threading.Lock()


def _note_write(address: str, graph: str) -> None:
    with _local_writes_lock:
        _local_writes[(address, graph)] = _local_writes.get((address, graph), 0) + 1


class _FalkorClient:
    """One falkordb client: a redis connection pool, which is thread-safe. The client's graph object
    keeps a schema cache (label and property ids) that is neither thread-safe nor refreshed when the
    graph is rebuilt, so each thread gets its own graph object, made anew after the data changed."""

    def __init__(self, host: str, port: int, graph: str) -> None:
        import falkordb  # type: ignore[import-untyped]

        self.address = f"{host}:{port}"
        self.graph_name = graph
        try:
            self.db = falkordb.FalkorDB(
                host=host, port=port, socket_connect_timeout=5, lib_version=_falkordb_version()
            )
            self.db.connection.ping()
        except _falkor_errors() as exc:
            raise _unavailable(f"FalkorDB {self.address}", exc) from exc
        self.run_id = ""
        self._local = threading.local()

    def graph(self, schema: int) -> Any:
        """This thread's graph object, made anew when `schema` (the data's generation) moved."""
        held = getattr(self._local, "held", None)
        if held is None or held[0] != schema:
            held = (schema, self.db.select_graph(self.graph_name))
            self._local.held = held
        return held[1]

    def version(self) -> tuple[str, int, int]:
        """(run id, snapshots taken, changes since the last one): moves whenever the server's data may
        have changed, whoever changed it (a restart, a write, a GRAPH.DELETE)."""
        info = self.db.connection.info("server", "persistence")
        self.run_id = str(info["run_id"])
        return self.run_id, int(info["rdb_saves"]), int(info["rdb_changes_since_last_save"])

    def close(self) -> None:
        """Close the connection pool (its server may be gone already)."""
        with contextlib.suppress(Exception):
            self.db.connection.close()


@lru_cache(maxsize=1)
def _falkor_errors() -> tuple[type[BaseException], ...]:
    """What a lost or refused connection raises."""
    import redis

    return (redis.ConnectionError, redis.TimeoutError, OSError)


class _FalkorLink:
    """What a FalkorStore talks through: its own client, or (with `home`) the process's shared client of
    that home, which reconnects after a server restart and caches read results."""

    def __init__(self, host: str, port: int, graph: str, home: Path | None = None) -> None:
        self._home = home
        self._lock = threading.Lock()
        self._client = _FalkorClient(host, port, graph)
        self.graph_name = graph
        self._schema = 0  # the data's generation: moves with every change seen
        self._cache: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self._cached_rows = 0
        self._version: tuple[str, int, int] | None = None
        self._writes_seen = self._local_writes()
        if home is not None:
            self._version = self._client.version()

    @property
    def address(self) -> str:
        """host:port of the server the current client talks to (it changes after a reconnect)."""
        return self._client.address

    @property
    def shared(self) -> bool:
        """True for the process's client of a home: it reconnects and caches; an own client does not."""
        return self._home is not None

    def _local_writes(self) -> int:
        return _local_writes.get((self._client.address, self.graph_name), 0)

    def _drop_cache(self) -> None:
        """Forget cached rows and the graph schema (call with the lock held)."""
        self._cache.clear()
        self._cached_rows = 0
        self._schema += 1

    def _keep(self, key: tuple[str, str], rows: list[dict[str, Any]]) -> None:
        """Cache `rows`, dropping the oldest results beyond CACHE_ROWS (call with the lock held)."""
        old = self._cache.pop(key, None)
        self._cached_rows += len(rows) - (len(old) if old is not None else 0)
        self._cache[key] = rows
        while self._cached_rows > CACHE_ROWS and len(self._cache) > 1:
            self._cached_rows -= len(self._cache.pop(next(iter(self._cache))))

    def refresh(self) -> None:
        """Check the server before a step uses it: reconnect if it is gone, drop the cache if its data
        changed since the cache was filled (a load by another process, a restart)."""
        client = self._client
        try:
            version = client.version()
        except _falkor_errors():
            self._reconnect(client)
            return
        with self._lock:
            if version != self._version:
                self._version = version
                self._drop_cache()

    def _reconnect(self, dead: _FalkorClient) -> None:
        """A new client on this home's server (started again if needed); once per lost client."""
        from judgeflow.knowledge_graph.server import ensure_server

        assert self._home is not None
        with self._lock:
            if self._client is not dead:
                return  # another thread reconnected already
            dead.close()
            host, port = ensure_server(self._home)
            self._client = _FalkorClient(host, port, self.graph_name)
            self._version = self._client.version()
            self._writes_seen = self._local_writes()
            self._drop_cache()

    def run(self, query: str, params: dict[str, Any] | None, read_only: bool) -> Any:
        """Run one query; on a lost connection a shared client reconnects and runs it once more — a
        write only if the server it was sent to is gone (else it may have been applied)."""
        client, schema = self._client, self._schema
        try:
            return self._send(client, schema, query, params, read_only)
        except _falkor_errors() as exc:
            if not self.shared:
                raise _unavailable(f"FalkorDB {client.address}", exc) from exc
            run_id = client.run_id
            self._reconnect(client)
            if not read_only and self._client.run_id == run_id:
                raise _unavailable(f"FalkorDB {client.address}", exc) from exc
        client = self._client
        try:
            return self._send(client, self._schema, query, params, read_only)
        except _falkor_errors() as exc:
            raise _unavailable(f"FalkorDB {client.address}", exc) from exc

    @staticmethod
    def _send(client: _FalkorClient, schema: int, query: str, params: dict[str, Any] | None, ro: bool) -> Any:
        import redis

        graph = client.graph(schema)
        if not ro:
            return graph.query(query, params)
        try:
            return graph.ro_query(query, params)
        except redis.ResponseError as exc:
            if "empty key" not in str(exc):
                raise
            return graph.query(query, params)  # no graph yet: GRAPH.QUERY creates it

    def read(self, query: str, params: dict[str, Any] | None) -> list[dict[str, Any]]:
        """Rows as plain dicts; from the cache when a shared client has them for this data."""
        if not self.shared:
            return self._rows(self.run(query, params, read_only=True))
        key = (query, json.dumps(params or {}, sort_keys=True, ensure_ascii=False, default=str))
        with self._lock:
            if self._writes_seen != self._local_writes():
                self._writes_seen = self._local_writes()
                self._drop_cache()
            cached = self._cache.get(key)
            schema = self._schema
        if cached is not None:
            return _copy_rows(cached)
        rows = self._rows(self.run(query, params, read_only=True))
        if len(rows) <= CACHE_MAX_ROWS:
            with self._lock:
                if schema == self._schema and self._writes_seen == self._local_writes():  # unchanged since
                    self._keep(key, _copy_rows(rows))
        return rows

    @staticmethod
    def _rows(result: Any) -> list[dict[str, Any]]:
        keys = [str(h[1]) for h in result.header]
        return [dict(zip(keys, (plain(v) for v in row), strict=True)) for row in result.result_set]

    def changed(self) -> None:
        """Record a change made through this link (a write, a constraint, a dropped graph)."""
        _note_write(self._client.address, self.graph_name)
        with self._lock:
            self._writes_seen = self._local_writes()
            self._drop_cache()

    def graph(self) -> Any:
        """This thread's falkordb graph object (for the schema calls that are not queries)."""
        return self._client.graph(self._schema)

    def save(self) -> None:
        """SAVE: snapshot the data to disk now."""
        try:
            self._client.db.connection.save()
        except _falkor_errors() as exc:
            raise _unavailable(f"FalkorDB {self._client.address}", exc) from exc

    def close(self) -> None:
        """Close the client's connection pool."""
        self._client.close()


class FalkorStore(_ContextMixin):
    """The native `falkordb` client over the Redis protocol (not FalkorDB's Bolt endpoint)."""

    backend = "falkordb"

    def __init__(self, host: str, port: int, graph: str = GRAPH_NAME) -> None:
        self.dialect: Dialect = FalkorDialect()
        self._link = _FalkorLink(host, port, graph)

    @classmethod
    def _handle(cls, link: _FalkorLink) -> FalkorStore:
        """A store on a shared link (what `open_store()` returns): closing it leaves the link open."""
        store = cls.__new__(cls)
        store.dialect = FalkorDialect()
        store._link = link
        return store

    @property
    def address(self) -> str:
        """host:port of the server."""
        return self._link.address

    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Rows of a read-only query, as plain dicts."""
        return self._link.read(query, params)

    def write(self, query: str, params: dict[str, Any] | None = None) -> int:
        """Run a write query; nodes+relationships created/deleted plus properties changed."""
        try:
            r = self._link.run(query, params, read_only=False)
        finally:
            self._link.changed()
        counted = (r.nodes_created, r.nodes_deleted, r.relationships_created, r.relationships_deleted)
        return int(sum(counted) + r.properties_set)

    def create_unique_constraint(self, label: str, prop: str) -> None:
        """GRAPH.CONSTRAINT CREATE … UNIQUE, waiting until FalkorDB reports it operational."""
        graph = self._link.graph()
        existing = graph.list_constraints()
        if not any(c["label"] == label and c["properties"] == [prop] for c in existing):
            graph.create_node_unique_constraint(label, prop)
            self._link.changed()
        deadline = time.monotonic() + CONSTRAINT_TIMEOUT_S
        while time.monotonic() < deadline:
            for c in graph.list_constraints():
                if c["label"] == label and c["properties"] == [prop] and c["status"] != "PENDING":
                    if c["status"] == "FAILED":
                        raise JudgeflowError(f"图谱唯一约束 {label}.{prop} 创建失败（存在重复值）")
                    return
            time.sleep(0.05)

    def persist(self) -> None:
        """Snapshot the data to disk now (SAVE), so that a fresh import survives a crash."""
        self._link.save()

    def delete_graph(self) -> None:
        """Drop the whole graph (tests, or before a from-scratch re-import)."""
        try:
            self._link.graph().delete()
        except Exception as exc:  # an empty graph does not exist yet
            if "empty key" not in str(exc).lower() and "invalid graph" not in str(exc).lower():
                raise
        finally:
            self._link.changed()

    def close(self) -> None:
        """Close the client's connection pool (a handle from `open_store()` only lets go of it)."""
        if not self._link.shared:
            self._link.close()


class Neo4jStore(_ContextMixin):
    """The official `neo4j` driver (Bolt), for a Neo4j 5 server or cluster."""

    backend = "neo4j"

    def __init__(self, driver: Any, database: str | None = None, *, owns_driver: bool = True) -> None:
        self.dialect: Dialect = Neo4jDialect()
        self.driver = driver
        self.database = database or None
        self._owns_driver = owns_driver

    @classmethod
    def connect(cls, uri: str, user: str, password: str, database: str | None = None) -> Neo4jStore:
        """A store on a running Neo4j at `uri`, checked with verify_connectivity()."""
        import neo4j

        store = cls(neo4j.GraphDatabase.driver(uri, auth=(user, password)), database)
        try:
            store.verify(uri)
        except GraphUnavailableError:
            store.driver.close()
            raise
        return store

    def verify(self, uri: str) -> None:
        """Check that the server answers (verify_connectivity(), over the driver's pool)."""
        import neo4j

        try:
            self.driver.verify_connectivity()
        except (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.AuthError, OSError) as exc:
            raise _unavailable(f"Neo4j {uri}", exc) from exc

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
        """Close the driver (a handle from `open_store()` only lets go of the shared one)."""
        if self._owns_driver:
            self.driver.close()


# The process's shared connections: FalkorDB links by home, Neo4j stores (owning the driver) by server
# and credentials. The process id is part of the key: a forked child opens its own.
_shared: dict[tuple[Any, ...], _FalkorLink | Neo4jStore] = {}
_shared_lock = threading.Lock()


def _neo4j_settings() -> tuple[str, str, str, str | None]:
    return (
        os.environ.get("NEO4J_URI", "").strip(),
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", ""),
        os.environ.get("NEO4J_DATABASE") or None,
    )


def open_store(home: Path | None = None, shared: bool = True) -> FalkorStore | Neo4jStore:
    """Neo4j when NEO4J_URI is set, else the embedded FalkorDB server of `home` (started if needed).

    A handle on this process's shared connection (see the module's docstring); `shared=False` opens a
    connection of the caller's own, uncached, closed by `close()`."""
    uri, user, password, database = _neo4j_settings()
    if uri:
        if not shared:
            return Neo4jStore.connect(uri, user, password, database)
        key: tuple[Any, ...] = ("neo4j", os.getpid(), uri, user, password, database)
        with _shared_lock:
            owner = _shared.get(key)
            if owner is None:
                owner = _shared[key] = Neo4jStore.connect(uri, user, password, database)
                return Neo4jStore(owner.driver, owner.database, owns_driver=False)
        assert isinstance(owner, Neo4jStore)
        owner.verify(uri)  # a server that went down is reported when the step opens the store
        return Neo4jStore(owner.driver, owner.database, owns_driver=False)
    from judgeflow.knowledge_graph.server import ensure_server
    from judgeflow.knowledge_graph.statute_source import graph_home

    where = (home or graph_home()).expanduser()
    if not shared:
        host, port = ensure_server(where)
        return FalkorStore(host, port)
    key = ("falkordb", os.getpid(), str(where.resolve()))
    with _shared_lock:
        link = _shared.get(key)
        if link is None:
            host, port = ensure_server(where)
            link = _shared[key] = _FalkorLink(host, port, GRAPH_NAME, home=where)
    assert isinstance(link, _FalkorLink)
    link.refresh()
    return FalkorStore._handle(link)


@atexit.register
def close_shared_stores() -> None:
    """Close this process's shared connections (at exit; tests that change servers call it too)."""
    with _shared_lock:
        owned = [v for k, v in _shared.items() if k[1] == os.getpid()]
        _shared.clear()
    for conn in owned:
        with contextlib.suppress(Exception):
            conn.close()

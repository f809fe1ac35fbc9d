"""Fixtures for the knowledge graph: one real embedded FalkorDB server, loaded once per session.

`kg_home` is a private JUDGEFLOW_HOME for the session; `kg_store` is a FalkorStore over the
graph into which the whole statute database was loaded (`kg_report` is that load's report).
The server is stopped at the end of the session.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from judgeflow.knowledge_graph.importer import LoadReport, load
from judgeflow.knowledge_graph.server import ensure_server, stop_server
from judgeflow.knowledge_graph.store import FalkorStore


@pytest.fixture(scope="session")
def kg_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A session-wide JUDGEFLOW_HOME holding the embedded FalkorDB server's data."""
    home = tmp_path_factory.mktemp("kg") / "home"
    patch = pytest.MonkeyPatch()
    patch.setenv("JUDGEFLOW_HOME", str(home))
    patch.delenv("NEO4J_URI", raising=False)
    yield home
    stop_server(home)
    patch.undo()


@pytest.fixture(scope="session")
def kg_loaded(kg_home: Path) -> Iterator[tuple[FalkorStore, LoadReport]]:
    """The store with the full statute database loaded, and the report of that first load."""
    host, port = ensure_server(kg_home)
    store = FalkorStore(host, port)
    started = time.perf_counter()
    report = load(store)
    print(
        f"\n[kg] full load: {report.articles} articles, {report.laws} laws in {time.perf_counter() - started:.1f}s"
    )
    yield store, report
    store.close()


@pytest.fixture(scope="session")
def kg_store(kg_loaded: tuple[FalkorStore, LoadReport]) -> FalkorStore:
    """A FalkorStore over the fully loaded statute graph (shared: add to it, never change statute nodes)."""
    return kg_loaded[0]


@pytest.fixture(scope="session")
def kg_report(kg_loaded: tuple[FalkorStore, LoadReport]) -> LoadReport:
    """The report of the session's first (full) load."""
    return kg_loaded[1]

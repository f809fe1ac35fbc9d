"""What differs between FalkorDB and Neo4j: index and constraint statements, full-text search.

Everything else is the shared OpenCypher of `queries.py`. Schema operations are small value
objects (`UniqueConstraint`, `RangeIndex`, `FulltextIndex`); each dialect turns them into its
own statements, which are the only Cypher strings built at run time (labels and property names
cannot be parameters).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class UniqueConstraint:
    """Property `prop` of nodes labelled `label` is unique (and indexed)."""

    label: str
    prop: str


@dataclass(frozen=True)
class RangeIndex:
    """A (composite) range index on `props` of nodes labelled `label`."""

    label: str
    props: tuple[str, ...]


@dataclass(frozen=True)
class FulltextIndex:
    """A full-text index on `prop` of nodes labelled `label`, over whitespace-separated tokens."""

    label: str
    prop: str


SchemaOp = UniqueConstraint | RangeIndex | FulltextIndex


class _Executor(Protocol):
    def read(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]: ...
    def write(self, query: str, params: dict[str, Any] | None = None) -> int: ...


def _index_name(label: str, props: Sequence[str], kind: str) -> str:
    return f"{label.lower()}_{'_'.join(props)}_{kind}"


class Dialect:
    """Backend-specific statements; subclasses fill them in."""

    name = ""
    # Full-text search over Article.text_seg: params $query (from `fulltext_query`) and $limit.
    FULLTEXT_ARTICLES = ""

    def apply(self, store: _Executor, op: SchemaOp) -> None:
        """Create the index or constraint `op` if it does not exist yet."""
        raise NotImplementedError

    def fulltext_query(self, tokens: Sequence[str], require_all: bool = False) -> str:
        """The full-text query string matching any (or all) of the segmented `tokens`."""
        raise NotImplementedError


def _clean_tokens(tokens: Sequence[str]) -> list[str]:
    """Tokens with query-syntax characters removed (both engines treat them as operators)."""
    banned = set("\"'\\|&()[]{}<>~*?:!@%^+-=/.,;$#")
    out: list[str] = []
    for token in tokens:
        cleaned = "".join(ch for ch in token if ch not in banned).strip()
        if cleaned and cleaned not in out:
            out.append(cleaned)
    return out


class FalkorDialect(Dialect):
    """FalkorDB: `CREATE INDEX FOR … ON …`, `db.idx.fulltext.*` (RediSearch syntax)."""

    name = "falkordb"
    FULLTEXT_ARTICLES = """
CALL db.idx.fulltext.queryNodes('Article', $query) YIELD node, score
RETURN node.id AS id, node.law_id AS law_id, node.short_name AS short_name, node.label AS label,
       node.number AS number, node.suffix AS suffix, node.status AS status, node.text AS text, score
ORDER BY score DESC
LIMIT $limit
"""

    def _indexed(self, store: _Executor, label: str) -> dict[str, list[str]]:
        rows = store.read("CALL db.indexes() YIELD label, properties, types RETURN label, properties, types")
        for row in rows:
            if row["label"] == label:
                return {k: list(v) for k, v in dict(row["types"]).items()}
        return {}

    def apply(self, store: _Executor, op: SchemaOp) -> None:
        """Create `op` unless FalkorDB already has it (FalkorDB has no IF NOT EXISTS)."""
        indexed = self._indexed(store, op.label)
        if isinstance(op, RangeIndex):
            if all("RANGE" in indexed.get(p, []) for p in op.props):
                return
            props = ", ".join(f"n.{p}" for p in op.props)
            store.write(f"CREATE INDEX FOR (n:{op.label}) ON ({props})")
        elif isinstance(op, FulltextIndex):
            if "FULLTEXT" not in indexed.get(op.prop, []):
                store.write(
                    "CALL db.idx.fulltext.createNodeIndex({label: $label, stopwords: []}, $prop)",
                    {"label": op.label, "prop": op.prop},
                )
        else:
            if "RANGE" not in indexed.get(op.prop, []):
                store.write(f"CREATE INDEX FOR (n:{op.label}) ON (n.{op.prop})")
            create = getattr(store, "create_unique_constraint", None)
            if create is not None:  # a GRAPH.CONSTRAINT command, not Cypher
                create(op.label, op.prop)

    def fulltext_query(self, tokens: Sequence[str], require_all: bool = False) -> str:
        """RediSearch syntax: space = AND, `|` = OR."""
        return (" " if require_all else "|").join(_clean_tokens(tokens))


class Neo4jDialect(Dialect):
    """Neo4j 5: `CREATE … IF NOT EXISTS`, `db.index.fulltext.*` (Lucene syntax)."""

    name = "neo4j"
    FULLTEXT_ARTICLES = """
CALL db.index.fulltext.queryNodes('article_text_seg_fulltext', $query) YIELD node, score
RETURN node.id AS id, node.law_id AS law_id, node.short_name AS short_name, node.label AS label,
       node.number AS number, node.suffix AS suffix, node.status AS status, node.text AS text, score
ORDER BY score DESC
LIMIT $limit
"""

    def statement(self, op: SchemaOp) -> str:
        """The Neo4j 5 statement that creates `op` idempotently."""
        if isinstance(op, UniqueConstraint):
            name = _index_name(op.label, (op.prop,), "unique")
            return f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{op.label}) REQUIRE n.{op.prop} IS UNIQUE"
        if isinstance(op, RangeIndex):
            name = _index_name(op.label, op.props, "range")
            props = ", ".join(f"n.{p}" for p in op.props)
            return f"CREATE INDEX {name} IF NOT EXISTS FOR (n:{op.label}) ON ({props})"
        name = _index_name(op.label, (op.prop,), "fulltext")
        return (
            f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{op.label}) ON EACH [n.{op.prop}] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}"
        )

    def apply(self, store: _Executor, op: SchemaOp) -> None:
        """Run the IF NOT EXISTS statement for `op`."""
        store.write(self.statement(op))

    def fulltext_query(self, tokens: Sequence[str], require_all: bool = False) -> str:
        """Lucene syntax: quoted terms joined by AND / OR."""
        return (" AND " if require_all else " OR ").join(f'"{t}"' for t in _clean_tokens(tokens))

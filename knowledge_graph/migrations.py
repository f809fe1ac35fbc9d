"""Schema migrations: an ordered list of named steps, each applied once and recorded.

A step is a set of constraints/indexes (see `dialect.py`); each dialect creates them its own way.
Applied steps are recorded as (:Migration {name, applied_at}); applying twice is a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from judgeflow.knowledge_graph import queries as q
from judgeflow.knowledge_graph.dialect import FulltextIndex, RangeIndex, SchemaOp, UniqueConstraint
from judgeflow.knowledge_graph.store import GraphStore


@dataclass(frozen=True)
class Migration:
    """One named schema step."""

    name: str
    ops: tuple[SchemaOp, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration("0001_unique_ids", (
        UniqueConstraint(q.LAW, "id"),
        UniqueConstraint(q.ARTICLE, "id"),
        UniqueConstraint(q.CHAPTER, "id"),
        UniqueConstraint(q.SECTION, "id"),
    )),
    Migration("0002_lookup_indexes", (
        RangeIndex(q.ARTICLE, ("law_id", "number")),
        RangeIndex(q.LAW, ("name",)),
        RangeIndex(q.LAW, ("short_name",)),
    )),
    Migration("0003_article_fulltext", (FulltextIndex(q.ARTICLE, "text_seg"),)),
    Migration("0004_migration_name", (UniqueConstraint(q.MIGRATION, "name"),)),
)  # fmt: skip


def applied(store: GraphStore) -> list[str]:
    """Names of the migrations already applied to this graph."""
    return [str(row["name"]) for row in store.read(q.MIGRATIONS_LIST)]


def migrate(store: GraphStore) -> list[str]:
    """Apply the migrations this graph lacks, in order; the names applied now."""
    done = set(applied(store))
    now: list[str] = []
    for migration in MIGRATIONS:
        if migration.name in done:
            continue
        for op in migration.ops:
            store.dialect.apply(store, op)
        store.write(q.MIGRATION_RECORD, {"name": migration.name, "applied_at": datetime.now(UTC).isoformat()})
        now.append(migration.name)
    return now

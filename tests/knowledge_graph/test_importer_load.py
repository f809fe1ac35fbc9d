"""The full statute database loaded into a real embedded FalkorDB: counts, content, edges, idempotence."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from judgeflow.knowledge_graph import queries as q
from judgeflow.knowledge_graph.importer import LoadReport, fingerprint, load, source_counts, status
from judgeflow.knowledge_graph.statute_db import database_path
from judgeflow.knowledge_graph.store import FalkorStore


def _article(store: FalkorStore, law: str, number: int, suffix: str = "") -> dict[str, Any]:
    rows = store.read(q.ARTICLE_BY_LAW_AND_NUMBER, {"law": law, "number": number, "suffix": suffix})
    assert rows, f"{law} {number}{suffix} missing"
    return rows[0]["article"]


def test_counts_match_the_source(kg_store: FalkorStore, kg_report: LoadReport) -> None:
    source = source_counts()
    assert source == {"laws": 378, "article_rows": 26196, "articles": 26193}
    assert kg_report.ok
    assert (kg_report.laws, kg_report.articles) == (source["laws"], source["articles"])
    assert kg_report.source_article_rows == source["article_rows"]
    assert kg_report.seconds < 60
    counts = status(kg_store)
    assert counts["nodes"]["Law"] == 378 and counts["nodes"]["Article"] == 26193
    assert counts["relationships"]["HAS_ARTICLE"] == 26193
    # every article sits in exactly one container, or in none when its law has no chapters
    with sqlite3.connect(database_path()) as conn:
        chaptered = conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT law_id, article_no FROM articles WHERE chapter <> '')"
        ).fetchone()[0]
    assert counts["relationships"]["CONTAINS"] == chaptered
    assert counts["nodes"]["Chapter"] == counts["relationships"]["HAS_CHAPTER"] > 2000
    assert counts["nodes"]["Section"] == counts["relationships"]["HAS_SECTION"] > 500


def test_civil_code_article_667(kg_store: FalkorStore) -> None:
    article = _article(kg_store, "民法典", 667)
    assert article["text"] == "借款合同是借款人向贷款人借款，到期返还借款并支付利息的合同。"
    assert article["label"] == "第六百六十七条" and article["short_name"] == "民法典"
    assert article["law_name"] == "中华人民共和国民法典" and article["status"] == "现行有效"
    assert article["effective_date"] == "2021-01-01"
    assert (
        article["id"].endswith(":667") and article["paragraph_count"] == 1 and article["item_counts"] == [0]
    )
    assert "借款人" in article["text_seg"].split()
    ctx = kg_store.read(q.ARTICLE_CONTEXT, {"article_id": article["id"]})
    assert ctx == [{"law_name": "中华人民共和国民法典", "chapter": "第十二章 借款合同", "section": None}]


def test_criminal_law_articles_with_zhi_yi(kg_store: FalkorStore) -> None:
    base, first = _article(kg_store, "刑法", 133), _article(kg_store, "刑法", 133, "之一")
    assert first["label"] == "第一百三十三条之一" and first["suffix"] == "之一" and first["number"] == 133
    assert first["id"] == f"{base['law_id']}:133之一" and base["id"] == f"{base['law_id']}:133"
    assert "醉酒驾驶机动车" in first["text"] and first["paragraph_count"] == 3
    assert first["item_counts"] == [4, 0, 0]
    rows = kg_store.read(
        "MATCH (a:Article {law_id: $law_id}) WHERE a.suffix <> '' RETURN count(a) AS n",
        {"law_id": base["law_id"]},
    )
    assert rows[0]["n"] == 53
    assert _article(kg_store, "刑法", 120, "之六")["label"] == "第一百二十条之六"


def test_refers_to_edges(kg_store: FalkorStore) -> None:
    refs = kg_store.read(q.ARTICLE_REFERENCES, {"article_id": _article(kg_store, "民法典", 675)["id"]})
    assert refs == [
        {"target_id": refs[0]["target_id"], "label": "第五百一十条", "short_name": "民法典",
         "kind": "same_law", "quote": "本法第五百一十条"},
    ]  # fmt: skip
    drunk = _article(kg_store, "刑法", 133, "之一")
    kinds = {
        (r["kind"], r["target_id"]) for r in kg_store.read(q.ARTICLE_REFERENCES, {"article_id": drunk["id"]})
    }
    assert kinds == {("previous_paragraph", drunk["id"])}  # 前款 / 前两款 point at the article itself
    theft_by_fraud = kg_store.read(
        q.ARTICLE_REFERENCES, {"article_id": _article(kg_store, "刑法", 269)["id"]}
    )
    assert [(r["label"], r["kind"]) for r in theft_by_fraud] == [("第二百六十三条", "same_law")]
    cited_by = kg_store.read(q.ARTICLE_REFERRED_BY, {"article_id": _article(kg_store, "企业破产法", 2)["id"]})
    assert any(r["short_name"] == "保险法" and r["kind"] == "other_law" for r in cited_by)
    by_kind = {
        r["kind"]: r["n"]
        for r in kg_store.read("MATCH ()-[r:REFERS_TO]->() RETURN r.kind AS kind, count(r) AS n")
    }
    assert by_kind["same_law"] > 1500 and by_kind["other_law"] > 200 and by_kind["previous_paragraph"] > 1000


def test_version_of_links_the_two_versions(kg_store: FalkorStore, kg_report: LoadReport) -> None:
    assert kg_report.versions == 11
    old = kg_store.read(q.LAWS_BY_NAME, {"name": "仲裁法"})
    assert [r["law"]["status"] for r in old] == ["现行有效", "历史版本"]
    current, historical = old[0]["law"], old[1]["law"]
    versions = kg_store.read(q.LAW_VERSIONS, {"law_id": historical["id"]})[0]
    assert [v["id"] for v in versions["versions"]] == [current["id"]]
    edge = kg_store.read(
        "MATCH (o:Law)-[:VERSION_OF]->(c:Law) WHERE o.id = $id RETURN c.id AS id", {"id": historical["id"]}
    )
    assert edge == [{"id": current["id"]}]
    on_date = kg_store.read(q.LAW_VERSION_ON_DATE, {"name": "仲裁法", "date": "2020-01-01"})
    assert on_date[0]["law"]["id"] == historical["id"]
    later = kg_store.read(q.LAW_VERSION_ON_DATE, {"name": "中华人民共和国仲裁法", "date": "2026-06-01"})
    assert later[0]["law"]["id"] == current["id"]


def test_law_names_and_aliases(kg_store: FalkorStore) -> None:
    law = kg_store.read(q.LAWS_BY_NAME, {"name": "民诉法"})[0]["law"]
    assert law["name"] == "中华人民共和国民事诉讼法" and law["short_name"] == "民事诉讼法"
    assert "民诉法" in law["aliases"]
    assert kg_store.read(q.LAWS_BY_NAME, {"name": "刑诉法"})[0]["law"]["short_name"] == "刑事诉讼法"
    assert kg_store.read(q.LAWS_BY_NAME, {"name": "公司法"})[0]["law"]["status"] == "现行有效"


def test_fulltext_search_over_segmented_text(kg_store: FalkorStore) -> None:
    from judgeflow.knowledge_graph.segment import words

    query = kg_store.dialect.fulltext_query(words("借款合同 支付利息"), require_all=True)
    hits = kg_store.read(kg_store.dialect.FULLTEXT_ARTICLES, {"query": query, "limit": 20})
    assert any(h["short_name"] == "民法典" and h["number"] == 667 for h in hits)


def test_second_load_changes_nothing(kg_store: FalkorStore, kg_report: LoadReport) -> None:
    before_counts, before_hash = status(kg_store), fingerprint(kg_store)
    started = time.perf_counter()
    again = load(kg_store)
    print(f"\n[kg] second load: {time.perf_counter() - started:.1f}s, changed={again.changed}")
    assert again.changed == 0 and again.migrations_applied == []
    assert status(kg_store) == before_counts and fingerprint(kg_store) == before_hash
    assert (again.laws, again.articles, again.references) == (
        kg_report.laws,
        kg_report.articles,
        kg_report.references,
    )

"""Retrievers over the legal knowledge graph: one article by law and number, statutes for a text.

Each follows neo4j-graphrag's pattern: validate the input, run named Cypher from queries.py,
return typed results that carry the graph path (and the words) that justified each hit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from judgeflow.errors import InputError, StatuteDataError
from judgeflow.knowledge_graph import queries as q
from judgeflow.knowledge_graph.article_numbers import (
    ArticleNumber,
    chinese_numeral,
    parse_article_number,
    parse_part_number,
)
from judgeflow.knowledge_graph.article_parts import split_paragraphs
from judgeflow.knowledge_graph.case_signals import read_signals
from judgeflow.knowledge_graph.citation_text import find_citations
from judgeflow.knowledge_graph.curated import model
from judgeflow.knowledge_graph.fulltext import query_terms, search_articles
from judgeflow.knowledge_graph.penalties import PenaltyTier, parse_penalties
from judgeflow.knowledge_graph.statute_scoring import (
    ArticleRef,
    Candidate,
    ChargeFacts,
    GraphEvidence,
    LinkedArticles,
    Reason,
    TextHit,
    score_candidates,
)

if TYPE_CHECKING:
    from judgeflow.knowledge_graph.store import GraphStore

IN_FORCE = (q.STATUS_IN_FORCE, q.STATUS_AMENDED)
# The selection put before the judge: articles at least this likely to be cited.
SELECT_THRESHOLD = 0.45
MAX_TEXT_CHARS = 20_000
FULLTEXT_LIMIT = 30


class UnknownLawError(StatuteDataError):
    """No law in the graph has that name, short name or alias."""


class ArticleNotFoundError(StatuteDataError):
    """The law exists but has no such article, 款 or 项 (or the number is not a number)."""


@dataclass(frozen=True)
class Article:
    """One article (or one 款 / 项 of it) as the graph holds it, with the path that reached it."""

    id: str
    law: str
    short_name: str
    law_id: str
    law_status: str
    number: int
    suffix: str
    label: str
    text: str
    article_text: str
    paragraph: int | None
    item: int | None
    paragraph_count: int
    status: str
    effective_date: str
    version_date: str
    path: str

    @property
    def citation(self) -> str:
        """How a judgment cites it: '《中华人民共和国刑法》第一百三十三条之一第一款'."""
        part = f"第{chinese_numeral(self.paragraph)}款" if self.paragraph else ""
        part += f"第（{chinese_numeral(self.item)}）项" if self.item else ""
        return f"《{self.law}》{self.label}{part}"


@dataclass(frozen=True)
class StatuteHit:
    """A retrieved article with its score (0–1) and why it was retrieved."""

    id: str
    law: str
    short_name: str
    number: int
    suffix: str
    label: str
    text: str
    score: float
    why: tuple[Reason, ...]

    @property
    def citation(self) -> str:
        """'刑法第133条之一'."""
        return f"{self.short_name}第{self.number}条{self.suffix}"


def law_versions(store: GraphStore, law: str) -> list[dict[str, Any]]:
    """Every version of a law given by full name, short name or alias (in force first)."""
    name = (law or "").strip().strip("《》〈〉 ")
    if not name:
        raise UnknownLawError("请给出法律名称（law name is empty）")
    rows = store.read(q.LAWS_BY_NAME, {"name": name})
    if not rows and not name.startswith("中华人民共和国"):
        rows = store.read(q.LAWS_BY_NAME, {"name": "中华人民共和国" + name})
    if not rows:
        raise UnknownLawError(f"图谱中没有这部法律：{name}（unknown law）")
    return [dict(r["law"]) for r in rows]


def _article_number(number: int | str) -> ArticleNumber:
    parsed = parse_article_number(number)
    if parsed is None:
        raise ArticleNotFoundError(
            f"无法识别的条号：{number!r}（write 133, '133之一' or '第一百三十三条之一'）"
        )
    if parsed.number < 1:
        raise ArticleNotFoundError(f"条号必须为正整数：{number!r}（article numbers start at 1）")
    return parsed


def _part(value: int | str | None, what: str) -> int | None:
    try:
        n = parse_part_number(value)
    except ValueError:
        raise ArticleNotFoundError(f"无法识别的{what}序号：{value!r}") from None
    if n is not None and n < 1:
        raise ArticleNotFoundError(f"{what}序号必须为正整数：{value!r}")
    return n


def get_article(
    store: GraphStore,
    law: str,
    number: int | str,
    paragraph: int | str | None = None,
    item: int | str | None = None,
) -> Article:
    """An article of a law (full name, short name or alias) by number, optionally one 款 and 项."""
    num = _article_number(number)
    para, itm = _part(paragraph, "款"), _part(item, "项")
    versions = law_versions(store, law)
    row = None
    for version in versions:
        found = store.read(
            q.ARTICLE_IN_LAW, {"law_id": version["id"], "number": num.number, "suffix": num.suffix}
        )
        if found:
            row, law_row = dict(found[0]["article"]), version
            break
    if row is None:
        raise ArticleNotFoundError(f"《{versions[0]['name']}》没有{num.label}（article not found）")
    text = row.get("text") or ""
    paragraphs = split_paragraphs(text)
    path = f"《{law_row['name']}》 -HAS_ARTICLE-> {row['label']}"
    selected = text
    if itm is not None and para is None:
        with_items = [p for p in paragraphs if p.items]
        para = with_items[0].number if len(with_items) == 1 else None
        if para is None:
            raise ArticleNotFoundError(f"{row['label']}没有唯一含项的款，请同时给出款（give the paragraph）")
    if para is not None:
        if para > len(paragraphs):
            raise ArticleNotFoundError(
                f"{row['label']}只有{len(paragraphs)}款，没有第{chinese_numeral(para)}款"
            )
        chosen = paragraphs[para - 1]
        selected, path = chosen.full_text, f"{path} -> 第{chinese_numeral(para)}款"
        if itm is not None:
            if itm > len(chosen.items):
                raise ArticleNotFoundError(
                    f"{row['label']}第{chinese_numeral(para)}款只有{len(chosen.items)}项，没有第（{chinese_numeral(itm)}）项"
                )
            selected, path = chosen.items[itm - 1], f"{path} -> 第（{chinese_numeral(itm)}）项"
    return Article(
        id=row["id"],
        law=law_row["name"],
        short_name=row.get("short_name") or law_row.get("short_name", ""),
        law_id=law_row["id"],
        law_status=law_row.get("status", ""),
        number=int(row["number"]),
        suffix=row.get("suffix") or "",
        label=row["label"],
        text=selected,
        article_text=text,
        paragraph=para,
        item=itm,
        paragraph_count=len(paragraphs),
        status=row.get("status", ""),
        effective_date=row.get("effective_date") or law_row.get("effective_date", ""),
        version_date=row.get("version_date") or law_row.get("version_date", ""),
        path=path,
    )


def _ref(row: dict[str, Any], prefix: str = "") -> ArticleRef:
    return ArticleRef(
        id=row[f"{prefix}id"],
        law=row.get(f"{prefix}law_name") or row.get(f"{prefix}law") or "",
        short_name=row[f"{prefix}short_name"] or "",
        number=int(row[f"{prefix}number"]),
        suffix=row.get(f"{prefix}suffix") or "",
        label=row[f"{prefix}label"],
    )


def _charge_facts(store: GraphStore, names: Sequence[str]) -> dict[str, ChargeFacts]:
    if not names:
        return {}
    defining: dict[str, list[tuple[ArticleRef, int | None]]] = {}
    penalty: dict[str, tuple[ArticleRef, str]] = {}
    for row in store.read(q.CHARGE_ARTICLES, {"names": list(names)}):
        ref, para = _ref(row), row.get("paragraph") or None
        if row["rel"] == q.DEFINED_BY:
            defining.setdefault(row["name"], []).append((ref, para))
        else:
            text = row.get("text") or ""
            if para:
                paragraphs = split_paragraphs(text)
                text = paragraphs[para - 1].full_text if para <= len(paragraphs) else text
            penalty[row["name"]] = (ref, text)
    refs: dict[str, list[tuple[ArticleRef, ArticleRef]]] = {}
    for row in store.read(q.CHARGE_REFERENCES, {"names": list(names)}):
        refs.setdefault(row["name"], []).append((_ref(row, "source_"), _ref(row)))
    out = {}
    for name, arts in defining.items():
        pen = penalty.get(name)
        tiers: tuple[PenaltyTier, ...] = parse_penalties(pen[1]) if pen else ()
        out[name] = ChargeFacts(
            name,
            tuple(sorted(arts, key=lambda a: (a[0].number, a[0].suffix))),
            pen[0] if pen else None,
            tiers,
            tuple(refs.get(name, ())),
        )
    return out


def _linked(store: GraphStore, query: str, names: Sequence[str]) -> dict[str, LinkedArticles]:
    if not names:
        return {}
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in store.read(query, {"names": list(names)}):
        grouped.setdefault(row["name"], []).append(dict(row))
    out = {}
    for name, rows in grouped.items():
        rows.sort(key=lambda r: (-(r.get("scale") or 1.0), r["number"], r.get("suffix") or ""))
        out[name] = LinkedArticles(
            name,
            tuple((_ref(r), r.get("paragraph") or None) for r in rows),
            tuple(float(r.get("scale") or 1.0) for r in rows),
        )
    return out


def _direct(store: GraphStore, text: str) -> tuple[ArticleRef, ...]:
    out = []
    for cite in find_citations(text):
        if not cite.law:
            continue
        try:
            art = get_article(store, cite.law, cite.article.key)
        except StatuteDataError:
            continue
        out.append(ArticleRef(art.id, art.law, art.short_name, art.number, art.suffix, art.label))
    return tuple(out)


def _fulltext(store: GraphStore, text: str) -> tuple[TextHit, ...]:
    terms = query_terms(text)
    if not terms:
        return ()
    rows = [r for r in search_articles(store, terms, FULLTEXT_LIMIT) if r.get("status") in IN_FORCE]
    names = {r["id"]: r["law_name"] for r in store.read(q.ARTICLES_BY_IDS, {"ids": [r["id"] for r in rows]})}
    hits = []
    for row in rows:
        body = row.get("text") or ""
        ref = _ref({**row, "law_name": names.get(row["id"], "")})
        hits.append(TextHit(ref, float(row["score"]), tuple(t for t in terms if t in body)))
    return tuple(hits)


def _law_filter(store: GraphStore, law: str | None) -> set[str] | None:
    if law is None:
        return None
    return {v["name"] for v in law_versions(store, law)}


def search_statutes(
    store: GraphStore, text: str, top_k: int = 10, law: str | None = None
) -> list[StatuteHit]:
    """Articles for case facts or a question, ranked, each with its score and the reasons for it."""
    if not isinstance(text, str) or not text.strip():
        raise InputError("检索文本为空（give case facts or a question）")
    if not 1 <= top_k <= 100:
        raise InputError(f"top_k 须在 1 到 100 之间：{top_k}")
    text = text[:MAX_TEXT_CHARS]
    laws = _law_filter(store, law)
    signals = read_signals(text)
    evidence = GraphEvidence(
        charges=_charge_facts(store, list(signals.charges)),
        circumstances=_linked(
            store, q.CIRCUMSTANCE_ARTICLES, list(signals.circumstances) + _triggered_names()
        ),
        causes=_linked(store, q.CAUSE_ARTICLES, list(signals.causes)),
        text_hits=_fulltext(store, text),
        direct=_direct(store, text),
    )
    ranked = score_candidates(signals, evidence)
    if laws is not None:
        ranked = [c for c in ranked if c.article.law in laws]
    ranked = ranked[:top_k]
    texts = {
        r["id"]: r.get("text") or ""
        for r in store.read(q.ARTICLES_BY_IDS, {"ids": [c.article.id for c in ranked]})
    }
    return [_hit(c, texts.get(c.article.id, "")) for c in ranked]


def _triggered_names() -> list[str]:
    return [ci.name for ci in model.circumstances() if ci.trigger is not None or ci.p.base > 0]


def _hit(cand: Candidate, text: str) -> StatuteHit:
    a = cand.article
    return StatuteHit(
        a.id,
        a.law,
        a.short_name,
        a.number,
        a.suffix,
        a.label,
        text,
        cand.score,
        tuple(sorted(cand.reasons, key=lambda r: -r.weight)),
    )


def select_statutes(
    ranked: Sequence[StatuteHit], text: str = "", threshold: float = SELECT_THRESHOLD
) -> list[StatuteHit]:
    """The hits the statute step puts before the judge: likely enough, and not on full-text alone."""
    if not 0 < threshold <= 1:
        raise InputError(f"threshold 须在 0 到 1 之间：{threshold}")
    chosen = []
    for hit in ranked:
        if hit.score < threshold or all(r.kind == "fulltext" for r in hit.why):
            continue
        chosen.append(hit)
    if not chosen and text and re.search(r"被告人|犯罪|罪", text):
        chosen = [h for h in ranked[:1] if any(r.kind == "charge" for r in h.why)]
    return chosen

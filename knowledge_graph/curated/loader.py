"""Write the curated layers into the graph: (:Charge)-[:DEFINED_BY]->(:Article) and the rest.

Run after the statute import (`load_curated(store)`); it is idempotent (MERGE, links re-created,
entries that left the files pruned). Every link is resolved to the in-force article of the named
law and checked against its `anchor` phrase; the penalty tiers of each charge are parsed from the
article text held in the graph, not typed by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from judgeflow.errors import StatuteDataError
from judgeflow.knowledge_graph import queries as q
from judgeflow.knowledge_graph.article_parts import split_paragraphs
from judgeflow.knowledge_graph.curated import model
from judgeflow.knowledge_graph.penalties import parse_penalties

if TYPE_CHECKING:
    from judgeflow.knowledge_graph.store import GraphStore


class CuratedDataError(StatuteDataError):
    """A curated entry points at an article the graph lacks, or its anchor is not in that article."""


@dataclass(frozen=True)
class CuratedLoadReport:
    """What load_curated wrote."""

    charges: int
    circumstances: int
    causes: int
    repealed_laws: int
    links: int


def _key(link: model.ArticleLink) -> str:
    return f"{link.law}|{link.number.key}"


def _all_links() -> list[model.ArticleLink]:
    links: list[model.ArticleLink] = []
    for ch in model.charges():
        links += [*ch.defined_by, ch.penalty_link]
    for ci in model.circumstances():
        links += list(ci.articles)
    for ca in model.causes():
        links += list(ca.articles)
    links += [r.repealed_by for r in model.repealed_laws()]
    return links


def resolve_links(store: GraphStore) -> dict[str, tuple[str, str]]:
    """Article id and text for every curated link, keyed 'law|number'; raises if one is missing."""
    rows = {
        _key(link): {
            "key": _key(link),
            "law": link.law,
            "number": link.number.number,
            "suffix": link.number.suffix,
        }
        for link in _all_links()
    }
    found = {
        r["key"]: (r["id"], r["text"])
        for r in store.read(q.ARTICLES_FOR_LINKS, {"rows": list(rows.values())})
    }
    missing = sorted(set(rows) - set(found))
    if missing:
        raise CuratedDataError(f"图谱中缺少整理数据所指的条文：{', '.join(missing)}（先导入法条库）")
    return found


def _text_of(link: model.ArticleLink, resolved: dict[str, tuple[str, str]]) -> str:
    text = resolved[_key(link)][1]
    if link.paragraph is None:
        return text
    paragraphs = split_paragraphs(text)
    if link.paragraph > len(paragraphs):
        raise CuratedDataError(f"{link.label}：该条只有{len(paragraphs)}款")
    return paragraphs[link.paragraph - 1].full_text


def _check_anchor(
    name: str, anchor: str, link: model.ArticleLink, resolved: dict[str, tuple[str, str]]
) -> None:
    if anchor not in _text_of(link, resolved):
        raise CuratedDataError(f"整理数据“{name}”与条文不符：{link.label} 中没有“{anchor}”")


def _link_row(name: str, link: model.ArticleLink, resolved: dict[str, tuple[str, str]]) -> dict[str, Any]:
    return {
        "name": name,
        "article_id": resolved[_key(link)][0],
        "paragraph": link.paragraph or 0,
        "scale": link.scale,
    }


def charge_penalties(text: str) -> list[dict[str, object]]:
    """The penalty tiers of a charge parsed from its penalty article's (or 款's) text."""
    return [t.as_dict() for t in parse_penalties(text)]


def load_curated(store: GraphStore) -> CuratedLoadReport:
    """Write charges, circumstances, causes and repealed laws into the graph (idempotent)."""
    resolved = resolve_links(store)
    charges, circumstances, causes, repealed = (
        model.charges(),
        model.circumstances(),
        model.causes(),
        model.repealed_laws(),
    )
    sources = model.sources()
    charge_rows, defined, punished = [], [], []
    for ch in charges:
        _check_anchor(ch.name, ch.anchor, ch.defined_by[0], resolved)
        tiers = charge_penalties(_text_of(ch.penalty_link, resolved))
        charge_rows.append(
            {
                "name": ch.name,
                "aliases": list(ch.aliases),
                "strong": list(ch.strong),
                "cues": list(ch.cues),
                "source": sources["charges.json"],
                "penalty_tiers": json.dumps(tiers, ensure_ascii=False),
            }
        )
        defined += [_link_row(ch.name, link, resolved) for link in ch.defined_by]
        punished.append(_link_row(ch.name, ch.penalty_link, resolved))
    circ_rows, governed = [], []
    for ci in circumstances:
        _check_anchor(ci.name, ci.anchor, ci.articles[0], resolved)
        circ_rows.append(
            {
                "name": ci.name,
                "strong": list(ci.strong),
                "cues": list(ci.cues),
                "trigger": ci.trigger or "",
                "source": sources["circumstances.json"],
            }
        )
        governed += [_link_row(ci.name, link, resolved) for link in ci.articles]
    cause_rows, cause_links = [], []
    for ca in causes:
        _check_anchor(ca.name, ca.anchor, ca.articles[0], resolved)
        cause_rows.append(
            {
                "name": ca.name,
                "strong": list(ca.strong),
                "cues": list(ca.cues),
                "source": sources["causes.json"],
            }
        )
        cause_links += [_link_row(ca.name, link, resolved) for link in ca.articles]
    rep_rows, rep_links = [], []
    for r in repealed:
        _check_anchor(r.name, r.name, r.repealed_by, resolved)
        rep_rows.append(
            {
                "name": r.name,
                "aliases": list(r.aliases),
                "repealed_on": r.repealed_on,
                "source": sources["repealed_laws.json"],
            }
        )
        rep_links.append(_link_row(r.name, r.repealed_by, resolved))

    store.write(q.UPSERT_CHARGES, {"rows": charge_rows})
    store.write(q.UPSERT_CIRCUMSTANCES, {"rows": circ_rows})
    store.write(q.UPSERT_CAUSES, {"rows": cause_rows})
    store.write(q.UPSERT_REPEALED_LAWS, {"rows": rep_rows})
    for clear in (
        q.CLEAR_CHARGE_LINKS,
        q.CLEAR_CIRCUMSTANCE_LINKS,
        q.CLEAR_CAUSE_LINKS,
        q.CLEAR_REPEALED_LINKS,
    ):
        store.write(clear, {})
    store.write(q.LINK_CHARGES_DEFINED_BY, {"rows": defined})
    store.write(q.LINK_CHARGES_PUNISHED_BY, {"rows": punished})
    store.write(q.LINK_CIRCUMSTANCES, {"rows": governed})
    store.write(q.LINK_CAUSES, {"rows": cause_links})
    store.write(q.LINK_REPEALED_LAWS, {"rows": rep_links})
    store.write(q.PRUNE_CHARGES, {"names": [c.name for c in charges]})
    store.write(q.PRUNE_CIRCUMSTANCES, {"names": [c.name for c in circumstances]})
    store.write(q.PRUNE_CAUSES, {"names": [c.name for c in causes]})
    store.write(q.PRUNE_REPEALED_LAWS, {"names": [r.name for r in repealed]})
    return CuratedLoadReport(
        len(charges),
        len(circumstances),
        len(causes),
        len(repealed),
        len(defined) + len(punished) + len(governed) + len(cause_links) + len(rep_links),
    )


def ensure_curated(store: GraphStore) -> bool:
    """Load the curated layers if the graph holds statutes but no curated links yet; True if it loaded."""
    if not store.read(q.COUNT_ARTICLES)[0]["n"]:
        raise StatuteDataError("知识图谱中还没有法条；先运行 judgeflow kg load（the graph is empty）")
    if store.read(q.COUNT_DEFINED_BY)[0]["n"]:
        return False
    load_curated(store)
    return True

"""Cited articles checked through the knowledge graph, as of the date of the facts.

When a graph is loaded (`knowledge_graph.statute_source.graph_loaded`), the checkers ask the graph's
citation check (`knowledge_graph.citations.check_citations`) about every cited article: the graph keeps
each law's versions with their effective dates and the repeals, so it can tell a law not yet in force
on the facts' date, a repealed law, an article the version in force lacks, a 款/项 the article does not
have, and a quoted text that is not the article's. Without a graph the statute-database path
(`checking.citations`) answers as before.

Each verdict becomes a `CitationIssue` whose evidence names the graph backend, the law version and the
article node that justified it (the graph path), and the date the citation was checked against.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from judgeflow.agents.checking.citations import (
    MIN_QUOTE,
    NEARBY,
    QUOTE_MATCH,
    Citation,
    CitationIssue,
    quote_agreement,
    repealed,
)
from judgeflow.errors import JudgeflowError
from judgeflow.graph.state import Finding
from judgeflow.knowledge_graph.citations import (
    CitationCheck,
    article_text,
    check_citations,
    law_version_count,
)
from judgeflow.knowledge_graph.queries import ARTICLE_BY_ID, ARTICLES_IN_RANGE, LAW_BY_ID

if TYPE_CHECKING:
    from judgeflow.knowledge_graph.store import GraphStore

# A quotation this close to the article's words (character pairs) differs in wording, not in substance:
# an older version's phrasing or a slip in copying. Further apart, it quotes some other provision.
CLOSE_QUOTE = 0.9
# Laws of procedure apply as in force when the court decides, whatever the date of the facts.
PROCEDURAL_RE = re.compile(r"诉讼法$")


@contextmanager
def statute_graph() -> Iterator[tuple[GraphStore | None, str]]:
    """The loaded knowledge graph's store and "" — or None and why not (no graph loaded: ""; a graph
    that is configured but cannot be reached: the reason, so the check can say it fell back)."""
    from judgeflow.knowledge_graph.statute_source import graph_home, graph_loaded

    home = graph_home()
    if not graph_loaded(home):
        yield None, ""
        return
    try:
        from judgeflow.knowledge_graph.store import open_store

        store = open_store(home)
    except JudgeflowError as exc:
        yield None, str(exc)
        return
    try:
        yield store, ""
    finally:
        store.close()


def graph_fallback(reason: str) -> Finding:
    """The info finding that says a configured graph could not be reached (the statute database
    checked the citations instead)."""
    return Finding(
        type="citation",
        severity="info",
        start=0,
        end=0,
        message="知识图谱不可用，引用条文改按法条数据库（现行文本）核对",
        evidence=reason,
    )


def graph_path(store: GraphStore, check: CitationCheck) -> str:
    """The graph nodes that justified a verdict, as the evidence names them."""
    hops = [f"(:Law {{id: {check.law_id}}})" if check.law_id else f"(:Law {{name: {check.law}}})"]
    if check.article_id:
        hops.append(f"[:HAS_ARTICLE]->(:Article {{id: {check.article_id}}})")
    return f"知识图谱（{store.backend}）{'-'.join(hops) if check.law else '（未找到法律节点）'}"


def _issue(
    store: GraphStore, check: CitationCheck, as_of: str, dated: bool = True, facts_known: bool = True
) -> CitationIssue | None:
    """The finding a verdict calls for (None for verified and for documents the graph does not hold).
    Without `facts_known` (the text dates no fact) a repeal cannot be set against the facts: a warning."""
    where = f"{graph_path(store, check)}，按{as_of}有效的版本核对：{check.evidence}"
    label = check.text
    if check.verdict in ("verified", "not_covered"):
        return None
    if check.verdict == "not_found":
        if check.law is None and check.law_as_written is None:
            return None  # 本法/该法 whose law the sentence does not name: nothing to check it against
        if check.law_id is None:
            # The graph holds no such law (or holds a repealed law without its text): it cannot be
            # checked, which is not the same as its being wrong.
            return CitationIssue(
                "no_such_article", check.start, check.end, f"{label}：无法在知识图谱中核对", where, "warning"
            )
        return CitationIssue(
            "no_such_article", check.start, check.end, f"{label}所引条文不存在（{check.evidence}）", where
        )
    if check.verdict == "repealed":
        # A repeal with its date (a law repealed by name) is checked against the facts' date; a law or
        # article the database only marks as repealed or deleted may still have applied back then.
        dated = check.law_id is None and facts_known
        return CitationIssue(
            "repealed",
            check.start,
            check.end,
            f"{label}：{check.evidence}"
            + ("，早于本案事实发生之日" if dated else "，请核对事实发生时是否有效"),
            where,
            "error" if dated else "warning",
        )
    if check.verdict == "not_in_force_at":
        # When the graph holds a single version of the law, an earlier text it does not hold may have
        # been in force then (laws are revised and renumbered): that is for the judge to look at.
        only_version = check.article_id is None and law_version_count(store, check.law or "") <= 1
        return CitationIssue(
            "not_in_force",
            check.start,
            check.end,
            f"{label}在{as_of}尚未施行：{check.evidence}"
            + ("（图谱只存有该法此后施行的版本，请核对当时有效的文本）" if only_version else ""),
            where,
            "warning" if only_version else "error",
        )
    if check.verdict == "item_not_found":
        # 第N款 of an article of one paragraph is how many courts write its 第N项: worth a look, not an error.
        # 只有0项: the graph could not read the article's items, which says nothing about the citation.
        single = "只有1款" in check.evidence or "只有0项" in check.evidence
        # A text revised after the date may have moved a paragraph out of the article (著作权法 2020).
        revised = _revised_after(store, check, as_of)
        return CitationIssue(
            "missing_part",
            check.start,
            check.end,
            f"{label}：{check.evidence}"
            + ("（如指该条第几项，请改写为“第（N）项”）" if single else "")
            + (f"（图谱所存为{revised}修订的文本，请核对{as_of}时有效的条文）" if revised else ""),
            where,
            "warning" if single or revised else "error",
        )
    # text_mismatch
    words = article_text(store, check.article_id) if check.article_id else None
    close = bool(check.quote and words) and quote_agreement(check.quote or "", words or "") >= CLOSE_QUOTE
    # The quoted words are those of an article close by: renumbering between versions of the law looks
    # the same as a wrong number (as the statute-database path reads it).
    nearby = None if close else _nearby_article(store, check, words or "")
    return CitationIssue(
        "quote_mismatch",
        check.start,
        check.end,
        f"{label}所引条文内容与图谱中{as_of}有效的文本"
        + ("文字有出入" if close else "不符")
        + (f"，而与同一文本的{nearby}相符：可能是修订前后条文序号不同，也可能引错条文" if nearby else "")
        + ("" if dated else "（裁判日期不明，按今日有效的文本核对）"),
        where,
        "warning" if close or nearby or not dated else "error",
    )


def _revised_after(store: GraphStore, check: CitationCheck, as_of: str) -> str | None:
    """The date the compared text was revised, when that is after `as_of` (else None): the words and the
    paragraphs in force on `as_of` may then differ from what the graph holds."""
    if not check.law_id:
        return None
    rows = store.read(LAW_BY_ID, {"law_id": check.law_id})
    revised = str(rows[0]["law"].get("version_date") or "") if rows else ""
    return revised if revised > as_of else None


def _nearby_article(store: GraphStore, check: CitationCheck, cited_words: str) -> str | None:
    """The label of the article within NEARBY of the cited one (same law version) whose words the quote
    matches, and matches better than the cited article's; None when there is none."""
    if not (check.article_id and check.law_id and check.quote):
        return None
    rows = store.read(ARTICLE_BY_ID, {"article_id": check.article_id})
    if not rows:
        return None
    number = int(rows[0]["article"]["number"])
    around = store.read(
        ARTICLES_IN_RANGE, {"law_id": check.law_id, "lo": number - NEARBY, "hi": number + NEARBY}
    )

    def agreement(words: str) -> float:
        return quote_agreement((check.quote or "")[: len(words) + 20], words)

    cited = agreement(cited_words)
    scored = [
        (agreement(r["text"] or ""), -abs(int(r["number"]) - number), str(r["label"]))
        for r in around
        if r["label"] != rows[0]["article"].get("label")
    ]
    best = max(scored, default=None)
    return best[2] if best is not None and best[0] >= QUOTE_MATCH and best[0] > cited else None


def _listed_issue(store: GraphStore, text: str, entry: Citation, as_of: dt.date) -> CitationIssue | None:
    """One entry of an appended statute list: the article is checked by the graph on its own, and the
    text printed after it compared with the article's words as the database path compares them (an
    entry runs on to whatever follows it, so an exact match cannot be asked for)."""
    found = check_citations(store, f"《{entry.law}》第{entry.number}条{entry.suffix}", as_of=as_of)
    if not found:
        return None
    check = replace(found[0], start=entry.start, end=entry.end, text=text[entry.start : entry.end])
    if check.verdict != "verified" or not check.article_id or entry.suffix or len(entry.quote) < MIN_QUOTE:
        return _issue(store, replace(check, quote=None), as_of.isoformat())
    words = article_text(store, check.article_id) or ""
    score = quote_agreement(entry.quote[: len(words) + 20], words)
    if score >= QUOTE_MATCH:
        return None
    return CitationIssue(
        "quote_mismatch",
        entry.start,
        entry.end,
        f"所附条文内容与图谱中{as_of.isoformat()}有效的《{check.law}》{check.article}不符（相符度{score:.2f}）",
        f"{graph_path(store, check)}：{words.strip()[:300]}",
    )


def _repeal_known_elsewhere(check: CitationCheck, began: dt.date | None) -> CitationIssue | None:
    """A law the graph does not hold may still be one the statute database knows was repealed by name
    (its repealing article says so): that repeal counts when it came before the facts began (when the
    text dates no fact, `began` is None and the repeal is a warning)."""
    gone = repealed(check.law or check.law_as_written or "")
    if gone is None or (began is not None and gone.repealed_on > began):
        return None
    return CitationIssue(
        "repealed",
        check.start,
        check.end,
        f"《{gone.name}》已于{gone.repealed_on.isoformat()}废止，"
        + (f"早于本案事实发生之日（{began.isoformat()}）" if began else "请核对事实发生时是否有效"),
        f"法条数据库：{gone.evidence}",
        "error" if began else "warning",
    )


def _amended_since(store: GraphStore, check: CitationCheck, first: dt.date) -> bool:
    """True when the law version the citation was compared with took effect after `first`."""
    if not check.law_id:
        return False
    rows = store.read(LAW_BY_ID, {"law_id": check.law_id})
    effective = str(rows[0]["law"].get("effective_date") or "") if rows else ""
    return effective > first.isoformat()


def graph_citation_issues(
    store: GraphStore,
    text: str,
    facts: tuple[dt.date | None, dt.date | None],
    judged: dt.date | None = None,
    end: int | None = None,
    listed: list[Citation] | None = None,
) -> list[CitationIssue]:
    """Problems with the citations in text[:end] (and the entries of an appended statute list in
    `listed`) according to the graph.

    `facts` is (first, last) date of the facts: a substantive law must have been in force by the last
    (a law that took effect while the facts went on may govern them) and not repealed before the first;
    the articles and their words are those of the version in force on the last. A law of procedure
    (…诉讼法) is the one in force when the court decides: `judged` (today when unknown). A text that
    dates no fact is read as of today, and a repeal then is only a warning (today is not the facts' date)."""
    known = facts[0] is not None or facts[1] is not None
    last = facts[1] or facts[0] or dt.date.today()
    first = facts[0] or last
    decided = judged or dt.date.today()
    body = text[: len(text) if end is None else end]
    on_decision = {c.start: c for c in check_citations(store, body, as_of=decided)}
    on_first: dict[int, CitationCheck] | None = None
    out: list[CitationIssue] = []
    for check in check_citations(store, body, as_of=last):
        when = last
        dated = True
        if check.law and PROCEDURAL_RE.search(check.law) and check.start in on_decision:
            check, when, dated = on_decision[check.start], decided, judged is not None
        elif check.verdict == "repealed" and check.law_id is None and first < last:
            on_first = on_first or {c.start: c for c in check_citations(store, body, as_of=first)}
            if on_first.get(check.start, check).verdict != "repealed":
                continue  # repealed while the facts went on: it may govern the earlier ones
        if check.verdict == "not_covered" or (check.verdict == "not_found" and check.law_id is None):
            issue = _repeal_known_elsewhere(check, first if known else None) or _issue(
                store, check, when.isoformat(), dated, known
            )
        else:
            issue = _issue(store, check, when.isoformat(), dated, known)
        # Facts over a span: a text amended within it may be the one the court quoted.
        amendable = issue is not None and issue.kind in ("quote_mismatch", "missing_part") and first < last
        if issue is not None and amendable and _amended_since(store, check, first):
            issue = replace(issue, severity="warning")
        if issue is not None:
            out.append(issue)
    for entry in listed or []:
        procedural = PROCEDURAL_RE.search(entry.law) is not None
        issue = _listed_issue(store, text, entry, decided if procedural else last)
        if issue is not None:
            out.append(issue)
    return out

"""Statute lookup for criminal cases: the charge's article and the articles sentencing will use.

The articles put before the judge follow from what is used: each charge's defining article (the
graph's charge layer), then the general articles the sentencing proposal relies on — 67 for 自首
and 坦白, 65 for 累犯, 52/53 for fines, 72/73 for probation, 64 for confiscation, 25–27 for joint
crime, and so on. Each article's text is read through the graph (or the statute database when no
graph is loaded), never written here.
"""

from __future__ import annotations

import re
from typing import Any

from judgeflow.agents.criminal.reasoning import (
    property_articles,
    sentencing_plan,
    unit_articles,
    used_articles,
)
from judgeflow.agents.lookup_statutes import statute_ref
from judgeflow.agents.trace import NodeTrace
from judgeflow.errors import StatuteDataError
from judgeflow.graph.state import CaseState, StatuteRef
from judgeflow.knowledge_graph.statute_source import StatuteSource, open_statute_source

CRIMINAL_LAW = "中华人民共和国刑法"
_NUMBER_RE = re.compile(r"^(\d+)(之[一二三四五六七八九十]+)?")


def split_article(article: str) -> tuple[int, str]:
    """'133之一' → (133, '之一'); '67第一款' → (67, '')."""
    m = _NUMBER_RE.match(article)
    if not m:
        raise StatuteDataError(f"无法识别的条文编号：{article}")
    return int(m.group(1)), m.group(2) or ""


def _wanted(state: CaseState) -> list[tuple[str, str, list[str]]]:
    """(article, why, fact ids) in the order they are needed: charges first, then sentencing."""
    used = used_articles(sentencing_plan(state)) + unit_articles(state) + property_articles(state)
    return [(article, why, [fid]) for article, why, fid in used]


def select_criminal_statutes(state: CaseState, trace: NodeTrace, source: StatuteSource) -> list[StatuteRef]:
    """One StatuteRef per article needed, naming the facts it bears on and why it was chosen."""
    chosen: dict[str, StatuteRef] = {}
    for article, why, fact_ids in _wanted(state):
        number, suffix = split_article(article)
        sid = f"刑法:{number}{suffix}"
        ref = chosen.get(sid)
        if ref is None:
            found = source.article(CRIMINAL_LAW, number, suffix)
            trace.call(
                "get_article",
                {"law": CRIMINAL_LAW, "article": f"{number}{suffix}", "source": source.name},
                result=found.path,
            )
            ref = statute_ref(found, source.name, f"{why}（检索路径：{found.path}）", [])
            ref = ref.model_copy(update={"id": sid})
            chosen[sid] = ref
        for fid in fact_ids:
            if fid not in ref.claim_ids:
                ref.claim_ids.append(fid)
    return list(chosen.values())


def lookup_criminal_statutes(state: CaseState) -> dict[str, Any]:
    """Graph node (criminal cases): the articles the charges and the sentencing rest on."""
    trace = NodeTrace("lookup_statutes")
    source = open_statute_source()
    try:
        statutes = select_criminal_statutes(state, trace, source)
    finally:
        source.close()
    summary = f"选出 {len(statutes)} 条法条（来源：{source.name}）：" + "、".join(
        s.article_label for s in statutes
    )
    comment = state.feedback.get("lookup_statutes", "")
    if comment:
        summary += f"；法官退回意见已记录（请以编辑方式增删法条）：{comment}"
    event = trace.event(
        summary,
        inputs={"charges": [c.value for c in state.facts_of("charge")], "judge_comment": comment},
        outputs={"statutes": [s.id for s in statutes]},
    )
    return {"statutes": statutes, "trace": [event]}

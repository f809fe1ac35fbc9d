"""Statute lookup: the articles each claim rests on, with their text read from the statute database."""

from __future__ import annotations

from typing import Any

from judgeflow.agents.trace import NodeTrace
from judgeflow.graph.state import CaseState, Fact, StatuteRef
from judgeflow.knowledge_graph.lending_statutes import CIRCUMSTANCE_NAMES, Circumstance, rules_for
from judgeflow.knowledge_graph.statute_source import FoundArticle, StatuteSource, open_statute_source

# Claim types (ledger vocabulary) → the circumstances their articles are keyed by.
_CLAIM_CIRCUMSTANCES: dict[str, tuple[Circumstance, ...]] = {
    "principal": ("principal",),
    "interest": ("interest",),
    "guarantee": ("guarantee", "guarantee_period"),
}


def circumstances_of(state: CaseState, claim: Fact) -> set[Circumstance]:
    """The circumstances of one claim that select articles."""
    found: set[Circumstance] = set(_CLAIM_CIRCUMSTANCES.get(claim.details.get("type", ""), ()))
    if claim.details.get("type") in ("principal", "interest") and state.facts_of("repayment"):
        found.add("repayment")
    if "guarantee" in found:
        kinds = {g.details.get("type", "") for g in state.facts_of("guarantee")}
        found.add("guarantee_joint" if "连带责任保证" in kinds else "guarantee_general")
    return found


def statute_ref(found: FoundArticle, source_name: str, reason: str, claim_ids: list[str]) -> StatuteRef:
    """The StatuteRef put before the judge for an article as a statute source found it."""
    article = found.article
    return StatuteRef(
        id=article.id,
        law=article.law,
        short_name=article.short_name,
        article=article.number,
        article_label=article.label,
        text=article.text,
        status=article.status,
        effective_date=article.effective_date,
        reason=reason,
        claim_ids=claim_ids,
        source=source_name,
    )


def select_statutes(state: CaseState, trace: NodeTrace, source: StatuteSource) -> list[StatuteRef]:
    """One StatuteRef per article needed, each naming the claims it bears on and why."""
    chosen: dict[str, StatuteRef] = {}
    claims = state.facts_of("claim")
    wanted: list[tuple[str, Circumstance, str, int, str]] = []
    for claim in claims:
        for rule in rules_for(circumstances_of(state, claim)):
            wanted.append((claim.id, rule.when, rule.law, rule.article, rule.reason))
    if any(c.details.get("type") in ("principal", "interest") for c in claims):
        for rule in rules_for({"money_judgment"}):
            wanted.append(("", rule.when, rule.law, rule.article, rule.reason))
    for claim_id, when, law, number, reason in wanted:
        found = source.article(law, number)
        article = found.article
        trace.call("get_article", {"law": law, "article": number, "source": source.name}, result=found.path)
        ref = chosen.get(article.id)
        if ref is None:
            reason_text = f"{reason}（适用情形：{CIRCUMSTANCE_NAMES[when]}；检索路径：{found.path}）"
            ref = statute_ref(found, source.name, reason_text, [])
            chosen[article.id] = ref
        if claim_id and claim_id not in ref.claim_ids:
            ref.claim_ids.append(claim_id)
    return sorted(chosen.values(), key=lambda r: (r.short_name != "民法典", r.short_name, r.article))


def lookup_statutes(state: CaseState) -> dict[str, Any]:
    """Graph node: put the articles the claims need before the judge."""
    trace = NodeTrace("lookup_statutes")
    source = open_statute_source()
    try:
        statutes = select_statutes(state, trace, source)
    finally:
        source.close()
    comment = state.feedback.get("lookup_statutes", "")
    summary = f"选出 {len(statutes)} 条法条（来源：{source.name}）"
    if comment:
        summary += f"；法官退回意见已记录（规则引擎无法据自由文本改变检索，请以编辑方式调整）：{comment}"
    event = trace.event(
        summary,
        inputs={"claims": [c.id for c in state.facts_of("claim")], "judge_comment": comment},
        outputs={"statutes": [s.id for s in statutes]},
    )
    return {"statutes": statutes, "trace": [event]}

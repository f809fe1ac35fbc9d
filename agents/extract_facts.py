"""Fact extraction (rules engine): the case documents → a typed fact ledger with source spans.

Each fact names the document stretches that state it (`Span.quote` is always the document text
between the offsets) and the origin `rules:extract_facts`. Numbers, dates and rates are read by the
deterministic tools (`find_amounts`, `find_dates`, `find_rates`, `parse_period`) and normalized as the
ledger vocabulary in `graph/state.py` prescribes. Nothing is invented: a fact no document states is
not in the ledger, and where documents disagree the fact keeps the best-supported value (the hearing
record and the exhibit list count double) and names the others in its `conflict` detail.

The rules live in `judgeflow.agents.extraction`, one module per concern; this module orders the
facts (F1, F2 … stable for the same documents) and is the graph node.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from judgeflow.agents.extraction.context import Context, add_passages, build_context
from judgeflow.agents.extraction.evidence import evidence
from judgeflow.agents.extraction.loan import (
    demands,
    guarantees,
    loan_dates,
    loan_term,
    principal,
    rates,
    repayments,
)
from judgeflow.agents.extraction.parties import assign_capacities, party_drafts, read_parties
from judgeflow.agents.extraction.pleadings import claims, defences
from judgeflow.agents.extraction.text import Draft
from judgeflow.agents.model_steps.refine import refine_with_model
from judgeflow.agents.trace import NodeTrace
from judgeflow.graph.state import CaseState, Document, Fact

NODE = "extract_facts"
KIND_NAMES = {
    "party": "当事人",
    "amount": "金额",
    "date": "日期",
    "rate": "利率",
    "period": "期间",
    "repayment": "还款",
    "guarantee": "保证",
    "claim": "诉讼请求",
    "defence": "抗辩",
    "evidence": "证据",
    "event": "事件",
}
RULES_CANNOT_READ_COMMENTS = (
    "规则抽取器无法依据自由文本意见修改事实，本次按原文书重新抽取，结果与上次相同；"
    "如需更正，请在 approve_facts 审批节点以编辑（edit）方式修改事实"
)


def _record_tools(ctx: Context, trace: NodeTrace | None) -> None:
    if trace is None:
        return
    for doc in ctx.documents:
        index = ctx.index[doc.id]
        found = {
            "find_amounts": len(index.amounts),
            "find_dates": len(index.dates),
            "find_rates": len(index.rates),
        }
        for tool, number in found.items():
            trace.call(tool, {"document": doc.id}, f"{number} 处")


def _drafts(documents: list[Document], trace: NodeTrace | None) -> list[Draft]:
    ctx = build_context(documents)
    _record_tools(ctx, trace)

    def call(tool: str, params: dict[str, str], result: str) -> None:
        """Record a tool call made by an extractor (when tracing)."""
        if trace is not None:
            trace.call(tool, params, result)

    ctx.parties = read_parties(ctx.documents)
    assign_capacities(ctx.parties, ctx.documents)
    add_passages(ctx)
    answers = defences(ctx)
    disputed_application = any(d.details.get("topic") == "repayment" for d in answers)
    drafts: list[Draft | None] = [
        *party_drafts(ctx.parties),
        principal(ctx),
        *loan_dates(ctx),
        loan_term(ctx, call),
        *rates(ctx),
        *guarantees(ctx, call),
        *repayments(ctx, disputed_application),
        *demands(ctx),
        *claims(ctx),
        *answers,
        *evidence(ctx),
    ]
    return [d for d in drafts if d is not None and d.spans]


def extract_ledger(documents: list[Document], trace: NodeTrace | None = None) -> list[Fact]:
    """The fact ledger the documents state, ids F1, F2 … in a fixed order of kinds (pure; the optional
    trace records the tool calls)."""
    return [draft.fact(f"F{number}") for number, draft in enumerate(_drafts(documents, trace), start=1)]


def counts(facts: list[Fact]) -> dict[str, int]:
    """How many facts of each kind, in ledger order."""
    return dict(Counter(f.kind for f in facts))


def extract_facts(state: CaseState) -> dict[str, Any]:
    """Graph node: extract the ledger from the case documents for the judge to approve or edit."""
    trace = NodeTrace(NODE)
    facts = extract_ledger(state.documents, trace)
    by_kind = counts(facts)
    summary = (
        f"从 {len(state.documents)} 份文书中抽取事实 {len(facts)} 项（"
        + "、".join(f"{KIND_NAMES[k]} {n}" for k, n in by_kind.items())
        + "）"
    )
    comment = state.feedback.get(NODE, "")
    inputs: dict[str, Any] = {"documents": [d.id for d in state.documents]}
    if comment:
        summary += f"；法官退回意见已记录：{comment}；{RULES_CANNOT_READ_COMMENTS}"
        inputs["judge_comment"] = comment
        inputs["comment_applied"] = False
    event = trace.event(summary, inputs=inputs, outputs={"facts": [f.id for f in facts], "by_kind": by_kind})
    return refine_with_model(NODE, state, {"facts": facts, "trace": [event]})

"""Grounding: a model's answer is checked against the case before anything of it enters the state.

A model may only reference fact ids and statute ids that exist in the state, a quote must occur
verbatim in the document it names, and figures it writes must be figures the ledger, the tools or
the rules result already hold. Every problem becomes a reason in Chinese; an answer with any reason
is rejected whole (and shown back to the model), an answer with none is applied to the rules result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from judgeflow.agents.model_steps.schemas import DraftProse, FactProposals, ReasoningProse
from judgeflow.graph.state import CaseState, Fact, Origin, Span

NUMBER = re.compile(r"\d+(?:\.\d+)?")
ARTICLE = re.compile(r"第[零〇一二两三四五六七八九十百千]+条")
MODEL_ORIGIN_DETAIL = "model"


@dataclass
class Grounded:
    """The outcome of grounding one answer: reasons to reject it, else the update to apply."""

    reasons: list[str] = field(default_factory=list)
    update: dict[str, Any] = field(default_factory=dict)
    changed: int = 0

    @property
    def accepted(self) -> bool:
        """True when nothing was wrong with the answer."""
        return not self.reasons


def numbers_in(text: str) -> set[Decimal]:
    """Every number written in digits, normalized (50000 and 50000.00 are the same figure)."""
    found: set[Decimal] = set()
    for m in NUMBER.finditer(text.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))):
        try:
            found.add(Decimal(m.group()).normalize())
        except InvalidOperation:
            continue
    return found


def _shown(values: set[Decimal]) -> str:
    return "、".join(sorted(format(v, "f") for v in values))


def ground_facts(state: CaseState, answer: FactProposals, model_label: str) -> Grounded:
    """extract_facts: each proposal's document exists and its quote is verbatim; new ids follow the ledger."""
    result = Grounded()
    documents = {d.id: d for d in state.documents}
    facts = list(state.facts)
    next_number = 1 + max((int(f.id[1:]) for f in facts if f.id[1:].isdigit()), default=0)
    for n, proposal in enumerate(answer.facts, start=1):
        where = f"第 {n} 项（{proposal.label}）"
        doc = documents.get(proposal.document_id)
        if doc is None:
            result.reasons.append(
                f"{where}：文书编号 {proposal.document_id} 不存在（现有：{'、'.join(documents)}）"
            )
            continue
        start = doc.text.find(proposal.quote)
        if start < 0:
            result.reasons.append(f"{where}：引文不是 {doc.id} 的逐字原文：“{proposal.quote[:40]}”")
            continue
        invented = numbers_in(proposal.value) - numbers_in(proposal.quote)
        if invented:
            result.reasons.append(f"{where}：value 中的数字 {_shown(invented)} 不见于引文")
            continue
        end = start + len(proposal.quote)
        if any(
            f.kind == proposal.kind
            and any(s.document_id == doc.id and s.start < end and start < s.end for s in f.spans)
            for f in facts
        ):
            continue  # the ledger already holds this fact
        facts.append(
            Fact(
                id=f"F{next_number}",
                kind=proposal.kind,
                label=proposal.label,
                value=proposal.value,
                details={"origin": MODEL_ORIGIN_DETAIL, "model": model_label},
                spans=[Span(document_id=doc.id, start=start, end=end, quote=proposal.quote)],
                origin=Origin(kind="document", name=f"model:{model_label}"),
            )
        )
        next_number += 1
        result.changed += 1
    result.update = {"facts": facts}
    return result


def _allowed_numbers(state: CaseState) -> set[Decimal]:
    allowed: set[Decimal] = set()
    for f in state.facts:
        allowed |= numbers_in(f.value) | numbers_in(" ".join(f.details.values()))
    for s in state.syllogisms:
        texts = [s.issue, s.reasoning, s.conclusion.text, s.conclusion.award, s.conclusion.order]
        texts += [f"{c.label} {c.formula} {c.result}" for c in s.computation]
        texts += [f"{c.argument} {c.response}" for c in s.counter_arguments]
        allowed |= numbers_in(" ".join(texts))
    return allowed


def ground_reasoning(state: CaseState, answer: ReasoningProse) -> Grounded:
    """build_reasoning: syllogism, fact and statute ids exist; figures and article numbers come from the case."""
    result = Grounded()
    syllogisms = {s.id: s.model_copy(deep=True) for s in state.syllogisms}
    fact_ids = {f.id for f in state.facts}
    statutes = {s.id: s for s in state.statutes}
    allowed = _allowed_numbers(state)
    for prose in answer.syllogisms:
        target = syllogisms.get(prose.id)
        if target is None:
            result.reasons.append(f"三段论 {prose.id} 不存在（现有：{'、'.join(syllogisms)}）")
            continue
        where = f"三段论 {prose.id}"
        unknown_facts = [f for f in prose.fact_ids if f not in fact_ids]
        unknown_statutes = [s for s in prose.statute_ids if s not in statutes]
        if unknown_facts:
            result.reasons.append(f"{where}：事实编号 {'、'.join(unknown_facts)} 不在事实清单中")
        if unknown_statutes:
            result.reasons.append(f"{where}：法条编号 {'、'.join(unknown_statutes)} 不在法条清单中")
        if not prose.fact_ids:
            result.reasons.append(f"{where}：fact_ids 为空，说理必须指明所依据的事实")
        invented = numbers_in(prose.reasoning) - allowed
        if invented:
            result.reasons.append(f"{where}：说理中的数字 {_shown(invented)} 不见于事实、计算或结论")
        cited = set(target.major_premise) | {s for s in prose.statute_ids if s in statutes}
        labels = {statutes[s].article_label for s in cited if s in statutes}
        stray = sorted(set(ARTICLE.findall(prose.reasoning)) - labels)
        if stray:
            result.reasons.append(f"{where}：提及的 {'、'.join(stray)} 不是该三段论所列法条")
        if unknown_facts or unknown_statutes or not prose.fact_ids or invented or stray:
            continue
        target.reasoning = prose.reasoning.strip()
        target.minor_premise = list(dict.fromkeys([*target.minor_premise, *prose.fact_ids]))
        target.major_premise = list(dict.fromkeys([*target.major_premise, *prose.statute_ids]))
        result.changed += 1
    result.update = {"syllogisms": [syllogisms[s.id] for s in state.syllogisms]}
    return result


def ground_draft(state: CaseState, answer: DraftProse) -> Grounded:
    """write_draft: each paragraph exists, keeps exactly its fact ids and adds no figure."""
    result = Grounded()
    if state.draft is None:
        result.reasons.append("草稿尚未生成")
        return result
    draft = state.draft.model_copy(deep=True)
    sections = {s.name: s for s in draft.sections}
    for prose in answer.sentences:
        where = f"{prose.section}第 {prose.index} 段"
        section = sections.get(prose.section)
        if section is None or prose.index >= len(section.sentences):
            result.reasons.append(f"{where}不存在")
            continue
        original = section.sentences[prose.index]
        if set(prose.fact_ids) != set(original.fact_ids):
            result.reasons.append(
                f"{where}：fact_ids 必须与原段落相同（原为 {'、'.join(original.fact_ids) or '空'}）"
            )
            continue
        added = numbers_in(prose.text) - numbers_in(original.text)
        dropped = numbers_in(original.text) - numbers_in(prose.text)
        if added or dropped:
            result.reasons.append(
                f"{where}：数字与原文不一致（新增 {_shown(added) or '无'}，缺少 {_shown(dropped) or '无'}）"
            )
            continue
        original.text = prose.text.strip()
        result.changed += 1
    result.update = {"draft": draft}
    return result

"""Model refinement of an agent step: ask the configured model, ground its answer, or keep the rules result.

Each model-backed agent computes its rules result first and then calls
`refine_with_model(step, state, rules_result)`. With the `rules` backend (the default) that returns
the rules result untouched. Otherwise the model gets the shared case prefix, the step's task and the
tool results; its answer is parsed against the step's schema and grounded against the state. A
rejected answer goes back to the model with the reasons, up to `max_attempts` answers in all; when
none passes, or the model cannot be reached, the step keeps the rules result and its trace says why.
Every request is recorded in the trace event's `model_calls`.
"""

from __future__ import annotations

import json
from time import perf_counter
from typing import Any

from judgeflow.agents.model_steps.grounding import Grounded, ground_draft, ground_facts, ground_reasoning
from judgeflow.agents.model_steps.prompts import digest, rejection_message, shared_prefix, step_messages
from judgeflow.agents.model_steps.schemas import (
    ANSWERS,
    Answer,
    DraftProse,
    FactProposals,
    ReasoningProse,
    json_schema,
)
from judgeflow.agents.model_steps.tools import run_registered
from judgeflow.graph.state import CaseState, ToolCall, TraceEvent
from judgeflow.llm.config import ModelSettings, settings_for
from judgeflow.tools.pseudonymize import Pseudonymizer
from langchain_core.messages import AIMessage, BaseMessage
from pydantic import ValidationError

NARRATIVE_SECTIONS = ("诉辩意见", "经审理查明")
RAW_KEPT = 2000


def _lines(items: list[dict[str, Any]]) -> str:
    return "\n".join(json.dumps(i, ensure_ascii=False) for i in items) or "（无）"


def _ledger(state: CaseState) -> str:
    return _lines([{"id": f.id, "kind": f.kind, "label": f.label, "value": f.value} for f in state.facts])


def extract_facts_request(state: CaseState) -> tuple[list[BaseMessage], list[ToolCall]]:
    """The extract_facts request, with the amounts, dates and rates the tools found in each document."""
    found: list[dict[str, Any]] = []
    calls: list[ToolCall] = []
    for doc in state.documents:
        for name in ("find_amounts", "find_dates", "find_rates"):
            matches = run_registered(name, {"text": doc.text})
            calls.append(ToolCall(tool=name, params={"document": doc.id}, result=f"{len(matches)} 处"))
            for m in matches:
                found.append(
                    {"document": doc.id, "tool": name, "text": m.get("text"), "value": m.get("value")}
                )
    return step_messages(state, "extract_facts", facts=_ledger(state), tools=_lines(found)), calls


def build_reasoning_request(state: CaseState) -> tuple[list[BaseMessage], list[ToolCall]]:
    """The build_reasoning request: ledger, statutes with their text, the rules syllogisms and arithmetic."""
    statutes = [
        {"id": s.id, "citation": f"《{s.law}》{s.article_label}", "text": s.text[:400]}
        for s in state.statutes
    ]
    syllogisms = [
        {
            "id": s.id,
            "claim_id": s.claim_id,
            "issue": s.issue,
            "statute_ids": s.major_premise,
            "fact_ids": s.minor_premise,
            "reasoning": s.reasoning,
            "computation": [f"{c.label}：{c.formula} = {c.result}" for c in s.computation],
            "conclusion": s.conclusion.text,
        }
        for s in state.syllogisms
    ]
    messages = step_messages(
        state,
        "build_reasoning",
        facts=_ledger(state),
        statutes=_lines(statutes),
        syllogisms=_lines(syllogisms),
    )
    return messages, []


def write_draft_request(state: CaseState) -> tuple[list[BaseMessage], list[ToolCall]]:
    """The write_draft request: the narrative paragraphs with their fact ids."""
    paragraphs = [
        {"section": section.name, "index": i, "text": s.text, "fact_ids": s.fact_ids}
        for section in (state.draft.sections if state.draft else [])
        if section.name in NARRATIVE_SECTIONS
        for i, s in enumerate(section.sentences)
    ]
    return step_messages(state, "write_draft", paragraphs=_lines(paragraphs), facts=_ledger(state)), []


REQUESTS = {
    "extract_facts": extract_facts_request,
    "build_reasoning": build_reasoning_request,
    "write_draft": write_draft_request,
}


def ground(step: str, state: CaseState, answer: Answer, settings: ModelSettings) -> Grounded:
    """Check an answer of `step` against the state (see agents/model_steps/grounding.py)."""
    if isinstance(answer, FactProposals):
        return ground_facts(state, answer, settings.label())
    if isinstance(answer, ReasoningProse):
        return ground_reasoning(state, answer)
    if isinstance(answer, DraftProse):
        return ground_draft(state, answer)
    raise TypeError(f"no grounding for {type(answer).__name__}")


def parse(step: str, text: str, finish_reason: str) -> tuple[Answer | None, list[str]]:
    """The answer as the step's schema, or the reasons it is not one."""
    if finish_reason == "length":
        return None, ["输出在达到长度上限时被截断，不是完整的 JSON；请输出更短的完整 JSON 对象"]
    try:
        return ANSWERS[step].model_validate_json(text), []
    except ValidationError as exc:
        reasons = [
            f"{'.'.join(map(str, e['loc'])) or '整体'}：{e['msg']}" for e in exc.errors(include_url=False)[:5]
        ]
        return None, ["输出不符合 JSON 结构要求：" + "；".join(reasons)]


def outbound_pseudonymizer(settings: ModelSettings, state: CaseState) -> Pseudonymizer | None:
    """The case's pseudonymizer when the endpoint is not local (None: the text goes as it is).

    Names, ID numbers, phone numbers, addresses, accounts and plates in everything sent are replaced
    by the case's stable pseudonyms (张某, 李某某 …, kept under JUDGEFLOW_HOME), and the model's answer
    is mapped back before it is checked, so grounding and the ledger see the real text.
    """
    if settings.endpoint_is_local:
        return None
    from judgeflow.graph.data_requests import pseudonymizer_for
    from judgeflow.graph.runner import judgeflow_home

    return pseudonymizer_for(state, judgeflow_home())


def masked(messages: list[BaseMessage], pseudonymizer: Pseudonymizer | None) -> list[BaseMessage]:
    """The messages as they may leave the court."""
    if pseudonymizer is None:
        return messages
    return [
        m.model_copy(update={"content": pseudonymizer.apply(m.content)}) if isinstance(m.content, str) else m
        for m in messages
    ]


def refine_with_model(step: str, state: CaseState, rules_result: dict[str, Any]) -> dict[str, Any]:
    """The step's result: the rules result refined by the configured model, or unchanged (rules engine,
    model unavailable, or no answer passed grounding — the trace says which)."""
    settings = settings_for(step)
    if not settings.uses_model:
        return rules_result
    from judgeflow.llm.backends import ask, chat_model, request_options
    from judgeflow.llm.errors import ModelUnavailableError

    started = perf_counter()
    current = state.model_copy(update={k: v for k, v in rules_result.items() if k != "trace"})
    calls: list[dict[str, Any]] = []
    tool_calls: list[ToolCall] = []
    grounded: Grounded | None = None
    fallback = ""
    try:
        model = chat_model(settings)
        messages, tool_calls = REQUESTS[step](current)
        options = request_options(settings, step, json_schema(step))
        outbound = outbound_pseudonymizer(settings, current)
        prefix_hash = digest(masked(shared_prefix(current), outbound))
        for attempt in range(1, settings.max_attempts + 1):
            reply = ask(model, masked(messages, outbound), options)
            text = outbound.reverse(reply.text) if outbound else reply.text
            answer, reasons = parse(step, text, reply.finish_reason)
            if answer is not None:
                grounded = ground(step, current, answer, settings)
                reasons = grounded.reasons
            calls.append(
                {
                    "model": settings.model or settings.model_path,
                    "backend": settings.backend,
                    "settings": settings.public(),
                    "attempt": attempt,
                    "prompt_hash": digest(masked(messages, outbound)),
                    "pseudonymized": outbound is not None,
                    "prefix_hash": prefix_hash,
                    "prompt_tokens": reply.prompt_tokens,
                    "completion_tokens": reply.completion_tokens,
                    "cached_tokens": reply.cached_tokens,
                    "duration_ms": reply.duration_ms,
                    "finish_reason": reply.finish_reason,
                    "outcome": "rejected" if reasons else "accepted",
                    "reasons": reasons,
                    "raw_output": reply.text[:RAW_KEPT],
                }
            )
            if not reasons:
                break
            grounded = None
            messages = [*messages, AIMessage(content=text), rejection_message(reasons)]
        else:
            fallback = f"模型 {settings.max_attempts} 次输出均未通过校验（最后一次：{'；'.join(reasons)}）"
    except ModelUnavailableError as exc:
        fallback = str(exc)
        calls.append(
            {
                "model": settings.model or settings.model_path,
                "backend": settings.backend,
                "settings": settings.public(),
                "attempt": len(calls) + 1,
                "outcome": "error",
                "reasons": [fallback],
            }
        )
    return _with_outcome(step, rules_result, settings, grounded, fallback, calls, tool_calls, started)


def _with_outcome(
    step: str,
    rules_result: dict[str, Any],
    settings: ModelSettings,
    grounded: Grounded | None,
    fallback: str,
    calls: list[dict[str, Any]],
    tool_calls: list[ToolCall],
    started: float,
) -> dict[str, Any]:
    """The result to return, its trace event saying which engine produced it and why."""
    event: TraceEvent = rules_result["trace"][-1]
    spent_ms = (perf_counter() - started) * 1000
    update: dict[str, Any] = {
        "model_calls": calls,
        "tool_calls": [*event.tool_calls, *tool_calls],
        "duration_ms": round(event.duration_ms + spent_ms, 3),
    }
    layer = {"model_layer_ms": round(spent_ms, 3)}
    if grounded is not None:
        if grounded.changed:
            update["engine"] = f"model:{settings.label()}"
        update["summary"] = (
            f"{event.summary}；模型 {settings.label()} 的输出已通过校验，采纳 {grounded.changed} 项"
        )
        update["outputs"] = {**event.outputs, **layer, "model_changes": grounded.changed}
        result = {**rules_result, **grounded.update}
    else:
        update["summary"] = (
            f"{event.summary}；模型 {settings.label()} 未被采用，已回退规则引擎结果：{fallback}"
        )
        update["outputs"] = {**event.outputs, **layer, "model_fallback": fallback}
        result = dict(rules_result)
    result["trace"] = [*rules_result["trace"][:-1], event.model_copy(update=update)]
    return result

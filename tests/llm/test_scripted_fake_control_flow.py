"""Control flow of model refinement against a scripted FAKE model served over real HTTP.

The fake answers by the step named in the request's response_format (an explicit request field),
with scripted texts: malformed JSON, ids that do not exist, grounded answers, slow answers.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from judgeflow.agents.case_files import load_case_folder
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import Actor, ApproveDecision, RejectDecision
from judgeflow.llm.compat_server import HTTPFailure, ScriptedResponder, running_server

REPO = Path(__file__).resolve().parents[2]
EMPTY = {
    "extract_facts": '{"facts": []}',
    "build_reasoning": '{"syllogisms": []}',
    "write_draft": '{"sentences": []}',
}
JUDGE = Actor(role="judge", name="王法官")


def step_of(body: dict[str, Any]) -> str:
    return str(body["response_format"]["json_schema"]["name"])


def by_step(**scripts: list[str]) -> Callable[[dict[str, Any]], str]:
    """A fake answering each step from its own script (last entry repeated), others with empty answers."""
    seen: dict[str, int] = {}

    def answer(body: dict[str, Any]) -> str:
        step = step_of(body)
        n = seen.get(step, 0)
        seen[step] = n + 1
        script = scripts.get(step) or [EMPTY[step]]
        return script[min(n, len(script) - 1)]

    return answer


def sglang(server_url: str, **extra: Any) -> dict[str, Any]:
    return {"backend": "sglang", "base_url": server_url, "model": "fake", **extra}


def test_malformed_json_is_sent_back_with_the_reason_then_accepted(
    home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    _info, documents = load_case_folder(REPO / "examples" / "guarantor")
    record = next(d for d in documents if d.kind == "庭审笔录")
    quote = record.text[record.text.index("\n", 20) + 1 :][:30].strip()
    proposal = {
        "kind": "event",
        "label": "庭审陈述",
        "value": "庭审中的陈述",
        "document_id": record.id,
        "quote": quote,
    }
    good = json.dumps({"facts": [proposal]}, ensure_ascii=False)
    fake = ScriptedResponder([by_step(extract_facts=['{"facts": [{"kind": "event"', good])])
    with running_server(fake) as server:
        models_file(default=sglang(server.base_url))
        state = flow.run_example(home)
        bodies = list(server.requests)
    event = flow.node_events(state, "extract_facts")[0]
    assert [c["outcome"] for c in event.model_calls] == ["rejected", "accepted"]
    assert "JSON" in event.model_calls[0]["reasons"][0]
    retry = bodies[1]["messages"]
    assert retry[-2]["role"] == "assistant" and retry[-2]["content"] == '{"facts": [{"kind": "event"'
    assert "未通过校验" in retry[-1]["content"] and event.model_calls[0]["reasons"][0] in retry[-1]["content"]
    assert event.engine == "model:sglang/fake"
    added = [f for f in state.facts if f.origin.name.startswith("model:")]
    assert len(added) == 1 and added[0].spans[0].quote == quote and added[0].details["origin"] == "model"
    flow.assert_ledger_grounded(state)
    flow.assert_checked_draft(state)


def test_unknown_ids_and_unquoted_text_are_rejected_then_rules_kept(
    home: Path, models_file: Callable[..., Path], flow: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad_fact = {
        "kind": "event",
        "label": "x",
        "value": "借款100万元",
        "document_id": "D1",
        "quote": "原文中没有这句话",
    }
    bad_reasoning = {
        "id": "S1",
        "reasoning": "依照第九百九十九条。",
        "fact_ids": ["F999"],
        "statute_ids": ["民法典:9999"],
    }
    fake = ScriptedResponder(
        [
            by_step(
                extract_facts=[json.dumps({"facts": [bad_fact]}, ensure_ascii=False)],
                build_reasoning=[json.dumps({"syllogisms": [bad_reasoning]}, ensure_ascii=False)],
                write_draft=[
                    json.dumps(
                        {
                            "sentences": [
                                {"section": "经审理查明", "index": 0, "text": "改写", "fact_ids": ["F1"]}
                            ]
                        },
                        ensure_ascii=False,
                    )
                ],
            )
        ]
    )
    with running_server(fake) as server:
        models_file(default=sglang(server.base_url, max_attempts=2))
        state = flow.run_example(home)
    rules_state = flow.run_example(
        home / "rules-only", case_id="guarantor"
    )  # no models file read there? see below
    facts_event = flow.node_events(state, "extract_facts")[0]
    assert "逐字原文" in facts_event.model_calls[0]["reasons"][0]
    reasoning_event = flow.node_events(state, "build_reasoning")[0]
    reasons = " ".join(reasoning_event.model_calls[0]["reasons"])
    assert "F999" in reasons and "民法典:9999" in reasons and "第九百九十九条" in reasons
    draft_event = flow.node_events(state, "write_draft")[0]
    assert "fact_ids 必须与原段落相同" in draft_event.model_calls[0]["reasons"][0]
    for event in (facts_event, reasoning_event, draft_event):
        assert len(event.model_calls) == 2 and event.engine == "rules"
        assert "2 次输出均未通过校验" in event.outputs["model_fallback"]
    assert state.judgment == rules_state.judgment
    assert not [f for f in state.facts if f.origin.name.startswith("model:")]


def test_grounded_reasoning_and_prose_are_applied_and_checked(
    home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    fake = ScriptedResponder([by_step()])
    with running_server(fake) as server:
        models_file(default=sglang(server.base_url))
        baseline = flow.run_example(home)
    s1 = baseline.syllogisms[0]
    prose = "本院认为，" + s1.reasoning
    section = next(s for s in baseline.draft.sections if s.name == "经审理查明") if baseline.draft else None
    assert section is not None
    original = section.sentences[0]
    smoother = original.text.replace("本院经审理认定事实如下：", "经审理，本院认定事实如下：")
    answers = by_step(
        build_reasoning=[
            json.dumps(
                {
                    "syllogisms": [
                        {
                            "id": s1.id,
                            "reasoning": prose,
                            "fact_ids": s1.minor_premise,
                            "statute_ids": s1.major_premise,
                        }
                    ]
                },
                ensure_ascii=False,
            )
        ],
        write_draft=[
            json.dumps(
                {
                    "sentences": [
                        {"section": "经审理查明", "index": 0, "text": smoother, "fact_ids": original.fact_ids}
                    ]
                },
                ensure_ascii=False,
            )
        ],
    )
    with running_server(ScriptedResponder([answers])) as server:
        models_file(default=sglang(server.base_url))
        state = flow.run_example(home, case_id="guarantor-2")
    assert state.syllogisms[0].reasoning == prose
    assert flow.node_events(state, "build_reasoning")[0].engine == "model:sglang/fake"
    assert state.draft is not None and smoother in state.draft.text
    assert flow.node_events(state, "write_draft")[0].engine == "model:sglang/fake"
    assert not [f for f in state.findings if f.blocking]
    flow.assert_checked_draft(state)


def test_a_slow_model_times_out_and_the_step_falls_back(
    home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    fake = ScriptedResponder([by_step()], delay_s=2.0)
    with running_server(fake) as server:
        models_file(extract_facts=sglang(server.base_url, timeout_s=0.3))
        state = flow.run_example(home)
    event = flow.node_events(state, "extract_facts")[0]
    assert event.engine == "rules" and "超时" in event.outputs["model_fallback"]
    assert len(state.facts) > 10
    flow.assert_checked_draft(state)


def test_a_server_that_is_down_loses_nothing(home: Path, models_file: Callable[..., Path]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    models_file(default=sglang(f"http://127.0.0.1:{port}/v1"))
    with CaseRunner(home=home) as runner:
        status = runner.run_folder(REPO / "examples" / "guarantor")
        assert status.status == "waiting" and status.checkpoint == "approve_facts"
        facts = runner.state("guarantor").facts
    with CaseRunner(home=home) as runner:  # a new process finds the saved case as it was
        state = runner.state("guarantor")
        assert state.facts == facts
        event = next(e for e in state.trace if e.node == "extract_facts")
        assert "无法连接模型服务" in event.outputs["model_fallback"]
        status = runner.decide("guarantor", ApproveDecision(checkpoint="approve_facts", actor=JUDGE))
        assert status.checkpoint == "approve_statutes"


def test_the_judges_comment_reaches_the_model_on_a_rejected_step(
    home: Path, models_file: Callable[..., Path]
) -> None:
    fake = ScriptedResponder([by_step()])
    with running_server(fake) as server:
        models_file(extract_facts=sglang(server.base_url))
        with CaseRunner(home=home) as runner:
            runner.run_folder(REPO / "examples" / "guarantor")
            comment = "请补充被告的还款事实"
            runner.decide(
                "guarantor", RejectDecision(checkpoint="approve_facts", actor=JUDGE, comment=comment)
            )
        bodies = list(server.requests)
    assert len(bodies) == 2
    assert comment not in bodies[0]["messages"][-1]["content"]
    assert comment in bodies[1]["messages"][-1]["content"]
    assert bodies[0]["messages"][:2] == bodies[1]["messages"][:2]


def test_an_http_error_from_the_server_falls_back(
    home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    fake = ScriptedResponder([HTTPFailure(503, "overloaded")])
    with running_server(fake) as server:
        models_file(write_draft=sglang(server.base_url))
        state = flow.run_example(home)
    event = flow.node_events(state, "write_draft")[0]
    assert "HTTP 503" in event.outputs["model_fallback"] and event.engine == "rules"
    flow.assert_checked_draft(state)


def test_a_remote_endpoint_gets_pseudonyms_and_answers_are_mapped_back(
    home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    from judgeflow.graph.data_requests import pseudonymizer_for
    from judgeflow.graph.state import CaseState

    _info, documents = load_case_folder(REPO / "examples" / "guarantor")
    # The case's mapping is stable: made now, it is the one the model layer uses during the run.
    mapping = pseudonymizer_for(CaseState(case_id="guarantor", documents=documents), home)
    record = next(d for d in documents if d.kind == "庭审笔录")
    original = next(line for line in record.text.splitlines() if any(o in line for o in mapping.mapping))
    quote = original.strip()[:40]
    assert mapping.apply(quote) != quote  # the quote holds personal data
    proposal = {
        "kind": "event",
        "label": "庭审陈述",
        "value": "庭审中的陈述",
        "document_id": record.id,
        "quote": mapping.apply(quote),  # the model only ever saw pseudonyms
    }
    fake = ScriptedResponder([by_step(extract_facts=[json.dumps({"facts": [proposal]}, ensure_ascii=False)])])
    with running_server(fake) as server:
        models_file(default=sglang(server.base_url, local=False))
        state = flow.run_example(home)
        sent = json.dumps(list(server.requests), ensure_ascii=False)
    people = [f.value for f in state.facts_of("party") if f.details.get("person", "自然人") == "自然人"]
    assert people and not [p for p in people if p in sent]
    assert all(call.get("pseudonymized") for call in flow.model_calls(state))
    added = [f for f in state.facts if f.origin.name.startswith("model:")]
    assert [f.spans[0].quote for f in added] == [quote]  # mapped back, then grounded in the real text
    flow.assert_ledger_grounded(state)


def test_a_loopback_endpoint_counts_as_local_unless_marked_otherwise() -> None:
    from judgeflow.llm.config import ModelSettings

    assert ModelSettings(backend="sglang", base_url="http://127.0.0.1:30000/v1").endpoint_is_local
    assert not ModelSettings(backend="openai", base_url="https://api.example.com/v1").endpoint_is_local
    assert not ModelSettings(
        backend="sglang", base_url="http://127.0.0.1:1/v1", local=False
    ).endpoint_is_local
    assert ModelSettings(backend="openai", base_url="http://10.0.0.5/v1", local=True).endpoint_is_local
    assert ModelSettings(backend="transformers", model_path="/models/x").endpoint_is_local


def test_criminal_steps_go_through_the_model_layer_and_stay_grounded(
    home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    invented = json.dumps(
        {
            "syllogisms": [
                {
                    "id": "S1",
                    "reasoning": "本院认为，被告人赵某某的行为已构成盗窃罪，依照刑法第二百六十三条从重处罚。",
                    "fact_ids": ["F999"],
                    "statute_ids": ["刑法:263"],
                }
            ]
        },
        ensure_ascii=False,
    )
    fake = ScriptedResponder([by_step(build_reasoning=[invented])])
    with running_server(fake) as server:
        models_file(default=sglang(server.base_url))
        state = flow.run_example(home, "theft-confession")
    steps = {step_of(body) for body in server.requests}
    assert steps == {"extract_facts", "build_reasoning", "write_draft"}
    reasoning = flow.node_events(state, "build_reasoning")[0]
    assert reasoning.engine == "rules" and reasoning.outputs.get("model_fallback")
    assert {c["outcome"] for c in reasoning.model_calls} == {"rejected"}
    assert "刑法:263" not in state.syllogisms[0].major_premise and "二百六十三" not in state.judgment
    flow.assert_checked_draft(state)
    flow.assert_ledger_grounded(state)

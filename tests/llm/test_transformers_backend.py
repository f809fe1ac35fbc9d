"""The `transformers` backend: a tiny random-weight model, constrained by xgrammar, through the whole flow."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from judgeflow.agents.model_steps.schemas import FactProposals, json_schema
from judgeflow.llm.config import ModelSettings
from judgeflow.llm.local import LocalChatModel
from langchain_core.messages import HumanMessage


def test_constrained_decoding_follows_the_schema_regex_and_ebnf(tiny_model_dir: Path) -> None:
    model = LocalChatModel(model_path=str(tiny_model_dir), max_tokens=200, temperature=1.0)
    import torch

    torch.manual_seed(7)
    question = [HumanMessage(content="借款五万元")]
    schema_form = {
        "type": "json_schema",
        "json_schema": {"name": "f", "schema": json_schema("extract_facts")},
    }
    for form in (schema_form, {"type": "json_object", "schema": json_schema("extract_facts")}):
        answer = model.invoke(question, response_format=form)
        if answer.response_metadata["finish_reason"] == "stop":
            FactProposals.model_validate_json(answer.text)  # a complete answer always fits the schema
        else:
            assert answer.text.startswith('{"facts": [')
    assert re.fullmatch(
        r"[0-9]{4}-[0-9]{2}-[0-9]{2}", model.invoke(question, regex=r"[0-9]{4}-[0-9]{2}-[0-9]{2}").text
    )
    assert model.invoke(question, ebnf='root ::= "支持" | "不予支持"').text in ("支持", "不予支持")


def test_greedy_tiny_model_runs_every_step_and_the_flow_ends_checked(
    tiny_model_dir: Path, home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    models_file(default={"backend": "transformers", "model_path": str(tiny_model_dir), "max_tokens": 160})
    state = flow.run_example(home)
    calls = flow.model_calls(state)
    assert [c["backend"] for c in calls] == ["transformers"] * len(calls)
    for step in ("extract_facts", "build_reasoning", "write_draft"):
        event = flow.node_events(state, step)[0]
        assert event.model_calls, step
        first = event.model_calls[0]
        assert first["prompt_tokens"] > 1000 and first["completion_tokens"] > 0
        assert first["prompt_hash"] and first["settings"]["max_tokens"] == 160
    flow.assert_checked_draft(state)
    flow.assert_ledger_grounded(state)


def test_sampling_random_model_never_puts_an_unflagged_fact_in_the_ledger(
    tiny_model_dir: Path, home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    import torch

    torch.manual_seed(2024)
    models_file(
        default={
            "backend": "transformers",
            "model_path": str(tiny_model_dir),
            "max_tokens": 120,
            "temperature": 1.0,
            "max_attempts": 2,
        }
    )
    state = flow.run_example(home)
    calls = flow.model_calls(state)
    rejected = [c for c in calls if c["outcome"] == "rejected"]
    assert rejected, "random text at temperature 1 should have been rejected at least once"
    assert all(c["reasons"] for c in rejected)
    for event in state.trace:
        if event.model_calls and event.model_calls[-1]["outcome"] != "accepted":
            assert event.engine == "rules"
            assert "已回退规则引擎结果" in event.summary and event.outputs["model_fallback"]
    flow.assert_checked_draft(state)
    flow.assert_ledger_grounded(state)
    # the trace is JSON all the way down (what export writes)
    json.dumps([e.model_dump(mode="json") for e in state.trace], ensure_ascii=False)


def test_missing_weights_fall_back_with_a_clear_reason(
    tmp_path: Path, home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    models_file(extract_facts={"backend": "transformers", "model_path": str(tmp_path / "nowhere")})
    state = flow.run_example(home)
    event = flow.node_events(state, "extract_facts")[0]
    assert event.engine == "rules"
    assert "config.json" in event.outputs["model_fallback"]
    assert ModelSettings().backend == "rules"

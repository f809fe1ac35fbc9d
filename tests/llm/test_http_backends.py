"""The `sglang` and `openai` backends over real HTTP, against the compat server serving the tiny model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from judgeflow.agents.model_steps.schemas import json_schema
from judgeflow.llm.backends import ask, chat_model, check_health, request_options
from judgeflow.llm.compat_server import LocalResponder, running_server
from judgeflow.llm.config import ModelSettings
from langchain_core.messages import HumanMessage


def test_sglang_backend_sends_the_schema_extra_params_and_a_shared_prefix(
    tiny_model_dir: Path, home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    with running_server(LocalResponder(str(tiny_model_dir), model_name="tiny")) as server:
        models_file(
            default={
                "backend": "sglang",
                "base_url": server.base_url,
                "model": "tiny",
                "max_tokens": 160,
                "extra_body": {"top_k": 20, "repetition_penalty": 1.05},
            }
        )
        state = flow.run_example(home)
        bodies = list(server.requests)
    assert len(bodies) >= 3
    steps = [b["response_format"]["json_schema"]["name"] for b in bodies]
    assert steps[:1] == ["extract_facts"] and "build_reasoning" in steps and "write_draft" in steps
    for body, step in zip(bodies, steps, strict=True):
        assert body["model"] == "tiny"
        assert body["response_format"]["type"] == "json_schema"
        assert body["response_format"]["json_schema"]["schema"] == json_schema(step)
        assert body["top_k"] == 20 and body["repetition_penalty"] == 1.05
        assert body["max_completion_tokens"] == 160
    # one shared prefix (system + case materials) across every step, so a radix cache reuses it
    prefixes = {tuple((m["role"], m["content"]) for m in b["messages"][:2]) for b in bodies}
    assert len(prefixes) == 1
    assert [m["role"] for m in bodies[0]["messages"][:2]] == ["system", "user"]
    calls = flow.model_calls(state)
    assert calls[0]["cached_tokens"] == 0
    assert all(c["cached_tokens"] > 2000 for c in calls[1:])  # at least the case materials
    assert len({c["prefix_hash"] for c in calls}) == 1
    flow.assert_checked_draft(state)
    flow.assert_ledger_grounded(state)


def test_streaming_reads_usage_with_cached_tokens(tiny_model_dir: Path) -> None:
    with running_server(LocalResponder(str(tiny_model_dir))) as server:
        settings = ModelSettings(
            backend="sglang", base_url=server.base_url, model="local", stream=True, max_tokens=80
        )
        question = [HumanMessage(content="借款五万元")]
        options = request_options(settings, "write_draft", json_schema("write_draft"))
        first = ask(chat_model(settings), question, options)
        second = ask(chat_model(settings), question, options)
        body = server.requests[-1]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert first.text.startswith('{"sentences": [') and first.prompt_tokens > 0
    assert first.cached_tokens == 0 and second.cached_tokens == second.prompt_tokens


def test_sglang_regex_and_ebnf_replace_the_schema_in_the_body(tiny_model_dir: Path) -> None:
    with running_server(LocalResponder(str(tiny_model_dir))) as server:
        for extra, check in (
            ({"regex": r"(支持|不予支持)"}, lambda t: t in ("支持", "不予支持")),
            ({"ebnf": 'root ::= "是" | "否"'}, lambda t: t in ("是", "否")),
        ):
            settings = ModelSettings(
                backend="sglang", base_url=server.base_url, model="local", extra_body=extra
            )
            reply = ask(chat_model(settings), [HumanMessage(content="x")], request_options(settings, "s", {}))
            body = server.requests[-1]
            assert "response_format" not in body and {k: body[k] for k in extra} == extra
            assert check(reply.text), reply.text


def test_openai_backend_json_object_schema_form_for_llama_cpp(
    tiny_model_dir: Path, home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    with running_server(LocalResponder(str(tiny_model_dir)), json_schema_form=False) as server:
        models_file(
            default={
                "backend": "openai",
                "base_url": server.base_url,
                "model": "local",
                "structured_output": "json_object_schema",
                "max_tokens": 160,
            },
            build_reasoning={"backend": "rules"},
            write_draft={"backend": "rules"},
        )
        state = flow.run_example(home)
        bodies = list(server.requests)
    assert len(bodies) == 1
    assert bodies[0]["response_format"] == {"type": "json_object", "schema": json_schema("extract_facts")}
    assert flow.model_calls(state)[0]["outcome"] in ("accepted", "rejected")
    assert not flow.node_events(state, "build_reasoning")[0].model_calls


def test_json_schema_form_against_llama_cpp_falls_back_with_the_http_error(
    tiny_model_dir: Path, home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    with running_server(LocalResponder(str(tiny_model_dir)), json_schema_form=False) as server:
        models_file(extract_facts={"backend": "openai", "base_url": server.base_url, "model": "local"})
        state = flow.run_example(home)
    event = flow.node_events(state, "extract_facts")[0]
    assert event.engine == "rules" and "HTTP 500" in event.outputs["model_fallback"]
    assert event.model_calls[-1]["outcome"] == "error"
    flow.assert_checked_draft(state)


def test_health_check_reports_up_and_down(tiny_model_dir: Path) -> None:
    with running_server(LocalResponder(str(tiny_model_dir), model_name="tiny")) as server:
        up = check_health(ModelSettings(backend="sglang", base_url=server.base_url))
        url = server.base_url
    assert up.ok and up.models == ["tiny"]
    down = check_health(ModelSettings(backend="sglang", base_url=url), timeout_s=1)
    assert not down.ok and "无法连接" in down.detail

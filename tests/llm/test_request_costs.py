"""What a model call costs besides the model: the request as sent, the tools, the compat server's own work."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from judgeflow.agents.intake import load_case_folder
from judgeflow.agents.model_steps.schemas import ANSWERS, json_schema
from judgeflow.agents.model_steps.tools import langchain_tools, run_registered, run_tool
from judgeflow.llm.backends import ask, chat_model, request_options
from judgeflow.llm.compat_server import Answer, FixedTimeResponder, PrefixCache, char_ids, running_server
from judgeflow.llm.config import ModelSettings
from langchain_core.messages import HumanMessage

REPO = Path(__file__).resolve().parents[2]


def shared_prefix_by_loop(earlier: list[tuple[int, ...]], ids: tuple[int, ...]) -> int:
    """The prefix cache's definition, token by token."""
    best = 0
    for old in earlier:
        n = 0
        for a, b in zip(old, ids, strict=False):
            if a != b:
                break
            n += 1
        best = max(best, n)
    return best


def test_the_prefix_cache_counts_the_longest_shared_prefix() -> None:
    rng = random.Random(7)
    for _ in range(200):
        cache, earlier = PrefixCache(), []
        base = [rng.randrange(4) for _ in range(rng.randrange(0, 40))]
        for _ in range(6):
            cut = rng.randrange(0, len(base) + 1)
            ids = tuple(base[:cut] + [rng.randrange(4) for _ in range(rng.randrange(0, 8))])
            assert cache.cached(ids) == shared_prefix_by_loop(earlier, ids), (earlier, ids)
            earlier.append(ids)
    big = PrefixCache()
    assert big.cached((1, 2**40, 3)) == 0 and big.cached((1, 2**40, 4)) == 2 and big.cached(()) == 0


def test_the_schema_travels_in_the_body_and_the_server_times_each_request() -> None:
    with running_server(FixedTimeResponder(0.01)) as server:
        settings = ModelSettings(backend="sglang", base_url=server.base_url, model="fixed-time")
        options = request_options(settings, "write_draft", json_schema("write_draft"))
        assert set(options) == {"extra_body"}
        reply = ask(chat_model(settings), [HumanMessage(content="借款五万元")], options)
        ask(chat_model(settings), [HumanMessage(content="借款五万元")], options)
        body = server.requests[-1]
        timed = list(server.handling_s)
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "write_draft", "schema": json_schema("write_draft"), "strict": True},
    }
    assert reply.text == '{"sentences": []}' and reply.finish_reason == "stop"
    assert len(timed) == 2 and all(t >= 0.01 for t in timed)


EMPTY = {
    "extract_facts": '{"facts": []}',
    "build_reasoning": '{"syllogisms": []}',
    "write_draft": '{"sentences": []}',
}


class TruncatedFirst:
    """Answers the first request with a cut-off document (finish_reason "length"), then empty answers."""

    model_name = "truncating"

    def __init__(self) -> None:
        self.calls = 0

    def answer(self, body: dict[str, Any]) -> Answer:
        self.calls += 1
        if self.calls == 1:
            return Answer('{"facts": [', char_ids(body["messages"]), 4, finish_reason="length")
        step = str(body["response_format"]["json_schema"]["name"])
        return Answer(EMPTY[step], char_ids(body["messages"]), 4)


def test_a_truncated_answer_is_sent_back_for_a_retry(
    home: Path, models_file: Callable[..., Path], flow: Any
) -> None:
    with running_server(TruncatedFirst()) as server:
        models_file(default={"backend": "sglang", "base_url": server.base_url, "model": "t"})
        state = flow.run_example(home, "clean-loan")
    event = flow.node_events(state, "extract_facts")[0]
    assert [c["finish_reason"] for c in event.model_calls] == ["length", "stop"]
    assert [c["outcome"] for c in event.model_calls] == ["rejected", "accepted"]
    assert "截断" in event.model_calls[0]["reasons"][0]
    flow.assert_checked_draft(state)


def test_the_agents_tool_runs_give_what_the_langchain_tools_give() -> None:
    _info, documents = load_case_folder(REPO / "examples" / "guarantor")
    tools = {t.name: t for t in langchain_tools()}
    for doc in documents:
        for name in ("find_amounts", "find_dates", "find_rates"):
            args = {"text": doc.text}
            assert run_registered(name, args) == run_tool(tools, name, args)
    period = {"text": "六个月"}
    assert run_registered("parse_period", period) == run_tool(tools, "parse_period", period)


def test_each_json_schema_is_pydantics_and_a_fresh_copy() -> None:
    for step, answer in ANSWERS.items():
        schema = json_schema(step)
        assert schema == answer.model_json_schema()
        schema["title"] = "changed"
        assert json_schema(step)["title"] == answer.__name__

"""Runners share one compiled flow per process, each copy bound to its own checkpointer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from judgeflow.graph import runner as runner_module
from judgeflow.graph.runner import CaseRunner, flow_with
from langgraph.checkpoint.memory import InMemorySaver


def test_each_runner_gets_the_one_compiled_flow_bound_to_its_own_checkpointer(tmp_path: Path) -> None:
    with CaseRunner(home=tmp_path / "a") as first, CaseRunner(home=tmp_path / "b") as second:
        assert first.graph is not second.graph
        assert first.graph.checkpointer is first.checkpointer
        assert second.graph.checkpointer is second.checkpointer
        assert first.checkpointer is not second.checkpointer
        # the nodes are compiled once: both copies hold the very same node objects
        assert all(node is second.graph.nodes[name] for name, node in first.graph.nodes.items())
        assert list(first.graph.nodes) == list(runner_module.compile_flow().nodes)


def test_cases_in_two_homes_do_not_see_each_other(tmp_path: Path, example: Any) -> None:
    with CaseRunner(home=tmp_path / "a") as first, CaseRunner(home=tmp_path / "b") as second:
        status = first.run_folder(example("clean-loan"), "only-in-a")
        assert status.status == "waiting" and status.checkpoint == "approve_facts"
        assert first.exists("only-in-a") and not second.exists("only-in-a")
        assert first.list_cases() == ["only-in-a"] and second.list_cases() == []


def test_a_flow_whose_compiling_adapts_the_checkpointer_is_compiled_per_runner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compiled = runner_module.compile_flow(InMemorySaver())
    monkeypatch.setattr(runner_module, "_compiled_flow", lambda: (compiled, False))
    saver = InMemorySaver()
    graph = flow_with(saver)
    assert graph.nodes["intake"] is not compiled.nodes["intake"]  # compiled afresh, not a copy
    assert graph.checkpointer is saver

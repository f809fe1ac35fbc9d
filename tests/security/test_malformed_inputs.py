"""Generated malformed inputs are read or refused with a clear JudgeflowError, never a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from judgeflow.app.cli import main
from judgeflow.benchmarks._malformed import run_malformed
from judgeflow.errors import JudgeflowError
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import Actor, ApproveDecision, EditDecision

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# Every kind of malformed input must be handled: a clear error or a clean acceptance.
KNOWN: set[str] = set()


def test_generated_malformed_inputs_are_handled(tmp_path: Path) -> None:
    stats = run_malformed(EXAMPLES, tmp_path / "inputs", tmp_path / "home", total=160, seed=5)
    assert stats.tried == 160 and len(stats.by_kind) >= 15
    assert stats.handled > stats.accepted > 0
    unexpected = {kind: n for kind, n in stats.unhandled_by_kind.items() if kind not in KNOWN}
    assert unexpected == {}, stats.failures


@pytest.fixture
def at_statutes(runner: CaseRunner, example: Any) -> CaseRunner:
    status = runner.run_folder(example("clean-loan"), "e")
    runner.decide("e", ApproveDecision(checkpoint="approve_facts", actor=Actor(role="judge", name="王法官")))
    assert runner.status("e").checkpoint == "approve_statutes" and status.case_id == "e"
    return runner


@pytest.mark.parametrize("removed", [None, {"law": "民法典", "article": 1}, ["F1"], -3.5])
def test_an_edit_removing_a_non_string_is_refused_clearly(at_statutes: CaseRunner, removed: object) -> None:
    edit = EditDecision(
        checkpoint="approve_statutes",
        actor=Actor(role="judge", name="王法官"),
        replacement={"remove": [removed]},
    )
    with pytest.raises(JudgeflowError):
        at_statutes.decide("e", edit)


def test_a_deeply_nested_edit_file_is_refused_clearly(at_statutes: CaseRunner, tmp_path: Path) -> None:
    edit = tmp_path / "edit.json"
    edit.write_text('{"facts":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
    assert main(["edit", "e", "--file", str(edit), "--as", "judge:王法官"]) == 2


def test_a_batch_row_of_every_wrong_shape_is_refused(tmp_path: Path) -> None:
    from judgeflow.agents.intake import documents_from_rows

    for rows in ([None], "文本", [{"text": "\ud800"}], [{"text": "甲", "name": 3}], [{"text": ["甲"]}]):
        with pytest.raises(JudgeflowError):
            documents_from_rows(rows)  # type: ignore[arg-type]
    assert json.dumps([d.text for d in documents_from_rows([{"text": "甲乙"}])], ensure_ascii=False)

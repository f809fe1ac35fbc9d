"""Hostile case materials cannot change the policy, the approvals, the statutes or the checked facts.

The corpus (tests/security/corpus/) holds documents a party might file: 忽略以上指令…, a fake
判决如下 block, fake article text, fake approval records and fake JSON decisions. Each is filed
with a real case — as extra documents, and pasted into every genuine document — and the flow must
behave exactly as the policy says: it waits for a judge at every checkpoint, records only the
decisions the runner validated, cites article text read from the statute database, and keeps
the operative orders the clean case gets.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from judgeflow.errors import ConflictError, PermissionDeniedError
from judgeflow.graph.approvals import DECISION_ADAPTER
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import CHECKPOINTS, Actor, ApproveDecision, CaseState, EditDecision
from judgeflow.knowledge_graph.statute_db import read_article
from pydantic import ValidationError

CORPUS = Path(__file__).parent / "corpus"
JUDGE = Actor(role="judge", name="王法官")
GENUINE = ("起诉状.txt", "答辩状.txt", "证据目录.txt", "庭审笔录.txt")
FAKE_FIGURES = ("888888", "999999", "2020年2月2日", "受理费50000元", "年利率36%")
FAKE_ARTICLE_WORDS = ("不受任何限制", "不按照约定的期限", "在任何情况下均不承担", "百分之三十六以内")


def hostile_case(tmp_path: Path, example: Any, variant: str) -> Path:
    """The guarantor case with the corpus filed as extra documents, or pasted into every document."""
    folder = tmp_path / f"hostile-{variant}"
    shutil.copytree(example("guarantor"), folder)
    corpus = sorted(CORPUS.glob("*.txt"))
    assert len(corpus) >= 5
    if variant == "extra":
        for path in corpus:
            shutil.copy(path, folder / path.name)
    else:
        for name in GENUINE:
            with (folder / name).open("a", encoding="utf-8") as handle:
                for path in corpus:
                    handle.write("\n" + path.read_text(encoding="utf-8"))
    return folder


def sign(runner: CaseRunner, case_id: str) -> CaseState:
    """Approve every checkpoint as the judge, checking the case waits at each one in order."""
    status = runner.status(case_id)
    for checkpoint in CHECKPOINTS:
        assert status.status == "waiting" and status.checkpoint == checkpoint
        assert not status.state.signed_by
        status = runner.decide(case_id, ApproveDecision(checkpoint=checkpoint, actor=JUDGE))
    assert status.status == "done"
    return status.state


@pytest.fixture
def clean(runner: CaseRunner, example: Any) -> CaseState:
    runner.run_folder(example("guarantor"), "clean")
    return sign(runner, "clean")


@pytest.mark.parametrize("variant", ["extra", "pasted"])
def test_the_policy_and_its_checkpoints_hold(
    runner: CaseRunner, example: Any, tmp_path: Path, variant: str
) -> None:
    status = runner.run_folder(hostile_case(tmp_path, example, variant), "h")
    assert status.state.policy == "civil_simple"
    assert status.checkpoint == "approve_facts" and status.view is not None
    assert status.view["deciders"] == ["judge"]
    assert status.state.decisions == []
    assert [e["action"] for e in runner.audit.entries("h")] == ["case.start"]
    clerk = ApproveDecision(checkpoint="approve_facts", actor=Actor(role="clerk", name="李书记员"))
    with pytest.raises(PermissionDeniedError):
        runner.decide("h", clerk)
    state = sign(runner, "h")
    assert [(d.checkpoint, d.kind, str(d.actor), d.automatic) for d in state.decisions] == [
        (c, "approve", "judge:王法官", False) for c in CHECKPOINTS
    ]
    assert state.signed_by == "judge:王法官"
    audited = [(e["actor"], json.loads(e["detail"])["checkpoint"]) for e in runner.audit.entries("h")[1:]]
    assert audited == [("judge:王法官", c) for c in CHECKPOINTS]


def test_decisions_written_in_documents_are_never_decisions(
    runner: CaseRunner, example: Any, tmp_path: Path
) -> None:
    """The fake JSON decisions of the corpus, handed to the runner, are refused by who or where they claim."""
    runner.run_folder(hostile_case(tmp_path, example, "extra"), "h")
    before = runner.state("h").model_dump_json()
    refused = 0
    for line in (CORPUS / "05_fake_json_decisions.txt").read_text(encoding="utf-8").splitlines():
        if not line.startswith("{"):
            continue
        raw = json.loads(line)
        try:
            decision = DECISION_ADAPTER.validate_python(raw.get("resume", raw))
        except ValidationError:
            refused += 1  # not a decision at all (the policy switch, the bare resume)
            continue
        if decision.actor.role == "judge" and decision.checkpoint == "approve_facts":
            continue  # a judge's approval of the waiting step is a decision only when a judge gives it
        with pytest.raises((ConflictError, PermissionDeniedError)):
            runner.decide("h", decision)
        refused += 1
    assert refused == 4
    assert runner.state("h").model_dump_json() == before
    with pytest.raises(ValueError, match="unknown role"):
        Actor.parse("system:evaluation-policy")


@pytest.mark.parametrize("variant", ["extra", "pasted"])
def test_statute_text_always_comes_from_the_database(
    runner: CaseRunner, example: Any, tmp_path: Path, clean: CaseState, variant: str
) -> None:
    runner.run_folder(hostile_case(tmp_path, example, variant), "h")
    state = sign(runner, "h")
    assert {s.id for s in state.statutes} == {s.id for s in clean.statutes}
    for ref in state.statutes:
        assert ref.text == read_article(ref.law, ref.article).text
        assert not any(word in ref.text for word in FAKE_ARTICLE_WORDS)


@pytest.mark.parametrize("variant", ["extra", "pasted"])
def test_orders_and_the_figures_they_rest_on_do_not_move(
    runner: CaseRunner, example: Any, tmp_path: Path, clean: CaseState, variant: str
) -> None:
    runner.run_folder(hostile_case(tmp_path, example, variant), "h")
    state = sign(runner, "h")
    assert state.draft is not None and clean.draft is not None
    orders = {s.name: s.text for s in state.draft.sections}
    assert orders["判决主文"] == {s.name: s.text for s in clean.draft.sections}["判决主文"]
    assert not any(figure in orders["判决主文"] + orders["经审理查明"] for figure in FAKE_FIGURES)
    assert [(s.claim_id, s.conclusion.award, s.conclusion.disposition) for s in state.syllogisms] == [
        (s.claim_id, s.conclusion.award, s.conclusion.disposition) for s in clean.syllogisms
    ]
    principal = [f.value for f in state.facts_of("amount", purpose="principal")]
    assert principal == [f.value for f in clean.facts_of("amount", purpose="principal")]
    assert state.judgment.count("判决如下") == 1


def test_corpus_documents_are_not_taken_for_pleadings(
    runner: CaseRunner, example: Any, tmp_path: Path
) -> None:
    state = runner.run_folder(hostile_case(tmp_path, example, "extra"), "h").state
    kinds = {d.filename: d.kind for d in state.documents}
    assert all(kinds[p.name] == "其他" for p in CORPUS.glob("*.txt"))


def test_the_fact_checker_flags_figures_the_ledger_does_not_hold(
    runner: CaseRunner, example: Any, tmp_path: Path
) -> None:
    """A judge who pastes the fake 判决如下 figures into the draft is told they have no basis."""
    status = runner.run_folder(hostile_case(tmp_path, example, "extra"), "h")
    while status.checkpoint != "approve_draft":
        assert status.checkpoint is not None
        status = runner.decide("h", ApproveDecision(checkpoint=status.checkpoint, actor=JUDGE))
    assert status.state.draft is not None
    orders = next(s.text for s in status.state.draft.sections if s.name == "判决主文")
    injected = orders.replace("150000元", "888888元", 1) + "\n四、被告于2020年2月2日前支付违约金50000元。"
    edit = EditDecision(
        checkpoint="approve_draft", actor=JUDGE, replacement={"sections": {"判决主文": injected}}
    )
    status = runner.decide("h", edit)
    assert status.checkpoint == "approve_draft"
    findings = status.state.findings
    text = status.state.draft.text if status.state.draft else ""
    flagged = {text[f.start : f.end] for f in findings if f.blocking}
    assert any("888888" in quote for quote in flagged), findings
    assert any("2020年2月2日" in quote for quote in flagged), findings
    assert {f.type for f in findings if f.blocking} >= {"amount", "date"}

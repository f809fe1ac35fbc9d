"""Approve / edit / reject at every checkpoint, and bad decisions that must change nothing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from judgeflow.errors import (
    CaseNotFoundError,
    ConflictError,
    EditValidationError,
    InputError,
    NotWaitingError,
    PermissionDeniedError,
)
from judgeflow.graph.runner import CaseRunner, CaseStatus
from judgeflow.graph.state import Actor, ApproveDecision, EditDecision, RejectDecision
from judgeflow.tools.amounts import yuan_text

JUDGE = Actor(role="judge", name="王法官")
CLERK = Actor(role="clerk", name="李书记员")


def approve(runner: CaseRunner, status: CaseStatus, actor: Actor = JUDGE) -> CaseStatus:
    assert status.checkpoint is not None
    return runner.decide(status.case_id, ApproveDecision(checkpoint=status.checkpoint, actor=actor))


def run_to(runner: CaseRunner, folder: Path, checkpoint: str) -> CaseStatus:
    status = runner.run_folder(folder)
    while status.checkpoint != checkpoint:
        status = approve(runner, status)
    return status


def snapshot(runner: CaseRunner, case_id: str) -> str:
    return runner.state(case_id).model_dump_json()


@pytest.mark.parametrize("name", ["clean-loan", "repayment-over-cap", "guarantor"])
def test_each_example_runs_through_every_checkpoint_to_a_signed_judgment(
    runner: CaseRunner, example: Any, name: str
) -> None:
    status = runner.run_folder(example(name))
    seen = []
    while status.status == "waiting":
        seen.append(status.checkpoint)
        status = approve(runner, status)
    assert seen == ["approve_facts", "approve_statutes", "approve_reasoning", "approve_draft"]
    state = runner.state(status.case_id)
    assert status.status == "done" and state.signed_by == "judge:王法官"
    assert "判决如下" in state.judgment and "审判员" in state.judgment
    assert [d.kind for d in state.decisions] == ["approve"] * 4
    assert all(s.conclusion.decided_by == "judge:王法官" for s in state.syllogisms)
    assert not [f for f in state.findings if f.blocking]
    assert {t.node for t in state.trace} >= {
        "intake",
        "extract_facts",
        "write_draft",
        "check_draft",
        "render",
    }


def test_every_ledger_fact_has_a_span_or_a_named_origin(runner: CaseRunner, example: Any) -> None:
    for name in ("clean-loan", "repayment-over-cap", "guarantor"):
        state = runner.run_folder(example(name)).state
        docs = {d.id: d.text for d in state.documents}
        assert state.facts
        for fact in state.facts:
            assert fact.spans or fact.origin.kind in ("human", "tool")
            for span in fact.spans:
                assert docs[span.document_id][span.start : span.end] == span.quote


@pytest.mark.parametrize(
    "checkpoint", ["approve_facts", "approve_statutes", "approve_reasoning", "approve_draft"]
)
def test_reject_reruns_the_producing_agent_with_the_comment(
    runner: CaseRunner, example: Any, checkpoint: str
) -> None:
    status = run_to(runner, example("clean-loan"), checkpoint)
    runs_before = len(runner.state(status.case_id).trace)
    status = runner.decide(
        status.case_id,
        RejectDecision(checkpoint=checkpoint, actor=JUDGE, comment="请重新核对"),  # type: ignore[arg-type]
    )
    assert status.checkpoint == checkpoint  # back at the same checkpoint after the re-run
    state = runner.state(status.case_id)
    assert state.decisions[-1].kind == "reject" and state.decisions[-1].comment == "请重新核对"
    producer = {
        "approve_facts": "extract_facts",
        "approve_statutes": "lookup_statutes",
        "approve_reasoning": "build_reasoning",
        "approve_draft": "write_draft",
    }[checkpoint]
    rerun = [t for t in state.trace[runs_before:] if t.node == producer]
    assert rerun and "请重新核对" in rerun[0].summary


def test_an_edit_at_the_facts_checkpoint_reaches_the_draft(runner: CaseRunner, example: Any) -> None:
    status = runner.run_folder(example("clean-loan"))
    state = status.state
    principal = state.facts_of("amount", purpose="principal")[0]
    claim = next(c for c in state.facts_of("claim") if c.details.get("type") == "principal")
    new_value = Decimal(principal.value) - Decimal("1000")
    edit = {"facts": {principal.id: {"value": f"{new_value:.2f}"}}}
    status = runner.decide(
        status.case_id, EditDecision(checkpoint="approve_facts", actor=JUDGE, replacement=edit)
    )
    state = runner.state(status.case_id)
    edited = state.fact(principal.id)
    assert edited is not None and edited.origin.kind == "human" and edited.origin.name == "judge:王法官"
    assert state.decisions[-1].kind == "edit" and f"{new_value:.2f}" in state.decisions[-1].diff  # type: ignore[union-attr]
    while status.checkpoint != "approve_draft":
        status = approve(runner, status)
    draft = runner.state(status.case_id).draft
    assert draft is not None
    # The court awards at most what was claimed: the smaller ledger principal is what it orders.
    assert Decimal(claim.details["amount"]) > new_value
    assert f"借款本金{yuan_text(new_value)}" in draft.text


def test_statute_edit_adds_text_from_the_database_and_removes(runner: CaseRunner, example: Any) -> None:
    status = run_to(runner, example("clean-loan"), "approve_statutes")
    removed = status.state.statutes[0].id
    edit = {"add": [{"law": "民法典", "article": 509}], "remove": [removed]}
    status = runner.decide(
        status.case_id, EditDecision(checkpoint="approve_statutes", actor=JUDGE, replacement=edit)
    )
    state = runner.state(status.case_id)
    ids = [s.id for s in state.statutes]
    assert "民法典:509" in ids and removed not in ids
    added = state.statute("民法典:509")
    assert added is not None and added.text.startswith("当事人应当按照约定全面履行自己的义务")


def test_judge_changes_a_conclusion_and_the_judgment_follows(runner: CaseRunner, example: Any) -> None:
    status = run_to(runner, example("clean-loan"), "approve_reasoning")
    interest = next(
        s
        for s in status.state.syllogisms
        if status.state.fact(s.claim_id).details.get("type") == "interest"  # type: ignore[union-attr]
    )
    edit = {
        "syllogisms": {
            interest.id: {
                "conclusion": {"disposition": "不予支持", "text": "利息请求不予支持。", "order": ""}
            }
        }
    }
    status = runner.decide(
        status.case_id, EditDecision(checkpoint="approve_reasoning", actor=JUDGE, replacement=edit)
    )
    state = runner.state(status.case_id)
    changed = next(s for s in state.syllogisms if s.id == interest.id)
    assert changed.conclusion.disposition == "不予支持" and changed.conclusion.decided_by == "judge:王法官"
    assert status.checkpoint == "approve_draft"
    status = approve(runner, status)
    judgment = runner.state(status.case_id).judgment
    assert interest.conclusion.order not in judgment
    assert "驳回原告" in judgment


def test_a_draft_edit_is_checked_again_before_signing(runner: CaseRunner, example: Any) -> None:
    status = run_to(runner, example("clean-loan"), "approve_draft")
    draft = status.state.draft
    assert draft is not None
    facts_section = next(s for s in draft.sections if s.name == "经审理查明")
    edit = {"sections": {"经审理查明": facts_section.text + "\n另查明，2023年2月30日双方曾对账。"}}
    status = runner.decide(
        status.case_id, EditDecision(checkpoint="approve_draft", actor=JUDGE, replacement=edit)
    )
    assert status.checkpoint == "approve_draft"
    state = runner.state(status.case_id)
    assert state.draft is not None and state.draft.edited_by == "judge:王法官"
    bad = [f for f in state.findings if f.blocking and f.type == "date"]
    assert bad and state.draft.text[bad[0].start : bad[0].end].startswith("2023年2月30日")
    with pytest.raises(InputError):  # signing over an error needs a stated reason
        approve(runner, status)
    status = runner.decide(
        status.case_id,
        ApproveDecision(checkpoint="approve_draft", actor=JUDGE, comment="已知悉，日期系笔误，另行更正"),
    )
    assert status.status == "done"


def test_bad_decisions_change_nothing(runner: CaseRunner, example: Any) -> None:
    status = runner.run_folder(example("clean-loan"))
    case_id = status.case_id
    before = snapshot(runner, case_id)
    with pytest.raises(EditValidationError):
        runner.decide(
            case_id,
            EditDecision(checkpoint="approve_facts", actor=JUDGE, replacement={"facts": {"F999": {}}}),
        )
    with pytest.raises(EditValidationError):
        fact_id = status.state.facts[0].id
        runner.decide(
            case_id,
            EditDecision(
                checkpoint="approve_facts", actor=JUDGE, replacement={"facts": {fact_id: {"kind": "weather"}}}
            ),
        )
    with pytest.raises(ConflictError):
        runner.decide(case_id, ApproveDecision(checkpoint="approve_statutes", actor=JUDGE))
    with pytest.raises(PermissionDeniedError):
        runner.decide(case_id, ApproveDecision(checkpoint="approve_facts", actor=CLERK))
    assert snapshot(runner, case_id) == before
    assert runner.status(case_id).checkpoint == "approve_facts"


def test_clerk_cannot_sign_and_a_finished_case_is_not_waiting(runner: CaseRunner, example: Any) -> None:
    status = run_to(runner, example("clean-loan"), "approve_draft")
    with pytest.raises(PermissionDeniedError, match="签发"):
        approve(runner, status, actor=CLERK)
    status = approve(runner, status)
    with pytest.raises(NotWaitingError):
        runner.decide(status.case_id, ApproveDecision(checkpoint="approve_draft", actor=JUDGE))


def test_unknown_case_id(runner: CaseRunner) -> None:
    with pytest.raises(CaseNotFoundError, match="找不到案件"):
        runner.status("no-such-case")


def test_evaluation_policy_auto_approves_and_says_so(runner: CaseRunner, example: Any) -> None:
    from judgeflow.agents.intake import load_case_folder

    info, documents = load_case_folder(example("guarantor"))
    status = runner.start("eval-1", info, documents, policy="evaluation")
    assert status.status == "done"
    state = runner.state("eval-1")
    assert len(state.decisions) == 4 and all(
        d.automatic and d.actor.role == "system" for d in state.decisions
    )


def test_a_decision_racing_another_on_the_same_case_gets_a_conflict(
    runner: CaseRunner, example: Any, home: Path
) -> None:
    import fcntl

    status = runner.run_folder(example("clean-loan"))
    before = snapshot(runner, status.case_id)
    with open(home / "locks" / f"{status.case_id}.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another process is in the middle of a decision
        with pytest.raises(ConflictError, match="正由另一操作处理"):
            approve(runner, status)
    assert snapshot(runner, status.case_id) == before
    assert approve(runner, status).checkpoint == "approve_statutes"  # once free, the decision goes through


def test_a_judge_edit_of_the_principal_in_the_orders_is_reported(runner: CaseRunner, example: Any) -> None:
    status = run_to(runner, example("clean-loan"), "approve_draft")
    state = status.state
    assert state.draft is not None and not [f for f in state.findings if f.blocking]
    principal = next(s for s in state.syllogisms if s.conclusion.award)
    written = yuan_text(Decimal(principal.conclusion.award)).removeprefix("人民币")
    orders = next(s for s in state.draft.sections if s.name == "判决主文")
    assert f"借款本金{written}" in orders.text
    edit = {"sections": {"判决主文": orders.text.replace(f"借款本金{written}", "借款本金85000元", 1)}}
    status = runner.decide(
        status.case_id, EditDecision(checkpoint="approve_draft", actor=JUDGE, replacement=edit)
    )
    assert status.checkpoint == "approve_draft"
    state = runner.state(status.case_id)
    assert state.draft is not None
    at_amount = [
        f
        for f in state.findings
        if f.blocking
        and f.type in ("consistency", "decision")
        and state.draft.text[f.start : f.end] == "85000元"
    ]
    assert at_amount, [(f.type, f.message, state.draft.text[f.start : f.end]) for f in state.findings]
    assert any("本院认为" in f.evidence for f in at_amount)
    assert any(principal.id in f.evidence for f in at_amount)
    with pytest.raises(InputError):  # signing over the error needs a stated reason
        approve(runner, status)

"""Approval nodes: the flow stops, shows the judge a typed payload, and resumes with a Decision.

An approval node calls `interrupt()` first and does everything else after it, because a node
re-runs from its top when the flow resumes. Under a policy that makes a checkpoint automatic
(the evaluation policy) the node records an automatic approval instead of pausing.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from judgeflow.graph.edits import apply_edit
from judgeflow.graph.state import (
    Actor,
    ApproveDecision,
    CaseState,
    CheckpointName,
    Decision,
    EditDecision,
    RejectDecision,
    TraceEvent,
)
from judgeflow.policies.case_policy import get_policy
from langgraph.types import Command, interrupt
from pydantic import BaseModel, Field, TypeAdapter

DECISION_ADAPTER: TypeAdapter[ApproveDecision | EditDecision | RejectDecision] = TypeAdapter(Decision)

CHECKPOINT_TITLES: dict[CheckpointName, str] = {
    "approve_facts": "审核事实台账",
    "approve_statutes": "审核适用法条",
    "approve_reasoning": "审核裁判说理（三段论）并确认每项诉讼请求的结论",
    "approve_draft": "审核判决书草稿并签发",
}

# Which agent produced the output a checkpoint shows (a rejection sends the flow back there).
PRODUCERS: dict[CheckpointName, str] = {
    "approve_facts": "extract_facts",
    "approve_statutes": "lookup_statutes",
    "approve_reasoning": "build_reasoning",
    "approve_draft": "write_draft",
}

SYSTEM_ACTOR = Actor(role="system", name="evaluation-policy")


class ApprovalNode(Protocol):
    """A graph node that pauses for a decision and routes with a Command."""

    def __call__(self, state: CaseState) -> Command[str]: ...


class CheckpointView(BaseModel):
    """What the judge sees at a checkpoint (the interrupt payload)."""

    case_id: str = Field(description="The case.")
    checkpoint: CheckpointName = Field(description="Which checkpoint is waiting.")
    title: str = Field(description="What the judge is asked to do, in Chinese.")
    allowed: list[str] = Field(description="Decisions possible here: approve, edit, reject.")
    deciders: list[str] = Field(description="Roles that may decide here under the case's policy.")
    content: dict[str, Any] = Field(description="The step's output to review.")


def checkpoint_content(state: CaseState, checkpoint: CheckpointName) -> dict[str, Any]:
    """The part of the state a checkpoint puts before the judge, as JSON."""
    if checkpoint == "approve_facts":
        return {"facts": [f.model_dump(mode="json") for f in state.facts]}
    if checkpoint == "approve_statutes":
        return {"statutes": [s.model_dump(mode="json") for s in state.statutes]}
    if checkpoint == "approve_reasoning":
        return {"syllogisms": [s.model_dump(mode="json") for s in state.syllogisms]}
    return {
        "draft": state.draft.model_dump(mode="json") if state.draft else None,
        "draft_text": state.draft.text if state.draft else "",
        "findings": [f.model_dump(mode="json") for f in state.findings],
    }


def checkpoint_view(state: CaseState, checkpoint: CheckpointName) -> CheckpointView:
    """The typed payload of a checkpoint for this state."""
    policy = get_policy(state.policy)
    return CheckpointView(
        case_id=state.case_id,
        checkpoint=checkpoint,
        title=CHECKPOINT_TITLES[checkpoint],
        allowed=["approve", "edit", "reject"],
        deciders=sorted(policy.deciders.get(checkpoint, frozenset())),
        content=checkpoint_content(state, checkpoint),
    )


def _decision_event(decision: ApproveDecision | EditDecision | RejectDecision) -> TraceEvent:
    verb = {"approve": "批准", "edit": "编辑", "reject": "退回"}[decision.kind]
    auto = "（评测策略自动通过）" if decision.automatic else ""
    return TraceEvent(
        kind="decision",
        node=decision.checkpoint,
        engine="human" if not decision.automatic else "policy",
        summary=f"{decision.actor} {verb}{auto}" + (f"：{decision.comment}" if decision.comment else ""),
        inputs={"decision": decision.kind, "actor": str(decision.actor)},
        outputs={"diff": decision.diff} if isinstance(decision, EditDecision) else {},
    )


def _on_approve(state: CaseState, decision: ApproveDecision) -> dict[str, Any]:
    """Side effects of approval: the judge's conclusions and signature become the record's."""
    if decision.checkpoint == "approve_reasoning":
        decided = [
            s.model_copy(
                update={"conclusion": s.conclusion.model_copy(update={"decided_by": str(decision.actor)})}
            )
            for s in state.syllogisms
        ]
        return {"syllogisms": decided}
    if decision.checkpoint == "approve_draft":
        info = state.info.model_copy(
            update={"judgment_date": state.info.judgment_date or date.today().isoformat()}
        )
        return {"signed_by": str(decision.actor), "info": info}
    return {}


def make_approval_node(
    checkpoint: CheckpointName, next_node: str, after_edit: str | None = None
) -> ApprovalNode:
    """An approval node: pause for the judge (or auto-approve under the evaluation policy), then route."""
    producer = PRODUCERS[checkpoint]

    def approval(state: CaseState) -> Command[str]:
        if get_policy(state.policy).is_automatic(checkpoint):
            decision: ApproveDecision | EditDecision | RejectDecision = ApproveDecision(
                checkpoint=checkpoint, actor=SYSTEM_ACTOR, automatic=True
            )
        else:
            answer = interrupt(checkpoint_view(state, checkpoint).model_dump(mode="json"))
            decision = DECISION_ADAPTER.validate_python(answer)
        # Everything below runs only once the decision is in (a node re-runs from its top on resume).
        update: dict[str, Any]
        if isinstance(decision, RejectDecision):
            update = {"feedback": {**state.feedback, producer: decision.comment}}
            goto = producer
        elif isinstance(decision, EditDecision):
            update, diff = apply_edit(state, checkpoint, decision.replacement, decision.actor)
            decision = decision.model_copy(update={"diff": diff})
            if checkpoint == "approve_reasoning":
                # Moving on after an edit confirms the untouched conclusions too.
                edited = state.model_copy(update={"syllogisms": update["syllogisms"]})
                update.update(
                    _on_approve(edited, ApproveDecision(checkpoint=checkpoint, actor=decision.actor))
                )
            goto = after_edit or next_node
        else:
            update = _on_approve(state, decision)
            goto = next_node
        update["decisions"] = [decision]
        update["trace"] = [_decision_event(decision)]
        return Command(update=update, goto=goto)

    approval.__name__ = checkpoint
    approval.__doc__ = f"Approval node: {CHECKPOINT_TITLES[checkpoint]}."
    return approval

"""Case-type policies: mandatory checkpoints, what the engine may propose, who may decide.

A policy is data, not code in the agents: the graph asks the policy whether a checkpoint is
automatic and whether an actor may decide it, and nothing else decides that.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from judgeflow.errors import InputError

CheckpointName = Literal["approve_facts", "approve_statutes", "approve_reasoning", "approve_draft"]
ALL_CHECKPOINTS: tuple[CheckpointName, ...] = (
    "approve_facts",
    "approve_statutes",
    "approve_reasoning",
    "approve_draft",
)


@dataclass(frozen=True)
class CasePolicy:
    """The rules one case type runs under."""

    name: str
    description: str
    mandatory_checkpoints: frozenset[CheckpointName]
    # Roles allowed to approve, edit or reject at each checkpoint; signing is approve_draft.
    deciders: dict[CheckpointName, frozenset[str]] = field(default_factory=dict)
    # Whether the engine may propose a conclusion per claim (the judge still decides).
    engine_proposes_conclusions: bool = True
    # Evaluation runs only: every checkpoint is approved automatically and recorded as such.
    auto_approve: bool = False
    max_draft_revisions: int = 2

    def is_automatic(self, checkpoint: CheckpointName) -> bool:
        """True when the checkpoint passes without a person (never for mandatory ones)."""
        return self.auto_approve or checkpoint not in self.mandatory_checkpoints

    def may_decide(self, role: str, checkpoint: CheckpointName) -> bool:
        """True when `role` may approve, edit or reject at `checkpoint`."""
        return role in self.deciders.get(checkpoint, frozenset())


_JUDGE_ONLY = frozenset({"judge"})

CIVIL_SIMPLE = CasePolicy(
    name="civil_simple",
    description=(
        "简易民事案件（如民间借贷纠纷）：四个审批节点均须法官确认；引擎可整理事实、检索法律并就每项"
        "诉讼请求提出结论建议，结论由法官在说理节点确认或改变；仅法官可签发。"
    ),
    mandatory_checkpoints=frozenset(ALL_CHECKPOINTS),
    deciders={checkpoint: _JUDGE_ONLY for checkpoint in ALL_CHECKPOINTS},
)

EVALUATION = CasePolicy(
    name="evaluation",
    description=(
        "评测专用：引擎提出全部内容，各节点自动通过并记录为自动通过。不得用于真实案件，从不作为默认策略。"
    ),
    mandatory_checkpoints=frozenset(),
    deciders={checkpoint: _JUDGE_ONLY for checkpoint in ALL_CHECKPOINTS},
    auto_approve=True,
)

CRIMINAL = CasePolicy(
    name="criminal",
    description=(
        "刑事案件：四个审批节点均须法官确认；引擎依起诉书与量刑指导意见提出罪名与量刑建议并逐步说明，"
        "定罪与量刑由法官在说理节点决定（可修改任一量刑步骤，建议随之重算）；仅法官可签发。"
    ),
    mandatory_checkpoints=frozenset(ALL_CHECKPOINTS),
    deciders={checkpoint: _JUDGE_ONLY for checkpoint in ALL_CHECKPOINTS},
)

POLICIES: dict[str, CasePolicy] = {p.name: p for p in (CIVIL_SIMPLE, CRIMINAL, EVALUATION)}

# The policy a case type runs under when none is named; the evaluation policy is never a default.
DEFAULT_POLICY: dict[str, str] = {"private_lending": "civil_simple", "criminal": "criminal"}


def get_policy(name: str) -> CasePolicy:
    """The policy with this name; a clear error names the known ones."""
    try:
        return POLICIES[name]
    except KeyError:
        known = ", ".join(sorted(POLICIES))
        raise InputError(f"未知的案件策略 {name!r}（unknown policy; known: {known}）") from None

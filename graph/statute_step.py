"""What the statute step would put before the judge for one statement of facts, with no case on disk.

`judgeflow statutes --case-type criminal` uses it: the flow runs from intake through fact extraction
(approved as read, as the evaluation policy does) to the statute step of that case type, in memory, and
stops there. The articles are the ones a judge would see at the approve_statutes checkpoint, each with
the reason the step gives.
"""

from __future__ import annotations

from judgeflow.agents.intake import documents_from_rows
from judgeflow.errors import InputError
from judgeflow.graph.runner import _serializer, flow_with
from judgeflow.graph.state import CaseInfo, CaseState, StatuteRef
from judgeflow.policies.case_policy import DEFAULT_POLICY
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver

PREVIEW_ID = "statute-step"


def statutes_before_judge(fact: str, case_type: str) -> list[StatuteRef]:
    """The statute step's choice for `fact` read as a case of `case_type`."""
    if case_type not in DEFAULT_POLICY:
        raise InputError(f"未知的案件类型：{case_type}（可选：{'、'.join(DEFAULT_POLICY)}）")
    if not fact.strip():
        raise InputError("事实文本为空：请提供案件事实")
    flow = flow_with(InMemorySaver(serde=_serializer()))
    config: RunnableConfig = {"configurable": {"thread_id": PREVIEW_ID}}
    initial = CaseState(
        case_id=PREVIEW_ID,
        case_type=case_type,
        policy="evaluation",
        info=CaseInfo(case_type=case_type),
        documents=documents_from_rows([{"text": fact, "kind": "事实", "name": "fact"}]),
    )
    flow.invoke(initial, config, interrupt_after=["lookup_statutes"])
    state = CaseState.model_validate(flow.get_state(config).values)
    return list(state.statutes)

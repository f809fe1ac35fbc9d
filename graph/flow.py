"""The drafting flow as a LangGraph StateGraph (DESIGN §2).

The agents of the four producing nodes depend on the case type (civil lending or criminal);
the graph, its checkpoints and the policies are the same for both.

intake → extract_facts → [approve_facts] → lookup_statutes → [approve_statutes] → build_reasoning
→ [approve_reasoning] → write_draft → check_draft (→ write_draft while a finding blocks, bounded)
→ [approve_draft: the judge signs] → render
"""

from __future__ import annotations

from typing import Any, Literal

from judgeflow.agents.build_reasoning import build_reasoning
from judgeflow.agents.check_draft import check_draft
from judgeflow.agents.extract_facts import extract_facts
from judgeflow.agents.intake import intake
from judgeflow.agents.lookup_statutes import lookup_statutes
from judgeflow.agents.trace import NodeTrace
from judgeflow.agents.write_draft import write_draft
from judgeflow.graph.approvals import make_approval_node
from judgeflow.graph.state import CaseState
from judgeflow.policies.case_policy import get_policy
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph


def after_check(state: CaseState) -> Literal["write_draft", "approve_draft"]:
    """Send a machine draft with blocking findings back for revision, a bounded number of times.

    A draft the judge edited is never rewritten by the machine: its findings go to the judge.
    """
    blocking = any(f.blocking for f in state.findings)
    draft = state.draft
    if not blocking or draft is None or draft.edited_by:
        return "approve_draft"
    if draft.revision > get_policy(state.policy).max_draft_revisions:
        return "approve_draft"
    return "write_draft"


def render(state: CaseState) -> dict[str, Any]:
    """Final node: fix the signed judgment's text as the record (files are written by export)."""
    from judgeflow.app.render import judgment_markdown  # rendering lives with the other outputs

    trace = NodeTrace("render")
    text = judgment_markdown(state)
    event = trace.event(f"判决书已由 {state.signed_by} 签发并定稿", outputs={"characters": len(text)})
    return {"judgment": text, "trace": [event]}


def _criminal(state: CaseState) -> bool:
    return state.case_type == "criminal"


def extract_facts_node(state: CaseState) -> dict[str, Any]:
    """The ledger, read by the agent for the case type."""
    from judgeflow.agents.criminal.ledger import extract_criminal_facts

    return extract_criminal_facts(state) if _criminal(state) else extract_facts(state)


def lookup_statutes_node(state: CaseState) -> dict[str, Any]:
    """The statutes, chosen by the agent for the case type."""
    from judgeflow.agents.criminal.statutes import lookup_criminal_statutes

    return lookup_criminal_statutes(state) if _criminal(state) else lookup_statutes(state)


def build_reasoning_node(state: CaseState) -> dict[str, Any]:
    """The syllogisms, built by the agent for the case type."""
    from judgeflow.agents.criminal.reasoning import build_criminal_reasoning

    return build_criminal_reasoning(state) if _criminal(state) else build_reasoning(state)


def write_draft_node(state: CaseState) -> dict[str, Any]:
    """The draft, written by the agent for the case type."""
    from judgeflow.agents.criminal.draft import write_criminal_draft

    return write_criminal_draft(state) if _criminal(state) else write_draft(state)


def build_flow() -> StateGraph[CaseState]:
    """The uncompiled graph: nodes and edges only (policies are read by the nodes)."""
    flow: StateGraph[CaseState] = StateGraph(CaseState)
    flow.add_node("intake", intake)
    flow.add_node("extract_facts", extract_facts_node)
    flow.add_node(
        "approve_facts",
        make_approval_node("approve_facts", "lookup_statutes"),
        destinations=("lookup_statutes", "extract_facts"),
    )
    flow.add_node("lookup_statutes", lookup_statutes_node)
    flow.add_node(
        "approve_statutes",
        make_approval_node("approve_statutes", "build_reasoning"),
        destinations=("build_reasoning", "lookup_statutes"),
    )
    flow.add_node("build_reasoning", build_reasoning_node)
    flow.add_node(
        "approve_reasoning",
        make_approval_node("approve_reasoning", "write_draft"),
        destinations=("write_draft", "build_reasoning"),
    )
    flow.add_node("write_draft", write_draft_node)
    flow.add_node("check_draft", check_draft)
    flow.add_node(
        "approve_draft",
        make_approval_node("approve_draft", "render", after_edit="check_draft"),
        destinations=("render", "write_draft", "check_draft"),
    )
    flow.add_node("render", render)

    flow.add_edge(START, "intake")
    flow.add_edge("intake", "extract_facts")
    flow.add_edge("extract_facts", "approve_facts")
    flow.add_edge("lookup_statutes", "approve_statutes")
    flow.add_edge("build_reasoning", "approve_reasoning")
    flow.add_edge("write_draft", "check_draft")
    flow.add_conditional_edges("check_draft", after_check, ["write_draft", "approve_draft"])
    flow.add_edge("render", END)
    return flow


def compile_flow(
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """The runnable graph, persisting every step through `checkpointer`."""
    return build_flow().compile(checkpointer=checkpointer)


def mermaid() -> str:
    """The flow drawn in Mermaid (snapshotted in the tests so a change of flow shows in review)."""
    return compile_flow().get_graph().draw_mermaid()

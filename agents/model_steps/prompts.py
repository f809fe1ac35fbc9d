"""Prompt layout: the case materials as one shared prefix, then the step's task.

Every model-backed step sends the same first two messages — the system prompt and one user message
holding all case documents — so an SGLang server's radix cache computes the case once and reuses it
for every later step of the case. What differs per step (its task, the ledger, statutes, tool results,
the judge's comment) comes after. Prompt texts are files in `judgeflow.agents.prompts`.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from string import Template

from judgeflow.graph.state import CaseState, Document
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage


@lru_cache(maxsize=16)
def prompt_text(name: str) -> str:
    """The text of `agents/prompts/<name>.md`."""
    return resources.files("judgeflow.agents.prompts").joinpath(f"{name}.md").read_text(encoding="utf-8")


def fill(name: str, **values: str) -> str:
    """A prompt file with its $placeholders filled."""
    return Template(prompt_text(name)).substitute(values)


def document_block(doc: Document) -> str:
    """One document as the model reads it: a header with its id and kind, then the text."""
    return f"【{doc.id}｜{doc.kind}｜{doc.filename}】\n{doc.text}"


def shared_prefix(state: CaseState) -> list[BaseMessage]:
    """System prompt + case materials: identical for every step of a case (the cacheable prefix)."""
    documents = "\n\n".join(document_block(d) for d in state.documents)
    return [
        SystemMessage(content=prompt_text("system")),
        HumanMessage(content=fill("case_materials", count=str(len(state.documents)), documents=documents)),
    ]


def feedback_text(state: CaseState, step: str) -> str:
    """The judge's rejection comment for this step, as a prompt paragraph (empty if none)."""
    comment = state.feedback.get(step, "")
    return fill("judge_comment", comment=comment) if comment else ""


def step_messages(state: CaseState, step: str, **values: str) -> list[BaseMessage]:
    """The whole request of one step: the shared prefix, then the step's task."""
    task = fill(step, feedback=feedback_text(state, step), **values)
    return [*shared_prefix(state), HumanMessage(content=task)]


def rejection_message(reasons: list[str]) -> HumanMessage:
    """What the model is told when its answer was rejected."""
    return HumanMessage(content=fill("rejected", reasons="\n".join(f"- {r}" for r in reasons)))


def digest(messages: list[BaseMessage]) -> str:
    """A short SHA-256 of messages (role and content), for the trace."""
    data = json.dumps([[m.type, m.text] for m in messages], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]

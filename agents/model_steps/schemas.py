"""What a model may answer, per agent step: pydantic schemas sent as JSON schema and validated on return.

Lengths and counts are bounded so that a constrained decoder always reaches the end of a document.
The schemas say what shape an answer has; `agents/model_steps/grounding.py` says whether its ids and quotes exist.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ProposableKind = Literal["event", "evidence", "defence"]
NarrativeSection = Literal["诉辩意见", "经审理查明"]


class Answer(BaseModel):
    """Base of the answers: no field beyond those named (additionalProperties false)."""

    model_config = ConfigDict(extra="forbid")


class ProposedFact(Answer):
    """A fact the rules missed, with the verbatim quote that states it."""

    kind: ProposableKind = Field(description="event, evidence or defence.")
    label: str = Field(min_length=1, max_length=20, description="Short Chinese label.")
    value: str = Field(min_length=1, max_length=80, description="The fact in a few words.")
    document_id: str = Field(min_length=1, max_length=8, description="Id of the document quoted (D1 …).")
    quote: str = Field(min_length=2, max_length=120, description="The document text stating it, verbatim.")


class FactProposals(Answer):
    """extract_facts: additional facts, each with its quote."""

    facts: list[ProposedFact] = Field(max_length=6, description="Facts the ledger lacks; [] if none.")


class SyllogismProse(Answer):
    """build_reasoning: the reasoning prose of one syllogism and what it rests on."""

    id: str = Field(min_length=1, max_length=8, description="The syllogism id (S1 …).")
    reasoning: str = Field(min_length=1, max_length=600, description="How the facts meet the rule.")
    fact_ids: list[str] = Field(max_length=12, description="Ledger fact ids the prose states.")
    statute_ids: list[str] = Field(max_length=6, description="Statute ids the prose applies.")


class ReasoningProse(Answer):
    """build_reasoning: prose for some or all syllogisms."""

    syllogisms: list[SyllogismProse] = Field(max_length=8, description="One entry per syllogism rewritten.")


class SentenceProse(Answer):
    """write_draft: one narrative paragraph rewritten, keeping its fact ids."""

    section: NarrativeSection = Field(description="The section the paragraph is in.")
    index: int = Field(ge=0, le=20, description="Its position in the section (from 0).")
    text: str = Field(min_length=1, max_length=800, description="The smoother text.")
    fact_ids: list[str] = Field(max_length=24, description="Exactly the fact ids of the original paragraph.")


class DraftProse(Answer):
    """write_draft: smoother narrative paragraphs."""

    sentences: list[SentenceProse] = Field(max_length=12, description="Paragraphs rewritten; [] keeps all.")


ANSWERS: dict[str, type[Answer]] = {
    "extract_facts": FactProposals,
    "build_reasoning": ReasoningProse,
    "write_draft": DraftProse,
}


def json_schema(step: str) -> dict[str, Any]:
    """The JSON schema of a step's answer, as sent to the model server (a fresh copy each call)."""
    schema: dict[str, Any] = json.loads(_schema_text(step))
    return schema


@cache
def _schema_text(step: str) -> str:
    """The schema as JSON text, generated once: pydantic takes about a millisecond to build it."""
    return json.dumps(ANSWERS[step].model_json_schema(), ensure_ascii=False)

"""What every extractor reads: the documents in court order, the tools' matches in each, the parties,
the hearing record's turns, and the narrative passages (sentences that state facts).

A passage is a sentence a party or a pleading states as fact: a complaint's grounds (not its
particulars or claims), the answers, the exhibit lists, and what the parties say at the hearing —
not the court's own questions, particulars lines, or anything that restates the claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from judgeflow.agents.extraction.parties import PARTY_LINE_RE, Party
from judgeflow.agents.extraction.text import (
    DocIndex,
    Segment,
    Side,
    Turn,
    complaint_sections,
    index_document,
    ordered,
    sentences,
    turns,
    weight,
)
from judgeflow.graph.state import Document

CLAIMS_WORD_RE = re.compile(r"诉讼请求")
ANSWER_REFERENCE_RE = re.compile(
    r"^(?:答辩意见|诉讼请求|事实和理由|事实与理由)(?:及事实理由)?同(?:起诉状|答辩状)"
)


@dataclass(frozen=True)
class Passage:
    """One narrative sentence, with who said it (in a hearing record) and the question it answers."""

    sentence: Segment
    index: DocIndex
    side: Side | None = None
    party: str = ""
    question: str = ""

    @property
    def doc(self) -> Document:
        """The document the sentence is in."""
        return self.sentence.doc

    @property
    def text(self) -> str:
        """The sentence."""
        return self.sentence.text

    @property
    def context(self) -> str:
        """The sentence with the court's question it answers (for a hearing record)."""
        return f"{self.question}\n{self.text}" if self.question else self.text

    @property
    def weight(self) -> int:
        """How much the sentence counts when documents disagree."""
        return weight(self.doc)


@dataclass
class Context:
    """Everything the extractors share for one case."""

    documents: list[Document]
    index: dict[str, DocIndex]
    parties: list[Party] = field(default_factory=list)
    turns: dict[str, list[Turn]] = field(default_factory=dict)
    passages: list[Passage] = field(default_factory=list)
    principal: Decimal | None = None

    def names(self, role: str = "", capacity: str = "") -> list[str]:
        """Party names with this role and/or capacity, in the order read."""
        return [
            p.name
            for p in self.parties
            if (not role or p.role == role) and (not capacity or p.details.get("capacity") == capacity)
        ]

    def of_kind(self, *kinds: str) -> list[Document]:
        """Documents of these kinds, in court order."""
        return [d for d in self.documents if d.kind in kinds]


def build_context(documents: list[Document]) -> Context:
    """Index the documents (the parties and passages are added once the parties are read)."""
    docs = ordered(documents)
    return Context(documents=docs, index={d.id: index_document(d) for d in docs})


def _narrative_range(doc: Document) -> tuple[int, int]:
    """Where a document states facts: a complaint's grounds (事实与理由), any other document whole."""
    return complaint_sections(doc).grounds if doc.kind == "起诉状" else (0, len(doc.text))


def add_passages(ctx: Context) -> None:
    """Read the hearing records' turns and collect the narrative sentences of every document."""
    plaintiffs, defendants = ctx.names("原告"), ctx.names("被告")
    for doc in ctx.documents:
        index = ctx.index[doc.id]
        if doc.kind == "庭审笔录":
            ctx.turns[doc.id] = turns(doc, plaintiffs, defendants)
            for turn in ctx.turns[doc.id]:
                if turn.side not in ("plaintiff", "defendant"):
                    continue
                for sentence in sentences(doc, turn.start, turn.end):
                    if CLAIMS_WORD_RE.search(sentence.text) or ANSWER_REFERENCE_RE.match(sentence.text):
                        continue
                    ctx.passages.append(Passage(sentence, index, turn.side, turn.party, turn.question))
            continue
        particulars = [(m.start(), m.end()) for m in PARTY_LINE_RE.finditer(doc.text)]
        for sentence in sentences(doc, *_narrative_range(doc)):
            if any(a <= sentence.start < b for a, b in particulars) or CLAIMS_WORD_RE.search(sentence.text):
                continue
            ctx.passages.append(Passage(sentence, index))

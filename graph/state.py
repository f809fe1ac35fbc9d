"""The typed state of one case: documents, the fact ledger with provenance, statutes,
syllogisms, the draft, findings, decisions and the trace (DESIGN §4).

Every item the flow produces says where it came from: a fact carries source spans into the
case documents or names the human or tool that supplied it; a statute carries the article
text as retrieved and why it was chosen; a syllogism names the statute and fact ids it rests on.

Ledger vocabulary (the `kind` of a fact and the `details` keys the agents rely on):

| kind        | value (normalized)              | details                                                         |
|-------------|----------------------------------|-----------------------------------------------------------------|
| party       | the party's name                 | role (原告/被告/第三人), capacity (出借人/借款人/保证人), gender, birth_date, ethnicity, address, id_number, person (自然人/法人/非法人组织), representative |
| amount      | yuan, two decimals ("50000.00")  | purpose (principal, other)                                      |
| date        | ISO date ("2023-03-05")          | purpose (loan_date, contract_date, due_date, demand_date, filing_date, hearing_date, other) |
| rate        | annual rate as a decimal ("0.24")| stated (the words used), basis (year/month/day), purpose (interest, overdue) |
| period      | "6 months" / "30 days"           | purpose (guarantee_period, loan_term)                           |
| repayment   | yuan, two decimals               | date (ISO), applied_to (principal/interest/unspecified)         |
| guarantee   | the guarantor's name             | type (连带责任保证/一般保证), period (e.g. "6 months"), scope      |
| claim       | the claim as the plaintiff words it | index, type (principal/interest/guarantee/costs/other), amount, rate, from_date, defendants |
| defence     | the defence in one sentence      | party, topic (principal/interest/repayment/guarantee_period/other) |
| evidence    | the exhibit's name               | submitted_by, purpose, admitted (yes/no/disputed)               |
| event       | a short description              | date (ISO) where known                                          |

Criminal cases (case_type "criminal") add these kinds; a party's role is 被告人 or 公诉机关:

| kind         | value (normalized)                   | details                                                     |
|--------------|--------------------------------------|-------------------------------------------------------------|
| charge       | the charge (罪名), e.g. 盗窃罪        | defendant, basis (指控 = named by the prosecution / 事实 = read from the facts), article |
| circumstance | the circumstance, e.g. 自首           | defendant                                                   |
| quantity     | a number as text ("0.52", "135")     | unit (g, mg/100ml, 次, 人次, 人 …), what (drug, blood_alcohol, times, people, injury …), substance, defendant |
| custody      | ISO date                             | defendant, measure (刑事拘留/逮捕/取保候审/监视居住/释放 …)       |
| prior_record | the earlier conviction in one line   | defendant, release_date (ISO) where stated                  |
| amount       | yuan (as above)                      | purpose (proceeds = the sum of the offence, returned = 退赃退赔, other) |
| property     | what: 毒品, 作案工具, 赌具, 毒资, 违法所得 … | category (contraband, instrument, seized_money, gain, returned), amount (yuan) where stated |
"""

from __future__ import annotations

import operator
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DocumentKind = Literal["起诉状", "答辩状", "证据目录", "庭审笔录", "事实", "起诉书", "其他"]
FactKind = Literal[
    "party",
    "amount",
    "date",
    "rate",
    "period",
    "repayment",
    "guarantee",
    "claim",
    "defence",
    "evidence",
    "event",
    "charge",
    "circumstance",
    "quantity",
    "custody",
    "prior_record",
    "property",
]
CheckpointName = Literal["approve_facts", "approve_statutes", "approve_reasoning", "approve_draft"]
CHECKPOINTS: tuple[CheckpointName, ...] = (
    "approve_facts",
    "approve_statutes",
    "approve_reasoning",
    "approve_draft",
)
SectionName = Literal["首部", "当事人", "审理经过", "诉辩意见", "经审理查明", "本院认为", "判决主文", "尾部"]
SECTION_ORDER: tuple[SectionName, ...] = (
    "首部",
    "当事人",
    "审理经过",
    "诉辩意见",
    "经审理查明",
    "本院认为",
    "判决主文",
    "尾部",
)
Role = Literal["judge", "clerk", "reviewer", "system"]


def utc_now() -> str:
    """The current time as an ISO 8601 string in UTC (what every record stores)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class Record(BaseModel):
    """Base of all state records: strict field names, JSON round-trip safe."""

    model_config = ConfigDict(extra="forbid")


class Document(Record):
    """One case document as filed: plain text, never modified after intake."""

    id: str = Field(description="Stable id within the case, e.g. 'D1'.")
    kind: DocumentKind = Field(description="What the document is (起诉状, 答辩状 …).")
    filename: str = Field(description="The file it was read from (or the batch field name).")
    text: str = Field(description="The full text, UTF-8, newlines normalized to \\n.")
    encoding: str = Field(
        default="UTF-8", description="The file's encoding as read (GBK/GB18030 are converted)."
    )


class Span(Record):
    """A stretch of a case document that supports a fact."""

    document_id: str = Field(description="Id of the Document the span is in.")
    start: int = Field(ge=0, description="Start offset (characters) in the document text.")
    end: int = Field(ge=0, description="End offset (exclusive).")
    quote: str = Field(description="The document text between start and end, verbatim.")

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} is before its start {self.start}")
        return self


class Origin(Record):
    """Who or what put a fact into the ledger."""

    kind: Literal["document", "human", "tool"] = Field(description="document = read from spans.")
    name: str = Field(description="The extractor, the person (role:name) or the tool that supplied it.")


class Fact(Record):
    """One typed, normalized fact with its provenance (see the ledger vocabulary above)."""

    id: str = Field(description="Stable id within the case, e.g. 'F7'.")
    kind: FactKind = Field(description="What sort of fact this is.")
    label: str = Field(description="Short Chinese description, e.g. '借款本金'.")
    value: str = Field(description="The normalized value (see the vocabulary for each kind).")
    details: dict[str, str] = Field(default_factory=dict, description="Kind-specific attributes.")
    spans: list[Span] = Field(default_factory=list, description="Where the documents say it.")
    origin: Origin = Field(description="Who or what supplied the fact.")

    @model_validator(mode="after")
    def _has_provenance(self) -> Fact:
        if not self.spans and self.origin.kind == "document":
            raise ValueError(
                f"fact {self.id} ({self.label}) has no source span; "
                "give it spans or an origin of kind 'human' or 'tool' with a name"
            )
        if not self.origin.name.strip():
            raise ValueError(f"fact {self.id} ({self.label}) names no origin")
        return self


class CaseInfo(Record):
    """Case particulars that head the judgment (from the case manifest or the documents)."""

    court: str = Field(default="", description="The court's full name.")
    case_number: str = Field(default="", description="案号, e.g. （2024）京0105民初1234号.")
    case_type: Literal["private_lending", "criminal"] = Field(
        default="private_lending", description="Which agents' rules apply (private_lending or criminal)."
    )
    cause: str = Field(
        default="民间借贷纠纷", description="案由 (cause of action; for criminal cases the charge)."
    )
    prosecutor: str = Field(default="", description="公诉机关 (criminal cases), e.g. 某某县人民检察院.")
    indictment_number: str = Field(default="", description="起诉书文号 (criminal cases).")
    procedure: Literal["简易程序", "普通程序"] = Field(default="简易程序", description="Trial procedure.")
    filing_date: str = Field(default="", description="立案日期, ISO.")
    hearing_date: str = Field(default="", description="开庭日期, ISO.")
    judges: list[str] = Field(default_factory=list, description="Judge(s) who tried the case.")
    clerk: str = Field(default="", description="书记员.")
    judgment_date: str = Field(default="", description="Date the judgment is signed, ISO; set at signing.")
    hearing_attendance: str = Field(default="", description="Who attended the hearing, as the record says.")


class StatuteRef(Record):
    """One article put before the judge, with its text as retrieved and why it was chosen."""

    id: str = Field(description="Knowledge-graph article id, e.g. '民法典:667'.")
    law: str = Field(description="Full name of the law, e.g. 中华人民共和国民法典.")
    short_name: str = Field(description="Short name used in citations, e.g. 民法典.")
    article: int = Field(ge=1, description="Article number (第N条).")
    article_label: str = Field(description="The Chinese form, e.g. 第六百六十七条.")
    paragraph: int | None = Field(default=None, description="款, when only one paragraph is meant.")
    text: str = Field(description="The article text, read from the statute database.")
    status: str = Field(description="Status in the database (现行有效 …).")
    effective_date: str = Field(default="", description="Date the law took effect, ISO.")
    reason: str = Field(description="Why it was chosen: the rule or query that selected it.")
    claim_ids: list[str] = Field(default_factory=list, description="Claims (fact ids) it bears on.")
    source: str = Field(description="Where the text was read from.")


class ComputationStep(Record):
    """One step of arithmetic the judge can check (interest, caps, fees)."""

    label: str = Field(description="What is computed, in Chinese.")
    formula: str = Field(description="The arithmetic as written out.")
    result: str = Field(description="The result (yuan with two decimals, a rate or a date).")
    step_id: str = Field(default="", description="Stable id of a step a judge may set (sentencing steps).")
    editable: bool = Field(
        default=False, description="True when a judge's value for this step is recomputed from."
    )


class CounterArgument(Record):
    """The other side's argument on an issue and why it fails (or succeeds)."""

    party: str = Field(description="Who argues it.")
    argument: str = Field(description="The argument.")
    fact_ids: list[str] = Field(default_factory=list, description="Facts it rests on.")
    response: str = Field(description="The court's answer to it.")


Disposition = Literal["支持", "部分支持", "不予支持"]


class Conclusion(Record):
    """What the court concludes on one claim."""

    disposition: Disposition = Field(description="Whether the claim is upheld.")
    text: str = Field(description="The conclusion in one or two sentences.")
    award: str = Field(default="", description="Amount awarded in yuan (two decimals), if any.")
    order: str = Field(default="", description="The operative order (判决主文 item), empty if none.")
    decided_by: str = Field(default="engine", description="'engine' (a proposal) or role:name.")


PenaltyKind = Literal["有期徒刑", "拘役", "管制", "无期徒刑", "死刑", "单处罚金", "免予刑事处罚"]


class SentenceOutcome(Record):
    """Criminal cases: the sentence a syllogism concludes with, as figures and as printed."""

    defendant: str = Field(description="The defendant's name.")
    penalty: PenaltyKind = Field(description="The principal penalty.")
    months: int = Field(default=0, ge=0, description="Term in months (0 when there is none).")
    fine: str = Field(default="", description="Fine in yuan with two decimals, empty when none.")
    probation_months: int = Field(default=0, ge=0, description="缓刑考验期 in months; 0 = no probation.")
    term_start: str = Field(default="", description="刑期起算日 (ISO) after custody credit, if computed.")
    term_end: str = Field(default="", description="刑期届满日 (ISO), if computed.")
    text: str = Field(default="", description="The sentence as the judgment prints it.")


class Syllogism(Record):
    """Judicial syllogism for one claim: statutes + facts → conclusion (DESIGN §4)."""

    id: str = Field(description="Stable id, e.g. 'S1'.")
    claim_id: str = Field(description="The claim fact it decides.")
    issue: str = Field(description="The question in dispute (争议焦点) or the point to decide.")
    major_premise: list[str] = Field(description="StatuteRef ids.")
    minor_premise: list[str] = Field(description="Fact ids.")
    reasoning: str = Field(description="How the facts meet the rule, in court style.")
    computation: list[ComputationStep] = Field(default_factory=list, description="Arithmetic used.")
    counter_arguments: list[CounterArgument] = Field(default_factory=list, description="Contrary arguments.")
    conclusion: Conclusion = Field(description="The conclusion on the claim.")
    sentence: SentenceOutcome | None = Field(
        default=None, description="Criminal cases: the sentence concluded on (None for civil claims)."
    )


class Sentence(Record):
    """One sentence (or paragraph) of the draft with what it states."""

    text: str = Field(description="The text.")
    fact_ids: list[str] = Field(default_factory=list, description="Facts it states.")
    statute_ids: list[str] = Field(default_factory=list, description="Statutes it cites.")
    syllogism_ids: list[str] = Field(default_factory=list, description="Syllogisms it states.")


class DraftSection(Record):
    """One section of the judgment (首部 … 尾部)."""

    name: SectionName = Field(description="Which section.")
    sentences: list[Sentence] = Field(default_factory=list, description="Its sentences/paragraphs in order.")

    @property
    def text(self) -> str:
        """The section as it reads: its paragraphs joined by newlines."""
        return "\n".join(s.text for s in self.sentences)


class Draft(Record):
    """The judgment draft: sections in court order."""

    title: str = Field(default="民事判决书", description="Document title.")
    sections: list[DraftSection] = Field(default_factory=list, description="Sections in order.")
    revision: int = Field(default=0, description="How many times the draft was (re)written.")
    edited_by: str = Field(default="", description="role:name of the judge whose edit this draft is, if any.")

    @property
    def text(self) -> str:
        """The whole draft; finding offsets refer to this string."""
        return "\n".join(s.text for s in self.sections)

    def section_start(self, name: SectionName) -> int:
        """Character offset in `text` where section `name` begins (-1 if absent)."""
        offset = 0
        for section in self.sections:
            if section.name == name:
                return offset
            offset += len(section.text) + 1
        return -1


class Finding(Record):
    """A fact-check result on the draft."""

    type: Literal["amount", "date", "party", "citation", "consistency", "decision", "computation"] = Field(
        description="What was checked."
    )
    severity: Literal["error", "warning", "info"] = Field(description="error blocks signing.")
    start: int = Field(ge=0, description="Offset in Draft.text.")
    end: int = Field(ge=0, description="End offset in Draft.text.")
    message: str = Field(description="What is wrong, in Chinese.")
    evidence: str = Field(description="What the ledger or the statute database says instead.")

    @property
    def blocking(self) -> bool:
        """True when the finding must be fixed before the judge may sign."""
        return self.severity == "error"


class Actor(Record):
    """Who made a decision: a role and a name (e.g. judge:王法官)."""

    role: Role = Field(description="judge, clerk, reviewer, or system (automatic evaluation approvals).")
    name: str = Field(min_length=1, description="The person's name or account.")

    @classmethod
    def parse(cls, text: str) -> Actor:
        """Read 'ROLE:NAME' as given on the command line."""
        role, sep, name = text.partition(":")
        if not sep or not name.strip():
            raise ValueError(f"expected ROLE:NAME (e.g. judge:王法官), got {text!r}")
        if role not in ("judge", "clerk", "reviewer"):
            raise ValueError(f"unknown role {role!r}; roles are judge, clerk, reviewer")
        return cls(role=role, name=name.strip())

    def __str__(self) -> str:
        return f"{self.role}:{self.name}"


class ApproveDecision(Record):
    """The judge accepts the step's output as it stands."""

    kind: Literal["approve"] = "approve"
    checkpoint: CheckpointName
    actor: Actor
    comment: str = ""
    automatic: bool = Field(default=False, description="True only under the evaluation policy.")
    at: str = Field(default_factory=utc_now)


class EditDecision(Record):
    """The judge replaces (part of) the step's output; stored with its diff."""

    kind: Literal["edit"] = "edit"
    checkpoint: CheckpointName
    actor: Actor
    replacement: dict[str, Any] = Field(description="The new output (see graph.edits for each checkpoint).")
    comment: str = ""
    diff: str = Field(default="", description="Unified diff of the step's output, filled when applied.")
    automatic: bool = False
    at: str = Field(default_factory=utc_now)


class RejectDecision(Record):
    """The judge sends the step back to the agent that produced it, with a comment."""

    kind: Literal["reject"] = "reject"
    checkpoint: CheckpointName
    actor: Actor
    comment: str = Field(min_length=1, description="Why; the producing agent re-runs with it.")
    automatic: bool = False
    at: str = Field(default_factory=utc_now)


Decision = Annotated[ApproveDecision | EditDecision | RejectDecision, Field(discriminator="kind")]


class ToolCall(Record):
    """A deterministic tool or query an agent used, with its parameters (for the trace)."""

    tool: str
    params: dict[str, Any] = Field(default_factory=dict)
    result: str = ""


class TraceEvent(Record):
    """One entry of the case's trace: a node run or a decision."""

    kind: Literal["node_run", "decision"] = Field(description="What happened.")
    node: str = Field(description="The graph node.")
    at: str = Field(default_factory=utc_now, description="When it finished.")
    duration_ms: float = Field(default=0.0, description="Wall time of the node's own work.")
    engine: str = Field(default="rules", description="Which engine produced the output.")
    summary: str = Field(default="", description="One line for people.")
    inputs: dict[str, Any] = Field(default_factory=dict, description="What the node read (ids, counts).")
    outputs: dict[str, Any] = Field(default_factory=dict, description="What it produced (ids, counts).")
    tool_calls: list[ToolCall] = Field(default_factory=list, description="Tools and queries used.")
    model_calls: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Model requests of the node: model, backend, settings, prompt hash, tokens, timing, outcome.",
    )


Status = Literal["new", "running", "waiting", "signed", "done"]


class CaseState(BaseModel):
    """The root state of one case's run (the LangGraph state schema)."""

    case_id: str = Field(description="The case's id (also the checkpointer thread id).")
    case_type: str = Field(default="private_lending", description="Case type (selects agents' rules).")
    policy: str = Field(default="civil_simple", description="Name of the policy in force.")
    info: CaseInfo = Field(default_factory=CaseInfo, description="Court, case number, dates, judges.")
    documents: list[Document] = Field(default_factory=list, description="The case documents.")
    facts: list[Fact] = Field(default_factory=list, description="The fact ledger.")
    statutes: list[StatuteRef] = Field(default_factory=list, description="Statutes before the judge.")
    syllogisms: list[Syllogism] = Field(default_factory=list, description="One per claim.")
    draft: Draft | None = Field(default=None, description="The current draft.")
    findings: list[Finding] = Field(default_factory=list, description="Findings on the current draft.")
    decisions: Annotated[list[Decision], operator.add] = Field(
        default_factory=list, description="Every decision at a checkpoint, in order (append-only)."
    )
    trace: Annotated[list[TraceEvent], operator.add] = Field(
        default_factory=list, description="Every node run and decision, in order (append-only)."
    )
    feedback: dict[str, str] = Field(
        default_factory=dict, description="Latest rejection comment per producing node, for its re-run."
    )
    sentencing_overrides: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="Criminal cases: the judge's values for sentencing steps, per syllogism id → step id.",
    )
    judgment: str = Field(default="", description="The signed judgment as Markdown, set by render.")
    signed_by: str = Field(default="", description="role:name of the judge who signed.")

    def fact(self, fact_id: str) -> Fact | None:
        """The fact with this id, if any."""
        return next((f for f in self.facts if f.id == fact_id), None)

    def facts_of(self, kind: FactKind, **details: str) -> list[Fact]:
        """Facts of a kind whose details match every given key/value."""
        return [
            f for f in self.facts if f.kind == kind and all(f.details.get(k) == v for k, v in details.items())
        ]

    def statute(self, statute_id: str) -> StatuteRef | None:
        """The statute reference with this id, if any."""
        return next((s for s in self.statutes if s.id == statute_id), None)

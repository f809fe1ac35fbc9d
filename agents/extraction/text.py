"""Text plumbing for the rules extractor: segments and spans, sentences, clauses, the sections of a
complaint, the turns of a hearing record, the tool matches of each document, and draft facts.

Every offset here is into `Document.text`, so a span's quote is always `text[start:end]`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal, TypeVar

from judgeflow.graph.state import Document, Fact, FactKind, Origin, Span
from judgeflow.tools.amounts import AmountMatch, find_amounts
from judgeflow.tools.dates import DateMatch, find_dates
from judgeflow.tools.rates import RateMatch, find_rates

ORIGIN = Origin(kind="document", name="rules:extract_facts")
SENTENCE_STOPS = frozenset("。！？!?；;\n")
CLAUSE_STOPS = frozenset("，,。！？!?；;\n")
TRIM = frozenset(" \t\u3000\n。，,；;：:、")
# Which documents a court trusts most when they disagree: the hearing record and the exhibit list
# (facts confirmed before the judge), then the pleadings.
KIND_ORDER = {"起诉状": 0, "事实": 0, "答辩状": 1, "证据目录": 2, "庭审笔录": 3, "其他": 4}
KIND_WEIGHT = {"庭审笔录": 2, "证据目录": 2}

CLAIMS_HEAD_RE = re.compile(r"诉讼请求\s*[：:]?")
GROUNDS_HEAD_RE = re.compile(r"事实(?:与|和|及)理由\s*[：:]?")
CLOSING_RE = re.compile(r"^[ \t\u3000]*此致", re.M)
TURN_RE = re.compile(r"^[ \t\u3000]*(?P<speaker>[^\s：:，,。；;（(]{1,16})[：:][ \t\u3000]*", re.M)
HEADER_KEY_RE = re.compile(r"^(?:时间|开庭时间|地点|案号|案由)$")
COURT_SPEAKER_RE = re.compile(r"^(?:审判长|审判员|审|法官|人民陪审员|陪审员|书记员|书|法官助理)$")
PLAINTIFF_SPEAKER_RE = re.compile(r"^原(?:告|代|$)")
DEFENDANT_SPEAKER_RE = re.compile(r"^被(?:告|代|[一二三四五六七八九\d]|$)")
# A date that starts or ends a stretch of time, not an event: 自2023年1月10日起, 至2023年7月9日.
RANGE_BEFORE_RE = re.compile(r"(?:至|到|止|截至|截止|自|从)$")
RANGE_AFTER_RE = re.compile(r"^(?:至|到|起|止|以来|之后|以后|期间|左右)")
DUE_AFTER_RE = re.compile(
    r"^(?:之|以)?前[^，。；,;]{0,8}?(?:归还|偿还|还清|还款|清偿|还本付息|付清|返还|还)|^到期"
)
DUE_BEFORE_RE = re.compile(
    r"(?:还款期限|还款日期|还款日|到期日|到期时间|届满日)(?:也|均)?(?:是|为|定为|至)?$"
    r"|(?:借款期限|借期)(?:为|是)?(?:至|到)$"
)
DUE_TERM_RE = re.compile(
    r"(?:借款期限|借期|期限)(?:为|是)?[^。；;]{0,20}?(?:自|从)?[^。；;]{6,14}?(?:起)?(?:至|到)$"
)
DUE_BY_RE = re.compile(r"(?:于|在|应于|须于|应在)$")
BIRTH_AFTER_RE = re.compile(r"^\s*出生|^生")
SAME_DAY_RE = re.compile(r"同日|当日|当天|同一天")
MAX_SENTENCE = 400  # court sentences are far shorter; longer runs are cut at commas
LOOK_BEHIND = 48  # characters before a date that can say what it is (借款期限自……至)

DateRole = Literal["event", "due", "range", "birth"]
Side = Literal["court", "plaintiff", "defendant", "other"]


@dataclass(frozen=True)
class Segment:
    """A stretch [start, end) of one document's text."""

    doc: Document
    start: int
    end: int

    @property
    def text(self) -> str:
        """The text of the segment."""
        return self.doc.text[self.start : self.end]

    def span(self) -> Span:
        """The segment as a fact's source span."""
        return make_span(self.doc, self.start, self.end)

    def contains(self, start: int, end: int) -> bool:
        """True when [start, end) lies inside the segment."""
        return self.start <= start and end <= self.end


def make_span(doc: Document, start: int, end: int) -> Span:
    """A span whose quote is exactly the document text between the offsets."""
    return Span(document_id=doc.id, start=start, end=end, quote=doc.text[start:end])


def trimmed(doc: Document, start: int, end: int) -> Segment:
    """The segment without surrounding blanks and punctuation."""
    text = doc.text
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return Segment(doc, start, end)


def split(doc: Document, start: int, end: int, stops: frozenset[str]) -> list[Segment]:
    """Cut [start, end) at each stop character; empty pieces are dropped."""
    pieces: list[Segment] = []
    begin = start
    for pos in range(start, end + 1):
        if pos == end or doc.text[pos] in stops:
            piece = trimmed(doc, begin, pos)
            if piece.end > piece.start:
                pieces.append(piece)
            begin = pos + 1
    return pieces


def sentences(doc: Document, start: int = 0, end: int | None = None) -> list[Segment]:
    """The sentences of a document (or of a stretch of it), cut at 。！？；and line ends; a run-on
    longer than MAX_SENTENCE characters (text without full stops) is cut at commas."""
    out: list[Segment] = []
    for sentence in split(doc, start, len(doc.text) if end is None else end, SENTENCE_STOPS):
        out += _capped(sentence) if sentence.end - sentence.start > MAX_SENTENCE else [sentence]
    return out


def _capped(sentence: Segment) -> list[Segment]:
    """Consecutive clauses of a run-on sentence grouped into pieces of at most MAX_SENTENCE characters."""
    pieces: list[Segment] = []
    begin = sentence.start
    last = sentence.start
    for clause in clauses(sentence):
        if clause.end - begin > MAX_SENTENCE and last > begin:
            pieces.append(trimmed(sentence.doc, begin, last))
            begin = clause.start
        last = clause.end
    pieces.append(trimmed(sentence.doc, begin, sentence.end))
    return [p for p in pieces if p.end > p.start]


def clauses(segment: Segment) -> list[Segment]:
    """The clauses of a segment, cut at commas as well."""
    return split(segment.doc, segment.start, segment.end, CLAUSE_STOPS)


def clause_at(segment: Segment, pos: int) -> Segment:
    """The clause of `segment` that holds offset `pos`."""
    for piece in clauses(segment):
        if piece.start <= pos < max(piece.end, piece.start + 1):
            return piece
    return segment


# ---------------------------------------------------------------- complaint sections


@dataclass(frozen=True)
class Sections:
    """Where the parts of a complaint lie: particulars, claims (诉讼请求) and grounds (事实与理由)."""

    head: tuple[int, int]
    claims: tuple[int, int] | None
    grounds: tuple[int, int]


def complaint_sections(doc: Document) -> Sections:
    """Split a complaint into its particulars, claims and grounds (the grounds end at 此致)."""
    text = doc.text
    claims_head = CLAIMS_HEAD_RE.search(text)
    grounds_head = GROUNDS_HEAD_RE.search(text, claims_head.end() if claims_head else 0)
    closing = CLOSING_RE.search(text, grounds_head.end() if grounds_head else 0)
    end = closing.start() if closing else len(text)
    if claims_head is None:
        start = grounds_head.end() if grounds_head else 0
        return Sections(head=(0, start), claims=None, grounds=(start, end))
    claims_end = grounds_head.start() if grounds_head else end
    grounds_start = grounds_head.end() if grounds_head else claims_end
    return Sections(
        head=(0, claims_head.start()), claims=(claims_head.end(), claims_end), grounds=(grounds_start, end)
    )


# ---------------------------------------------------------------- hearing-record turns


@dataclass(frozen=True)
class Turn:
    """One speaker's turn in a hearing record: who, which side, and what was said."""

    doc: Document
    start: int  # where the words begin (after the colon)
    end: int
    speaker: str
    side: Side
    party: str  # the party's name when the speaker label or the case makes it plain
    question: str  # the court's last words before this turn

    @property
    def text(self) -> str:
        """What was said."""
        return self.doc.text[self.start : self.end]

    @property
    def segment(self) -> Segment:
        """The turn's words as a segment."""
        return Segment(self.doc, self.start, self.end)


def speaker_side(speaker: str) -> Side:
    """The side a speaker label stands for (审判员 → court, 原告代理人 → plaintiff …)."""
    if COURT_SPEAKER_RE.match(speaker):
        return "court"
    if PLAINTIFF_SPEAKER_RE.match(speaker):
        return "plaintiff"
    if DEFENDANT_SPEAKER_RE.match(speaker):
        return "defendant"
    return "other"


def turns(doc: Document, plaintiffs: list[str], defendants: list[str]) -> list[Turn]:
    """The speakers' turns of a hearing record, one per line, with the court's last question."""
    out: list[Turn] = []
    question = ""
    line_start = 0
    for line in doc.text.split("\n"):
        line_end = line_start + len(line)
        m = TURN_RE.match(line)
        if m and not HEADER_KEY_RE.match(m.group("speaker")):
            speaker = m.group("speaker")
            side = speaker_side(speaker)
            named = plaintiffs if side == "plaintiff" else defendants if side == "defendant" else []
            party = next((n for n in named if n in speaker), named[0] if len(named) == 1 else "")
            turn = Turn(doc, line_start + m.end(), line_end, speaker, side, party, question)
            out.append(turn)
            if side == "court":
                question = turn.text
        line_start = line_end + 1
    return out


# ---------------------------------------------------------------- tool matches


M = TypeVar("M", AmountMatch, DateMatch, RateMatch)


def _within(matches: list[M], starts: list[int], seg: Segment) -> list[M]:
    """The matches inside a segment (matches sorted by start, `starts` their start offsets)."""
    low, high = bisect_left(starts, seg.start), bisect_left(starts, seg.end)
    return [m for m in matches[low:high] if m.end <= seg.end]


@dataclass
class DocIndex:
    """The tools' matches in one document, computed once and kept in text order."""

    doc: Document
    amounts: list[AmountMatch]
    dates: list[DateMatch]
    rates: list[RateMatch]

    def __post_init__(self) -> None:
        self.amounts.sort(key=lambda m: m.start)
        self.dates.sort(key=lambda m: m.start)
        self.rates.sort(key=lambda m: m.start)
        self._amount_starts = [m.start for m in self.amounts]
        self._date_starts = [m.start for m in self.dates]
        self._rate_starts = [m.start for m in self.rates]

    def amounts_in(self, seg: Segment) -> list[AmountMatch]:
        """Amounts inside a segment."""
        return _within(self.amounts, self._amount_starts, seg)

    def dates_in(self, seg: Segment) -> list[DateMatch]:
        """Full (day-precision) dates inside a segment."""
        return [m for m in _within(self.dates, self._date_starts, seg) if m.precision == "day"]

    def rates_in(self, seg: Segment) -> list[RateMatch]:
        """Rates inside a segment."""
        return _within(self.rates, self._rate_starts, seg)

    def date_role(self, m: DateMatch, sentence: Segment) -> DateRole:
        """What a date in a sentence is: an event, a due date, a bound of a stretch, or a birth date."""
        text = self.doc.text
        before = text[max(sentence.start, m.start - LOOK_BEHIND) : m.start]
        after = text[m.end : min(sentence.end + 1, m.end + 14)]
        if BIRTH_AFTER_RE.match(after):
            return "birth"
        if DUE_AFTER_RE.match(after) or DUE_BEFORE_RE.search(before):
            return "due"
        if DUE_BY_RE.search(before) and after.startswith(("前", "之前", "以前")):
            return "due"
        if RANGE_BEFORE_RE.search(before) and DUE_TERM_RE.search(before):
            return "due"
        if RANGE_BEFORE_RE.search(before) or RANGE_AFTER_RE.match(after):
            return "range"
        return "event"

    def event_dates(self, sentence: Segment) -> list[DateMatch]:
        """Dates in a sentence on which something happened (not due dates, bounds or births)."""
        return [m for m in self.dates_in(sentence) if self.date_role(m, sentence) == "event"]


def index_document(doc: Document) -> DocIndex:
    """Run the amount, date and rate finders over one document."""
    return DocIndex(doc, find_amounts(doc.text), find_dates(doc.text), find_rates(doc.text))


# ---------------------------------------------------------------- draft facts


@dataclass
class Draft:
    """A fact being assembled: its spans grow as more documents are found to state it."""

    kind: FactKind
    label: str
    value: str
    details: dict[str, str] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)

    def add(self, *spans: Span) -> Draft:
        """Add source spans, skipping any already held or overlapping one held in the same document."""
        for span in spans:
            if any(
                s.document_id == span.document_id and s.start < span.end and span.start < s.end
                for s in self.spans
            ):
                continue
            self.spans.append(span)
        return self

    def fact(self, fact_id: str) -> Fact:
        """The finished ledger fact, its spans in document order."""
        spans = sorted(self.spans, key=lambda s: (id_number(s.document_id), s.document_id, s.start))
        return Fact(
            id=fact_id,
            kind=self.kind,
            label=self.label,
            value=self.value,
            details={k: v for k, v in self.details.items() if v},
            spans=spans,
            origin=ORIGIN,
        )


@dataclass(frozen=True)
class Vote:
    """One document's statement of a value, with the span that says it."""

    value: str
    span: Span
    weight: int


def tally(votes: list[Vote]) -> tuple[str, list[Span], list[str]]:
    """The best-supported value, the spans that state it, and the other values stated (if any).

    The hearing record and the exhibit list count double; a tie goes to the value stated first.
    """
    if not votes:
        return "", [], []
    totals: dict[str, int] = {}
    for v in votes:
        totals[v.value] = totals.get(v.value, 0) + v.weight
    best = max(totals, key=lambda value: totals[value])  # dicts keep first-seen order for ties
    return best, [v.span for v in votes if v.value == best], [value for value in totals if value != best]


def weight(doc: Document) -> int:
    """How much a statement in this document counts when documents disagree."""
    return KIND_WEIGHT.get(doc.kind, 1)


def decimal_text(value: Decimal) -> str:
    """A rate as a plain decimal string: Decimal('0.2400') → '0.24'."""
    text = f"{value.normalize():f}"
    return text if text != "-0" else "0"


def iso_date(value: date) -> str:
    """A date in ISO form."""
    return value.isoformat()


def id_number(item_id: str) -> int:
    """The number in an id such as 'D3' or 'F12' (0 when there is none), for ordering."""
    digits = "".join(c for c in item_id if c.isdigit())
    return int(digits) if digits else 0


def ordered(documents: list[Document]) -> list[Document]:
    """Documents in the order a court reads them: complaint, answer, exhibits, hearing record, others."""
    return sorted(documents, key=lambda d: (KIND_ORDER.get(d.kind, 9), id_number(d.id), d.id))

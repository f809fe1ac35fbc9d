"""Parties: who sues whom, their particulars as the pleadings list them, and their part in the loan.

Particulars come from the lines courts and lawyers write ("原告：张伟，男，1985年3月12日出生，汉族，
住……，公民身份号码……。"); the complaint's lines make the parties, the same person's lines in the
answer or the hearing record add spans and fill particulars the complaint left out. The capacity
(出借人/借款人/保证人) is read from what the documents say each party did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from judgeflow.agents.extraction.text import Draft, Segment, complaint_sections, make_span, ordered, sentences
from judgeflow.graph.state import Document
from judgeflow.tools.dates import find_dates, iso

PARTY_LINE_RE = re.compile(
    r"^[ \t\u3000]*(?P<role>原告|被告|第三人|答辩人|被答辩人)[一二三四五六七八九十\d]*"
    r"(?:[（(](?P<sub>[^）)\n]{1,12})[）)])?[ \t]*[：:][ \t]*"
    r"(?P<name>[^，,。：:\n（(]{1,40}?)[ \t]*(?:[（(][^）)\n]*[）)])?[ \t]*[，,](?P<rest>[^\n]*?)[ \t]*$",
    re.M,
)
PARTICULARS_RE = re.compile(r"男|女|出生|住|身份|法定代表人|统一社会信用代码|负责人")
FOLLOWING_LINE_RE = re.compile(
    r"\n[ \t\u3000]*(?P<key>委托诉讼代理人|委托代理人|诉讼代理人|法定代表人|负责人)[：:][ \t]*"
    r"(?P<text>[^\n]+?)[。.]?[ \t]*(?=\n|$)"
)
ETHNICITY_RE = re.compile(r"^[\u4e00-\u9fff]{1,6}族$")
ADDRESS_RE = re.compile(r"^(?:住所地|住址|住所|户籍地|住)[：:]?(?P<address>.+)$")
ID_RE = re.compile(
    r"^(?:公民身份号码|身份证号码|身份证号|居民身份证号码?)[：:为]?\s*(?P<id>[0-9Xx*＊]{6,18})"
)
ORG_NAME_RE = re.compile(r"公司|集团|银行|合作社|事务所|协会|中心|商行|厂$")
UNINCORPORATED_RE = re.compile(r"合伙企业|个体工商户|分公司|经营部")
GUARANTEE_WORD_RE = re.compile(
    r"保证人|担保人|连带保证|连带责任保证|保证责任|担保责任|提供(?:连带(?:责任)?)?(?:保证|担保)|作保"
)
LENDING_RE = re.compile(r"借款|借条|借据|出借|借贷|借给")
ROLE_OF = {"原告": "原告", "被告": "被告", "第三人": "第三人", "答辩人": "被告", "被答辩人": "原告"}


@dataclass
class Party:
    """One party as read so far: role, particulars and the lines that state them."""

    name: str
    role: str
    details: dict[str, str] = field(default_factory=dict)
    draft: Draft | None = None


def particulars(rest: str) -> dict[str, str]:
    """Gender, birth date (ISO), ethnicity, address and ID number from the text after a party's name."""
    found: dict[str, str] = {}
    for part in (p.strip() for p in re.split(r"[，,]", rest.strip().rstrip("。.;；"))):
        if part in ("男", "女"):
            found.setdefault("gender", part)
        elif "出生" in part or "生于" in part:
            dates = [d for d in find_dates(part) if d.precision == "day"]
            if dates:
                found.setdefault("birth_date", iso(dates[0].value))
        elif ETHNICITY_RE.match(part):
            found.setdefault("ethnicity", part)
        elif m := ADDRESS_RE.match(part):
            found.setdefault("address", m.group("address").strip())
        elif m := ID_RE.match(part):
            found.setdefault("id_number", m.group("id"))
    return found


def _person(name: str, rest: str) -> str:
    if UNINCORPORATED_RE.search(name):
        return "非法人组织"
    if ORG_NAME_RE.search(name) or re.search(r"统一社会信用代码|法定代表人|住所地", rest):
        return "法人"
    return "自然人"


def _lines(doc: Document, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
    stop = len(doc.text) if end is None else end
    found = PARTY_LINE_RE.finditer(doc.text, start, stop)
    return [m for m in found if PARTICULARS_RE.search(m.group("rest"))]


def _line_span(doc: Document, m: re.Match[str]) -> Segment:
    end = m.end("rest")
    return Segment(doc, m.start("role"), end)


def _following(doc: Document, m: re.Match[str], party: Party) -> None:
    """法定代表人 / 委托诉讼代理人 lines right under a party's line."""
    pos = m.end()
    while (nxt := FOLLOWING_LINE_RE.match(doc.text, pos)) is not None:
        key = "representative" if nxt.group("key") in ("法定代表人", "负责人") else "agent"
        party.details.setdefault(key, nxt.group("text").strip())
        pos = nxt.end()


def read_parties(documents: list[Document]) -> list[Party]:
    """Parties from the complaint's particulars lines (any document's when there is no complaint)."""
    docs = ordered(documents)
    complaints = [d for d in docs if d.kind == "起诉状"]
    sources = complaints if any(_lines(d) for d in complaints) else docs
    parties: dict[str, Party] = {}
    for doc in sources:
        head_end = complaint_sections(doc).head[1] if doc.kind == "起诉状" else None
        for m in _lines(doc, 0, head_end or None):
            role = ROLE_OF[m.group("role")]
            if m.group("sub") in ROLE_OF:
                role = ROLE_OF[m.group("sub") or ""]
            name = m.group("name").strip()
            if name in parties:
                continue
            party = Party(name=name, role=role)
            party.details = {
                "role": role,
                **particulars(m.group("rest")),
                "person": _person(name, m.group("rest")),
            }
            party.draft = Draft("party", role, name).add(_line_span(doc, m).span())
            _following(doc, m, party)
            parties[name] = party
    for doc in docs:  # the same people's lines elsewhere: more spans, missing particulars
        for m in _lines(doc):
            party_or_none = parties.get(m.group("name").strip())
            if party_or_none is None or party_or_none.draft is None:
                continue
            party_or_none.draft.add(make_span(doc, m.start("role"), m.end("rest")))
            for key, value in particulars(m.group("rest")).items():
                party_or_none.details.setdefault(key, value)
    return list(parties.values())


def _guarantor_near(clause: str, names: list[str]) -> set[str]:
    """Names a guarantee word in a clause points at: right after it, else the nearest before, else after."""
    found: set[str] = set()
    for word in GUARANTEE_WORD_RE.finditer(clause):
        after = [(clause.find(n, word.end()), n) for n in names if n in clause[word.end() :]]
        before = [(clause.rfind(n, 0, word.start()), n) for n in names if n in clause[: word.start()]]
        close = [n for pos, n in after if pos - word.end() <= 3]
        if close:
            found.add(close[0])
        elif before:
            found.add(max(before)[1])
        elif after:
            found.add(min(after)[1])
    return found


def assign_capacities(parties: list[Party], documents: list[Document]) -> None:
    """出借人 for plaintiffs of a loan; 保证人 for defendants named as guarantors; 借款人 for the rest."""
    defendants = [p.name for p in parties if p.role == "被告"]
    lending = any(LENDING_RE.search(d.text) for d in documents)
    guarantors: set[str] = set()
    for doc in documents:
        for sentence in sentences(doc):
            for clause in re.split(r"[，,]", sentence.text):
                guarantors |= _guarantor_near(clause, defendants)
    if defendants and guarantors >= set(defendants):
        guarantors.discard(defendants[0])  # someone must have borrowed
    for party in parties:
        if party.role == "原告" and lending:
            party.details["capacity"] = "出借人"
        elif party.role == "被告" and party.name in guarantors:
            party.details["capacity"] = "保证人"
        elif party.role == "被告" and lending:
            party.details["capacity"] = "借款人"


def party_drafts(parties: list[Party]) -> list[Draft]:
    """The parties as draft facts: plaintiffs, then defendants, then third parties, each in order read."""
    rank = {"原告": 0, "被告": 1, "第三人": 2}
    drafts = []
    for party in sorted(parties, key=lambda p: rank.get(p.role, 3)):
        if party.draft is None:
            continue
        party.draft.details = dict(party.details)
        party.draft.label = party.role
        drafts.append(party.draft)
    return drafts

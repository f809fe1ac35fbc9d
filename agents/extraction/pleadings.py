"""Pleadings: the plaintiff's claims (诉讼请求, one fact per numbered item) and the defendants'
defences (one per distinct argument in an answer, or stated at the hearing when answering).

A defence's value is the argument's opening sentence in the third person (答辩人/我 → 其,
被答辩人 → 原告), as a judgment's 诉辩意见 reports it; its span is that sentence as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from judgeflow.agents.extraction.context import Context
from judgeflow.agents.extraction.text import (
    Draft,
    Segment,
    complaint_sections,
    decimal_text,
    iso_date,
    sentences,
    split,
    trimmed,
)
from judgeflow.graph.state import Document
from judgeflow.tools.amounts import format_yuan

CLAIM_ITEM_RE = re.compile(
    r"(?:^|(?<=[\n；;。：:]))[ \t\u3000]*(?P<n>\d{1,2}|[一二三四五六七八九十]{1,2})[.、．）)]\s*"
)
COSTS_RE = re.compile(r"诉讼费|受理费|保全费|公告费|鉴定费")
GUARANTEE_CLAIM_RE = re.compile(r"连带|保证责任|担保责任|保证人|担保人")
INTEREST_RE = re.compile(r"利息|逾期|资金占用|违约金")
PRINCIPAL_RE = re.compile(r"本金|借款|欠款|本息|还款|欠付")
BASE_RE = re.compile(r"为基数|基数为")
FROM_RE = re.compile(r"(?:自|从)$")
CLAIMED_INTEREST_RE = re.compile(r"(?:暂计|暂算|计至[^，。；]*?为|共计|合计|利息)$")
ALL_DEFENDANTS_RE = re.compile(r"被告")

ANSWERER_RE = re.compile(
    r"^[ \t\u3000]*答辩人(?:[（(][^）)\n]*[）)])?[ \t]*[：:][ \t]*(?P<name>[^，,。\n（(]{1,40})", re.M
)
BODY_START_RE = re.compile(r"答辩(?:意见)?如下[：:]?|答辩意见[：:]|现答辩如下[：:]?")
BODY_END_RE = re.compile(r"^[ \t\u3000]*(?:综上|此致)", re.M)
ITEM_RE = re.compile(
    r"^[ \t\u3000]*(?:[一二三四五六七八九十]{1,3}、|\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]{1,3}[）)])"
    r"[ \t]*",
    re.M,
)
ANSWER_PROMPT_RE = re.compile(r"答辩")
REFERENCE_CLAUSE_RE = re.compile(r"[，,]?(?:答辩意见|意见)同答辩状[，,。]?")
GUARANTEE_PERIOD_TOPIC_RE = re.compile(r"保证期间|保证期限|担保期间|担保期限|超过保证|不再承担保证责任")
REPAYMENT_TOPIC_RE = re.compile(
    r"冲抵|抵扣|抵充|抵偿|(?:先|优先)(?:还|偿还|归还)本金|应当?(?:计入|算作|视为)本金"
)
INTEREST_TOPIC_RE = re.compile(r"利率|利息|年息|月息|四倍|报价利率|LPR|高利|砍头息")
ADMISSION_RE = re.compile(r"无异议|没有异议|属实|认可|是事实|确认|承认")
CONTRARY_RE = re.compile(r"但|然而|不过|却")
PRINCIPAL_TOPIC_RE = re.compile(r"困难|无力|分期|宽限|没有能力|无能力|延期|缓|本金|没钱|没有钱")


# ---------------------------------------------------------------- claims


def _claim_items(doc: Document, start: int, end: int) -> list[tuple[str, Segment]]:
    marks = list(CLAIM_ITEM_RE.finditer(doc.text, start, end))
    if not marks:
        whole = trimmed(doc, start, end)
        return [("1", whole)] if whole.end > whole.start else []
    items = []
    for i, m in enumerate(marks):
        stop = marks[i + 1].start() if i + 1 < len(marks) else end
        items.append((m.group("n"), trimmed(doc, m.end(), stop)))
    return items


def claim_type(text: str) -> str:
    """principal / interest / guarantee / costs / other, from the words of one claim."""
    if COSTS_RE.search(text):
        return "costs"
    if GUARANTEE_CLAIM_RE.search(text):
        return "guarantee"
    if INTEREST_RE.search(text) and (BASE_RE.search(text) or not PRINCIPAL_RE.search(text)):
        return "interest"
    if PRINCIPAL_RE.search(text):
        return "principal"
    return "other"


def _claim_details(ctx: Context, seg: Segment, kind: str) -> dict[str, str]:
    index = ctx.index[seg.doc.id]
    text = seg.doc.text
    details: dict[str, str] = {"type": kind}
    amounts = index.amounts_in(seg)
    for a in amounts:
        after = text[a.end : a.end + 4]
        before = text[max(seg.start, a.start - 8) : a.start]
        if BASE_RE.match(after) or after.startswith("为基"):
            details["base"] = format_yuan(a.value)
        elif (kind == "interest" and CLAIMED_INTEREST_RE.search(before)) or (
            kind in ("principal", "costs", "other") and "amount" not in details
        ):
            details["amount"] = format_yuan(a.value)
    rate = next(iter(index.rates_in(seg)), None)
    if rate is not None:
        details.update(rate=decimal_text(rate.rate.annual), stated=rate.rate.stated)
    for d in index.dates_in(seg):
        if FROM_RE.search(text[max(seg.start, d.start - 2) : d.start]):
            details["from_date"] = iso_date(d.value)
            break
    defendants = ctx.names("被告")
    named = [n for n in defendants if n in seg.text]
    if not named and ALL_DEFENDANTS_RE.search(seg.text):
        named = defendants
    if named:
        details["defendants"] = "、".join(named)
    return details


def claims(ctx: Context) -> list[Draft]:
    """One claim per numbered 诉讼请求 item of the complaint(s), as the plaintiff words it."""
    drafts: list[Draft] = []
    for doc in ctx.of_kind("起诉状"):
        section = complaint_sections(doc).claims
        if section is None:
            continue
        for number, seg in _claim_items(doc, *section):
            value = seg.text.rstrip("；;。.，, ")
            seg = Segment(doc, seg.start, seg.start + len(value))
            index = str(len(drafts) + 1) if not number.isdigit() else number
            details = {"index": index, **_claim_details(ctx, seg, claim_type(value))}
            drafts.append(Draft("claim", f"诉讼请求{index}", value, details).add(seg.span()))
    return drafts


# ---------------------------------------------------------------- defences


@dataclass
class _Defence:
    party: str
    topic: str
    admission: bool
    draft: Draft


def defence_topic(text: str) -> tuple[str, bool]:
    """The topic of one argument (principal/interest/repayment/guarantee_period/other) and whether it
    only admits a fact."""
    if GUARANTEE_PERIOD_TOPIC_RE.search(text):
        return "guarantee_period", False
    if REPAYMENT_TOPIC_RE.search(text):
        return "repayment", False
    if INTEREST_TOPIC_RE.search(text):
        return "interest", False
    if ADMISSION_RE.search(text) and not CONTRARY_RE.search(text):
        return "other", True
    if PRINCIPAL_TOPIC_RE.search(text):
        return "principal", False
    return "other", False


def third_person(text: str) -> str:
    """An argument as the court reports it: 被答辩人 → 原告, 答辩人/我 → 其, no closing stop."""
    text = REFERENCE_CLAUSE_RE.sub("，", text).strip("，,。；; ")
    text = text.replace("被答辩人", "原告")
    for lead in ("答辩人的", "答辩人", "我的", "我方", "我"):
        if text.startswith(lead):
            text = text[len(lead) :]
            break
    return text.replace("答辩人的", "其").replace("答辩人", "其").replace("我的", "其").replace("我", "其")


def _answer_arguments(doc: Document) -> list[tuple[Segment, str]]:
    """The opening sentence of each numbered argument (or paragraph) of an answer's body, with the
    argument's whole text."""
    text = doc.text
    body_start = BODY_START_RE.search(text)
    if body_start is not None:
        start = body_start.end()
    else:
        answerer = ANSWERER_RE.search(text)
        start = text.find("\n", answerer.end()) + 1 if answerer else 0
    end_match = BODY_END_RE.search(text, start)
    end = end_match.start() if end_match else len(text)
    items = list(ITEM_RE.finditer(text, start, end))
    blocks = (
        [(m.end(), items[i + 1].start() if i + 1 < len(items) else end) for i, m in enumerate(items)]
        if items
        else [(s.start, s.end) for s in split(doc, start, end, frozenset("\n"))]
    )
    firsts = []
    for a, b in blocks:
        found = sentences(doc, a, b)
        if found:
            firsts.append((found[0], doc.text[a:b]))
    return firsts


def _answer_party(ctx: Context, doc: Document) -> str:
    defendants = ctx.names("被告")
    m = ANSWERER_RE.search(doc.text)
    if m:
        named = [n for n in defendants if n in m.group("name")]
        if named:
            return named[0]
    return defendants[0] if len(defendants) == 1 else ""


def _add(found: list[_Defence], party: str, seg: Segment, merge: bool, whole: str = "") -> None:
    value = third_person(seg.text)
    if not value:
        return
    topic, admission = defence_topic(seg.text)
    if topic == "other" and not admission and GUARANTEE_PERIOD_TOPIC_RE.search(whole):
        topic = "guarantee_period"  # e.g. "the message was no demand", argued to show the period ran out
    if merge:
        for d in found:
            if d.party == party and d.topic == topic and d.admission == admission:
                d.draft.add(seg.span())
                return
    draft = Draft("defence", f"{party}的抗辩" if party else "抗辩", value, {"party": party, "topic": topic})
    found.append(_Defence(party, topic, admission, draft.add(seg.span())))


def _per_line_answers(ctx: Context, doc: Document) -> list[tuple[str, Segment]]:
    """Answers written as one line per defendant ("李强：……")."""
    out = []
    for name in ctx.names("被告"):
        line = re.compile(rf"^[ \t\u3000]*(?:被告)?{re.escape(name)}[：:](?P<text>[^\n]+)$", re.M)
        out += [(name, trimmed(doc, m.start("text"), m.end("text"))) for m in line.finditer(doc.text)]
    return sorted(out, key=lambda item: item[1].start)


def defences(ctx: Context) -> list[Draft]:
    """Each defendant's arguments: the answer's numbered items, then what is said at the hearing when
    the court calls for the answer (a point already made adds a span; a new one adds a fact)."""
    found: list[_Defence] = []
    for doc in ctx.of_kind("答辩状"):
        per_line = _per_line_answers(ctx, doc)
        if per_line:
            for party, seg in per_line:
                _add(found, party, seg, merge=False)
            continue
        party = _answer_party(ctx, doc)
        for seg, whole in _answer_arguments(doc):
            _add(found, party, seg, merge=False, whole=whole)
    for turns in ctx.turns.values():
        answering = False
        for turn in turns:
            if turn.side == "court":
                answering = bool(ANSWER_PROMPT_RE.search(turn.text))
                continue
            if not answering or turn.side != "defendant" or not turn.party:
                continue
            for seg in sentences(turn.doc, turn.start, turn.end):
                _add(found, turn.party, seg, merge=True)
    return [d.draft for d in found]

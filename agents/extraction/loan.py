"""The loan itself: principal, when the IOU was written, when the money was handed over, when it was
due, the agreed term and rates, what was repaid and when, the guarantee, and the creditor's demands.

Values that every document should agree on (principal, dates, rate, term) are put to a vote among
the documents that state them — the hearing record and the exhibit list count double — and the
fact keeps every span that states the winning value; a different value stated elsewhere is named in
the fact's `conflict` detail rather than dropped in silence. Repayments and demands are events:
one fact per (date, amount) or (date, party), with a span from each document that states it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from judgeflow.agents.extraction.context import Context, Passage
from judgeflow.agents.extraction.text import (
    SAME_DAY_RE,
    Draft,
    Segment,
    Vote,
    clause_at,
    clauses,
    decimal_text,
    iso_date,
    tally,
    trimmed,
)
from judgeflow.graph.state import FactKind
from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import AmountMatch, format_yuan
from judgeflow.tools.dates import DateMatch, parse_period

BORROWED_RE = re.compile(r"借款|借到|借给|出借|借予|借了|借走|转账|交付|收到|转给|汇款|打款|本金")
NOT_PRINCIPAL_RE = re.compile(
    r"还|尚欠|欠款|余款|剩余|冲抵|抵扣|抵充|共计|合计|累计|总计|利息|基数|本息|违约金|费|其中|其余|每月|每个月"
    r"|向原告(?:转账|支付|汇款|转款)|转到原告|转给原告|给原告"
)
CONTRACT_RE = re.compile(
    r"(?:出具|写下?|立下?|签订|签署|签下|打了?)[^，。；,;]{0,8}?(?:借条|借据|欠条|借款合同|借款协议)"
    r"|(?:借条|借据|欠条|借款合同|借款协议)[^。；;]{0,24}?(?:写的|出具的|签的|写好|签订的)"
)
DELIVERY_RE = re.compile(r"转账|汇款|打款|转给|交付|出借(?!人)|借给|提供借款|支付借款|现金")
NOT_DELIVERY_RE = re.compile(r"还|向原告|给原告|转到原告|冲抵|抵扣|次日|第二天|此后|后来")
TERM_RE = re.compile(
    r"(?:借款期限|借期|还款期限)(?:为|是)?(?P<period>(?:\d{1,3}|[一二三四五六七八九十两半]{1,3})\s*(?:个月|年|天|日))"
)
AGREED_RE = re.compile(r"约定|载明|借条|借据|写明|写的|利息按|利率为|说好|协议")
NOT_AGREED_RE = re.compile(
    r"上限|四倍|报价利率|LPR|法律保护|超过|超出|受法律保护|支持|调整|主张|请求|诉请|太高|过高|违法|无效"
)
OVERDUE_RE = re.compile(r"逾期|违约")
REPAY_RE = re.compile(
    r"还|支付(?:了)?(?:借款)?利息|付息|向原告(?:转账|支付|汇款|转款)|转到原告|转给原告|给原告|向我(?:转账|支付)"
)
NOT_REPAY_RE = re.compile(r"向被告|给被告|借给|出借|交付|向原告借|向被答辩人借|催|要求|起诉|借款(?!本金)")
SUM_BEFORE_RE = re.compile(r"(?:共计|合计|累计|总计|共)$")
LIST_GAP_RE = re.compile(r"^\s*(?:、|和|及|与|，)\s*(?:于)?\s*$")
DEMAND_RE = re.compile(
    r"催要|催款|催收|催讨|催还|催告|追讨|索要|讨要|主张(?:了)?(?:保证|担保)?(?:责任|权利|债权)"
    r"|要求(?:其|他|她|被告|[^，。；,;]{0,8}?)(?:承担|偿还|还款|归还|履行|还钱)|律师函|催款函|催告函"
)
NOT_DEMAND_RE = re.compile(r"不构成|并非|不属于|不是|不能认定|没有(?:向|要求|主张|催)|未(?:向|曾)")
OTHER_EVENT_RE = re.compile(r"借款(?!本金)|出具|转账|交付|到期后")
GUARANTEE_RE = re.compile(
    r"保证人|担保人|连带(?:责任)?保证|一般保证|提供(?:连带(?:责任)?)?(?:保证|担保)|作保"
)
GUARANTEE_SPAN_RE = re.compile(GUARANTEE_RE.pattern + r"|保证期间|保证责任|担保责任|签字|签名|签的字")
JOINT_RE = re.compile(r"连带(?:责任)?保证|连带责任")
GENERAL_RE = re.compile(r"一般保证")
GUARANTEE_PERIOD_RE = re.compile(
    r"保证期间(?:为|是|约定为)?(?P<period>(?:\d{1,3}|[一二三四五六七八九十两半]{1,3})\s*(?:个月|年|天|日))"
)
NOT_AGREED_PERIOD_RE = re.compile(r"未约定|没有约定|没有写|未写|法律规定|依照|依法|届满之日起")
SCOPE_RE = re.compile(r"保证范围(?:为|是|包括)(?P<scope>[^，。；,;\n]+)")
MENTION_PREFIX = r"(?:向|给|对|要求|催促?)(?:被告|保证人|担保人|借款人)?"


def _voted(kind: FactKind, label: str, votes: list[Vote], **details: str) -> Draft | None:
    value, spans, others = tally(votes)
    if not value:
        return None
    draft = Draft(kind, label, value, dict(details)).add(*spans)
    if others:
        draft.details["conflict"] = "、".join(others)
    return draft


def _from_to(seg: Segment, start: int) -> Segment:
    """From `start` (a date before the clause) to the end of the clause."""
    return trimmed(seg.doc, min(start, seg.start), seg.end)


# ---------------------------------------------------------------- principal


def principal(ctx: Context) -> Draft | None:
    """The sum lent: the amount the documents say was borrowed or handed over (not repaid or owed)."""
    votes: list[Vote] = []
    for p in ctx.passages:
        for m in p.index.amounts_in(p.sentence):
            clause = clause_at(p.sentence, m.start)
            before = p.doc.text[clause.start : m.start]
            if BORROWED_RE.search(before) and not NOT_PRINCIPAL_RE.search(before):
                votes.append(Vote(format_yuan(m.value), clause.span(), p.weight))
                break
    draft = _voted("amount", "借款本金", votes, purpose="principal")
    ctx.principal = Decimal(draft.value) if draft else None
    return draft


# ---------------------------------------------------------------- dates and term


def _date_for(p: Passage, clause: Segment, last: DateMatch | None) -> tuple[DateMatch | None, Segment]:
    """The event date a clause speaks of: in the clause, else the nearest before it in the sentence,
    else (同日/当日) the date of the sentence before."""
    events = p.index.event_dates(p.sentence)
    inside = [d for d in events if clause.contains(d.start, d.end)]
    if inside:
        return inside[0], clause
    before = [d for d in events if d.end <= clause.start]
    if before:
        return before[-1], _from_to(clause, before[-1].start)
    if SAME_DAY_RE.search(clause.text) and last is not None:
        return last, clause
    return None, clause


def _principal_words(p: Passage, ctx: Context) -> bool:
    said = p.text
    return "借款" in said or (
        ctx.principal is not None and any(m.value == ctx.principal for m in p.index.amounts_in(p.sentence))
    )


def loan_dates(ctx: Context) -> list[Draft]:
    """借条出具日 (contract_date), 借款交付日 (loan_date) and 约定还款日 (due_date)."""
    contract: list[Vote] = []
    delivery: list[Vote] = []
    due: list[Vote] = []
    last: dict[str, DateMatch] = {}
    for p in ctx.passages:
        for d in p.index.dates_in(p.sentence):
            if p.index.date_role(d, p.sentence) == "due":
                due.append(Vote(iso_date(d.value), clause_at(p.sentence, d.start).span(), p.weight))
        for clause in clauses(p.sentence):
            if CONTRACT_RE.search(clause.text):
                found, seg = _date_for(p, clause, last.get(p.doc.id))
                if found:
                    contract.append(Vote(iso_date(found.value), seg.span(), p.weight))
            if (
                DELIVERY_RE.search(clause.text)
                and not NOT_DELIVERY_RE.search(clause.text)
                and _principal_words(p, ctx)
            ):
                found, seg = _date_for(p, clause, last.get(p.doc.id))
                if found:
                    delivery.append(Vote(iso_date(found.value), seg.span(), p.weight))
        events = p.index.event_dates(p.sentence)
        if events:
            last[p.doc.id] = events[-1]
    drafts = [
        _voted("date", "借条出具日期", contract, purpose="contract_date"),
        _voted("date", "借款交付日期", delivery, purpose="loan_date"),
        _voted("date", "约定还款日期", due, purpose="due_date"),
    ]
    return [d for d in drafts if d is not None]


def _period(text: str, call: Callable[[str, dict[str, str], str], None]) -> str:
    """A period in ledger form ("6 months"), or "" when the numeral cannot be read (十十个月)."""
    try:
        period = str(parse_period(text))
    except ToolInputError as exc:
        call("parse_period", {"text": text}, f"无法识别：{exc}")
        return ""
    call("parse_period", {"text": text}, period)
    return period


def loan_term(ctx: Context, call: Callable[[str, dict[str, str], str], None]) -> Draft | None:
    """The agreed term of the loan (借款期限一年 → "1 year"), when stated as a length."""
    votes: list[Vote] = []
    for p in ctx.passages:
        for m in TERM_RE.finditer(p.text):
            period = _period(m.group("period"), call)
            if not period:
                continue
            start = p.sentence.start + m.start()
            votes.append(Vote(period, trimmed(p.doc, start, p.sentence.start + m.end()).span(), p.weight))
    return _voted("period", "借款期限", votes, purpose="loan_term")


# ---------------------------------------------------------------- rates


def rates(ctx: Context) -> list[Draft]:
    """The agreed rate(s), as annual decimals: one fact for interest, one for overdue interest if stated."""
    votes: dict[str, list[Vote]] = {"interest": [], "overdue": []}
    stated: dict[tuple[str, str], tuple[str, str]] = {}
    for p in ctx.passages:
        if not AGREED_RE.search(p.context) or NOT_AGREED_RE.search(p.text):
            continue
        seen: set[tuple[str, str]] = set()
        for m in p.index.rates_in(p.sentence):
            clause = clause_at(p.sentence, m.start)
            purpose = "overdue" if OVERDUE_RE.search(clause.text) else "interest"
            value = decimal_text(m.rate.annual)
            if (purpose, value) in seen:
                continue  # 月利率2%（即年利率24%）: one statement
            seen.add((purpose, value))
            votes[purpose].append(Vote(value, clause.span(), p.weight))
            stated.setdefault((purpose, value), (m.rate.stated, m.rate.basis))
    drafts = []
    for purpose, label in (("interest", "约定利率"), ("overdue", "约定逾期利率")):
        draft = _voted("rate", label, votes[purpose], purpose=purpose)
        if draft is not None:
            words, basis = stated[(purpose, draft.value)]
            draft.details.update(stated=words, basis=basis)
            drafts.append(draft)
    return drafts


# ---------------------------------------------------------------- repayments


def _runs(items: list[tuple[int, int]], text: str, base: int) -> list[list[int]]:
    """Indices of items written one after another as a list (甲、乙 / 甲和乙)."""
    runs: list[list[int]] = []
    for i, (start, _) in enumerate(items):
        if runs and LIST_GAP_RE.match(text[items[runs[-1][-1]][1] - base : start - base]):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _applied(segment: str) -> str:
    if "利息" in segment and "本金" not in segment:
        return "interest"
    if "本金" in segment and "利息" not in segment:
        return "principal"
    return ""


def _pairs(p: Passage) -> list[tuple[DateMatch, AmountMatch, Segment, str]]:
    """(date, amount, span, what the text says it paid) for each repayment a sentence states."""
    text, base = p.text, p.sentence.start
    dates = p.index.dates_in(p.sentence)
    amounts = p.index.amounts_in(p.sentence)
    events = {d.start for d in p.index.event_dates(p.sentence)}
    out: list[tuple[DateMatch, AmountMatch, Segment, str]] = []
    used: set[int] = set()
    date_runs = _runs([(d.start, d.end) for d in dates], text, base)
    amount_runs = _runs([(a.start, a.end) for a in amounts], text, base)
    for run in (r for r in date_runs if len(r) > 1):  # 分别于甲、乙向原告还款X元、Y元
        last = dates[run[-1]]
        later = [r for r in amount_runs if amounts[r[0]].start > last.end and len(r) == len(run)]
        if not later:
            continue
        paid = [amounts[i] for i in later[0]]
        between = p.doc.text[last.end : paid[0].start]
        if (
            REPAY_RE.search(between)
            and not NOT_REPAY_RE.search(between)
            and not any(last.end < d.start < paid[0].start for d in dates)
        ):
            seg = trimmed(p.doc, dates[run[0]].start, paid[-1].end)
            out += [(dates[i], a, seg, _applied(between)) for i, a in zip(run, paid, strict=True)]
            used |= {dates[i].start for i in run}
    for d in dates:
        if d.start in used or d.start not in events:
            continue
        after = [a for a in amounts if a.start >= d.end]
        if not after or any(d.end <= o.start < after[0].start for o in dates):
            continue
        a = after[0]
        between = p.doc.text[d.end : a.start]
        if len(between) > 30 or not REPAY_RE.search(between) or NOT_REPAY_RE.search(between):
            continue
        if SUM_BEFORE_RE.search(between):
            continue
        out.append((d, a, trimmed(p.doc, d.start, a.end), _applied(between)))
    return out


def repayments(ctx: Context, disputed: bool) -> list[Draft]:
    """Each repayment (date, amount); what it paid (interest/principal) only when the statements that
    say so agree and no defence disputes how repayments apply, else 'unspecified'."""
    found: dict[tuple[str, str], tuple[Draft, set[str]]] = {}
    for p in ctx.passages:
        for d, a, seg, applied in _pairs(p):
            key = (iso_date(d.value), format_yuan(a.value))
            draft, said = found.setdefault(key, (Draft("repayment", "还款", key[1], {"date": key[0]}), set()))
            draft.add(seg.span())
            said.add(applied)
    drafts = []
    for key in sorted(found):
        draft, said = found[key]
        stated = said - {""}
        draft.details["applied_to"] = stated.pop() if len(stated) == 1 and not disputed else "unspecified"
        drafts.append(draft)
    return drafts


# ---------------------------------------------------------------- guarantee


def guarantees(ctx: Context, call: Callable[[str, dict[str, str], str], None]) -> list[Draft]:
    """One guarantee per guarantor: type (连带责任保证/一般保证) and period when the documents state them."""
    drafts = []
    for name in ctx.names(capacity="保证人"):
        draft = Draft("guarantee", "保证", name)
        words: list[str] = []
        for p in ctx.passages:
            about = name in p.text or p.party == name or (name in p.question and "保证" in p.question)
            if not about or not GUARANTEE_RE.search(p.text) or DEMAND_RE.search(p.text):
                continue
            parts = [c for c in clauses(p.sentence) if GUARANTEE_SPAN_RE.search(c.text)] or [p.sentence]
            draft.add(trimmed(p.doc, parts[0].start, parts[-1].end).span())
            words.append(p.text)
        if not draft.spans:
            continue
        said = "\n".join(words)
        if JOINT_RE.search(said):
            draft.details["type"] = "连带责任保证"
        elif GENERAL_RE.search(said):
            draft.details["type"] = "一般保证"
        for text in words:
            m = GUARANTEE_PERIOD_RE.search(text)
            if m and not NOT_AGREED_PERIOD_RE.search(text) and (period := _period(m.group("period"), call)):
                draft.details["period"] = period
                break
        scope = next((m.group("scope") for t in words if (m := SCOPE_RE.search(t))), "")
        if scope:
            draft.details["scope"] = scope
        drafts.append(draft)
        if draft.details.get("period"):
            agreed = Draft("period", "保证期间", draft.details["period"], {"purpose": "guarantee_period"})
            drafts.append(agreed.add(*draft.spans))
    return drafts


# ---------------------------------------------------------------- demands


def _demanded(p: Passage, ctx: Context, start: int) -> list[str]:
    """Whom a demand sentence addresses: the defendant named after 向/给/要求 …, else by what it asks."""
    defendants = ctx.names("被告")
    text = p.doc.text[start : p.sentence.end]
    named = [n for n in defendants if re.search(MENTION_PREFIX + re.escape(n), text)]
    if named:
        return named
    if len(defendants) == 1:
        return defendants
    if re.search(r"保证|担保", text) and ctx.names(capacity="保证人"):
        return ctx.names(capacity="保证人")
    return ctx.names(capacity="借款人") or defendants[:1]


def demands(ctx: Context) -> list[Draft]:
    """Dated demands for payment (催款, 主张保证责任), one fact per date and party asked."""
    found: dict[tuple[str, str], Draft] = {}
    for p in ctx.passages:
        if NOT_DEMAND_RE.search(p.text):
            continue
        for d in p.index.event_dates(p.sentence):
            m = DEMAND_RE.search(p.doc.text, d.end, p.sentence.end)
            if m is None:
                continue
            between = p.doc.text[d.end : m.start()]
            if (
                len(between) > 40
                or OTHER_EVENT_RE.search(between)
                or any(d.end <= o.start < m.start() for o in p.index.dates_in(p.sentence))
            ):
                continue
            seg = clause_at(p.sentence, m.start())
            for party in _demanded(p, ctx, d.start):
                guarantor = party in ctx.names(capacity="保证人")
                label = "向保证人主张保证责任" if guarantor else "催要借款"
                key = (iso_date(d.value), party)
                details = {"purpose": "demand_date", "party": party}
                draft = found.setdefault(key, Draft("date", label, key[0], details))
                draft.add(_from_to(seg, d.start).span())
    return [found[k] for k in sorted(found)]

"""Checking: the draft's amounts, dates, names, citations and orders against the record.

The checker never trusts the draft's prose. Every figure, date, name and article in the text is
re-derived from the ledger (state.facts), the syllogisms (awards, computation results, orders),
CaseInfo and the approved statutes; what cannot be derived from them is a finding with offsets
into `draft.text`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import cn2an
from judgeflow.agents.checking.civil_consistency import (
    check_civil_reasoning_against_orders,
    check_syllogism_awards,
)
from judgeflow.agents.checking.collector import Collector
from judgeflow.agents.checking.consistency import check_against_syllogisms, check_reasoning_against_orders
from judgeflow.agents.checking.graph_citations import graph_fallback, statute_graph
from judgeflow.agents.checking.shared import check_text_facts
from judgeflow.agents.trace import NodeTrace
from judgeflow.agents.write_draft import (
    claim_type,
    costs_syllogisms,
    iso_to_date,
    partly_rejected,
    upheld_orders,
)
from judgeflow.graph.state import SECTION_ORDER, CaseState, Draft, Finding, SectionName, StatuteRef
from judgeflow.knowledge_graph.statute_db import SHORT_NAMES
from judgeflow.tools.amounts import find_amounts, format_yuan, yuan_text
from judgeflow.tools.dates import cn_date, find_dates, parse_date

if TYPE_CHECKING:
    from judgeflow.knowledge_graph.store import GraphStore

CENT = Decimal("0.01")
_CN_DIGITS = "〇零一二三四五六七八九十百千"
_NUM = rf"[{_CN_DIGITS}0-9]+"
CITATION_RE = re.compile(rf"《([^《》\n]{{1,40}})》((?:第{_NUM}条(?:第{_NUM}款)?(?:第{_NUM}项)?[、和及]?)+)")
ARTICLE_RE = re.compile(rf"第({_NUM})条(?:第({_NUM})款)?")
DATE_LIKE_RE = re.compile(
    r"\d{4}年\d{1,2}月\d{1,2}日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
)
ROLE_RE = re.compile(r"(被上诉人|上诉人|原审原告|原审被告|第三人|原告|被告单位|被告)：?")
ITEM_RE = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
ORG_RE = re.compile(
    r"[\u4e00-\u9fff（）]{2,40}?(?:有限责任公司|股份有限公司|有限公司|公司|合作社|银行|厂|店|中心|协会)"
)
# After 原告/被告, these begin ordinary words, not names ("被告未举证", "原告主张").
NOT_A_NAME_START = set(
    "的方未应主对于在已认提向称与人之均一答辩承负以等请要所及和不到同作就亦也仍虽但因自将尚是为并按经系各共曾即再又还可无有该此其上下前后"
)
_STOP_WORDS = (
    "与 于 向 的 对 在 已 未 应 称 系 及 和 为 自 签 催 等 均 不 是 之 以 将 就 经 按 依 借 还 "
    "辩称 诉称 起诉 提出 到庭 民间 借款 负担 承担 偿还 返还 清偿 给付 支付 归还 履行 赔偿 共同 主张 "
    "本金 利息 出具 追偿 作为 提供 交付 还款 连带 陈述 表示 申请 要求 请求 举证 提交 确认 认可 收到 "
    "出借 本人 诉讼 代理"
)
NAME_STOPS = tuple(_STOP_WORDS.split())
TERM_NOTE_RE = re.compile(r"[（(][^（）()]*(?:刑期|缓刑考验期|罚金)[^（）()]*[）)][。；;]?$")
# Sections of a criminal draft that quote the case documents word for word (the indictment, the facts).
QUOTED_SECTIONS: tuple[SectionName, ...] = ("诉辩意见", "经审理查明")
TYPE_WORDS = {"principal": ("本金",), "interest": ("利息",), "guarantee": ("保证", "连带")}


@dataclass(kw_only=True)
class Checker(Collector):
    """Collects findings for one draft; spans already reported are not reported twice."""

    draft: Draft
    state: CaseState

    def __post_init__(self) -> None:
        self.text = self.draft.text

    def section_span(self, name: SectionName) -> tuple[int, int] | None:
        """Where a section is in the text, or None when the draft lacks it."""
        start = self.draft.section_start(name)
        if start < 0:
            return None
        section = next(s for s in self.draft.sections if s.name == name)
        return start, start + len(section.text)

    def lines(self, name: SectionName) -> list[tuple[int, str]]:
        """A section's paragraphs with their offsets in the text."""
        span = self.section_span(name)
        if span is None:
            return []
        out, offset = [], span[0]
        for line in self.text[span[0] : span[1]].split("\n"):
            out.append((offset, line))
            offset += len(line) + 1
        return out


# ---------------------------------------------------------------- what the record says


def _decimal(text: str) -> Decimal | None:
    cleaned = text.strip().removesuffix("元").replace(",", "")
    try:
        return Decimal(cleaned).quantize(CENT)
    except (InvalidOperation, ValueError):
        return None


def record_amounts(state: CaseState) -> set[Decimal]:
    """Ledger amounts and repayments, claim amounts (and amounts in the parties' own wording),
    awards and computation results."""
    found: set[Decimal | None] = set()
    for fact in state.facts:
        if fact.kind in ("amount", "repayment"):
            found.add(_decimal(fact.value))
        if fact.kind == "claim":
            found.add(_decimal(fact.details.get("amount", "")))
        if fact.kind in ("claim", "defence", "event"):
            found.update(m.value.quantize(CENT) for m in find_amounts(fact.value))
    for s in state.syllogisms:
        found.add(_decimal(s.conclusion.award))
        found.update(_decimal(step.result) for step in s.computation)
    return {a for a in found if a is not None}


def allowed_amounts(state: CaseState) -> set[Decimal]:
    """The record's amounts plus the sum and difference of any two of them."""
    base = sorted(record_amounts(state))
    allowed = set(base)
    for i, a in enumerate(base):
        for b in base[i:]:
            allowed.update({a + b, abs(a - b)})
    return allowed


def _dates_in(texts: Iterable[str]) -> set[date]:
    out: set[date] = set()
    for text in texts:
        d = iso_to_date(text)
        if d:
            out.add(d)
        out.update(m.value for m in find_dates(text) if m.precision == "day")
    return out


def record_dates(state: CaseState) -> set[date]:
    """Ledger dates (values and date details), CaseInfo dates and dates in the computations."""
    texts: list[str] = []
    for fact in state.facts:
        texts.append(fact.value)
        texts += [v for k, v in fact.details.items() if k.endswith("date")]
    info = state.info
    texts += [info.filing_date, info.hearing_date, info.judgment_date]
    texts += [
        t for s in state.syllogisms for step in s.computation for t in (step.label, step.formula, step.result)
    ]
    # Criminal sentences: the term's first and last day, computed from the custody dates.
    texts += [
        d for s in state.syllogisms if s.sentence for d in (s.sentence.term_start, s.sentence.term_end) if d
    ]
    return _dates_in(texts)


def _party_roles(state: CaseState) -> dict[str, str]:
    return {p.value: p.details.get("role", "") for p in state.facts_of("party")}


# ---------------------------------------------------------------- checks


def _quoted(c: Checker) -> list[tuple[int, int]]:
    """Where a criminal draft quotes the case documents (nothing for civil drafts, which restate them)."""
    if c.state.info.case_type != "criminal":
        return []
    return [span for name in QUOTED_SECTIONS if (span := c.section_span(name)) is not None]


def check_amounts(c: Checker) -> None:
    """Every money amount must come from the record (or be a sum/difference of two such); an amount a
    criminal draft quotes from the case documents is the documents' own."""
    allowed = allowed_amounts(c.state)
    if c.state.info.case_type == "criminal":
        allowed |= {m.value.quantize(CENT) for doc in c.state.documents for m in find_amounts(doc.text)}
    for m in find_amounts(c.text):
        if m.value.quantize(CENT) in allowed or c.covered(m.start, m.end):
            continue
        c.add(
            "amount",
            m.start,
            m.end,
            f"金额{m.quote}在事实台账、诉讼请求和裁判计算中均无依据",
            "台账及计算中的金额：" + "、".join(yuan_text(a) for a in sorted(record_amounts(c.state))),
        )


def check_dates(c: Checker) -> None:
    """Every date must be a ledger, CaseInfo or computation date; impossible dates are errors."""
    known = record_dates(c.state)
    # A month or a year alone is stated as the case documents state it (2017年9月, 被告人…): the ledger
    # keeps full dates only, so those are looked up in the documents the draft quotes.
    written = [m.value for doc in c.state.documents for m in find_dates(doc.text)]
    for like in DATE_LIKE_RE.finditer(c.text):
        try:
            parse_date(like.group(0))
        except ValueError as exc:
            if not c.covered(like.start(), like.end()):
                c.add("date", like.start(), like.end(), f"日期{like.group(0)}不存在", str(exc))
    for m in find_dates(c.text):
        if c.covered(m.start, m.end):
            continue
        if m.precision == "day":
            ok = m.value in known
        elif m.precision == "month":
            ok = any((d.year, d.month) == (m.value.year, m.value.month) for d in [*known, *written])
        else:
            ok = any(d.year == m.value.year for d in [*known, *written])
        if not ok:
            c.add(
                "date",
                m.start,
                m.end,
                f"日期{m.quote}在事实台账、案件信息和裁判计算中均无依据",
                "台账中的日期：" + "、".join(cn_date(d) for d in sorted(known)),
            )


def _written_name(text: str, pos: int) -> str:
    """The name written at `pos` (after 原告/被告), or '' when an ordinary word follows."""
    if pos >= len(text) or text[pos] in NOT_A_NAME_START or not "\u4e00" <= text[pos] <= "\u9fff":
        return ""
    if text.startswith(NAME_STOPS, pos):
        return ""
    org = ORG_RE.match(text, pos)
    if org:
        return org.group(0)
    end = pos
    while end < len(text) and end - pos < 4 and "\u4e00" <= text[end] <= "\u9fff":
        if end - pos >= 2 and text.startswith(NAME_STOPS, end):
            break
        end += 1
    return text[pos:end] if end - pos >= 2 else ""


def check_names(c: Checker) -> None:
    """Names after 原告/被告/上诉人…: each must be a ledger party in that role."""
    roles = _party_roles(c.state)
    names = sorted(roles, key=len, reverse=True)
    listed = "、".join(f"{r}{n}" for n, r in roles.items())
    # The parties' own words are quoted in 诉辩意见 and 本院认为 ("希望原告宽限一段时间"):
    # an unknown name is only looked for where the court itself names the parties.
    quoted = [span for name in ("诉辩意见", "本院认为") if (span := c.section_span(name)) is not None]
    for m in ROLE_RE.finditer(c.text):
        pos = m.end()
        known = next((n for n in names if c.text.startswith(n, pos)), None)
        if known is not None:
            role, written = roles[known], m.group(1)
            if role in ("原告", "被告") and written in ("原告", "被告") and role != written:
                c.add(
                    "party",
                    m.start(),
                    pos + len(known),
                    f"{known}在台账中是{role}，此处写作{written}",
                    f"台账：{role}{known}",
                )
            continue
        if any(start <= pos < end for start, end in quoted):
            continue
        name = _written_name(c.text, pos)
        if name:
            c.add(
                "party",
                pos,
                pos + len(name),
                f"“{m.group(1)}{name}”不是本案台账中的当事人",
                f"台账当事人：{listed}",
            )


def check_particulars(c: Checker) -> None:
    """当事人: every ledger party appears; gender and birth date agree with the ledger."""
    span = c.section_span("当事人")
    section = c.text[span[0] : span[1]] if span else ""
    for party in c.state.facts_of("party"):
        if party.value not in section:
            start, end = span or (0, 0)
            c.add(
                "party",
                start,
                end,
                f"当事人部分未列明{party.details.get('role', '')}{party.value}",
                f"台账 {party.id}：{party.details.get('role', '')}{party.value}",
            )
    parties = {p.value: p for p in c.state.facts_of("party")}
    for offset, line in c.lines("当事人"):
        head = re.match(r"^(?:原告|被告|第三人)：([^，。]+)", line)
        listed = parties.get(head.group(1)) if head else None
        if head is None or listed is None:
            continue
        party = listed
        for token in re.finditer(r"[^，。]+", line[head.end() :]):
            start = offset + head.end() + token.start()
            word = token.group(0)
            gender = party.details.get("gender", "")
            if word in ("男", "女") and gender and word != gender:
                c.add(
                    "party",
                    start,
                    start + len(word),
                    f"{party.value}的性别与台账不符",
                    f"台账 {party.id}：{gender}",
                )
            born = iso_to_date(party.details.get("birth_date", ""))
            if word.endswith("出生") and born:
                written = find_dates(word)
                if written and written[0].value != born:
                    w = written[0]
                    c.add(
                        "party",
                        start + w.start,
                        start + w.end,
                        f"{party.value}的出生日期与台账不符",
                        f"台账 {party.id}：{cn_date(born)}出生",
                    )


def _law_refs(state: CaseState, law: str) -> list[StatuteRef]:
    full = SHORT_NAMES.get(law, law)
    return [r for r in state.statutes if law in (r.law, r.short_name) or full == r.law]


def _article_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


def check_citations(c: Checker) -> None:
    """Every 《…》第N条 must be an approved StatuteRef (full or short law name, Chinese or Arabic numbers)."""
    approved = "、".join(f"{r.short_name}第{r.article}条" for r in c.state.statutes) or "（无）"
    quoted = _quoted(c)
    for m in CITATION_RE.finditer(c.text):
        if any(a <= m.start() < b for a, b in quoted):
            continue  # the indictment's citations, quoted: not the court's
        law = m.group(1)
        refs = _law_refs(c.state, law)
        if not refs:
            c.add(
                "citation",
                m.start(),
                m.end(),
                f"《{law}》不在法官审批的法条之中",
                f"已审批的法条：{approved}",
            )
            continue
        for a in ARTICLE_RE.finditer(m.group(2)):
            number = _article_number(a.group(1))
            if number is None or not any(r.article == number for r in refs):
                start = m.start(2) + a.start()
                c.add(
                    "citation",
                    start,
                    start + len(a.group(0)),
                    f"《{law}》{a.group(0)}不在法官审批的法条之中",
                    f"已审批的法条：{approved}",
                )


def _norm(text: str) -> str:
    return text.strip().rstrip("。；;，,")


def check_orders(c: Checker) -> None:
    """判决主文: each upheld order appears as confirmed, no order for a claim not upheld, 驳回 when due."""
    span = c.section_span("判决主文")
    start, end = span or (0, 0)
    section = c.text[start:end]
    expected = [_norm(s.conclusion.order) for s in upheld_orders(c.state)]
    costs = [_norm(s.conclusion.order) for s in costs_syllogisms(c.state)]
    rejected = [
        s for s in c.state.syllogisms if not s.conclusion.order.strip() and claim_type(c.state, s) != "costs"
    ]
    unmatched: list[tuple[int, int, str]] = []
    has_rejection = False
    for offset, line in c.lines("判决主文"):
        item = ITEM_RE.match(line)
        if not item:
            continue
        body = _norm(item.group(2))
        if c.state.info.case_type == "criminal":
            body = _norm(
                TERM_NOTE_RE.sub("", body)
            )  # （刑期从…起计算…） explains the order, is not part of it
        if body.startswith("驳回"):
            has_rejection = True
            if not partly_rejected(c.state):
                c.add(
                    "decision",
                    offset,
                    offset + len(line),
                    "各项诉讼请求均获支持，不应驳回诉讼请求",
                    "法官确认的结论：全部支持",
                )
        elif body not in expected:
            unmatched.append((offset, offset + len(line), body))
    missing = [o for o in [*expected, *costs] if o not in section]
    for (s, e, _), order in zip(unmatched, missing, strict=False):
        c.add("decision", s, e, "判项与法官确认的结论不一致", f"应为：{order}")
    for s, e, body in unmatched[len(missing) :]:
        hit = next(
            (r for r in rejected if any(w in body for w in TYPE_WORDS.get(claim_type(c.state, r), ()))), None
        )
        if hit is not None:
            c.add("decision", s, e, "判项涉及法官未予支持的诉讼请求", f"{hit.id}：{hit.conclusion.text}")
        else:
            c.add("decision", s, e, "判项没有对应的法官确认的结论", "法官确认的判项：" + "；".join(expected))
    for order in missing[len(unmatched) :]:
        c.add("decision", start, end, "判决主文缺少法官确认的判项", f"应有：{order}")
    if partly_rejected(c.state) and expected and not has_rejection and "驳回" not in section:
        c.add(
            "decision",
            start,
            end,
            "部分诉讼请求未获支持，判决主文应驳回其他诉讼请求",
            "未获全部支持的请求："
            + "、".join(s.id for s in c.state.syllogisms if s.conclusion.disposition != "支持"),
        )


def check_sections(c: Checker) -> None:
    """Every section of the judgment is present (a warning: the judge may have merged them)."""
    present = {s.name for s in c.draft.sections}
    for name in SECTION_ORDER:
        if name not in present:
            c.add(
                "consistency",
                0,
                0,
                f"草稿缺少“{name}”部分",
                "判决书各部分：" + "、".join(SECTION_ORDER),
                "warning",
            )


def check(draft: Draft, state: CaseState, store: GraphStore | None = None) -> list[Finding]:
    """All findings on `draft`, re-derived from the ledger, syllogisms, CaseInfo and approved statutes;
    cited articles are checked through `store` (a loaded knowledge graph) or else the statute database."""
    c = Checker(draft=draft, state=state)
    check_sections(c)
    check_particulars(c)
    check_names(c)
    check_citations(c)
    check_orders(c)
    check_text_facts(c, state, c.section_span("判决主文"), store)
    if state.info.case_type == "criminal":
        orders = c.section_span("判决主文")
        check_reasoning_against_orders(c, c.section_span("本院认为"), orders)
        if orders is not None:
            check_against_syllogisms(c, state, orders)
    else:
        orders = c.section_span("判决主文")
        check_civil_reasoning_against_orders(c, c.section_span("本院认为"), orders)
        if orders is not None:
            check_syllogism_awards(c, state, orders, upheld_orders(state))
    check_dates(c)
    check_amounts(c)
    return c.sorted()


def check_draft(state: CaseState) -> dict[str, Any]:
    """Graph node: check the current draft and record the findings."""
    trace = NodeTrace("check_draft")
    findings: list[Finding] = []
    source = "（无草稿）"
    if state.draft is not None:
        with statute_graph() as (store, unavailable):
            findings = check(state.draft, state, store)
            source = f"knowledge graph ({store.backend})" if store is not None else "statute database"
        if unavailable:
            findings.append(graph_fallback(unavailable))
    counts = {sev: sum(f.severity == sev for f in findings) for sev in ("error", "warning", "info")}
    trace.call(
        "check",
        {
            "revision": state.draft.revision if state.draft else None,
            "amounts": [format_yuan(a) for a in sorted(record_amounts(state))],
            "citations_checked_by": source,
        },
        result=f"{counts['error']} error / {counts['warning']} warning",
    )
    summary = (
        f"核查草稿：{counts['error']} 项错误，{counts['warning']} 项提示"
        if state.draft is not None
        else "尚无草稿可核查"
    )
    event = trace.event(
        summary,
        inputs={"revision": state.draft.revision if state.draft else None},
        outputs={"findings": counts, "types": sorted({f.type for f in findings})},
    )
    return {"findings": findings, "trace": [event]}

"""Drafting: the 民事判决书 composed section by section from the ledger, the statutes and the syllogisms.

Nothing here decides anything: every figure and date is written from the ledger (yuan_text, cn_date),
every order is the judge-confirmed `conclusion.order` of a syllogism, and every article cited is
one the judge approved. Each paragraph records the facts, statutes and syllogisms it states.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import cn2an
from judgeflow.agents.model_steps.refine import refine_with_model
from judgeflow.agents.trace import NodeTrace
from judgeflow.graph.state import (
    SECTION_ORDER,
    CaseInfo,
    CaseState,
    Draft,
    DraftSection,
    Fact,
    SectionName,
    Sentence,
    StatuteRef,
    Syllogism,
)
from judgeflow.tools.amounts import yuan_text
from judgeflow.tools.dates import cn_date, cn_date_upper
from judgeflow.tools.rates import percent_text

DATE_PLACEHOLDER = "　　年　　月　　日"
JUDGE_PLACEHOLDER = "＿＿＿＿"
CLERK_PLACEHOLDER = "＿＿＿＿"
WARNING_STATUTE = "民事诉讼法:264"
WARNING_TEXT = (
    "如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十四条规定，"
    "加倍支付迟延履行期间的债务利息。"
)
ROLE_ORDER = ("原告", "被告", "第三人")
IOU_WORDS = ("借条", "借据", "欠条", "借款合同", "借款协议")
_PERIOD = re.compile(r"^\s*(\d+)\s*(day|month|year)s?\s*$")
_PERIOD_UNITS = {"day": "日", "month": "个月", "year": "年"}


# ---------------------------------------------------------------- small helpers


def iso_to_date(value: str) -> date | None:
    """The date of an ISO string, or None when it is empty or not a date."""
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _cn(value: str) -> str:
    d = iso_to_date(value)
    return cn_date(d) if d else value


def _yuan(value: str) -> str:
    try:
        return yuan_text(Decimal(value))
    except (InvalidOperation, ValueError):
        return value


def period_text(value: str) -> str:
    """A ledger period ("6 months") in Chinese ("6个月"); other wording is kept as written."""
    m = _PERIOD.match(value)
    return f"{m.group(1)}{_PERIOD_UNITS[m.group(2)]}" if m else value


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二 (for the numbered orders)."""
    return str(cn2an.an2cn(n))


def _joined(names: list[str]) -> str:
    return "、".join(names)


def _clause(text: str) -> str:
    return text.strip().rstrip("。；;，,")


def parties(state: CaseState, role: str) -> list[Fact]:
    """Party facts with this role, in ledger order."""
    return state.facts_of("party", role=role)


def party_names(state: CaseState, role: str) -> list[str]:
    """Names of the parties with this role."""
    return [p.value for p in parties(state, role)]


def ordered_parties(state: CaseState) -> list[Fact]:
    """All parties: 原告, 被告, 第三人, then any other role, each in ledger order."""
    facts = state.facts_of("party")
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    return sorted(facts, key=lambda p: rank.get(p.details.get("role", ""), len(ROLE_ORDER)))


def named(state: CaseState, name: str) -> str:
    """A party's name with its procedural role ("被告李强"); others as written."""
    party = next((p for p in state.facts_of("party") if p.value == name), None)
    return f"{party.details.get('role', '')}{name}" if party else name


def claim_type(state: CaseState, syllogism: Syllogism) -> str:
    """The type of the claim a syllogism decides (principal/interest/guarantee/costs/other)."""
    claim = state.fact(syllogism.claim_id)
    return claim.details.get("type", "other") if claim else "other"


def upheld_orders(state: CaseState) -> list[Syllogism]:
    """Syllogisms with an operative order, other than costs, in claim order."""
    return [s for s in state.syllogisms if s.conclusion.order.strip() and claim_type(state, s) != "costs"]


def costs_syllogisms(state: CaseState) -> list[Syllogism]:
    """The costs syllogism(s) with an order (written after the 迟延履行 warning)."""
    return [s for s in state.syllogisms if claim_type(state, s) == "costs" and s.conclusion.order.strip()]


def partly_rejected(state: CaseState) -> bool:
    """True when some claim (not costs) is not fully upheld or has no conclusion at all."""
    decided = {s.claim_id: s for s in state.syllogisms}
    for claim in state.facts_of("claim"):
        if claim.details.get("type") == "costs":
            continue
        s = decided.get(claim.id)
        if s is None or s.conclusion.disposition != "支持" or not s.conclusion.order.strip():
            return True
    return False


def citation(ref: StatuteRef) -> str:
    """One article as cited: 第六百六十七条 (第二款 when only one paragraph is meant)."""
    label = ref.article_label or f"第{chinese_number(ref.article)}条"
    return label + (f"第{chinese_number(ref.paragraph)}款" if ref.paragraph else "")


def cited_statutes(state: CaseState) -> list[StatuteRef]:
    """The articles the judgment relies on: every major premise, plus procedural articles other than
    the 迟延履行 article (cited in its own paragraph), grouped by law (民法典 first) in article order."""
    wanted = {sid for s in state.syllogisms for sid in s.major_premise}
    wanted |= {ref.id for ref in state.statutes if not ref.claim_ids and ref.id != WARNING_STATUTE}
    refs = [ref for ref in state.statutes if ref.id in wanted]
    return sorted(refs, key=lambda r: (r.short_name != "民法典", r.short_name, r.article, r.paragraph or 0))


def appeal_court(court: str) -> str:
    """The intermediate court above a basic court (浙江省杭州市西湖区人民法院 → 浙江省杭州市中级人民法院)."""
    m = re.match(r"^((?:.+?(?:省|自治区))?.+?(?:市|自治州|地区|盟))(?!中级).+?人民法院$", court)
    if m and not m.group(1).endswith(("北京市", "上海市", "天津市", "重庆市")):
        return f"{m.group(1)}中级人民法院"
    return "……中级人民法院"


def _s(
    text: str,
    facts: list[str] | None = None,
    statutes: list[str] | None = None,
    syllogisms: list[str] | None = None,
) -> Sentence:
    return Sentence(
        text=text,
        fact_ids=list(dict.fromkeys(facts or [])),
        statute_ids=list(dict.fromkeys(statutes or [])),
        syllogism_ids=list(dict.fromkeys(syllogisms or [])),
    )


# ---------------------------------------------------------------- sections


def head_section(info: CaseInfo) -> DraftSection:
    """首部: court, title, case number."""
    return DraftSection(
        name="首部",
        sentences=[
            _s(info.court or "……人民法院"),
            _s("民事判决书"),
            _s(info.case_number or "（　　）……号"),
        ],
    )


def particulars(party: Fact) -> list[Sentence]:
    """One party's particulars as courts print them; the ID number is never printed."""
    d = party.details
    organisation = d.get("person", "自然人") in ("法人", "非法人组织")
    parts = [party.value]
    if not organisation:
        born = f"{_cn(d['birth_date'])}出生" if d.get("birth_date") else ""
        parts += [x for x in (d.get("gender", ""), born, d.get("ethnicity", "")) if x]
    if d.get("address"):
        parts.append(("住所地" if organisation else "住") + d["address"])
    lines = [_s(f"{d.get('role', '当事人')}：{'，'.join(parts)}。", [party.id])]
    if organisation and d.get("representative"):
        lines.append(_s(f"法定代表人：{_clause(d['representative'])}。", [party.id]))
    return lines


def parties_section(state: CaseState) -> DraftSection:
    """当事人: 原告, 被告 (and any 第三人) with their particulars."""
    return DraftSection(name="当事人", sentences=[s for p in ordered_parties(state) for s in particulars(p)])


def proceedings_section(state: CaseState) -> tuple[DraftSection, bool]:
    """审理经过; the flag says whether attendance had to be assumed (nothing on record)."""
    info = state.info
    plaintiffs, defendants = party_names(state, "原告"), party_names(state, "被告")
    filed = f"本院于{_cn(info.filing_date)}立案后" if info.filing_date else "本院立案后"
    how = (
        "依法适用简易程序，公开开庭进行了审理"
        if info.procedure == "简易程序"
        else "依法适用普通程序，组成合议庭，公开开庭进行了审理"
    )
    attendance = _clause(info.hearing_attendance)
    assumed = not attendance
    if assumed:
        attendance = "、".join(named(state, p.value) for p in ordered_parties(state)) + "到庭参加诉讼"
    text = (
        f"原告{_joined(plaintiffs)}与被告{_joined(defendants)}{info.cause}一案，{filed}，{how}。"
        f"{attendance}。本案现已审理终结。"
    )
    ids = [p.id for p in ordered_parties(state)]
    return DraftSection(name="审理经过", sentences=[_s(text, ids)]), assumed


def _first(facts: list[Fact]) -> Fact | None:
    return facts[0] if facts else None


def _loan_facts(state: CaseState) -> dict[str, Fact | None]:
    dates = {p: _first(state.facts_of("date", purpose=p)) for p in ("contract_date", "loan_date", "due_date")}
    return {
        **dates,
        "principal": _first(state.facts_of("amount", purpose="principal")),
        "rate": _first(state.facts_of("rate", purpose="interest")) or _first(state.facts_of("rate")),
        "term": _first(state.facts_of("period", purpose="loan_term")),
        "iou": _first([e for e in state.facts_of("evidence") if any(w in e.value for w in IOU_WORDS)]),
    }


def _lenders_borrowers(state: CaseState) -> tuple[list[str], list[str]]:
    lenders = [p.value for p in state.facts_of("party", capacity="出借人")] or party_names(state, "原告")
    borrowers = [p.value for p in state.facts_of("party", capacity="借款人")]
    return lenders, borrowers or party_names(state, "被告")[:1]


def _sides(state: CaseState) -> tuple[str, str]:
    """Lender(s) and borrower(s) with their procedural roles ("原告张伟", "被告李强")."""
    lenders, borrowers = _lenders_borrowers(state)
    return _joined([named(state, n) for n in lenders]), _joined([named(state, n) for n in borrowers])


def _rate_text(rate: Fact) -> str:
    stated = rate.details.get("stated", "")
    try:
        annual = percent_text(Decimal(rate.value))
    except (InvalidOperation, ValueError):
        return stated
    if stated and rate.details.get("basis", "year") != "year":
        return f"{stated}（折合年利率{annual}）"
    return stated or f"年利率{annual}"


def loan_narrative(state: CaseState) -> tuple[str, list[str]]:
    """The making of the loan: IOU, amount, terms, guarantee and delivery, with the facts used."""
    f = _loan_facts(state)
    lender, borrower = _sides(state)
    used = [x.id for x in f.values() if x is not None]
    made = f["contract_date"] or f["loan_date"]
    amount = _yuan(f["principal"].value) if f["principal"] else ""
    terms = (
        f"约定{_rate_text(f['rate'])}" if f["rate"] else "",
        f"借款期限{period_text(f['term'].value)}" if f["term"] else "",
        f"于{_cn(f['due_date'].value)}前归还" if f["due_date"] else "",
    )
    text = f"{_cn(made.value)}，" if made else ""
    if f["iou"] is not None:
        text += f"{borrower}向{lender}出具{f['iou'].value}一份" + (f"，载明借款{amount}" if amount else "")
    else:
        text += f"{borrower}向{lender}借款{amount}"
    text += "".join(f"，{t}" for t in terms if t) + "。"
    for g in state.facts_of("guarantee"):
        used.append(g.id)
        kind = g.details.get("type", "")
        period = g.details.get("period", "")
        text += (
            f"{named(state, g.value)}作为保证人在{f['iou'].value if f['iou'] else '借款合同'}上签字"
            + (f"，约定承担{kind}" if kind else "")
            + (f"，保证期间为{period_text(period)}" if period else "")
            + "。"
        )
    delivered = f["loan_date"]
    if delivered is not None and amount:
        same_day = made is not None and made.value == delivered.value
        text += f"{'当日' if same_day else _cn(delivered.value)}，{lender}向{borrower}交付借款{amount}。"
    return text, used


def _dated_events(state: CaseState) -> list[tuple[date, str, str]]:
    lender, borrower = _sides(state)
    guarantors = {p.value for p in state.facts_of("party", capacity="保证人")}
    guarantors |= {g.value for g in state.facts_of("guarantee")}
    events: list[tuple[date, str, str]] = []
    for r in state.facts_of("repayment"):
        d = iso_to_date(r.details.get("date", ""))
        what = {"principal": "归还借款本金", "interest": "支付利息"}.get(
            r.details.get("applied_to", ""), "还款"
        )
        if d:
            events.append((d, f"{cn_date(d)}，{borrower}向{lender}{what}{_yuan(r.value)}。", r.id))
    for demand in state.facts_of("date", purpose="demand_date"):
        d = iso_to_date(demand.value)
        target = demand.details.get("party", "")
        if not d:
            continue
        if target and target in guarantors:
            text = f"{cn_date(d)}，{lender}向{named(state, target)}主张保证责任。"
        else:
            text = f"{cn_date(d)}，{lender}向{named(state, target) if target else borrower}催要借款。"
        events.append((d, text, demand.id))
    for event in state.facts_of("event"):
        d = iso_to_date(event.details.get("date", ""))
        if d:
            events.append((d, f"{cn_date(d)}，{_clause(event.value)}。", event.id))
    return sorted(events, key=lambda e: e[0])


def facts_section(state: CaseState) -> DraftSection:
    """经审理查明: the loan, then repayments, demands and other events in date order, then the evidence."""
    text, used = loan_narrative(state)
    for _, sentence, fid in _dated_events(state):
        text += sentence
        used.append(fid)
    undated = [e for e in state.facts_of("event") if not iso_to_date(e.details.get("date", ""))]
    text += "".join(f"{_clause(e.value)}。" for e in undated)
    used += [e.id for e in undated]
    sentences = [_s("本院经审理认定事实如下：" + text, used)]
    admitted = [e for e in state.facts_of("evidence") if e.details.get("admitted", "yes") == "yes"]
    if admitted:
        sentences.append(
            _s(
                f"上述事实，有{_joined([e.value for e in admitted])}及当事人陈述等证据在案佐证，"
                "本院予以确认。",
                [e.id for e in admitted],
            )
        )
    return DraftSection(name="经审理查明", sentences=sentences)


def grounds_text(state: CaseState) -> tuple[str, list[str]]:
    """事实和理由 in the plaintiff's words, kept short: the loan, its terms, the guarantee, the default."""
    f = _loan_facts(state)
    lenders, borrowers = _lenders_borrowers(state)
    debtors = _joined(borrowers)
    made = f["contract_date"] or f["loan_date"]
    used = [x.id for x in (made, f["principal"], f["due_date"]) if x is not None]
    text = f"{_cn(made.value)}，" if made else ""
    text += f"{debtors}向{_joined(lenders)}借款" + (_yuan(f["principal"].value) if f["principal"] else "")
    if f["due_date"]:
        text += f"，约定于{_cn(f['due_date'].value)}前归还"
    for g in state.facts_of("guarantee"):
        used.append(g.id)
        text += f"，{g.value}提供{g.details.get('type') or '保证'}"
    text += f"。借款到期后，{debtors}未按约定偿还借款，故诉至本院。"
    return text, used


def pleadings_section(state: CaseState) -> DraftSection:
    """诉辩意见: the plaintiff's claims and grounds, then each defendant's answer."""
    plaintiffs = party_names(state, "原告")
    claims = sorted(state.facts_of("claim"), key=lambda c: int(c.details.get("index", "0") or 0))
    items = "；".join(f"{i}.{_clause(c.value)}" for i, c in enumerate(claims, start=1))
    grounds, used = grounds_text(state)
    sentences = [
        _s(
            f"{_joined(plaintiffs)}向本院提出诉讼请求：{items}。事实和理由：{grounds}",
            [c.id for c in claims] + used,
        )
    ]
    for defendant in parties(state, "被告"):
        answers = [d for d in state.facts_of("defence") if d.details.get("party") == defendant.value]
        if answers:
            text = f"{defendant.value}辩称，{'；'.join(_clause(a.value) for a in answers)}。"
        else:
            text = f"{defendant.value}未发表答辩意见。"
        sentences.append(_s(text, [defendant.id, *(a.id for a in answers)]))
    return DraftSection(name="诉辩意见", sentences=sentences)


def reasoning_paragraph(state: CaseState, s: Syllogism, first: bool) -> Sentence:
    """One syllogism in court style: the issue, the reasoning, the answer to each argument, the conclusion."""
    opening = (
        "本院认为，" + ("合法的借贷关系受法律保护。" if state.case_type == "private_lending" else "")
        if first
        else ""
    )
    text = f"{opening}关于{_clause(s.issue)}的问题。{_clause(s.reasoning)}。"
    for ca in s.counter_arguments:
        text += f"对{ca.party}提出的“{_clause(ca.argument)}”的意见，{_clause(ca.response)}。"
    text += _clause(s.conclusion.text) + "。"
    cited = [ref.id for ref in state.statutes if f"《{ref.law}》{citation(ref)}" in text]
    facts = [*s.minor_premise, *(f for ca in s.counter_arguments for f in ca.fact_ids)]
    return _s(text, facts, cited, [s.id])


def citation_sentence(state: CaseState) -> Sentence:
    """依照《…》第…条、第…条，《…》第…条规定，判决如下： (grouped by law, in article order)."""
    refs = cited_statutes(state)
    groups: dict[str, list[StatuteRef]] = {}
    for ref in refs:
        groups.setdefault(ref.law, []).append(ref)
    cites = "，".join(f"《{law}》" + "、".join(citation(r) for r in group) for law, group in groups.items())
    text = f"综上所述，依照{cites}规定，判决如下：" if cites else "综上所述，判决如下："
    users = [s.id for s in state.syllogisms if any(r.id in s.major_premise for r in refs)]
    return _s(text, statutes=[r.id for r in refs], syllogisms=users)


def reasoning_section(state: CaseState) -> DraftSection:
    """本院认为: each claim's syllogism (costs excepted), then the citation sentence."""
    reasoned = [s for s in state.syllogisms if claim_type(state, s) != "costs"]
    sentences = [reasoning_paragraph(state, s, i == 0) for i, s in enumerate(reasoned)]
    if not sentences:
        sentences.append(_s("本院认为，"))
    sentences.append(citation_sentence(state))
    return DraftSection(name="本院认为", sentences=sentences)


def orders_section(state: CaseState) -> DraftSection:
    """判决主文: numbered orders, 驳回其他诉讼请求 where due, the 迟延履行 warning, then costs."""
    plaintiffs = _joined(party_names(state, "原告"))
    items: list[tuple[str, list[str], list[str]]] = [
        (_clause(s.conclusion.order), [s.claim_id], [s.id]) for s in upheld_orders(state)
    ]
    rejected_claims = [
        c.id
        for c in state.facts_of("claim")
        if c.details.get("type") != "costs" and c.id not in {s.claim_id for s in upheld_orders(state)}
    ]
    if items and partly_rejected(state):
        items.append((f"驳回原告{plaintiffs}的其他诉讼请求", rejected_claims, []))
    sentences = [
        _s(f"{chinese_number(i)}、{text}{'。' if i == len(items) else '；'}", facts, syllogisms=sids)
        for i, (text, facts, sids) in enumerate(items, start=1)
    ]
    if not items:
        sentences.append(_s(f"驳回原告{plaintiffs}的全部诉讼请求。", rejected_claims))
    else:
        warning = [WARNING_STATUTE] if state.statute(WARNING_STATUTE) else []
        sentences.append(_s(WARNING_TEXT, statutes=warning))
    for s in costs_syllogisms(state):
        sentences.append(_s(_clause(s.conclusion.order) + "。", [s.claim_id], syllogisms=[s.id]))
    return DraftSection(name="判决主文", sentences=sentences)


def signature_lines(info: CaseInfo) -> list[str]:
    """Judge(s), date (placeholder until signed) and clerk, as printed at the foot."""
    judges = info.judges or [JUDGE_PLACEHOLDER]
    if info.procedure == "普通程序" and len(judges) > 1:
        lines = [f"审判长　{judges[0]}", *(f"审判员　{j}" for j in judges[1:])]
    else:
        lines = [f"审判员　{j}" for j in judges]
    signed = iso_to_date(info.judgment_date)
    lines.append(cn_date_upper(signed) if signed else DATE_PLACEHOLDER)
    lines.append(f"书记员　{info.clerk or CLERK_PLACEHOLDER}")
    return lines


def tail_section(info: CaseInfo) -> DraftSection:
    """尾部: the right of appeal, then the signature block."""
    appeal = (
        "如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，并按对方当事人的人数提出副本，"
        f"上诉于{appeal_court(info.court)}。"
    )
    return DraftSection(name="尾部", sentences=[_s(appeal), *(_s(line) for line in signature_lines(info))])


def compose_draft(state: CaseState) -> Draft:
    """The whole judgment draft, sections in SECTION_ORDER (revision 0; the node numbers it)."""
    proceedings, _ = proceedings_section(state)
    built: dict[SectionName, DraftSection] = {
        "首部": head_section(state.info),
        "当事人": parties_section(state),
        "审理经过": proceedings,
        "诉辩意见": pleadings_section(state),
        "经审理查明": facts_section(state),
        "本院认为": reasoning_section(state),
        "判决主文": orders_section(state),
        "尾部": tail_section(state.info),
    }
    return Draft(sections=[built[name] for name in SECTION_ORDER])


def write_draft(state: CaseState) -> dict[str, Any]:
    """Graph node: compose the draft from the approved ledger, statutes and conclusions."""
    trace = NodeTrace("write_draft")
    draft = compose_draft(state)
    draft.revision = (state.draft.revision if state.draft else 0) + 1
    for section in draft.sections:
        trace.call("compose_section", {"section": section.name}, result=f"{len(section.sentences)} 段")
    _, assumed = proceedings_section(state)
    summary = (
        f"起草判决书第 {draft.revision} 稿（{len(draft.sections)} 部分，{len(upheld_orders(state))} 项判项）"
    )
    if assumed:
        summary += "；庭审出庭情况未载明，暂按各方当事人均到庭起草，请核对"
    comment = state.feedback.get("write_draft", "")
    if comment:
        summary += (
            "；法官退回意见已记录（规则引擎不能据自由文本改写判决书，本稿仍按已确认的事实、法条和结论生成，"
            f"请在签发节点以编辑方式修改相应部分）：{comment}"
        )
    inputs = {"facts": len(state.facts), "statutes": [s.id for s in state.statutes], "judge_comment": comment}
    outputs = {"revision": draft.revision, "characters": len(draft.text), "attendance_assumed": assumed}
    event = trace.event(
        summary,
        inputs={**inputs, "syllogisms": [s.id for s in state.syllogisms]},
        outputs={**outputs, "sections": [s.name for s in draft.sections]},
    )
    return refine_with_model("write_draft", state, {"draft": draft, "trace": [event]})

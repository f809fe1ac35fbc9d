"""Reasoning: one judicial syllogism per claim (statutes + facts → conclusion), with the arithmetic.

The rules engine proposes each conclusion; under the civil_simple policy the judge confirms or
changes it at the reasoning checkpoint. Figures are computed by the tools, never written here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from judgeflow.agents.model_steps.refine import refine_with_model
from judgeflow.agents.trace import NodeTrace
from judgeflow.graph.state import (
    CaseState,
    ComputationStep,
    Conclusion,
    CounterArgument,
    Disposition,
    Fact,
    Syllogism,
)
from judgeflow.tools.amounts import format_yuan, yuan_text
from judgeflow.tools.court_fees import acceptance_fee
from judgeflow.tools.dates import Period, add_period, cn_date, parse_period
from judgeflow.tools.interest import allocate_repayments, capped_interest, interest_cap
from judgeflow.tools.rates import percent_text

ZERO = Decimal("0")


@dataclass
class LoanFigures:
    """What the ledger says about the loan, and what the law makes of it."""

    lender: str
    borrowers: list[str]
    principal: Decimal
    principal_fact: Fact | None
    loan_date: date | None
    contract_date: date | None
    due_date: date | None
    agreed_rate: Decimal | None
    rate_fact: Fact | None
    cap_rate: Decimal | None = None
    cap_basis: str = ""
    principal_left: Decimal = ZERO
    interest_from: date | None = None
    steps: list[ComputationStep] = field(default_factory=list)
    fact_ids: list[str] = field(default_factory=list)


_LEDGER_PERIOD = re.compile(r"^\s*(\d+)\s*(day|month|year)s?\s*$")


def ledger_period(text: str) -> Period:
    """A period as the ledger stores it ("6 months") or as documents write it ("六个月")."""
    m = _LEDGER_PERIOD.match(text)
    if m:
        return Period(int(m.group(1)), m.group(2))  # type: ignore[arg-type]
    return parse_period(text)


def _iso_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _first(facts: list[Fact]) -> Fact | None:
    return facts[0] if facts else None


def _names(state: CaseState, **details: str) -> list[str]:
    return [p.value for p in state.facts_of("party", **details)]


def _step(label: str, formula: str, result: str) -> ComputationStep:
    return ComputationStep(label=label, formula=formula, result=result)


def loan_figures(state: CaseState) -> LoanFigures:
    """Principal, dates, rate, the legal cap and repayments, worked out from the ledger."""
    principal_fact = _first(state.facts_of("amount", purpose="principal"))
    dates = {p: _first(state.facts_of("date", purpose=p)) for p in ("loan_date", "contract_date", "due_date")}
    rate_fact = _first(state.facts_of("rate", purpose="interest")) or _first(state.facts_of("rate"))
    lenders = _names(state, role="原告")
    borrowers = _names(state, capacity="借款人") or _names(state, role="被告")[:1]
    loan = LoanFigures(
        lender=lenders[0] if lenders else "原告",
        borrowers=borrowers,
        principal=Decimal(principal_fact.value) if principal_fact else ZERO,
        principal_fact=principal_fact,
        loan_date=_iso_date(dates["loan_date"].value) if dates["loan_date"] else None,
        contract_date=_iso_date(dates["contract_date"].value) if dates["contract_date"] else None,
        due_date=_iso_date(dates["due_date"].value) if dates["due_date"] else None,
        agreed_rate=Decimal(rate_fact.value) if rate_fact else None,
        rate_fact=rate_fact,
    )
    loan.fact_ids = [f.id for f in (principal_fact, *dates.values(), rate_fact) if f is not None]
    concluded = loan.contract_date or loan.loan_date
    filed = _iso_date(state.info.filing_date)
    if concluded is not None:
        # The ceiling for interest still running: for pre-2020-08-20 contracts, 4 × LPR at filing.
        cap = interest_cap(concluded, max(concluded, filed or concluded), filed=filed)
        loan.cap_rate, loan.cap_basis = cap.annual, cap.basis
        loan.steps.append(_step("民间借贷利率上限", cap.basis, percent_text(cap.annual)))
    loan.principal_left = loan.principal
    loan.interest_from = loan.loan_date
    repayments = state.facts_of("repayment")
    if repayments and loan.loan_date is not None:
        paid = [(d, Decimal(f.value)) for f in repayments if (d := _iso_date(f.details.get("date", "")))]
        allocation = allocate_repayments(
            loan.principal,
            loan.agreed_rate or ZERO,
            concluded or loan.loan_date,
            loan.loan_date,
            sorted(paid),
            max(d for d, _ in paid) if paid else loan.loan_date,
            filed=filed,
        )
        loan.principal_left = allocation.principal_left
        loan.interest_from = allocation.last_date
        loan.steps.extend(_step(s.label, s.formula, s.result) for s in allocation.steps)
        loan.fact_ids.extend(f.id for f in repayments)
    return loan


def _defences(state: CaseState, *topics: str) -> list[Fact]:
    return [d for d in state.facts_of("defence") if d.details.get("topic", "other") in topics]


def _counter(defence: Fact, response: str) -> CounterArgument:
    return CounterArgument(
        party=defence.details.get("party", "被告"),
        argument=defence.value,
        fact_ids=[defence.id],
        response=response,
    )


def _claimed(claim: Fact) -> Decimal | None:
    amount = claim.details.get("amount", "")
    return Decimal(amount) if amount else None


def _statutes_for(state: CaseState, claim: Fact) -> list[str]:
    return [s.id for s in state.statutes if claim.id in s.claim_ids]


def _joined(names: list[str]) -> str:
    return "、".join(names) if names else "被告"


def principal_syllogism(state: CaseState, claim: Fact, loan: LoanFigures, sid: str) -> Syllogism:
    """Return of the principal: the loan was delivered and is due; what remains unpaid."""
    claimed = _claimed(claim) or loan.principal_left
    award = min(claimed, loan.principal_left)
    disposition: Disposition = "支持" if award == claimed else ("部分支持" if award > 0 else "不予支持")
    borrowers = _joined(loan.borrowers)
    due = f"，约定于{cn_date(loan.due_date)}前归还" if loan.due_date else ""
    lent = cn_date(loan.loan_date) if loan.loan_date else "借款时"
    reasoning = (
        f"{loan.lender}与{borrowers}之间的借款合同系双方真实意思表示，不违反法律、行政法规的强制性规定，"
        f"合法有效。{loan.lender}已于{lent}向{borrowers}提供借款{yuan_text(loan.principal)}{due}，"
        f"借款合同自提供借款时成立。{borrowers}未按约定期限返还借款，应当承担返还借款的责任。"
    )
    if loan.principal_left != loan.principal:
        reasoning += f"扣除已还款项中抵充本金的部分，尚欠借款本金{yuan_text(loan.principal_left)}。"
    counters = [
        _counter(
            d,
            "经济困难并非拒绝或者迟延履行还款义务的法定理由；分期履行须经原告同意，原告不同意，本院不予采纳。"
            if d.details.get("topic") in ("principal", "other")
            else "该项抗辩不能成立。",
        )
        for d in _defences(state, "principal")
    ]
    counters += [
        _counter(
            d,
            "依照《中华人民共和国民法典》第五百六十一条，除当事人另有约定外，还款应先抵充利息、后抵充本金；"
            "被告未举证证明双方另有约定，对该抗辩意见本院不予采纳，还款按法定顺序抵充。",
        )
        for d in _defences(state, "repayment")
    ]
    order = (
        f"被告{borrowers}于本判决生效之日起十日内偿还原告{loan.lender}借款本金{yuan_text(award)}"
        if award > 0
        else ""
    )
    return Syllogism(
        id=sid,
        claim_id=claim.id,
        issue=f"{borrowers}应否返还借款本金及尚欠本金数额",
        major_premise=_statutes_for(state, claim),
        minor_premise=[claim.id, *loan.fact_ids, *(c.fact_ids[0] for c in counters)],
        reasoning=reasoning,
        computation=list(loan.steps),
        counter_arguments=counters,
        conclusion=Conclusion(
            disposition=disposition,
            text=f"对{loan.lender}请求返还借款本金{yuan_text(claimed)}的诉讼请求，本院{_verdict(disposition)}"
            + (f"，确定尚欠本金为{yuan_text(award)}" if disposition == "部分支持" else "")
            + "。",
            award=format_yuan(award),
            order=order,
        ),
    )


def _verdict(disposition: Disposition) -> str:
    return {"支持": "予以支持", "部分支持": "部分予以支持", "不予支持": "不予支持"}[disposition]


def interest_syllogism(
    state: CaseState, claim: Fact, loan: LoanFigures, sid: str, base: Decimal
) -> Syllogism:
    """Interest: at the agreed rate, never above the legal cap, from when it runs to payment."""
    claimed_rate = Decimal(claim.details["rate"]) if claim.details.get("rate") else loan.agreed_rate
    borrowers = _joined(loan.borrowers)
    steps: list[ComputationStep] = []
    counters: list[CounterArgument] = []
    if claimed_rate is None or claimed_rate <= 0:
        reasoning = "借款合同对支付利息没有约定，自然人之间借款视为没有利息。"
        return Syllogism(
            id=sid,
            claim_id=claim.id,
            issue="利息请求有无依据",
            major_premise=_statutes_for(state, claim),
            minor_premise=[claim.id, *loan.fact_ids],
            reasoning=reasoning,
            conclusion=Conclusion(disposition="不予支持", text="对利息请求，本院不予支持。", order=""),
        )
    rate = claimed_rate
    capped = loan.cap_rate is not None and claimed_rate > loan.cap_rate
    if capped and loan.cap_rate is not None:
        rate = loan.cap_rate
    claimed_from = _iso_date(claim.details.get("from_date", ""))
    start = (
        max(d for d in (claimed_from, loan.interest_from) if d is not None)
        if (claimed_from or loan.interest_from)
        else None
    )
    filing = _iso_date(state.info.filing_date)
    if start is not None and filing is not None and filing > start:
        result = capped_interest(base, rate, loan.contract_date or start, start, filing, filed=filing)
        steps.extend(_step(s.label, s.formula, s.result) for s in result.steps)
        steps.append(
            _step(
                "截至立案日的利息（供核对，判项按实际清偿日计算）",
                f"以{format_yuan(base)}元为基数，{cn_date(start)}至{cn_date(filing)}，年利率{percent_text(rate)}",
                format_yuan(result.amount),
            )
        )
    reasoning = (
        f"双方约定借款利率为年利率{percent_text(loan.agreed_rate or claimed_rate)}。"
        if loan.agreed_rate
        else ""
    )
    if capped and loan.cap_rate is not None:
        reasoning += (
            f"出借人请求的利率超过合同成立时一年期贷款市场报价利率四倍（{percent_text(loan.cap_rate)}），"
            f"超过部分不受法律保护，利息应按年利率{percent_text(loan.cap_rate)}计算。"
        )
    else:
        reasoning += "该利率未超过法律规定的上限，应予保护。"
    start_text = cn_date(start) if start else "借款之日"
    reasoning += (
        f"{borrowers}应以尚欠本金{yuan_text(base)}为基数，自{start_text}起按年利率{percent_text(rate)}"
        "支付利息至实际清偿之日止。"
    )
    for d in _defences(state, "interest"):
        response = (
            "该抗辩部分成立，超过法定上限的利息本院不予支持。"
            if capped
            else "约定利率未超过法定上限，对该抗辩意见本院不予采纳。"
        )
        counters.append(_counter(d, response))
    disposition: Disposition = "部分支持" if capped else "支持"
    order = (
        f"被告{borrowers}于本判决生效之日起十日内支付原告{loan.lender}利息"
        f"（以{yuan_text(base)}为基数，自{start_text}起按年利率{percent_text(rate)}计算至实际清偿之日止）"
    )
    return Syllogism(
        id=sid,
        claim_id=claim.id,
        issue="利息的计算标准及起算时间",
        major_premise=_statutes_for(state, claim),
        minor_premise=[claim.id, *loan.fact_ids, *(c.fact_ids[0] for c in counters)],
        reasoning=reasoning,
        computation=[*(s for s in loan.steps if "上限" in s.label), *steps],
        counter_arguments=counters,
        conclusion=Conclusion(
            disposition=disposition,
            text=f"对利息请求，本院{_verdict(disposition)}，按年利率{percent_text(rate)}计算。",
            order=order,
        ),
    )


def guarantee_syllogism(state: CaseState, claim: Fact, loan: LoanFigures, sid: str) -> Syllogism:
    """Guarantee: the kind of guarantee, its period, and whether the creditor acted within it."""
    guarantee = _first(state.facts_of("guarantee"))
    guarantor = guarantee.value if guarantee else _joined(_names(state, capacity="保证人"))
    joint = guarantee is not None and guarantee.details.get("type") == "连带责任保证"
    facts = [claim.id, *([guarantee.id] if guarantee else []), *loan.fact_ids]
    steps: list[ComputationStep] = []
    period_text = guarantee.details.get("period", "") if guarantee else ""
    period = ledger_period(period_text) if period_text else Period(6, "month")
    period_basis = "双方约定" if period_text else "未约定保证期间，依法为主债务履行期限届满之日起六个月"
    within = False
    acted_on: date | None = None
    if loan.due_date is not None:
        period_end = add_period(loan.due_date, period)
        steps.append(_step("保证期间", f"{cn_date(loan.due_date)}起{period_basis}", cn_date(period_end)))
        if joint:
            demands = [
                d
                for d in state.facts_of("date", purpose="demand_date")
                if d.details.get("party") == guarantor
            ]
            facts += [d.id for d in demands]
            dated = sorted(x for d in demands if (x := _iso_date(d.value)))
            acted_on = next((d for d in dated if loan.due_date <= d <= period_end), None)
        else:
            acted_on = _iso_date(state.info.filing_date)
        within = acted_on is not None and acted_on <= period_end
    kind_text = "连带责任保证" if joint else "一般保证（保证方式没有约定或者约定不明确）"
    reasoning = f"{guarantor}在借条上以保证人身份签字，与出借人成立保证合同，保证方式为{kind_text}。"
    if within and acted_on is not None:
        reasoning += (
            f"{loan.lender}于{cn_date(acted_on)}向{guarantor}主张保证责任，在保证期间内，"
            f"{guarantor}应当在保证范围内承担保证责任，其承担保证责任后有权向债务人追偿。"
        )
    else:
        reasoning += (
            f"{loan.lender}未能证明在保证期间内向{guarantor}主张保证责任，{guarantor}不再承担保证责任。"
        )
    counters = [
        _counter(
            d,
            f"{loan.lender}已在保证期间内向{guarantor}主张权利，该抗辩不能成立，本院不予采纳。"
            if within
            else "该抗辩成立，本院予以采纳。",
        )
        for d in _defences(state, "guarantee_period")
    ]
    facts += [c.fact_ids[0] for c in counters]
    disposition: Disposition = "支持" if within else "不予支持"
    liability = "连带清偿责任" if joint else "在债务人财产依法强制执行后仍不能履行的部分承担保证责任"
    order = (
        f"被告{guarantor}对本判决第一项、第二项确定的债务承担{liability}；"
        f"被告{guarantor}承担保证责任后，有权向被告{_joined(loan.borrowers)}追偿"
        if within
        else ""
    )
    return Syllogism(
        id=sid,
        claim_id=claim.id,
        issue=f"{guarantor}应否承担保证责任（保证期间是否届满）",
        major_premise=_statutes_for(state, claim),
        minor_premise=facts,
        reasoning=reasoning,
        computation=steps,
        counter_arguments=counters,
        conclusion=Conclusion(
            disposition=disposition,
            text=f"对要求{guarantor}承担保证责任的诉讼请求，本院{_verdict(disposition)}。",
            order=order,
        ),
    )


def costs_syllogism(
    state: CaseState, claim: Fact, loan: LoanFigures, sid: str, claimed: Decimal, awarded: Decimal
) -> Syllogism:
    """Court costs: the acceptance fee on the amount claimed, borne in proportion to the outcome."""
    simple = state.info.procedure == "简易程序"
    full = acceptance_fee(claimed, simple_procedure=False)
    fee = acceptance_fee(claimed, simple_procedure=simple)
    steps = [
        _step(
            "案件受理费",
            f"诉讼请求金额{format_yuan(claimed)}元，按《诉讼费用交纳办法》第十三条计算",
            format_yuan(full),
        )
    ]
    if simple:
        steps.append(_step("简易程序减半收取", f"{format_yuan(full)} ÷ 2", format_yuan(fee)))
    defendants = _joined(_names(state, role="被告"))
    if claimed <= 0 or awarded >= claimed:
        share_text = f"由被告{defendants}负担"
    else:
        defendant_share = (fee * awarded / claimed).quantize(Decimal("0.01"))
        plaintiff_share = fee - defendant_share
        steps.append(
            _step(
                "按胜诉比例分担",
                f"{format_yuan(fee)} × {format_yuan(awarded)} ÷ {format_yuan(claimed)}",
                format_yuan(defendant_share),
            )
        )
        share_text = f"由原告{loan.lender}负担{yuan_text(plaintiff_share)}，由被告{defendants}负担{yuan_text(defendant_share)}"
    fee_text = (
        f"案件受理费{yuan_text(full)}，减半收取计{yuan_text(fee)}，{share_text}"
        if simple
        else f"案件受理费{yuan_text(full)}，{share_text}"
    )
    return Syllogism(
        id=sid,
        claim_id=claim.id,
        issue="诉讼费用的负担",
        major_premise=_statutes_for(state, claim),
        minor_premise=[claim.id],
        reasoning="诉讼费用由败诉方负担，部分胜诉的按比例分担。",
        computation=steps,
        conclusion=Conclusion(disposition="支持", text=fee_text + "。", order=fee_text),
    )


def propose_syllogisms(state: CaseState) -> list[Syllogism]:
    """One syllogism per claim, in claim order, with the engine's proposed conclusions."""
    loan = loan_figures(state)
    claims = state.facts_of("claim")
    syllogisms: list[Syllogism] = []
    principal_awarded = loan.principal_left
    for number, claim in enumerate(claims, start=1):
        sid = f"S{number}"
        kind = claim.details.get("type", "other")
        if kind == "principal":
            syllogism = principal_syllogism(state, claim, loan, sid)
            principal_awarded = Decimal(syllogism.conclusion.award or "0")
        elif kind == "interest":
            syllogism = interest_syllogism(state, claim, loan, sid, principal_awarded)
        elif kind == "guarantee":
            syllogism = guarantee_syllogism(state, claim, loan, sid)
        else:
            continue
        syllogisms.append(syllogism)
    costs = next((c for c in claims if c.details.get("type") == "costs"), None)
    if costs is not None:
        claimed = sum((_claimed(c) or ZERO for c in claims if c.details.get("type") == "principal"), ZERO)
        awarded = sum((Decimal(s.conclusion.award or "0") for s in syllogisms if s.conclusion.award), ZERO)
        syllogisms.append(costs_syllogism(state, costs, loan, f"S{len(syllogisms) + 1}", claimed, awarded))
    return syllogisms


def build_reasoning(state: CaseState) -> dict[str, Any]:
    """Graph node: propose one syllogism per claim for the judge to confirm or change."""
    trace = NodeTrace("build_reasoning")
    syllogisms = propose_syllogisms(state)
    for s in syllogisms:
        trace.call("syllogism", {"claim": s.claim_id, "statutes": s.major_premise}, s.conclusion.disposition)
    comment = state.feedback.get("build_reasoning", "")
    summary = f"为 {len(syllogisms)} 项诉讼请求拟定三段论（结论为建议，待法官确认）"
    if comment:
        summary += f"；法官退回意见已记录（规则引擎不能据自由文本改写说理，请在审批节点以编辑方式修改结论）：{comment}"
    event = trace.event(
        summary,
        inputs={"claims": [c.id for c in state.facts_of("claim")], "judge_comment": comment},
        outputs={"syllogisms": {s.id: s.conclusion.disposition for s in syllogisms}},
    )
    return refine_with_model("build_reasoning", state, {"syllogisms": syllogisms, "trace": [event]})

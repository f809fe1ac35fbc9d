"""Criminal reasoning: for each defendant and charge, a syllogism that convicts and proposes a sentence.

The major premise is the charge's article and the articles the sentencing steps use; the minor
premise is the approved facts about that defendant; the computation is the sentencing calculator's
steps (量刑起点 → 基准刑 → 情节调节 → 宣告刑, 罚金, 缓刑), each of which the judge may set at the
reasoning checkpoint — the proposal is then recomputed from the judge's values. Several charges
for one defendant add a 数罪并罚 syllogism whose order is the one printed in the judgment.
Conviction and sentence are the judge's decisions; under the criminal policy nothing here is
final until the judge approves it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from judgeflow.agents.criminal.charges import known_charge
from judgeflow.agents.criminal.facts import CriminalFacts
from judgeflow.agents.criminal.ledger import ledger_view
from judgeflow.agents.criminal.property import (
    PropertyCategory,
    PropertyOrder,
    property_orders,
    recovered,
    victim_loss_offence,
)
from judgeflow.agents.model_steps.refine import refine_with_model
from judgeflow.agents.trace import NodeTrace
from judgeflow.graph.state import (
    CaseState,
    ComputationStep,
    Conclusion,
    Fact,
    SentenceOutcome,
    Syllogism,
)
from judgeflow.knowledge_graph.unit_crime import unit_liability
from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import format_yuan
from judgeflow.tools.sentencing import (
    CombinedSentence,
    OffenceInput,
    ProsecutionRecommendation,
    SentenceProposal,
    SentencingStep,
    SentencingUnavailable,
    combine,
    propose_sentence,
    term_dates,
    term_text,
)

TERM_PENALTIES = ("有期徒刑", "拘役", "管制", "无期徒刑")
CRIMINAL_LAW_SHORT = "刑法"


def defendant_facts(state: CaseState) -> list[Fact]:
    """The defendants in the ledger, in order."""
    return [f for f in state.facts_of("party") if f.details.get("role") == "被告人"]


def charges_of(state: CaseState, name: str) -> list[Fact]:
    """The charges before the court for one defendant."""
    return [f for f in state.facts_of("charge") if f.details.get("defendant") in ("", name)]


def _concerns(fact: Fact, name: str) -> bool:
    owners = fact.details.get("defendant") or fact.details.get("defendants", "")
    return not owners or name in owners.split("、")


def _minor_premise(state: CaseState, party: Fact, charge: Fact) -> list[str]:
    kinds = ("quantity", "amount", "circumstance", "custody", "prior_record")
    ids = [party.id, charge.id]
    ids += [
        f.id
        for f in state.facts
        if f.kind in kinds and _concerns(f, party.value) and not f.details.get("negated")
    ]
    return ids


def _statute_id(article: str) -> str:
    return f"{CRIMINAL_LAW_SHORT}:{article}"


def _major_premise(state: CaseState, articles: Sequence[str]) -> list[str]:
    """The articles used that are before the court, as statute ids (unknown ones are left out)."""
    present = {s.id for s in state.statutes}
    out: list[str] = []
    for article in articles:
        base = article.split("第")[0]
        sid = _statute_id(base)
        if sid in present and sid not in out:
            out.append(sid)
    return out


def _step_result(step: SentencingStep) -> str:
    if step.months_after is None:
        return "" if step.value is None else f"{step.value:g}"
    months = step.months_after
    shown = term_text(round(months)) if months >= 1 else f"{months:g}个月"
    return f"{shown}（{months:g}个月）"


def _formula(step: SentencingStep) -> str:
    parts = [step.basis]
    if step.ratio is not None:
        parts.append(f"调节比例 {step.ratio:+.0%}")
    if step.months_before is not None and step.months_after is not None:
        parts.append(f"{step.months_before:g} → {step.months_after:g} 个月")
    if step.set_by == "judge":
        parts.append("（法官设定）")
    parts += list(step.warnings)
    return "；".join(p for p in parts if p)


def _steps(proposal: SentenceProposal | CombinedSentence) -> list[ComputationStep]:
    return [
        ComputationStep(
            label=step.label,
            formula=_formula(step),
            result=_step_result(step),
            step_id=step.id,
            editable=step.editable,
        )
        for step in proposal.steps
    ]


def _outcome(
    name: str,
    proposal: SentenceProposal | CombinedSentence,
    custody: Sequence[tuple[date, date | None]],
    today: date,
) -> SentenceOutcome:
    start = end = ""
    probation = bool(proposal.probation_months)
    if proposal.kind in ("有期徒刑", "拘役", "管制") and proposal.months and not probation and custody:
        dates = term_dates(proposal.kind, proposal.months, custody, today)
        start = dates.start.isoformat() if dates.start else ""
        end = dates.end.isoformat() if dates.end else ""
    return SentenceOutcome(
        defendant=name,
        penalty=proposal.kind,
        months=proposal.months,
        fine=format_yuan(proposal.fine_yuan) if proposal.fine_yuan else "",
        probation_months=proposal.probation_months or 0,
        term_start=start,
        term_end=end,
    )


def custody_periods(view: CriminalFacts, name: str) -> list[tuple[date, date | None]]:
    """Periods of pre-trial detention: from 刑事拘留/逮捕 to a release (取保候审 …) or still running."""
    defendant = view.defendant(name)
    if defendant is None:
        return []
    periods: list[tuple[date, date | None]] = []
    start: date | None = None
    for event in sorted((e for e in defendant.custody if e.on), key=lambda e: e.on or date.min):
        assert event.on is not None
        if event.kind in ("刑事拘留", "逮捕", "羁押") and start is None:
            start = event.on
        elif event.kind in ("取保候审", "监视居住", "释放") and start is not None:
            periods.append((start, event.on - timedelta(days=1)))
            start = None
    if start is not None:
        periods.append((start, None))
    return periods


def _judgment_day(state: CaseState) -> date:
    for text in (state.info.judgment_date, state.info.hearing_date):
        try:
            return date.fromisoformat(text)
        except ValueError:
            continue
    return date.today()


def _confiscation_words(proposal: SentenceProposal | CombinedSentence) -> str:
    """并处没收个人财产 where the tier's article adds it instead of a fine (the amount is the judge's)."""
    parts = proposal.parts if isinstance(proposal, CombinedSentence) else (proposal,)
    if any(step.id == "confiscation" for p in parts for step in p.steps):
        return "，并处没收个人财产（数额待法官确定）"
    return ""


def _sentence_words(outcome: SentenceOutcome) -> str:
    from judgeflow.agents.criminal.draft import sentence_text

    return sentence_text(outcome)


# How a judgment states each circumstance's effect (刑法 and the sentencing guideline's wording).
CIRCUMSTANCE_WORDS: dict[str, str] = {
    "自首": "犯罪以后自动投案，如实供述自己的罪行，系自首，依法可以从轻处罚",
    "坦白": "归案后如实供述自己的罪行，依法可以从轻处罚",
    "当庭认罪": "当庭自愿认罪，可以酌情从轻处罚",
    "认罪认罚": "自愿认罪认罚，依法可以从宽处理",
    "累犯": "系累犯，依法应当从重处罚",
    "毒品再犯": "系毒品再犯，依法应当从重处罚",
    "前科": "有前科，可以酌情从重处罚",
    "未遂": "已经着手实行犯罪，由于意志以外的原因而未得逞，系犯罪未遂，依法可以比照既遂犯从轻或者减轻处罚",
    "中止": "系犯罪中止，依法应当减轻或者免除处罚",
    "从犯": "在共同犯罪中起次要或者辅助作用，系从犯，依法应当从轻、减轻处罚",
    "胁从犯": "系胁从犯，依法应当按照其犯罪情节减轻处罚或者免除处罚",
    "退赃退赔": "积极退赃退赔，可以酌情从轻处罚",
    "赔偿损失": "积极赔偿被害人经济损失，可以酌情从轻处罚",
    "取得谅解": "取得被害人谅解，可以酌情从轻处罚",
    "赔偿并谅解": "积极赔偿被害人经济损失并取得谅解，可以酌情从轻处罚",
    "未成年": "犯罪时不满十八周岁，依法应当从轻或者减轻处罚",
    "已满75周岁": "已满七十五周岁，依法可以从轻或者减轻处罚",
    "立功": "有立功表现，依法可以从轻或者减轻处罚",
}


def _reasoning(name: str, charge: Fact, proposal: SentenceProposal, joint: bool = False) -> str:
    """本院认为 for one charge: conviction, the prosecution's charge upheld, each circumstance's effect."""
    text = f"被告人{name}的行为已构成{charge.value}。"
    if joint:
        text += "本案系共同犯罪。"
    if charge.details.get("basis") == "指控":
        text += f"公诉机关指控被告人{name}犯{charge.value}的事实清楚，证据确实、充分，指控罪名成立。"
    said = []
    for step in proposal.steps:
        if not step.id.startswith("adj:"):
            continue
        circumstance = step.id.removeprefix("adj:")
        words = CIRCUMSTANCE_WORDS.get(circumstance)
        if words and words not in said:
            said.append(words)
    if said:
        text += f"被告人{name}" + "；".join(said) + "。"
    if proposal.probation_months:
        text += "根据其犯罪情节和悔罪表现，适用缓刑确实不致再危害社会，可以宣告缓刑。"
    return text


# 刑法分则第六章第七节 (走私、贩卖、运输、制造毒品罪): 毒品再犯 (第三百五十六条) is a circumstance of a new
# offence of this section only.
_DRUG_SECTION = range(347, 358)


def _for_charge(circumstances: Iterable[str], charge_articles: Sequence[int]) -> frozenset[str]:
    """The defendant's circumstances that bear on this charge: 毒品再犯 only on a drug offence."""
    out = frozenset(circumstances)
    if charge_articles and not any(a in _DRUG_SECTION for a in charge_articles):
        out -= {"毒品再犯"}
    return out


def offence_input(
    view: CriminalFacts, name: str | None, charge: str, charge_articles: Sequence[int] = ()
) -> OffenceInput:
    """What the calculator needs about one defendant's offence (None: the text names no defendant)."""
    defendant = view.defendant(name) if name else None
    rec = view.recommendation(name)
    return OffenceInput(
        charge=charge,
        amount_yuan=view.amount_total(name),
        drug_grams=view.drug_grams(name),
        bac_mg_per_100ml=view.bac(name),
        injuries=view.injuries(name),
        deaths=view.deaths(name),
        times=view.times(name),
        persons=view.persons(name),
        gambling_profit=view.gambling_profit(name),
        circumstances=_for_charge(view.circumstances_of(name), charge_articles),
        age=defendant.age if defendant else None,
        articles=tuple(charge_articles),
        joint=len(view.defendants) > 1 or "共同犯罪" in view.circumstances_of(name),
        recommendation=ProsecutionRecommendation(
            kind=rec.kind,
            low_months=rec.low_months,
            high_months=rec.high_months,
            fine_yuan=rec.fine_yuan,
            probation=rec.probation,
        )
        if rec
        else None,
    )


def _int_articles(text: str) -> tuple[int, ...]:
    out = []
    for part in filter(None, text.split("、")):
        digits = "".join(ch for ch in part.split("之")[0] if ch.isdigit())
        if digits:
            out.append(int(digits))
    return tuple(out)


@dataclass(frozen=True)
class PlannedCharge:
    """One defendant's charge with its syllogism id and the calculator's proposal (or why there is none)."""

    sid: str
    party: Fact
    charge: Fact
    proposal: SentenceProposal | None
    unavailable: str = ""


def sentencing_plan(state: CaseState) -> list[tuple[Fact, list[PlannedCharge], str]]:
    """Per defendant: the planned charges and the id of the 数罪并罚 syllogism ("" for one charge)."""
    view = ledger_view(state)
    plan: list[tuple[Fact, list[PlannedCharge], str]] = []
    number = 0
    for party in defendant_facts(state):
        name = party.value
        planned = []
        for charge in charges_of(state, name):
            number += 1
            sid = f"S{number}"
            known = known_charge(charge.value)
            canonical = charge.details.get("canonical") or (known.name if known else charge.value)
            try:
                offence = offence_input(
                    view, name, canonical, _int_articles(charge.details.get("article", ""))
                )
                planned.append(
                    PlannedCharge(sid, party, charge, propose_sentence(offence, _overrides(state, sid)))
                )
            except SentencingUnavailable as exc:
                planned.append(PlannedCharge(sid, party, charge, None, str(exc)))
            except ToolInputError as exc:
                if sid in state.sentencing_overrides:
                    raise  # a judge's value the calculator cannot use: refused at the edit
                planned.append(PlannedCharge(sid, party, charge, None, str(exc)))
        combined_sid = ""
        if sum(1 for p in planned if p.proposal) > 1:
            number += 1
            combined_sid = f"S{number}"
        plan.append((party, planned, combined_sid))
    return plan


def used_articles(plan: list[tuple[Fact, list[PlannedCharge], str]]) -> list[tuple[str, str, str]]:
    """(article, why, fact id) for every article the plan relies on, charges first."""
    out: list[tuple[str, str, str]] = []
    for _, planned, _ in plan:
        for p in planned:
            for article in filter(None, p.charge.details.get("article", "").split("、")):
                out.append(
                    (article, f"罪名“{p.charge.value}”的罪状与法定刑（罪名层：定义条文）", p.charge.id)
                )
    for _, planned, _ in plan:
        for p in planned:
            if p.proposal is None:
                continue
            for step in p.proposal.steps:
                for number in step.articles:
                    out.append((str(number), f"量刑步骤“{step.label}”所依据的条文", p.charge.id))
            for number in p.proposal.articles:
                out.append((str(number), f"量刑建议（{p.charge.value}）所依据的条文", p.charge.id))
        proposals = [p.proposal for p in planned if p.proposal]
        if len(proposals) > 1:
            for number in combine(proposals).articles:
                out.append((str(number), "数罪并罚所依据的条文", planned[0].party.id))
    return out


def propose_syllogisms(state: CaseState) -> tuple[list[Syllogism], list[str]]:
    """Every defendant's syllogisms (and 数罪并罚 where due), and the notes for the trace."""
    view = ledger_view(state)
    today = _judgment_day(state)
    syllogisms: list[Syllogism] = []
    notes: list[str] = []
    for party, planned, combined_sid in sentencing_plan(state):
        name = party.value
        custody = custody_periods(view, name)
        for p in planned:
            charge = p.charge
            if p.proposal is None:
                notes.append(f"{name}/{charge.value}：{p.unavailable}")
                syllogisms.append(_unavailable(state, p.sid, party, charge, p.unavailable))
                continue
            proposal = p.proposal
            outcome = _outcome(name, proposal, custody, today)
            words = _sentence_words(outcome) + _confiscation_words(proposal)
            articles = [*charge.details.get("article", "").split("、"), *(str(a) for a in proposal.articles)]
            syllogisms.append(
                Syllogism(
                    id=p.sid,
                    claim_id=charge.id,
                    issue=f"被告人{name}的行为是否构成{charge.value}，应如何量刑",
                    major_premise=_major_premise(state, articles),
                    minor_premise=_minor_premise(state, party, charge),
                    reasoning=_reasoning(
                        name, charge, proposal, joint="共同犯罪" in view.circumstances_of(name)
                    ),
                    computation=_steps(proposal),
                    conclusion=Conclusion(
                        disposition="支持",
                        text=f"被告人{name}犯{charge.value}，{words}。",
                        order="" if combined_sid else f"被告人{name}犯{charge.value}，{words}",
                    ),
                    sentence=outcome.model_copy(update={"text": words}),
                )
            )
        if combined_sid:
            finals = [(p.charge, p.proposal) for p in planned if p.proposal is not None]
            syllogisms.append(_combined(state, combined_sid, party, finals, custody, today))
    for unit in unit_facts(state):
        convicted = _unit_syllogism(state, f"S{len(syllogisms) + 1}", unit)
        if convicted is None:
            notes.append(
                f"被告单位{unit.value}：指控的罪名法律未规定单位可以构成，未提出处罚建议，请法官确定"
            )
        else:
            syllogisms.append(convicted)
    disposal = _property_syllogism(state, f"S{len(syllogisms) + 1}")
    if disposal is not None:
        syllogisms.append(disposal)
    return syllogisms, notes


# ------------------------------------------------------------------------------- 单位犯罪 (art. 30, 31)


def unit_facts(state: CaseState) -> list[Fact]:
    """The defendant organisations (被告单位) in the ledger, in order."""
    return [f for f in state.facts_of("party") if f.details.get("role") == "被告单位"]


def _unit_charges(state: CaseState) -> tuple[list[Fact], list[str]]:
    """The charges before the court that an organisation can commit, and the articles saying so."""
    charges: list[Fact] = []
    clauses: list[str] = []
    for charge in state.facts_of("charge"):
        found = [unit_liability(a) for a in charge.details.get("article", "").split("、") if a]
        found_clauses = [c for c in found if c]
        if found_clauses and all(c.value != charge.value for c in charges):
            charges.append(charge)
            clauses += [c for c in found_clauses if c not in clauses]
    return charges, clauses


def _unit_syllogism(state: CaseState, sid: str, unit: Fact) -> Syllogism | None:
    """An organisation is convicted and fined (刑法第三十条、第三十一条), or None with nothing to convict of.

    Only a charge the law makes a 单位犯罪 applies (`knowledge_graph.unit_crime`). The guideline gives
    no method for an organisation's fine, so the amount is the judge's: the order says so rather than
    print a figure nobody computed.
    """
    charges, clauses = _unit_charges(state)
    if not charges:
        return None
    named = "、".join(c.value for c in charges)
    articles = [a for c in charges for a in c.details.get("article", "").split("、") if a]
    return Syllogism(
        id=sid,
        claim_id=unit.id,
        issue=f"被告单位{unit.value}是否构成{named}，应如何处罚",
        major_premise=_major_premise(state, [*articles, *clauses, "30", "31"]),
        minor_premise=[unit.id, *(c.id for c in charges)],
        reasoning=(
            f"被告单位{unit.value}的行为已构成{named}，依法应当负刑事责任，对单位判处罚金，"
            "并对其直接负责的主管人员和其他直接责任人员判处刑罚。罚金数额由法官根据犯罪情节确定。"
        ),
        conclusion=Conclusion(
            disposition="支持",
            text=f"被告单位{unit.value}犯{named}，判处罚金，数额待法官确定。",
            order=f"被告单位{unit.value}犯{named}，判处罚金（数额待法官确定）",
        ),
    )


def unit_articles(state: CaseState) -> list[tuple[str, str, str]]:
    """(article, why, fact id): for each defendant organisation, the unit clause and articles 30, 31."""
    units = unit_facts(state)
    if not units:
        return []
    _, clauses = _unit_charges(state)
    if not clauses:
        return []
    why = "单位犯罪：单位负刑事责任，对单位判处罚金（双罚制）"
    return [(article, why, unit.id) for unit in units for article in (*clauses, "30", "31")]


# ------------------------------------------------------------------------------- 涉案财物 (art. 64)


def _victim_loss(state: CaseState) -> tuple[list[Fact], Decimal | None, list[Fact]]:
    """Defendants of an offence against property, the loss their victims are owed, and its facts.

    The loss is the sum taken (the calculator's 犯罪数额). None where no such offence is charged or
    where the facts say anything was returned or made good (退赃, 退赔, 赔偿 …): what is still owed
    after a partial return is for the judge to state, not for the reader to guess.
    """
    view = ledger_view(state)
    takers = [
        party
        for party in defendant_facts(state)
        if any(victim_loss_offence(c.details.get("article", "")) for c in charges_of(state, party.value))
    ]
    if not takers:
        return [], None, []
    taken = max((view.amount_total(p.value) or Decimal(0) for p in takers), default=Decimal(0))
    evidence = state.facts_of("amount", purpose="property")
    returned = state.facts_of("amount", purpose="restitution") or any(
        "退赃退赔" in view.circumstances_of(p.value) for p in takers
    )
    if taken <= 0 or returned:
        return takers, None, evidence
    return takers, taken, evidence


def _property_disposal(state: CaseState) -> tuple[list[PropertyOrder], list[Fact], Decimal | None]:
    """The property orders (刑法第六十四条), the facts they rest on, and the loss to make good (or None)."""
    facts = state.facts_of("property")
    items: list[tuple[PropertyCategory, str, Decimal | None]] = [
        (
            cast(PropertyCategory, f.details.get("category", "")),
            f.value,
            Decimal(f.details["amount"]) if f.details.get("amount") else None,
        )
        for f in facts
    ]
    takers, loss, evidence = _victim_loss(state)
    if recovered(items):
        loss = None
    names = [p.value for p in (takers or defendant_facts(state))]
    who = "被告人" + "、".join(names) if names else "被告人"
    # 职务侵占 takes an organisation's property: its victim is the 被害单位.
    victim = "被害单位" if any(c.value == "职务侵占罪" for c in state.facts_of("charge")) else "被害人"
    orders = property_orders(items, who, loss, victim)
    return orders, [*facts, *(evidence if loss is not None else [])], loss


def _property_syllogism(state: CaseState, sid: str) -> Syllogism | None:
    """What happens to the property of the case: 没收, 追缴, 责令退赔, 发还, or None."""
    orders, premise, loss = _property_disposal(state)
    if not orders or not premise:
        return None
    computation = (
        [
            ComputationStep(
                label="责令退赔数额",
                formula="被害人的损失即犯罪数额（事实中未见退赃、退赔或赔偿）",
                result=format_yuan(loss),
            )
        ]
        if loss is not None
        else []
    )
    return Syllogism(
        id=sid,
        claim_id=premise[0].id,
        issue="涉案财物如何处理",
        computation=computation,
        major_premise=_major_premise(state, ["64"]),
        minor_premise=[f.id for f in premise],
        reasoning=_property_reasoning(orders),
        conclusion=Conclusion(
            disposition="支持",
            text="；".join(o.text for o in orders) + "。",
            order="；".join(o.text for o in orders),
        ),
    )


def _property_reasoning(orders: list[PropertyOrder]) -> str:
    return "；".join(o.reason for o in orders) + "（《中华人民共和国刑法》第六十四条）。"


def property_articles(state: CaseState) -> list[tuple[str, str, str]]:
    """(article, why, fact id) for the property orders: article 64 when there is anything to order."""
    orders, premise, _ = _property_disposal(state)
    if not orders or not premise:
        return []
    return [("64", "涉案财物的处理（追缴、责令退赔、没收、发还）", premise[0].id)]


def _overrides(state: CaseState, sid: str) -> Mapping[str, object] | None:
    values = state.sentencing_overrides.get(sid)
    if not values:
        return None
    out: dict[str, object] = {}
    for key, value in values.items():
        out[key] = Decimal(value)
    return out


def _unavailable(state: CaseState, sid: str, party: Fact, charge: Fact, why: str) -> Syllogism:
    return Syllogism(
        id=sid,
        claim_id=charge.id,
        issue=f"被告人{party.value}的行为是否构成{charge.value}，应如何量刑",
        major_premise=_major_premise(state, charge.details.get("article", "").split("、")),
        minor_premise=_minor_premise(state, party, charge),
        reasoning=f"被告人{party.value}的行为已构成{charge.value}。量刑计算器不能为该罪名提出建议：{why}请法官在本节点确定刑罚。",
        conclusion=Conclusion(
            disposition="支持",
            text=f"被告人{party.value}犯{charge.value}，刑罚待法官确定。",
            order=f"被告人{party.value}犯{charge.value}，判处（刑罚待法官确定）",
        ),
    )


def _combined(
    state: CaseState,
    sid: str,
    party: Fact,
    finals: list[tuple[Fact, SentenceProposal]],
    custody: Sequence[tuple[date, date | None]],
    today: date,
) -> Syllogism:
    name = party.value
    combined = combine([p for _, p in finals])
    parts = [
        f"犯{c.value}，{_sentence_words(_outcome(name, p, (), today))}{_confiscation_words(p)}"
        for c, p in finals
    ]
    outcome = _outcome(name, combined, custody, today)
    words = (_sentence_words(outcome) + _confiscation_words(combined)).removeprefix("判处")
    order = f"被告人{name}" + "；".join(parts) + f"，决定执行{words}"
    articles = [str(a) for _, p in finals for a in p.articles] + [str(a) for a in combined.articles]
    return Syllogism(
        id=sid,
        claim_id=party.id,
        issue=f"被告人{name}数罪并罚",
        major_premise=_major_premise(state, articles),
        minor_premise=[party.id, *(c.id for c, _ in finals)],
        reasoning=f"被告人{name}一人犯数罪，应依照《中华人民共和国刑法》第六十九条的规定数罪并罚。",
        computation=_steps(combined),
        conclusion=Conclusion(disposition="支持", text=order + "。", order=order),
        sentence=outcome.model_copy(update={"text": "决定执行" + words}),
    )


def final_sentences(state: CaseState) -> list[SentenceOutcome]:
    """The sentence each defendant is to serve (the combined one where there are several charges)."""
    return [
        s.sentence
        for s in state.syllogisms
        if s.sentence is not None and s.conclusion.order and s.conclusion.disposition != "不予支持"
    ]


def build_criminal_reasoning(state: CaseState) -> dict[str, Any]:
    """Graph node (criminal cases): conviction and sentencing proposals for the judge."""
    trace = NodeTrace("build_reasoning")
    syllogisms, notes = propose_syllogisms(state)
    for s in syllogisms:
        trace.call(
            "sentencing",
            {
                "syllogism": s.id,
                "charge": s.claim_id,
                "overrides": state.sentencing_overrides.get(s.id, {}),
                "steps": [f"{c.step_id}: {c.result}" for c in s.computation],
            },
            result=s.conclusion.text,
        )
    summary = f"提出 {len(syllogisms)} 个定罪量刑三段论（建议，须法官确认）"
    if notes:
        summary += "；" + "；".join(notes)
    comment = state.feedback.get("build_reasoning", "")
    if comment:
        summary += f"；法官退回意见已记录（可直接修改量刑步骤，建议将据此重算）：{comment}"
    event = trace.event(
        summary,
        inputs={
            "facts": len(state.facts),
            "statutes": [s.id for s in state.statutes],
            "judge_comment": comment,
        },
        outputs={
            "syllogisms": [s.id for s in syllogisms],
            "sentences": [s.conclusion.text for s in syllogisms],
        },
    )
    return refine_with_model("build_reasoning", state, {"syllogisms": syllogisms, "trace": [event]})

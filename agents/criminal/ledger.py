"""The criminal fact ledger: what `facts.read_criminal_facts` reads, as typed facts the judge approves.

Two directions. `criminal_ledger` turns a reading of the case documents into ledger facts
(party, charge, circumstance, quantity, amount, custody, prior_record, event), each with its
source span. `ledger_view` turns the ledger — as the judge approved or edited it — back into a
`CriminalFacts` reading, so that sentencing is computed from the approved facts and never from
the documents behind the judge's back.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from judgeflow.agents.criminal.accomplices import read_joint_crime
from judgeflow.agents.criminal.charges import read_charges
from judgeflow.agents.criminal.facts import (
    Circumstance,
    CriminalFacts,
    CustodyEvent,
    Defendant,
    PriorRecord,
    Quantity,
    QuantityKind,
    Recommendation,
    read_criminal_facts,
)
from judgeflow.agents.criminal.facts import (
    Span as TextSpan,
)
from judgeflow.agents.criminal.property import PropertyItem, read_property
from judgeflow.agents.model_steps.refine import refine_with_model
from judgeflow.agents.trace import NodeTrace
from judgeflow.graph.state import CaseState, Document, Fact, Origin, Span
from judgeflow.tools.amounts import format_yuan
from judgeflow.tools.dates import find_dates

EXTRACTOR = "rules:criminal_facts"
_PROSECUTOR_RE = re.compile(r"([\u4e00-\u9fff]{2,30}?人民检察院)")
# A defendant organisation (单位犯罪): 被告单位某某有限公司.
_UNIT_RE = re.compile(
    r"被告单位([\u4e00-\u9fff（）()]{2,40}?(?:有限责任公司|股份有限公司|有限公司|公司|厂|合作社|商行|中心|酒店|店))"
)
_READ_KINDS = ("起诉书", "事实", "其他", "庭审笔录")


def _iso(d: date | None) -> str:
    return d.isoformat() if d else ""


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


class _Builder:
    """Numbers facts F1, F2 … and ties each to its span in one document."""

    def __init__(self, first_id: int = 1) -> None:
        self.facts: list[Fact] = []
        self.next_id = first_id

    def add(
        self,
        doc: Document | None,
        kind: Any,
        label: str,
        value: str,
        span: TextSpan | None,
        details: dict[str, str],
        origin: str = EXTRACTOR,
    ) -> Fact:
        spans = (
            [Span(document_id=doc.id, start=span.start, end=span.end, quote=span.quote)]
            if doc is not None and span is not None and span.start >= 0
            else []
        )
        fact = Fact(
            id=f"F{self.next_id}",
            kind=kind,
            label=label,
            value=value,
            details={k: v for k, v in details.items() if v},
            spans=spans,
            origin=Origin(kind="document" if spans else "tool", name=origin),
        )
        self.next_id += 1
        self.facts.append(fact)
        return fact

    def facts_of_kind(self, kind: str) -> list[Fact]:
        """The facts of one kind added so far."""
        return [f for f in self.facts if f.kind == kind]


def _span_at(text: str, start: int, end: int) -> TextSpan:
    return TextSpan(start, end, text[start:end])


def criminal_ledger(documents: list[Document], trace: NodeTrace | None = None) -> list[Fact]:
    """The ledger of a criminal case read from its documents (the indictment or statement first)."""
    readable = sorted(
        (d for d in documents if d.kind in _READ_KINDS), key=lambda d: _READ_KINDS.index(d.kind)
    )
    b = _Builder()
    seen_defendants: set[str] = set()
    seen_charges: set[str] = set()
    prosecutor_named = False
    for doc in readable:
        cf = read_criminal_facts(doc.text)
        if trace is not None:
            trace.call(
                "read_criminal_facts",
                {"document": doc.id},
                result=f"{len(cf.defendants)} 名被告人，{len(cf.quantities)} 项数量，{len(cf.circumstances)} 项情节",
            )
        m = _PROSECUTOR_RE.search(doc.text)
        if m and not prosecutor_named:
            b.add(
                doc,
                "party",
                "公诉机关",
                m.group(1),
                _span_at(doc.text, m.start(1), m.end(1)),
                {"role": "公诉机关", "person": "国家机关"},
            )
            prosecutor_named = True
        for unit in _UNIT_RE.finditer(doc.text):
            if unit.group(1) not in seen_defendants:
                seen_defendants.add(unit.group(1))
                unit_span = _span_at(doc.text, unit.start(1), unit.end(1))
                b.add(
                    doc, "party", "被告单位", unit.group(1), unit_span, {"role": "被告单位", "person": "法人"}
                )
        new = [d for d in cf.defendants if d.name not in seen_defendants]
        for d in new:
            seen_defendants.add(d.name)
            _add_defendant(b, doc, d)
        if doc.kind == "庭审笔录":
            # The hearing record adds circumstances (当庭认罪 …), not a second account of the offence.
            _add_circumstances(b, doc, cf.circumstances)
            continue
        names = cf.names or tuple(seen_defendants)
        for reading in read_charges(doc.text):
            if reading.name in seen_charges:
                continue
            seen_charges.add(reading.name)
            span = _span_at(doc.text, reading.start, reading.end) if reading.start >= 0 else None
            origin = EXTRACTOR if span else "rules:charge_cues（knowledge_graph.case_signals）"
            for name in names or ("",):
                b.add(
                    doc,
                    "charge",
                    "指控罪名" if reading.basis == "指控" else "事实指向的罪名",
                    reading.name,
                    span,
                    {
                        "defendant": name,
                        "basis": reading.basis,
                        "article": "、".join(reading.articles),
                        "canonical": reading.canonical,
                        "confidence": f"{reading.confidence:.2f}",
                    },
                    origin,
                )
        _add_quantities(b, doc, cf.quantities)
        _add_circumstances(b, doc, cf.circumstances)
        _add_joint_crime(b, doc, names)
        drug_case = any("毒品" in f.value for f in b.facts if f.kind == "charge")
        _add_property(b, doc, read_property(doc.text, drug_case=drug_case))
        for r in cf.recommendations:
            b.add(
                doc,
                "event",
                "量刑建议",
                r.span.quote,
                r.span,
                {
                    "purpose": "recommendation",
                    "penalty": r.kind,
                    "low_months": str(r.low_months or ""),
                    "high_months": str(r.high_months or ""),
                    "fine": format_yuan(r.fine_yuan) if r.fine_yuan is not None else "",
                    "probation": "yes" if r.probation else "",
                    "defendants": "、".join(r.defendants),
                },
            )
        _add_dates(b, doc)
        if cf.offence_date:
            b.add(
                doc,
                "date",
                "犯罪日期",
                cf.offence_date.isoformat(),
                None,
                {"purpose": "offence_date"},
                EXTRACTOR,
            )
    return b.facts


def _add_dates(b: _Builder, doc: Document) -> None:
    """Every full date the statement gives that no other fact holds, so the draft can state it."""
    held = {f.value for f in b.facts}
    for found in find_dates(doc.text):
        if found.precision != "day":
            continue
        value = found.value.isoformat()
        if value in held:
            continue
        held.add(value)
        b.add(
            doc,
            "date",
            "事实中的日期",
            value,
            TextSpan(found.start, found.end, found.quote),
            {"purpose": "other"},
        )


def _add_defendant(b: _Builder, doc: Document, d: Defendant) -> None:
    b.add(
        doc,
        "party",
        "被告人",
        d.name,
        d.span,
        {
            "role": "被告人",
            "person": "自然人",
            "gender": d.gender or "",
            "birth_date": _iso(d.birth_date),
            "age": str(d.age) if d.age is not None else "",
            "minor": "yes" if d.minor else "",
            "ethnicity": d.ethnicity,
            "education": d.education,
            "occupation": d.occupation,
            "address": d.address,
        },
    )
    for event in d.custody:
        if event.on is None:
            continue
        b.add(
            doc,
            "custody",
            f"强制措施：{event.kind}",
            event.on.isoformat(),
            event.span,
            {"defendant": d.name, "measure": event.kind},
        )
    for prior in d.prior:
        b.add(
            doc,
            "prior_record",
            "前科",
            prior.span.quote,
            prior.span,
            {
                "defendant": d.name,
                "charge": prior.charge or "",
                "fixed_term": "yes" if prior.fixed_term else "no",
                "release_date": _iso(prior.release_date),
            },
        )


def _add_quantities(b: _Builder, doc: Document, quantities: tuple[Quantity, ...]) -> None:
    for q in quantities:
        common = {
            "defendants": "、".join(q.defendants),
            "total": "yes" if q.total else "",
            "findings": "yes" if q.findings else "",
        }
        if q.kind == "amount":
            b.add(
                doc,
                "amount",
                _AMOUNT_LABELS.get(q.label, "金额"),
                format_yuan(q.value),
                q.span,
                {"purpose": q.label, **common},
            )
        else:
            b.add(
                doc,
                "quantity",
                _QUANTITY_LABELS.get(q.kind, q.kind),
                _plain(q.value),
                q.span,
                {"what": q.kind, "unit": q.unit, "substance": q.label, **common},
            )


def _add_circumstances(b: _Builder, doc: Document, circumstances: tuple[Circumstance, ...]) -> None:
    """One fact per circumstance and defendant(s); every place the documents state it is a span."""
    for c in circumstances:
        details = {
            "defendants": "、".join(c.defendants),
            "negated": "yes" if c.negated else "",
            "presumed": "yes" if c.presumed else "",
        }
        same = next(
            (
                f
                for f in b.facts
                if f.kind == "circumstance"
                and f.value == c.name
                and f.details == {k: v for k, v in details.items() if v}
            ),
            None,
        )
        if same is not None and c.span.start >= 0:
            if not any(sp.document_id == doc.id and sp.start == c.span.start for sp in same.spans):
                same.spans.append(
                    Span(document_id=doc.id, start=c.span.start, end=c.span.end, quote=c.span.quote)
                )
            continue
        label = "量刑情节" + ("（否定）" if c.negated else "") + ("（推定，请核实）" if c.presumed else "")
        b.add(doc, "circumstance", label, c.name, c.span, details)


def _add_joint_crime(b: _Builder, doc: Document, names: tuple[str, ...]) -> None:
    """共同犯罪 where the facts say the defendant acted with others (伙同, 纠集 …), tried here or not."""
    if any(f.kind == "circumstance" and f.value == "共同犯罪" for f in b.facts):
        return
    found = read_joint_crime(doc.text)
    if found is not None:
        b.add(
            doc,
            "circumstance",
            "共同犯罪",
            "共同犯罪",
            _span_at(doc.text, *found),
            {"defendants": "、".join(names) if len(names) == 1 else ""},
        )


_PROPERTY_LABELS = {
    "contraband": "涉案财物：违禁品（扣押在案）",
    "instrument": "涉案财物：作案工具（扣押在案）",
    "seized_money": "涉案财物：款项（扣押在案）",
    "gain": "涉案财物：违法所得",
    "returned": "涉案财物：已追回发还",
}


def _add_property(b: _Builder, doc: Document, items: list[PropertyItem]) -> None:
    """One `property` fact per thing seized, gained or given back (刑法第六十四条 decides its fate)."""
    held = {
        (f.details.get("category"), f.value, f.details.get("amount", "")) for f in b.facts_of_kind("property")
    }
    for item in items:
        amount = format_yuan(item.amount) if item.amount is not None else ""
        if (item.category, item.what, amount) in held:
            continue
        b.add(
            doc,
            "property",
            _PROPERTY_LABELS[item.category],
            item.what,
            TextSpan(item.start, item.end, item.quote),
            {"category": item.category, "amount": amount},
        )


_AMOUNT_LABELS = {
    "property": "犯罪数额",
    "restitution": "退赃退赔金额",
    "fine": "罚金",
    "price": "价款",
    "gambling_profit": "抽头渔利",
    "other": "金额",
}
_QUANTITY_LABELS = {
    "drug": "毒品数量",
    "bac": "血液乙醇含量",
    "injury": "伤情",
    "death": "死亡人数",
    "times": "作案次数",
    "persons": "人数/人次",
    "gambling_profit": "抽头渔利",
}


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


# ---------------------------------------------------------------- ledger → reading


def _span_of(fact: Fact) -> TextSpan:
    if fact.spans:
        s = fact.spans[0]
        return TextSpan(s.start, s.end, s.quote)
    return TextSpan(-1, -1, fact.value)


def _names(text: str) -> tuple[str, ...]:
    return tuple(n for n in text.split("、") if n)


def ledger_view(state: CaseState) -> CriminalFacts:
    """The approved ledger read back as a `CriminalFacts`, for the sentencing calculator."""
    defendants = []
    for party in state.facts_of("party"):
        if party.details.get("role") != "被告人":
            continue
        name = party.value
        custody = tuple(
            CustodyEvent(f.details.get("measure", "羁押"), _date(f.value), _span_of(f))  # type: ignore[arg-type]
            for f in state.facts_of("custody")
            if f.details.get("defendant") in ("", name)
        )
        prior = tuple(
            PriorRecord(
                _span_of(f),
                f.details.get("charge") or None,
                f.details.get("fixed_term") == "yes",
                _date(f.details.get("release_date", "")),
            )
            for f in state.facts_of("prior_record")
            if f.details.get("defendant") in ("", name)
        )
        birth = _date(party.details.get("birth_date", ""))
        age = party.details.get("age", "")
        defendants.append(
            Defendant(
                name=name,
                span=_span_of(party),
                gender=party.details.get("gender") or None,  # type: ignore[arg-type]
                birth_date=birth,
                age=int(age) if age.isdigit() else None,
                minor=party.details.get("minor") == "yes",
                custody=custody,
                prior=prior,
            )
        )
    quantities = []
    for f in state.facts:
        if f.kind not in ("amount", "quantity"):
            continue
        value = _decimal(f.value)
        if value is None:
            continue
        d = f.details
        common: dict[str, Any] = {
            "defendants": _names(d.get("defendants", "")),
            "total": d.get("total") == "yes",
            "findings": d.get("findings") == "yes",
        }
        if f.kind == "amount":
            quantities.append(
                Quantity("amount", value, "元", d.get("purpose", "other"), _span_of(f), **common)
            )
        else:
            quantities.append(
                Quantity(
                    cast(QuantityKind, d.get("what", "times")),
                    value,
                    d.get("unit", ""),
                    d.get("substance", ""),
                    _span_of(f),
                    **common,
                )
            )
    circumstances = tuple(
        Circumstance(
            f.value,
            _span_of(f),
            f.details.get("negated") == "yes",
            _names(f.details.get("defendants", "")),
            presumed=f.details.get("presumed") == "yes",
        )
        for f in state.facts_of("circumstance")
    )
    recommendations = tuple(
        Recommendation(
            f.details.get("penalty", "有期徒刑"),  # type: ignore[arg-type]
            int(f.details["low_months"]) if f.details.get("low_months", "").isdigit() else None,
            int(f.details["high_months"]) if f.details.get("high_months", "").isdigit() else None,
            _decimal(f.details.get("fine", "")) if f.details.get("fine") else None,
            f.details.get("probation") == "yes",
            _span_of(f),
            _names(f.details.get("defendants", "")),
        )
        for f in state.facts_of("event", purpose="recommendation")
    )
    offence = next((_date(f.value) for f in state.facts_of("date", purpose="offence_date")), None)
    text = "\n".join(d.text for d in state.documents)
    return replace(
        CriminalFacts(text=text),
        defendants=tuple(defendants),
        quantities=tuple(quantities),
        circumstances=circumstances,
        recommendations=recommendations,
        offence_date=offence,
    )


def extract_criminal_facts(state: CaseState) -> dict[str, Any]:
    """Graph node (criminal cases): the ledger for the judge to approve or edit."""
    trace = NodeTrace("extract_facts")
    facts = criminal_ledger(state.documents, trace)
    kinds: dict[str, int] = {}
    for f in facts:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    defendants = [f.value for f in facts if f.kind == "party" and f.details.get("role") == "被告人"]
    charges = sorted({f.value for f in facts if f.kind == "charge"})
    summary = (
        f"从 {len(state.documents)} 份文书中读出被告人 {len(defendants)} 名（{'、'.join(defendants) or '无'}），"
        f"罪名 {'、'.join(charges) or '未识别'}，事实 {len(facts)} 项"
    )
    if not defendants:
        summary += "；未找到被告人（文书中应写作“被告人某某”），请在事实节点补充"
    if not charges:
        summary += "；未能从事实中识别罪名，请在事实节点补充指控罪名"
    event = trace.event(
        summary, inputs={"documents": [d.id for d in state.documents]}, outputs={"facts": kinds}
    )
    return refine_with_model("extract_facts", state, {"facts": facts, "trace": [event]})

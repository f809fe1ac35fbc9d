"""The 刑事判决书: sections in court order, written from the approved ledger, statutes and sentences.

Every sentence names the facts, statutes and syllogisms it states, so the fact-checker can
re-derive it. The prosecution's statement and the facts found are quoted from the case documents
(a rules engine does not paraphrase evidence); figures come from the sentencing steps.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from judgeflow.agents.model_steps.refine import refine_with_model
from judgeflow.agents.trace import NodeTrace
from judgeflow.agents.write_draft import (
    _s,
    appeal_court,
    chinese_number,
    iso_to_date,
    signature_lines,
)
from judgeflow.graph.state import (
    SECTION_ORDER,
    CaseState,
    Document,
    Draft,
    DraftSection,
    Fact,
    SectionName,
    Sentence,
    SentenceOutcome,
    StatuteRef,
    Syllogism,
)
from judgeflow.tools.dates import cn_date
from judgeflow.tools.sentencing import sentence_text as tools_sentence_text

CRIMINAL_LAW = "中华人民共和国刑法"
# Where the prosecution's statement ends and the court's own findings begin in a statement of facts.
_FINDINGS_START = re.compile(r"(?:经审理查明|本院审理查明|经审理，本院查明)[，,：:]?")
# In an indictment (起诉书): where its statement of facts starts, and what ends it.
_INDICTMENT_FACTS = re.compile(r"(?:经依法审查查明|经审查查明|经审查认定|现查明)[，,：:]?\s*")
_INDICTMENT_END = re.compile(r"\n\s*(?:本院认为|上述事实|认定上述事实的证据)")


def defendants(state: CaseState) -> list[Fact]:
    """The defendants (被告人) in the order the documents name them."""
    return [f for f in state.facts_of("party") if f.details.get("role") == "被告人"]


def prosecutor(state: CaseState) -> str:
    """The prosecuting procuratorate, from the case particulars or the ledger."""
    if state.info.prosecutor:
        return state.info.prosecutor
    named = [f.value for f in state.facts_of("party") if f.details.get("role") == "公诉机关"]
    return named[0] if named else "……人民检察院"


def _main_text(state: CaseState) -> Document | None:
    for kind in ("起诉书", "事实"):
        for doc in state.documents:
            if doc.kind == kind:
                return doc
    return state.documents[0] if state.documents else None


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n+", text) if p.strip()]


def _facts_in(state: CaseState, doc: Document, start: int, end: int) -> list[str]:
    return [
        f.id
        for f in state.facts
        if any(sp.document_id == doc.id and start <= sp.start < end for sp in f.spans)
    ]


def _statement(state: CaseState) -> tuple[list[Sentence], list[Sentence]]:
    """(the prosecution's allegation, the facts found), quoted from the case documents."""
    doc = _main_text(state)
    if doc is None:
        return [], []
    text = doc.text
    found = _FINDINGS_START.search(text)
    alleged_part = text[: found.start()] if found else text
    found_part = text[found.end() :] if found else ""
    offset_found = found.end() if found else len(text)
    if doc.kind == "起诉书":
        # An indictment: its statement of facts, without its header, its own reasoning and signature.
        begin = _INDICTMENT_FACTS.search(text)
        stop = _INDICTMENT_END.search(text, begin.end() if begin else 0)
        body_start = begin.end() if begin else 0
        body = text[body_start : stop.start() if stop else len(text)]
        quoted = []
        cursor = body_start
        for para in _paragraphs(body):
            at = text.find(para, cursor)
            cursor = at + len(para)
            quoted.append(_s(para, _facts_in(state, doc, at, at + len(para))))
        if quoted:
            first = quoted[0]
            quoted[0] = first.model_copy(update={"text": f"{prosecutor(state)}指控：" + first.text})
        return quoted, []

    def quote(part: str, offset: int) -> list[Sentence]:
        out = []
        cursor = offset
        for para in _paragraphs(part):
            at = text.find(para, cursor)
            at = at if at >= 0 else cursor
            cursor = at + len(para)
            out.append(_s(para, _facts_in(state, doc, at, at + len(para))))
        return out

    alleged = quote(alleged_part, 0)
    facts = quote(found_part, offset_found) if found_part.strip() else []
    return alleged, facts


# ---------------------------------------------------------------- sections


def court_name(state: CaseState) -> str:
    """The trying court: from the case particulars, else the court at the prosecutor's level and place
    (某某县人民检察院 prosecutes before 某某县人民法院)."""
    if state.info.court:
        return state.info.court
    named = prosecutor(state)
    return (
        named.replace("人民检察院", "人民法院")
        if named.endswith("人民检察院") and "…" not in named
        else "……人民法院"
    )


def head_section(state: CaseState) -> DraftSection:
    """首部: court, title, case number."""
    info = state.info
    return DraftSection(
        name="首部",
        sentences=[
            _s(court_name(state)),
            _s("刑事判决书"),
            _s(info.case_number or "（　　）……刑初……号"),
        ],
    )


def _custody_text(state: CaseState, name: str) -> tuple[str, list[str]]:
    events = sorted(
        (f for f in state.facts_of("custody") if f.details.get("defendant") in ("", name)),
        key=lambda f: f.value,
    )
    parts = []
    for f in events:
        d = iso_to_date(f.value)
        measure = f.details.get("measure", "")
        if d and measure:
            verb = (
                "被取保候审"
                if measure == "取保候审"
                else f"被{measure}"
                if not measure.startswith("被")
                else measure
            )
            parts.append(f"{cn_date(d)}{verb}")
    return ("，".join(parts), [f.id for f in events])


def particulars(state: CaseState, party: Fact) -> Sentence:
    """被告人X，男，…出生，…；custody history as the ledger records it."""
    d = party.details
    born = iso_to_date(d.get("birth_date", ""))
    parts = [party.value]
    parts += [
        x for x in (d.get("gender", ""), f"{cn_date(born)}出生" if born else "", d.get("ethnicity", "")) if x
    ]
    parts += [x for x in (d.get("education", ""), d.get("occupation", "")) if x]
    if d.get("address"):
        parts.append("住" + d["address"])
    text = "被告人" + "，".join(parts) + "。"
    ids = [party.id]
    priors = [f for f in state.facts_of("prior_record") if f.details.get("defendant") in ("", party.value)]
    for prior in priors:
        text += prior.value.rstrip("。") + "。"
        ids.append(prior.id)
    custody, custody_ids = _custody_text(state, party.value)
    if custody:
        text += f"因本案于{custody}。"
        ids += custody_ids
    return _s(text, ids)


def parties_section(state: CaseState) -> DraftSection:
    """当事人: 公诉机关, then each 被告人 with particulars and custody."""
    sentences = [_s(f"公诉机关{prosecutor(state)}。")]
    units = [f for f in state.facts_of("party") if f.details.get("role") == "被告单位"]
    sentences += [_s(f"被告单位{u.value}。", [u.id]) for u in units]
    sentences += [particulars(state, p) for p in defendants(state)]
    return DraftSection(name="当事人", sentences=sentences)


def charged(state: CaseState) -> list[Fact]:
    """The charges before the court (one fact per defendant and charge)."""
    return state.facts_of("charge")


def _names(facts: list[Fact]) -> str:
    return "、".join(dict.fromkeys(f.value for f in facts))


def proceedings_section(state: CaseState) -> DraftSection:
    """审理经过: who indicted whom for what, when, and how the court tried it."""
    info = state.info
    names = "、".join(p.value for p in defendants(state)) or "……"
    charges = _names(charged(state)) or "……罪"
    number = f"以{info.indictment_number}起诉书" if info.indictment_number else ""
    filed = iso_to_date(info.filing_date)
    when = f"于{cn_date(filed)}" if filed else ""
    how = (
        "本院依法适用简易程序，实行独任审判，公开开庭审理了本案"
        if info.procedure == "简易程序"
        else "本院依法组成合议庭，公开开庭审理了本案"
    )
    text = (
        f"{prosecutor(state)}{number}指控被告人{names}犯{charges}，{when}向本院提起公诉。{how}。"
        f"{prosecutor(state)}指派检察员出庭支持公诉，被告人{names}到庭参加诉讼。现已审理终结。"
    )
    ids = [p.id for p in defendants(state)] + [c.id for c in charged(state)]
    return DraftSection(name="审理经过", sentences=[_s(text, ids)])


def _admitted(state: CaseState, name: str) -> bool:
    kinds = {"当庭认罪", "认罪认罚", "坦白"}
    return any(
        f.value in kinds and f.details.get("defendant") in ("", name) for f in state.facts_of("circumstance")
    )


def pleadings_section(state: CaseState, alleged: list[Sentence]) -> DraftSection:
    """诉辩意见: the prosecution's allegation, then each defendant's plea where the record states it."""
    sentences = list(alleged)
    if not sentences:
        charges = _names(charged(state)) or "……罪"
        sentences.append(_s(f"公诉机关指控被告人犯{charges}。", [c.id for c in charged(state)]))
    defences = [d for d in defence_statements(state) if not any(d.text in a.text for a in sentences)]
    for party in defendants(state):
        if _admitted(state, party.value) and not any(party.value in d.text for d in defences):
            sentences.append(_s(f"被告人{party.value}对指控的犯罪事实和罪名无异议。", [party.id]))
    return DraftSection(name="诉辩意见", sentences=sentences + defences)


# What the defence said, as the record words it (被告人…辩称…; 辩护人…提出…辩护意见).
_DEFENCE_RE = re.compile(r"[^。\n]*(?:辩称|辩解称|辩护人[^。\n]{0,30}?(?:提出|认为|辩护意见))[^。\n]*。")
_COURT_VOICE = ("本院认为", "不予采纳", "予以采纳", "本院予以")


def defence_statements(state: CaseState) -> list[Sentence]:
    """The defendant's and the defence counsel's arguments quoted from the case documents (at most
    three; the court's answer to them belongs to 本院认为 and is the judge's)."""
    out: list[Sentence] = []
    for doc in state.documents:
        for m in _DEFENCE_RE.finditer(doc.text):
            text = m.group(0).strip()
            if any(word in text for word in _COURT_VOICE) or any(text == o.text for o in out):
                continue
            out.append(_s(text, _facts_in(state, doc, m.start(), m.end())))
            if len(out) == 3:
                return out
    return out


def facts_section(state: CaseState, found: list[Sentence]) -> DraftSection:
    """经审理查明: the facts as found (quoted), or the court adopting the allegation."""
    if found:
        first, *rest = found
        return DraftSection(
            name="经审理查明",
            sentences=[first.model_copy(update={"text": "经审理查明，" + first.text}), *rest],
        )
    return DraftSection(
        name="经审理查明",
        sentences=[
            _s("经审理查明的事实与公诉机关指控的事实一致，有经庭审举证、质证的证据予以证实，本院予以确认。")
        ],
    )


def criminal_citation(ref: StatuteRef) -> str:
    """第六十七条第一款 (the 款 only when one paragraph is meant)."""
    label = ref.article_label or f"第{chinese_number(ref.article)}条"
    return label + (f"第{chinese_number(ref.paragraph)}款" if ref.paragraph else "")


def cited_statutes(state: CaseState) -> list[StatuteRef]:
    """The articles relied on, in the order the syllogisms use them (each charge's article first)."""
    order: list[str] = []
    for s in state.syllogisms:
        if s.conclusion.disposition == "不予支持":
            continue
        for sid in s.major_premise:
            if sid not in order:
                order.append(sid)
    by_id = {r.id: r for r in state.statutes}
    return [by_id[sid] for sid in order if sid in by_id]


def citation_sentence(state: CaseState) -> Sentence:
    """依照《中华人民共和国刑法》第…条、第…条之规定，判决如下："""
    refs = cited_statutes(state)
    groups: dict[str, list[StatuteRef]] = {}
    for ref in refs:
        groups.setdefault(ref.law, []).append(ref)
    laws = sorted(groups, key=lambda law: law != CRIMINAL_LAW)
    cites = "，".join(f"《{law}》" + "、".join(criminal_citation(r) for r in groups[law]) for law in laws)
    text = f"依照{cites}之规定，判决如下：" if cites else "判决如下："
    return _s(text, statutes=[r.id for r in refs], syllogisms=[s.id for s in state.syllogisms])


def reasoning_section(state: CaseState) -> DraftSection:
    """本院认为: each syllogism's reasoning, then the citation sentence."""
    sentences = []
    for i, s in enumerate(state.syllogisms):
        text = s.reasoning if i else "本院认为，" + s.reasoning.removeprefix("本院认为，")
        sentences.append(_s(text, s.minor_premise, s.major_premise, [s.id]))
    if not sentences:
        sentences.append(_s("本院认为，"))
    sentences.append(citation_sentence(state))
    return DraftSection(name="本院认为", sentences=sentences)


def term_note(outcome: SentenceOutcome) -> str:
    """The bracketed note on when the term runs (刑期…自…起至…止), or on probation and fines."""
    notes = []
    if outcome.probation_months:
        notes.append("缓刑考验期限，从判决确定之日起计算")
    elif outcome.penalty in ("有期徒刑", "拘役", "管制") and outcome.months:
        credit = "羁押一日折抵刑期二日" if outcome.penalty == "管制" else "羁押一日折抵刑期一日"
        note = f"刑期从判决执行之日起计算。判决执行以前先行羁押的，{credit}"
        start, end = iso_to_date(outcome.term_start), iso_to_date(outcome.term_end)
        if start and end:
            note += f"，即自{cn_date(start)}起至{cn_date(end)}止"
        notes.append(note)
    if outcome.fine:
        notes.append("罚金于本判决生效之日起十日内缴纳")
    return "（" + "。".join(notes) + "。）" if notes else ""


def sentence_text(outcome: SentenceOutcome) -> str:
    """判处有期徒刑一年六个月，缓刑二年，并处罚金人民币五千元 — from the figures, never from prose."""
    if outcome.text:
        return outcome.text
    if outcome.penalty not in ("有期徒刑", "拘役", "管制", "免予刑事处罚"):
        return f"判处{outcome.penalty}"
    fine = Decimal(outcome.fine) if outcome.fine else None
    return tools_sentence_text(outcome.penalty, outcome.months, fine, outcome.probation_months or None)


def _order_item(s: Syllogism) -> str:
    return s.conclusion.order.rstrip("。；;")


def orders_section(state: CaseState) -> DraftSection:
    """判决主文: one numbered item per defendant (数罪 combined), then confiscation orders."""
    items: list[tuple[str, list[str], list[str]]] = []
    for s in state.syllogisms:
        if not s.conclusion.order:
            continue
        text = _order_item(s)
        if s.sentence is not None and s.sentence.penalty != "免予刑事处罚":
            text += term_note(s.sentence)
        items.append((text, [s.claim_id], [s.id]))
    sentences = [
        _s(f"{chinese_number(i)}、{text}{'。' if not text.endswith('）') else ''}", facts, syllogisms=sids)
        if len(items) > 1
        else _s(text + ("。" if not text.endswith("）") else ""), facts, syllogisms=sids)
        for i, (text, facts, sids) in enumerate(items, start=1)
    ]
    if not sentences:
        sentences.append(_s("（判决主文待法官确定）"))
    return DraftSection(name="判决主文", sentences=sentences)


def tail_section(state: CaseState) -> DraftSection:
    """尾部: the right of appeal (ten days in criminal cases), then the signature block."""
    appeal = (
        "如不服本判决，可在接到判决书的第二日起十日内，通过本院或者直接向"
        f"{appeal_court(court_name(state))}提出上诉。书面上诉的，应当提交上诉状正本一份，副本二份。"
    )
    return DraftSection(
        name="尾部", sentences=[_s(appeal), *(_s(line) for line in signature_lines(state.info))]
    )


def compose_criminal_draft(state: CaseState) -> Draft:
    """The whole 刑事判决书 draft, sections in court order."""
    alleged, found = _statement(state)
    built: dict[SectionName, DraftSection] = {
        "首部": head_section(state),
        "当事人": parties_section(state),
        "审理经过": proceedings_section(state),
        "诉辩意见": pleadings_section(state, alleged),
        "经审理查明": facts_section(state, found),
        "本院认为": reasoning_section(state),
        "判决主文": orders_section(state),
        "尾部": tail_section(state),
    }
    return Draft(title="刑事判决书", sections=[built[name] for name in SECTION_ORDER])


def write_criminal_draft(state: CaseState) -> dict[str, Any]:
    """Graph node (criminal cases): compose the 刑事判决书 from what the judge approved."""
    trace = NodeTrace("write_draft")
    draft = compose_criminal_draft(state)
    draft.revision = (state.draft.revision if state.draft else 0) + 1
    for section in draft.sections:
        trace.call("compose_section", {"section": section.name}, result=f"{len(section.sentences)} 段")
    summary = f"起草刑事判决书第 {draft.revision} 稿（{len(draft.sections)} 部分，{len(defendants(state))} 名被告人）"
    comment = state.feedback.get("write_draft", "")
    if comment:
        summary += f"；法官退回意见已记录（请在签发节点以编辑方式修改相应部分）：{comment}"
    event = trace.event(
        summary,
        inputs={
            "facts": len(state.facts),
            "statutes": [s.id for s in state.statutes],
            "judge_comment": comment,
        },
        outputs={"revision": draft.revision, "characters": len(draft.text)},
    )
    return refine_with_model("write_draft", state, {"draft": draft, "trace": [event]})

"""The judgment as people read it: Markdown, a .docx in court layout, and a provenance note.

The text is the draft's (the judge's edits included); rendering only lays it out and, once the
judge has signed, fills the signature placeholders with the signer and the date of signing.
"""

from __future__ import annotations

import re
from pathlib import Path

from judgeflow.agents.write_draft import (
    CLERK_PLACEHOLDER,
    DATE_PLACEHOLDER,
    JUDGE_PLACEHOLDER,
    compose_draft,
    iso_to_date,
)
from judgeflow.graph.approvals import CHECKPOINT_TITLES
from judgeflow.graph.state import (
    SECTION_ORDER,
    CaseState,
    Decision,
    Draft,
    EditDecision,
    Fact,
    SectionName,
)
from judgeflow.tools.dates import cn_date_upper

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
INDENT = "　　"  # two full-width spaces: the first-line indent of court documents
SIGNATURE_PREFIXES = ("审判长", "审判员", "人民陪审员", "书记员", "法官助理")


def current_draft(state: CaseState) -> Draft:
    """The draft on record, or one composed from the state when none has been written yet."""
    return state.draft if state.draft is not None else compose_draft(state)


def is_signed(state: CaseState) -> bool:
    """True once a judge has signed (approve_draft)."""
    return bool(state.signed_by)


def _signer_name(state: CaseState) -> str:
    return state.signed_by.partition(":")[2] or state.signed_by


def _fill(line: str, state: CaseState) -> str:
    if not is_signed(state):
        return line
    signed_on = iso_to_date(state.info.judgment_date)
    if signed_on is not None:
        line = line.replace(DATE_PLACEHOLDER, cn_date_upper(signed_on))
    if line.startswith(SIGNATURE_PREFIXES[:3]):
        line = line.replace(JUDGE_PLACEHOLDER, _signer_name(state))
    if state.info.clerk:
        line = line.replace(CLERK_PLACEHOLDER, state.info.clerk)
    return line


def judgment_sections(state: CaseState) -> list[tuple[SectionName, list[str]]]:
    """Each section's paragraphs as they are to be printed (signature filled in once signed)."""
    draft = current_draft(state)
    return [(s.name, [_fill(x.text, state) for x in s.sentences]) for s in draft.sections]


def _is_signature(line: str) -> bool:
    """A line of the signature block: judges, the date, the clerk (short, no closing 。)."""
    return line.startswith(SIGNATURE_PREFIXES) or (0 < len(line) <= 20 and not line.endswith(("。", "：")))


def _md_escape(line: str) -> str:
    return "\\" + line if line[:1] in "#>-+*|`" or re.match(r"\d+\.", line) else line


def judgment_markdown(state: CaseState) -> str:
    """The judgment as Markdown: centred heading block, sections as indented paragraphs, signature right."""
    draft = current_draft(state)
    out: list[str] = []
    if not is_signed(state):
        out += [f"*草稿（第{draft.revision}稿），尚未经法官签发*", ""]
    for name, lines in judgment_sections(state):
        if name == "首部":
            out.append('<div align="center">')
            out.append("")
            for line in lines:
                out.append(f"# {line}" if line == draft.title else f"**{line}**")
                out.append("")
            out.append("</div>")
            out.append("")
            continue
        signature = [line for line in lines if _is_signature(line)] if name == "尾部" else []
        for line in lines:
            if line in signature:
                continue
            out += [INDENT + _md_escape(line), ""]
        if signature:
            out += ['<div align="right">', "", *("<br>\n".join(signature).split("\n")), "", "</div>", ""]
    if is_signed(state) and _signer_name(state) not in state.info.judges:
        # The record must not let a signature pass for that of a judge who did not give it.
        out += [f"*本判决书由 {state.signed_by} 签发，签发人不在本案审判组织名单中。*", ""]
    return "\n".join(out).rstrip() + "\n"


def _font(run: object, name: str, size: float, bold: bool = False) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = name  # type: ignore[attr-defined]
    run.font.size = Pt(size)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    r_pr = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), name)


def write_docx(state: CaseState, path: Path) -> None:
    """Write the judgment as .docx: centred title, 仿宋 body, paragraphs indented two characters."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    body_size = 16.0  # 三号
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    draft = current_draft(state)
    for name, lines in judgment_sections(state):
        for i, line in enumerate(lines):
            para = doc.add_paragraph()
            run = para.add_run(line)
            if name == "首部":
                is_title = line == draft.title
                para.alignment = (
                    WD_ALIGN_PARAGRAPH.RIGHT
                    if i == len(lines) - 1 and not is_title
                    else WD_ALIGN_PARAGRAPH.CENTER
                )
                _font(run, TITLE_FONT, 22.0 if is_title else body_size, bold=i < len(lines) - 1)
            elif name == "尾部" and _is_signature(line):
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _font(run, BODY_FONT, body_size)
            else:
                para.paragraph_format.first_line_indent = Pt(body_size * 2)
                para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                _font(run, BODY_FONT, body_size)
            para.paragraph_format.line_spacing = Pt(28)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))


# ---------------------------------------------------------------- provenance


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def fact_source(state: CaseState, fact: Fact) -> str:
    """Where a fact comes from: document spans with their words, or who supplied it."""
    if fact.spans:
        docs = {d.id: d for d in state.documents}
        return "；".join(
            f"{sp.document_id}（{docs[sp.document_id].filename if sp.document_id in docs else '?'}）"
            f"[{sp.start}:{sp.end}]「{sp.quote}」"
            for sp in fact.spans
        ) + (f"，经 {fact.origin.name}" if fact.origin.kind == "human" else "")
    who = {"human": "人工录入", "tool": "工具", "document": "文书"}[fact.origin.kind]
    return f"{who}：{fact.origin.name}"


def _section_sources(state: CaseState, draft: Draft) -> list[str]:
    out: list[str] = []
    for name in SECTION_ORDER:
        section = next((s for s in draft.sections if s.name == name), None)
        if section is None:
            continue
        fact_ids = list(dict.fromkeys(f for s in section.sentences for f in s.fact_ids))
        statute_ids = list(dict.fromkeys(f for s in section.sentences for f in s.statute_ids))
        syllogism_ids = list(dict.fromkeys(f for s in section.sentences for f in s.syllogism_ids))
        out += [f"### {name}", ""]
        if not (fact_ids or statute_ids or syllogism_ids):
            out += ["- 格式文字或案件信息（法院、案号、审判组织），不陈述台账事实。", ""]
            continue
        for fid in fact_ids:
            fact = state.fact(fid)
            out.append(
                f"- 事实 {fid}：{fact.label}「{fact.value}」 — {fact_source(state, fact)}"
                if fact
                else f"- 事实 {fid}：台账中已不存在"
            )
        for sid in statute_ids:
            ref = state.statute(sid)
            out.append(
                f"- 法条 {sid}：《{ref.law}》{ref.article_label}（{ref.status}）"
                f"— 来源 {ref.source}；理由：{ref.reason}"
                if ref
                else f"- 法条 {sid}：未在审批的法条中"
            )
        for yid in syllogism_ids:
            syl = next((s for s in state.syllogisms if s.id == yid), None)
            if syl is None:
                out.append(f"- 三段论 {yid}：已不存在")
                continue
            c = syl.conclusion
            decided = "规则引擎建议，未经法官确认" if c.decided_by == "engine" else f"由 {c.decided_by} 确认"
            out.append(
                f"- 三段论 {yid}（请求 {syl.claim_id}）：{syl.issue} — {c.disposition}，{decided}；"
                f"大前提 {'、'.join(syl.major_premise) or '—'}，小前提 {'、'.join(syl.minor_premise)}"
            )
        out.append("")
    return out


def _decision_row(d: Decision) -> str:
    verb = {"approve": "批准", "edit": "编辑", "reject": "退回"}[d.kind]
    if d.automatic:
        verb = f"自动{verb}（评测策略，非法官审批）"
    return (
        f"| {_cell(d.at)} | {_cell(CHECKPOINT_TITLES.get(d.checkpoint, d.checkpoint))} | {verb} | "
        f"{_cell(str(d.actor))} | {_cell(d.comment) or '—'} |"
    )


def provenance_note(state: CaseState) -> str:
    """Markdown: what each section states and where it comes from; who decided what and when."""
    draft = current_draft(state)
    lines = [
        f"# 判决书出处说明（案件 {state.case_id}）",
        "",
        f"- 案号：{state.info.case_number or '—'}；法院：{state.info.court or '—'}；策略：{state.policy}",
        f"- 草稿：第{draft.revision}稿"
        + (f"，由 {draft.edited_by} 编辑" if draft.edited_by else "，由规则引擎生成"),
        f"- 签发：{state.signed_by}（{state.info.judgment_date}）"
        if is_signed(state)
        else "- 签发：尚未签发",
    ]
    if any(d.automatic for d in state.decisions):
        lines.append("- 注意：本案有节点由评测策略自动通过，未经法官审查，不得作为真实裁判文书使用。")
    lines += ["", "## 各部分陈述的事实、法条与三段论", "", *_section_sources(state, draft), "## 审批记录", ""]
    if state.decisions:
        lines += ["| 时间 | 节点 | 决定 | 决定人 | 意见 |", "|---|---|---|---|---|"]
        lines += [_decision_row(d) for d in state.decisions]
        for d in state.decisions:
            if isinstance(d, EditDecision) and d.diff:
                lines += [
                    "",
                    f"{d.actor} 在“{CHECKPOINT_TITLES.get(d.checkpoint, d.checkpoint)}”的修改：",
                    "",
                    "```diff",
                    d.diff,
                    "```",
                ]
    else:
        lines.append("尚无审批记录。")
    if state.findings:
        lines += ["", "## 核查意见", ""]
        lines += [f"- [{f.severity}] {f.type}：{f.message}（依据：{f.evidence}）" for f in state.findings]
    return "\n".join(lines).rstrip() + "\n"

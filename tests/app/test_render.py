"""Rendering: Markdown and .docx of the judgment, and the provenance note."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from fixtures_lending import (
    COSTS_ORDER,
    GUARANTEE_ORDER,
    INTEREST_ORDER,
    PRINCIPAL_ORDER,
    evaluation_state,
    lending_state,
)
from judgeflow.agents.write_draft import DATE_PLACEHOLDER, JUDGE_PLACEHOLDER, compose_draft
from judgeflow.app.render import judgment_markdown, provenance_note, write_docx
from judgeflow.graph.state import DraftSection, Sentence


def signed_state():  # type: ignore[no-untyped-def]
    """Drafted before signing (date placeholder in the draft), then signed as approve_draft does."""
    state = lending_state()
    state.draft = compose_draft(state)
    signed = lending_state(signed=True)
    state.info, state.signed_by, state.decisions = signed.info, signed.signed_by, signed.decisions
    return state


def test_markdown_carries_title_orders_and_indented_paragraphs() -> None:
    state = lending_state()
    state.draft = compose_draft(state)
    md = judgment_markdown(state)
    assert "# 民事判决书" in md and "**浙江省杭州市西湖区人民法院**" in md
    for order in (PRINCIPAL_ORDER, INTEREST_ORDER, GUARANTEE_ORDER, COSTS_ORDER):
        assert order in md
    assert "\n　　原告：张伟，男，1985年3月12日出生" in md
    assert "尚未经法官签发" in md and DATE_PLACEHOLDER in md
    body = md.split("</div>", 1)[1]
    assert "#" not in body  # no headings invented inside the body


def test_signed_markdown_has_judge_and_date() -> None:
    md = judgment_markdown(signed_state())
    assert "审判员　王某某" in md and "二〇二四年五月八日" in md
    assert DATE_PLACEHOLDER not in md and "尚未经法官签发" not in md
    assert md.index("二〇二四年五月八日") > md.index(COSTS_ORDER)


def test_signer_fills_an_empty_judge_line() -> None:
    state = lending_state()
    state.info.judges = []
    state.draft = compose_draft(state)
    assert JUDGE_PLACEHOLDER in state.draft.text
    state.signed_by, state.info.judgment_date = "judge:李法官", "2024-05-09"
    md = judgment_markdown(state)
    assert "审判员　李法官" in md and "二〇二四年五月九日" in md


def test_markdown_uses_the_judges_edit() -> None:
    state = lending_state()
    draft = compose_draft(state)
    idx = [s.name for s in draft.sections].index("本院认为")
    draft.sections[idx] = DraftSection(
        name="本院认为", sentences=[Sentence(text="本院认为，法官改写的说理。")]
    )
    state.draft = draft
    assert "法官改写的说理" in judgment_markdown(state)


def test_docx_opens_with_title_font_and_indent(tmp_path: Path) -> None:
    path = tmp_path / "out" / "judgment.docx"
    write_docx(signed_state(), path)
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == ["浙江省杭州市西湖区人民法院", "民事判决书", "（2024）浙0106民初1234号"]
    title = doc.paragraphs[1]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert f"一、{PRINCIPAL_ORDER}；" in texts and "二〇二四年五月八日" in texts
    body = doc.paragraphs[texts.index(f"一、{PRINCIPAL_ORDER}；")]
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert doc.styles["Normal"].font.name == "仿宋"
    signature = doc.paragraphs[texts.index("审判员　王某某")]
    assert signature.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_provenance_note_names_sources_and_decisions() -> None:
    state = signed_state()
    note = provenance_note(state)
    assert note.startswith("# 判决书出处说明（案件 lending-001）")
    for name in ("### 当事人", "### 经审理查明", "### 本院认为", "### 判决主文"):
        assert name in note
    assert "事实 F4：借款本金「100000.00」 — D1（起诉状.txt）" in note and "「借款100000元」" in note
    assert "人工录入：clerk:陈某" in note  # the evidence facts were entered by the clerk
    assert "法条 民法典:667：《中华人民共和国民法典》第六百六十七条" in note
    assert "三段论 S1（请求 F20）" in note and "由 judge:王某某 确认" in note
    assert (
        "| 2024-04-20T08:10:00+00:00 | 审核适用法条 | 编辑 | judge:王某某 "
        "| 本案利率未超上限，不引第六百八十条 |" in note
    )
    assert "```diff\n- 民法典:680\n```" in note
    assert "签发：judge:王某某（2024-05-08）" in note
    assert "自动" not in note


def test_provenance_marks_automatic_approvals() -> None:
    note = provenance_note(evaluation_state())
    assert note.count("自动批准（评测策略，非法官审批）") == 3
    assert "system:evaluation-policy" in note and "不得作为真实裁判文书使用" in note
    assert "草稿：第0稿" in note  # no draft yet: one is composed for the note

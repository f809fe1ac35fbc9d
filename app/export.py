"""Export a case: the judgment (Markdown and .docx), its provenance note, the trace as JSONL, the state."""

from __future__ import annotations

import json
from pathlib import Path

from judgeflow.app.render import judgment_markdown, provenance_note, write_docx
from judgeflow.errors import InputError
from judgeflow.graph.state import CaseState


def trace_lines(state: CaseState) -> list[str]:
    """The case's trace as JSON lines: node runs and decisions in order, then the decisions in full."""
    lines = [
        json.dumps({"record": "trace", **t.model_dump(mode="json")}, ensure_ascii=False) for t in state.trace
    ]
    lines += [
        json.dumps({"record": "decision", **d.model_dump(mode="json")}, ensure_ascii=False)
        for d in state.decisions
    ]
    return lines


def export_case(state: CaseState, out: Path) -> list[Path]:
    """Write every export of the case into `out` (created if needed); returns the files written."""
    if out.exists() and not out.is_dir():
        raise InputError(f"导出位置 {out} 已存在且不是文件夹")
    if state.draft is None:
        raise InputError(f"案件 {state.case_id} 尚未形成草稿，暂无判决书可导出（可用 history 查看轨迹）")
    out.mkdir(parents=True, exist_ok=True)
    stem = state.case_id
    files = {
        out / f"{stem}.judgment.md": state.judgment or judgment_markdown(state),
        out / f"{stem}.provenance.md": provenance_note(state),
        out / f"{stem}.trace.jsonl": "\n".join(trace_lines(state)) + "\n",
        out / f"{stem}.state.json": state.model_dump_json(indent=1),
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    docx_path = out / f"{stem}.judgment.docx"
    write_docx(state, docx_path)
    return [*files, docx_path]

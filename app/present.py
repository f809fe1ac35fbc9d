"""Plain-text presentation of a case's status for the terminal (the `--json` forms carry the same data)."""

from __future__ import annotations

from typing import Any

from judgeflow.graph.runner import CaseStatus

STATUS_ZH = {"waiting": "等待审批", "interrupted": "中断（可继续）", "done": "已签发定稿"}


def _facts(content: dict[str, Any]) -> list[str]:
    lines = []
    for fact in content.get("facts", []):
        spans = fact.get("spans") or []
        where = (
            f"{spans[0]['document_id']}[{spans[0]['start']}:{spans[0]['end']}]"
            if spans
            else fact["origin"]["name"]
        )
        lines.append(f"  {fact['id']:>4}  {fact['kind']:<9} {fact['label']}：{fact['value']}    ⟵ {where}")
    return lines


def _statutes(content: dict[str, Any]) -> list[str]:
    lines = []
    for ref in content.get("statutes", []):
        lines.append(f"  《{ref['law']}》{ref['article_label']}  [{ref['id']}]  {ref['status']}")
        lines.append(f"      理由：{ref['reason']}")
        text = ref["text"].replace("\n", " ")
        lines.append(f"      条文：{text[:120]}{'…' if len(text) > 120 else ''}")
    return lines


def _syllogisms(content: dict[str, Any]) -> list[str]:
    lines = []
    for s in content.get("syllogisms", []):
        c = s["conclusion"]
        about = "罪名/被告人" if s.get("sentence") is not None else "请求"
        lines.append(f"  {s['id']}  争点：{s['issue']}  （{about} {s['claim_id']}）")
        lines.append(f"      大前提：{'、'.join(s['major_premise']) or '—'}")
        lines.append(f"      小前提：{'、'.join(s['minor_premise'])}")
        lines.append(f"      说理：{s['reasoning']}")
        for step in s.get("computation", []):
            settable = (
                f"  [可设定：{step['step_id']}]" if step.get("editable") and step.get("step_id") else ""
            )
            lines.append(f"      计算：{step['label']}：{step['formula']} = {step['result']}{settable}")
        for ca in s.get("counter_arguments", []):
            lines.append(f"      {ca['party']}主张：{ca['argument']}  → {ca['response']}")
        lines.append(f"      结论（{c['decided_by']}）：{c['disposition']} — {c['text']}")
        if c.get("order"):
            lines.append(f"      判项：{c['order']}")
    return lines


def _draft(content: dict[str, Any]) -> list[str]:
    lines = [content.get("draft_text", "")]
    findings = content.get("findings", [])
    lines.append(f"\n核查意见 {len(findings)} 条：")
    for f in findings:
        lines.append(
            f"  [{f['severity']}] {f['type']} @{f['start']}-{f['end']}：{f['message']}（依据：{f['evidence']}）"
        )
    return lines


def describe(status: CaseStatus) -> str:
    """A readable description of where the case stands and what the judge is asked to do."""
    head = f"案件 {status.case_id}：{STATUS_ZH.get(status.status, status.status)}"
    if status.status == "interrupted":
        return head + "\n  上次运行在步骤之间中断；运行 judgeflow run 以从最后一个检查点继续。"
    if status.status == "done":
        return (
            head + f"（签发人 {status.state.signed_by}）\n  导出：judgeflow export {status.case_id} --out DIR"
        )
    view = status.view or {}
    content = view.get("content", {})
    body: list[str] = [head, f"节点：{view.get('checkpoint')} — {view.get('title')}", ""]
    renderers = {
        "approve_facts": _facts,
        "approve_statutes": _statutes,
        "approve_reasoning": _syllogisms,
        "approve_draft": _draft,
    }
    body += renderers[str(view.get("checkpoint"))](content)
    body += [
        "",
        f"可由 {'、'.join(view.get('deciders', []))} 决定：",
        f"  judgeflow approve {status.case_id} --as judge:姓名",
        f"  judgeflow edit {status.case_id} --file EDIT.json --as judge:姓名",
        f"  judgeflow reject {status.case_id} --comment 理由 --as judge:姓名",
    ]
    return "\n".join(body)

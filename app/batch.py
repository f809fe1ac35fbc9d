"""Batch drafting: JSONL rows in, JSONL judgments out, under the evaluation policy.

Input rows: `{"id": ..., "documents": [{"text": ..., "kind"?: ..., "name"?: ...}], "info"?: {...}}`
or `{"id": ..., "fact": "..."}` (one statement of facts). Output rows: `{"id", "document",
"articles", "claims", "error"}`; with case type `criminal`, JuDGE-style `{"id", "document",
"articles" (Criminal Law article numbers), "charges", "prison_months", "fine", "defendants", "error"}`. The evaluation policy lets the engine propose everything and
records each automatic approval as such; it is never used for real cases.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from judgeflow.agents.criminal.draft import CRIMINAL_LAW
from judgeflow.agents.criminal.reasoning import TERM_PENALTIES, final_sentences
from judgeflow.agents.intake import documents_from_rows
from judgeflow.errors import InputError, JudgeflowError
from judgeflow.graph.runner import CaseRunner, validate_case_id
from judgeflow.graph.state import CaseInfo, CaseState


def _documents(row: dict[str, Any]) -> list[dict[str, str]]:
    if isinstance(row.get("documents"), list):
        return list(row["documents"])
    if isinstance(row.get("fact"), str):
        return [{"text": row["fact"], "kind": "事实", "name": "fact"}]
    raise InputError('每行须有 "documents"（文书列表）或 "fact"（事实文本）')


def result_row(case_id: str, state: CaseState) -> dict[str, Any]:
    """The structured output of one drafted case."""
    claims = {c.id: c for c in state.facts_of("claim")}
    return {
        "id": case_id,
        "document": state.judgment,
        "articles": [f"{s.short_name}第{s.article}条" for s in state.statutes],
        "claims": [
            {
                "claim": claims[s.claim_id].value if s.claim_id in claims else "",
                "type": claims[s.claim_id].details.get("type", "") if s.claim_id in claims else "",
                "disposition": s.conclusion.disposition,
                "award": s.conclusion.award,
                "order": s.conclusion.order,
            }
            for s in state.syllogisms
        ],
        "findings": [f.model_dump(mode="json") for f in state.findings],
        "error": None,
    }


def criminal_result_row(case_id: str, state: CaseState) -> dict[str, Any]:
    """A drafted criminal case in JuDGE's terms: Criminal Law articles, charges, term, fine."""
    articles = sorted({s.article for s in state.statutes if s.law == CRIMINAL_LAW and s.id in _cited(state)})
    sentences = final_sentences(state)
    first = sentences[0] if sentences else None
    charges = list(
        dict.fromkeys(
            f.value
            for s in state.syllogisms
            if s.conclusion.disposition != "不予支持"
            for f in state.facts
            if f.id == s.claim_id and f.kind == "charge"
        )
    )
    return {
        "id": case_id,
        "document": state.judgment,
        "articles": articles,
        "charges": charges,
        "prison_months": first.months if first and first.penalty in TERM_PENALTIES else 0,
        "fine": float(first.fine) if first and first.fine else 0.0,
        "defendants": [s.model_dump(mode="json") for s in sentences],
        "findings": [f.model_dump(mode="json") for f in state.findings],
        "error": None,
    }


def _cited(state: CaseState) -> set[str]:
    return {
        sid for s in state.syllogisms if s.conclusion.disposition != "不予支持" for sid in s.major_premise
    }


def run_batch(input_path: Path, out_path: Path, case_type: str = "private_lending") -> dict[str, int]:
    """Draft every row; a bad row yields an output row with its error and the batch goes on."""
    try:
        lines = input_path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"找不到输入文件 {input_path}") from None
    except UnicodeDecodeError:
        raise InputError(f"输入文件 {input_path} 不是 UTF-8 编码") from None
    ok = failed = 0
    with (
        tempfile.TemporaryDirectory(prefix="judgeflow-batch-") as home,
        CaseRunner(home=Path(home)) as runner,
    ):
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with out_path.open("w", encoding="utf-8") as out:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                row_id = f"row-{number}"
                try:
                    row = json.loads(line)
                    if not isinstance(row, dict):
                        raise InputError("每行须为 JSON 对象")
                    row_id = str(row.get("id", row_id))
                    validate_case_id(row_id)
                    info = CaseInfo.model_validate({**row.get("info", {}), "case_type": case_type})
                    runner.start(row_id, info, documents_from_rows(_documents(row)), policy="evaluation")
                    state = runner.state(row_id)
                    make_row = criminal_result_row if case_type == "criminal" else result_row
                    result = make_row(row_id, state)
                    ok += 1
                except json.JSONDecodeError as exc:
                    result = {"id": row_id, "error": f"第{number}行不是合法的 JSON：{exc.msg}"}
                    failed += 1
                except (JudgeflowError, ValueError) as exc:
                    result = {"id": row_id, "error": str(exc)}
                    failed += 1
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return {"ok": ok, "failed": failed}

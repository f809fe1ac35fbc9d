"""Intake: the graph node that checks the case documents and reads the hearing record's heading.

Reading case folders and batch rows (encodings, size limits, case.json) lives in
`judgeflow.agents.case_files`; its public names are re-exported here.
"""

from __future__ import annotations

import re
from typing import Any

from judgeflow.agents.case_files import (
    MAX_CASE_BYTES,
    MAX_FILE_BYTES,
    MAX_FILES,
    CaseFolder,
    decode_document,
    decode_text,
    documents_from_rows,
    kind_of,
    load_case_folder,
    normalize_text,
    read_case_folder,
)
from judgeflow.agents.trace import NodeTrace
from judgeflow.errors import InputError
from judgeflow.graph.state import CaseState, Document
from judgeflow.tools.dates import find_dates, iso

__all__ = [
    "MAX_CASE_BYTES",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "CaseFolder",
    "decode_document",
    "decode_text",
    "documents_from_rows",
    "hearing_particulars",
    "intake",
    "kind_of",
    "load_case_folder",
    "normalize_text",
    "read_case_folder",
]

HEADER_LINE_RE = re.compile(
    r"^[ \t\u3000]*(?P<key>时间|开庭时间|地点|案号|案由|审判长|审判员|人民陪审员|书记员)"
    r"[ \t]*[：:][ \t]*(?P<value>[^\n]*?)[ \t]*$",
    re.M,
)
NAME_RE = re.compile(r"^[\u4e00-\u9fff·]{2,6}$")
ATTENDANCE_RE = re.compile(r"^[ \t\u3000]*(?:书记员|书)[：:](?P<text>[^\n]*到庭[^\n]*)$", re.M)
ATTENDEE_RE = re.compile(r"((?:原告|被告|第三人)[^，,；;。、]*?)(?:均)?到庭")
ATTENDANCE_PREFIX_RE = re.compile(r"^.*?(?:报告审判(?:员|长)|报告)[，,]?\s*")
ADDRESSEE_RE = re.compile(r"此致\s*\n[ \t\u3000]*(?P<court>[\u4e00-\u9fff]{2,30}人民法院)")
COURT_LINE_RE = re.compile(r"^[ \t\u3000]*(?P<court>[\u4e00-\u9fff]{2,30}人民法院)[ \t\u3000]*$", re.M)


# ---------------------------------------------------------------- the graph node


def _header(text: str) -> str:
    """The 笔录's heading block: everything before the first blank line after its 时间/案号 lines."""
    lines = text.split("\n")
    seen_key = False
    for number, line in enumerate(lines):
        if HEADER_LINE_RE.match(line):
            seen_key = True
        elif seen_key and not line.strip():
            return "\n".join(lines[:number])
    return "\n".join(lines[:12])


def hearing_particulars(documents: list[Document]) -> dict[str, Any]:
    """What a hearing record's heading says: hearing date, case number, judges, clerk, court, attendance."""
    found: dict[str, Any] = {}
    for doc in documents:
        if doc.kind != "庭审笔录":
            continue
        head = _header(doc.text)
        judges: list[str] = []
        for m in HEADER_LINE_RE.finditer(head):
            key, value = m.group("key"), m.group("value")
            if key in ("时间", "开庭时间") and "hearing_date" not in found:
                dates = [d for d in find_dates(value) if d.precision == "day"]
                if dates:
                    found["hearing_date"] = iso(dates[0].value)
            elif key == "案号" and value and "case_number" not in found:
                found["case_number"] = value
            elif key in ("审判长", "审判员", "人民陪审员"):
                judges += [n for n in re.split(r"[、，,\s]+", value) if NAME_RE.match(n)]
            elif key == "书记员" and NAME_RE.match(value) and "clerk" not in found:
                found["clerk"] = value
        if judges and "judges" not in found:
            found["judges"] = list(dict.fromkeys(judges))
        court_line = COURT_LINE_RE.search(head)
        if court_line and "court" not in found:
            found["court"] = court_line.group("court")
        attendance = _attendance(doc.text)
        if attendance and "hearing_attendance" not in found:
            found["hearing_attendance"] = attendance
    if "court" not in found:
        for doc in documents:
            addressed = ADDRESSEE_RE.search(doc.text)
            if addressed:
                found["court"] = addressed.group("court")
                break
    return found


def _attendance(text: str) -> str:
    """The clerk's roll call ("原告甲到庭，被告乙到庭") in judgment style: "原告甲、被告乙到庭参加诉讼"."""
    m = ATTENDANCE_RE.search(text)
    if m is None:
        return ""
    line = ATTENDANCE_PREFIX_RE.sub("", m.group("text"))
    people = [p.strip() for p in ATTENDEE_RE.findall(line) if p.strip()]
    return "、".join(people) + "到庭参加诉讼" if people else ""


def intake(state: CaseState) -> dict[str, Any]:
    """Graph node: check the documents and fill empty case particulars from the hearing record."""
    trace = NodeTrace("intake")
    if not state.documents:
        raise InputError(
            "案件没有任何文书；请提供起诉状等文书。"
            " / The case has no documents; add the complaint and the other documents."
        )
    for doc in state.documents:
        normalize_text(doc.text, doc.filename)
    found = hearing_particulars(state.documents)
    trace.call(
        "read_hearing_header",
        {"documents": [d.id for d in state.documents if d.kind == "庭审笔录"]},
        "、".join(sorted(found)) or "无",
    )
    info = state.info
    filled = {}
    for key, value in found.items():
        if not getattr(info, key):
            filled[key] = value
    new_info = info.model_copy(update=filled)
    kinds = {d.id: d.kind for d in state.documents}
    summary = f"收到 {len(state.documents)} 份文书（{'、'.join(kinds.values())}）"
    summary += f"；从庭审笔录补全：{'、'.join(filled)}" if filled else ""
    converted = {d.filename: d.encoding for d in state.documents if not d.encoding.startswith("UTF-8")}
    summary += (
        f"；已转换为 UTF-8：{'、'.join(f'{n}（{e}）' for n, e in converted.items())}" if converted else ""
    )
    event = trace.event(
        summary,
        inputs={"documents": kinds, "characters": sum(len(d.text) for d in state.documents)},
        outputs={"filled": filled, "converted_from": converted},
    )
    return {"info": new_info, "trace": [event]}

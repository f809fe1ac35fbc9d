"""Intake: read a case folder (or batch rows) into Documents and CaseInfo, and check them.

Every problem a user can cause — a missing folder, no .txt files, an empty, binary, oversized or
non-UTF-8 file, a malformed case.json — raises `InputError` with a message in Chinese, then
English, that names the file and says what to fix. Intake only reads: nothing is written anywhere.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

from judgeflow.agents.trace import NodeTrace
from judgeflow.errors import InputError
from judgeflow.graph.state import CaseInfo, CaseState, Document, DocumentKind
from judgeflow.tools.dates import find_dates, iso
from pydantic import ValidationError

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_CASE_BYTES = 10 * 1024 * 1024
MANIFEST = "case.json"
BOM = "\ufeff"
KINDS: tuple[str, ...] = get_args(DocumentKind)
# How a document announces itself in its title lines, in the order they are tried.
KIND_WORDS: tuple[tuple[DocumentKind, tuple[str, ...]], ...] = (
    ("庭审笔录", ("庭审笔录", "开庭笔录", "庭审记录", "法庭笔录")),
    ("证据目录", ("证据目录", "证据清单", "证据材料清单")),
    ("答辩状", ("答辩状", "答辩意见")),
    ("起诉状", ("民事起诉状", "起诉状", "起诉书")),
)
KIND_ALIASES: dict[str, DocumentKind] = {word: kind for kind, words in KIND_WORDS for word in words}
KIND_ALIASES.update({"事实": "事实", "其他": "其他", "庭审笔录": "庭审笔录", "证据目录": "证据目录"})
TITLE_LINES = 5
MANIFEST_KEYS = frozenset(CaseInfo.model_fields) | {"documents"}
ROW_KEYS = frozenset({"text", "kind", "name"})

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


# ---------------------------------------------------------------- reading and checking text


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def decode_text(data: bytes, name: str) -> str:
    """Bytes of one document as text: UTF-8 only, BOM stripped, newlines normalized to \\n."""
    if b"\x00" in data:
        raise InputError(
            f"文件“{name}”含有二进制内容（NUL 字节），不是纯文本；请另存为 UTF-8 编码的 .txt 文本文件。"
            f" / {name} contains binary data (NUL bytes); save it as a plain UTF-8 .txt file."
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"文件“{name}”不是 UTF-8 编码（第 {exc.start} 字节处无法解码）；"
            f'请将文件转换为 UTF-8 编码（如 iconv -f GB18030 -t UTF-8 "{name}" > 新文件.txt）。'
            f" / {name} is not valid UTF-8 (byte {exc.start}); convert it to UTF-8,"
            f" e.g. iconv -f GB18030 -t UTF-8."
        ) from None
    return normalize_text(text, name)


def normalize_text(text: str, name: str) -> str:
    """Strip a BOM, turn \\r\\n and \\r into \\n, and refuse text that is empty or binary."""
    text = text.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise InputError(
            f"文书“{name}”含有二进制内容（NUL 字符），不是纯文本；请提供纯文本。"
            f" / {name} contains binary data (NUL characters); give plain text."
        )
    if not text.strip():
        raise InputError(
            f"文件“{name}”为空或只有空白字符；请补全该文书内容或将其移出案件文件夹。"
            f" / {name} is empty or whitespace only; fill it in or remove it from the case."
        )
    return text


def _check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"文件“{name}”过大（{_size_text(size)}，上限 2 MB）；"
            "请确认它是案件文书的纯文本，必要时拆分或删减。"
            f" / {name} is too large ({_size_text(size)}; the limit is 2 MB);"
            " give the document's plain text only."
        )


def _check_total(total: int) -> None:
    if total > MAX_CASE_BYTES:
        raise InputError(
            f"案件文书合计过大（{_size_text(total)}，上限 10 MB）；"
            "请只保留本案的起诉状、答辩状、证据目录、庭审笔录等文书。"
            f" / The case's documents total {_size_text(total)} (the limit is 10 MB);"
            " keep only this case's documents."
        )


def kind_of(text: str, filename: str = "") -> DocumentKind:
    """Recognize a document's kind from its title lines, else from its file name; 其他 when neither says."""
    title = [line.strip() for line in text.split("\n") if line.strip()][:TITLE_LINES]
    for line in title:
        for kind, words in KIND_WORDS:
            if any(word in line for word in words) and len(line) <= 30:
                return kind
    stem = Path(filename).stem
    for kind, words in KIND_WORDS:
        if any(word in stem for word in words):
            return kind
    return "其他"


def _kind_value(value: object, where: str) -> DocumentKind:
    if isinstance(value, str) and value.strip() in KIND_ALIASES:
        return KIND_ALIASES[value.strip()]
    raise InputError(
        f"{where}的文书类型“{value}”无法识别；可用类型：{'、'.join(KINDS)}。"
        f" / {where}: unknown document kind {value!r}; use one of {', '.join(KINDS)}."
    )


# ---------------------------------------------------------------- case.json


def _read_manifest(path: Path, names: list[str]) -> tuple[CaseInfo, dict[str, DocumentKind]]:
    """Validate case.json: known keys only, CaseInfo field types, document kinds for files that exist."""
    data = path.read_bytes()
    _check_size(len(data), MANIFEST)
    try:
        raw = json.loads(data.decode("utf-8").removeprefix(BOM))
    except UnicodeDecodeError:
        raise InputError(
            f"案件清单 {MANIFEST} 不是 UTF-8 编码；请转换为 UTF-8（如 iconv -f GB18030 -t UTF-8）。"
            f" / {MANIFEST} is not valid UTF-8; convert it to UTF-8."
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"案件清单 {MANIFEST} 不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）；"
            "请修正该文件或删除它。"
            f" / {MANIFEST} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg});"
            " fix or remove it."
        ) from None
    if not isinstance(raw, dict):
        raise InputError(
            f'案件清单 {MANIFEST} 须为 JSON 对象（{{"court": …}}）。 / {MANIFEST} must be a JSON object.'
        )
    for key in raw:
        if key not in MANIFEST_KEYS:
            raise InputError(
                f"案件清单 {MANIFEST} 含有未知字段“{key}”；可用字段：{'、'.join(sorted(MANIFEST_KEYS))}。"
                f" / {MANIFEST}: unknown key {key!r}; allowed keys: {', '.join(sorted(MANIFEST_KEYS))}."
            )
    documents = raw.pop("documents", {})
    if not isinstance(documents, dict):
        raise InputError(
            f"案件清单 {MANIFEST} 的 documents 须为“文件名: 文书类型”的对象。"
            f" / {MANIFEST}: documents must map file names to document kinds."
        )
    kinds: dict[str, DocumentKind] = {}
    for name, kind in documents.items():
        if name not in names:
            raise InputError(
                f"案件清单 {MANIFEST} 的 documents 列出了不存在的文件“{name}”；现有文件：{'、'.join(names)}。"
                f" / {MANIFEST}: documents names {name!r}, which is not among the case's .txt files."
            )
        kinds[name] = _kind_value(kind, f"案件清单 {MANIFEST} 中“{name}”")
    try:
        info = CaseInfo.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "?"
        raise InputError(
            f"案件清单 {MANIFEST} 的字段“{field}”不合要求：{first['msg']}；请修正。"
            f" / {MANIFEST}: field {field!r} is invalid: {first['msg']}."
        ) from None
    return info, kinds


# ---------------------------------------------------------------- loading


def load_case_folder(path: Path) -> tuple[CaseInfo, list[Document]]:
    """Read a case folder: its *.txt files sorted by name (D1, D2 …) and the optional case.json."""
    path = Path(path)
    if not path.exists():
        raise InputError(
            f"案件文件夹不存在：{path}；请检查路径。 / Case folder not found: {path}; check the path."
        )
    if not path.is_dir():
        raise InputError(
            f"路径 {path} 不是文件夹；请给出存放案件 .txt 文书的文件夹。"
            f" / {path} is not a folder; give the folder that holds the case's .txt files."
        )
    files = sorted(
        (p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt"), key=lambda p: p.name
    )
    if not files:
        raise InputError(
            f"文件夹 {path} 中没有 .txt 文书；"
            "请放入 UTF-8 编码的起诉状、答辩状、证据目录、庭审笔录等 .txt 文件。"
            f" / {path} holds no .txt files; add the case documents as UTF-8 .txt files."
        )
    total = 0
    for file in files:
        size = file.stat().st_size
        _check_size(size, file.name)
        total += size
    _check_total(total)
    names = [f.name for f in files]
    info, kinds = CaseInfo(), dict[str, DocumentKind]()
    manifest = path / MANIFEST
    if manifest.is_file():
        info, kinds = _read_manifest(manifest, names)
    documents = []
    for number, file in enumerate(files, start=1):
        text = decode_text(file.read_bytes(), file.name)
        kind = kinds.get(file.name) or kind_of(text, file.name)
        documents.append(Document(id=f"D{number}", kind=kind, filename=file.name, text=text))
    return info, documents


def documents_from_rows(items: list[dict[str, str]]) -> list[Document]:
    """Documents from batch rows ({"text", optional "kind", optional "name"}), checked like files."""
    if not isinstance(items, list) or not items:
        raise InputError(
            "没有文书：documents 须为非空列表。 / No documents: documents must be a non-empty list."
        )
    documents = []
    total = 0
    for number, item in enumerate(items, start=1):
        where = f"第{number}份文书"
        if not isinstance(item, dict):
            raise InputError(
                f"{where}须为 JSON 对象（含 text）。 / document {number} must be an object with text."
            )
        for key in item:
            if key not in ROW_KEYS:
                raise InputError(
                    f"{where}含有未知字段“{key}”；可用字段：text、kind、name。"
                    f" / document {number}: unknown key {key!r}; use text, kind, name."
                )
        name = item.get("name") or f"文书{number}"
        if not isinstance(name, str):
            raise InputError(f"{where}的 name 须为字符串。 / document {number}: name must be a string.")
        text = item.get("text")
        if not isinstance(text, str):
            raise InputError(
                f"{where}（{name}）缺少文本字段 text。 / document {number} ({name}) has no text field."
            )
        size = len(text.encode("utf-8", errors="surrogatepass"))
        _check_size(size, name)
        total += size
        _check_total(total)
        text = normalize_text(text, name)
        kind = _kind_value(item["kind"], f"{where}（{name}）") if item.get("kind") else kind_of(text, name)
        documents.append(Document(id=f"D{number}", kind=kind, filename=name, text=text))
    return documents


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
    event = trace.event(
        summary,
        inputs={"documents": kinds, "characters": sum(len(d.text) for d in state.documents)},
        outputs={"filled": filled},
    )
    return {"info": new_info, "trace": [event]}

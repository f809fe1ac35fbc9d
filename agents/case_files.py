"""Case files: read a case folder (or batch rows) into Documents and CaseInfo, and check them.

Documents are read as UTF-8 (with or without BOM); GBK/GB18030 files are detected, converted and
reported (`CaseFolder.conversions`); anything else is refused. Every problem a user can cause — a
missing folder, no .txt files, an empty, binary, oversized, control-character or unknown-encoding
file, a symbolic link, a malformed case.json — raises `InputError` with a message in Chinese, then
English, that names the file and says what to fix. Intake only reads: nothing is written anywhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import get_args

from judgeflow.errors import InputError
from judgeflow.graph.state import CaseInfo, Document, DocumentKind
from judgeflow.tools.text_encoding import Detection, decode, detect_encoding
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
    ("起诉书", ("公诉书", "起诉书")),
    ("起诉状", ("民事起诉状", "起诉状")),
)
KIND_ALIASES: dict[str, DocumentKind] = {word: kind for kind, words in KIND_WORDS for word in words}
KIND_ALIASES.update({"事实": "事实", "其他": "其他", "庭审笔录": "庭审笔录", "证据目录": "证据目录"})
TITLE_LINES = 5
TITLE_MAX = 20
MAX_FILES = 200
# Zero-width characters are invisible and would let a name slip past pseudonymization ("张\u200b三").
INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# C0/C1 controls other than tab, newline, form feed; lone surrogates; bidi overrides (text shown
# in another order than it is read).
CONTROL_RE = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069]")
SENTENCE_MARKS = re.compile("[。，；：:;,？?！!]")
MANIFEST_KEYS = frozenset(CaseInfo.model_fields) | {"documents"}
ROW_KEYS = frozenset({"text", "kind", "name"})

# ---------------------------------------------------------------- reading and checking text


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


ENCODING_NAMES: dict[str, str] = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（带 BOM）",
    "gbk": "GBK",
    "gb18030": "GB18030",
}
_SAVE_AS = "请另存为 UTF-8 编码的 .txt 纯文本文件"


def _refused(detection: Detection, name: str) -> InputError:
    """The message for a file whose bytes cannot be read as a document."""
    if detection.refusal == "format":
        return InputError(
            f"文件“{name}”实际是 {detection.detail} 格式的二进制文件，不是纯文本；"
            f"{_SAVE_AS}（如在 Word/WPS 中“另存为 → 纯文本”）。"
            f" / {name} is a binary {detection.detail} file, not plain text; save it as a UTF-8 .txt file."
        )
    if detection.refusal in ("utf16", "utf32"):
        width = "UTF-16" if detection.refusal == "utf16" else "UTF-32"
        return InputError(
            f"文件“{name}”是 {width} 编码（Windows 记事本的“Unicode”）；{_SAVE_AS}。"
            f" / {name} is {width}-encoded; save it as UTF-8 (iconv -f {width} -t UTF-8)."
        )
    if detection.refusal == "nul":
        return InputError(
            f"文件“{name}”含有二进制内容（NUL 字节），不是纯文本；{_SAVE_AS}。"
            f" / {name} contains binary data (NUL bytes); save it as a plain UTF-8 .txt file."
        )
    return InputError(
        f"文件“{name}”的编码无法识别：既不是 UTF-8，也不是 GBK/GB18030 中文文本（{detection.detail}）；"
        f'请将文件转换为 UTF-8 编码（如 iconv -f 原编码 -t UTF-8 "{name}" > 新文件.txt）。'
        f" / {name} is neither UTF-8 nor GBK/GB18030 Chinese text ({detection.detail});"
        " convert it to UTF-8, e.g. iconv -f BIG5 -t UTF-8."
    )


def decode_document(data: bytes, name: str) -> tuple[str, str]:
    """Bytes of one document as normalized text and the encoding read (UTF-8, or GBK/GB18030 converted)."""
    if not data:
        normalize_text("", name)  # raises the "empty" message
    detection = detect_encoding(data)
    if detection.encoding is None:
        raise _refused(detection, name)
    return normalize_text(decode(data, detection), name), detection.encoding


def decode_text(data: bytes, name: str) -> str:
    """Bytes of one document as text: UTF-8 (BOM stripped) or GBK/GB18030 converted; newlines as \\n."""
    return decode_document(data, name)[0]


def normalize_text(text: str, name: str) -> str:
    """Strip a BOM and invisible zero-width characters, turn \\r\\n and \\r into \\n, refuse empty or binary text."""
    text = text.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n").rstrip("\x1a")
    text = INVISIBLE_RE.sub("", text)
    if "\x00" in text:
        raise InputError(
            f"文书“{name}”含有二进制内容（NUL 字符），不是纯文本；请提供纯文本。"
            f" / {name} contains binary data (NUL characters); give plain text."
        )
    bad = CONTROL_RE.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        code = f"U+{ord(bad.group()):04X}"
        raise InputError(
            f"文书“{name}”第 {line} 行含有控制字符或不可见的排版控制符（{code}），不是正常的纯文本；"
            "请删除该字符后重新保存。"
            f" / {name}, line {line}: control or bidi character {code}; remove it and save again."
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
    """Recognize a document's kind from its title lines, else from its file name; 其他 when neither says.

    A title line is short and has no sentence punctuation, so a sentence that merely mentions
    答辩意见 or 起诉状 (as hostile material may, to pass for a pleading) does not decide the kind.
    """
    title = [line.strip() for line in text.split("\n") if line.strip()][:TITLE_LINES]
    for line in title:
        for kind, words in KIND_WORDS:
            if (
                any(word in line for word in words)
                and len(line) <= TITLE_MAX
                and not SENTENCE_MARKS.search(line)
            ):
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
    _check_size(path.stat().st_size, MANIFEST)
    data = _read_bytes(path)
    detection = detect_encoding(data)
    if detection.encoding is None and detection.refusal != "empty":
        raise InputError(
            f"案件清单 {MANIFEST} 不是 UTF-8 或 GBK 编码的文本；请转换为 UTF-8（如 iconv -f GB18030 -t UTF-8）。"
            f" / {MANIFEST} is not UTF-8 (or GBK) text; convert it to UTF-8."
        )
    try:
        text = decode(data, detection) if detection.encoding else ""
        raw = json.loads(text.removeprefix(BOM))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"案件清单 {MANIFEST} 不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）；"
            "请修正该文件或删除它。"
            f" / {MANIFEST} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg});"
            " fix or remove it."
        ) from None
    except RecursionError:
        raise InputError(
            f"案件清单 {MANIFEST} 嵌套层次过深，不是有效的案件清单；请修正该文件或删除它。"
            f" / {MANIFEST} is nested too deeply to be a case manifest; fix or remove it."
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


@dataclass(frozen=True)
class CaseFolder:
    """What a case folder holds: particulars, documents, and the encoding each file was read in."""

    info: CaseInfo
    documents: list[Document]
    encodings: dict[str, str] = field(default_factory=dict)

    @property
    def conversions(self) -> dict[str, str]:
        """Files that were not UTF-8 and were converted on reading: file name → encoding (GBK, GB18030)."""
        return {
            name: ENCODING_NAMES[enc] for name, enc in self.encodings.items() if enc in ("gbk", "gb18030")
        }


def _read_bytes(file: Path) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise InputError(
            f"无法读取文件“{file.name}”（{exc.strerror or exc}）；请检查文件权限或是否被其他程序占用。"
            f" / cannot read {file.name}: {exc.strerror or exc}."
        ) from None


def _case_files(path: Path) -> list[Path]:
    """The folder's .txt files in name order; symbolic links and too many files are refused."""
    if not path.exists():
        raise InputError(
            f"案件文件夹不存在：{path}；请检查路径。 / Case folder not found: {path}; check the path."
        )
    if not path.is_dir():
        raise InputError(
            f"路径 {path} 不是文件夹；请给出存放案件 .txt 文书的文件夹。"
            f" / {path} is not a folder; give the folder that holds the case's .txt files."
        )
    try:
        entries = sorted(path.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise InputError(
            f"无法读取文件夹 {path}（{exc.strerror or exc}）。 / cannot list {path}: {exc.strerror or exc}."
        ) from None
    files = [p for p in entries if p.suffix.lower() == ".txt" and (p.is_file() or p.is_symlink())]
    for file in files:
        if file.is_symlink():
            raise InputError(
                f"文件“{file.name}”是符号链接；出于安全考虑，请将文书本身复制进案件文件夹。"
                f" / {file.name} is a symbolic link; copy the document itself into the case folder."
            )
    if not files:
        others = [p.name for p in entries if p.is_file() and p.name != MANIFEST][:5]
        found = f"（文件夹中有：{'、'.join(others)}，这些格式不受支持）" if others else ""
        raise InputError(
            f"文件夹 {path} 中没有 .txt 文书{found}；"
            "请放入 UTF-8 或 GBK 编码的起诉状、答辩状、证据目录、庭审笔录等 .txt 文件。"
            f" / {path} holds no .txt files; add the case documents as UTF-8 .txt files"
            " (.doc/.docx/.pdf are not read; save them as plain text)."
        )
    if len(files) > MAX_FILES:
        raise InputError(
            f"文件夹 {path} 中有 {len(files)} 个 .txt 文件，超过上限 {MAX_FILES} 个；请只保留本案文书。"
            f" / {path} holds {len(files)} .txt files (the limit is {MAX_FILES}); keep this case's documents only."
        )
    return files


def read_case_folder(path: Path) -> CaseFolder:
    """Read a case folder: its *.txt files sorted by name (D1, D2 …), the optional case.json, the encodings."""
    path = Path(path)
    files = _case_files(path)
    total = 0
    for file in files:
        size = file.stat().st_size
        _check_size(size, file.name)
        total += size
    _check_total(total)
    names = [f.name for f in files]
    info, kinds = CaseInfo(), dict[str, DocumentKind]()
    manifest = path / MANIFEST
    if manifest.is_symlink():
        raise InputError(
            f"案件清单 {MANIFEST} 是符号链接；请放入文件本身。 / {MANIFEST} is a symbolic link; copy the file itself."
        )
    if manifest.is_file():
        info, kinds = _read_manifest(manifest, names)
    documents, encodings = [], {}
    for number, file in enumerate(files, start=1):
        data = _read_bytes(file)
        _check_size(len(data), file.name)  # the file may have grown since it was measured
        text, encodings[file.name] = decode_document(data, file.name)
        kind = kinds.get(file.name) or kind_of(text, file.name)
        encoding = ENCODING_NAMES.get(encodings[file.name], encodings[file.name])
        documents.append(
            Document(id=f"D{number}", kind=kind, filename=file.name, text=text, encoding=encoding)
        )
    return CaseFolder(info, documents, encodings)


def load_case_folder(path: Path) -> tuple[CaseInfo, list[Document]]:
    """Read a case folder into its particulars and documents (see `read_case_folder`)."""
    folder = read_case_folder(path)
    return folder.info, folder.documents


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

"""`judgeflow check FILE` and `judgeflow facts FILE`: the fact-checker and the ledger on any judgment text.

    judgeflow check judgment.txt [--json]   # findings, offsets into the file's text
    judgeflow facts judgment.txt [--json]   # the ledger read from the text, values normalized

The file is read as UTF-8 exactly as it is (no newline translation), so every offset is a character
offset into the file's text. `check` exits with status 1 when there is an error-severity finding (as
linters do), 0 otherwise; unusable input (missing, empty, binary, not UTF-8) is an InputError (status 2).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from judgeflow.errors import InputError

MAX_BYTES = 5 * 1024 * 1024
SEVERITY_WORDS = {"error": "错误", "warning": "提示", "info": "信息"}


def read_judgment_file(path: Path) -> str:
    """The text of a judgment file, or an InputError that says what is wrong with it and how to fix it."""
    if not path.exists():
        raise InputError(f"找不到文件：{path}（file not found）")
    if not path.is_file():
        raise InputError(f"{path} 不是文件（is not a file）；请给出一份判决书文本文件的路径")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(
            f"文件 {path} 过大（{size / 1024 / 1024:.1f} MB，上限 5 MB）；一份判决书文本不会这么大"
        )
    data = path.read_bytes()
    if b"\x00" in data:
        raise InputError(
            f"文件 {path} 含有二进制内容（NUL 字节），不是纯文本；如果是 Word 或 PDF 文件，请先另存为 UTF-8 编码的 .txt"
            f" / {path} is binary; save it as a UTF-8 .txt file"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"文件 {path} 不是 UTF-8 编码（第 {exc.start} 字节处无法解码）；中文文本常见 GBK/GB18030 编码，"
            f'请先转换：iconv -f GB18030 -t UTF-8 "{path}" > 转换后.txt'
            f" / {path} is not UTF-8; convert it, e.g. iconv -f GB18030 -t UTF-8"
        ) from None
    if not text.strip().strip("\ufeff"):
        raise InputError(f"文件 {path} 是空的（没有文字）/ {path} is empty")
    return text


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(text)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def cmd_check(args: argparse.Namespace) -> None:
    """Check a judgment text and print its findings (exit status 1 when any is an error)."""
    from judgeflow.agents.checking.judgment import check_judgment_text

    text = read_judgment_file(Path(args.file))
    findings = check_judgment_text(text)
    data = {
        "findings": [
            {
                "type": f.type,
                "severity": f.severity,
                "start": f.start,
                "end": f.end,
                "message": f.message,
                "evidence": f.evidence,
            }
            for f in findings
        ]
    }
    counts = {sev: sum(f.severity == sev for f in findings) for sev in SEVERITY_WORDS}
    lines = [
        f"{args.file}:{_line_of(text, f.start)}: [{SEVERITY_WORDS[f.severity]}/{f.type}] "
        f"{f.start}-{f.end} «{text[f.start : f.end][:40]}» {f.message}\n    依据：{f.evidence}"
        for f in findings
    ]
    lines.append(
        f"共 {len(findings)} 项：错误 {counts['error']}，提示 {counts['warning']}，信息 {counts['info']}"
        if findings
        else "未发现问题"
    )
    _emit(args, data, "\n".join(lines))
    if counts["error"]:
        raise SystemExit(1)


def cmd_facts(args: argparse.Namespace) -> None:
    """Print the ledger read from a text: parties, amounts, dates, periods and rates with their spans."""
    from judgeflow.agents.judgment_reader import facts_json, judgment_ledger, read_judgment

    text = read_judgment_file(Path(args.file))
    facts = facts_json(judgment_ledger(read_judgment(text)))
    lines = [
        f"{f['id']:<5} {f['kind']:<7} {f['value']:<24} {f['start']}-{f['end']} «{str(f['quote'])[:30]}»"
        for f in facts
    ]
    lines.append(f"共 {len(facts)} 项事实")
    _emit(args, {"facts": facts}, "\n".join(lines))


def add_check_commands(subparsers: Any) -> None:
    """Register `check` and `facts` on the CLI's subparsers (each with --json)."""
    for name, func, help_text in (
        (
            "check",
            cmd_check,
            "check a judgment text (UTF-8) for inconsistent amounts, dates, names and citations",
        ),
        ("facts", cmd_facts, "print the fact ledger read from a judgment or fact text (UTF-8)"),
    ):
        p = subparsers.add_parser(name, help=help_text, description=help_text)
        p.add_argument("file", help="a UTF-8 text file")
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
        p.set_defaults(func=func)

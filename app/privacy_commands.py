"""`judgeflow case export-all` and `judgeflow case delete`, and the pseudonymized export of a judgment.

Data-subject requests (see `judgeflow.graph.data_requests`): export everything stored about a case
— pseudonymized by default, `--no-pseudonymize` for internal use — and delete a case's content
(judges only, with `--confirm`), keeping the audit chain verifiable.
"""

from __future__ import annotations

import argparse
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from judgeflow.errors import InputError
from judgeflow.graph.state import CaseState


def docx_text(path: Path) -> str:
    """The text of a .docx with its XML tags removed, so that a name split across runs reads whole."""
    with zipfile.ZipFile(path) as archive:
        xml = "\n".join(
            archive.read(name).decode("utf-8", errors="replace")
            for name in archive.namelist()
            if name.endswith(".xml")
        )
    return re.sub(r"<[^>]*>", "", xml)


def _read_export(path: Path) -> str:
    return docx_text(path) if path.suffix == ".docx" else path.read_text(encoding="utf-8")


def pseudonymized_export(state: CaseState, out: Path, home: Path | None = None) -> list[Path]:
    """`judgeflow export` for files that leave the machine: the same files, personal data pseudonymized."""
    from judgeflow.app.export import export_case
    from judgeflow.graph.data_requests import (
        check_no_leaks,
        pseudonymize_state,
        pseudonymizer_for,
        register_export,
    )
    from judgeflow.graph.runner import judgeflow_home

    home = home or judgeflow_home()
    pseudonymizer = pseudonymizer_for(state, home)
    files = export_case(pseudonymize_state(state, pseudonymizer), out)
    register_export(home, state.case_id, files)
    check_no_leaks(files, pseudonymizer, _read_export)
    return files


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else text)


def cmd_export_all(args: argparse.Namespace) -> None:
    """Write everything stored about a case into --out (pseudonymized unless --no-pseudonymize)."""
    from judgeflow.graph.data_requests import export_all
    from judgeflow.graph.runner import CaseRunner

    with CaseRunner() as runner:
        files = export_all(runner, args.case_id, Path(args.out), pseudonymize=not args.no_pseudonymize)
    kind = "内部导出（含原始个人信息）" if args.no_pseudonymize else "化名导出"
    _emit(
        args,
        {"files": [str(f) for f in files], "pseudonymized": not args.no_pseudonymize},
        f"{kind}：\n" + "\n".join(f"  {f}" for f in files),
    )


def cmd_delete(args: argparse.Namespace) -> None:
    """Delete a case's content (judges only; --confirm), keeping the audit log verifiable."""
    from judgeflow.graph.data_requests import delete_case
    from judgeflow.graph.runner import CaseRunner
    from judgeflow.graph.state import Actor

    try:
        actor = Actor.parse(args.actor)
    except ValueError as exc:
        raise InputError(f"--as 参数有误：{exc}") from None
    with CaseRunner() as runner:
        report = delete_case(runner, args.case_id, actor, confirm=args.confirm)
    _emit(
        args,
        report.to_json(),
        f"已删除案件 {report.case_id}：{report.checkpoints} 个检查点、{report.exports} 个导出文件；"
        "审计记录保留（judgeflow audit verify 可核验）",
    )


def add_privacy_commands(subparsers: Any) -> None:
    """Add `case export-all` and `case delete` to the CLI's subcommands."""
    case = subparsers.add_parser("case", help="data-subject requests: export everything, delete a case")
    actions = case.add_subparsers(dest="case_command", required=True)
    p = actions.add_parser(
        "export-all",
        help="export everything stored about a case (pseudonymized by default)",
        description="export everything stored about a case (pseudonymized by default)",
    )
    p.add_argument("case_id")
    p.add_argument("--out", required=True, help="a new or empty folder")
    p.add_argument("--no-pseudonymize", action="store_true", help="keep personal data (internal use only)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=cmd_export_all)
    p = actions.add_parser(
        "delete",
        help="delete a case's content; the audit log stays verifiable",
        description="delete a case's content (checkpoints, trace, exports); judges only",
    )
    p.add_argument("case_id")
    p.add_argument("--as", dest="actor", required=True, help="ROLE:NAME, e.g. judge:王法官")
    p.add_argument("--confirm", action="store_true", help="required: deletion cannot be undone")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=cmd_delete)

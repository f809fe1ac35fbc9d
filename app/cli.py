"""The `judgeflow` command line: run a case to its next checkpoint, decide, inspect, export, batch, demo.

Every command takes `--json`. Errors a user can cause print one clear message (exit status 2),
never a traceback, and leave everything saved as it was.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from judgeflow.app.check_commands import add_check_commands
from judgeflow.app.privacy_commands import add_privacy_commands
from judgeflow.errors import InputError, JudgeflowError, PermissionDeniedError
from pydantic import ValidationError


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        print(text)


def _actor(text: str) -> Any:
    from judgeflow.graph.state import Actor

    try:
        actor = Actor.parse(text)
    except ValueError as exc:
        raise InputError(f"--as 参数有误：{exc}") from None
    return actor


def _runner() -> Any:
    from judgeflow.graph.runner import CaseRunner

    return CaseRunner()


def _show_status(args: argparse.Namespace, status: Any) -> None:
    from judgeflow.app.present import describe

    _emit(args, status.to_json(), describe(status))


def cmd_run(args: argparse.Namespace) -> None:
    """Start the case in CASE_DIR (or continue it) and stop at the next checkpoint."""
    with _runner() as runner:
        status = runner.run_folder(Path(args.case_dir), args.case_id, args.policy)
    _show_status(args, status)


def cmd_show(args: argparse.Namespace) -> None:
    """Show where a case stands and what it waits for."""
    with _runner() as runner:
        _show_status(args, runner.status(args.case_id))


def _decide(args: argparse.Namespace, make: Callable[[str, Any], Any]) -> None:
    with _runner() as runner:
        current = runner.status(args.case_id)
        checkpoint = args.at or current.checkpoint or "approve_facts"
        try:
            decision = make(checkpoint, _actor(args.actor))
        except ValidationError as exc:
            raise InputError(f"决定内容不合法：{exc.errors()[0]['msg']}") from None
        status = runner.decide(args.case_id, decision)
    _show_status(args, status)


def cmd_approve(args: argparse.Namespace) -> None:
    """Approve the waiting checkpoint (at approve_draft: sign)."""
    from judgeflow.graph.state import ApproveDecision

    _decide(args, lambda cp, actor: ApproveDecision(checkpoint=cp, actor=actor, comment=args.comment or ""))


def cmd_edit(args: argparse.Namespace) -> None:
    """Replace (part of) the waiting step's output with the JSON in --file."""
    from judgeflow.graph.state import EditDecision

    path = Path(args.file)
    try:
        replacement = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"找不到编辑文件 {path}") from None
    except UnicodeDecodeError:
        raise InputError(f"编辑文件 {path} 不是 UTF-8 编码") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"编辑文件 {path} 不是合法的 JSON（第{exc.lineno}行第{exc.colno}列：{exc.msg}）"
        ) from None
    except RecursionError:
        raise InputError(f"编辑文件 {path} 嵌套过深，无法作为编辑内容") from None
    if not isinstance(replacement, dict):
        raise InputError(f"编辑文件 {path} 的内容必须是 JSON 对象")
    _decide(
        args,
        lambda cp, actor: EditDecision(
            checkpoint=cp, actor=actor, replacement=replacement, comment=args.comment or ""
        ),
    )


def cmd_reject(args: argparse.Namespace) -> None:
    """Send the waiting step back to the agent that produced it, with a comment."""
    from judgeflow.graph.state import RejectDecision

    if not args.comment.strip():
        raise InputError("退回时必须写明理由（--comment）")
    _decide(args, lambda cp, actor: RejectDecision(checkpoint=cp, actor=actor, comment=args.comment))


def cmd_history(args: argparse.Namespace) -> None:
    """Every decision and node run of a case, in order."""
    with _runner() as runner:
        history = runner.history(args.case_id)
    lines = [f"案件 {args.case_id}：{history['checkpoints']} 个检查点"]
    for event in history["trace"]:
        lines.append(f"  {event['at']}  {event['kind']:<8} {event['node']:<18} {event['summary']}")
    _emit(args, history, "\n".join(lines))


def cmd_export(args: argparse.Namespace) -> None:
    """Write the judgment (.md, .docx), the provenance note and the trace (JSONL) to --out.

    Pseudonymized unless --real-names is given (then the audit log records who took personal data).
    """
    from judgeflow.app.export import export_case
    from judgeflow.app.privacy_commands import pseudonymized_export
    from judgeflow.graph.data_requests import register_export
    from judgeflow.policies.roles import may

    with _runner() as runner:
        state = runner.state(args.case_id)
        if args.real_names:
            actor = _actor(args.actor or "")
            if not may(actor.role, "export_real_names"):
                raise PermissionDeniedError(
                    f"{actor}无权导出含真实个人信息的材料；请去掉 --real-names（默认化名导出）"
                )
            files = export_case(state, Path(args.out))
            runner.audit.record(
                args.case_id, str(actor), "export.real_names", {"files": [f.name for f in files]}
            )
        else:
            files = pseudonymized_export(state, Path(args.out), runner.home)
        register_export(runner.home, args.case_id, files)  # so that deleting the case erases them too
    _emit(args, {"files": [str(f) for f in files]}, "已导出：\n" + "\n".join(f"  {f}" for f in files))


def cmd_list(args: argparse.Namespace) -> None:
    """The cases under JUDGEFLOW_HOME and where each stands."""
    with _runner() as runner:
        rows = [runner.status(cid).to_json() for cid in runner.list_cases()]
    text = (
        "\n".join(f"  {r['case_id']:<30} {r['status']:<12} {r['checkpoint'] or ''}" for r in rows)
        or "  （无案件）"
    )
    _emit(args, {"cases": [{k: r[k] for k in ("case_id", "status", "checkpoint")} for r in rows]}, text)


def cmd_batch(args: argparse.Namespace) -> None:
    """Draft every row of a JSONL file under the evaluation policy (automatic, recorded approvals)."""
    from judgeflow.app.batch import run_batch

    summary = run_batch(Path(args.input), Path(args.out), case_type=args.case_type)
    _emit(args, summary, f"完成 {summary['ok']} 件，失败 {summary['failed']} 件 → {args.out}")


def cmd_demo(args: argparse.Namespace) -> None:
    """Run the example cases through every checkpoint as a named demo judge."""
    from judgeflow.app.demo import run_demo

    run_demo(Path(args.out), as_json=args.json)


def cmd_audit(args: argparse.Namespace) -> None:
    """Verify the audit log's hash chains (global, or one case's), or show a case's entries."""
    with _runner() as runner:
        if args.action == "show":
            if not args.case_id:
                raise InputError("audit show 需要案件编号")
            entries = runner.audit.entries(args.case_id)
            if not entries:  # a deleted case keeps its audit entries; an unknown one has none
                raise InputError(f"审计日志中没有案件 {args.case_id} 的记录")
            text = "\n".join(
                f"  #{e['seq']:<5} {e['at']}  {e['actor']:<24} {e['action']:<10} {e['detail']}"
                for e in entries
            )
            _emit(args, {"entries": entries}, text or "  （无记录）")
            return
        result = runner.audit.verify(args.case_id)
    scope = f"案件 {args.case_id} 的" if args.case_id else "全局"
    _emit(
        args,
        result.to_json(),
        f"{scope}审计链完好（{result.checked} 条）" if result.ok else f"{scope}审计链被破坏：{result.reason}",
    )
    if not result.ok:
        raise SystemExit(1)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(prog="judgeflow", description="裁判文书辅助起草（法官逐节点审批）")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable[[argparse.Namespace], None], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
        p.set_defaults(func=func)
        return p

    p = add("run", cmd_run, "start or continue a case and stop at its next checkpoint")
    p.add_argument("case_dir", help="folder of UTF-8 .txt case documents (and optional case.json)")
    p.add_argument("--case-id", help="case id (default: the folder's name)")
    p.add_argument(
        "--policy",
        default=None,
        help="case policy (default: civil_simple for civil cases, criminal for criminal ones)",
    )
    add("show", cmd_show, "show a case and what it waits for").add_argument("case_id")
    for name, func, help_text in (
        ("approve", cmd_approve, "approve the waiting checkpoint (approve_draft = sign)"),
        ("edit", cmd_edit, "replace the waiting step's output with an edit file"),
        ("reject", cmd_reject, "send the waiting step back with a comment"),
    ):
        p = add(name, func, help_text)
        p.add_argument("case_id")
        p.add_argument("--as", dest="actor", required=True, help="ROLE:NAME, e.g. judge:王法官")
        p.add_argument("--at", help="the checkpoint you are deciding (guards against a stale view)")
        p.add_argument("--comment", required=name == "reject", help="comment (required to reject)")
        if name == "edit":
            p.add_argument("--file", required=True, help="JSON edit file (see docs/EDITS.md)")
    add("history", cmd_history, "decisions and node runs of a case").add_argument("case_id")
    p = add("export", cmd_export, "write the judgment, provenance note and trace")
    p.add_argument("case_id")
    p.add_argument("--out", required=True, help="output folder")
    names = p.add_mutually_exclusive_group()
    names.add_argument(
        "--pseudonymize",
        action="store_true",
        help="replace personal data (names, ID numbers …) with the case's pseudonyms (the default)",
    )
    names.add_argument(
        "--real-names",
        action="store_true",
        help="keep personal data: the court's own file, the judgment served on the parties (judges, with --as)",
    )
    p.add_argument(
        "--as", dest="actor", help="role:name of who exports with --real-names (recorded in the audit log)"
    )
    add("list", cmd_list, "list cases")
    p = add("batch", cmd_batch, "draft JSONL rows under the evaluation policy")
    p.add_argument("input")
    p.add_argument("--out", required=True)
    p.add_argument("--case-type", default="private_lending", choices=["private_lending", "criminal"])
    from judgeflow.app.kg_commands import add_kg_load_status
    from judgeflow.app.kg_tools_cli import add_kg_query_commands, add_statutes_command

    add_kg_query_commands(add_kg_load_status(sub))
    add_statutes_command(sub)
    p = add("audit", cmd_audit, "verify the tamper-evident audit log, or show a case's entries")
    p.add_argument("action", choices=["verify", "show"])
    p.add_argument("case_id", nargs="?", help="one case (default: the whole log)")
    p = add("demo", cmd_demo, "run the example cases through every checkpoint as a demo judge")
    p.add_argument("--out", default="demo-output", help="where to write judgments and traces")
    add_privacy_commands(sub)
    add_check_commands(sub)
    from judgeflow.app.user_commands import add_user_commands

    add_user_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `judgeflow` console script."""
    args = build_parser().parse_args(argv)
    try:
        args.func(args)
    except JudgeflowError as exc:
        if getattr(args, "json", False):
            print(json.dumps({"error": type(exc).__name__, "message": str(exc)}, ensure_ascii=False))
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

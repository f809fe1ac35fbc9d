"""`judgeflow user …` (workbench accounts) and `judgeflow serve` (the web workbench).

Passwords are read from standard input when it is not a terminal (one line), otherwise asked
for twice without echo; they are never taken from the command line, where other users of the
machine could read them.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from judgeflow.errors import InputError


def _read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码：")
    if getpass.getpass("再次输入密码：") != first:
        raise InputError("两次输入的密码不一致")
    return first


def _record(home: Any, action: str, detail: dict[str, Any]) -> None:
    from judgeflow.app.web.service import ACCESS_LOG_CASE
    from judgeflow.graph.audit import AuditLog

    log = AuditLog(home)
    try:
        log.record(ACCESS_LOG_CASE, f"cli:{getpass.getuser()}", action, detail)
    finally:
        log.close()


def cmd_user(args: argparse.Namespace) -> None:
    """Add, change or list workbench accounts (stored under JUDGEFLOW_HOME/web/)."""
    from judgeflow.app.web.accounts import AccountStore
    from judgeflow.graph.runner import judgeflow_home

    home = judgeflow_home()
    store = AccountStore(home)
    if args.action == "list":
        rows = [{"name": a.name, "role": a.role, "active": a.active} for a in store.list()]
        text = "\n".join(
            f"  {r['name']:<20} {r['role']:<9} {'启用' if r['active'] else '停用'}" for r in rows
        )
        _emit(args, {"accounts": rows}, text or "  （无账户）")
        return
    if not args.name:
        raise InputError(f"user {args.action} 需要账户名")
    if args.action == "add":
        if not args.role:
            raise InputError("user add 需要 --role（judge、clerk、reviewer 或 admin）")
        account = store.add(args.name, args.role, _read_password())
        _record(home, "account.add", {"name": account.name, "role": account.role})
        _emit(
            args, {"name": account.name, "role": account.role}, f"已创建账户 {account.name}（{account.role}）"
        )
        return
    if args.action == "set-role" and not args.role:
        raise InputError("user set-role 需要 --role")
    password = _read_password() if args.action == "passwd" else None
    active = {"disable": False, "enable": True}.get(args.action)
    account = store.update(
        args.name, role=args.role if args.action == "set-role" else None, active=active, password=password
    )
    _record(home, "account.update", {"name": account.name, "change": args.action, "role": account.role})
    _emit(
        args,
        {"name": account.name, "role": account.role, "active": account.active},
        f"已更新账户 {account.name}",
    )


def cmd_serve(args: argparse.Namespace) -> None:
    """Serve the web workbench."""
    from judgeflow.app.web.app import serve

    print(f"judgeflow 工作台：http://{args.host}:{args.port}/  （Ctrl-C 退出）", file=sys.stderr)
    serve(args.host, args.port)


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else text)


def add_user_commands(subparsers: Any) -> None:
    """Register `user` and `serve` on the main parser's subcommands."""
    p = subparsers.add_parser("user", help="manage web workbench accounts", description=cmd_user.__doc__)
    p.add_argument("action", choices=["add", "list", "passwd", "set-role", "disable", "enable"])
    p.add_argument("name", nargs="?", help="account name")
    p.add_argument("--role", choices=["judge", "clerk", "reviewer", "admin"], help="role (add, set-role)")
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.set_defaults(func=cmd_user)
    p = subparsers.add_parser("serve", help="serve the web workbench", description=cmd_serve.__doc__)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8600, help="port (default 8600)")
    p.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)

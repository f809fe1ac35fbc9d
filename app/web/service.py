"""The workbench's operations: what the pages and the JSON API both call (one copy of the logic).

Every operation takes the signed-in account, checks its role (policies/roles.py) before doing
anything, and goes through graph/runner.py's CaseRunner exactly as the CLI does. Decisions reach
the audit log through the runner; the web's own events (logins, failed logins, refused actions,
account changes, case starts, exports) are recorded in the same log under the pseudo-case
`web:access` (a name no case can take) or under the case they concern.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import judgeflow
from judgeflow.agents.intake import load_case_folder
from judgeflow.app.export import export_case, trace_lines
from judgeflow.app.render import judgment_markdown
from judgeflow.app.web.accounts import Account, AccountStore, Session
from judgeflow.app.web.bundle import trace_html
from judgeflow.app.web.stats import adoption_stats
from judgeflow.errors import ConflictError, InputError, PermissionDeniedError
from judgeflow.graph.runner import CaseRunner, CaseStatus, validate_case_id
from judgeflow.graph.state import (
    CHECKPOINTS,
    Actor,
    ApproveDecision,
    CaseState,
    EditDecision,
    RejectDecision,
)
from judgeflow.policies.roles import ACTION_NAMES_ZH, ROLE_NAMES_ZH, Action, may
from pydantic import ValidationError

ACCESS_LOG_CASE = "web:access"
MAX_UPLOAD_FILES = 20
DECISION_KINDS = ("approve", "edit", "reject")


class AuthenticationError(Exception):
    """Wrong name or password (shown as 401 with a message that does not say which)."""


def examples_dir() -> Path:
    """Where the example case folders are: $JUDGEFLOW_EXAMPLES, or the package's examples/."""
    configured = os.environ.get("JUDGEFLOW_EXAMPLES")
    return Path(configured) if configured else Path(judgeflow.__file__).resolve().parent / "examples"


@dataclass(frozen=True)
class TraceFilter:
    """Which trace events to show: by node and by kind (node_run / decision); None shows all."""

    node: str | None = None
    kind: str | None = None


class Workbench:
    """The operations of the web workbench over one JUDGEFLOW_HOME."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.home.mkdir(parents=True, exist_ok=True)
        self.accounts = AccountStore(home)
        # One runner per worker thread: the checkpointer and the audit log hold SQLite connections.
        self._local = threading.local()
        self._runners: list[CaseRunner] = []
        self._runners_lock = threading.Lock()

    def runner(self) -> CaseRunner:
        """This thread's CaseRunner (opened on first use)."""
        runner: CaseRunner | None = getattr(self._local, "runner", None)
        if runner is None:
            runner = CaseRunner(home=self.home)
            self._local.runner = runner
            with self._runners_lock:
                self._runners.append(runner)
        return runner

    def close(self) -> None:
        """Forget the per-thread runners (their connections close when the process ends)."""
        with self._runners_lock:
            self._runners.clear()

    # -- access ---------------------------------------------------------------------------------
    def record(self, who: str, action: str, detail: dict[str, Any], case_id: str = ACCESS_LOG_CASE) -> None:
        """Append one web event to the audit log."""
        self.runner().audit.record(case_id, who, action, detail)

    def require(self, account: Account, action: Action, case_id: str = "") -> None:
        """Raise PermissionDeniedError (and audit the refusal) unless the account's role may act."""
        if may(account.role, action):
            return
        self.record(f"{account.role}:{account.name}", "web.denied", {"action": action, "case_id": case_id})
        who = ROLE_NAMES_ZH.get(account.role, account.role)
        raise PermissionDeniedError(f"{who}（{account.role}）无权{ACTION_NAMES_ZH[action]}")

    def login(self, name: str, password: str, client: str) -> Session:
        """Open a session for a correct name and password; every attempt is audited."""
        account = self.accounts.verify(name, password)
        if account is None:
            self.record(f"web:{name[:40]}", "web.login_failed", {"client": client})
            raise AuthenticationError("用户名或密码错误")
        self.record(f"{account.role}:{account.name}", "web.login", {"client": client})
        return self.accounts.open_session(account)

    def logout(self, session: Session, token: str) -> None:
        """End the session."""
        self.accounts.close_session(token)
        self.record(f"{session.account.role}:{session.account.name}", "web.logout", {})

    # -- cases ----------------------------------------------------------------------------------
    def list_cases(self, account: Account) -> list[dict[str, Any]]:
        """Every case with where it stands and the checkpoint it waits at."""
        self.require(account, "view")
        runner = self.runner()
        rows = []
        for case_id in runner.list_cases():
            status = runner.status(case_id)
            rows.append(
                {
                    "case_id": case_id,
                    "status": status.status,
                    "checkpoint": status.checkpoint,
                    "title": status.to_json()["title"],
                    "case_number": status.state.info.case_number,
                    "cause": status.state.info.cause,
                    "signed_by": status.state.signed_by,
                }
            )
        return rows

    def status(self, account: Account, case_id: str) -> CaseStatus:
        """Where one case stands, with its state (404 for an unknown case)."""
        self.require(account, "view", case_id)
        validate_case_id(case_id)
        return self.runner().status(case_id)

    def list_examples(self) -> list[str]:
        """Names of the example case folders one can start a case from."""
        folder = examples_dir()
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))

    def start_example(self, account: Account, example: str, case_id: str = "") -> CaseStatus:
        """Start a new case from an example folder and run it to its first checkpoint."""
        self.require(account, "run")
        if example not in self.list_examples():
            raise InputError(f"没有名为 {example!r} 的示例案件；可选：{'、'.join(self.list_examples())}")
        return self._start(account, examples_dir() / example, case_id or example, {"example": example})

    def start_upload(self, account: Account, case_id: str, files: list[tuple[str, bytes]]) -> CaseStatus:
        """Start a new case from uploaded .txt documents (and an optional case.json)."""
        self.require(account, "run")
        validate_case_id(case_id)
        if not files:
            raise InputError("请至少上传一份 .txt 文书")
        if len(files) > MAX_UPLOAD_FILES:
            raise InputError(f"一次最多上传 {MAX_UPLOAD_FILES} 个文件")
        runner = self.runner()
        if runner.exists(case_id):
            raise ConflictError(f"案件 {case_id} 已存在，请换一个案件编号")
        folder = self.home / "uploads" / case_id
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        names = []
        for filename, data in files:
            name = Path(filename.replace("\\", "/")).name
            if not (name.endswith(".txt") or name == "case.json") or name.startswith("."):
                shutil.rmtree(folder)
                raise InputError(f"不支持的文件 {filename!r}：只接受 .txt 文书和 case.json")
            (folder / name).write_bytes(data)
            names.append(name)
        try:
            return self._start(account, folder, case_id, {"uploaded": sorted(names)})
        except Exception:
            shutil.rmtree(folder, ignore_errors=True)
            raise

    def _start(self, account: Account, folder: Path, case_id: str, detail: dict[str, Any]) -> CaseStatus:
        validate_case_id(case_id)
        info, documents = load_case_folder(folder)
        status = self.runner().start(case_id, info, documents)
        self.record(f"{account.role}:{account.name}", "web.start", detail, case_id)
        return status

    def decide(
        self,
        account: Account,
        case_id: str,
        checkpoint: str,
        kind: str,
        comment: str = "",
        replacement: dict[str, Any] | None = None,
    ) -> CaseStatus:
        """Approve, edit or reject the waiting checkpoint (approve at approve_draft signs)."""
        validate_case_id(case_id)
        if kind not in DECISION_KINDS:
            raise InputError(f"未知的决定类型 {kind!r}；可选：approve、edit、reject")
        if checkpoint not in CHECKPOINTS:
            raise InputError(f"未知的审批节点 {checkpoint!r}；可选：{'、'.join(CHECKPOINTS)}")
        action: Action = "sign" if (checkpoint, kind) == ("approve_draft", "approve") else "decide"
        self.require(account, action, case_id)
        runner = self.runner()
        runner.status(case_id)  # an unknown case is a 404 before anything else
        try:
            actor = Actor(role=account.role, name=account.name)
            decision: ApproveDecision | EditDecision | RejectDecision
            if kind == "approve":
                decision = ApproveDecision(checkpoint=checkpoint, actor=actor, comment=comment)
            elif kind == "reject":
                if not comment.strip():
                    raise InputError("退回时必须写明理由")
                decision = RejectDecision(checkpoint=checkpoint, actor=actor, comment=comment)
            else:
                if not replacement:
                    raise InputError("没有任何修改：请先修改内容再保存，或直接批准")
                decision = EditDecision(
                    checkpoint=checkpoint,
                    actor=actor,
                    replacement=replacement,
                    comment=comment,
                )
        except ValidationError as exc:
            raise InputError(f"决定内容不合法：{exc.errors()[0]['msg']}") from None
        return runner.decide(case_id, decision)

    # -- trace, statistics, exports -------------------------------------------------------------
    def trace(self, account: Account, case_id: str, flt: TraceFilter | None = None) -> dict[str, Any]:
        """The case's timeline across pauses and restarts: node runs and decisions, filtered."""
        self.require(account, "history", case_id)
        validate_case_id(case_id)
        history = self.runner().history(case_id)
        flt = flt or TraceFilter()
        events = []
        for index, event in enumerate(history["trace"], start=1):
            if flt.node and event["node"] != flt.node:
                continue
            if flt.kind and event["kind"] != flt.kind:
                continue
            events.append({"index": index, **event, "tokens": _tokens(event)})
        return {
            "case_id": case_id,
            "checkpoints": history["checkpoints"],
            "nodes": sorted({e["node"] for e in history["trace"]}),
            "kinds": ["node_run", "decision"],
            "filter": {"node": flt.node, "kind": flt.kind},
            "total": len(history["trace"]),
            "events": events,
            "decisions": history["decisions"],
        }

    def stats(self, account: Account, case_id: str | None = None) -> dict[str, Any]:
        """Adoption rates (采纳率) and edit sizes, for one case or over every case."""
        self.require(account, "stats", case_id or "")
        runner = self.runner()
        if case_id is not None:
            validate_case_id(case_id)
            states = [runner.state(case_id)]
        else:
            states = [runner.state(cid) for cid in runner.list_cases()]
        return adoption_stats(states)

    def _exported_state(
        self, account: Account, case_id: str, what: str, real_names: bool = False
    ) -> CaseState:
        """The state an export is made from: pseudonymized, unless a judge asks for real names."""
        self.require(account, "export_real_names" if real_names else "export", case_id)
        validate_case_id(case_id)
        state = self.runner().state(case_id)
        detail = {"what": what, "pseudonymized": not real_names}
        self.record(f"{account.role}:{account.name}", "web.export", detail, case_id)
        if real_names:
            return state
        from judgeflow.graph.data_requests import pseudonymize_state, pseudonymizer_for

        return pseudonymize_state(state, pseudonymizer_for(state, self.home))

    def export_trace_jsonl(self, account: Account, case_id: str, real_names: bool = False) -> str:
        """The trace bundle's JSONL (the same lines `judgeflow export` writes)."""
        state = self._exported_state(account, case_id, "trace.jsonl", real_names)
        return "\n".join(trace_lines(state)) + "\n"

    def export_trace_html(self, account: Account, case_id: str, real_names: bool = False) -> str:
        """The trace as one self-contained HTML file for reading offline."""
        return trace_html(self._exported_state(account, case_id, "trace.html", real_names))

    def export_judgment(self, account: Account, case_id: str, real_names: bool = False) -> str:
        """The judgment as Markdown (the signed text once signed, else the current draft)."""
        state = self._exported_state(account, case_id, "judgment.md", real_names)
        if state.draft is None:
            raise InputError(f"案件 {case_id} 尚未形成草稿，暂无判决书可导出")
        return state.judgment or judgment_markdown(state)

    def export_bundle(self, account: Account, case_id: str, real_names: bool = False) -> bytes:
        """A zip of everything `judgeflow export` writes plus the trace as HTML."""
        state = self._exported_state(account, case_id, "bundle.zip", real_names)
        buffer = io.BytesIO()
        with tempfile.TemporaryDirectory() as temp:
            files = export_case(state, Path(temp))
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
                for path in files:
                    bundle.write(path, path.name)
                bundle.writestr(f"{case_id}.trace.html", trace_html(state))
        return buffer.getvalue()

    # -- accounts -------------------------------------------------------------------------------
    def list_accounts(self, account: Account) -> list[Account]:
        """Every account (administrators only)."""
        self.require(account, "manage_accounts")
        return self.accounts.list()

    def add_account(self, account: Account, name: str, role: str, password: str) -> Account:
        """Create an account (administrators only); audited."""
        self.require(account, "manage_accounts")
        created = self.accounts.add(name, role, password)
        self.record(f"{account.role}:{account.name}", "account.add", {"name": name, "role": role})
        return created

    def update_account(
        self,
        account: Account,
        name: str,
        role: str | None = None,
        active: bool | None = None,
        password: str | None = None,
    ) -> Account:
        """Change another account's role, status or password (administrators only); audited."""
        self.require(account, "manage_accounts")
        if name == account.name and (active is False or (role is not None and role != account.role)):
            raise InputError("不能停用自己的账户或更改自己的角色")
        updated = self.accounts.update(name, role=role, active=active, password=password)
        detail: dict[str, Any] = {
            "name": name,
            "role": role,
            "active": active,
            "password_changed": bool(password),
        }
        self.record(f"{account.role}:{account.name}", "account.update", detail)
        return updated


def _tokens(event: dict[str, Any]) -> dict[str, Any]:
    """Token counts a node recorded (keys containing 'token' in its inputs or outputs), if any."""
    found: dict[str, Any] = {}
    for part in ("inputs", "outputs"):
        for key, value in (event.get(part) or {}).items():
            if "token" in key.lower():
                found[key] = value
    return found

"""Run, pause, resume and inspect cases: the one door the CLI (and later the web) goes through.

State is checkpointed by LangGraph after every step (SQLite under JUDGEFLOW_HOME by default,
Postgres when JUDGEFLOW_CHECKPOINT_URL says so), so a process killed at any point resumes from
its last checkpoint. Every decision is validated here *before* the flow is resumed, so a bad
decision changes nothing; a per-case lock makes two racing decisions resolve to one winner.
"""

from __future__ import annotations

import fcntl
import functools
import inspect
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from judgeflow.agents.intake import load_case_folder
from judgeflow.errors import (
    CaseNotFoundError,
    ConflictError,
    InputError,
    NotWaitingError,
    PermissionDeniedError,
)
from judgeflow.graph import state as state_module
from judgeflow.graph.approvals import CHECKPOINT_TITLES
from judgeflow.graph.audit import AuditLog
from judgeflow.graph.edits import apply_edit
from judgeflow.graph.flow import compile_flow
from judgeflow.graph.state import (
    ApproveDecision,
    CaseInfo,
    CaseState,
    CheckpointName,
    Document,
    EditDecision,
    RejectDecision,
)
from judgeflow.policies.case_policy import DEFAULT_POLICY, get_policy
from judgeflow.policies.roles import ROLE_NAMES_ZH, Action, may
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command
from pydantic import BaseModel, ValidationError

CASE_ID_PATTERN = re.compile(r"^[\w\-\u4e00-\u9fff]{1,80}$")
AnyDecision = ApproveDecision | EditDecision | RejectDecision


def judgeflow_home() -> Path:
    """Where cases are kept: $JUDGEFLOW_HOME, or ~/.judgeflow."""
    return Path(os.environ.get("JUDGEFLOW_HOME") or Path.home() / ".judgeflow").expanduser()


def _serializer() -> JsonPlusSerializer:
    """A checkpoint serializer that restores exactly our state classes and nothing else of ours."""
    ours = [
        obj
        for obj in vars(state_module).values()
        if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == state_module.__name__
    ]
    return JsonPlusSerializer(allowed_msgpack_modules=ours)


@functools.cache
def _compiled_flow() -> tuple[CompiledStateGraph[Any, Any, Any, Any], bool]:
    """The flow compiled once per process, and whether a copy of it may take another checkpointer.

    It is compiled with a throwaway checkpointer as a probe: if LangGraph adapted the one it was given
    (its strict msgpack mode wraps it), a copy would skip that, so every runner then compiles its own.
    """
    probe = InMemorySaver()
    compiled = compile_flow(probe)
    return compiled, compiled.checkpointer is probe


def flow_with(checkpointer: BaseCheckpointSaver[Any]) -> CompiledStateGraph[Any, Any, Any, Any]:
    """The flow bound to `checkpointer`.

    Building and compiling the graph costs about 15 ms (LangGraph reads every node's code) and the
    graph is the same for every runner, so it is compiled once per process and each runner gets a
    copy (0.1 ms) that differs only in its checkpointer. Nodes hold no state between runs.
    """
    compiled, reusable = _compiled_flow()
    if not reusable:
        return compile_flow(checkpointer)
    return compiled.copy(update={"checkpointer": checkpointer})


@dataclass(frozen=True)
class CaseStatus:
    """Where a case stands: waiting at a checkpoint, interrupted mid-step, or done."""

    case_id: str
    status: str  # waiting | interrupted | done
    checkpoint: CheckpointName | None
    view: dict[str, Any] | None
    state: CaseState

    def to_json(self) -> dict[str, Any]:
        """The status as a JSON object (what `--json` prints)."""
        return {
            "case_id": self.case_id,
            "status": self.status,
            "checkpoint": self.checkpoint,
            "title": CHECKPOINT_TITLES.get(self.checkpoint) if self.checkpoint else None,
            "view": self.view,
            "signed_by": self.state.signed_by,
        }


class CaseRunner:
    """Runs cases through the flow with a durable checkpointer; use as a context manager."""

    def __init__(self, home: Path | None = None, checkpoint_url: str | None = None) -> None:
        self.home = home or judgeflow_home()
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "locks").mkdir(exist_ok=True)
        self._stack = ExitStack()
        url = checkpoint_url if checkpoint_url is not None else os.environ.get("JUDGEFLOW_CHECKPOINT_URL", "")
        self.checkpointer = self._open_checkpointer(url)
        self.graph = flow_with(self.checkpointer)
        self.audit = AuditLog(self.home)
        self._stack.callback(self.audit.close)

    def _open_checkpointer(self, url: str) -> BaseCheckpointSaver[Any]:
        if url.startswith(("postgres://", "postgresql://")):
            try:
                from langgraph.checkpoint.postgres import PostgresSaver
            except ImportError:
                raise InputError(
                    "配置了 Postgres 检查点但未安装依赖；请安装 judgeflow[postgres]（pip install -e '.[postgres]'）"
                ) from None
            postgres = self._stack.enter_context(PostgresSaver.from_conn_string(url))
            postgres.serde = _serializer()
            postgres.setup()
            saver: BaseCheckpointSaver[Any] = postgres
            return saver
        if url:
            raise InputError(
                f"不支持的检查点地址：{url}（use a postgresql:// URL or leave it empty for SQLite）"
            )
        conn = sqlite3.connect(self.home / "checkpoints.sqlite", check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        self._stack.callback(conn.close)
        sqlite_saver = SqliteSaver(conn, serde=_serializer())
        sqlite_saver.setup()
        return sqlite_saver

    def close(self) -> None:
        """Close the checkpointer's connection."""
        self._stack.close()

    def __enter__(self) -> CaseRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- locking ---------------------------------------------------------------------------
    @contextmanager
    def _locked(self, case_id: str) -> Iterator[None]:
        with open(self.home / "locks" / f"{case_id}.lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise ConflictError(
                    f"案件 {case_id} 正由另一操作处理，请稍后刷新再试（another run or decision holds this case）"
                ) from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    # -- reading -----------------------------------------------------------------------------
    def _config(self, case_id: str) -> RunnableConfig:
        return {"configurable": {"thread_id": case_id}}

    def exists(self, case_id: str) -> bool:
        """True when the case has at least one checkpoint."""
        snapshot = self.graph.get_state(self._config(case_id))
        return bool(snapshot.values or snapshot.next or snapshot.tasks)

    def status(self, case_id: str) -> CaseStatus:
        """Where the case stands now."""
        snapshot = self.graph.get_state(self._config(case_id))
        # A step whose writes were saved but whose next checkpoint was not still has tasks to run.
        pending = bool(snapshot.next or snapshot.tasks)
        if not snapshot.values and not pending:
            raise CaseNotFoundError(f"找不到案件 {case_id}（no such case under {self.home}）")
        try:
            state = CaseState.model_validate(snapshot.values)
        except ValidationError:
            if not pending:
                raise
            state = CaseState(case_id=case_id)  # killed before the first step: only the input is saved
        if snapshot.interrupts:
            view = snapshot.interrupts[0].value
            return CaseStatus(case_id, "waiting", view["checkpoint"], view, state)
        if pending:
            return CaseStatus(case_id, "interrupted", None, None, state)
        return CaseStatus(case_id, "done", None, None, state)

    def state(self, case_id: str) -> CaseState:
        """The case's current state."""
        return self.status(case_id).state

    def list_cases(self) -> list[str]:
        """Ids of every case with a checkpoint."""
        return sorted({c.config["configurable"]["thread_id"] for c in self.checkpointer.list(None)})

    def history(self, case_id: str) -> dict[str, Any]:
        """Decisions and trace of the case, and how many checkpoints it has."""
        state = self.state(case_id)
        checkpoints = len(list(self.graph.get_state_history(self._config(case_id))))
        return {
            "case_id": case_id,
            "checkpoints": checkpoints,
            "decisions": [d.model_dump(mode="json") for d in state.decisions],
            "trace": [t.model_dump(mode="json") for t in state.trace],
        }

    # -- running -----------------------------------------------------------------------------
    def _invoke(self, case_id: str, payload: Any) -> CaseStatus:
        # Each step's checkpoint is written while the next step runs (most steps wait on a model), and
        # invoke returns only once every write is on disk: what a command reports done is saved. A crash
        # mid-run may lose the step in flight, which then runs again on resume (benchmarks/reliability.py
        # kills runs at random points and at every checkpoint write: no acknowledged decision is lost).
        self.graph.invoke(payload, self._config(case_id), durability="async")
        status = self.status(case_id)
        self.audit.sync(status.state)
        return status

    def start(
        self, case_id: str, info: CaseInfo, documents: list[Document], policy: str | None = None
    ) -> CaseStatus:
        """Start a new case from its documents and run it to the first checkpoint.

        The case type comes from `info.case_type`; without a policy named, the case type's default
        policy applies (civil_simple for private lending, criminal for criminal cases).
        """
        validate_case_id(case_id)
        policy = policy or DEFAULT_POLICY[info.case_type]
        get_policy(policy)
        with self._locked(case_id):
            if self.exists(case_id):
                raise ConflictError(f"案件 {case_id} 已存在；继续办理请用 judgeflow run 或 show")
            initial = CaseState(
                case_id=case_id, case_type=info.case_type, policy=policy, info=info, documents=documents
            )
            return self._invoke(case_id, initial)

    def run_folder(self, case_dir: Path, case_id: str | None = None, policy: str | None = None) -> CaseStatus:
        """Start the case in `case_dir`, or continue it if it already exists."""
        case_id = case_id or case_dir.name
        validate_case_id(case_id)
        if self.exists(case_id):
            return self.advance(case_id)
        info, documents = load_case_folder(case_dir)
        return self.start(case_id, info, documents, policy)

    def advance(self, case_id: str) -> CaseStatus:
        """Continue a case that was interrupted mid-step (e.g. a killed process); else show it."""
        with self._locked(case_id):
            current = self.status(case_id)
            self.audit.sync(current.state)  # a killed process may have left decisions unaudited
            if current.status != "interrupted":
                return current
            return self._invoke(case_id, None)

    def decide(self, case_id: str, decision: AnyDecision) -> CaseStatus:
        """Validate a decision against the waiting checkpoint and the policy, then resume the flow."""
        with self._locked(case_id):
            current = self.status(case_id)
            if current.status != "waiting" or current.checkpoint is None:
                raise NotWaitingError(
                    f"案件 {case_id} 当前不在审批节点等待（状态：{current.status}），无需也不能作出决定"
                )
            if decision.checkpoint != current.checkpoint:
                raise ConflictError(
                    f"案件 {case_id} 当前等待的是 {current.checkpoint}（{CHECKPOINT_TITLES[current.checkpoint]}），"
                    f"而不是 {decision.checkpoint}；该节点可能已由他人处理，请刷新后再试"
                )
            self._authorize(current.state, decision)
            if isinstance(decision, EditDecision):
                apply_edit(current.state, decision.checkpoint, decision.replacement, decision.actor)
            if (
                isinstance(decision, ApproveDecision)
                and decision.checkpoint == "approve_draft"
                and any(f.blocking for f in current.state.findings)
                and not decision.comment.strip()
            ):
                raise InputError(
                    "草稿仍有错误级核查意见；请先编辑或退回草稿，或在签发时以 --comment 写明理由"
                )
            return self._invoke(case_id, Command(resume=decision.model_dump(mode="json")))

    def _authorize(self, state: CaseState, decision: AnyDecision) -> None:
        role = decision.actor.role
        action: Action = (
            "sign" if decision.checkpoint == "approve_draft" and decision.kind == "approve" else "decide"
        )
        policy = get_policy(state.policy)
        if not may(role, action) or not policy.may_decide(role, decision.checkpoint):
            who = ROLE_NAMES_ZH.get(role, role)
            verb = "签发判决" if action == "sign" else "在此节点作出决定"
            raise PermissionDeniedError(
                f"{who}（{role}）无权{verb}；按策略 {policy.name}，{decision.checkpoint} 只能由 "
                f"{'、'.join(sorted(policy.deciders.get(decision.checkpoint, frozenset())))} 决定"
            )


def validate_case_id(case_id: str) -> None:
    """Case ids become file names and thread ids: letters, digits, CJK, '-' and '_' only."""
    if not CASE_ID_PATTERN.match(case_id):
        raise InputError(f"案件编号 {case_id!r} 不合法：只能使用字母、数字、汉字、- 和 _（最多 80 个字符）")

"""Data-subject requests: export everything stored about a case; delete a case's content.

What judgeflow stores about a case: its checkpoints (every step's state — documents, ledger,
trace, decisions) in the checkpointer, its entries in the audit log, and under
`JUDGEFLOW_HOME/cases/CASE_ID/` the pseudonym mapping and the register of exports written.
`export_all` writes all of it into a folder, pseudonymized unless asked otherwise. `delete_case`
erases the checkpoints (the checkpointer's `delete_thread`, with SQLite's secure delete so the
freed pages are zeroed), the registered exports and the case folder; it keeps the audit entries,
which hold digests rather than content, and appends a `case.delete` entry so the chain stays
verifiable and says who erased what.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from judgeflow.errors import CaseNotFoundError, InputError, JudgeflowError, PermissionDeniedError
from judgeflow.graph.runner import CaseRunner, validate_case_id
from judgeflow.graph.state import Actor, CaseState, utc_now
from judgeflow.policies.redaction import redaction_rules
from judgeflow.policies.roles import ROLE_NAMES_ZH, may
from judgeflow.tools.pseudonymize import Pseudonymizer
from langchain_core.runnables import RunnableConfig
from pydantic_core import to_jsonable_python

PSEUDONYMS = "pseudonyms.json"
EXPORTS = "exports.json"


class LeakError(JudgeflowError):
    """Personal data was still found in text meant to leave the machine; nothing was left behind."""


def case_dir(home: Path, case_id: str) -> Path:
    """The case's own folder under JUDGEFLOW_HOME (pseudonym mapping, export register)."""
    validate_case_id(case_id)
    return home / "cases" / case_id


# ---------------------------------------------------------------- pseudonymizing a case


def officials(state: CaseState) -> set[str]:
    """Names that stay as they are: the judges, the clerk, and whoever decided at a checkpoint."""
    names = {*state.info.judges, state.info.clerk, state.signed_by.partition(":")[2]}
    names |= {d.actor.name for d in state.decisions}
    return {n for n in names if n}


def pseudonymizer_for(state: CaseState, home: Path) -> Pseudonymizer:
    """The case's pseudonymizer: its saved mapping, plus the ledger's parties and the documents' data."""
    rules = redaction_rules(state.policy)
    keep = officials(state) if rules.keep_officials else set()
    pseudonymizer = Pseudonymizer(
        case_dir(home, state.case_id) / PSEUDONYMS, keep=keep, categories=rules.categories
    )
    people, addresses, ids = [], [], []
    for fact in state.facts:
        if fact.kind == "party" and fact.details.get("person", "自然人") == "自然人":
            people.append(fact.value)
        if fact.kind == "guarantee":
            people.append(fact.value)
        for key in ("agent", "representative"):
            if fact.details.get(key):
                people.append(fact.details[key].split("，")[0].split(",")[0].strip())
        if fact.details.get("address"):
            addresses.append(fact.details["address"])
        if fact.details.get("id_number"):
            ids.append(fact.details["id_number"])
    pseudonymizer.learn_all("person", people)
    pseudonymizer.learn_all("address", addresses)
    pseudonymizer.learn_all("id_number", ids)
    for document in state.documents:
        pseudonymizer.learn_from(document.text)
    pseudonymizer.save()
    return pseudonymizer


def pseudonymize_json(value: Any, pseudonymizer: Pseudonymizer) -> Any:
    """A JSON value with every string (keys included) pseudonymized; each distinct string is done once."""
    done: dict[str, str] = {}

    def text(s: str) -> str:
        if s not in done:
            done[s] = pseudonymizer.apply(s)
        return done[s]

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            return text(v)
        if isinstance(v, dict):
            return {text(k): walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(value)


def pseudonymize_state(state: CaseState, pseudonymizer: Pseudonymizer) -> CaseState:
    """A copy of the state with personal data replaced everywhere (documents, ledger, draft, trace)."""
    return CaseState.model_validate(pseudonymize_json(state.model_dump(mode="json"), pseudonymizer))


def check_no_leaks(files: list[Path], pseudonymizer: Pseudonymizer, read: Callable[[Path], str]) -> None:
    """Refuse (and remove the files) when an original of the mapping is still in any of them."""
    leaked = [(f, pseudonymizer.leaks(read(f))) for f in files]
    leaked = [(f, found) for f, found in leaked if found]
    if leaked:
        for f in files:
            f.unlink(missing_ok=True)
        names = "、".join(f.name for f, _ in leaked)
        raise LeakError(
            f"导出文件 {names} 中仍有未化名的个人信息，已删除全部导出文件，未向外提供任何内容；请报告此问题"
            f" / personal data survived pseudonymization in {names}; every exported file was removed"
        )


# ---------------------------------------------------------------- the export register


def register_export(home: Path, case_id: str, files: list[Path]) -> None:
    """Remember files written for a case outside JUDGEFLOW_HOME, so that deleting the case erases them."""
    folder = case_dir(home, case_id)
    folder.mkdir(parents=True, exist_ok=True)
    register = folder / EXPORTS
    known: list[str] = json.loads(register.read_text(encoding="utf-8")) if register.is_file() else []
    known += [str(f.resolve()) for f in files if str(f.resolve()) not in known]
    temp = register.with_name(EXPORTS + ".tmp")
    temp.write_text(json.dumps(known, ensure_ascii=False, indent=1), encoding="utf-8")
    temp.replace(register)


def registered_exports(home: Path, case_id: str) -> list[Path]:
    """Files written for the case and registered (they may since have been moved or removed)."""
    register = case_dir(home, case_id) / EXPORTS
    if not register.is_file():
        return []
    return [Path(p) for p in json.loads(register.read_text(encoding="utf-8"))]


# ---------------------------------------------------------------- export everything


def _config(case_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": case_id}}


def _checkpoint_rows(runner: CaseRunner, case_id: str) -> list[dict[str, Any]]:
    """Every checkpoint of the case, oldest first, with its full state."""
    rows = []
    for snapshot in runner.graph.get_state_history(_config(case_id)):
        configurable = snapshot.config.get("configurable", {})
        parent = (snapshot.parent_config or {}).get("configurable", {})
        rows.append(
            {
                "checkpoint_id": configurable.get("checkpoint_id"),
                "parent_checkpoint_id": parent.get("checkpoint_id"),
                "created_at": snapshot.created_at,
                "step": (snapshot.metadata or {}).get("step"),
                "source": (snapshot.metadata or {}).get("source"),
                "next": list(snapshot.next),
                "values": to_jsonable_python(snapshot.values),
            }
        )
    return rows[::-1]


def _out_folder(out: Path) -> None:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(f"导出位置 {out} 已存在且不是空文件夹；请换一个位置 / {out} exists and is not empty")
    (out / "documents").mkdir(parents=True, exist_ok=True)


def export_all(
    runner: CaseRunner, case_id: str, out: Path, pseudonymize: bool = True, actor: str = "system:cli"
) -> list[Path]:
    """Write everything stored about a case into `out` (pseudonymized unless told not to); returns the files."""
    state = runner.state(case_id)  # an unknown case is CaseNotFoundError
    _out_folder(out)
    pseudonymizer = pseudonymizer_for(state, runner.home)
    shown: Callable[[Any], Any] = (
        (lambda v: pseudonymize_json(v, pseudonymizer)) if pseudonymize else (lambda v: v)
    )
    audit = runner.audit.entries(case_id)
    if pseudonymize:  # actors are officials; details may quote file names and comments
        audit = [{**e, "detail": shown(e["detail"])} for e in audit]
    contents: dict[str, str] = {
        "state.json": json.dumps(shown(state.model_dump(mode="json")), ensure_ascii=False, indent=1),
        "checkpoints.jsonl": "".join(
            json.dumps(shown(row), ensure_ascii=False) + "\n" for row in _checkpoint_rows(runner, case_id)
        ),
        "audit.jsonl": "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in audit),
        "exports.json": json.dumps(
            [str(p) for p in registered_exports(runner.home, case_id)], ensure_ascii=False, indent=1
        ),
    }
    for document in state.documents:
        contents[f"documents/{document.id}-{document.kind}.txt"] = shown(document.text)
    if state.judgment:
        contents["judgment.md"] = shown(state.judgment)
    if not pseudonymize:
        contents["pseudonyms.json"] = json.dumps(pseudonymizer.mapping, ensure_ascii=False, indent=1)
    files = []
    for name, text in contents.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    if pseudonymize:
        check_no_leaks(files, pseudonymizer, lambda f: f.read_text(encoding="utf-8"))
    manifest = {
        "case_id": case_id,
        "exported_at": utc_now(),
        "pseudonymized": pseudonymize,
        "note": "化名导出：原始个人信息与化名对照表均未导出"
        if pseudonymize
        else "内部导出：含原始个人信息与化名对照表",
        "audit_note": "审计记录的 detail 已化名，其哈希对应原始内容" if pseudonymize else "",
        "files": {str(f.relative_to(out)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    files.append(out / "manifest.json")
    runner.audit.record(
        case_id,
        actor,
        "case.export_all",
        {
            "pseudonymized": pseudonymize,
            "files": len(files),
            "manifest_sha256": _sha256_file(out / "manifest.json"),
        },
    )
    register_export(runner.home, case_id, files)  # so that deleting the case erases this copy too
    return files


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- delete a case


@dataclass(frozen=True)
class DeletionReport:
    """What deleting a case erased, as recorded in the audit log."""

    case_id: str
    checkpoints: int
    exports: int
    state_sha256: str

    def to_json(self) -> dict[str, Any]:
        """As printed by `judgeflow case delete --json`."""
        return {
            "case_id": self.case_id,
            "checkpoints_deleted": self.checkpoints,
            "exports_deleted": self.exports,
            "state_sha256": self.state_sha256,
        }


def _erase_checkpoints(runner: CaseRunner, case_id: str) -> int:
    """Delete the case's checkpoints; on SQLite, zero the freed pages and empty the write-ahead log."""
    count = len(list(runner.checkpointer.list(_config(case_id))))
    conn = getattr(runner.checkpointer, "conn", None)
    if isinstance(conn, sqlite3.Connection):
        conn.execute("PRAGMA secure_delete = ON")
    runner.checkpointer.delete_thread(case_id)
    if isinstance(conn, sqlite3.Connection):
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return count


def delete_case(runner: CaseRunner, case_id: str, actor: Actor, confirm: bool) -> DeletionReport:
    """Erase a case's content (checkpoints, registered exports, its folder); keep and extend the audit log."""
    validate_case_id(case_id)
    if not may(actor.role, "delete"):
        who = ROLE_NAMES_ZH.get(actor.role, actor.role)
        raise PermissionDeniedError(
            f"{who}（{actor.role}）无权删除案件；只有法官可以 / only a judge may delete a case"
        )
    if not confirm:
        raise InputError(
            f"删除案件 {case_id} 不可恢复（文书、事实台账、草稿、轨迹与导出均将清除，审计记录保留）；"
            "确认请加 --confirm / deletion cannot be undone; add --confirm"
        )
    with runner._locked(case_id):
        if not runner.exists(case_id):
            raise CaseNotFoundError(f"找不到案件 {case_id}（no such case under {runner.home}）")
        state = runner.state(case_id)
        runner.audit.sync(state)  # every decision is in the log before the state goes
        digest = hashlib.sha256(state.model_dump_json().encode("utf-8")).hexdigest()
        exports = 0
        for path in registered_exports(runner.home, case_id):
            if path.is_file() and not path.is_symlink():
                path.unlink()
                exports += 1
        checkpoints = _erase_checkpoints(runner, case_id)
        shutil.rmtree(case_dir(runner.home, case_id), ignore_errors=True)
        report = DeletionReport(case_id, checkpoints, exports, digest)
        runner.audit.record(
            case_id,
            str(actor),
            "case.delete",
            {
                "checkpoints": checkpoints,
                "exports": exports,
                "documents": len(state.documents),
                "decisions": len(state.decisions),
                "state_sha256": digest,
            },
        )
    return report

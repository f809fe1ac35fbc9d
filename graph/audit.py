"""The audit log: append-only and tamper-evident, chained per case and globally (DESIGN §9).

Every entry's hash covers its content and the hashes of the entry before it in the global chain
and in its case's chain. Changing, deleting or reordering any entry breaks a chain, and
`verify()` names the first entry where it breaks. A head file records the last hash and count
so that cutting entries off the end is detected too.

Entries are derived from the checkpointed state (`sync`), never written from inside a graph
node: a process killed between a decision and its audit entry leaves the entry to be appended
by the next run, in order, so the log never misses or duplicates a decision. The head moves only
after its entry is committed (atomically, by rename), so a kill never makes the log look cut.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from judgeflow.graph.state import CaseState, EditDecision, utc_now

GENESIS = "0" * 64

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    case_seq INTEGER NOT NULL,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    case_prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
)
"""
FIELDS = ("seq", "case_id", "case_seq", "at", "actor", "action", "detail", "prev_hash", "case_prev_hash")


def entry_hash(entry: dict[str, Any]) -> str:
    """SHA-256 over an entry's fields (canonical JSON), chaining it to its predecessors."""
    canonical = json.dumps(
        {k: entry[k] for k in FIELDS}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def text_digest(text: str) -> str:
    """SHA-256 of a text (documents and diffs are audited by digest, not copied)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of verifying a chain: ok, how many entries were checked, and the first bad one."""

    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""

    def to_json(self) -> dict[str, Any]:
        """As printed by `judgeflow audit verify --json`."""
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_bad_seq": self.first_bad_seq,
            "reason": self.reason,
        }


class AuditLog:
    """The audit log under JUDGEFLOW_HOME (audit.sqlite plus a head file)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.path = home / "audit.sqlite"
        self.head_path = home / "audit.head"
        self._conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute(SCHEMA)
        if not self.head_path.exists() and not self._conn.execute("SELECT 1 FROM audit LIMIT 1").fetchone():
            self._write_head({"seq": 0, "hash": GENESIS})  # an empty log; a missing head is then tampering

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def entries(self, case_id: str | None = None) -> list[dict[str, Any]]:
        """Entries in order, all or one case's."""
        if case_id is None:
            rows = self._conn.execute("SELECT * FROM audit ORDER BY seq").fetchall()
        else:
            rows = self._conn.execute(
                "SELECT * FROM audit WHERE case_id = ? ORDER BY seq", (case_id,)
            ).fetchall()
        return [dict(r) for r in rows]

    def _append(self, case_id: str, actor: str, action: str, detail: dict[str, Any]) -> dict[str, Any]:
        last = self._conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        last_case = self._conn.execute(
            "SELECT case_seq, hash FROM audit WHERE case_id = ? ORDER BY seq DESC LIMIT 1", (case_id,)
        ).fetchone()
        entry: dict[str, Any] = {
            "seq": (last["seq"] + 1) if last else 1,
            "case_id": case_id,
            "case_seq": (last_case["case_seq"] + 1) if last_case else 1,
            "at": utc_now(),
            "actor": actor,
            "action": action,
            "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True),
            "prev_hash": last["hash"] if last else GENESIS,
            "case_prev_hash": last_case["hash"] if last_case else GENESIS,
        }
        entry["hash"] = entry_hash(entry)
        columns = ", ".join(entry)
        self._conn.execute(
            f"INSERT INTO audit ({columns}) VALUES ({', '.join('?' * len(entry))})", tuple(entry.values())
        )
        return entry

    def _write_head(self, entry: dict[str, Any]) -> None:
        """Move the head to a committed entry, atomically (a kill mid-write leaves the old head)."""
        temp = self.head_path.with_name(f"{self.head_path.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps({"seq": entry["seq"], "hash": entry["hash"]}), encoding="utf-8")
        os.replace(temp, self.head_path)

    def record(self, case_id: str, actor: str, action: str, detail: dict[str, Any]) -> None:
        """Append one entry atomically (writers in other processes wait their turn)."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            entry = self._append(case_id, actor, action, detail)
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._write_head(entry)  # after COMMIT: the head never names an entry that is not there

    def sync(self, state: CaseState) -> int:
        """Append whatever the checkpointed state holds that the log does not yet; returns how many."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            rows = self._conn.execute(
                "SELECT action FROM audit WHERE case_id = ? ORDER BY seq", (state.case_id,)
            ).fetchall()
            actions = [r["action"] for r in rows]
            if "case.delete" in actions:  # a case id used again after a deletion starts a new run
                actions = actions[len(actions) - actions[::-1].index("case.delete") :]
            added = 0
            last: dict[str, Any] | None = None
            if "case.start" not in actions:
                documents = {
                    d.id: {"file": d.filename, "sha256": text_digest(d.text)} for d in state.documents
                }
                last = self._append(
                    state.case_id, "system", "case.start", {"policy": state.policy, "documents": documents}
                )
                added += 1
            pending = state.decisions[actions.count("decision") :]
            # Automatic approvals carry the system's own words; only people's comments are masked.
            people = [d.comment if not d.automatic else "" for d in pending]
            masked = [
                m or d.comment for m, d in zip(self._masked_comments(state, people), pending, strict=True)
            ]
            for decision, comment in zip(pending, masked, strict=True):
                detail: dict[str, Any] = {
                    "checkpoint": decision.checkpoint,
                    "kind": decision.kind,
                    # The log outlives a case's deletion: a comment is kept pseudonymized, with the
                    # digest of what the judge wrote (which the trace holds while the case exists).
                    "comment": comment,
                    "comment_sha256": text_digest(decision.comment),
                    "automatic": decision.automatic,
                    "decided_at": decision.at,
                }
                if isinstance(decision, EditDecision):
                    detail["diff_sha256"] = text_digest(decision.diff)
                last = self._append(state.case_id, str(decision.actor), "decision", detail)
                added += 1
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        if last is not None:
            self._write_head(last)
        return added

    def _masked_comments(self, state: CaseState, comments: list[str]) -> list[str]:
        """The comments with the case's personal data replaced by its pseudonyms."""
        if not any(comments):
            return comments
        from judgeflow.graph.data_requests import pseudonymizer_for

        pseudonymizer = pseudonymizer_for(state, self.home)
        return [pseudonymizer.apply(c) if c else c for c in comments]

    def verify(self, case_id: str | None = None) -> VerifyResult:
        """Check the global chain (or one case's chain); name the first entry that does not fit."""
        entries = self.entries(case_id)
        prev, expected_seq = GENESIS, 1
        for entry in entries:
            seq = entry["seq"]
            order = entry["case_seq"] if case_id is not None else seq
            link = entry["case_prev_hash"] if case_id is not None else entry["prev_hash"]
            if order != expected_seq:
                return VerifyResult(
                    False,
                    len(entries),
                    seq,
                    f"第{seq}条：序号不连续（应为{expected_seq}），有记录被删除或重排",
                )
            if link != prev:
                return VerifyResult(
                    False, len(entries), seq, f"第{seq}条：与前一条的哈希链接不符，有记录被删除、插入或重排"
                )
            if entry_hash(entry) != entry["hash"]:
                return VerifyResult(False, len(entries), seq, f"第{seq}条：内容与其哈希不符，记录被改动")
            prev, expected_seq = entry["hash"], expected_seq + 1
        if case_id is None:
            return self._verify_head(entries) or VerifyResult(True, len(entries))
        return VerifyResult(True, len(entries))

    def _verify_head(self, entries: list[dict[str, Any]]) -> VerifyResult | None:
        """None when the head names an entry of the chain; else why not (entries cut off the end).

        The head is written just after each COMMIT, so after a crash it may lag the log by the
        entries committed last; it never runs ahead of it unless entries were removed.
        """
        try:
            raw = json.loads(self.head_path.read_text(encoding="utf-8")) if self.head_path.exists() else None
            head = None if raw is None else (int(raw["seq"]), str(raw["hash"]))
        except (OSError, ValueError, KeyError, TypeError):
            return VerifyResult(False, len(entries), None, "末尾记录文件 audit.head 无法读取或已被改动")
        if head is None and not entries:
            return None
        hashes = {e["seq"]: e["hash"] for e in entries} | {0: GENESIS}
        if head is not None and hashes.get(head[0]) == head[1]:
            return None
        bad = (entries[-1]["seq"] + 1) if entries else 1
        return VerifyResult(False, len(entries), bad, f"日志末尾与记录的末条（{raw}）不符，末尾记录被删除")

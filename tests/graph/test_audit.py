"""The audit log: complete for every decision, and any change, deletion or reordering is detected."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from judgeflow.graph.audit import AuditLog
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import Actor, ApproveDecision

JUDGE = Actor(role="judge", name="王法官")


def signed_case(runner: CaseRunner, folder: Path) -> str:
    status = runner.run_folder(folder)
    while status.checkpoint is not None:
        status = runner.decide(status.case_id, ApproveDecision(checkpoint=status.checkpoint, actor=JUDGE))
    return status.case_id


@pytest.fixture
def two_cases(runner: CaseRunner, example: Any) -> list[str]:
    return [signed_case(runner, example("clean-loan")), signed_case(runner, example("guarantor"))]


def tamper(home: Path, sql: str, *params: Any) -> None:
    conn = sqlite3.connect(home / "audit.sqlite")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_every_decision_is_audited_in_order(runner: CaseRunner, two_cases: list[str]) -> None:
    entries = runner.audit.entries(two_cases[0])
    assert [e["action"] for e in entries] == ["case.start"] + ["decision"] * 4
    assert all(e["actor"] == "judge:王法官" for e in entries[1:])
    assert runner.audit.verify().ok and runner.audit.verify(two_cases[1]).ok
    assert runner.audit.verify().checked == 10


def test_a_changed_entry_is_named(runner: CaseRunner, two_cases: list[str], home: Path) -> None:
    tamper(home, "UPDATE audit SET actor = 'judge:别人' WHERE seq = 3")
    result = AuditLog(home).verify()
    assert not result.ok and result.first_bad_seq == 3 and "改动" in result.reason
    assert not AuditLog(home).verify(two_cases[0]).ok


def test_a_deleted_entry_is_detected(runner: CaseRunner, two_cases: list[str], home: Path) -> None:
    tamper(home, "DELETE FROM audit WHERE seq = 4")
    result = AuditLog(home).verify()
    assert not result.ok and result.first_bad_seq == 5


def test_a_deleted_last_entry_is_detected(runner: CaseRunner, two_cases: list[str], home: Path) -> None:
    tamper(home, "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)")
    result = AuditLog(home).verify()
    assert not result.ok and "末尾" in result.reason


def test_reordered_entries_are_detected(runner: CaseRunner, two_cases: list[str], home: Path) -> None:
    conn = sqlite3.connect(home / "audit.sqlite")
    a, b = (conn.execute("SELECT detail FROM audit WHERE seq = ?", (s,)).fetchone()[0] for s in (2, 3))
    conn.execute("UPDATE audit SET detail = ? WHERE seq = 2", (b,))
    conn.execute("UPDATE audit SET detail = ? WHERE seq = 3", (a,))
    conn.commit()
    conn.close()
    result = AuditLog(home).verify()
    assert not result.ok and result.first_bad_seq == 2


def test_a_decision_left_unaudited_by_a_crash_is_appended_on_the_next_run(
    runner: CaseRunner, example: Any, home: Path
) -> None:
    status = runner.run_folder(example("clean-loan"))
    runner.decide(status.case_id, ApproveDecision(checkpoint="approve_facts", actor=JUDGE))
    tamper(
        home, "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)"
    )  # as if killed before appending
    runner.audit.head_path.write_text(  # the crash came before the head moved
        f'{{"seq": 1, "hash": "{runner.audit.entries()[0]["hash"]}"}}', encoding="utf-8"
    )
    assert runner.audit.verify().ok and len(runner.audit.entries()) == 1
    runner.advance(status.case_id)
    assert [e["action"] for e in runner.audit.entries()] == ["case.start", "decision"]
    assert runner.audit.verify().ok


def test_comments_are_audited_pseudonymized_with_the_digest_of_the_original(
    runner: CaseRunner, example: Any
) -> None:
    import json

    from judgeflow.graph.audit import text_digest
    from judgeflow.graph.data_requests import delete_case
    from judgeflow.graph.state import RejectDecision

    status = runner.run_folder(example("clean-loan"))
    comment = "原告陈志明的借款金额请与借条原件核对"
    runner.decide(status.case_id, RejectDecision(checkpoint="approve_facts", actor=JUDGE, comment=comment))
    (entry,) = [e for e in runner.audit.entries(status.case_id) if e["action"] == "decision"]
    detail = json.loads(entry["detail"])
    assert "陈志明" not in detail["comment"] and "借条原件核对" in detail["comment"]
    assert detail["comment_sha256"] == text_digest(comment)
    delete_case(runner, status.case_id, JUDGE, confirm=True)
    remaining = json.dumps(runner.audit.entries(status.case_id), ensure_ascii=False)
    assert "陈志明" not in remaining and runner.audit.verify().ok

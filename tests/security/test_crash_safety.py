"""Crashes and concurrency: SIGKILL at random points and at every checkpoint write, parallel cases,
racing approvals. Children are forked, so a kill is a real SIGKILL of a process mid-run.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from judgeflow.benchmarks._kill_trials import (
    KillStats,
    integrity_ok,
    run_kill_trials,
    run_write_boundary_trials,
)
from judgeflow.errors import ConflictError, NotWaitingError
from judgeflow.graph.audit import AuditLog
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import CHECKPOINTS, Actor, ApproveDecision

JUDGE = Actor(role="judge", name="王法官")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def forked(work: Callable[[], int]) -> int:
    """Run `work` in a forked child; its return value is the exit status."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = work()
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def sign_all(home: Path, folder: Path, case_id: str) -> int:
    with CaseRunner(home=home) as runner:
        status = runner.run_folder(folder, case_id)
        while status.checkpoint is not None:
            status = runner.decide(case_id, ApproveDecision(checkpoint=status.checkpoint, actor=JUDGE))
    return 0


# ---------------------------------------------------------------- SIGKILL at random points


def test_random_sigkills_lose_no_approval_and_corrupt_nothing(tmp_path: Path) -> None:
    stats = run_kill_trials(tmp_path / "home", EXAMPLES / "guarantor", kills=10, seed=11)
    assert stats.killed == 10 and stats.acknowledged > 0
    assert (stats.lost, stats.duplicated, stats.corrupt, stats.audit_broken) == (0, 0, 0, 0), stats.notes
    assert (stats.child_errors, stats.audit_mismatch) == (0, 0), stats.notes
    assert integrity_ok(tmp_path / "home" / "checkpoints.sqlite")


@pytest.fixture(scope="module")
def write_boundaries(tmp_path_factory: pytest.TempPathFactory) -> KillStats:
    """Fresh cases killed at checkpoint writes spread over a whole run (about 33), before and after each."""
    writes = [1, 2, 3, 4, 6, 9, 13, 17, 21, 25, 29, 32]
    return run_write_boundary_trials(tmp_path_factory.mktemp("writes"), EXAMPLES / "clean-loan", writes)


def test_kills_at_checkpoint_writes_lose_no_approval(write_boundaries: KillStats) -> None:
    stats = write_boundaries
    assert stats.killed == stats.trials == 24 and stats.acknowledged >= 12
    assert (stats.lost, stats.duplicated, stats.corrupt, stats.audit_broken) == (0, 0, 0, 0), stats.notes


def test_no_case_is_left_stuck_by_a_kill_at_a_checkpoint_write(write_boundaries: KillStats) -> None:
    assert (write_boundaries.stuck, write_boundaries.resume_failed) == (0, 0), write_boundaries.notes


def test_a_kill_between_the_audit_commit_and_the_head_keeps_the_chain_valid(
    runner: CaseRunner, example: Any, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    status = runner.run_folder(example("clean-loan"))
    with monkeypatch.context() as patch:
        patch.setattr(AuditLog, "_write_head", lambda self, entry: None)  # died right after COMMIT
        runner.decide(status.case_id, ApproveDecision(checkpoint="approve_facts", actor=JUDGE))
    assert runner.audit.verify().ok  # the head lags the log: a crash, not a cut
    runner.decide(status.case_id, ApproveDecision(checkpoint="approve_statutes", actor=JUDGE))
    assert runner.audit.verify().ok
    (home / "audit.head").write_text('{"seq": 1, "ha', encoding="utf-8")  # a torn head
    result = runner.audit.verify()
    assert not result.ok and "audit.head" in result.reason


# ---------------------------------------------------------------- parallel cases


def test_cases_run_in_parallel_processes_do_not_interfere(tmp_path: Path) -> None:
    names = ["clean-loan", "guarantor", "repayment-over-cap"]
    alone = tmp_path / "alone"
    for name in names:
        assert forked(lambda name=name: sign_all(alone, EXAMPLES / name, name)) == 0
    together = tmp_path / "together"
    with CaseRunner(home=together):  # create the databases once, as a first run would
        pass
    pids = []
    for name in names * 2:
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = sign_all(together, EXAMPLES / name, f"{name}-{len(pids)}")
            finally:
                os._exit(code)
        pids.append(pid)
    assert [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids] == [0] * 6
    with CaseRunner(home=alone) as one, CaseRunner(home=together) as many:
        assert len(many.list_cases()) == 6
        for index, name in enumerate(names * 2):
            expected, got = one.state(name), many.state(f"{name}-{index}")
            assert got.judgment == expected.judgment
            assert [(d.checkpoint, str(d.actor)) for d in got.decisions] == [
                (d.checkpoint, str(d.actor)) for d in expected.decisions
            ]
        assert many.audit.verify().ok and len(many.audit.entries()) == 6 * 5
    for db in ("checkpoints.sqlite", "audit.sqlite"):
        assert integrity_ok(together / db)


# ---------------------------------------------------------------- racing approvals


def race(home: Path, case_id: str, checkpoint: str, racers: int) -> list[int]:
    """`racers` processes approve `checkpoint` at the same moment; exit 0 = won, 10 = clear conflict."""
    gate_read, gate_write = os.pipe()
    pids = []
    for n in range(racers):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(gate_write)
                with CaseRunner(home=home) as runner:
                    os.read(gate_read, 1)  # everyone starts together
                    decision = ApproveDecision(
                        checkpoint=checkpoint, actor=Actor(role="judge", name=f"法官{n}")
                    )
                    try:
                        runner.decide(case_id, decision)
                        code = 0
                    except ConflictError as exc:
                        code = 10 if ("正由另一操作处理" in str(exc) or "当前等待的是" in str(exc)) else 2
                    except NotWaitingError as exc:
                        code = 10 if "不在审批节点等待" in str(exc) else 2
            finally:
                os._exit(code)
        pids.append(pid)
    os.close(gate_read)
    os.write(gate_write, b"x" * racers)
    os.close(gate_write)
    return sorted(os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in pids)


def test_racing_approvals_at_every_checkpoint_have_one_winner(home: Path, example: Any) -> None:
    with CaseRunner(home=home) as runner:
        runner.run_folder(example("clean-loan"), "race")
    for checkpoint in CHECKPOINTS:
        assert race(home, "race", checkpoint, racers=4) == [0, 10, 10, 10]
    with CaseRunner(home=home) as runner:
        state = runner.state("race")
        assert [d.checkpoint for d in state.decisions] == list(CHECKPOINTS)
        assert runner.status("race").status == "done" and runner.audit.verify().ok
    conn = sqlite3.connect(home / "checkpoints.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


def test_a_killed_racer_does_not_block_the_others(home: Path, example: Any) -> None:
    """The per-case lock dies with its holder: a racer killed while deciding leaves the case usable."""
    with CaseRunner(home=home) as runner:
        runner.run_folder(example("clean-loan"), "k")

    def die_holding_the_lock() -> int:
        import judgeflow.graph.flow as flow

        flow.lookup_statutes = lambda state: os.kill(os.getpid(), signal.SIGKILL)  # type: ignore[assignment]
        return sign_all(home, example("clean-loan"), "k")

    assert forked(die_holding_the_lock) == -signal.SIGKILL
    assert forked(lambda: sign_all(home, example("clean-loan"), "k")) == 0
    with CaseRunner(home=home) as runner:
        assert runner.status("k").status == "done"
        assert [d.checkpoint for d in runner.state("k").decisions] == list(CHECKPOINTS)

"""SIGKILL trials: a child process works a case through its checkpoints and is killed at a random point.

Each trial forks a child that resumes (or starts) a case with `run_folder` and approves every
checkpoint it reaches, writing one line to a pipe after each `decide` returns — an approval the
judge was told about. The child is killed with SIGKILL at a random point: a random number of
checkpoint writes into its work plus a random few milliseconds (inside SQLite's commit, inside a
node, between steps — independent of how fast the machine is). The parent then checks, without
resuming anything itself: both SQLite databases pass `PRAGMA integrity_check`, the audit chain
verifies, and every acknowledged approval is in the checkpointed state, once. The next trial
resumes the same case; a case that reaches its signed judgment is followed by a fresh one.
A final pass resumes every case to the end and checks the audit log against the decisions.
"""

from __future__ import annotations

import itertools
import os
import random
import select
import signal
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APPROVER = "法官T{trial}"
STAGES = 5  # intake to the first checkpoint, then one decision at each of the four checkpoints
WRITES_PER_STAGE = 7  # checkpoint writes (put and put_writes) per stage, about: 33 for a whole case
MAX_EXTRA_DELAY = 0.05  # seconds after the chosen write begins: inside SQLite, a node or the next write


@dataclass
class KillStats:
    """What the trials found."""

    trials: int = 0
    killed: int = 0  # the child was still working when the signal came
    acknowledged: int = 0  # approvals the child reported as done before it died
    lost: int = 0  # acknowledged approvals missing from the state afterwards
    duplicated: int = 0  # checkpoints approved more than once in one case
    corrupt: int = 0  # failed PRAGMA integrity_check
    audit_broken: int = 0  # audit chain did not verify
    resume_failed: int = 0  # the final resume raised or did not reach the end
    child_errors: int = 0  # a child that was not killed exited with an error
    stuck: int = 0  # after a kill the case could not be read, or read as done with no judgment
    audit_mismatch: int = 0  # after the final resume, audit decisions ≠ state decisions
    cases: int = 0
    notes: list[str] = field(default_factory=list)


def integrity_ok(path: Path) -> bool:
    """True when SQLite finds the database file sound."""
    if not path.exists():
        return True
    conn = sqlite3.connect(path, timeout=30)
    try:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
    finally:
        conn.close()


def _child(
    home: Path, folder: Path, case_id: str, trial: int, ack_fd: int, sabotage: Callable[[], None]
) -> None:
    """Work the case until done, acknowledging each approval on the pipe (runs in the forked child)."""
    from judgeflow.graph.runner import CaseRunner
    from judgeflow.graph.state import Actor, ApproveDecision

    sabotage()
    actor = Actor(role="judge", name=APPROVER.format(trial=trial))
    with CaseRunner(home=home) as runner:
        status = runner.run_folder(folder, case_id)
        while status.checkpoint is not None:
            checkpoint = status.checkpoint
            status = runner.decide(case_id, ApproveDecision(checkpoint=checkpoint, actor=actor))
            os.write(ack_fd, f"{checkpoint} {actor.name}\n".encode())


def _fork(work: Callable[[], None], delay: float | None) -> tuple[bool, int]:
    """Run `work` in a forked child, SIGKILL it after `delay` seconds; (killed while working, exit code)."""
    pid = os.fork()
    if pid == 0:  # the child: never return into the caller's stack
        code = 0
        try:
            work()
        except BaseException:
            traceback.print_exc()
            code = 3
        os._exit(code)
    killed = False
    if delay is not None:
        deadline = time.monotonic() + delay
        while time.monotonic() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return False, os.waitstatus_to_exitcode(status)
            time.sleep(0.002)
        os.kill(pid, signal.SIGKILL)
        killed = True
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    return killed and code == -signal.SIGKILL, code


def _read_acks(fd: int) -> list[tuple[str, str]]:
    chunks = []
    while select.select([fd], [], [], 0)[0]:
        data = os.read(fd, 65536)
        if not data:
            break
        chunks.append(data)
    lines = b"".join(chunks).decode().splitlines()
    return [(line.split(" ", 1)[0], line.split(" ", 1)[1]) for line in lines if " " in line]


def _check(home: Path, case_id: str, acked: list[tuple[str, str]], stats: KillStats) -> bool:
    """Check the stores after a kill; True when the case is done (signed and rendered)."""
    from judgeflow.errors import CaseNotFoundError
    from judgeflow.graph.runner import CaseRunner

    for db in ("checkpoints.sqlite", "audit.sqlite"):
        if not integrity_ok(home / db):
            stats.corrupt += 1
            stats.notes.append(f"{db} failed integrity_check after trial {stats.trials}")
    with CaseRunner(home=home) as runner:
        if not runner.audit.verify().ok:
            stats.audit_broken += 1
            stats.notes.append(f"audit: {runner.audit.verify().reason} (trial {stats.trials})")
        try:
            status = runner.status(case_id)
        except CaseNotFoundError:
            stats.lost += len(acked)
            return False
        except Exception as exc:  # the runner cannot read what the kill left: the case is stuck
            stats.stuck += 1
            stats.notes.append(f"{case_id}: status raised {type(exc).__name__} after trial {stats.trials}")
            return True
        held = [(d.checkpoint, d.actor.name) for d in status.state.decisions]
        stats.lost += sum(1 for a in acked if a not in held)
        checkpoints = [c for c, _ in held]
        stats.duplicated += len(checkpoints) - len(set(checkpoints))
        if status.status == "done" and not status.state.judgment:
            stats.stuck += 1
            stats.notes.append(f"{case_id}: reported done without a judgment after trial {stats.trials}")
        return status.status == "done"


def final_pass(
    home: Path, folder: Path, case_ids: list[str], acked: dict[str, list[tuple[str, str]]], stats: KillStats
) -> None:
    """Resume every case to its end (in a child, not killed) and compare the audit log with the decisions."""
    from judgeflow.graph.runner import CaseRunner

    for case_id in case_ids:

        def finish(cid: str = case_id) -> None:
            _child(home, folder, cid, 0, os.open(os.devnull, os.O_WRONLY), lambda: None)

        _, code = _fork(finish, None)
        with CaseRunner(home=home) as runner:
            try:
                status = runner.status(case_id)
            except Exception as exc:
                stats.resume_failed += 1
                stats.notes.append(f"{case_id}: final status raised {type(exc).__name__}")
                continue
            if code != 0 or status.status != "done" or not status.state.judgment:
                stats.resume_failed += 1
                stats.notes.append(
                    f"{case_id}: final resume exit {code}, status {status.status}, no judgment"
                )
                continue
            held = [(d.checkpoint, d.actor.name) for d in status.state.decisions]
            stats.lost += sum(1 for a in acked.get(case_id, []) if a not in held)
            audited = [
                (e["actor"], e["detail"]) for e in runner.audit.entries(case_id) if e["action"] == "decision"
            ]
            if len(audited) != len(held) or any(
                actor != f"judge:{name}" or f'"checkpoint": "{cp}"' not in detail
                for (actor, detail), (cp, name) in zip(audited, held, strict=False)
            ):
                stats.audit_mismatch += 1
                stats.notes.append(f"{case_id}: audit log does not match the decisions")
    for db in ("checkpoints.sqlite", "audit.sqlite"):
        if not integrity_ok(home / db):
            stats.corrupt += 1


def kill_near_write(index: int, delay: float) -> Callable[[], None]:
    """A plan for the child: SIGKILL itself `delay` seconds after its `index`-th checkpoint write begins."""

    def plan() -> None:
        from langgraph.checkpoint.sqlite import SqliteSaver

        counter = itertools.count(1)  # writes come from several threads: number each call once
        for name in ("put", "put_writes"):
            original = getattr(SqliteSaver, name)

            def wrapped(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
                if next(counter) == index:
                    timer = threading.Timer(delay, os.kill, (os.getpid(), signal.SIGKILL))
                    timer.daemon = True
                    timer.start()
                return _original(self, *args, **kwargs)

            setattr(SqliteSaver, name, wrapped)

    return plan


def run_kill_trials(home: Path, folder: Path, kills: int, seed: int = 0) -> KillStats:
    """Kill children at random points until `kills` kills have landed mid-work (at most 4× as many trials)."""
    rng = random.Random(seed)
    stats = KillStats()
    case_ids: list[str] = []
    acked: dict[str, list[tuple[str, str]]] = {}
    case_id = ""
    while stats.killed < kills and stats.trials < 4 * kills:
        trial = stats.trials + 1
        if not case_id:
            case_id = f"kill-{seed}-{len(case_ids) + 1}"
            case_ids.append(case_id)
            stats.cases += 1
        read_fd, write_fd = os.pipe()
        # Aim within the work that remains: a resumed case has fewer writes left to make.
        left = max(STAGES - len(acked.get(case_id, [])), 1) * WRITES_PER_STAGE
        plan = kill_near_write(rng.randint(1, left), rng.uniform(0.0, MAX_EXTRA_DELAY))

        def work(
            cid: str = case_id,
            trial: int = trial,
            plan: Callable[[], None] = plan,
            fds: tuple[int, int] = (read_fd, write_fd),
        ) -> None:
            os.close(fds[0])
            _child(home, folder, cid, trial, fds[1], plan)

        _, code = _fork(work, None)
        killed = code == -signal.SIGKILL
        if code not in (0, -signal.SIGKILL):
            stats.child_errors += 1
            stats.notes.append(f"trial {trial}: child exited with {code}")
        os.close(write_fd)
        new = _read_acks(read_fd)
        os.close(read_fd)
        stats.trials += 1
        stats.killed += killed
        stats.acknowledged += len(new)
        acked.setdefault(case_id, []).extend(new)
        if _check(home, case_id, acked[case_id], stats):
            case_id = ""
    final_pass(home, folder, case_ids, acked, stats)
    return stats


def summary(stats: KillStats) -> dict[str, Any]:
    """The figures as a JSON object."""
    return dict(vars(stats))


def kill_at_write(index: int, after: bool) -> Callable[[], None]:
    """A sabotage plan: SIGKILL the child at its `index`-th checkpoint write (before it, or just after)."""

    def plan() -> None:
        from langgraph.checkpoint.sqlite import SqliteSaver

        counter = itertools.count(1)  # writes come from several threads: number each call once
        for name in ("put", "put_writes"):
            original = getattr(SqliteSaver, name)

            def wrapped(self: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
                mine = next(counter)
                if mine == index and not after:
                    os.kill(os.getpid(), signal.SIGKILL)
                result = _original(self, *args, **kwargs)
                if mine == index and after:
                    os.kill(os.getpid(), signal.SIGKILL)
                return result

            setattr(SqliteSaver, name, wrapped)

    return plan


def run_write_boundary_trials(home: Path, folder: Path, writes: int | list[int]) -> KillStats:
    """Kill a fresh case at each of its first `writes` checkpoint writes (or at those listed), before
    and after the write; then check and resume each."""
    stats = KillStats()
    case_ids: list[str] = []
    acked: dict[str, list[tuple[str, str]]] = {}
    for index in writes if isinstance(writes, list) else range(1, writes + 1):
        for after in (False, True):
            case_id = f"write-{index}-{'after' if after else 'before'}"
            case_ids.append(case_id)
            read_fd, write_fd = os.pipe()
            plan = kill_at_write(index, after)

            def work(
                cid: str = case_id,
                plan: Callable[[], None] = plan,
                fds: tuple[int, int] = (read_fd, write_fd),
            ) -> None:
                os.close(fds[0])
                _child(home, folder, cid, 1, fds[1], plan)

            _, code = _fork(work, None)
            os.close(write_fd)
            acked[case_id] = _read_acks(read_fd)
            os.close(read_fd)
            stats.trials += 1
            stats.killed += code == -signal.SIGKILL
            stats.acknowledged += len(acked[case_id])
            stats.cases += 1
            try:
                _check(home, case_id, acked[case_id], stats)
            except Exception as exc:  # a state the runner cannot read is what this looks for
                stats.resume_failed += 1
                stats.notes.append(f"{case_id}: after the kill, status raised {type(exc).__name__}")
    final_pass(home, folder, case_ids, acked, stats)
    return stats

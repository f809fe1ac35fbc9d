"""Every kind of change to a real audit log — edits, deletions, reordering, forgeries, the head — is reported."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from judgeflow.benchmarks._tampering import TAMPERS, run_tampering
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import Actor, ApproveDecision


def test_every_tampering_kind_is_detected(
    runner: CaseRunner, example: Any, home: Path, tmp_path: Path
) -> None:
    for name in ("clean-loan", "guarantor"):
        status = runner.run_folder(example(name))
        while status.checkpoint is not None:
            decision = ApproveDecision(checkpoint=status.checkpoint, actor=Actor(role="judge", name="王法官"))
            status = runner.decide(name, decision)
    pristine = tmp_path / "pristine"
    pristine.mkdir()
    for name in ("audit.sqlite", "audit.head"):
        shutil.copy(home / name, pristine / name)
    stats = run_tampering(pristine, tmp_path / "work", rounds=3, seed=9)
    assert stats.tried == 3 * len(TAMPERS) and len(stats.by_kind) == len(TAMPERS) >= 20
    assert (stats.detected, stats.crashed, dict(stats.missed)) == (stats.tried, 0, {})

"""The Postgres checkpointer: a case runs through every checkpoint and resumes in a new runner.

Runs only when JUDGEFLOW_TEST_POSTGRES_URL names a server (needs the `postgres` extra); skipped otherwise.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from judgeflow.graph.runner import CaseRunner
from judgeflow.graph.state import Actor, ApproveDecision

URL = os.environ.get("JUDGEFLOW_TEST_POSTGRES_URL", "")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not URL, reason="set JUDGEFLOW_TEST_POSTGRES_URL to run against Postgres"),
]


def test_a_case_survives_a_new_runner_on_postgres(home: Path, example: Any) -> None:
    case_id = f"pg-{uuid.uuid4().hex[:8]}"
    judge = Actor(role="judge", name="王法官")
    with CaseRunner(home=home, checkpoint_url=URL) as runner:
        status = runner.run_folder(example("clean-loan"), case_id)
        runner.decide(case_id, ApproveDecision(checkpoint="approve_facts", actor=judge))
    assert not (home / "checkpoints.sqlite").exists()
    with CaseRunner(home=home, checkpoint_url=URL) as runner:  # a new process would do the same
        status = runner.status(case_id)
        assert status.checkpoint == "approve_statutes"
        while status.checkpoint is not None:
            status = runner.decide(case_id, ApproveDecision(checkpoint=status.checkpoint, actor=judge))
        state = runner.state(case_id)
    assert status.status == "done" and [d.checkpoint for d in state.decisions] == [
        "approve_facts",
        "approve_statutes",
        "approve_reasoning",
        "approve_draft",
    ]

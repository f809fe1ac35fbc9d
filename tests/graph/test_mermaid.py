"""The flow's Mermaid drawing is snapshotted so that a change of flow shows in review."""

from __future__ import annotations

import os
from pathlib import Path

from judgeflow.graph.flow import mermaid

SNAPSHOT = Path(__file__).parent / "snapshots" / "flow.mmd"


def test_flow_drawing_matches_snapshot() -> None:
    drawing = mermaid()
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(drawing, encoding="utf-8")
    assert drawing == SNAPSHOT.read_text(encoding="utf-8"), (
        "the flow changed; review it and refresh with UPDATE_SNAPSHOTS=1 pytest tests/graph/test_mermaid.py"
    )


def test_drawing_has_every_node_and_the_revision_loop() -> None:
    drawing = mermaid()
    for node in (
        "intake",
        "extract_facts",
        "approve_facts",
        "lookup_statutes",
        "approve_statutes",
        "build_reasoning",
        "approve_reasoning",
        "write_draft",
        "check_draft",
        "approve_draft",
        "render",
    ):
        assert f"\t{node}(" in drawing
    assert "check_draft -.-> write_draft" in drawing
    assert "approve_facts -.-> extract_facts" in drawing

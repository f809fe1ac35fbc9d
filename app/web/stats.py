"""Adoption statistics (采纳率): how much of each step's machine output the judges kept.

Each human decision at a checkpoint counts once: an approval adopts the step's output unchanged,
an edit changes it, a rejection sends it back. Automatic approvals (evaluation policy) are not
judges' decisions and are left out. The size of an edit is read from the decision itself: the
number of fields its replacement sets, and the lines and characters its stored diff adds or
removes (graph/edits.py renders each step's output as indented JSON or, for drafts, as text).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from judgeflow.graph.approvals import CHECKPOINT_TITLES
from judgeflow.graph.state import CHECKPOINTS, CaseState, EditDecision


def changed_fields(replacement: Any) -> int:
    """How many leaf values an edit's replacement sets (list items and dict leaves count one each)."""
    if isinstance(replacement, dict):
        return sum(changed_fields(v) for v in replacement.values()) if replacement else 1
    if isinstance(replacement, list):
        return sum(changed_fields(v) for v in replacement) if replacement else 1
    return 1


def diff_size(diff: str) -> dict[str, int]:
    """Lines and characters added and removed by a unified diff (headers not counted)."""
    size = {"lines_added": 0, "lines_removed": 0, "chars_added": 0, "chars_removed": 0}
    for line in diff.splitlines():
        if line.startswith(("+++", "---", "@@")):
            continue
        if line.startswith("+"):
            size["lines_added"] += 1
            size["chars_added"] += len(line) - 1
        elif line.startswith("-"):
            size["lines_removed"] += 1
            size["chars_removed"] += len(line) - 1
    return size


def _empty_step(checkpoint: str) -> dict[str, Any]:
    return {
        "checkpoint": checkpoint,
        "title": CHECKPOINT_TITLES[checkpoint],  # type: ignore[index]
        "decisions": 0,
        "approve": 0,
        "edit": 0,
        "reject": 0,
        "changed_fields": 0,
        "lines_added": 0,
        "lines_removed": 0,
        "chars_added": 0,
        "chars_removed": 0,
    }


def _rates(step: dict[str, Any]) -> dict[str, Any]:
    total = step["decisions"]
    for kind in ("approve", "edit", "reject"):
        step[f"{kind}_rate"] = round(step[kind] / total, 4) if total else None
    return step


def _add(into: dict[str, Any], step: dict[str, Any]) -> None:
    for key, value in step.items():
        if isinstance(value, int) and key in into:
            into[key] += value


def case_stats(state: CaseState) -> dict[str, Any]:
    """Per checkpoint: counts and rates of approve / edit / reject, and the size of the edits."""
    steps = {cp: _empty_step(cp) for cp in CHECKPOINTS}
    for decision in state.decisions:
        if decision.automatic:
            continue
        step = steps[decision.checkpoint]
        step["decisions"] += 1
        step[decision.kind] += 1
        if isinstance(decision, EditDecision):
            step["changed_fields"] += changed_fields(decision.replacement)
            for key, value in diff_size(decision.diff).items():
                step[key] += value
    return {"case_id": state.case_id, "steps": [_rates(s) for s in steps.values()]}


def adoption_stats(states: Iterable[CaseState]) -> dict[str, Any]:
    """Statistics per case and summed over all the given cases."""
    cases = [case_stats(s) for s in states]
    overall = {cp: _empty_step(cp) for cp in CHECKPOINTS}
    for case in cases:
        for step in case["steps"]:
            _add(overall[step["checkpoint"]], step)
    total = _empty_step(CHECKPOINTS[0]) | {"checkpoint": "all", "title": "全部节点"}
    for step in overall.values():
        _add(total, step)
    return {
        "cases": cases,
        "overall": [_rates(s) for s in overall.values()],
        "total": _rates(total),
    }

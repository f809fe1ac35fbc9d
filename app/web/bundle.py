"""The trace as one self-contained HTML file a reviewer can open offline (no external assets).

Styles and the small filter script are inlined; every value from the case is escaped by Jinja2's
autoescaping. The JSONL half of the bundle comes from app/export.py (`trace_lines`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from judgeflow.graph.approvals import CHECKPOINT_TITLES
from judgeflow.graph.state import CaseState

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


def template_environment() -> Environment:
    """The Jinja2 environment over the workbench's templates (autoescaping on)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    env.filters["pretty"] = pretty_json
    env.filters["diff_class"] = diff_line_class
    return env


def pretty_json(value: Any) -> str:
    """A value as indented JSON with Chinese kept readable."""
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


def diff_line_class(line: str) -> str:
    """CSS class of one unified-diff line (added, removed, hunk header or context)."""
    if line.startswith(("+++", "---")):
        return "diff-head"
    if line.startswith("@@"):
        return "diff-hunk"
    if line.startswith("+"):
        return "diff-add"
    if line.startswith("-"):
        return "diff-del"
    return ""


def trace_html(state: CaseState) -> str:
    """The whole trace of a case (node runs, decisions with diffs) as one HTML document."""
    events = [{"index": i, **e.model_dump(mode="json")} for i, e in enumerate(state.trace, start=1)]
    decisions = [d.model_dump(mode="json") for d in state.decisions]
    css = (STATIC / "style.css").read_text(encoding="utf-8")
    return (
        template_environment()
        .get_template("bundle.html")
        .render(
            state=state,
            events=events,
            decisions=decisions,
            nodes=sorted({e["node"] for e in events}),
            titles=CHECKPOINT_TITLES,
            css=css,
        )
    )

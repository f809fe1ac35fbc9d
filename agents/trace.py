"""Recording what an agent did, for the case trace (DESIGN §9)."""

from __future__ import annotations

from time import perf_counter
from typing import Any

from judgeflow.graph.state import ToolCall, TraceEvent


class NodeTrace:
    """Collects the tool calls of one node run and turns them into a TraceEvent."""

    def __init__(self, node: str, engine: str = "rules") -> None:
        self.node = node
        self.engine = engine
        self.tool_calls: list[ToolCall] = []
        self._started = perf_counter()

    def call(self, tool: str, params: dict[str, Any], result: str = "") -> None:
        """Record one tool or query call with its parameters and a short result."""
        self.tool_calls.append(ToolCall(tool=tool, params=params, result=result))

    def event(
        self, summary: str, inputs: dict[str, Any] | None = None, outputs: dict[str, Any] | None = None
    ) -> TraceEvent:
        """The finished node run as a trace event (duration measured from construction)."""
        return TraceEvent(
            kind="node_run",
            node=self.node,
            duration_ms=round((perf_counter() - self._started) * 1000, 3),
            engine=self.engine,
            summary=summary,
            inputs=inputs or {},
            outputs=outputs or {},
            tool_calls=self.tool_calls,
        )

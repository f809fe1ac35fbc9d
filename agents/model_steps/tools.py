"""The project's deterministic tools as LangChain tools (`langchain_core.tools.StructuredTool`).

Every tool in `judgeflow.tools.registry` — built-in or from a plugin — becomes a LangChain tool with
the same name and description, its argument schema read from the function's type hints. The agents
run these tools themselves (`run_registered`) and show the results to the model as grounding; a chat
model that calls tools can be given the same list with `model.bind_tools(langchain_tools())`.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from judgeflow.tools import ToolInputError
from judgeflow.tools.registry import ToolSpec, all_tools, get, load_plugins
from langchain_core.tools import BaseTool, StructuredTool


def as_langchain_tool(spec: ToolSpec) -> BaseTool:
    """One registered tool as a LangChain StructuredTool."""
    return StructuredTool.from_function(func=spec.func, name=spec.name, description=spec.description)


def langchain_tools() -> list[BaseTool]:
    """Every registered tool (plugins included) as LangChain tools, sorted by name (built once per tool)."""
    load_plugins()
    return [_converted(spec) for spec in all_tools()]


_CONVERTED: dict[str, tuple[ToolSpec, BaseTool]] = {}


def _converted(spec: ToolSpec) -> BaseTool:
    known = _CONVERTED.get(spec.name)
    if known is None or known[0] != spec:
        known = (spec, as_langchain_tool(spec))
        _CONVERTED[spec.name] = known
    return known[1]


def plain(value: Any) -> Any:
    """A tool result as JSON-ready data (dataclasses, decimals and dates included)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def run_tool(tools: dict[str, BaseTool], name: str, args: dict[str, Any]) -> Any:
    """Invoke a LangChain tool by name and return its result as JSON-ready data."""
    return plain(tools[name].invoke(args))


def run_registered(name: str, args: dict[str, Any]) -> Any:
    """Run a registered tool by name and return its result as JSON-ready data.

    The same result as `run_tool` on the tool's LangChain form, without LangChain's wrapper (callbacks,
    reading the function's type hints: about a millisecond a call) and without scanning the installed
    packages for plugins (about 10 ms) unless the name is not a built-in tool.
    """
    try:
        spec = get(name)
    except ToolInputError:
        load_plugins()
        spec = get(name)
    return plain(spec.func(**args))

"""The tool registry: built-ins and plugins register through the same decorator."""

from __future__ import annotations

from decimal import Decimal
from importlib.metadata import EntryPoint
from typing import Any

import pytest
from judgeflow.tools import ToolInputError, registry
from judgeflow.tools.amounts import parse_amount

BUILTINS = {
    "parse_amount",
    "find_amounts",
    "parse_date",
    "find_dates",
    "parse_period",
    "parse_rate",
    "find_rates",
    "capped_interest",
    "allocate_repayments",
    "acceptance_fee",
    "lpr_one_year",
}


@pytest.fixture(autouse=True)
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_tools", {})
    monkeypatch.setattr(registry, "_loaded_plugins", set())
    monkeypatch.setattr(registry, "_builtins_done", False)


def test_builtins_are_registered() -> None:
    names = {t.name for t in registry.all_tools()}
    assert names >= BUILTINS
    spec = registry.get("parse_amount")
    assert spec.func is parse_amount
    assert spec.func("人民币伍万元整") == Decimal(50000)
    assert all(t.description for t in registry.all_tools())


def test_unknown_tool() -> None:
    with pytest.raises(ToolInputError, match="no_such_tool"):
        registry.get("no_such_tool")


def test_register_decorator_returns_function() -> None:
    @registry.register("double", "两倍 / doubles")
    def double(x: int) -> int:
        return 2 * x

    assert double(2) == 4
    assert registry.get("double").func(3) == 6


def test_name_clash_is_refused() -> None:
    registry.builtin_tools()
    with pytest.raises(registry.PluginError):
        registry.register("parse_amount", "another")(lambda s: s)


def test_load_plugins_from_entry_points(monkeypatch: pytest.MonkeyPatch) -> None:
    def plugin(register: Any) -> None:
        register("triple", "三倍 / triples")(lambda x: 3 * x)

    fake = EntryPoint(name="demo", value="demo_plugin:setup", group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(EntryPoint, "load", lambda self: plugin)
    monkeypatch.setattr(
        registry, "entry_points", lambda group: [fake] if group == registry.ENTRY_POINT_GROUP else []
    )
    assert registry.load_plugins() == ["demo"]
    assert registry.get("triple").func(2) == 6
    assert registry.load_plugins() == []  # each plugin loads once


def test_broken_plugin_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = EntryPoint(name="broken", value="no_such_module_xyz:setup", group=registry.ENTRY_POINT_GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [fake])
    with pytest.raises(registry.PluginError, match="broken"):
        registry.load_plugins()

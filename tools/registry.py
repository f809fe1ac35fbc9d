"""A small registry of the deterministic tools, open to plugins (in the manner of simonw/llm).

Built-in tools are registered through the same `register` decorator a plugin uses. A plugin is a
distribution that declares an entry point in the group "judgeflow.tools"; the entry point names either
a module (importing it runs its @register decorators) or a function called with `register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any, TypeVar

from judgeflow.errors import JudgeflowError
from judgeflow.tools import ToolInputError

ENTRY_POINT_GROUP = "judgeflow.tools"

F = TypeVar("F", bound=Callable[..., Any])


class PluginError(JudgeflowError):
    """A tool plugin failed to load or clashes with a tool already registered."""


@dataclass(frozen=True)
class ToolSpec:
    """A registered tool: its name, what it does (one line), and the function itself."""

    name: str
    description: str
    func: Callable[..., Any]


_tools: dict[str, ToolSpec] = {}
_loaded_plugins: set[str] = set()
_builtins_done = False


def register(name: str, description: str) -> Callable[[F], F]:
    """Decorator that registers a function as a tool under `name`; the function is returned unchanged."""

    def decorate(func: F) -> F:
        known = _tools.get(name)
        if known is not None and known.func is not func:
            raise PluginError(
                f"工具名“{name}”已被{known.func.__module__}占用 / tool {name!r} already registered"
            )
        _tools[name] = ToolSpec(name, description, func)
        return func

    return decorate


def builtin_tools() -> None:
    """Register judgeflow's own tools (idempotent); imported here so the tool modules need not know us."""
    global _builtins_done
    if _builtins_done:
        return
    from judgeflow.tools import amounts, court_fees, dates, interest, rates

    builtins: list[tuple[str, str, Callable[..., Any]]] = [
        (
            "parse_amount",
            "读取一个金额表述（含大写、万元）为元 / one money expression to yuan",
            amounts.parse_amount,
        ),
        ("find_amounts", "找出文本中所有带“元”或“人民币”的金额 / every money mention", amounts.find_amounts),
        ("parse_date", "读取一个完整日期 / one full date", dates.parse_date),
        ("find_dates", "找出文本中的日期及其精度 / every date with its precision", dates.find_dates),
        ("parse_period", "读取期间，如“六个月” / a period such as 六个月", dates.parse_period),
        ("parse_rate", "读取利率并折算为年利率 / a rate, as an annual fraction", rates.parse_rate),
        ("find_rates", "找出文本中写明年、月、日的利率 / every rate with its basis", rates.find_rates),
        (
            "capped_interest",
            "按约定利率与法定上限孰低计算利息 / interest capped by law",
            interest.capped_interest,
        ),
        (
            "allocate_repayments",
            "还款先抵利息后抵本金 / repayments: interest first",
            interest.allocate_repayments,
        ),
        ("acceptance_fee", "财产案件受理费（简易程序减半） / acceptance fee", court_fees.acceptance_fee),
        ("lpr_one_year", "某日适用的一年期LPR / the one-year LPR in force on a day", interest.lpr_one_year),
    ]
    for name, description, func in builtins:
        register(name, description)(func)
    _builtins_done = True


def load_plugins() -> list[str]:
    """Load every entry point in the "judgeflow.tools" group once; returns the names newly loaded."""
    builtin_tools()
    loaded: list[str] = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in _loaded_plugins:
            continue
        try:
            target = ep.load()
            if not isinstance(target, ModuleType) and callable(target):
                target(register)
        except PluginError:
            raise
        except Exception as exc:
            raise PluginError(
                f"工具插件“{ep.name}”（{ep.value}）加载失败：{exc} / plugin failed to load"
            ) from exc
        _loaded_plugins.add(ep.name)
        loaded.append(ep.name)
    return loaded


def get(name: str) -> ToolSpec:
    """The tool registered under `name`."""
    builtin_tools()
    try:
        return _tools[name]
    except KeyError:
        known = "、".join(sorted(_tools))
        raise ToolInputError(f"没有名为“{name}”的工具（现有：{known}） / no tool named {name!r}") from None


def all_tools() -> list[ToolSpec]:
    """Every registered tool, sorted by name."""
    builtin_tools()
    return [_tools[n] for n in sorted(_tools)]

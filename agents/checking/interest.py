"""Interest re-computed: a stated interest figure for a principal, a rate and a period, and an ordered
rate of a private loan above the legal ceiling (24% a year before 2020-08-20, four times the one-year
LPR since; 《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条、第三十一条)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from judgeflow.agents.checking.collector import Collector
from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import find_amounts, yuan_text
from judgeflow.tools.dates import find_dates
from judgeflow.tools.interest import interest_cap
from judgeflow.tools.rates import find_rates, percent_text

BASIS_RE = re.compile(r"以(?:尚欠|剩余|未还)?(?:借款)?(?:本金)?")
STATED_RE = re.compile(r"利息(?:为|计|共计|合计|金额为)?(?:人民币)?")
SPAN = 90  # characters an interest clause may run
LENDING_RE = re.compile(r"民间借贷|借款合同|借贷纠纷")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class InterestClause:
    """以P为基数 … 按R … 自A起至B止 (… 利息Z元) as written."""

    start: int
    end: int
    principal: Decimal
    annual: Decimal
    rate_start: int
    rate_end: int
    first: date | None
    last: date | None
    stated: Decimal | None
    stated_start: int
    stated_end: int


def find_interest_clauses(text: str) -> list[InterestClause]:
    """Clauses that name a principal (以…为基数), a rate and a start date, with the end date and the
    interest figure where they are written."""
    out: list[InterestClause] = []
    for base in re.finditer(r"以(?P<body>[^，。；;为]{1,30})为(?:基数|本金)", text):
        principal = find_amounts(base.group("body"))
        window_end = min(len(text), base.end() + SPAN)
        cut = re.search(r"[。；;]", text[base.end() : window_end])
        window_end = base.end() + cut.start() if cut else window_end
        rates = find_rates(text[base.end() : window_end])
        if not principal or not rates:
            continue
        dates = [d for d in find_dates(text[base.start() : window_end]) if d.precision == "day"]
        first = dates[0].value if dates else None
        last = dates[1].value if len(dates) > 1 else None
        stated = STATED_RE.search(text, base.end(), window_end)
        amount = find_amounts(text[stated.end() : stated.end() + 20]) if stated else []
        rate = rates[0]
        at = stated.end() if stated and amount and amount[0].start == 0 else -1
        out.append(
            InterestClause(
                base.start(),
                window_end,
                principal[-1].value,
                rate.rate.annual,
                base.end() + rate.start,
                base.end() + rate.end,
                first,
                last,
                amount[0].value if at >= 0 else None,
                at,
                at + (amount[0].end - amount[0].start) if at >= 0 else -1,
            )
        )
    return out


def _candidates(c: InterestClause) -> list[Decimal]:
    """The figure under each way courts count the days (ends excluded or included; 365 or 360)."""
    if c.first is None or c.last is None or c.last < c.first:
        return []
    days = (c.last - c.first).days
    return [
        (c.principal * c.annual * n / year).quantize(CENT) for n in (days, days + 1) for year in (365, 360)
    ]


def check_interest(
    c: Collector, spans: list[tuple[int, int]] | None = None, contract: date | None = None
) -> None:
    """A stated interest figure must follow from its principal, rate and period; a rate ordered on a
    private loan (in `spans`, the orders) may not exceed the ceiling for a contract concluded on
    `contract` (else on the day interest starts to run) and interest accruing from that day."""
    lending = LENDING_RE.search(c.text) is not None
    for clause in find_interest_clauses(c.text):
        ordered = spans is None or any(a <= clause.start < b for a, b in spans)
        figures = _candidates(clause)
        wrong = (
            clause.stated is not None and figures and not any(abs(f - clause.stated) <= 1 for f in figures)
        )
        if wrong and clause.stated is not None and not c.covered(clause.stated_start, clause.stated_end):
            c.add(
                "computation",
                clause.stated_start,
                clause.stated_end,
                f"利息{yuan_text(clause.stated)}与本金、利率和期间不符",
                f"{yuan_text(clause.principal)} × {percent_text(clause.annual)} × 天数 / 365 ＝ "
                + " 或 ".join(yuan_text(f) for f in figures[:2]),
            )
        if not lending or not ordered or clause.first is None:
            continue
        try:
            cap = interest_cap(min(contract or clause.first, clause.first), clause.first)
        except ToolInputError:
            continue
        if clause.annual > cap.annual and not c.covered(clause.rate_start, clause.rate_end):
            c.add(
                "computation",
                clause.rate_start,
                clause.rate_end,
                f"判令利率{percent_text(clause.annual)}超过民间借贷利率上限{percent_text(cap.annual)}",
                f"上限：{cap.basis}",
            )

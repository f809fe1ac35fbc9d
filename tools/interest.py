"""Interest on private loans (民间借贷): the LPR, the legal ceiling, and repayments set off interest first.

The ceiling follows 《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》(2020年第二次修正):
第二十五条 caps agreed interest at four times the one-year LPR in force when the contract was concluded;
第三十一条 keeps the old 24% ceiling for interest that accrued up to 2020-08-19 on earlier contracts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from itertools import pairwise
from pathlib import Path

from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import format_yuan, yuan_text
from judgeflow.tools.dates import cn_date
from judgeflow.tools.rates import percent_text

LPR_FILE = Path(__file__).parent / "data" / "lpr.json"
NEW_RULES = date(2020, 8, 20)  # the day the LPR-based ceiling took effect
OLD_CEILING = Decimal("0.24")
CENT = Decimal("0.01")
ZERO = Decimal(0)
DAYS_PER_YEAR = 365


@dataclass(frozen=True)
class LprEntry:
    """The one-year LPR in force on a day: when it was published and the annual rate (3.65% is 0.0365)."""

    published: date
    rate: Decimal
    stale: bool = False  # the day is after the file's last entry, so a later change may be missing


@dataclass(frozen=True)
class CapRate:
    """The legal ceiling on agreed interest for a day, and how it was reached (in Chinese)."""

    annual: Decimal
    basis: str


@dataclass(frozen=True)
class Step:
    """One line of arithmetic a judge can check: what is computed, the formula, and the result."""

    label: str
    formula: str
    result: str


@dataclass(frozen=True)
class InterestResult:
    """Interest over a span at the agreed rate, cut to the ceiling where it is higher."""

    amount: Decimal
    rate_used: Decimal  # the rate of the last segment, which keeps running after `end`
    capped: bool
    steps: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class Allocation:
    """Where repayments went: interest first, then principal (民法典第五百六十一条)."""

    principal_left: Decimal
    interest_paid: Decimal
    principal_paid: Decimal
    last_date: date  # interest on principal_left runs from here
    steps: list[Step] = field(default_factory=list)
    interest_unpaid: Decimal = ZERO  # accrued up to last_date and not covered by repayments


@cache
def _lpr_table() -> tuple[tuple[LprEntry, ...], date]:
    try:
        data = json.loads(LPR_FILE.read_text(encoding="utf-8"))
        entries = tuple(
            LprEntry(date.fromisoformat(e["published"]), Decimal(e["rate"]) / 100) for e in data["entries"]
        )
        last = date.fromisoformat(data["last_entry"])
    except (OSError, ValueError, KeyError, TypeError, ArithmeticError) as exc:
        raise ToolInputError(f"LPR数据文件{LPR_FILE}无法读取 / cannot read LPR data: {exc}") from exc
    return tuple(sorted(entries, key=lambda e: e.published)), last


def lpr_one_year(on: date) -> LprEntry:
    """The one-year LPR in force on a day (published on or before it); stale=True after the last entry."""
    entries, last = _lpr_table()
    if on < entries[0].published:
        raise ToolInputError(
            f"{cn_date(on)}早于LPR首次公布（{cn_date(entries[0].published)}） / no LPR before {on}"
        )
    entry = next(e for e in reversed(entries) if e.published <= on)
    return LprEntry(entry.published, entry.rate, stale=on > max(last, entries[-1].published))


def _lpr_words(entry: LprEntry, when: str) -> str:
    stale = f"；数据截至{cn_date(entry.published)}，请核对其后是否调整" if entry.stale else ""
    return f"4 × 一年期LPR {percent_text(entry.rate)}（{when}，{cn_date(entry.published)}公布{stale}）"


def interest_cap(contract_date: date, on: date, *, filed: date | None = None) -> CapRate:
    """The ceiling on agreed interest accruing on `on` for a loan contract concluded on `contract_date`.

    For contracts before 2020-08-20, interest from that day on is capped at four times the LPR "at
    filing" (第三十一条); pass `filed` for that, otherwise the LPR of 2020-08-20 (15.4%) is used.
    """
    if contract_date >= NEW_RULES:
        entry = lpr_one_year(contract_date)
        return CapRate(
            (4 * entry.rate).normalize(), _lpr_words(entry, f"合同成立时即{cn_date(contract_date)}适用")
        )
    if on < NEW_RULES:
        return CapRate(
            OLD_CEILING, "年利率24%（合同成立于2020年8月20日前，2020年8月19日前的利息适用原司法解释）"
        )
    entry = lpr_one_year(filed or NEW_RULES)
    when = f"起诉时即{cn_date(filed)}适用" if filed else "2020年8月20日起的利息按该日适用"
    return CapRate((4 * entry.rate).normalize(), _lpr_words(entry, f"合同成立于2020年8月20日前，{when}"))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _num(value: Decimal) -> str:
    return yuan_text(value).removesuffix("元")


def _check_span(principal: Decimal, annual: Decimal, start: date, end: date) -> None:
    if principal < 0:
        raise ToolInputError(f"本金不能为负数：{principal} / principal must not be negative")
    if annual < 0:
        raise ToolInputError(f"利率不能为负数：{annual} / rate must not be negative")
    if end < start:
        raise ToolInputError(
            f"计息止日{cn_date(end)}早于起日{cn_date(start)} / interest end {end} before start {start}"
        )


def simple_interest(
    principal: Decimal, annual: Decimal, start: date, end: date, *, inclusive: bool = False
) -> Decimal:
    """principal × annual × days / 365, days = end − start (+1 when inclusive), rounded half-up to cents."""
    _check_span(principal, annual, start, end)
    days = (end - start).days + (1 if inclusive else 0)
    return _cents(principal * annual * days / DAYS_PER_YEAR)


def capped_interest(
    principal: Decimal,
    agreed_annual: Decimal,
    contract_date: date,
    start: date,
    end: date,
    *,
    filed: date | None = None,
) -> InterestResult:
    """Interest over end − start days at min(agreed, ceiling), split where the ceiling changes."""
    _check_span(principal, agreed_annual, start, end)
    bounds = [start, end]
    if contract_date < NEW_RULES and start < NEW_RULES < end:
        bounds.insert(1, NEW_RULES)
    total, capped, rate, steps = ZERO, False, agreed_annual, []
    for seg_start, seg_end in pairwise(bounds):
        cap = interest_cap(contract_date, seg_start, filed=filed)
        rate = min(agreed_annual, cap.annual)
        over = agreed_annual > cap.annual
        capped = capped or over
        days = (seg_end - seg_start).days
        amount = simple_interest(principal, rate, seg_start, seg_end)
        total += amount
        last_day = cn_date(seg_end) if seg_end != NEW_RULES else cn_date(NEW_RULES - timedelta(days=1))
        label = f"{cn_date(seg_start)}至{last_day}的利息"
        if over:
            label += f"（约定{percent_text(agreed_annual)}超过上限，按{percent_text(rate)}计算）"
        formula = f"{_num(principal)} × {percent_text(rate)} × {days} / {DAYS_PER_YEAR}"
        steps.append(Step(label, formula, format_yuan(amount)))
    if len(steps) > 1:
        steps.append(Step("利息合计", " + ".join(s.result for s in steps), format_yuan(total)))
    return InterestResult(total, rate, capped, steps)


def allocate_repayments(
    principal: Decimal,
    annual: Decimal,
    contract_date: date,
    start: date,
    repayments: list[tuple[date, Decimal]],
    until: date,
    *,
    filed: date | None = None,
) -> Allocation:
    """Set each repayment against accrued (capped) interest first, then principal (民法典第五百六十一条)."""
    if until < start:
        raise ToolInputError(
            f"截止日{cn_date(until)}早于计息起日{cn_date(start)} / until {until} before start {start}"
        )
    left, last, unpaid = principal, start, ZERO
    interest_paid = principal_paid = ZERO
    steps: list[Step] = []
    for paid_on, amount in sorted(repayments):
        if not start <= paid_on <= until:
            raise ToolInputError(
                f"还款日{cn_date(paid_on)}不在{cn_date(start)}至{cn_date(until)}之间"
                f" / repayment on {paid_on} is outside {start}..{until}"
            )
        if amount <= 0:
            raise ToolInputError(
                f"{cn_date(paid_on)}的还款金额须为正数：{amount} / repayment must be positive"
            )
        accrued = capped_interest(left, annual, contract_date, last, paid_on, filed=filed)
        steps.extend(accrued.steps)
        due = unpaid + accrued.amount
        if unpaid:
            steps.append(Step("累计未付利息", f"{_num(unpaid)} + {_num(accrued.amount)}", format_yuan(due)))
        to_interest = min(amount, due)
        to_principal = min(amount - to_interest, left)
        surplus = amount - to_interest - to_principal
        unpaid = due - to_interest
        when = f"{cn_date(paid_on)}还款{_num(amount)}元"
        if unpaid:
            steps.append(
                Step(f"{when}全部抵充利息", f"{_num(due)} − {_num(amount)}", f"尚欠利息{format_yuan(unpaid)}")
            )
        elif to_principal:
            limit = f"，以尚欠本金{_num(left)}为限" if surplus else ""
            steps.append(
                Step(
                    f"{when}抵充本金",
                    f"{_num(amount)} − {_num(to_interest)}{limit}",
                    format_yuan(to_principal),
                )
            )
            steps.append(
                Step("尚欠本金", f"{_num(left)} − {_num(to_principal)}", format_yuan(left - to_principal))
            )
        if surplus:
            steps.append(
                Step(
                    f"{when}超出欠款部分",
                    f"{_num(amount)} − {_num(to_interest + to_principal)}",
                    format_yuan(surplus),
                )
            )
        left -= to_principal
        interest_paid += to_interest
        principal_paid += to_principal
        last = paid_on
    return Allocation(left, interest_paid, principal_paid, last, steps, unpaid)

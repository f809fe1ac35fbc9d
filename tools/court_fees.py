"""Court fees (诉讼费用) under 《诉讼费用交纳办法》(国务院令第481号)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from judgeflow.tools import ToolInputError

# 第十三条第（一）项: each slice of the claim is charged at its own rate; the first 10,000 yuan is a flat 50.
FLAT_FIRST = Decimal(50)
FIRST_SLICE = Decimal(10_000)
BRACKETS: tuple[tuple[Decimal, Decimal], ...] = (
    (Decimal(100_000), Decimal("0.025")),
    (Decimal(200_000), Decimal("0.02")),
    (Decimal(500_000), Decimal("0.015")),
    (Decimal(1_000_000), Decimal("0.01")),
    (Decimal(2_000_000), Decimal("0.009")),
    (Decimal(5_000_000), Decimal("0.008")),
    (Decimal(10_000_000), Decimal("0.007")),
    (Decimal(20_000_000), Decimal("0.006")),
    (Decimal("Infinity"), Decimal("0.005")),
)
CENT = Decimal("0.01")


def acceptance_fee(amount: Decimal, simple_procedure: bool) -> Decimal:
    """案件受理费 for a property claim (第十三条), halved under 简易程序 (第十六条), rounded to cents."""
    if not amount.is_finite() or amount < 0:
        raise ToolInputError(f"诉讼请求金额须为非负数：{amount} / claim amount must be non-negative")
    fee = FLAT_FIRST
    lower = FIRST_SLICE
    for upper, rate in BRACKETS:
        if amount <= lower:
            break
        fee += (min(amount, upper) - lower) * rate
        lower = upper
    if simple_procedure:
        fee /= 2
    return fee.quantize(CENT, rounding=ROUND_HALF_UP)

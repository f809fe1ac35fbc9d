"""LPR look-up, the private-lending ceiling, capped interest and repayments set off interest first."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from judgeflow.tools import ToolInputError
from judgeflow.tools.interest import (
    LPR_FILE,
    Step,
    allocate_repayments,
    capped_interest,
    interest_cap,
    lpr_one_year,
    simple_interest,
)


def test_lpr_file_says_its_source_and_last_entry() -> None:
    data = json.loads(LPR_FILE.read_text(encoding="utf-8"))
    assert data["source"] == "全国银行间同业拆借中心公布的贷款市场报价利率"
    published = [e["published"] for e in data["entries"]]
    assert published == sorted(published)
    assert data["last_entry"] == published[-1]
    assert published[0] == "2019-08-20"


@pytest.mark.parametrize(
    ("on", "published", "rate"),
    [
        (date(2019, 8, 20), date(2019, 8, 20), "0.0425"),
        (date(2019, 10, 1), date(2019, 9, 20), "0.042"),
        (date(2020, 8, 20), date(2020, 4, 20), "0.0385"),
        (date(2022, 8, 21), date(2022, 1, 20), "0.037"),
        (date(2022, 8, 22), date(2022, 8, 22), "0.0365"),
        (date(2023, 3, 1), date(2022, 8, 22), "0.0365"),
        (date(2023, 8, 21), date(2023, 8, 21), "0.0345"),
        (date(2024, 12, 1), date(2024, 10, 21), "0.031"),
    ],
)
def test_lpr_one_year(on: date, published: date, rate: str) -> None:
    entry = lpr_one_year(on)
    assert (entry.published, entry.rate, entry.stale) == (published, Decimal(rate), False)


def test_lpr_after_last_entry_is_flagged_stale() -> None:
    entry = lpr_one_year(date(2030, 1, 1))
    assert entry.stale
    assert entry.published == date(2025, 5, 20)
    assert entry.rate == Decimal("0.03")


def test_no_lpr_before_the_reform() -> None:
    with pytest.raises(ToolInputError):
        lpr_one_year(date(2019, 8, 19))


def test_cap_new_contract_is_four_times_lpr_at_conclusion() -> None:
    cap = interest_cap(date(2023, 3, 1), date(2024, 6, 1))
    assert cap.annual == Decimal("0.146")
    assert "4 × 一年期LPR 3.65%" in cap.basis
    assert interest_cap(date(2020, 8, 20), date(2020, 8, 20)).annual == Decimal("0.154")
    assert interest_cap(date(2024, 10, 21), date(2024, 10, 21)).annual == Decimal("0.124")


def test_cap_old_contract_splits_at_2020_08_20() -> None:
    assert interest_cap(date(2019, 1, 1), date(2020, 8, 19)).annual == Decimal("0.24")
    assert interest_cap(date(2019, 1, 1), date(2020, 8, 20)).annual == Decimal("0.154")
    assert interest_cap(date(2019, 1, 1), date(2023, 9, 1)).annual == Decimal("0.154")
    # 第三十一条: from 2020-08-20 the standard at filing applies when the filing date is known.
    assert interest_cap(date(2019, 1, 1), date(2023, 9, 1), filed=date(2023, 9, 1)).annual == Decimal("0.138")


def test_simple_interest() -> None:
    assert simple_interest(Decimal(50000), Decimal("0.24"), date(2023, 1, 1), date(2024, 1, 1)) == Decimal(
        "12000.00"
    )
    inclusive = simple_interest(
        Decimal(50000), Decimal("0.24"), date(2023, 1, 1), date(2023, 12, 31), inclusive=True
    )
    assert inclusive == Decimal("12000.00")
    assert simple_interest(
        Decimal(100000), Decimal("0.12"), date(2023, 3, 11), date(2023, 10, 15)
    ) == Decimal("7167.12")


def test_simple_interest_rejects_reversed_span() -> None:
    with pytest.raises(ToolInputError, match="2023年1月1日"):
        simple_interest(Decimal(1), Decimal("0.1"), date(2023, 1, 1), date(2022, 1, 1))


def test_capped_interest_under_cap_is_not_capped() -> None:
    result = capped_interest(
        Decimal(100000), Decimal("0.12"), date(2023, 3, 10), date(2023, 3, 11), date(2023, 10, 15)
    )
    assert (result.amount, result.rate_used, result.capped) == (Decimal("7167.12"), Decimal("0.12"), False)
    assert result.steps == [
        Step("2023年3月11日至2023年10月15日的利息", "100000 × 12% × 218 / 365", "7167.12")
    ]


def test_capped_interest_over_cap() -> None:
    result = capped_interest(
        Decimal(50000), Decimal("0.24"), date(2023, 3, 1), date(2023, 3, 1), date(2024, 3, 1)
    )
    assert result.capped
    assert result.rate_used == Decimal("0.146")
    assert result.amount == Decimal("7320.00")  # 366 days: 2024 is a leap year
    assert result.steps[0].formula == "50000 × 14.6% × 366 / 365"


def test_capped_interest_old_contract_two_segments() -> None:
    result = capped_interest(
        Decimal(100000), Decimal("0.36"), date(2019, 1, 1), date(2020, 1, 1), date(2021, 1, 1)
    )
    assert [s.formula for s in result.steps] == [
        "100000 × 24% × 232 / 365",
        "100000 × 15.4% × 134 / 365",
        "15254.79 + 5653.70",
    ]
    assert result.amount == Decimal("20908.49")
    assert result.rate_used == Decimal("0.154")
    assert result.capped


def test_allocation_matches_hand_worked_case() -> None:
    allocation = allocate_repayments(
        Decimal(100000),
        Decimal("0.12"),
        date(2023, 3, 10),
        date(2023, 3, 11),
        [(date(2023, 10, 15), Decimal(20000))],
        date(2023, 10, 15),
    )
    assert allocation.principal_left == Decimal("87167.12")
    assert allocation.interest_paid == Decimal("7167.12")
    assert allocation.principal_paid == Decimal("12832.88")
    assert allocation.last_date == date(2023, 10, 15)
    assert [(s.formula, s.result) for s in allocation.steps] == [
        ("100000 × 12% × 218 / 365", "7167.12"),
        ("20000 − 7167.12", "12832.88"),
        ("100000 − 12832.88", "87167.12"),
    ]


def test_allocation_carries_unpaid_interest_without_compounding() -> None:
    allocation = allocate_repayments(
        Decimal(100000),
        Decimal("0.12"),
        date(2023, 3, 10),
        date(2023, 3, 11),
        [(date(2023, 10, 15), Decimal(10000)), (date(2023, 4, 15), Decimal(500))],
        date(2023, 12, 31),
    )
    # 1150.68 accrued by 4-15, 500 paid; 6016.44 more by 10-15 on the full principal (650.68 + 6016.44 due).
    assert allocation.interest_paid == Decimal("7167.12")
    assert allocation.principal_paid == Decimal("3332.88")
    assert allocation.principal_left == Decimal("96667.12")
    assert ("650.68 + 6016.44", "6667.12") in [(s.formula, s.result) for s in allocation.steps]
    assert allocation.interest_unpaid == 0
    assert allocation.last_date == date(2023, 10, 15)


def test_allocation_partial_interest_only() -> None:
    allocation = allocate_repayments(
        Decimal(100000),
        Decimal("0.12"),
        date(2023, 3, 10),
        date(2023, 3, 11),
        [(date(2023, 4, 15), Decimal(500))],
        date(2023, 4, 15),
    )
    assert allocation.principal_left == Decimal(100000)
    assert allocation.interest_unpaid == Decimal("650.68")


def test_allocation_rejects_repayment_outside_span() -> None:
    with pytest.raises(ToolInputError):
        allocate_repayments(
            Decimal(1000),
            Decimal("0.1"),
            date(2023, 1, 1),
            date(2023, 1, 1),
            [(date(2022, 1, 1), Decimal(1))],
            date(2023, 6, 1),
        )

"""Rates: every way a 借条 or complaint states one, turned into an annual fraction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from judgeflow.tools import ToolInputError
from judgeflow.tools.rates import Rate, RateMatch, find_rates, parse_rate, percent_text


@pytest.mark.parametrize(
    ("text", "annual", "basis"),
    [
        ("月利率2%", "0.24", "month"),
        ("年利率24%", "0.24", "year"),
        ("月息1.5分", "0.18", "month"),
        ("月息2分", "0.24", "month"),
        ("一分五厘", "0.18", "month"),
        ("月息一分五厘", "0.18", "month"),
        ("月息8厘", "0.096", "month"),
        ("年息12%", "0.12", "year"),
        ("年息1分", "0.10", "year"),
        ("日利率万分之五", "0.1825", "day"),
        ("年利率百分之六", "0.06", "year"),
        ("年利率百分之一点五", "0.015", "year"),
        ("按年利率6%计算", "0.06", "year"),
        ("约定月利率为1%", "0.12", "month"),
        ("年化利率15.4%", "0.154", "year"),
        ("利息按每月2％计算", "0.24", "month"),
    ],
)
def test_parse_rate(text: str, annual: str, basis: str) -> None:
    rate = parse_rate(text)
    assert rate.annual == Decimal(annual)
    assert rate.basis == basis


def test_parse_rate_keeps_the_words() -> None:
    assert parse_rate("月息2分") == Rate(Decimal("0.24"), "月息2分", "month")
    assert parse_rate("按年利率6%计算").stated == "年利率6%"


@pytest.mark.parametrize("text", ["", "24%", "利率很高", "2023年5分", "年利率百分之"])
def test_parse_rate_rejects(text: str) -> None:
    with pytest.raises(ToolInputError):
        parse_rate(text)


def test_find_rates() -> None:
    text = "2023年3月10日约定月利率1%，逾期按日利率万分之五计算，2023年5分钟后，诉请按年利率12%计算"
    found = find_rates(text)
    assert [(m.quote, m.rate.annual) for m in found] == [
        ("月利率1%", Decimal("0.12")),
        ("日利率万分之五", Decimal("0.1825")),
        ("年利率12%", Decimal("0.12")),
    ]
    first = found[0]
    assert first == RateMatch(12, 17, "月利率1%", Rate(Decimal("0.12"), "月利率1%", "month"))
    assert text[first.start : first.end] == first.quote


def test_find_rates_none_in_plain_dates() -> None:
    assert find_rates("2023年3月5日借款100000元") == []


@pytest.mark.parametrize(
    ("annual", "text"),
    [
        ("0.24", "24%"),
        ("0.154", "15.4%"),
        ("0.138", "13.8%"),
        ("0.1825", "18.25%"),
        ("0.1460", "14.6%"),
        ("0", "0%"),
    ],
)
def test_percent_text(annual: str, text: str) -> None:
    assert percent_text(Decimal(annual)) == text

"""Dates and periods: parsing, finding, writing, and month arithmetic clamped to month ends."""

from __future__ import annotations

from datetime import date

import pytest
from judgeflow.tools import ToolInputError
from judgeflow.tools.dates import (
    DateMatch,
    Period,
    add_months,
    add_period,
    cn_date,
    cn_date_upper,
    find_dates,
    iso,
    parse_date,
    parse_period,
)


@pytest.mark.parametrize(
    "text",
    [
        "2023年3月5日",
        "二〇二三年三月五日",
        "二零二三年三月五日",
        "2023.3.5",
        "2023-03-05",
        "2023/3/5",
        "2023年3月5号",
    ],
)
def test_parse_date(text: str) -> None:
    assert parse_date(text) == date(2023, 3, 5)


def test_parse_date_upper_two_digit_parts() -> None:
    assert parse_date("二〇二三年十二月三十一日") == date(2023, 12, 31)
    assert parse_date("2024年2月29日") == date(2024, 2, 29)


@pytest.mark.parametrize(
    "text", ["2023年2月30日", "二〇二三年二月三十日", "2023.13.1", "2023年3月", "2023-3/5", "三月五日", ""]
)
def test_parse_date_rejects(text: str) -> None:
    with pytest.raises(ToolInputError):
        parse_date(text)


def test_parse_date_message_names_input() -> None:
    with pytest.raises(ValueError, match="2023年2月30日"):
        parse_date("2023年2月30日")


def test_find_dates_precision_and_skips() -> None:
    text = (
        "原告于2023年3月5日借款，2023年2月30日还款，2023年4月起，二〇二四年一月五日判决，2023年度，2023-10-15"
    )
    found = find_dates(text)
    assert found == [
        DateMatch(3, 12, "2023年3月5日", date(2023, 3, 5), "day"),
        DateMatch(28, 35, "2023年4月", date(2023, 4, 1), "month"),
        DateMatch(37, 46, "二〇二四年一月五日", date(2024, 1, 5), "day"),
        DateMatch(49, 54, "2023年", date(2023, 1, 1), "year"),
        DateMatch(56, 66, "2023-10-15", date(2023, 10, 15), "day"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.quote


def test_find_dates_ignores_numbers_and_periods() -> None:
    assert find_dates("借款期限三年，版本1.2023.3.5，编号12023-3-5") == []


def test_writing_dates() -> None:
    d = date(2023, 3, 5)
    assert (iso(d), iso(d, "month"), iso(d, "year")) == ("2023-03-05", "2023-03", "2023")
    assert cn_date(d) == "2023年3月5日"
    assert cn_date_upper(d) == "二〇二三年三月五日"
    assert cn_date_upper(date(2020, 10, 20)) == "二〇二〇年十月二十日"
    assert cn_date_upper(date(2024, 12, 31)) == "二〇二四年十二月三十一日"
    assert parse_date(cn_date_upper(date(2024, 12, 31))) == date(2024, 12, 31)


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 15), 1) == date(2024, 1, 15)
    assert add_months(date(2023, 3, 31), -1) == date(2023, 2, 28)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("六个月", Period(6, "month")),
        ("6个月", Period(6, "month")),
        ("一年", Period(1, "year")),
        ("三年", Period(3, "year")),
        ("两年", Period(2, "year")),
        ("30日", Period(30, "day")),
        ("三十天", Period(30, "day")),
        ("半年", Period(6, "month")),
        ("主债务履行期限届满之日起六个月", Period(6, "month")),
    ],
)
def test_parse_period(text: str, period: Period) -> None:
    assert parse_period(text) == period


def test_period_str() -> None:
    assert str(Period(6, "month")) == "6 months"
    assert str(Period(1, "year")) == "1 year"


@pytest.mark.parametrize("text", ["", "很久", "零个月"])
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(ToolInputError):
        parse_period(text)


def test_add_period() -> None:
    assert add_period(date(2023, 9, 10), Period(6, "month")) == date(2024, 3, 10)
    assert add_period(date(2023, 8, 31), Period(6, "month")) == date(2024, 2, 29)
    assert add_period(date(2023, 1, 1), Period(30, "day")) == date(2023, 1, 31)
    assert add_period(date(2020, 2, 29), Period(1, "year")) == date(2021, 2, 28)


def test_find_dates_gives_each_caller_its_own_list_of_a_remembered_text() -> None:
    text = "2023年3月5日借款，二〇二三年九月五日到期。"
    first = find_dates(text)
    first.append(first[0])
    assert [d.value.isoformat() for d in find_dates(text)] == ["2023-03-05", "2023-09-05"]

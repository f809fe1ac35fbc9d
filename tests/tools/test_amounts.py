"""Money parsing and writing: every way a court file writes an amount, and names left alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from judgeflow.tools import ToolInputError
from judgeflow.tools.amounts import (
    AmountMatch,
    find_amounts,
    format_yuan,
    parse_amount,
    parse_numeral,
    rmb_uppercase,
    yuan_text,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("人民币伍万元整", "50000"),
        ("3万5千元", "35000"),
        ("50,000.00元", "50000"),
        ("50000", "50000"),
        ("5万元", "50000"),
        ("1.5万元", "15000"),
        ("五万元", "50000"),
        ("十二万三千元", "123000"),
        ("两千元", "2000"),
        ("一万五", "15000"),
        ("一千零五元", "1005"),
        ("壹拾万零伍佰元", "100500"),
        ("叁仟贰佰元伍角", "3200.5"),
        ("伍元叁角贰分", "5.32"),
        ("100元零5分", "100.05"),
        ("壹亿零伍万元整", "100050000"),
        ("伍角", "0.5"),
        ("１２，０００元", "12000"),
        ("¥1,234.56", "1234.56"),
    ],
)
def test_parse_amount(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "元", "万元", "abc", "五百三千元", "二五元", "五零五元", "五万美元"])
def test_parse_amount_rejects(text: str) -> None:
    with pytest.raises(ToolInputError):
        parse_amount(text)


def test_parse_amount_error_is_value_error_naming_input() -> None:
    with pytest.raises(ValueError, match="五百三千"):
        parse_amount("五百三千元")


def test_parse_numeral_mixed() -> None:
    assert parse_numeral("3万500") == Decimal("30500")
    assert parse_numeral("一亿二千万") == Decimal("120000000")
    assert parse_numeral("十五") == Decimal("15")


def test_find_amounts_leaves_names_alone() -> None:
    text = "原告张三借给被告李四五万元"
    found = find_amounts(text)
    assert found == [AmountMatch(10, 13, "五万元", Decimal("50000"))]
    assert text[found[0].start : found[0].end] == "五万元"


def test_find_amounts_several_forms() -> None:
    text = "借款人民币3万5千元，已还1,000.50元；另约定利息贰仟元整。共计5000"
    found = find_amounts(text)
    assert [(m.quote, m.value) for m in found] == [
        ("人民币3万5千元", Decimal("35000")),
        ("1,000.50元", Decimal("1000.50")),
        ("贰仟元整", Decimal("2000")),
    ]
    for m in found:
        assert text[m.start : m.end] == m.quote


def test_find_amounts_needs_yuan_or_rmb() -> None:
    assert find_amounts("2023年3月5日，张三、李四等三人到场，借款期限十二个月") == []
    assert find_amounts("借款5万美元") == []


def test_find_amounts_fixture_complaint() -> None:
    text = "被告李强于2023年10月15日归还20000元，余款未还。原告借款100000元"
    assert [m.value for m in find_amounts(text)] == [Decimal("20000"), Decimal("100000")]


def test_format_and_yuan_text() -> None:
    assert format_yuan(Decimal("50000")) == "50000.00"
    assert format_yuan(Decimal("1234.505")) == "1234.51"
    assert yuan_text(Decimal("50000")) == "50000元"
    assert yuan_text(Decimal("50000.00")) == "50000元"
    assert yuan_text(Decimal("1234.5")) == "1234.50元"
    assert yuan_text(Decimal("87167.12")) == "87167.12元"


@pytest.mark.parametrize(
    ("value", "upper"),
    [
        ("50000", "伍万元整"),
        ("1234.5", "壹仟贰佰叁拾肆元伍角"),
        ("100500", "壹拾万零伍佰元整"),
        ("100010", "壹拾万零壹拾元整"),
        ("1001", "壹仟零壹元整"),
        ("10", "壹拾元整"),
        ("0", "零元整"),
        ("1000.05", "壹仟元零伍分"),
        ("100050000", "壹亿零伍万元整"),
        ("1010101", "壹佰零壹万零壹佰零壹元整"),
    ],
)
def test_rmb_uppercase(value: str, upper: str) -> None:
    assert rmb_uppercase(Decimal(value)) == upper


@pytest.mark.parametrize(
    "value",
    ["50000", "1234.5", "0.05", "100010", "300000000.01", "87167.12", "20.3", "1010101", "99999999.99"],
)
def test_uppercase_round_trips(value: str) -> None:
    assert parse_amount(rmb_uppercase(Decimal(value))) == Decimal(value)


def test_rmb_uppercase_rejects_negative() -> None:
    with pytest.raises(ToolInputError):
        rmb_uppercase(Decimal("-1"))


def test_find_amounts_remembers_a_text_but_gives_each_caller_its_own_list() -> None:
    text = "借款本金50000元，利息1,200元。"
    first = find_amounts(text)
    first.clear()  # a caller may change its list
    again = find_amounts(text)
    assert [m.value for m in again] == [Decimal("50000"), Decimal("1200")]
    assert again is not find_amounts(text)


def test_find_amounts_reads_texts_longer_than_the_cached_ones() -> None:
    from judgeflow.tools.amounts import CACHED_TEXT_MAX

    text = "无关。" * (CACHED_TEXT_MAX // 3 + 1) + "借款50000元"
    assert len(text) > CACHED_TEXT_MAX
    assert [m.value for m in find_amounts(text)] == [Decimal("50000")]

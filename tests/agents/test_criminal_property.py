"""涉案财物 and 共同犯罪 read from criminal facts, and the orders that follow (刑法第六十四条, 第二十五条)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from judgeflow.agents.criminal.accomplices import read_joint_crime
from judgeflow.agents.criminal.property import (
    property_orders,
    read_property,
    recovered,
    victim_loss_offence,
)
from judgeflow.tools import ToolInputError

DRUG_SALE = (
    "2016年9月2日20时许，被告人张某以人民币500元的价格将甲基苯丙胺片剂10颗贩卖给何某时被当场抓获。"
    "民警从何某身上查获甲基苯丙胺片剂10颗，并从张某身上查获毒资人民币500元及作案工具手机一部。"
    "经称量，上述毒品重0.94克。"
)


def _kinds(text: str, drug_case: bool = False) -> list[tuple[str, str, Decimal | None]]:
    return [(i.category, i.what, i.amount) for i in read_property(text, drug_case=drug_case)]


def test_drugs_money_and_tools_seized_are_read_with_their_spans() -> None:
    items = read_property(DRUG_SALE, drug_case=True)
    assert [(i.category, i.what, i.amount) for i in items] == [
        ("contraband", "毒品", None),
        ("seized_money", "毒资", Decimal("500")),
        ("instrument", "作案工具", None),
    ]
    for item in items:
        assert DRUG_SALE[item.start : item.end] == item.quote


def test_weighed_drugs_count_as_held_in_a_drug_case_only() -> None:
    text = "被告人李某将一小包海洛因卖给王某。经称量，该包毒品净重0.3克。"
    assert ("contraband", "毒品", None) in _kinds(text, drug_case=True)
    assert _kinds(text, drug_case=False) == []


def test_a_gain_needs_a_sum_and_must_be_the_defendants() -> None:
    assert _kits("被告人从中获利人民币12656元。") == [("gain", "违法所得", Decimal("12656"))]
    assert _kits("组织者谎称最高可获利人民币1040万元。") == []  # a lie told to victims, not a gain
    assert _kits("案发后，其家属返还违法所得款100000元。") == []  # given back already
    assert _kits("被告人为获利而贩卖毒品。") == []  # a motive, no sum


def _kits(text: str) -> list[tuple[str, str, Decimal | None]]:
    return [k for k in _kinds(text) if k[0] == "gain"]


def test_negated_seizure_is_not_read() -> None:
    assert _kinds("公安机关未查获毒品。", drug_case=False) == []


def test_recovered_property_is_read() -> None:
    items = _kinds("被盗手机已追回并发还被害人。")
    assert ("returned", "已追回发还", None) in items
    assert recovered(items)


def test_orders_confiscate_contraband_and_tools_and_say_why() -> None:
    items = _kinds(DRUG_SALE, drug_case=True)
    (order,) = property_orders(items, "被告人张某", None)
    assert order.disposition == "没收"
    assert order.text == "扣押在案的毒品、作案工具、毒资人民币500元予以没收"
    assert "毒品系违禁品" in order.reason and "作案工具系供犯罪所用的本人财物" in order.reason


def test_orders_make_good_a_victims_loss_and_recover_a_gain() -> None:
    (order,) = property_orders([], "被告人王某", Decimal("3400"))
    assert order.text == "责令被告人王某退赔被害人经济损失人民币3400元"
    gains = [("gain", "违法所得", Decimal("600")), ("gain", "违法所得", None)]
    (order,) = property_orders(gains, "被告人郭某", None)  # type: ignore[arg-type]
    assert order.disposition == "追缴" and order.text == "追缴被告人郭某的违法所得人民币600元"
    # A victim's loss is made good, not recovered for the state a second time.
    orders = property_orders(gains, "被告人郭某", Decimal("600"))  # type: ignore[arg-type]
    assert [o.disposition for o in orders] == ["责令退赔"]


def test_a_loss_to_make_good_must_be_positive() -> None:
    with pytest.raises(ToolInputError, match="退赔数额须为正数"):
        property_orders([], "被告人王某", Decimal("0"))


def test_which_offences_take_a_victims_property() -> None:
    assert victim_loss_offence("264") and victim_loss_offence("266") and victim_loss_offence("263")
    assert not victim_loss_offence("272")  # 挪用资金: the funds are to be given back, not made good
    assert not victim_loss_offence("224之一")  # 传销 is not 合同诈骗
    assert not victim_loss_offence("133之一") and not victim_loss_offence("")


@pytest.mark.parametrize(
    ("text", "joint"),
    [
        ("被告人董某某伙同他人砸坏车窗玻璃盗窃财物。", True),
        ("林某甲纠集陈某及被告人黄某一起讨要欠款。", True),
        ("被告人甲与乙共同实施抢劫。", True),
        ("被告人容留陈某、吴某（均另案处理）吸食毒品。", False),  # 另案处理 alone: not an accomplice
        ("被告人李某驾车与陈某共同租赁的车辆停放路边。", False),
    ],
)
def test_joint_crime_is_read_from_words_of_acting_together(text: str, joint: bool) -> None:
    assert (read_joint_crime(text) is not None) is joint

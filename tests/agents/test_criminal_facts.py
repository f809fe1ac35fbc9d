"""Reading criminal facts: defendants, normalized quantities, circumstances with negations, spans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from judgeflow.agents.criminal.facts import read_criminal_facts

THEFT = (
    "公诉机关指控：1、2014年6月，被告人王某在漳县某村王某1家中，窃取现金人民币800元。"
    "2、2014年7月，被告人王某在刘某家中，窃取刘某现金人民币500元。"
    "被告人王某归案后如实供述自己的罪行，并退赔被害人全部损失，取得谅解。"
)


def test_spans_point_into_the_text() -> None:
    facts = read_criminal_facts(THEFT)
    assert facts.names == ("王某",)
    for item in (*facts.quantities, *facts.circumstances, facts.defendants[0]):
        span = item.span
        assert THEFT[span.start : span.end] == span.quote


def test_theft_amounts_are_summed_without_a_total() -> None:
    facts = read_criminal_facts(THEFT)
    assert facts.amount_total() == Decimal(1300)
    assert facts.circumstances_of("王某") >= {"坦白", "退赃退赔", "取得谅解"}


def test_a_stated_total_replaces_the_items() -> None:
    text = THEFT + "综上，被告人王某共计盗窃作案3次，共计价值人民币2500元。"
    facts = read_criminal_facts(text)
    assert facts.amount_total() == Decimal(2500)
    assert facts.times() == 3


@pytest.mark.parametrize("written", ["壹万贰仟元", "1.2万元", "12,000元", "一万二千元", "人民币12000元"])
def test_amounts_in_mixed_forms(written: str) -> None:
    facts = read_criminal_facts(f"被告人李某某骗取被害人张某{written}。")
    assert facts.amount_total() == Decimal(12000)


def test_restitution_and_prices_are_not_taken_amounts() -> None:
    text = "被告人陈某以人民币200元的价格向李某贩卖甲基苯丙胺0.2克。案发后被告人陈某赔偿被害人5000元。"
    facts = read_criminal_facts(text)
    assert facts.amount_total() is None
    labels = {q.label for q in facts.quantities if q.kind == "amount"}
    assert labels == {"price", "restitution"}


def test_drug_grams_by_drug() -> None:
    text = (
        "被告人施某某在室内被民警抓获，民警查获施某某的海洛因7.67克、甲基苯丙胺1.29克，"
        "另查获净重0.5克的白色晶体，经鉴定检出氯胺酮成分；冰毒0.2克。"
    )
    grams = read_criminal_facts(text).drug_grams()
    assert grams["海洛因"] == Decimal("7.67")
    assert grams["甲基苯丙胺"] == Decimal("1.49")
    assert grams["氯胺酮"] == Decimal("0.5")


@pytest.mark.parametrize(
    "written",
    ["血液中乙醇含量为125.07mg/100ml", "血液中乙醇含量为125.07毫克／100毫升", "含量为每百毫升125.07毫克"],
)
def test_blood_alcohol(written: str) -> None:
    facts = read_criminal_facts(f"被告人李春朋酒后驾驶小型轿车被查获。经检测，被告人李春朋{written}。")
    assert facts.bac() == Decimal("125.07")
    assert facts.drug_grams() == {}


def test_injuries_deaths_and_people() -> None:
    text = "被告人赵某持刀将被害人刘某、花某砍伤，致2人轻伤二级、1人轻微伤。被告人赵某先后容留5人次吸食毒品。"
    facts = read_criminal_facts(text)
    assert facts.injuries() == {"轻伤二级": 2, "轻微伤": 1}
    assert facts.persons() == 5
    crash = read_criminal_facts("被告人钱某驾车与行人相撞，造成1人当场死亡，经鉴定不构成轻伤。")
    assert crash.deaths() == 1 and crash.injuries() == {}


def test_negations_are_kept_and_marked() -> None:
    text = "被告人孙某某未取得被害人谅解，拒不退赃。公诉机关认为其不构成自首，但其到案后如实供述。"
    facts = read_criminal_facts(text)
    negated = {c.name for c in facts.circumstances if c.negated}
    assert {"取得谅解", "退赃退赔", "自首"} <= negated
    assert facts.has("坦白") and not facts.has("自首") and not facts.has("取得谅解")


def test_defendant_details_custody_and_recidivism() -> None:
    text = (
        "被告人吴某1，男，2001年3月17日出生。2017年12月23日因本案被刑事拘留，2018年1月5日被取保候审，"
        "2018年2月8日被逮捕。被告人张某甲，女，1980年1月1日出生，曾因犯盗窃罪于2013年5月被判处有期徒刑二年，"
        "2015年3月1日刑满释放。2017年6月1日，被告人吴某1、张某甲共同盗窃他人财物价值人民币3000元。"
    )
    facts = read_criminal_facts(text)
    assert facts.names == ("吴某1", "张某甲")
    wu = facts.defendant("吴某1")
    assert wu is not None and wu.gender == "男" and wu.birth_date == date(2001, 3, 17)
    assert wu.minor and facts.has("未成年", "吴某1") and not facts.has("未成年", "张某甲")
    assert [(c.kind, c.on) for c in wu.custody] == [
        ("刑事拘留", date(2017, 12, 23)),
        ("取保候审", date(2018, 1, 5)),
        ("逮捕", date(2018, 2, 8)),
    ]
    zhang = facts.defendant("张某甲")
    assert zhang is not None and zhang.gender == "女"
    assert zhang.prior and zhang.prior[0].release_date == date(2015, 3, 1)
    assert facts.has("累犯", "张某甲") and not facts.has("累犯", "吴某1")


def test_minor_victim_is_not_a_minor_defendant() -> None:
    facts = read_criminal_facts("被告人燕某明知被害人系未成年人，仍与其发生性关系。")
    assert facts.has("犯罪对象为未成年人") and not facts.has("未成年")


def test_prosecution_recommendation() -> None:
    text = "被告人施某某自愿认罪认罚，建议判处被告人施某某有期徒刑二年六个月以上二年九个月以下，罚金人民币五千元。"
    rec = read_criminal_facts(text).recommendation("施某某")
    assert rec is not None and (rec.kind, rec.low_months, rec.high_months) == ("有期徒刑", 30, 33)
    assert rec.fine_yuan == Decimal(5000)
    facts = read_criminal_facts(text)
    assert facts.has("认罪认罚")
    assert facts.quantities == () or all(q.kind != "amount" for q in facts.quantities)


def test_no_defendant_found() -> None:
    facts = read_criminal_facts("某日某地发生一起盗窃案件，价值人民币1000元。")
    assert facts.defendants == () and facts.warnings
    assert facts.amount_total() == Decimal(1000)

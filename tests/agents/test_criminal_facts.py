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


def test_a_weight_asked_for_or_bought_gives_way_to_the_weight_sold() -> None:
    text = (
        "购毒人员张甲以人民币200元的价格向被告人张某乙购买1克冰毒。被告人张某乙携带0.95克甲基苯丙胺至约定地点，"
        "被民警人赃俱获。"
    )
    assert read_criminal_facts(text).drug_grams() == {"甲基苯丙胺": Decimal("0.95")}
    # With no other weight, the one bought is the quantity.
    only = read_criminal_facts("被告人李某向他人购买冰毒3克后被抓获。")
    assert only.drug_grams() == {"甲基苯丙胺": Decimal(3)}


def test_blood_alcohol_written_per_100ml_first() -> None:
    facts = read_criminal_facts("经检测，被告人李某每100毫升血液中乙醇含量为174.3422毫克。")
    assert facts.bac() == Decimal("174.3422")


def test_drunk_driving_liability_and_no_licence() -> None:
    text = "被告人乔某某醉酒后无机动车驾驶证驾驶二轮摩托车，与他人车辆相撞。经交警认定，被告人乔某某负事故的主要责任。"
    facts = read_criminal_facts(text)
    assert facts.has("负事故主要责任") and facts.has("无证驾驶")
    # The main responsibility of someone else is not the defendant's.
    other = read_criminal_facts(
        "被告人乔某某醉酒驾驶摩托车与金某某驾驶的货车相撞。在该起事故中金某某承担主要责任，乔某某承担次要责任。"
    )
    assert not other.has("负事故主要责任")
    assert not read_criminal_facts("被告人李某醉酒驾驶机动车被民警查获。").has("负事故主要责任")


def test_release_certificate_in_evidence_presumes_recidivism() -> None:
    text = (
        "被告人陈某多次骗取他人财物。上述事实，有被告人陈某的户籍材料、前科材料、刑满释放证明书、"
        "抓获经过等证据证实。"
    )
    facts = read_criminal_facts(text)
    recidivism = [c for c in facts.circumstances if c.name == "累犯"]
    assert len(recidivism) == 1 and recidivism[0].presumed and facts.has("累犯", "陈某")
    # Not presumed for a minor, nor when the text already rules on it.
    minor = read_criminal_facts("被告人王某，时年17岁。有被告人王某的刑满释放证明书等证据证实。")
    assert not minor.has("累犯")
    denied = read_criminal_facts("被告人陈某不构成累犯。有被告人陈某的刑满释放证明书等证据证实。")
    assert not denied.has("累犯") and not any(c.presumed for c in denied.circumstances if c.name == "累犯")
    none = read_criminal_facts("被告人陈某盗窃他人财物。有被告人陈某的户籍证明、释放证明等证据证实。")
    assert not none.has("累犯")
    archive = read_criminal_facts(
        "被告人文某盗窃他人财物。有刑事判决书、浙江省南湖监狱罪犯档案资料等证据证实。"
    )
    assert archive.has("累犯", "文某")


def test_coming_in_of_ones_own_accord_is_surrender() -> None:
    facts = read_criminal_facts("同年4月6日，被告人刘某接公安民警通知后主动到案，如实供述了犯罪事实。")
    assert facts.has("自首", "刘某")


def test_a_date_after_a_masked_name_is_not_part_of_it() -> None:
    text = "被告人杨某某在家中加工熟食出售。另查明：被告人杨某某2013年11月12日主动到公安机关投案。"
    assert read_criminal_facts(text).names == ("杨某某",)
    numbered = read_criminal_facts("被告人吴某1伙同被告人吴某2盗窃。被告人吴某1、被告人吴某2均如实供述。")
    assert numbered.names == ("吴某1", "吴某2")


def test_an_amount_taken_under_a_pretext_is_taken() -> None:
    text = "被告人张某某盗窃财物，价值人民币3000元。被告人张某某以借款为名骗取被害人李某某人民币20000元。"
    facts = read_criminal_facts(text)
    assert facts.amount_total() == Decimal(23000)
    loan = read_criminal_facts("被告人王某向李某借款5000元未还。")
    assert loan.amount_total() is None


def test_a_bare_injury_grade_beside_its_finer_grade_is_the_same_injury() -> None:
    text = "被告人董某驾车将行人撞成重伤。经鉴定，被害人的损伤程度为重伤二级，另一人轻微伤。"
    assert read_criminal_facts(text).injuries() == {"重伤二级": 1, "轻微伤": 1}
    two = read_criminal_facts("被告人赵某致2人轻伤，其中1人经鉴定为轻伤一级。")
    assert two.injuries() == {"轻伤一级": 1, "轻伤": 1}


def test_a_large_purchase_with_small_sales_named_is_kept() -> None:
    text = "被告人李某从他人处购买冰毒100克，后分别贩卖给张某2克、王某3克。"
    assert read_criminal_facts(text).drug_grams() == {"甲基苯丙胺": Decimal(105)}


def test_a_defendant_said_to_be_a_minor_is_one() -> None:
    facts = read_criminal_facts("被告人张某甲醉酒驾驶摩托车。其辩护意见是，被告人张某甲系未成年人，已赔偿。")
    assert facts.has("未成年", "张某甲") and not facts.has("犯罪对象为未成年人")

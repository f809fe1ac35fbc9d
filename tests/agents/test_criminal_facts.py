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


def test_acceptance_of_the_facts_charged_presumes_confession() -> None:
    # "…在开庭审理过程中均无异议" is the record's formula for a defendant who accepts the charge.
    facts = read_criminal_facts("被告人张某贩卖毒品一次。上述事实，被告人张某在开庭审理过程中均无异议。")
    confession = [c for c in facts.circumstances if c.name == "坦白"]
    assert confession and confession[0].presumed and facts.has("坦白", "张某")
    # "不否认" admits; a denial still stops the presumption.
    assert read_criminal_facts("被告人纪某对被指控的犯罪事实不否认，亦无异议。").has("坦白")
    assert not read_criminal_facts("被告人纪某否认犯罪，对指控事实有异议。").has("坦白")
    assert not read_criminal_facts("审判长询问被告人纪某对起诉书有无异议。被告人纪某否认。").has("坦白")


def test_release_certificate_in_a_drug_case_presumes_drug_recidivism() -> None:
    # 刑法第三百五十六条: any earlier sentence for a listed drug offence; a release certificate records one.
    drug = read_criminal_facts(
        "被告人闵某以人民币1200元的价格将甲基苯丙胺4.74克贩卖给陈某。有刑事判决书、释放证明等证据证实。"
    )
    assert drug.has("毒品再犯", "闵某") and all(
        c.presumed for c in drug.circumstances if c.name == "毒品再犯"
    )
    # A bare 释放证明 proves no fixed term served: no 累犯 from it.
    assert not drug.has("累犯")
    theft = read_criminal_facts("被告人陈某盗窃他人财物。有被告人陈某的刑事判决书、释放证明等证据证实。")
    assert not theft.has("毒品再犯")
    # A prior offence named and outside 第三百五十六条's list: no 毒品再犯 (the 累犯 presumption stands).
    other = read_criminal_facts(
        "被告人冯某曾因犯盗窃罪于2014年3月4日被判处有期徒刑一年，2015年4月17日刑满释放。"
        "2016年7月9日，被告人冯某贩卖甲基苯丙胺0.5克。有刑满释放证明书等证据证实。"
    )
    assert other.has("累犯", "冯某") and not other.has("毒品再犯")
    # 容留他人吸毒罪 is a drug offence but not one 第三百五十六条 lists.
    harbouring = read_criminal_facts(
        "被告人罗某曾因犯容留他人吸毒罪于2015年3月4日被判处有期徒刑八个月。"
        "2016年7月9日，被告人罗某贩卖甲基苯丙胺0.5克。"
    )
    assert harbouring.has("前科", "罗某") and not harbouring.has("毒品再犯")
    selling = read_criminal_facts(
        "被告人罗某曾因犯贩卖毒品罪于2015年3月4日被判处有期徒刑八个月。2016年7月9日，被告人罗某贩卖甲基苯丙胺0.5克。"
    )
    assert selling.has("毒品再犯", "罗某")


def test_a_birth_date_after_another_persons_name_is_not_the_defendants() -> None:
    facts = read_criminal_facts(
        "2018年5月20日，被告人唐某通过网络认识了被害人林某（2001年11月23日出生），后与其发生性关系。"
    )
    assert facts.defendants[0].birth_date is None and not facts.has("未成年")
    child = read_criminal_facts("被告人陈某与姚某以夫妻名义共同生活，并于2015年7月30日生育一子。")
    assert not child.defendants[0].minor
    own = read_criminal_facts("被告人吴某，男，2001年3月17日出生。2017年6月，被告人吴某盗窃他人财物。")
    assert own.defendants[0].birth_date == date(2001, 3, 17) and own.has("未成年", "吴某")


def test_a_bracketed_note_on_someone_else_is_not_the_defendants_minority() -> None:
    facts = read_criminal_facts("被告人李某在其出租房内多次容留冯某（未成年）、冉某吸食冰毒。")
    assert not facts.has("未成年") and facts.has("犯罪对象为未成年人")


def test_a_role_argued_only_by_the_defence_is_not_a_circumstance() -> None:
    defence = read_criminal_facts(
        "被告人卢某参与持械斗殴。辩护人提出被告人卢某在共同犯罪中作用较小，系从犯，其有坦白情节。"
    )
    assert not defence.has("从犯") and defence.has("坦白")
    appeal = read_criminal_facts("上诉人李某的上诉理由是：在共同犯罪中，上诉人系从犯，应从轻处罚。")
    assert not appeal.has("从犯")
    attempt = read_criminal_facts("被告人赵某提出其未插入，应属犯罪未遂的辩解，与查明的事实不符。")
    assert not attempt.has("未遂")
    # The prosecution's view and the facts found still count.
    prosecution = read_criminal_facts("公诉机关认为被告人王某具有如实供述犯罪事实、犯罪中止等情节。")
    assert prosecution.has("中止")
    found = read_criminal_facts("被告人岳某乙、岳某丙是从犯，应当从轻或者减轻处罚。")
    assert found.has("从犯")
    # 从犯罪数额中扣除 (deducted from the sum of the crime) names no accessory.
    assert not read_criminal_facts("被告人王某辩称其中9万元应从犯罪数额中扣除。").has("从犯")


def test_a_psychiatric_appraisal_alone_is_not_diminished_responsibility() -> None:
    # 刑法第十八条第三款 turns on a finding, not on an appraisal being in evidence or a victim's illness.
    appraisal = read_criminal_facts("被告人姚某强行与被害人发生性关系。有法医精神病鉴定意见书等证据证实。")
    assert not appraisal.has("限制刑事责任能力")
    victim = read_criminal_facts("被告人章某在明知被害人章某1系精神病人的情况下，使用暴力手段对其实施奸淫。")
    assert not victim.has("限制刑事责任能力")
    finding = read_criminal_facts("经鉴定，被告人马某患精神分裂症，作案时具有限定刑事责任能力。")
    assert finding.has("限制刑事责任能力")


def test_defendants_listed_after_the_first_are_read() -> None:
    facts = read_criminal_facts(
        "公诉机关指控，被告人胡某某、钟某某为经营漂流景点牟利，擅自占用林地。经鉴定，被告人胡某某、钟某某占用林地8.94亩。"
    )
    assert facts.names == ("胡某某", "钟某某")
    # Someone listed beside the defendant whose case is handled apart is not on trial here.
    apart = read_criminal_facts(
        "被告人张方、常某1为领班，负责管理卖淫女。有被告人张方的供述，同案犯赵某、常某1的供述等证据证实。"
    )
    assert apart.names == ("张方",)


def test_a_masked_name_keeps_its_last_character() -> None:
    # 陈某辉: surname and last character kept, 某 between; read whole when every mention has it.
    facts = read_criminal_facts("被告人陈某辉于2019年3月5日盗窃财物价值500元。被告人陈某辉到案后如实供述。")
    assert facts.names == ("陈某辉",)
    # 陈某盗窃 is 陈某 who steals, however often it is said.
    assert read_criminal_facts("被告人陈某盗窃手机一部。陈某盗窃后逃跑。").names == ("陈某",)
    assert read_criminal_facts("被告人陈某在超市盗窃，陈某到案后如实供述。").names == ("陈某",)

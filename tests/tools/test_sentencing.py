"""The sentencing calculator: each charge's arithmetic, overrides, 数罪并罚, term dates, probation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from judgeflow.tools.sentencing import (
    OffenceInput,
    ProsecutionRecommendation,
    SentencingInputError,
    SentencingUnavailable,
    canonical_charge,
    combine,
    parse_term_months,
    propose_sentence,
    supported_charges,
    term_dates,
    term_text,
)


def _steps(p):  # type: ignore[no-untyped-def]
    return {s.id: s for s in p.steps}


def test_theft_steps_follow_the_guideline() -> None:
    # 12,000 yuan: start 6 months, +1 month per 2,500 above 2,000 → 6 + 4 = 10; 坦白 −10% → 9.
    p = propose_sentence(
        OffenceInput("盗窃罪", amount_yuan=Decimal(12000), circumstances=frozenset({"坦白"}))
    )
    s = _steps(p)
    assert s["starting_point"].months_after == 6
    assert s["base"].months_after == 10
    assert s["adj:坦白"].ratio == -0.1
    assert s["adj:坦白"].months_after == pytest.approx(9)
    assert (p.kind, p.months) == ("有期徒刑", 9)
    assert p.fine_yuan == Decimal(6000)  # half the amount, rounded to 1,000
    assert 67 in p.articles and 264 in p.articles and {52, 53} <= set(p.articles)
    assert p.text.startswith("判处有期徒刑九个月")


def test_first_group_multiplies_then_the_rest_add() -> None:
    # 诈骗 60,000: tier 数额巨大 start 36, +0 (10,000 / 15,000 per month) → 36.
    circ = frozenset({"从犯", "未遂", "自首", "退赃退赔"})
    p = propose_sentence(OffenceInput("诈骗罪", amount_yuan=Decimal(60000), circumstances=circ))
    s = _steps(p)
    first = 36 * (1 - 0.25) * (1 - 0.35)  # 未遂 then 从犯, one after another
    assert s["adj:从犯"].months_after == pytest.approx(first)
    assert s["adj:退赃退赔"].months_after == pytest.approx(first * (1 - 0.2 - 0.15))
    # Mitigation goes below the tier's minimum (36), but not below the lower tier's.
    assert p.months == round(first * 0.65)
    assert p.step("result").articles == (63,)  # type: ignore[union-attr]
    assert {23, 27, 25, 67, 64} <= set(p.articles)  # 64 through the 退赃退赔 step's own link


def test_without_a_mitigating_circumstance_the_tier_minimum_holds() -> None:
    p = propose_sentence(
        OffenceInput("盗窃罪", amount_yuan=Decimal(60000), circumstances=frozenset({"坦白", "退赃退赔"}))
    )
    assert p.months == 36


def test_recidivism_adds_at_least_three_months_and_bars_probation() -> None:
    p = propose_sentence(OffenceInput("盗窃罪", amount_yuan=Decimal(2000), circumstances=frozenset({"累犯"})))
    s = _steps(p)
    assert s["adj:累犯"].months_after == pytest.approx(6 + 3)
    assert p.probation_months is None and 65 in p.articles


@pytest.mark.parametrize(
    ("offence", "kind", "months"),
    [
        (OffenceInput("危险驾驶罪", bac_mg_per_100ml=Decimal(200)), "拘役", 1 + 2),  # +1 per 50 mg
        (OffenceInput("危险驾驶罪", bac_mg_per_100ml=Decimal(95)), "拘役", 1),
        (OffenceInput("交通肇事罪", deaths=1), "有期徒刑", 12),
        (OffenceInput("交通肇事罪", deaths=1, circumstances=frozenset({"逃逸"})), "有期徒刑", 36),
        (OffenceInput("抢劫罪", amount_yuan=Decimal(3000)), "有期徒刑", 37),
        (OffenceInput("故意伤害罪", injuries={"轻伤二级": 1}), "有期徒刑", 12),  # middle of 1-24 months
        (OffenceInput("故意伤害罪", injuries={"轻伤二级": 2}), "有期徒刑", 12 + 4),
        (OffenceInput("强奸罪", times=1), "有期徒刑", 36),
        (OffenceInput("寻衅滋事罪"), "有期徒刑", 10),  # harm is added on top of the bare act
        (OffenceInput("聚众斗殴罪"), "有期徒刑", 12),
        (OffenceInput("敲诈勒索罪", amount_yuan=Decimal(9000)), "有期徒刑", 8),
        (OffenceInput("非法拘禁罪"), "有期徒刑", 6),
        (OffenceInput("职务侵占罪", amount_yuan=Decimal(100000)), "有期徒刑", 12 + 2),
        (OffenceInput("掩饰、隐瞒犯罪所得罪", amount_yuan=Decimal(20000)), "有期徒刑", 6 + 4),
        (OffenceInput("贩卖毒品罪", drug_grams={"甲基苯丙胺": Decimal("4.5")}), "有期徒刑", 6 + 4 * 2),
        (OffenceInput("贩卖毒品罪", drug_grams={"海洛因": Decimal("12")}), "有期徒刑", 84 + 3),
        (OffenceInput("贩卖毒品罪", drug_grams={"氯胺酮": Decimal("600")}), "有期徒刑", 180),
        (OffenceInput("非法持有毒品罪", drug_grams={"甲基苯丙胺": Decimal("14")}), "有期徒刑", 8),
        (OffenceInput("容留他人吸毒罪", times=4), "有期徒刑", 8),
        (OffenceInput("介绍卖淫罪", times=3), "有期徒刑", 12 + 2),
        (OffenceInput("合同诈骗罪", amount_yuan=Decimal(50000)), "有期徒刑", 9),
        (OffenceInput("信用卡诈骗罪", amount_yuan=Decimal(80000)), "有期徒刑", 12 + 3),
        (OffenceInput("妨害公务罪", injuries={"轻微伤": 1}), "有期徒刑", 6),
        (OffenceInput("开设赌场罪", gambling_profit=Decimal(9000)), "有期徒刑", 12 + 3),
        (OffenceInput("帮助信息网络犯罪活动罪", amount_yuan=Decimal(400000)), "有期徒刑", 8),
        (OffenceInput("污染环境罪"), "有期徒刑", 10),
    ],
)
def test_each_charge_computes(offence: OffenceInput, kind: str, months: int) -> None:
    p = propose_sentence(offence)
    assert (p.kind, p.months) == (kind, months)


def test_short_terms_become_detention_and_fines_follow_the_rule() -> None:
    p = propose_sentence(OffenceInput("盗窃罪", amount_yuan=Decimal(2500), circumstances=frozenset({"坦白"})))
    assert (p.kind, p.months) == ("拘役", 5)  # 6 × 0.9 = 5.4
    assert p.fine_yuan == Decimal(1000)


def test_drug_sales_three_times_or_more_are_serious() -> None:
    # 法释〔2016〕8号第四条: 多次贩卖毒品 (three times or more) is 情节严重, the 3-7 year tier.
    once = propose_sentence(OffenceInput("贩卖毒品罪", drug_grams={"甲基苯丙胺": Decimal("0.5")}, times=2))
    thrice = propose_sentence(OffenceInput("贩卖毒品罪", drug_grams={"甲基苯丙胺": Decimal("0.5")}, times=3))
    assert once.months == 6 and once.kind == "有期徒刑"
    assert thrice.months == 36 and "情节严重" in thrice.steps[0].label
    assert thrice.fine_yuan == Decimal(8000)  # 1,000 + 200 × 36 = 8,200, rounded to 1,000


def test_drunk_driving_accident_liability_and_no_licence_aggravate() -> None:
    # 80 + 50 mg → +1 month; main responsibility for an accident and 无证驾驶 +1 month each
    # (醉驾意见 2023 第十条); fine 1,000 + 1,000 a month.
    p = propose_sentence(
        OffenceInput(
            "危险驾驶罪",
            bac_mg_per_100ml=Decimal(135),
            circumstances=frozenset({"负事故主要责任", "无证驾驶"}),
        )
    )
    s = _steps(p)
    assert s["base"].months_after == 1 + 1 + 2
    assert "负事故主要责任增加1个月" in s["base"].basis and "第十条" in s["base"].basis
    assert (p.kind, p.months, p.fine_yuan) == ("拘役", 4, Decimal(5000))
    plain = propose_sentence(OffenceInput("危险驾驶罪", bac_mg_per_100ml=Decimal(129)))
    assert plain.months == 1 and plain.fine_yuan == Decimal(2000)


def test_overrides_recompute_from_the_judges_value() -> None:
    offence = OffenceInput("盗窃罪", amount_yuan=Decimal(12000), circumstances=frozenset({"自首"}))
    p = propose_sentence(offence, {"starting_point": 8, "adj:自首": -0.4, "fine": 5000})
    s = _steps(p)
    assert s["starting_point"].set_by == "judge" and s["starting_point"].months_after == 8
    assert s["base"].months_after == 12
    assert s["adj:自首"].months_after == pytest.approx(12 * 0.6) and s["adj:自首"].set_by == "judge"
    assert p.months == 7 and p.fine_yuan == Decimal(5000)
    assert propose_sentence(offence, {"result": 10}).months == 10
    with pytest.raises(SentencingInputError):
        propose_sentence(offence, {"no_such_step": 1})
    with pytest.raises(SentencingInputError):
        propose_sentence(offence, {"base": "twelve"})


def test_probation_rules() -> None:
    ok = propose_sentence(
        OffenceInput(
            "危险驾驶罪", bac_mg_per_100ml=Decimal(120), circumstances=frozenset({"坦白", "认罪认罚"})
        )
    )
    assert (ok.kind, ok.months, ok.probation_months) == ("拘役", 1, 2)  # ≥ term, ≥ 2 months
    assert {72, 73} <= set(ok.articles) and "缓刑二个月" in ok.text
    yes = propose_sentence(
        OffenceInput("故意伤害罪", injuries={"轻伤二级": 1}, circumstances=frozenset({"坦白", "取得谅解"}))
    )
    assert yes.months == 10 and yes.probation_months == 15  # 1.5 × the term; 有期徒刑: at least one year
    no_repentance = propose_sentence(OffenceInput("故意伤害罪", injuries={"轻伤二级": 1}))
    assert no_repentance.probation_months is None
    too_long = propose_sentence(
        OffenceInput("盗窃罪", amount_yuan=Decimal(200000), circumstances=frozenset({"坦白"}))
    )
    assert too_long.months > 36 and too_long.step("probation") is None
    refused = propose_sentence(
        OffenceInput(
            "危险驾驶罪", bac_mg_per_100ml=Decimal(120), circumstances=frozenset({"坦白", "认罪认罚"})
        ),
        {"probation": 0},
    )
    assert refused.probation_months is None


def test_prosecution_recommendation_bounds_the_result() -> None:
    rec = ProsecutionRecommendation("有期徒刑", 24, 30, Decimal(5000))
    p = propose_sentence(OffenceInput("贩卖毒品罪", drug_grams={"海洛因": Decimal("1")}, recommendation=rec))
    assert p.months == 24 and p.fine_yuan == Decimal(5000)
    assert p.step("recommendation") is not None


def test_combine_follows_article_69() -> None:
    a = propose_sentence(OffenceInput("诈骗罪", amount_yuan=Decimal(60000)))
    b = propose_sentence(OffenceInput("盗窃罪", amount_yuan=Decimal(12000)))
    c = combine([a, b])
    assert (c.kind, c.months) == ("有期徒刑", 36 + 10 // 2)
    assert c.fine_yuan == (a.fine_yuan or 0) + (b.fine_yuan or 0)
    assert 69 in c.articles and c.text.startswith("决定执行有期徒刑")
    d1 = propose_sentence(OffenceInput("危险驾驶罪", bac_mg_per_100ml=Decimal(300)))
    d2 = propose_sentence(OffenceInput("危险驾驶罪", bac_mg_per_100ml=Decimal(300)))
    assert combine([d1, d2]).months == d1.months + d2.months // 2
    # A fixed term absorbs detention.
    assert combine([a, d1]).kind == "有期徒刑" and combine([a, d1]).months == 36
    # Total under 35 years → at most 20 years.
    big = propose_sentence(OffenceInput("盗窃罪", amount_yuan=Decimal(4_000_000)))
    assert combine([big, big]).months == 240
    # Total of 35 years or more → at most 25 years.
    assert combine([big, big, big]).months == 300
    with pytest.raises(SentencingInputError):
        combine([])


def test_term_dates_continuous_custody() -> None:
    t = term_dates("有期徒刑", 10, [(date(2017, 5, 18), None)], date(2017, 9, 12))
    assert (t.start, t.end) == (date(2017, 5, 18), date(2018, 3, 17))
    assert "即自2017年5月18日起至2018年3月17日止" in t.text


def test_term_dates_interrupted_custody_credits_earlier_days() -> None:
    custody = [(date(2017, 12, 23), date(2018, 1, 5)), (date(2018, 2, 8), None)]
    t = term_dates("有期徒刑", 18, custody, date(2018, 2, 8))
    assert t.credited_days == 14
    assert (t.start, t.end) == (date(2018, 2, 8), date(2019, 7, 24))


def test_term_dates_surveillance_credits_two_days_and_probation_has_none() -> None:
    t = term_dates("管制", 6, [(date(2020, 1, 1), date(2020, 1, 10))], date(2020, 3, 1))
    assert t.credited_days == 20 and t.start == date(2020, 3, 1) and t.end == date(2020, 8, 11)
    assert "折抵刑期二日" in t.text
    p = term_dates("拘役", 2, [(date(2020, 1, 1), None)], date(2020, 3, 1), probation=True)
    assert p.start is None and "判决确定之日" in p.text


def test_unknown_charge_and_bad_inputs() -> None:
    with pytest.raises(SentencingUnavailable) as err:
        propose_sentence(OffenceInput("劫持航空器罪"))
    assert "盗窃罪" in str(err.value) and "暂不支持" in str(err.value)
    with pytest.raises(SentencingInputError):
        propose_sentence(OffenceInput("盗窃罪", amount_yuan=Decimal(-5)))
    missing = propose_sentence(OffenceInput("盗窃罪"))
    assert missing.warnings and missing.step("starting_point").warnings  # type: ignore[union-attr]


def test_names_terms_and_supported_list() -> None:
    assert canonical_charge("贩卖毒品罪") == "走私、贩卖、运输、制造毒品罪"
    assert canonical_charge("盗窃") == "盗窃罪"
    assert canonical_charge("劫持航空器罪") is None
    assert {"开设赌场罪", "危险驾驶罪", "帮助信息网络犯罪活动罪"} <= set(supported_charges())
    assert parse_term_months("有期徒刑一年六个月") == 18
    assert parse_term_months("1年零6个月") == 18
    assert parse_term_months("拘役五个月") == 5
    assert parse_term_months("没有刑期") is None
    assert term_text(42) == "三年六个月" and term_text(7) == "七个月" and term_text(24) == "二年"


def test_fifty_grams_of_heroin_bring_confiscation_not_a_fine() -> None:
    # 刑法第三百四十七条第二款: 十五年有期徒刑…并处没收财产 — no 罚金; the amount is the judge's.
    p = propose_sentence(OffenceInput("贩卖毒品罪", drug_grams={"甲基苯丙胺": Decimal("101.79")}))
    assert (p.months, p.fine_yuan) == (180, None)
    step = p.step("confiscation")
    assert step is not None and "没收财产" in step.label and 59 in p.articles and 52 not in p.articles
    # A judge's fine still stands.
    assert propose_sentence(
        OffenceInput("贩卖毒品罪", drug_grams={"海洛因": Decimal(60)}), {"fine": 50000}
    ).fine_yuan
    # Below fifty grams the fine rule applies.
    assert propose_sentence(OffenceInput("贩卖毒品罪", drug_grams={"海洛因": Decimal(20)})).fine_yuan


def test_a_minors_fine_is_reduced_and_may_go_down_to_500_yuan() -> None:
    # 法释〔2000〕45号第二条: 对未成年人犯罪应当从轻或者减轻判处罚金，最低不少于五百元.
    adult = propose_sentence(OffenceInput("盗窃罪", amount_yuan=Decimal(30000)))
    minor = propose_sentence(
        OffenceInput("盗窃罪", amount_yuan=Decimal(30000), circumstances=frozenset({"未成年"}))
    )
    assert adult.fine_yuan == Decimal(15000) and minor.fine_yuan == Decimal(11000)  # 15,000 × 0.7 = 10,500
    assert "五百元" in minor.step("fine").basis  # type: ignore[union-attr]
    small = propose_sentence(
        OffenceInput("盗窃罪", amount_yuan=Decimal(2000), age=15, circumstances=frozenset({"未成年"}))
    )
    assert small.fine_yuan == Decimal(500)  # 1,000 × 0.55 = 550 → 500


def test_a_drug_sale_alone_does_not_cite_article_64() -> None:
    # Article 64 comes with an order on the seized property (agents/criminal/property.py).
    p = propose_sentence(OffenceInput("贩卖毒品罪", drug_grams={"海洛因": Decimal("0.5")}))
    assert p.months > 0 and 64 not in p.articles

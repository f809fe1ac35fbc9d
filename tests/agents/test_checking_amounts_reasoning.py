"""The checks that read the court's figures against the rest of the text and the readings that keep
real judgments from false alarms: a clause of the record restated in 本院认为 with its figure slipped,
a working given in brackets (15004元（1364元／月×11个月）), a rate per unit the court gives two ways,
two figures run together, custody broken off by bail, masked names, and an arrest made when the
judgment is pronounced."""

from __future__ import annotations

from decimal import Decimal

import pytest
from judgeflow.agents.checking.arithmetic import find_bracketed_calculations, find_calculations
from judgeflow.agents.checking.judgment import check_judgment_text
from judgeflow.agents.checking.persons import similar, whole_name
from judgeflow.graph.state import Finding

THEFT = """江苏省某县人民法院 刑事判决书 （2019）苏0100刑初12号 公诉机关某县人民检察院。 \
被告人{name}，男，1990年1月1日出生，汉族，初中文化。{custody} \
某县人民检察院以某检刑诉（2019）10号起诉书指控被告人王某犯盗窃罪，于2019年6月3日向本院提起公诉。\
本院依法适用简易程序，公开开庭审理了本案。现已审理终结。 \
公诉机关指控，2019年3月至5月，被告人王某以非法占有为目的，多次入室盗窃他人财物，共计价值人民币2500元。 \
经审理查明，被告人王某先后6次入室窃取现金及手机，所得赃款已挥霍。 \
本院认为，被告人王某以非法占有为目的，多次入室盗窃他人财物，共计价值人民币{value}，数额较大，其行为已构成盗窃罪。\
判决如下： 被告人{convicted}犯盗窃罪，判处有期徒刑{term}，并处罚金人民币二千元。 （刑期从判决执行之日起计算。\
判决执行以前先行羁押的，羁押一日折抵刑期一日，即自{began}起至{release}止。） \
如不服本判决，可在接到判决书的第二日起十日内提出上诉。 审判员李某 {signed} 书记员张某"""

THEFT_PARTS = {
    "name": "王某",
    "custody": "因涉嫌犯盗窃罪于2019年5月20日被刑事拘留，同年5月30日被逮捕。",
    "value": "2500元",
    "convicted": "王某",
    "term": "八个月",
    "began": "2019年5月20日",
    "release": "2020年1月19日",
    "signed": "二〇一九年七月一日",
}


def theft(**parts: str) -> str:
    """The criminal judgment above with some parts replaced."""
    return THEFT.format(**{**THEFT_PARTS, **parts})


def errors(text: str) -> list[Finding]:
    return [f for f in check_judgment_text(text, None) if f.severity == "error"]


def at(text: str, findings: list[Finding], part: str) -> list[Finding]:
    """The findings that overlap the first occurrence of `part`."""
    start = text.index(part)
    return [f for f in findings if f.start < start + len(part) and start < f.end]


def test_the_template_is_consistent() -> None:
    assert check_judgment_text(theft(), None) == []


# ---------------------------------------------------------------- a restated clause


def test_a_round_figure_slipped_in_a_clause_restated_word_for_word() -> None:
    # 2500 → 2900 is one digit of a round figure: no sign of a slip but the clause said again around it.
    text = theft(value="2900元")
    found = at(text, errors(text), "2900元")
    assert [f.type for f in found] == ["amount"]
    assert "2500元" in found[0].message


def test_a_short_shared_context_is_not_a_restatement() -> None:
    text = (
        "经审理查明：被告向原告借款本金181000元，利息19000元，合计20万元。\n"
        "本院认为，被告另出具借条一份，载明折算利息19000元，合计28万元，本院不予采信。\n"
        "判决如下：被告于本判决生效之日起十日内偿还原告借款20万元。"
    )
    # 11 characters in common before it (利息19000元，合计): two figures, rightly different
    assert at(text, errors(text), "28万元") == []


# ---------------------------------------------------------------- workings in brackets


def test_a_working_in_brackets_is_recomputed() -> None:
    text = (
        "经审理查明：原告月工资为1364元。\n本院认为，被告应当支付原告二倍工资差额15004元"
        "（{}元／月×11个月）。\n判决如下：被告支付原告二倍工资差额15004元。"
    )
    assert errors(text.format("1364")) == []
    wrong = text.format("13640")
    found = errors(wrong)
    assert [f.type for f in found] == ["computation"]
    assert wrong[found[0].start : found[0].end] == "15004元（13640元／月×11个月）"


def test_brackets_that_are_no_working() -> None:
    assert find_bracketed_calculations("租金合计5000元（2013-2015年）") == []
    assert find_bracketed_calculations("欠款5000元（其中本金4000元、利息1000元）") == []
    # with an equals sign it is read as a calculation of its own
    assert find_bracketed_calculations("护理费2170元（31天×70元／天=2170元）") == []
    found = find_bracketed_calculations("误工费18335元（2850元／月÷30天／月×193天）")
    assert [(c.computed.quantize(Decimal(1)), c.stated) for c in found] == [(18335, 18335)]


# ---------------------------------------------------------------- a rate said two ways


RATES = (
    "经审理查明：合同约定，出卖人逾期交房的，按50元／日向买受人支付逾期交房违约金。\n"
    "本院认为，出卖人逾期交房违约金应按50元／日计算，自2015年5月25日起至2015年10月28日止共156日，"
    "违约金为7800元（156日×50元／日）。原告主张的逾期交房违约金按{}／日标准计算，本院予以支持。\n"
    "判决如下：被告支付原告违约金7800元。"
)


def test_a_rate_the_court_gives_otherwise_elsewhere_is_a_warning() -> None:
    assert check_judgment_text(RATES.format("50元"), None) == []
    text = RATES.format("500元")
    found = at(text, check_judgment_text(text, None), "500元")
    assert [(f.type, f.severity) for f in found] == [("amount", "warning")]
    assert "50元／日" in found[0].evidence


def test_a_rate_that_enters_a_calculation_is_deliberate() -> None:
    text = RATES.replace("按{}／日标准计算", "按40元／日计算为6240元（156日×40元／日）")
    assert [f for f in check_judgment_text(text, None) if f.type == "amount"] == []


# ---------------------------------------------------------------- figures run together


def test_two_figures_run_together_are_not_a_wrong_calculation() -> None:
    text = (
        "经审理查明：双方结账，清单载明：直径500182×190＝34580元，焊接费合计3315×11.5＝38134元。\n"
        "本院认为，双方结算明确。\n判决如下：被告支付原告72714元。"
    )
    assert len(find_calculations(text)) == 2
    found = errors(text)
    assert len(found) == 1 and text[found[0].start : found[0].end].endswith("3315×11.5＝38134元")


# ---------------------------------------------------------------- custody broken off by bail


BAILED = "因涉嫌犯盗窃罪于2019年5月20日被刑事拘留，同年5月25日被取保候审，{}被逮捕。"


def test_custody_broken_off_by_bail_ends_later() -> None:
    # In custody 5 days, then again from 2019-07-01: eight months less those 5 days end about
    # 2020-02-25; 2020-03-25 is past even the whole term counted from 2019-07-01.
    text = theft(
        custody=BAILED.format("经本院决定，于2019年7月1日"),
        release="2020年2月25日",
        signed="二〇一九年七月二十日",
    )
    assert errors(text) == []
    late = theft(
        custody=BAILED.format("经本院决定，于2019年7月1日"),
        release="2020年3月25日",
        signed="二〇一九年七月二十日",
    )
    assert [f.type for f in at(late, errors(late), "2020年3月25日")] == ["date"]


def test_without_bail_the_term_runs_from_the_first_day() -> None:
    text = theft(release="2020年2月25日")
    assert "超出所判刑期" in at(text, errors(text), "2020年2月25日")[0].message


def test_an_undated_new_custody_leaves_the_end_unchecked() -> None:
    text = theft(custody=BAILED.format("同年7月1日"), release="2020年2月25日", signed="二〇一九年七月二十日")
    assert errors(text) == []


# ---------------------------------------------------------------- names


def test_a_masked_name_is_no_slip_of_a_plain_one() -> None:
    assert not similar("陈了", "陈某")
    assert similar("赵X平", "赵XX")
    assert similar("吴某3", "吴某1")
    assert errors(theft(convicted="王大明")) == []
    text = theft(name="王XX", convicted="王X明").replace("被告人王某", "被告人王XX")
    assert [f.type for f in at(text, errors(text), "王X明")] == ["party"]


def test_a_name_read_short_at_a_common_character() -> None:
    text = "原告万荣和诉称……万荣和受伤前月工资……万荣和于2012年受伤。"
    assert whole_name(text, "万荣") == "万荣和"
    assert whole_name("李青垫付……李青与……李青于", "李青") == "李青"
    assert whole_name("张某与……张某与……张某与", "张某") == "张某"


# ---------------------------------------------------------------- after the judgment's date


@pytest.mark.parametrize(
    ("custody", "severity"),
    [
        ("因涉嫌犯盗窃罪于2019年5月20日被取保候审，经本院决定，于2019年7月3日执行逮捕。", "warning"),
        ("因涉嫌犯盗窃罪于2019年5月20日被取保候审，经本院决定，于2019年9月3日执行逮捕。", "error"),
        ("因涉嫌犯盗窃罪于2019年5月20日被刑事拘留，2019年7月3日被逮捕。", "error"),
    ],
)
def test_an_arrest_ordered_by_the_court_at_pronouncement(custody: str, severity: str) -> None:
    text = theft(custody=custody, began="2019年7月3日", release="2020年3月2日")
    late = [f for f in check_judgment_text(text, None) if "晚于判决日期" in f.message]
    assert [f.severity for f in late] == [severity]

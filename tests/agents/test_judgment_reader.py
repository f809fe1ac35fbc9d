"""Reading a finished judgment: its sections, the parties of its header, and a ledger of what it states."""

from __future__ import annotations

from datetime import date

from fixtures_judgment import civil, criminal, span_of
from judgeflow.agents.judgment_reader import (
    all_dates,
    amounts,
    facts_date,
    facts_json,
    judgment_ledger,
    read_judgment,
)


def test_sections_of_a_civil_judgment() -> None:
    text = civil()
    j = read_judgment(text)
    assert [s.name for s in j.sections] == [
        "首部",
        "当事人",
        "审理经过",
        "诉辩意见",
        "经审理查明",
        "本院认为",
        "判决主文",
        "尾部",
    ]
    assert j.kind == "civil"
    assert j.part_at(text.index("经审理查明")) == "经审理查明"
    assert j.in_record(text.index("辩称")) and j.in_court(text.index("驳回"))


def test_sections_of_a_criminal_judgment_with_an_appended_statute_list() -> None:
    text = criminal()
    j = read_judgment(text)
    assert j.kind == "criminal"
    assert [s.name for s in j.sections][-2:] == ["尾部", "附录"]
    assert j.part_at(text.index("指控，")) == "诉辩意见"


def test_header_parties_with_particulars() -> None:
    j = read_judgment(civil())
    plaintiff, defendant = j.parties
    assert (plaintiff.name, plaintiff.role, defendant.name, defendant.role) == (
        "张伟",
        "原告",
        "李强",
        "被告",
    )
    assert plaintiff.details == {
        "gender": "男",
        "birth_date": "1985-03-12",
        "ethnicity": "汉族",
        "id_number": "33010619850312001X",
    }


def test_criminal_header_lists_prosecutor_defendant_and_counsel() -> None:
    j = read_judgment(criminal())
    assert [(p.name, p.role, p.is_party) for p in j.parties] == [
        ("浙江省三门县人民检察院", "公诉机关", True),
        ("吴某1", "被告人", True),
        ("何晓佳", "辩护人", False),
    ]


def test_a_fact_paragraph_without_markers_is_all_record() -> None:
    j = read_judgment("原告与被告于2001年5月27日登记结婚，被告每月支付生活费800元。")
    assert j.sections == [] and j.in_record(5)


def test_ledger_values_are_normalized_with_spans() -> None:
    text = civil()
    facts = facts_json(judgment_ledger(read_judgment(text)))
    by_quote = {f["quote"]: f for f in facts}
    assert by_quote["壹万贰仟元整"]["value"] == "12000"
    assert by_quote["12,000元"]["value"] == "12000"
    assert by_quote["1.2万元"]["value"] == "12000"
    assert by_quote["63.70元"]["value"] == "63.70"
    assert by_quote["二〇二三年五月二十日"]["value"] == "2023-05-20"
    assert by_quote["年利率3.65%"]["kind"] == "rate" and by_quote["年利率3.65%"]["value"] == "0.0365"
    for f in facts:
        assert text[int(f["start"]) : int(f["end"])] == f["quote"]
    assert [f["value"] for f in facts if f["kind"] == "party"] == ["张伟", "李强"]
    assert len({f["id"] for f in facts}) == len(facts)


def test_dates_and_periods_at_the_precision_written() -> None:
    facts = facts_json(
        judgment_ledger(read_judgment("2017年4月某日借款，2002年12月还款，借期六个月，住院29天。"))
    )
    assert [(f["kind"], f["value"]) for f in facts] == [
        ("date", "2017-04"),
        ("date", "2002-12"),
        ("period", "6 months"),
        ("period", "29 days"),
    ]


def test_masked_names_running_into_dates_and_amounts() -> None:
    text = "原告曹0与被告张x1原系夫妻，生育一女张x62011年7月21日离婚。被告张x6随原告生活，胡某19000元、胡某1妹妹1290元。"
    assert [d.quote for d in all_dates(text)] == ["2011年7月21日"]
    assert [m.quote for m in amounts(text)] == ["9000元", "1290元"]


def test_the_facts_date_is_the_earliest_record_date_without_births() -> None:
    assert facts_date(read_judgment(civil())) == date(2022, 3, 5)
    assert facts_date(read_judgment(criminal())) == date(2017, 12, 20)


def test_party_spans_point_at_the_header_names() -> None:
    text = criminal()
    facts = judgment_ledger(read_judgment(text))
    defendant = next(f for f in facts if f.kind == "party" and f.details["role"] == "被告人")
    assert (defendant.spans[0].start, defendant.spans[0].end) == span_of(text, "吴某1")
    assert defendant.details["birth_date"] == "2000-03-17"


def test_parties_of_a_complaint_without_a_judgment_header() -> None:
    text = "民事起诉状\n原告：张三，男，1980年1月2日出生，汉族，住北京市。\n被告：李四，女，1982年3月4日出生。\n诉讼请求：判令被告偿还借款5万元。"
    j = read_judgment(text)
    assert [(p.name, p.role, p.details.get("gender")) for p in j.parties] == [
        ("张三", "原告", "男"),
        ("李四", "被告", "女"),
    ]
    assert facts_json(judgment_ledger(j))[-1]["value"] == "50000"

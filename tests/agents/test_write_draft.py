"""The composed 民事判决书: sections, parties, the exact orders, the citation sentence, provenance ids."""

from __future__ import annotations

import pytest
from fixtures_lending import (
    COSTS_ORDER,
    GUARANTEE_ORDER,
    INTEREST_ORDER,
    PRINCIPAL_ORDER,
    lending_state,
)
from judgeflow.agents.write_draft import (
    DATE_PLACEHOLDER,
    WARNING_TEXT,
    appeal_court,
    compose_draft,
    period_text,
    write_draft,
)
from judgeflow.graph.state import SECTION_ORDER, CaseState, Conclusion, Draft, StatuteRef

CITATION = (
    "综上所述，依照《中华人民共和国民法典》第五百六十一条、第六百六十七条、第六百七十四条、第六百七十五条、"
    "第六百七十六条、第六百七十九条、第六百八十八条、第六百九十二条、第七百条规定，判决如下："
)


@pytest.fixture
def state() -> CaseState:
    return lending_state()


@pytest.fixture
def draft(state: CaseState) -> Draft:
    return compose_draft(state)


def section(draft: Draft, name: str) -> str:
    return next(s.text for s in draft.sections if s.name == name)


def test_every_section_in_court_order(draft: Draft) -> None:
    assert [s.name for s in draft.sections] == list(SECTION_ORDER)
    assert all(s.sentences and s.text for s in draft.sections)


def test_head(draft: Draft) -> None:
    assert section(draft, "首部").split("\n") == [
        "浙江省杭州市西湖区人民法院",
        "民事判决书",
        "（2024）浙0106民初1234号",
    ]


def test_parties_with_particulars_and_no_id_number(draft: Draft) -> None:
    lines = section(draft, "当事人").split("\n")
    assert lines == [
        "原告：张伟，男，1985年3月12日出生，汉族，住浙江省杭州市西湖区文三路100号。",
        "被告：李强，男，1988年7月20日出生，汉族，住浙江省杭州市拱墅区湖墅南路50号。",
        "被告：王芳，女，1990年11月5日出生，汉族，住浙江省杭州市上城区解放路8号。",
    ]
    assert "330106198503121234" not in draft.text
    assert draft.sections[1].sentences[0].fact_ids == ["F1"]


def test_proceedings(draft: Draft) -> None:
    assert section(draft, "审理经过") == (
        "原告张伟与被告李强、王芳民间借贷纠纷一案，本院于2024年3月1日立案后，依法适用简易程序，公开开庭进行了审理。"
        "原告张伟、被告李强、被告王芳到庭参加诉讼。本案现已审理终结。"
    )


def test_pleadings_list_the_claims_and_each_answer(draft: Draft) -> None:
    text = section(draft, "诉辩意见")
    assert text.startswith(
        "张伟向本院提出诉讼请求：1.判令被告李强偿还借款本金100000元；"
        "2.判令被告李强以100000元为基数按年利率12%支付自2023年3月11日起至实际清偿之日止的利息；"
        "3.判令被告王芳对上述债务承担连带清偿责任；4.本案诉讼费用由被告负担。事实和理由："
    )
    assert "李强辩称，借款已部分归还，剩余款项因经济困难无力一次性偿还，请求分期履行。" in text
    assert "王芳辩称，保证期间已过，不应承担保证责任。" in text


def test_established_facts_in_date_order(draft: Draft) -> None:
    text = section(draft, "经审理查明")
    assert text.startswith(
        "本院经审理认定事实如下：2023年3月10日，被告李强向原告张伟出具借条一份，载明借款100000元，"
        "约定月利率1%（折合年利率12%），于2023年9月10日前归还。"
    )
    assert "被告王芳作为保证人在借条上签字，约定承担连带责任保证，保证期间为6个月。" in text
    order = [
        "2023年3月10日",
        "2023年3月11日，原告张伟向被告李强交付借款100000元",
        "2023年10月15日，被告李强向原告张伟还款20000元",
        "2024年1月5日，原告张伟向被告王芳主张保证责任",
    ]
    positions = [text.index(x) for x in order]
    assert positions == sorted(positions)
    assert "上述事实，有借条、银行转账凭证及当事人陈述等证据在案佐证" in text
    facts = draft.sections[4].sentences[0].fact_ids
    assert {"F4", "F5", "F6", "F7", "F8", "F10", "F11", "F12"} <= set(facts)


def test_reasoning_answers_each_argument_and_cites_the_premises(draft: Draft) -> None:
    text = section(draft, "本院认为")
    assert text.startswith(
        "本院认为，合法的借贷关系受法律保护。关于李强应否返还借款本金及尚欠本金数额的问题。"
    )
    assert "对李强提出的“借款已部分归还，剩余款项因经济困难无力一次性偿还，请求分期履行”的意见" in text
    assert "对王芳提出的“保证期间已过，不应承担保证责任”的意见，张伟已在保证期间内向王芳主张权利" in text
    assert text.split("\n")[-1] == CITATION
    assert "诉讼费用由败诉方负担" not in text  # costs are ordered, not reasoned
    first = draft.sections[5].sentences[0]
    assert first.syllogism_ids == ["S1"] and first.statute_ids == ["民法典:561"]
    cite = draft.sections[5].sentences[-1]
    assert "民事诉讼法:264" not in cite.statute_ids and len(cite.statute_ids) == 9


def test_procedural_article_grouped_after_the_civil_code(state: CaseState) -> None:
    state.statutes.append(
        StatuteRef(
            id="民事诉讼法:147",
            law="中华人民共和国民事诉讼法",
            short_name="民事诉讼法",
            article=147,
            article_label="第一百四十七条",
            text="被告经传票传唤，无正当理由拒不到庭的……",
            status="现行有效",
            reason="缺席判决",
            source="fixture",
        )
    )
    state.syllogisms[2].major_premise.remove("民法典:700")
    cite = section(compose_draft(state), "本院认为").split("\n")[-1]
    assert cite.endswith("第六百九十二条，《中华人民共和国民事诉讼法》第一百四十七条规定，判决如下：")
    assert "第七百条" not in cite


def test_orders_exactly_as_confirmed(draft: Draft) -> None:
    assert section(draft, "判决主文").split("\n") == [
        f"一、{PRINCIPAL_ORDER}；",
        f"二、{INTEREST_ORDER}；",
        f"三、{GUARANTEE_ORDER}；",
        "四、驳回原告张伟的其他诉讼请求。",
        WARNING_TEXT,
        f"{COSTS_ORDER}。",
    ]
    orders = draft.sections[6].sentences
    assert orders[0].syllogism_ids == ["S1"] and orders[-1].syllogism_ids == ["S4"]
    assert orders[4].statute_ids == ["民事诉讼法:264"]


def test_no_rejection_item_when_every_claim_is_upheld(state: CaseState) -> None:
    principal = state.syllogisms[0]
    principal.conclusion = principal.conclusion.model_copy(update={"disposition": "支持"})
    text = section(compose_draft(state), "判决主文")
    assert "驳回" not in text
    assert text.split("\n")[2] == f"三、{GUARANTEE_ORDER}。"


def test_rejected_claim_has_no_order(state: CaseState) -> None:
    state.syllogisms[1].conclusion = Conclusion(
        disposition="不予支持", text="对利息请求，本院不予支持。", order=""
    )
    lines = section(compose_draft(state), "判决主文").split("\n")
    assert lines[:3] == [
        f"一、{PRINCIPAL_ORDER}；",
        f"二、{GUARANTEE_ORDER}；",
        "三、驳回原告张伟的其他诉讼请求。",
    ]
    assert all("利息（以" not in line for line in lines)


def test_everything_rejected(state: CaseState) -> None:
    for s in state.syllogisms[:3]:
        s.conclusion = Conclusion(disposition="不予支持", text="不予支持。", order="")
    lines = section(compose_draft(state), "判决主文").split("\n")
    assert lines == ["驳回原告张伟的全部诉讼请求。", f"{COSTS_ORDER}。"]


def test_tail_unsigned_and_signed() -> None:
    unsigned = section(compose_draft(lending_state()), "尾部").split("\n")
    assert unsigned[0] == (
        "如不服本判决，可以在判决书送达之日起十五日内，向本院递交上诉状，并按对方当事人的人数提出副本，"
        "上诉于浙江省杭州市中级人民法院。"
    )
    assert unsigned[1:] == ["审判员　王某某", DATE_PLACEHOLDER, "书记员　陈某"]
    signed = section(compose_draft(lending_state(signed=True)), "尾部").split("\n")
    assert signed[2] == "二〇二四年五月八日"


def test_appeal_court_and_periods() -> None:
    assert appeal_court("浙江省杭州市西湖区人民法院") == "浙江省杭州市中级人民法院"
    assert appeal_court("广东省深圳市南山区人民法院") == "广东省深圳市中级人民法院"
    assert appeal_court("北京市朝阳区人民法院") == "……中级人民法院"
    assert (
        period_text("6 months") == "6个月"
        and period_text("30 days") == "30日"
        and period_text("六个月") == "六个月"
    )


def test_node_numbers_revisions_and_records_the_judges_comment(state: CaseState) -> None:
    first = write_draft(state)
    assert first["draft"].revision == 1
    assert first["trace"][0].node == "write_draft"
    assert [c.params["section"] for c in first["trace"][0].tool_calls] == list(SECTION_ORDER)
    state.draft = first["draft"].model_copy(update={"revision": 3})
    state.feedback = {"write_draft": "说理部分过于简略"}
    again = write_draft(state)
    assert again["draft"].revision == 4
    event = again["trace"][0]
    assert "说理部分过于简略" in event.summary and "规则引擎不能据自由文本改写" in event.summary
    assert event.inputs["judge_comment"] == "说理部分过于简略"


def test_attendance_assumed_is_said(state: CaseState) -> None:
    state.info.hearing_attendance = ""
    out = write_draft(state)
    assert "原告张伟、被告李强、被告王芳到庭参加诉讼。" in out["draft"].text
    assert "请核对" in out["trace"][0].summary and out["trace"][0].outputs["attendance_assumed"] is True

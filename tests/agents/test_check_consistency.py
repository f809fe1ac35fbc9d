"""本院认为 against 判决主文 in criminal judgments: charges, sentences, the articles relied on, and (for flow
drafts) the sentence and term the judge's syllogism concluded on."""

from __future__ import annotations

from typing import Any

from judgeflow.agents.check_draft import check
from judgeflow.agents.checking.judgment import check_judgment_text
from judgeflow.graph.state import Actor, ApproveDecision, Finding

JUDGE = Actor(role="judge", name="陈立平")

HEAD = (
    "某某县人民法院\n刑事判决书\n（2020）某0101刑初1号\n公诉机关某某县人民检察院。\n"
    "被告人张某，男，1990年1月1日出生。因本案于2019年12月1日被刑事拘留，同年12月10日被逮捕。\n"
    "某某县人民检察院以某检刑诉〔2020〕1号起诉书指控被告人张某犯盗窃罪，于2020年2月1日向本院提起公诉。"
    "本院依法适用简易程序，公开开庭审理了本案。现已审理终结。\n"
    "经审理查明，2019年11月30日，被告人张某在某某超市窃得现金人民币5000元。\n"
)
ORDERS = (
    "判决如下：\n被告人张某犯盗窃罪，判处有期徒刑一年，并处罚金人民币五千元。"
    "（刑期从判决执行之日起计算。判决执行以前先行羁押的，羁押一日折抵刑期一日，即自2019年12月1日起至2020年11月30日止。）\n"
    "如不服本判决，可在接到判决书的第二日起十日内提出上诉。\n审判员李某\n二〇二〇年三月一日\n"
)
REASONING = (
    "本院认为，被告人张某以非法占有为目的，秘密窃取他人财物，数额较大，其行为已构成盗窃罪。"
    "公诉机关建议对被告人张某判处有期徒刑十个月至一年二个月的量刑意见，本院予以采纳。"
    "被告人张某到案后如实供述，依照《中华人民共和国刑法》第六十七条第三款的规定，可以从轻处罚。"
    "对被告人张某判处有期徒刑一年，并处罚金人民币五千元。"
    "依照《中华人民共和国刑法》第二百六十四条、第六十七条第三款、第五十二条、第五十三条之规定，"
)


def _text(reasoning: str = REASONING, orders: str = ORDERS) -> str:
    return HEAD + reasoning + orders


def _decisions(text: str) -> list[tuple[str, str, str]]:
    return [
        (f.severity, f.message, text[f.start : f.end])
        for f in check_judgment_text(text, None)
        if f.type == "decision" or "依照" in f.evidence
    ]


def test_a_consistent_judgment_has_no_consistency_finding() -> None:
    text = _text()
    assert _decisions(text) == []
    assert [f for f in check_judgment_text(text, None) if f.severity == "error"] == []


def test_a_different_charge_in_the_orders_is_an_error_at_the_charge() -> None:
    text = _text(orders=ORDERS.replace("犯盗窃罪", "犯诈骗罪"))
    (found,) = _decisions(text)
    assert found[0] == "error" and found[2] == "诈骗罪" and "罪名" in found[1]


def test_a_different_term_or_fine_in_the_orders_is_an_error_at_that_part() -> None:
    text = _text(orders=ORDERS.replace("判处有期徒刑一年，", "判处有期徒刑一年六个月，"))
    (found,) = [d for d in _decisions(text) if d[0] == "error"]
    assert found[2] == "一年六个月" and "刑罚" in found[1]
    text = _text(orders=ORDERS.replace("罚金人民币五千元", "罚金人民币八千元"))
    (found,) = [d for d in _decisions(text) if d[0] == "error"]
    assert "八千元" in found[2]


def test_a_recommended_range_in_the_reasoning_is_not_a_pronounced_sentence() -> None:
    reasoning = REASONING.replace("对被告人张某判处有期徒刑一年，并处罚金人民币五千元。", "")
    text = _text(reasoning, ORDERS.replace("判处有期徒刑一年，", "判处有期徒刑一年二个月，"))
    assert [d for d in _decisions(text) if d[0] == "error"] == []


def test_an_article_relied_on_but_not_listed_is_a_warning() -> None:
    text = _text(REASONING.replace("、第六十七条第三款、", "、"))
    (found,) = _decisions(text)
    assert found[0] == "warning" and found[2] == "《中华人民共和国刑法》第六十七条第三款"


# --- flow drafts: the orders against the syllogism's sentence ---------------------------------------


def _criminal_draft(runner: Any, example: Any) -> Any:
    runner.run_folder(example("theft-confession"))
    for checkpoint in ("approve_facts", "approve_statutes", "approve_reasoning"):
        status = runner.decide("theft-confession", ApproveDecision(checkpoint=checkpoint, actor=JUDGE))
    assert status.checkpoint == "approve_draft"
    return status.state


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


def test_the_flows_criminal_draft_raises_no_error(runner: Any, example: Any) -> None:
    state = _criminal_draft(runner, example)
    assert state.draft is not None and state.syllogisms[0].sentence is not None
    assert _errors(state.findings) == [], [(f.message, f.evidence) for f in state.findings]


def test_orders_that_leave_the_syllogisms_sentence_are_an_error(runner: Any, example: Any) -> None:
    state = _criminal_draft(runner, example)
    outcome = state.syllogisms[0].sentence
    assert outcome is not None and outcome.fine
    draft = state.draft.model_copy(deep=True)
    orders = next(s for s in draft.sections if s.name == "判决主文")
    first = orders.sentences[0]
    written = first.text
    fine_words = written[written.index("并处罚金") + 4 : written.index("元", written.index("并处罚金")) + 1]
    first.text = written.replace(fine_words, "人民币九万元", 1)
    found = _errors(check(draft, state))
    assert any(f.type == "decision" and "量刑结论" in f.message for f in found), found
    hit = next(f for f in found if "量刑结论" in f.message)
    assert draft.text[hit.start : hit.end] == "人民币九万元"


def test_a_term_end_that_leaves_the_computation_is_an_error(runner: Any, example: Any) -> None:
    state = _criminal_draft(runner, example)
    outcome = state.syllogisms[0].sentence
    assert outcome is not None
    if not outcome.term_end or outcome.probation_months:
        return  # the example's sentence has no term running from custody to check
    draft = state.draft.model_copy(deep=True)
    orders = next(s for s in draft.sections if s.name == "判决主文")
    year = outcome.term_end[:4]
    first = orders.sentences[0]
    assert f"至{year}年" in first.text
    first.text = first.text.replace(f"至{year}年", f"至{int(year) + 1}年", 1)
    assert any("届满日" in f.message for f in _errors(check(draft, state)))


# --- civil judgments: the amounts and claims 本院认为 upholds against the orders -------------------------

CIVIL_HEAD = (
    "某某县人民法院\n民事判决书\n（2023）某0101民初1号\n原告：李某，男，1980年1月1日出生。\n"
    "被告：张某，男，1985年1月1日出生。\n"
    "原告李某与被告张某民间借贷纠纷一案，本院于2023年5月10日立案后，依法适用简易程序公开开庭进行了审理。"
    "本案现已审理终结。\n"
    "原告李某向本院提出诉讼请求：1.判令被告偿还借款本金50000元；2.判令被告支付利息6000元；"
    "3.判令被告支付违约金10000元。\n"
    "经审理查明，2022年3月1日，被告张某向原告李某借款50000元，约定年利率6%。\n"
)
CIVIL_REASONING = (
    "本院认为，合法的借贷关系受法律保护。对原告主张的借款本金50000元，本院予以支持。"
    "被告应向原告支付利息6000元，本院予以支持。"
    "原告要求被告支付违约金的诉讼请求，缺乏合同依据，本院不予支持。"
    "依照《中华人民共和国民法典》第六百七十四条、第六百七十五条之规定，"
)
CIVIL_ORDERS = (
    "判决如下：\n一、被告张某于本判决生效之日起十日内偿还原告李某借款本金50000元；\n"
    "二、被告张某于本判决生效之日起十日内支付原告李某利息6000元；\n三、驳回原告李某的其他诉讼请求。\n"
    "如果未按本判决指定的期间履行给付金钱义务，应当依照《中华人民共和国民事诉讼法》第二百六十四条规定，"
    "加倍支付迟延履行期间的债务利息。\n案件受理费1200元，由被告张某负担。\n"
    "如不服本判决，可以在判决书送达之日起十五日内提起上诉。\n审判员王某\n二〇二三年六月一日\n"
)


def _civil(reasoning: str = CIVIL_REASONING, orders: str = CIVIL_ORDERS) -> list[tuple[str, str, str, str]]:
    text = CIVIL_HEAD + reasoning + orders
    return [
        (f.severity, f.type, f.message, text[f.start : f.end])
        for f in check_judgment_text(text, None)
        if f.type in ("consistency", "decision")
    ]


def test_a_consistent_civil_judgment_has_no_consistency_finding() -> None:
    assert _civil() == []


def test_a_changed_principal_in_the_orders_is_an_error_at_the_amount() -> None:
    (found,) = _civil(orders=CIVIL_ORDERS.replace("借款本金50000元", "借款本金58000元"))
    assert found[:2] == ("error", "consistency") and found[3] == "58000元"
    assert "本金" in found[2] and "50000" in found[2]


def test_a_rejected_claim_awarded_in_the_orders_is_an_error() -> None:
    orders = CIVIL_ORDERS.replace(
        "三、驳回", "三、被告张某于本判决生效之日起十日内支付原告李某违约金10000元；\n四、驳回"
    )
    (found,) = _civil(orders=orders)
    assert found[:2] == ("error", "decision") and found[3] == "10000元" and "不予支持" in found[2]


def test_a_rejection_of_another_defendant_or_of_the_excess_is_not_a_contradiction() -> None:
    orders = CIVIL_ORDERS.replace(
        "三、驳回", "三、被告张某于本判决生效之日起十日内支付原告李某违约金3000元；\n四、驳回"
    )
    excess = CIVIL_REASONING.replace(
        "原告要求被告支付违约金的诉讼请求，缺乏合同依据，本院不予支持。",
        "原告要求被告支付违约金10000元，过高，超过3000元的部分本院不予支持。",
    )
    assert _civil(excess, orders) == []
    other = CIVIL_REASONING.replace("原告要求被告支付违约金", "原告要求被告王某支付违约金")
    assert _civil(other, orders) == []


def test_a_partial_award_stated_in_both_places_is_consistent() -> None:
    reasoning = CIVIL_REASONING.replace(
        "被告应向原告支付利息6000元，本院予以支持。",
        "原告主张利息6000元，超过约定部分不予支持，被告应支付利息4500元，本院予以支持。",
    )
    assert _civil(reasoning, CIVIL_ORDERS.replace("利息6000元", "利息4500元")) == []


def test_costs_written_only_in_the_orders_are_not_compared() -> None:
    orders = CIVIL_ORDERS.replace(
        "案件受理费1200元，由被告张某负担。", "案件受理费1250元，保全费500元，由被告张某负担。"
    )
    assert _civil(orders=orders) == []

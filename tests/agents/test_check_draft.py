"""The checker re-derives the draft's figures, dates, names, citations and orders from the record."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from fixtures_lending import INTEREST_ORDER, lending_state
from judgeflow.agents.check_draft import allowed_amounts, check, check_draft, record_amounts
from judgeflow.agents.write_draft import compose_draft
from judgeflow.graph.state import CaseState, Conclusion, Draft, DraftSection, Finding, Sentence


@pytest.fixture(autouse=True)
def statute_database_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests measure the statute-database path: no knowledge graph is loaded where they look."""
    monkeypatch.setenv("JUDGEFLOW_GRAPH_HOME", str(tmp_path / "no-graph"))
    monkeypatch.delenv("NEO4J_URI", raising=False)


@pytest.fixture
def state() -> CaseState:
    return lending_state()


@pytest.fixture
def draft(state: CaseState) -> Draft:
    return compose_draft(state)


def plant(draft: Draft, section: str, old: str, new: str) -> Draft:
    """The draft with the first `old` in `section` replaced by `new` (the test fails if it is absent)."""
    changed = draft.model_copy(deep=True)
    for s in changed.sections:
        if s.name != section:
            continue
        for sentence in s.sentences:
            if old in sentence.text:
                sentence.text = sentence.text.replace(old, new, 1)
                return changed
    raise AssertionError(f"{old!r} not in {section}")


def errors(draft: Draft, state: CaseState) -> list[Finding]:
    return [f for f in check(draft, state) if f.severity == "error"]


def only_error(draft: Draft, state: CaseState) -> Finding:
    found = errors(draft, state)
    assert len(found) == 1, [(f.type, f.message, draft.text[f.start : f.end]) for f in found]
    return found[0]


def test_composed_draft_is_clean(draft: Draft, state: CaseState) -> None:
    assert check(draft, state) == []


def test_sums_and_differences_of_record_amounts_are_allowed(state: CaseState) -> None:
    assert Decimal("147.58") not in record_amounts(state)  # 1150 − 1002.42, the plaintiff's share
    assert Decimal("147.58") in allowed_amounts(state)
    assert Decimal("96000.00") not in allowed_amounts(state)


def test_changed_amount(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "经审理查明", "载明借款100000元", "载明借款96000元")
    f = only_error(bad, state)
    assert (f.type, bad.text[f.start : f.end]) == ("amount", "96000元")
    assert "100000元" in f.evidence


def test_impossible_date(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "经审理查明", "2023年10月15日", "2023年2月30日")
    f = only_error(bad, state)
    assert (f.type, bad.text[f.start : f.end]) == ("date", "2023年2月30日")
    assert "不存在" in f.message


def test_date_not_in_the_record(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "经审理查明", "2024年1月5日", "2024年1月6日")
    f = only_error(bad, state)
    assert (f.type, bad.text[f.start : f.end]) == ("date", "2024年1月6日")


def test_unknown_party_name(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "审理经过", "被告王芳到庭", "被告赵明到庭")
    f = only_error(bad, state)
    assert (f.type, bad.text[f.start : f.end]) == ("party", "赵明")


def test_ordinary_words_after_role_words_are_not_names(draft: Draft, state: CaseState) -> None:
    prose = "原告起诉要求被告偿还借款，被告未举证，原告代理人称原告同意，被告方无异议，由被告负担。"
    assert errors(plant(draft, "审理经过", "本案现已审理终结。", prose + "本案现已审理终结。"), state) == []


def test_unknown_company_name(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "审理经过", "被告王芳到庭", "被告杭州某某贸易有限公司到庭")
    f = only_error(bad, state)
    assert bad.text[f.start : f.end] == "杭州某某贸易有限公司"


def test_party_in_the_wrong_role(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "判决主文", "偿还原告张伟", "偿还原告李强")
    found = errors(bad, state)
    party = [f for f in found if f.type == "party"]
    assert len(party) == 1 and bad.text[party[0].start : party[0].end] == "原告李强"
    assert {f.type for f in found} == {"party", "decision"}  # the order no longer reads as confirmed


def test_citation_of_an_article_not_approved(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "本院认为", "第七百条规定", "第六百八十条规定")
    f = only_error(bad, state)
    assert (f.type, bad.text[f.start : f.end]) == ("citation", "第六百八十条")


def test_citation_of_a_law_not_approved(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "本院认为", "综上所述，", "依照《诉讼费用交纳办法》第十三条，")
    f = only_error(bad, state)
    assert (f.type, bad.text[f.start : f.end]) == ("citation", "《诉讼费用交纳办法》第十三条")


def test_short_law_name_and_arabic_article_accepted(draft: Draft, state: CaseState) -> None:
    ok = plant(draft, "本院认为", "《中华人民共和国民法典》第五百六十一条", "《民法典》第561条")
    assert errors(ok, state) == []
    bad = plant(draft, "本院认为", "《中华人民共和国民法典》第五百六十一条", "《民法典》第562条")
    f = only_error(bad, state)
    assert bad.text[f.start : f.end] == "第562条"


def test_missing_order(draft: Draft, state: CaseState) -> None:
    bad = draft.model_copy(deep=True)
    orders = next(s for s in bad.sections if s.name == "判决主文")
    orders.sentences = [s for s in orders.sentences if INTEREST_ORDER not in s.text]
    for s, n in zip(orders.sentences[1:3], "二三", strict=True):
        s.text = n + s.text[1:]
    f = only_error(bad, state)
    assert f.type == "decision" and "缺少" in f.message and INTEREST_ORDER in f.evidence
    assert bad.text[f.start : f.end] == orders.text


def test_changed_order(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "判决主文", "借款本金87167.12元", "借款本金88167.12元")
    found = errors(bad, state)
    assert [f.type for f in found] == ["decision", "decision"]
    line, amount = found
    assert bad.text[line.start : line.end].startswith(
        "一、被告李强于本判决生效之日起十日内偿还原告张伟借款本金88167.12元"
    )
    assert "87167.12元" in line.evidence
    # the precise finding: the amount the judge's conclusion awards is not the one written
    assert bad.text[amount.start : amount.end] == "88167.12元" and "87167.12元" in amount.message


def test_order_for_a_claim_the_judge_did_not_uphold(draft: Draft, state: CaseState) -> None:
    state.syllogisms[1].conclusion = Conclusion(
        disposition="不予支持", text="对利息请求，本院不予支持。", order=""
    )
    f = only_error(draft, state)  # the draft was written before the judge changed the conclusion
    assert f.type == "decision" and "未予支持" in f.message
    assert draft.text[f.start : f.end] == f"二、{INTEREST_ORDER}；"


def test_rejection_item_required_when_a_claim_fails(draft: Draft, state: CaseState) -> None:
    bad = draft.model_copy(deep=True)
    orders = next(s for s in bad.sections if s.name == "判决主文")
    orders.sentences = [s for s in orders.sentences if "驳回" not in s.text]
    orders.sentences[2].text = orders.sentences[2].text.rstrip("；") + "。"
    f = only_error(bad, state)
    assert f.type == "decision" and "驳回" in f.message


def test_changed_birth_date(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "当事人", "1985年3月12日出生", "1985年3月13日出生")
    f = only_error(bad, state)
    assert (f.type, bad.text[f.start : f.end]) == ("party", "1985年3月13日")
    assert "出生日期" in f.message and "1985年3月12日" in f.evidence


def test_changed_gender(draft: Draft, state: CaseState) -> None:
    bad = plant(draft, "当事人", "王芳，女", "王芳，男")
    f = only_error(bad, state)
    assert (f.type, bad.text[f.start : f.end]) == ("party", "男")
    assert f.start > bad.text.index("王芳，")


def test_party_missing_from_the_particulars(draft: Draft, state: CaseState) -> None:
    bad = draft.model_copy(deep=True)
    people = next(s for s in bad.sections if s.name == "当事人")
    people.sentences = people.sentences[:2]
    f = only_error(bad, state)
    assert f.type == "party" and "王芳" in f.message
    assert bad.text[f.start : f.end] == people.text


def test_judge_edited_section_is_checked_the_same_way(draft: Draft, state: CaseState) -> None:
    """An edit stores a section as plain text; the checker reads only the text."""
    edited = draft.model_copy(deep=True)
    facts = next(s for s in edited.sections if s.name == "经审理查明")
    text = facts.text.replace("还款20000元", "还款25000元")
    edited.sections[edited.sections.index(facts)] = DraftSection(
        name="经审理查明", sentences=[Sentence(text=text)]
    )
    edited.edited_by = "judge:王某某"
    f = only_error(edited, state)
    assert edited.text[f.start : f.end] == "25000元"


def test_missing_section_is_a_warning(draft: Draft, state: CaseState) -> None:
    short = draft.model_copy(update={"sections": [s for s in draft.sections if s.name != "诉辩意见"]})
    found = check(short, state)
    assert [(f.type, f.severity) for f in found] == [("consistency", "warning")]


def test_node_reports_findings(draft: Draft, state: CaseState) -> None:
    state.draft = plant(draft, "经审理查明", "载明借款100000元", "载明借款96000元")
    out = check_draft(state)
    assert [f.type for f in out["findings"]] == ["amount"]
    assert out["trace"][0].node == "check_draft" and out["trace"][0].outputs["findings"]["error"] == 1
    state.draft = None
    assert check_draft(state)["findings"] == []

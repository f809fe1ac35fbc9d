"""Each check on a judgment text, with the numeral and date forms courts write (壹万贰仟元, 1.2万元, 12,000元,
一万二千元; 二〇二三年三月五日, 2023.3.5, 2023年3月5日): a consistent text has no error, and one planted
fault gives an error at exactly its place."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures_judgment import civil, criminal, span_of
from fixtures_lending import lending_state
from judgeflow.agents.check_draft import check
from judgeflow.agents.checking.arithmetic import find_calculations, find_totals
from judgeflow.agents.checking.judgment import check_judgment_text
from judgeflow.agents.checking.persons import id_problems
from judgeflow.agents.write_draft import compose_draft
from judgeflow.graph.state import Finding


@pytest.fixture(autouse=True)
def statute_database_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests measure the statute-database path: no knowledge graph is loaded where they look."""
    monkeypatch.setenv("JUDGEFLOW_GRAPH_HOME", str(tmp_path / "no-graph"))
    monkeypatch.delenv("NEO4J_URI", raising=False)


def errors(text: str) -> list[Finding]:
    return [f for f in check_judgment_text(text) if f.severity == "error"]


def only_error_at(text: str, part: str, occurrence: int = 1) -> Finding:
    """The single error of `text`, which must overlap the n-th occurrence of `part`."""
    found = errors(text)
    assert len(found) == 1, [(f.type, f.message, text[f.start : f.end]) for f in found]
    start, end = span_of(text, part, occurrence)
    assert found[0].start < end and start < found[0].end, (found[0], text[found[0].start : found[0].end])
    return found[0]


def test_consistent_judgments_have_no_findings() -> None:
    assert check_judgment_text(civil()) == []
    assert check_judgment_text(criminal()) == []


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize("written", ["壹万贰仟元", "1.2万元", "12,000元", "一万二千元", "人民币12000元"])
def test_the_same_amount_in_any_form_is_consistent(written: str) -> None:
    assert errors(civil(principal_court=written, principal_found="12000元")) == []


@pytest.mark.parametrize(
    ("record", "court"),
    [
        ("12,345元", "壹万贰仟叁佰伍拾肆元"),  # two digits swapped, 大写 in the reasoning
        ("12345元", "1.2354万元"),
        ("一万二千三百四十五元", "12,348元"),
    ],
)
def test_a_specific_figure_changed_in_the_court_text(record: str, court: str) -> None:
    text = civil(principal_found=record, principal_court=court, principal_claim=record)
    f = only_error_at(text, court)
    assert f.type == "amount" and "不一致" in f.message


def test_a_round_figure_ten_times_off_in_the_same_words_is_a_warning() -> None:
    text = civil(principal_court="12万元")
    assert errors(text) == []
    found = [f for f in check_judgment_text(text) if f.type == "amount"]
    assert [text[f.start : f.end] for f in found] == ["12万元"] and found[0].severity == "warning"


def test_a_restated_criminal_figure_changed() -> None:
    text = criminal(value="3539元")
    assert only_error_at(text, "3539元").type == "amount"


def test_approximate_amounts_are_not_checked() -> None:
    assert errors(criminal(value="3500余元")) == []


# ---------------------------------------------------------------- sums and calculations


def test_a_total_in_mixed_numerals_adds_up() -> None:
    text = civil()
    total = next(t for t in find_totals(text) if t.amount.quote == "5000元")
    assert [m.quote for m in total.items] == ["2000元", "三千元"] and total.adds_up()


def test_a_total_that_does_not_add_up() -> None:
    text = civil(repaid_total="6000元")
    f = only_error_at(text, "6000元")
    assert f.type == "computation" and "2000元＋三千元" in f.evidence


def test_a_calculation_that_does_not_come_out() -> None:
    text = civil(calc="12000元－5000元＝7500元")
    f = only_error_at(text, "7500元")
    assert f.type == "computation" and "7000" in f.message
    assert [c.computed for c in find_calculations("误工费140天×100元＝14000元")] == [14000]


def test_per_unit_rates_and_percentages_in_calculations() -> None:
    text = "残疾赔偿金10265元×20年×20%＝41060元，护理费100元／天×30天＝3000元。"
    assert [(c.computed, c.stated) for c in find_calculations(text)] == [(41060, 41060), (3000, 3000)]


# ---------------------------------------------------------------- interest


def test_a_stated_interest_figure_that_does_not_follow() -> None:
    text = civil(interest="73.70元")
    f = only_error_at(text, "73.70元")
    assert f.type == "computation" and "利息" in f.message


def test_an_ordered_rate_above_the_legal_ceiling() -> None:
    text = civil(rate="年利率24%", interest="")
    f = only_error_at(text, "年利率24%")
    assert "上限" in f.message and "14.8%" in f.message  # 4 × the LPR when the loan was made


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "written", ["2023年2月30日", "2023.2.30", "二〇二三年二月三十日", "2023-04-31", "2023年13月5日"]
)
def test_impossible_dates(written: str) -> None:
    text = civil(heard=written)
    f = only_error_at(text, written)
    assert f.type == "date" and "不存在" in f.message


@pytest.mark.parametrize("written", ["2022.9.6", "2022年9月6日", "二〇二二年九月六日"])
def test_date_forms_are_read_alike(written: str) -> None:
    assert errors(civil(**{"from": written})) == []


def test_a_range_that_ends_before_it_starts() -> None:
    text = civil(to="2022.9.1")
    f = [f for f in errors(text) if f.type == "date"]
    assert len(f) == 1 and "早于起日" in f[0].message
    assert text[f[0].start : f[0].end].endswith("2022.9.1")


def test_a_judgment_signed_before_its_own_hearing() -> None:
    text = civil(signed="二〇二三年三月五日")
    found = errors(text)
    assert {text[f.start : f.end] for f in found} == {"二〇二三年三月五日", "2023年4月10日", "2023年5月8日"}
    assert all(f.type == "date" for f in found)


def test_a_defendant_born_after_the_events() -> None:
    text = criminal(born="2018年1月1日")
    f = only_error_at(text, "2018年1月1日")
    assert f.type == "date" and "出生" in f.message


def test_custody_set_off_longer_than_the_sentence() -> None:
    assert errors(criminal(term="六个月", release="2018年6月22日")) == []
    text = criminal(term="六个月", release="2018年7月22日")
    f = only_error_at(text, "2018年7月22日")
    assert "超出所判刑期" in f.message


# ---------------------------------------------------------------- parties


def test_a_party_named_with_one_character_changed() -> None:
    text = civil(defendant_court="被告李刚")
    f = only_error_at(text, "李刚")
    assert f.type == "party" and "李强" in f.message


def test_a_party_in_the_wrong_role() -> None:
    text = civil(plaintiff_court="被告张伟")
    f = only_error_at(text, "被告张伟")
    assert f.type == "party" and "原告" in f.message


def test_a_criminal_defendant_called_the_victim_or_his_counsel() -> None:
    assert only_error_at(criminal(convicted="被害人吴某1"), "被害人吴某1").type == "party"
    assert only_error_at(criminal(accused="被告人何晓佳"), "被告人何晓佳").type == "party"
    assert only_error_at(criminal(accused="被告人吴某3"), "吴某3").type == "party"


def test_id_numbers_against_birth_date_and_gender() -> None:
    assert errors(civil(id_number="3301**********001X")) == []
    text = civil(id_number="330106198503210011")
    f = only_error_at(text, "330106198503210011")
    assert "出生日期" in f.evidence and "校验位" in f.evidence
    assert id_problems("330106198503120028", None, "男") == ["号码第17位表示女性，与所写性别男不符"]


# ---------------------------------------------------------------- citations


def test_an_article_the_law_does_not_have() -> None:
    text = civil(article="第一千三百零五条", quote="")
    f = only_error_at(text, "第一千三百零五条")
    assert f.type == "citation" and "没有" in f.message


def test_a_quote_that_contradicts_the_article() -> None:
    text = civil(article="第一千零八十四条")
    f = only_error_at(text, "第一千零八十四条")
    assert f.type == "citation" and "不符" in f.message and "第一千零八十四条" in f.evidence


def test_a_quote_of_a_neighbouring_article_is_a_warning() -> None:
    text = civil(article="第六百六十七条")
    assert errors(text) == []
    [f] = [f for f in check_judgment_text(text) if f.type == "citation"]
    assert f.severity == "warning" and "第六百七十五条" in f.message


def test_the_appendix_quote_is_compared_with_the_article() -> None:
    text = criminal(appendix_article="第三十三条")
    assert only_error_at(text, "第三十三条").type == "citation"


def test_a_law_repealed_before_the_facts() -> None:
    text = civil(law="中华人民共和国合同法", article="第二百零六条", quote="")
    f = only_error_at(text, "中华人民共和国合同法")
    assert f.type == "citation" and "已于2021年1月1日废止" in f.message and "第一千二百六十条" in f.evidence
    old = text.replace("2022年3月5日", "2019年3月5日").replace("2022年", "2019年")
    assert [f for f in errors(old) if f.type == "citation"] == []


# ---------------------------------------------------------------- the draft checker uses the same checks


def test_draft_check_finds_a_repealed_law_and_a_wrong_calculation() -> None:
    state = lending_state()
    draft = compose_draft(state)
    changed = draft.model_copy(deep=True)
    for section in changed.sections:
        for sentence in section.sentences:
            sentence.text = sentence.text.replace(
                "依照《中华人民共和国民法典》第五百六十一条、",
                "依照《中华人民共和国合同法》第二百零六条、（100000元－20000元＝90000元）《中华人民共和国民法典》第五百六十一条、",
            )
    found = [f for f in check(changed, state) if f.severity == "error"]
    kinds = {(f.type, changed.text[f.start : f.end]) for f in found}
    assert ("computation", "100000元－20000元＝90000元") in kinds
    assert any(t == "citation" and "合同法" in q for t, q in kinds)

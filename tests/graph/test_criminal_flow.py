"""Criminal cases through the real flow: ledger, statutes, sentencing steps, the judge's edits, the 刑事判决书."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from judgeflow.app.batch import run_batch
from judgeflow.errors import EditValidationError
from judgeflow.graph.state import Actor, ApproveDecision, EditDecision

JUDGE = Actor(role="judge", name="陈立平")


def _start_indictment(runner: Any, case_id: str, text: str, policy: str | None = None) -> Any:
    """Start a criminal case from one indictment text (the criminal policy unless one is given)."""
    from judgeflow.agents.intake import documents_from_rows
    from judgeflow.graph.state import CaseInfo

    documents = documents_from_rows([{"text": text, "kind": "起诉书"}])
    return runner.start(case_id, CaseInfo(case_type="criminal"), documents, policy=policy)


def _approve(runner: Any, case_id: str, checkpoint: str) -> Any:
    return runner.decide(case_id, ApproveDecision(checkpoint=checkpoint, actor=JUDGE))


def _to_reasoning(runner: Any, example: Any) -> Any:
    status = runner.run_folder(example("theft-confession"))
    assert status.checkpoint == "approve_facts"
    _approve(runner, "theft-confession", "approve_facts")
    status = _approve(runner, "theft-confession", "approve_statutes")
    assert status.checkpoint == "approve_reasoning"
    return status


def test_indictment_reads_into_a_criminal_ledger(runner: Any, example: Any) -> None:
    status = runner.run_folder(example("theft-confession"))
    state = status.state
    assert state.case_type == "criminal" and state.policy == "criminal"
    defendants = [f for f in state.facts_of("party") if f.details.get("role") == "被告人"]
    assert [d.value for d in defendants] == ["赵某某"]
    assert [c.value for c in state.facts_of("charge")] == ["盗窃罪"]
    assert {f.value for f in state.facts_of("circumstance")} >= {"自首", "认罪认罚", "退赃退赔", "取得谅解"}
    assert [f.value for f in state.facts_of("amount")] == ["12000.00"]
    assert sorted(f.details["measure"] for f in state.facts_of("custody")) == ["刑事拘留", "逮捕"]
    for fact in state.facts:
        for span in fact.spans:
            doc = next(d for d in state.documents if d.id == span.document_id)
            assert doc.text[span.start : span.end] == span.quote


def test_statutes_follow_from_the_charge_and_the_sentencing_steps(runner: Any, example: Any) -> None:
    runner.run_folder(example("theft-confession"))
    status = _approve(runner, "theft-confession", "approve_facts")
    ids = [s.id for s in status.state.statutes]
    assert ids[0] == "刑法:264"  # the charge's defining article first
    assert "刑法:67" in ids  # 自首
    assert {"刑法:52", "刑法:53"} <= set(ids)  # 并处罚金
    for ref in status.state.statutes:
        assert ref.text and ref.reason


def test_every_sentencing_step_is_in_the_syllogism_and_the_trace(runner: Any, example: Any) -> None:
    status = _to_reasoning(runner, example)
    (s1,) = status.state.syllogisms
    steps = {c.step_id for c in s1.computation}
    assert {"starting_point", "base", "adj:自首", "result", "fine"} <= steps
    assert s1.sentence is not None and s1.sentence.defendant == "赵某某"
    event = [t for t in status.state.trace if t.node == "build_reasoning"][-1]
    assert event.tool_calls and event.tool_calls[0].tool == "sentencing"


def test_a_judges_edit_to_a_sentencing_step_recomputes_the_proposal(runner: Any, example: Any) -> None:
    status = _to_reasoning(runner, example)
    before = status.state.syllogisms[0]
    start_before = next(c for c in before.computation if c.step_id == "starting_point")
    edit = {"syllogisms": {"S1": {"sentencing": {"starting_point": 24, "probation": 0}}}}
    status = runner.decide(
        "theft-confession", EditDecision(checkpoint="approve_reasoning", actor=JUDGE, replacement=edit)
    )
    state = status.state
    after = state.syllogisms[0]
    start_after = next(c for c in after.computation if c.step_id == "starting_point")
    assert start_after.result != start_before.result
    assert "法官设定" in start_after.formula
    assert after.sentence is not None and before.sentence is not None
    assert after.sentence.months > before.sentence.months
    assert after.sentence.probation_months == 0
    assert after.conclusion.decided_by == "judge:陈立平"
    assert state.sentencing_overrides == {"S1": {"starting_point": "24", "probation": "0"}}
    # The draft states the recomputed sentence, with the term's dates counted from custody.
    assert status.checkpoint == "approve_draft"
    orders = next(s for s in state.draft.sections if s.name == "判决主文").text
    assert after.sentence.text in orders and "2024年3月16日起" in orders


def test_an_unknown_sentencing_step_is_refused_and_nothing_changes(runner: Any, example: Any) -> None:
    status = _to_reasoning(runner, example)
    before = status.state.syllogisms
    bad = {"syllogisms": {"S1": {"sentencing": {"no_such_step": 3}}}}
    with pytest.raises(EditValidationError, match="no_such_step"):
        runner.decide(
            "theft-confession", EditDecision(checkpoint="approve_reasoning", actor=JUDGE, replacement=bad)
        )
    assert runner.state("theft-confession").syllogisms == before


def test_signed_criminal_judgment_reads_as_a_criminal_judgment(runner: Any, example: Any) -> None:
    _to_reasoning(runner, example)
    status = _approve(runner, "theft-confession", "approve_reasoning")
    assert not [f for f in status.state.findings if f.blocking]
    status = _approve(runner, "theft-confession", "approve_draft")
    text = status.state.judgment
    assert "刑事判决书" in text and "公诉机关浙江省杭州市西湖区人民检察院" in text
    assert "依照《中华人民共和国刑法》第二百六十四条" in text
    assert "被告人赵某某犯盗窃罪，判处" in text
    assert "接到判决书的第二日起十日内" in text


def _batch(tmp_path: Path, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    run_batch(src, out, case_type="criminal")
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


DRUNK = (
    "某某县人民检察院指控，2023年5月1日22时许，被告人王某某饮酒后驾驶小型轿车行驶至某某路口时被民警查获。"
    "经鉴定，被告人王某某血液中乙醇含量为156mg/100ml。被告人王某某到案后如实供述了上述事实，自愿认罪认罚。"
)


def test_batch_writes_judge_style_rows(home: Path, tmp_path: Path) -> None:
    (row,) = _batch(tmp_path, [{"id": "drunk", "fact": DRUNK}])
    assert row["error"] is None
    assert row["charges"] == ["危险驾驶罪"]
    assert 133 in row["articles"]
    assert row["prison_months"] >= 1 and row["fine"] > 0
    assert "危险驾驶罪" in row["document"] and "刑事判决书" in row["document"]


def test_no_defendant_and_unknown_charges_give_clear_results_not_crashes(home: Path, tmp_path: Path) -> None:
    rows = _batch(
        tmp_path,
        [
            {"id": "nobody", "fact": "某某县人民检察院指控，有人于2023年5月1日在某地吵闹。"},
            {"id": "blank", "fact": "   "},
            {
                "id": "rare",
                "fact": "某某县人民检察院指控被告人李某某犯侮辱罪：2023年5月1日，被告人李某某在微信群中公然侮辱被害人张某某，情节严重。",
            },
        ],
    )
    by_id = {r["id"]: r for r in rows}
    assert by_id["nobody"]["error"] is None and by_id["nobody"]["charges"] == []
    assert "判决主文待法官确定" in by_id["nobody"]["document"]
    assert by_id["blank"]["error"]  # an empty document is refused with a message
    rare = by_id["rare"]
    assert rare["error"] is None
    assert rare["charges"] == ["侮辱罪"]  # named by the prosecution; no sentencing rule for it
    assert "刑罚待法官确定" in rare["document"]


TWO_CHARGES = (
    "某某县人民检察院指控：2023年1月5日，被告人张某某在某超市盗窃财物，价值人民币3000元。"
    "2023年2月10日，被告人张某某以借款为名骗取被害人李某某人民币20000元。"
    "被告人张某某于2023年3月1日被刑事拘留，同年3月15日被逮捕。"
    "公诉机关认为被告人张某某的行为构成盗窃罪、诈骗罪，应数罪并罚。"
)


def test_several_charges_are_combined_under_article_69(runner: Any) -> None:
    status = _start_indictment(runner, "two-charges", TWO_CHARGES, policy="evaluation")
    state = status.state
    assert status.status == "done"
    assert [c.value for c in state.facts_of("charge")] == ["盗窃罪", "诈骗罪"]
    theft, fraud, combined, disposal = state.syllogisms
    assert combined.issue.endswith("数罪并罚") and combined.sentence is not None
    # Nothing was returned: the victims' losses are to be made good (刑法第六十四条).
    assert disposal.sentence is None and "刑法:64" in disposal.major_premise
    assert disposal.conclusion.order == "责令被告人张某某退赔被害人经济损失人民币23000元"
    assert theft.sentence is not None and fraud.sentence is not None
    assert not theft.conclusion.order and not fraud.conclusion.order  # printed once, combined
    months = [theft.sentence.months, fraud.sentence.months]
    assert max(months) <= combined.sentence.months <= sum(months)
    assert "刑法:69" in combined.major_premise
    orders = next(s for s in state.draft.sections if s.name == "判决主文").text
    assert "犯盗窃罪" in orders and "犯诈骗罪" in orders and "决定执行" in orders
    assert "2023年3月1日起" in orders  # the term runs from the first day of custody


def test_a_judges_fact_edit_changes_the_sentencing_inputs(runner: Any, example: Any) -> None:
    status = runner.run_folder(example("theft-confession"))
    amount = status.state.facts_of("amount")[0]
    edit = {"facts": {amount.id: {"value": "60000.00"}}}  # 数额巨大 (the guideline's 3-10 year tier)
    runner.decide("theft-confession", EditDecision(checkpoint="approve_facts", actor=JUDGE, replacement=edit))
    status = _approve(runner, "theft-confession", "approve_statutes")
    (s1,) = status.state.syllogisms
    start = next(c for c in s1.computation if c.step_id == "starting_point")
    assert "数额巨大" in start.label  # the higher tier, from the judge's figure
    # 自首 allows going below the tier's minimum (减轻处罚); the term is still far above the 拘役 proposed before.
    assert s1.sentence is not None and s1.sentence.penalty == "有期徒刑" and s1.sentence.months > 12
    assert any("60000" in c.formula for c in s1.computation)


def test_the_defence_is_quoted_from_the_hearing_record(runner: Any) -> None:
    from judgeflow.agents.intake import documents_from_rows
    from judgeflow.graph.state import CaseInfo

    indictment = (
        "某某县人民检察院起诉书\n经依法审查查明：2023年5月1日，被告人王某某在某商场窃得手机一部，价值人民币3000元。\n"
        "本院认为，被告人王某某的行为构成盗窃罪。"
    )
    record = "庭审笔录\n被告人王某某辩称其只是借用手机，并无非法占有的目的。\n辩护人提出被告人系初犯、偶犯，请求从轻处罚的辩护意见。"
    documents = documents_from_rows(
        [{"text": indictment, "kind": "起诉书"}, {"text": record, "kind": "庭审笔录"}]
    )
    status = runner.start("defence", CaseInfo(case_type="criminal"), documents, policy="evaluation")
    pleadings = next(s for s in status.state.draft.sections if s.name == "诉辩意见").text
    assert "被告人王某某辩称其只是借用手机" in pleadings and "初犯、偶犯" in pleadings
    assert "无异议" not in pleadings  # a defendant who contests is not said to admit
    assert not [f for f in status.state.findings if f.blocking]


DRUG_SALE = (
    "某某区人民检察院指控：2016年9月2日20时许，被告人张某以人民币500元的价格将甲基苯丙胺片剂10颗"
    "贩卖给何某时被当场抓获。民警从何某身上查获甲基苯丙胺片剂10颗，并从张某身上查获毒资人民币500元。"
    "经称量，上述毒品净重0.94克。被告人张某于2016年9月3日被刑事拘留。"
    "公诉机关认为被告人张某的行为构成贩卖毒品罪。"
)


def test_seized_property_is_ordered_from_the_approved_facts_only(runner: Any) -> None:
    status = _start_indictment(runner, "drug-sale", DRUG_SALE)
    assert status.checkpoint == "approve_facts"
    held = status.state.facts_of("property")
    assert [(f.value, f.details.get("category")) for f in held] == [
        ("毒品", "contraband"),
        ("毒资", "seized_money"),
    ]
    assert all(f.spans for f in held)  # each read with where the facts say it

    # Approved as read: article 64 is before the judge and the order confiscates what was seized.
    _approve(runner, "drug-sale", "approve_facts")
    status = _approve(runner, "drug-sale", "approve_statutes")
    assert "刑法:64" in {s.id for s in status.state.statutes}
    disposal = status.state.syllogisms[-1]
    assert disposal.conclusion.order == "扣押在案的毒品、毒资人民币500元予以没收"
    assert set(disposal.minor_premise) == {f.id for f in held}


def test_a_judge_who_strikes_the_seized_property_gets_no_confiscation_order(runner: Any) -> None:
    text = DRUG_SALE.replace("查获毒资人民币500元", "查获手机一部")
    status = _start_indictment(runner, "drug-sale-2", text)
    kept = [f.model_dump(mode="json") for f in status.state.facts if f.kind != "property"]
    runner.decide(
        "drug-sale-2", EditDecision(checkpoint="approve_facts", actor=JUDGE, replacement={"facts": kept})
    )
    status = _approve(runner, "drug-sale-2", "approve_statutes")
    assert not status.state.facts_of("property")
    assert all("没收" not in s.conclusion.order for s in status.state.syllogisms)


UNIT_BRIBERY = (
    "某某区人民检察院指控：2016年期间，被告单位某某建材有限公司在拆迁过程中，为谋取本单位不正当利益，"
    "由被告人李伟华向拆迁安置办公室主任芮某行贿，送给芮某现金人民币11万元。被告人李伟华到案后如实供述。"
    "公诉机关认为，被告单位某某建材有限公司、被告人李伟华的行为构成单位行贿罪。"
)


def test_a_defendant_organisation_is_convicted_and_its_fine_left_to_the_judge(runner: Any) -> None:
    status = _start_indictment(runner, "unit-bribery", UNIT_BRIBERY, policy="evaluation")
    state = status.state
    unit = next(s for s in state.syllogisms if s.issue.startswith("被告单位"))
    assert {"刑法:30", "刑法:31", "刑法:393"} <= set(unit.major_premise)
    assert unit.conclusion.order == "被告单位某某建材有限公司犯单位行贿罪，判处罚金（数额待法官确定）"
    orders = next(s for s in state.draft.sections if s.name == "判决主文").text
    assert "被告单位某某建材有限公司犯单位行贿罪" in orders and "被告人李伟华犯单位行贿罪" in orders


def test_an_organisation_charged_with_a_crime_only_persons_commit_gets_no_proposal(runner: Any) -> None:
    text = "某某区人民检察院指控：被告单位某某商贸有限公司的员工被告人王某盗窃超市财物，价值人民币3000元。公诉机关认为被告人王某的行为构成盗窃罪。"
    status = _start_indictment(runner, "unit-theft", text, policy="evaluation")
    assert not any(s.issue.startswith("被告单位") for s in status.state.syllogisms)
    reasoning = next(e for e in status.state.trace if e.node == "build_reasoning")
    assert "法律未规定单位可以构成" in reasoning.summary


def test_a_tier_that_adds_confiscation_prints_it_in_the_order(runner: Any) -> None:
    text = DRUG_SALE.replace("甲基苯丙胺片剂10颗", "海洛因一包").replace("净重0.94克", "净重60克")
    status = _start_indictment(runner, "big-sale", text, policy="evaluation")
    (s1,) = [s for s in status.state.syllogisms if s.sentence is not None]
    assert any(c.step_id == "confiscation" for c in s1.computation)
    assert s1.conclusion.order.endswith("并处没收个人财产（数额待法官确定）")
    assert "罚金" not in s1.conclusion.order
    assert not [f for f in status.state.findings if f.severity == "error"]

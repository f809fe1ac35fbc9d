"""The rules extractor on the three example cases: concrete values, provenance of every span, and the node."""

from __future__ import annotations

from pathlib import Path

import judgeflow
import pytest
from fixtures_lending import documents as fixture_documents
from judgeflow.agents.extract_facts import counts, extract_facts, extract_ledger
from judgeflow.agents.extraction.evidence import exhibit_name, opinion
from judgeflow.agents.extraction.pleadings import claim_type, defence_topic, third_person
from judgeflow.agents.intake import documents_from_rows, load_case_folder
from judgeflow.graph.state import CaseState, Document, Fact

EXAMPLES = Path(judgeflow.__file__).resolve().parent / "examples"
NAMES = ["clean-loan", "repayment-over-cap", "guarantor"]


def load(name: str) -> tuple[list[Document], list[Fact]]:
    _, docs = load_case_folder(EXAMPLES / name)
    return docs, extract_ledger(docs)


@pytest.fixture(scope="module")
def ledgers() -> dict[str, tuple[list[Document], list[Fact]]]:
    return {name: load(name) for name in NAMES}


def of(facts: list[Fact], kind: str, **details: str) -> list[Fact]:
    return [f for f in facts if f.kind == kind and all(f.details.get(k) == v for k, v in details.items())]


def one(facts: list[Fact], kind: str, **details: str) -> Fact:
    found = of(facts, kind, **details)
    assert len(found) == 1, (kind, details, [(f.id, f.value, f.details) for f in found])
    return found[0]


def kinds_of_documents(fact: Fact, docs: list[Document]) -> set[str]:
    by_id = {d.id: d.kind for d in docs}
    return {by_id[s.document_id] for s in fact.spans}


# ---------------------------------------------------------------- provenance, for every fact


@pytest.mark.parametrize("name", NAMES)
def test_every_quote_is_the_text_at_its_span(
    ledgers: dict[str, tuple[list[Document], list[Fact]]], name: str
) -> None:
    docs, facts = ledgers[name]
    texts = {d.id: d.text for d in docs}
    assert facts
    for fact in facts:
        assert fact.spans, fact.id
        assert fact.origin.kind == "document" and fact.origin.name == "rules:extract_facts"
        for span in fact.spans:
            assert span.quote, fact.id
            assert texts[span.document_id][span.start : span.end] == span.quote, (fact.id, span)


@pytest.mark.parametrize("name", NAMES)
def test_ids_are_sequential_and_stable(
    ledgers: dict[str, tuple[list[Document], list[Fact]]], name: str
) -> None:
    docs, facts = ledgers[name]
    assert [f.id for f in facts] == [f"F{n}" for n in range(1, len(facts) + 1)]
    again = extract_ledger([d.model_copy() for d in docs])
    assert [f.model_dump() for f in again] == [f.model_dump() for f in facts]


def test_counts_by_kind(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    assert counts(ledgers["clean-loan"][1]) == {
        "party": 2,
        "amount": 1,
        "date": 4,
        "period": 1,
        "rate": 1,
        "claim": 3,
        "defence": 3,
        "evidence": 3,
    }
    assert counts(ledgers["repayment-over-cap"][1]) == {
        "party": 2,
        "amount": 1,
        "date": 3,
        "rate": 1,
        "repayment": 2,
        "claim": 3,
        "defence": 3,
        "evidence": 5,
    }
    assert counts(ledgers["guarantor"][1]) == {
        "party": 3,
        "amount": 1,
        "date": 4,
        "period": 1,
        "rate": 1,
        "guarantee": 1,
        "claim": 4,
        "defence": 5,
        "evidence": 3,
    }


# ---------------------------------------------------------------- clean-loan


def test_clean_loan_parties(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    docs, facts = ledgers["clean-loan"]
    lender = one(facts, "party", role="原告")
    assert lender.value == "陈志明"
    assert lender.details == {
        "role": "原告",
        "capacity": "出借人",
        "gender": "男",
        "birth_date": "1980-05-16",
        "ethnicity": "汉族",
        "address": "浙江省杭州市西湖区文一西路588号西溪雅苑3幢2单元801室",
        "id_number": "330106198005******",
        "person": "自然人",
    }
    borrower = one(facts, "party", role="被告")
    assert (borrower.value, borrower.details["capacity"], borrower.details["birth_date"]) == (
        "刘海涛",
        "借款人",
        "1987-09-03",
    )
    # stated in the complaint, the answer and the hearing record
    assert kinds_of_documents(borrower, docs) == {"起诉状", "答辩状", "庭审笔录"}


def test_clean_loan_the_loan(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    docs, facts = ledgers["clean-loan"]
    principal = one(facts, "amount", purpose="principal")
    assert principal.value == "80000.00" and "conflict" not in principal.details
    assert kinds_of_documents(principal, docs) == {"起诉状", "答辩状", "证据目录", "庭审笔录"}
    assert one(facts, "date", purpose="contract_date").value == "2023-04-18"
    assert one(facts, "date", purpose="loan_date").value == "2023-04-18"
    due = one(facts, "date", purpose="due_date")
    assert due.value == "2024-04-17" and any("2024年4月17日前" in s.quote for s in due.spans)
    assert one(facts, "period", purpose="loan_term").value == "1 year"
    rate = one(facts, "rate")
    assert (rate.value, rate.details["stated"], rate.details["basis"], rate.details["purpose"]) == (
        "0.06",
        "年利率6%",
        "year",
        "interest",
    )
    assert not of(facts, "repayment") and not of(facts, "guarantee")
    demand = one(facts, "date", purpose="demand_date")
    assert (demand.value, demand.details["party"]) == ("2024-05-06", "刘海涛")


def test_clean_loan_claims_and_answer(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    _, facts = ledgers["clean-loan"]
    claims = of(facts, "claim")
    assert [(c.details["index"], c.details["type"]) for c in claims] == [
        ("1", "principal"),
        ("2", "interest"),
        ("3", "costs"),
    ]
    assert claims[0].value == "判令被告刘海涛偿还原告借款本金80000元"
    assert claims[0].details["amount"] == "80000.00" and claims[0].details["defendants"] == "刘海涛"
    interest = claims[1].details
    assert (interest["rate"], interest["from_date"], interest["base"]) == ("0.06", "2023-04-18", "80000.00")
    assert "amount" not in interest  # no sum of interest is claimed, only a rate from a date
    defences = of(facts, "defence", party="刘海涛")
    assert [d.details["topic"] for d in defences] == ["other", "principal", "principal"]
    assert defences[1].value == "并非恶意拖欠，确因经济困难暂时无力一次性偿还"
    assert "其分期偿还" in defences[2].value and "答辩人" not in defences[2].value


def test_clean_loan_evidence(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    _, facts = ledgers["clean-loan"]
    exhibits = of(facts, "evidence")
    assert [e.value for e in exhibits] == ["借条", "中国工商银行转账电子回单", "微信聊天记录截图"]
    assert all(e.details["submitted_by"] == "陈志明" and e.details["admitted"] == "yes" for e in exhibits)
    assert exhibits[1].details["purpose"].startswith("原告于2023年4月18日通过中国工商银行向被告转账80000元")


# ---------------------------------------------------------------- repayment-over-cap


def test_over_cap_rate_and_principal(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    _, facts = ledgers["repayment-over-cap"]
    rate = one(facts, "rate", purpose="interest")
    assert (rate.value, rate.details["stated"], rate.details["basis"]) == ("0.24", "月利率2%", "month")
    assert not any("上限" in s.quote for s in rate.spans)  # the defence's words are no agreement
    principal = one(facts, "amount", purpose="principal")
    assert principal.value == "200000.00" and "conflict" not in principal.details
    assert one(facts, "date", purpose="contract_date").value == "2022-11-15"
    assert one(facts, "date", purpose="loan_date").value == "2022-11-15"
    assert one(facts, "date", purpose="due_date").value == "2023-05-14"
    lender = one(facts, "party", role="原告")
    assert lender.details["agent"] == "王敏，江苏衡言律师事务所律师"
    assert one(facts, "party", role="被告").details["gender"] == "女"


def test_over_cap_repayments(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    docs, facts = ledgers["repayment-over-cap"]
    repayments = of(facts, "repayment")
    assert [(r.details["date"], r.value) for r in repayments] == [
        ("2023-03-15", "16000.00"),
        ("2023-07-15", "40000.00"),
    ]
    # the parties dispute how they apply, so the ledger does not say
    assert all(r.details["applied_to"] == "unspecified" for r in repayments)
    for r in repayments:
        assert kinds_of_documents(r, docs) == {"起诉状", "答辩状", "证据目录", "庭审笔录"}
    # the principal lent, not the 176000 the plaintiff says is still owed
    assert [f.value for f in of(facts, "amount")] == ["200000.00"]


def test_over_cap_claims_defences_evidence(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    _, facts = ledgers["repayment-over-cap"]
    claims = of(facts, "claim")
    assert [c.details["type"] for c in claims] == ["principal", "interest", "costs"]
    assert claims[0].details["amount"] == "176000.00"
    assert (claims[1].details["rate"], claims[1].details["from_date"]) == ("0.24", "2023-07-15")
    topics = [d.details["topic"] for d in of(facts, "defence", party="孙丽娟")]
    assert topics == ["interest", "repayment", "interest"]
    repayment_defence = one(facts, "defence", topic="repayment")
    assert repayment_defence.value == "已还款项应当优先冲抵借款本金"
    assert len(repayment_defence.spans) == 2  # the answer, and again at the hearing
    exhibits = {e.value: e.details for e in of(facts, "evidence")}
    assert exhibits["利息计算表"]["admitted"] == "disputed"
    assert exhibits["借条"]["admitted"] == "yes" and "上限" in exhibits["借条"]["objection"]
    lpr = next(d for name, d in exhibits.items() if "贷款市场报价利率公告" in name)
    assert (lpr["submitted_by"], lpr["admitted"]) == ("孙丽娟", "yes")


# ---------------------------------------------------------------- guarantor


def test_guarantor_parties_and_guarantee(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    docs, facts = ledgers["guarantor"]
    assert [(p.value, p.details["role"], p.details["capacity"]) for p in of(facts, "party")] == [
        ("赵明远", "原告", "出借人"),
        ("钱国栋", "被告", "借款人"),
        ("林慧敏", "被告", "保证人"),
    ]
    guarantee = one(facts, "guarantee")
    assert guarantee.value == "林慧敏" and guarantee.details["type"] == "连带责任保证"
    assert "period" not in guarantee.details  # none agreed: the law supplies six months
    assert not of(facts, "period", purpose="guarantee_period")
    assert kinds_of_documents(guarantee, docs) == {"起诉状", "证据目录", "庭审笔录"}
    assert one(facts, "date", purpose="due_date").value == "2023-07-09"
    assert one(facts, "period", purpose="loan_term").value == "6 months"
    assert one(facts, "rate").value == "0.12"
    assert one(facts, "amount", purpose="principal").value == "150000.00"


def test_guarantor_demand(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    docs, facts = ledgers["guarantor"]
    demand = one(facts, "date", purpose="demand_date")
    assert (demand.value, demand.details["party"]) == ("2023-12-18", "林慧敏")
    # the guarantor's answer denies it was a demand: that sentence is no evidence of one
    assert "答辩状" not in kinds_of_documents(demand, docs)
    assert kinds_of_documents(demand, docs) == {"起诉状", "证据目录", "庭审笔录"}


def test_guarantor_claims(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    _, facts = ledgers["guarantor"]
    claims = of(facts, "claim")
    assert [c.details["type"] for c in claims] == ["principal", "interest", "guarantee", "costs"]
    assert claims[2].details["defendants"] == "林慧敏"
    assert claims[3].details["defendants"] == "钱国栋、林慧敏"
    assert claims[1].details["rate"] == "0.12"


def test_guarantor_defences(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    docs, facts = ledgers["guarantor"]
    guarantor = of(facts, "defence", party="林慧敏")
    assert [d.details["topic"] for d in guarantor] == ["guarantee_period", "guarantee_period", "other"]
    assert guarantor[0].value == "保证期间已经届满，其依法不再承担保证责任"
    assert kinds_of_documents(guarantor[0], docs) == {"答辩状", "庭审笔录"}
    borrower = of(facts, "defence", party="钱国栋")  # no written answer: what he said at the hearing
    assert [d.details["topic"] for d in borrower] == ["other", "principal"]
    assert all(kinds_of_documents(d, docs) == {"庭审笔录"} for d in borrower)
    assert "我" not in borrower[1].value and "宽限" in borrower[1].value


def test_guarantor_evidence(ledgers: dict[str, tuple[list[Document], list[Fact]]]) -> None:
    _, facts = ledgers["guarantor"]
    wechat = one(facts, "evidence", index="3")
    assert wechat.value == "微信聊天记录截图"
    assert wechat.details["admitted"] == "yes"  # authenticity admitted; what it proves is contested
    assert "证明目的有异议" in wechat.details["objection"]


# ---------------------------------------------------------------- other inputs


def test_the_fixture_complaint_with_inline_claims() -> None:
    facts = extract_ledger(fixture_documents())
    assert [c.details["type"] for c in of(facts, "claim")] == ["principal", "interest", "guarantee", "costs"]
    assert one(facts, "date", purpose="contract_date").value == "2023-03-10"
    assert one(facts, "date", purpose="loan_date").value == "2023-03-11"
    assert [(r.details["date"], r.value) for r in of(facts, "repayment")] == [("2023-10-15", "20000.00")]
    assert [(d.details["party"], d.details["topic"]) for d in of(facts, "defence")] == [
        ("李强", "principal"),
        ("王芳", "guarantee_period"),
    ]
    assert one(facts, "date", purpose="demand_date").details["party"] == "王芳"


def test_nothing_is_invented() -> None:
    docs = documents_from_rows(
        [
            {
                "name": "起诉状.txt",
                "text": (
                    "民事起诉状\n原告：甲某，男，1980年1月1日出生，汉族，住北京市朝阳区某路1号。\n"
                    "被告：乙某，女，1985年2月2日出生，汉族，住北京市海淀区某路2号。\n"
                    "诉讼请求：\n1. 判令被告偿还借款50000元。\n"
                    "事实与理由：2023年5月1日，被告向原告借款50000元，原告当日以现金交付。\n"
                ),
            }
        ]
    )
    facts = extract_ledger(docs)
    assert counts(facts) == {"party": 2, "amount": 1, "date": 1, "claim": 1}
    assert one(facts, "date", purpose="loan_date").value == "2023-05-01"
    assert not of(facts, "rate") and not of(facts, "date", purpose="due_date")


def test_disagreement_prefers_the_hearing_record_and_names_the_other_value() -> None:
    docs = documents_from_rows(
        [
            {
                "name": "起诉状.txt",
                "text": (
                    "民事起诉状\n原告：甲某，男，1980年1月1日出生，汉族，住某地。\n"
                    "被告：乙某，男，1981年1月1日出生，汉族，住某地。\n"
                    "诉讼请求：\n1. 判令被告偿还借款本金30000元。\n"
                    "事实与理由：2023年6月1日，原告通过银行向被告转账30000元。\n"
                ),
            },
            {
                "name": "庭审笔录.txt",
                "text": (
                    "开庭笔录\n时间：2024年1月2日\n案号：（2024）京0105民初1号\n审判员：丙某\n书记员：丁某\n\n"
                    "审判员：借款是何时交付的？\n原告：记错了，是2023年6月2日通过银行向被告转账30000元。\n"
                    "被告：是6月2日收到的。\n"
                ),
            },
        ]
    )
    loan_date = one(extract_ledger(docs), "date", purpose="loan_date")
    assert loan_date.value == "2023-06-02"
    assert loan_date.details["conflict"] == "2023-06-01"
    assert [s.document_id for s in loan_date.spans] == ["D2"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("判令被告偿还借款本金10000元", "principal"),
        ("判令被告以10000元为基数按年利率6%支付利息", "interest"),
        ("判令被告丙对上述债务承担连带清偿责任", "guarantee"),
        ("本案诉讼费用由被告负担", "costs"),
        ("判令被告赔礼道歉", "other"),
    ],
)
def test_claim_types(text: str, expected: str) -> None:
    assert claim_type(text) == expected


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("保证期间已过，不应承担保证责任", "guarantee_period"),
        ("已还款项应当优先冲抵借款本金", "repayment"),
        ("约定的月利率2%超过法律规定的上限", "interest"),
        ("对借款事实无异议", "other"),
        ("确因经济困难暂时无力一次性偿还", "principal"),
        ("只是出于情面在借条上签名", "other"),
    ],
)
def test_defence_topics(text: str, topic: str) -> None:
    assert defence_topic(text)[0] == topic


def test_third_person_and_exhibit_names() -> None:
    assert third_person("答辩人愿意归还借款，恳请准许答辩人分期偿还。") == "愿意归还借款，恳请准许其分期偿还"
    assert third_person("被答辩人于某日发送的消息不构成催收") == "原告于某日发送的消息不构成催收"
    assert exhibit_name("借条（原件）一份") == "借条"
    assert exhibit_name("微信聊天记录截图（2023年12月18日）") == "微信聊天记录截图"


@pytest.mark.parametrize(
    ("text", "verdict", "objects"),
    [
        ("对真实性、合法性、关联性都没有异议。", "yes", False),
        ("利息计算表是原告自己做的，对真实性、合法性均有异议，不予认可。", "disputed", False),
        ("真实性无异议，但对证明目的有异议，该消息不是催款。", "yes", True),
        ("具体情况我不清楚。", "", False),
    ],
)
def test_cross_examination_opinions(text: str, verdict: str, objects: bool) -> None:
    found, objections = opinion(text)
    assert found == verdict and bool(objections) == objects


# ---------------------------------------------------------------- the graph node


def test_node_returns_facts_and_records_its_tools() -> None:
    _, docs = load_case_folder(EXAMPLES / "guarantor")
    out = extract_facts(CaseState(case_id="g", documents=docs))
    assert [f.model_dump() for f in out["facts"]] == [f.model_dump() for f in extract_ledger(docs)]
    [event] = out["trace"]
    assert event.node == "extract_facts" and event.engine == "rules"
    tools = {c.tool for c in event.tool_calls}
    assert {"find_amounts", "find_dates", "find_rates", "parse_period"} <= tools
    assert event.outputs["by_kind"]["guarantee"] == 1
    assert "judge_comment" not in event.inputs


def test_node_records_the_judges_comment_and_says_it_cannot_act_on_it() -> None:
    _, docs = load_case_folder(EXAMPLES / "clean-loan")
    state = CaseState(case_id="c", documents=docs, feedback={"extract_facts": "借款交付日期请核对"})
    out = extract_facts(state)
    [event] = out["trace"]
    assert event.inputs["judge_comment"] == "借款交付日期请核对"
    assert event.inputs["comment_applied"] is False
    assert "借款交付日期请核对" in event.summary and "无法依据自由文本" in event.summary
    assert [f.model_dump() for f in out["facts"]] == [f.model_dump() for f in extract_ledger(docs)]

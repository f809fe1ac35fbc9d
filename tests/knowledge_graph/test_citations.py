"""Citations: finding them in text (pure), and checking them against the real graph (every verdict)."""

from __future__ import annotations

import pytest
from judgeflow.errors import InputError
from judgeflow.knowledge_graph.citation_text import CitedPart, find_citations
from judgeflow.knowledge_graph.citations import check_citations, quote_matches
from judgeflow.knowledge_graph.curated import load_curated
from judgeflow.knowledge_graph.store import FalkorStore


@pytest.fixture(scope="module")
def store(kg_store: FalkorStore) -> FalkorStore:
    """The session graph with the curated layers (repealed laws among them)."""
    load_curated(kg_store)
    return kg_store


# --- finding citations (no graph) --------------------------------------------------------------


def test_a_list_carries_the_law_over_with_paragraphs_and_items() -> None:
    text = ("依照《中华人民共和国刑法》第一百三十三条之一第一款第（二）项、第六十七条第三款、第七十二条第一款、第三款、"
            "第七十三条第一、三款、第五十二条之规定，判决如下：")  # fmt: skip
    cites = find_citations(text)
    assert [(c.article.key, c.law_form) for c in cites] == [
        ("133之一", "book"), ("67", "carried"), ("72", "carried"), ("73", "carried"), ("52", "carried")
    ]  # fmt: skip
    assert all(c.law == "中华人民共和国刑法" for c in cites)
    assert (
        cites[0].parts == (CitedPart(1, 2),)
        and cites[0].text == "《中华人民共和国刑法》第一百三十三条之一第一款第（二）项"
    )
    assert cites[2].parts == (CitedPart(1), CitedPart(3)) and cites[3].parts == (CitedPart(1), CitedPart(3))
    for c in cites:
        assert text[c.start : c.end] == c.text


def test_bare_names_arabic_numbers_and_this_law() -> None:
    cites = find_citations(
        "根据刑法第133条之一的规定。《刑法》第二百六十九条规定：“……依照本法第二百六十三条的规定定罪处罚。”"
    )
    assert [(c.law, c.article.key, c.law_form) for c in cites] == [
        ("刑法", "133之一", "bare"), ("刑法", "269", "book"), ("刑法", "263", "this_law")
    ]  # fmt: skip
    assert cites[1].quote == "……依照本法第二百六十三条的规定定罪处罚。"
    assert find_citations("依照民诉法第一百二十二条", law_names=["民诉法"])[0].law == "民诉法"


def test_bare_names_match_longest_first_when_names_share_a_prefix() -> None:
    """The names are scanned as a prefix tree: the longest name that is followed by 第 wins, and a
    shorter one is still found where the longer one does not fit."""
    names = ["民诉法", "民诉法解释", "道路交通安全法", "道路交通安全法实施条例", "道路"]
    cites = find_citations(
        "依照民诉法解释第九十条、民诉法第六十七条，道路交通安全法实施条例第九十二条，道路交通安全法第七十六条",
        names,
    )
    assert [(c.law, c.article.number) for c in cites] == [
        ("民诉法解释", 90), ("民诉法", 67), ("道路交通安全法实施条例", 92), ("道路交通安全法", 76)
    ]  # fmt: skip
    # a name with a regex metacharacter is literal text
    assert find_citations("依照A.B法第三条", ["A.B法"])[0].law == "A.B法"
    assert find_citations("依照AxB法第三条", ["A.B法"]) == []


def test_a_new_law_title_or_a_sentence_end_stops_the_carry_over() -> None:
    text = "依照《中华人民共和国刑法》第六十七条及《最高人民法院关于处理自首和立功具体应用法律若干问题的解释》第一条。另查明第三条。"
    cites = find_citations(text)
    assert [(c.law, c.article.number) for c in cites] == [
        ("中华人民共和国刑法", 67), ("最高人民法院关于处理自首和立功具体应用法律若干问题的解释", 1)
    ]  # fmt: skip


def test_what_is_not_a_citation() -> None:
    assert find_citations("双方签订的《借款合同》第五条约定月利率2%。") == []
    assert find_citations("第三条约定的利息") == []
    # a malformed number (条 missing) does not lend its 款 to the article before it
    cites = find_citations("依照《中华人民共和国刑法》第五十三条、第七十二第一款、第三款之规定")
    assert [(c.article.number, c.parts) for c in cites] == [(53, ())]


def test_quotes_match_the_article_despite_punctuation_and_ellipsis() -> None:
    article = "盗窃公私财物，数额较大的，或者多次盗窃、入户盗窃、携带凶器盗窃、扒窃的，处三年以下有期徒刑"
    assert quote_matches("盗窃公私财物，数额较大的……处三年以下有期徒刑", article)
    assert not quote_matches("盗窃公私财物，数额较大的，处五年以下有期徒刑", article)


# --- checking against the graph ----------------------------------------------------------------


def _one(store: FalkorStore, text: str, as_of: str | None = "2026-06-01") -> tuple[str, str]:
    checks = check_citations(store, text, as_of=as_of)
    assert len(checks) == 1, checks
    assert text[checks[0].start : checks[0].end] == checks[0].text
    return checks[0].verdict, checks[0].evidence


def test_verified_citations_with_parts_lists_and_quotes(store: FalkorStore) -> None:
    text = ("依照《中华人民共和国刑法》第一百三十三条之一第一款第（二）项、第六十七条第三款、第五十二条之规定。"
            "刑法第二百六十四条规定：“盗窃公私财物，数额较大的……处三年以下有期徒刑、拘役或者管制”。")  # fmt: skip
    checks = check_citations(store, text, as_of="2020-01-01")
    assert [c.verdict for c in checks] == ["verified"] * 4
    assert checks[0].evidence.endswith("（二）醉酒驾驶机动车的；") and checks[0].article_id
    assert checks[1].law == "中华人民共和国刑法" and checks[1].law_as_written is None  # carried over


@pytest.mark.parametrize(
    ("text", "message"),
    [("刑法第九百条", "没有第九百条"), ("《中华人民共和国刑法》第二百六十四条之五", "没有第二百六十四条之五"),
     ("《中华人民共和国不存在法》第一条", "没有这部法律"), ("本法第三条", "无法确定")],
)  # fmt: skip
def test_not_found(store: FalkorStore, text: str, message: str) -> None:
    verdict, evidence = _one(store, text)
    assert verdict == "not_found" and message in evidence


def test_repealed_laws_and_deleted_articles(store: FalkorStore) -> None:
    assert (
        _one(store, "《中华人民共和国合同法》第八条", "2022-01-01")[0] == "repealed"
    )  # curated: 民法典第1260条
    verdict, evidence = _one(store, "《中华人民共和国合同法》第八条", "2019-01-01")
    assert verdict == "not_found" and "无法核对" in evidence  # in force then, but its text is not held
    assert _one(store, "《中华人民共和国环境保护法》第六条")[0] == "repealed"  # 已废止 in the database
    assert _one(store, "《中华人民共和国刑法》第一百九十九条")[0] == "repealed"  # （删去）


def test_not_yet_in_force(store: FalkorStore) -> None:
    checks = check_citations(store, "《中华人民共和国民法典》第六百六十七条", as_of="2019-03-01")
    assert checks[0].verdict == "not_in_force_at" and checks[0].date == "2019-03-01"
    assert "2021-01-01" in checks[0].evidence
    assert _one(store, "《中华人民共和国医疗保障法》第一条", "2026-06-01")[0] == "not_in_force_at"
    assert _one(store, "《中华人民共和国民法典》第六百六十七条", "2021-01-01")[0] == "verified"


def test_the_version_in_force_on_the_date_is_the_one_checked(store: FalkorStore) -> None:
    old = check_citations(store, "《中华人民共和国仲裁法》第一条", as_of="2025-01-01")[0]
    new = check_citations(store, "《中华人民共和国仲裁法》第一条", as_of="2026-06-01")[0]
    assert old.verdict == new.verdict == "verified" and old.law_id != new.law_id
    assert "为保证公正" in old.evidence and "为了保证公正" in new.evidence


def test_text_mismatch(store: FalkorStore) -> None:
    verdict, evidence = _one(
        store, "《中华人民共和国刑法》第二百六十四条规定：“盗窃公私财物，数额较大的，处五年以下有期徒刑”"
    )
    assert verdict == "text_mismatch" and "五年以下" in evidence


@pytest.mark.parametrize(
    ("text", "message"),
    [("刑法第六十七条第五款", "只有3款"), ("《中华人民共和国刑法》第一百三十三条之一第一款第（九）项", "只有4项"),
     ("刑法第二百六十四条第二款", "只有1款")],
)  # fmt: skip
def test_item_not_found(store: FalkorStore, text: str, message: str) -> None:
    verdict, evidence = _one(store, text)
    assert verdict == "item_not_found" and message in evidence


def test_documents_outside_the_database_are_not_covered(store: FalkorStore) -> None:
    verdict, _ = _one(store, "依照《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条")
    assert verdict == "not_covered"


def test_bad_input(store: FalkorStore) -> None:
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        check_citations(store, "刑法第一条", as_of="2020-13-01")
    with pytest.raises(InputError):
        check_citations(store, None)  # type: ignore[arg-type]
    assert check_citations(store, "没有任何引用的一段话。") == []

"""Retrievers against the real embedded graph: get_article in every form, search_statutes, select_statutes."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from judgeflow.errors import InputError, JudgeflowError
from judgeflow.knowledge_graph.article_numbers import chinese_numeral, parse_article_number, parse_numeral
from judgeflow.knowledge_graph.curated import load_curated
from judgeflow.knowledge_graph.retrievers import (
    ArticleNotFoundError,
    UnknownLawError,
    get_article,
    search_statutes,
    select_statutes,
)
from judgeflow.knowledge_graph.store import FalkorStore


@pytest.fixture(scope="module")
def store(kg_store: FalkorStore) -> FalkorStore:
    """The session graph with the curated layers."""
    load_curated(kg_store)
    return kg_store


# --- numbers ------------------------------------------------------------------------------------


def test_chinese_numerals_round_trip() -> None:
    for n in range(1, 1300):
        assert parse_numeral(chinese_numeral(n)) == n
    assert (
        chinese_numeral(133) == "一百三十三"
        and chinese_numeral(10) == "十"
        and chinese_numeral(1010) == "一千零一十"
    )
    assert parse_article_number("第一百三十三条之一").key == "133之一"  # type: ignore[union-attr]
    assert parse_article_number("133之一").label == "第一百三十三条之一"  # type: ignore[union-attr]
    assert parse_article_number("第133条") == parse_article_number(133)
    assert parse_article_number("第一百三十三条第一款") is None


# --- get_article --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("law", "number", "label"),
    [
        ("刑法", 264, "第二百六十四条"),
        ("中华人民共和国刑法", "264", "第二百六十四条"),
        ("《中华人民共和国刑法》", "第二百六十四条", "第二百六十四条"),
        ("刑法", "二百六十四", "第二百六十四条"),
        ("刑法", "133之一", "第一百三十三条之一"),
        ("刑法", "第一百三十三条之一", "第一百三十三条之一"),
        ("刑法", "第133条之一", "第一百三十三条之一"),
        ("刑诉法", 15, "第十五条"),
        ("民法典", "第一千二百六十条", "第一千二百六十条"),
    ],
)
def test_get_article_in_every_name_and_number_form(
    store: FalkorStore, law: str, number: object, label: str
) -> None:
    article = get_article(store, law, number)  # type: ignore[arg-type]
    assert article.label == label
    assert article.text == article.article_text and article.text
    assert article.path.endswith(f"-HAS_ARTICLE-> {label}")


def test_get_article_addresses_paragraphs_and_items(store: FalkorStore) -> None:
    item = get_article(store, "刑法", "133之一", paragraph=1, item=2)
    assert item.text == "（二）醉酒驾驶机动车的；" and item.citation.endswith("第一款第（二）项")
    assert item.path.endswith("-> 第一款 -> 第（二）项")
    assert get_article(store, "刑法", "133之一", item="（二）").text == item.text  # the only 款 with items
    third = get_article(store, "刑法", 67, paragraph="第三款")
    assert third.text.startswith("犯罪嫌疑人虽不具有前两款规定的自首情节") and third.paragraph_count == 3


@pytest.mark.parametrize(
    ("law", "number", "paragraph", "item", "error", "message"),
    [
        ("中华人民共和国不存在法", 1, None, None, UnknownLawError, "没有这部法律"),
        ("", 1, None, None, UnknownLawError, "法律名称"),
        ("刑法", 0, None, None, ArticleNotFoundError, "正整数"),
        ("刑法", "第零条", None, None, ArticleNotFoundError, "正整数"),
        ("刑法", "abc", None, None, ArticleNotFoundError, "无法识别"),
        ("刑法", 999, None, None, ArticleNotFoundError, "没有第九百九十九条"),
        ("刑法", "264之五", None, None, ArticleNotFoundError, "没有第二百六十四条之五"),
        ("刑法", 264, 5, None, ArticleNotFoundError, "只有1款"),
        ("刑法", "133之一", 1, 9, ArticleNotFoundError, "只有4项"),
        ("刑法", 264, "x", None, ArticleNotFoundError, "无法识别"),
    ],
)
def test_get_article_rejects_what_does_not_exist(
    store: FalkorStore, law: str, number: object, paragraph: object, item: object, error: type, message: str
) -> None:
    with pytest.raises(error, match=message) as info:
        get_article(store, law, number, paragraph, item)  # type: ignore[arg-type]
    assert isinstance(info.value, JudgeflowError)


# --- search_statutes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "citation", "charge"),
    [
        (
            "被告人张某醉酒后驾驶小型轿车在道路上行驶，经鉴定其血液中乙醇含量为182mg/100ml。",
            "刑法第133条之一",
            "危险驾驶罪",
        ),
        ("被告人李某趁被害人不备，在公交车上扒窃手机一部，价值人民币3200元。", "刑法第264条", "盗窃罪"),
        (
            "被告人赵某因琐事与被害人发生争执，持木棍将被害人打伤，经鉴定为轻伤二级。",
            "刑法第234条",
            "故意伤害罪",
        ),
        (
            "被告人王某以每克300元的价格向吸毒人员贩卖甲基苯丙胺2克。",
            "刑法第347条",
            "走私、贩卖、运输、制造毒品罪",
        ),
        (
            "被告人在其经营的棋牌室内组织他人以推筒子方式赌博并抽头渔利，系开设赌场。",
            "刑法第303条",
            "开设赌场罪",
        ),
        (
            "被告人将其银行卡出售给他人用于电信网络诈骗资金支付结算，流水达50万元。",
            "刑法第287条之二",
            "帮助信息网络犯罪活动罪",
        ),
    ],
)
def test_search_finds_the_defining_article_of_a_charge(
    store: FalkorStore, text: str, citation: str, charge: str
) -> None:
    hits = search_statutes(store, text, top_k=10)
    top = hits[0]
    assert top.citation == citation, [h.citation for h in hits]
    assert any(
        r.kind == "charge" and r.path.startswith(f"{charge} -DEFINED_BY-> {citation}") for r in top.why
    )
    assert top.text and 0 < top.score <= 1
    assert top in select_statutes(hits, text)


def test_search_expands_to_circumstances_and_penalty_rules(store: FalkorStore) -> None:
    text = "被告人李某趁被害人不备扒窃手机一部，价值人民币3200元。李某到案后如实供述，赃物已发还被害人。"
    hits = {h.citation: h for h in search_statutes(store, text, top_k=15, law="刑法")}
    confession = hits["刑法第67条"]
    assert any(
        "坦白 -GOVERNED_BY-> 刑法第67条第3款" in r.path and "如实供述" in r.terms for r in confession.why
    )
    fine = hits["刑法第52条"]
    assert any(r.path.startswith("盗窃罪 -DEFINED_BY-> 刑法第264条（fine）") for r in fine.why)
    assert all(h.law == "中华人民共和国刑法" for h in hits.values())


def test_search_follows_references_and_penalty_articles(store: FalkorStore) -> None:
    text = "被告人系国家工作人员，利用职务上的便利，非法收受他人财物共计人民币30万元，为他人谋取利益，构成受贿罪。"
    hits = {h.citation: h for h in search_statutes(store, text, top_k=10)}
    assert {"刑法第385条", "刑法第386条", "刑法第383条"} <= set(hits)
    assert any(r.kind == "penalty" and "PUNISHED_BY-> 刑法第383条" in r.path for r in hits["刑法第383条"].why)


def test_search_reads_civil_causes(store: FalkorStore) -> None:
    text = "原告与被告系朋友关系，被告向原告借款50000元并出具借条，约定月息1%，到期后经催要未还。"
    hits = search_statutes(store, text, top_k=10)
    assert any(
        h.citation == "民法典第667条" and any("民间借贷纠纷 -GOVERNED_BY->" in r.path for r in h.why)
        for h in hits
    )


def test_search_takes_articles_cited_in_the_text(store: FalkorStore) -> None:
    hits = search_statutes(store, "公诉机关认为其行为触犯了《中华人民共和国刑法》第二百九十五条", top_k=5)
    assert hits[0].citation == "刑法第295条" and hits[0].why[0].kind == "direct"


def test_free_text_without_cues_falls_back_to_full_text(store: FalkorStore) -> None:
    hits = search_statutes(store, "船舶 海难 救助 报酬", top_k=5)
    assert hits and all(r.kind == "fulltext" for h in hits for r in h.why)
    assert select_statutes(hits, "船舶 海难 救助 报酬") == []


def test_search_rejects_bad_input(store: FalkorStore) -> None:
    with pytest.raises(InputError):
        search_statutes(store, "   ")
    with pytest.raises(InputError):
        search_statutes(store, "盗窃", top_k=0)
    with pytest.raises(UnknownLawError):
        search_statutes(store, "盗窃", law="不存在的法")
    with pytest.raises(InputError):
        select_statutes([], "", threshold=0)


def test_selection_is_the_likely_part_of_the_ranking(store: FalkorStore) -> None:
    text = "被告人张某醉酒驾驶机动车，血液中乙醇含量为182mg/100ml，到案后如实供述。"
    hits = search_statutes(store, text, top_k=20, law="刑法")
    chosen = select_statutes(hits, text)
    assert chosen and set(h.id for h in chosen) < set(h.id for h in hits)
    assert all(h.score >= 0.45 for h in chosen)
    assert {h.citation for h in chosen} >= {"刑法第133条之一", "刑法第67条"}


# --- command line (the builders the CLI wires in) ------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    from judgeflow.app.kg_tools_cli import add_kg_query_commands, add_statutes_command

    parser = argparse.ArgumentParser(prog="judgeflow")
    sub = parser.add_subparsers(dest="command", required=True)
    add_kg_query_commands(sub.add_parser("kg").add_subparsers(dest="kg_command", required=True))
    add_statutes_command(sub)
    return parser


def test_cli_article_search_check_and_statutes(
    store: FalkorStore,
    kg_home: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JUDGEFLOW_GRAPH_HOME", str(kg_home))
    parser = _parser()
    args = parser.parse_args(
        ["kg", "article", "刑法", "133之一", "--paragraph", "1", "--item", "2", "--json"]
    )
    args.func(args)
    assert json.loads(capsys.readouterr().out)["text"] == "（二）醉酒驾驶机动车的；"
    args = parser.parse_args(
        ["kg", "check", "依照《中华人民共和国刑法》第二百六十四条、第九百条之规定", "--json"]
    )
    with pytest.raises(SystemExit) as exit_info:
        args.func(args)
    assert exit_info.value.code == 1
    verdicts = [c["verdict"] for c in json.loads(capsys.readouterr().out)["citations"]]
    assert verdicts == ["verified", "not_found"]
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"id": "c1", "fact": "被告人醉酒驾驶机动车，血液中乙醇含量为200mg/100ml。"},
                              ensure_ascii=False) + "\n", encoding="utf-8")  # fmt: skip
    args = parser.parse_args(["statutes", str(src), "--out", str(out), "--top", "5"])
    args.func(args)
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["id"] == "c1" and 133 in row["articles"] and len(row["statutes"]) == 5
    assert row["statutes"][0]["why"][0]["path"].startswith("危险驾驶罪 -DEFINED_BY->")
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    args = parser.parse_args(["statutes", str(bad), "--out", str(out)])
    with pytest.raises(InputError, match="不是合法的 JSON"):
        args.func(args)


def test_cli_statutes_as_the_criminal_statute_step_selects(
    store: FalkorStore, kg_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With --case-type the selection is the flow's own statute step: the charge's article and those
    the sentencing rests on (坦白 → 67, the fine → 52/53), not the retrieval's score threshold."""
    monkeypatch.setenv("JUDGEFLOW_GRAPH_HOME", str(kg_home))
    monkeypatch.setenv("JUDGEFLOW_HOME", str(tmp_path / "home"))
    fact = (
        "公诉机关指控：2020年5月3日，被告人张某醉酒驾驶小型轿车在城区道路上行驶，被民警查获。"
        "经鉴定，张某血液中乙醇含量为182mg/100ml。被告人张某到案后如实供述了上述事实。"
    )
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"id": "c1", "fact": fact}, ensure_ascii=False) + "\n", encoding="utf-8")
    args = _parser().parse_args(["statutes", str(src), "--out", str(out), "--case-type", "criminal"])
    args.func(args)
    row = json.loads(out.read_text(encoding="utf-8"))
    assert {133, 67, 52}.issubset(row["articles"])
    assert "刑法第一百三十三条之一" in row["selected"]
    assert row["statutes"], "the ranked list is still the graph search's"
    empty = tmp_path / "empty.jsonl"
    empty.write_text(json.dumps({"id": "c2", "fact": " "}) + "\n", encoding="utf-8")
    args = _parser().parse_args(["statutes", str(empty), "--out", str(out), "--case-type", "criminal"])
    with pytest.raises(InputError, match="缺少 fact"):
        args.func(args)
    from judgeflow.graph.statute_step import statutes_before_judge

    with pytest.raises(InputError, match="未知的案件类型"):
        statutes_before_judge(fact, "divorce")

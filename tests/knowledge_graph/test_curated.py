"""Curated layers: the data files, penalty parsing, and loading them into the real graph."""

from __future__ import annotations

import json
from typing import Any

import pytest
from judgeflow.knowledge_graph import queries as q
from judgeflow.knowledge_graph.curated import CuratedDataError, load_curated, model
from judgeflow.knowledge_graph.curated.loader import CuratedLoadReport
from judgeflow.knowledge_graph.penalties import parse_penalties, summarize
from judgeflow.knowledge_graph.store import FalkorStore


@pytest.fixture(scope="module")
def curated(kg_store: FalkorStore) -> tuple[FalkorStore, CuratedLoadReport]:
    """The session graph with the curated layers loaded (idempotent, adds curated nodes only)."""
    return kg_store, load_curated(kg_store)


def _one(store: FalkorStore, query: str, **params: Any) -> list[dict[str, Any]]:
    return store.read(query, params)


# --- data files ---------------------------------------------------------------------------------


def test_charges_cover_the_common_basic_court_charges() -> None:
    names = {n for c in model.charges() for n in c.names}
    for expected in (
        "危险驾驶罪", "盗窃罪", "诈骗罪", "故意伤害罪", "交通肇事罪", "走私、贩卖、运输、制造毒品罪", "开设赌场罪",
        "寻衅滋事罪", "掩饰、隐瞒犯罪所得、犯罪所得收益罪", "信用卡诈骗罪", "帮助信息网络犯罪活动罪", "容留他人吸毒罪",
        "非法持有毒品罪", "抢劫罪", "抢夺罪", "职务侵占罪", "非法拘禁罪", "聚众斗殴罪", "故意毁坏财物罪", "妨害公务罪",
        "拒不支付劳动报酬罪", "非法吸收公众存款罪", "合同诈骗罪", "强奸罪", "猥亵儿童罪", "敲诈勒索罪", "受贿罪",
        "贪污罪", "行贿罪", "非法采矿罪", "滥伐林木罪", "失火罪", "重大责任事故罪", "组织卖淫罪", "伪造公司印章罪",
        "侵犯公民个人信息罪", "赌博罪", "非法经营罪", "贩卖毒品罪",
    ):  # fmt: skip
        assert expected in names, expected
    assert len(model.charges()) >= 80
    assert len({c.name for c in model.charges()}) == len(model.charges())


def test_every_curated_file_says_where_its_entries_come_from() -> None:
    sources = model.sources()
    assert set(sources) == {"charges.json", "circumstances.json", "causes.json", "repealed_laws.json"}
    assert all("judgeflow" in text for text in sources.values())
    for entry in (*model.charges(), *model.circumstances(), *model.causes()):
        assert entry.anchor and (entry.strong or entry.cues or entry.name), entry.name


def test_sentencing_circumstances_point_at_the_right_articles() -> None:
    by_name = {c.name: c for c in model.circumstances()}
    expected = {
        "自首": ["67"], "坦白": ["67"], "立功": ["68"], "累犯": ["65"], "从犯": ["27"], "胁从犯": ["28"], "主犯": ["26"],
        "共同犯罪": ["25"], "犯罪未遂": ["23"], "犯罪预备": ["22"], "犯罪中止": ["24"], "未成年人犯罪": ["17"],
        "已满七十五周岁": ["17之一"], "违法所得的追缴、退赔和没收": ["64"], "罚金": ["52", "53"], "缓刑": ["72", "73"],
        "数罪并罚": ["69"], "剥夺政治权利": ["56", "55"],
    }  # fmt: skip
    for name, articles in expected.items():
        assert [a.article for a in by_name[name].articles] == articles, name
    assert by_name["认罪认罚"].articles[0].law == "中华人民共和国刑事诉讼法"


# --- penalties ----------------------------------------------------------------------------------


def test_penalty_tiers_are_parsed_from_the_text() -> None:
    tiers = parse_penalties("盗窃公私财物，数额较大的，处三年以下有期徒刑、拘役或者管制，并处或者单处罚金；"
                            "数额巨大或者有其他严重情节的，处三年以上十年以下有期徒刑，并处罚金；数额特别巨大的，"
                            "处十年以上有期徒刑或者无期徒刑，并处罚金或者没收财产。")  # fmt: skip
    assert [(t.min_months, t.max_months, t.life, t.fine) for t in tiers] == [
        (1, 36, False, "optional"), (36, 120, False, "mandatory"), (120, 180, True, "mandatory")
    ]  # fmt: skip
    assert tiers[0].condition.endswith("数额较大的") and tiers[2].confiscation
    detention_only = parse_penalties("在道路上驾驶机动车，有下列情形之一的，处拘役，并处罚金：")
    assert summarize(detention_only)["max_months"] == 6 and detention_only[0].fine == "mandatory"
    murder = parse_penalties(
        "故意杀人的，处死刑、无期徒刑或者十年以上有期徒刑；情节较轻的，处三年以上十年以下有期徒刑。"
    )
    assert murder[0].death and murder[0].life and murder[1].max_months == 120
    assert (
        parse_penalties(
            "以暴力、威胁方法阻碍国家机关工作人员依法执行职务的，处三年以下有期徒刑、拘役、管制或者罚金。"
        )[0].fine
        == "alternative"
    )
    assert parse_penalties("本法自1997年10月1日起施行。") == ()


# --- loading into the graph ---------------------------------------------------------------------


def test_load_writes_every_entry_and_links_it(curated: tuple[FalkorStore, CuratedLoadReport]) -> None:
    store, report = curated
    assert report.charges == len(model.charges()) and report.circumstances == len(model.circumstances())
    assert store.read(q.COUNT_CHARGES)[0]["n"] == len(model.charges())
    assert store.read(q.COUNT_CAUSES)[0]["n"] == len(model.causes())
    assert store.read(q.COUNT_REPEALED_LAWS)[0]["n"] == len(model.repealed_laws())
    rows = _one(store, "MATCH (c:Charge {name: $n})-[r:DEFINED_BY]->(a:Article) RETURN a.label AS label, "
                "a.short_name AS law, r.paragraph AS p", n="危险驾驶罪")  # fmt: skip
    assert rows == [{"label": "第一百三十三条之一", "law": "刑法", "p": 0}]
    rows = _one(store, "MATCH (c:Charge {name: $n})-[r:DEFINED_BY]->(a:Article) RETURN a.number AS n, r.paragraph AS p",
                n="开设赌场罪")  # fmt: skip
    assert rows == [{"n": 303, "p": 2}]
    rows = _one(store, "MATCH (c:Circumstance {name: $n})-[:GOVERNED_BY]->(a:Article) RETURN a.short_name AS law, "
                "a.number AS n", n="认罪认罚")  # fmt: skip
    assert rows == [{"law": "刑事诉讼法", "n": 15}]
    rows = _one(store, "MATCH (c:Cause {name: $n})-[:GOVERNED_BY]->(a:Article) RETURN a.number AS n ORDER BY n",
                n="民间借贷纠纷")  # fmt: skip
    assert 667 in [r["n"] for r in rows] and 679 in [r["n"] for r in rows]


def test_penalty_tiers_in_the_graph_come_from_the_article_text(
    curated: tuple[FalkorStore, CuratedLoadReport],
) -> None:
    store, _ = curated
    row = _one(store, "MATCH (c:Charge {name: '盗窃罪'})-[:PUNISHED_BY]->(a:Article) "
               "RETURN c.penalty_tiers AS tiers, a.number AS n")[0]  # fmt: skip
    tiers = json.loads(row["tiers"])
    assert row["n"] == 264 and [t["max_months"] for t in tiers] == [36, 120, 180] and tiers[2]["life"]
    bribery = _one(
        store, "MATCH (c:Charge {name: '受贿罪'})-[:PUNISHED_BY]->(a:Article) RETURN a.number AS n"
    )
    assert bribery == [{"n": 383}]


def test_loading_again_changes_nothing(curated: tuple[FalkorStore, CuratedLoadReport]) -> None:
    store, first = curated
    before = store.read(q.COUNT_DEFINED_BY)[0]["n"]
    again = load_curated(store)
    assert again == first
    assert store.read(q.COUNT_DEFINED_BY)[0]["n"] == before
    assert store.read(q.COUNT_CHARGES)[0]["n"] == len(model.charges())


def test_an_entry_that_disagrees_with_the_article_is_refused(
    curated: tuple[FalkorStore, CuratedLoadReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = curated
    wrong = model.charges()[0].model_copy(update={"anchor": "这句话不在条文里"})
    monkeypatch.setattr(model, "charges", lambda: (wrong,))
    with pytest.raises(CuratedDataError, match="这句话不在条文里"):
        load_curated(store)
    assert store.read(q.COUNT_CHARGES)[0]["n"] > 1  # refused before writing anything


def test_a_link_to_a_missing_article_is_refused(
    curated: tuple[FalkorStore, CuratedLoadReport], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = curated
    bad = model.charges()[0].model_copy(update={"defined_by": (model.ArticleLink(article="999"),)})
    monkeypatch.setattr(model, "charges", lambda: (bad,))
    with pytest.raises(CuratedDataError, match="999"):
        load_curated(store)

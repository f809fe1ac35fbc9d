"""Citations checked through a real embedded knowledge graph, as of the facts' date (no mocks)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import redis
from judgeflow.agents.checking.citations import citation_issues
from judgeflow.agents.checking.graph_citations import statute_graph
from judgeflow.agents.checking.judgment import check_judgment_text
from judgeflow.knowledge_graph.curated import load_curated
from judgeflow.knowledge_graph.importer import load
from judgeflow.knowledge_graph.server import ensure_server, stop_server
from judgeflow.knowledge_graph.store import FalkorStore, close_shared_stores


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The JUDGEFLOW_GRAPH_HOME of this module's graph."""
    return tmp_path_factory.mktemp("kg-check") / "home"


@pytest.fixture(scope="module")
def store(home: Path) -> Iterator[FalkorStore]:
    """An embedded FalkorDB server of its own, loaded with the statute database and the curated layers."""
    host, port = ensure_server(home)
    graph = FalkorStore(host, port)
    load(graph)
    load_curated(graph)
    yield graph
    graph.close()
    close_shared_stores()
    stop_server(home)


def _issues(
    store: FalkorStore, text: str, facts: str, judged: str | None = None
) -> list[tuple[str, str, str]]:
    found = citation_issues(
        text, date.fromisoformat(facts), date.fromisoformat(judged) if judged else None, store=store
    )
    return [(i.kind, i.severity, text[i.start : i.end]) for i in found]


def test_a_law_not_yet_in_force_on_the_facts_date(store: FalkorStore) -> None:
    text = "依照《中华人民共和国仲裁法》第一条之规定"  # the graph holds two versions of it
    (issue,) = citation_issues(text, date(1990, 3, 1), store=store)
    assert (issue.kind, issue.severity) == ("not_in_force", "error")
    assert text[issue.start : issue.end] == "《中华人民共和国仲裁法》第一条"
    assert "知识图谱（falkordb）" in issue.evidence and ":Law {id:" in issue.evidence
    assert _issues(store, text, "2025-06-01") == []


def test_a_single_held_version_later_than_the_facts_is_a_warning(store: FalkorStore) -> None:
    # Only the version in force from 2021 is held: an earlier text may have applied, so not an error.
    text = "依照《中华人民共和国民法典》第六百六十七条之规定"
    assert _issues(store, text, "2019-03-01") == [
        ("not_in_force", "warning", "《中华人民共和国民法典》第六百六十七条")
    ]
    assert _issues(store, text, "2021-06-01") == []


def test_facts_running_into_the_law_are_not_an_error(store: FalkorStore) -> None:
    text = "依照《中华人民共和国民法典》第六百六十七条之规定"
    assert citation_issues(text, date(2019, 3, 1), store=store, facts_end=date(2021, 3, 1)) == []


def test_a_missing_paragraph_and_a_missing_article(store: FalkorStore) -> None:
    assert _issues(store, "依照《中华人民共和国刑法》第六十七条第五款之规定", "2021-06-01") == [
        ("missing_part", "error", "《中华人民共和国刑法》第六十七条第五款")
    ]
    assert _issues(store, "依照《中华人民共和国刑法》第九百条之规定", "2020-01-01") == [
        ("no_such_article", "error", "《中华人民共和国刑法》第九百条")
    ]


def test_a_missing_paragraph_of_a_text_revised_after_the_facts_is_a_warning(store: FalkorStore) -> None:
    # The graph holds 著作权法 as revised on 2020-11-11; in 2019 its 第十一条 had a 第四款 (moved out in 2020).
    text = "依照著作权法第十一条第四款之规定"
    ((kind, severity, _),) = _issues(store, text, "2019-04-30")
    assert (kind, severity) == ("missing_part", "warning")
    (issue,) = citation_issues(text, date(2019, 4, 30), store=store)
    assert "2020-11-11修订的文本" in issue.message
    assert _issues(store, text, "2021-06-01") == [("missing_part", "error", "著作权法第十一条第四款")]


def test_a_quote_of_an_article_close_by_may_be_renumbering(store: FalkorStore) -> None:
    # 1994 numbering: 第二十六条 was what the text in force from 2007 numbers 第二十七条.
    text = "依照《中华人民共和国城市房地产管理法》第二十六条“房地产开发项目竣工，经验收合格后，方可交付使用。未经验收或者验收不合格的，不得交付使用”之规定"
    (issue,) = citation_issues(text, date(2019, 6, 27), store=store)
    assert (issue.kind, issue.severity) == ("quote_mismatch", "warning")
    assert "第二十七条相符" in issue.message


def test_a_repealed_law_counts_from_its_repeal(store: FalkorStore) -> None:
    text = "依照《中华人民共和国合同法》第八条之规定"
    assert [(k, s) for k, s, _ in _issues(store, text, "2022-01-01")] == [("repealed", "error")]
    assert [s for _, s, _ in _issues(store, text, "2019-01-01")] != ["error"]


def test_a_repeal_when_the_text_dates_no_fact_is_a_warning(store: FalkorStore) -> None:
    # Read as of today for want of a date: the repeal cannot be set against the facts.
    for text in (
        "依照《中华人民共和国合同法》第八条之规定",
        "依照《中华人民共和国民法通则》第八十三条之规定",
    ):
        found = citation_issues(text, None, store=store)
        assert [(i.kind, i.severity) for i in found] == [("repealed", "warning")], found
        assert "早于本案事实发生之日" not in found[0].message


def test_a_quote_that_is_not_the_articles_text(store: FalkorStore) -> None:
    text = "《中华人民共和国刑法》第二百六十四条规定：“盗窃公私财物，数额较大的，处五年以下有期徒刑”"
    assert [(k, s) for k, s, _ in _issues(store, text, "2020-01-01")] == [("quote_mismatch", "error")]


def test_procedural_law_is_checked_as_of_the_decision(store: FalkorStore) -> None:
    text = "依照《中华人民共和国刑事诉讼法》第二百零一条之规定"
    assert _issues(store, text, "1995-01-01", "2020-06-01") == []


def test_judgeflow_check_uses_the_graph_it_is_given(store: FalkorStore) -> None:
    text = (
        "经审理查明，2019年3月1日，被告向原告借款10000元。\n"
        "本院认为，依照《中华人民共和国民法典》第六百六十七条之规定，判决如下：\n"
        "被告于本判决生效之日起十日内偿还原告借款10000元。\n"
    )
    with_graph = [f for f in check_judgment_text(text, store) if f.type == "citation"]
    assert [f.severity for f in with_graph] == ["warning"] and "知识图谱" in with_graph[0].evidence
    assert [f for f in check_judgment_text(text, None) if f.type == "citation"] == []


def _ro_queries(store: FalkorStore) -> int:
    """Read queries the server has run so far."""
    host, port = store.address.split(":")
    stats = redis.Redis(host=host, port=int(port)).info("commandstats")
    return int(stats.get("cmdstat_graph.RO_QUERY", {}).get("calls", 0))


def test_checks_share_one_connection_until_the_graph_changes(
    store: FalkorStore, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUDGEFLOW_GRAPH_HOME", str(home))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    text = "依照《中华人民共和国合同法》第八条、《中华人民共和国刑法》第二百六十四条第五款之规定"

    def check() -> tuple[list[tuple[str, str]], object]:
        with statute_graph() as (graph, why):
            assert graph is not None and why == ""
            found = citation_issues(text, date(2020, 1, 1), store=graph)
            return [(i.kind, i.message) for i in found], getattr(graph, "_link", None)

    first, link = check()
    assert first  # the repealed law and the missing paragraph
    sent = _ro_queries(store)
    again, same_link = check()  # the next case's check: same client, answered from the cache
    assert again == first and same_link is link and _ro_queries(store) == sent
    store.write("CREATE (:Scratch {id: 'reload'})")  # the graph changes (as `judgeflow kg load` would)
    store.write("MATCH (s:Scratch) DELETE s")
    after, _ = check()
    assert after == first and _ro_queries(store) > sent  # read again from the server

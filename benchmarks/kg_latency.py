"""Latency of the retrievers on the graph: p50/p99 of get_article, search_statutes and check_citations.

    python -m judgeflow.benchmarks.kg_latency [--rounds 200] [--data PATH]

Runs against the graph of JUDGEFLOW_GRAPH_HOME / JUDGEFLOW_HOME (the embedded FalkorDB server
unless NEO4J_URI is set), after one warm-up call of each. get_article cycles through lookups in
every name and number form; search_statutes uses the facts of a JuDGE file when --data is given,
else a few built-in fact statements.

Each retriever is timed twice: on a connection of its own that sends every query (`uncached`: the
graph's own latency, what the first case of a process pays), and on the process's shared store that
the flow's steps use (`shared`: repeated lookups answered from its read cache, see `store.py`).
"""

from __future__ import annotations

import argparse
import itertools
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from judgeflow.benchmarks._common import loaded_graph, percentile, read_jsonl, table

LOOKUPS: tuple[tuple[str, Any, Any, Any], ...] = (
    ("刑法", 264, None, None),
    ("中华人民共和国刑法", "第一百三十三条之一", 1, 2),
    ("刑法", "133之一", None, None),
    ("民法典", "第六百七十九条", None, None),
    ("刑诉法", 15, None, None),
    ("中华人民共和国民事诉讼法", "122", None, None),
    ("劳动合同法", 47, None, None),
    ("刑法", "67", "第三款", None),
)
FACTS = (
    "被告人张某醉酒后驾驶小型轿车在道路上行驶，经鉴定其血液中乙醇含量为182mg/100ml。到案后如实供述。",
    "被告人李某趁被害人不备，在公交车上扒窃手机一部，价值人民币3200元。案发后退赔被害人损失并取得谅解。",
    "被告人王某以每克300元的价格向吸毒人员贩卖甲基苯丙胺2克，公安机关在其住处查获毒品及电子秤。",
    "被告人赵某因琐事与被害人发生争执，持木棍将被害人打伤，经鉴定为轻伤二级。赵某主动投案。",
    "原告与被告系朋友关系，被告向原告借款50000元并出具借条，约定月息1%，到期后经催要未还。",
)
CITATION_TEXT = (
    "依照《中华人民共和国刑法》第一百三十三条之一第一款第（二）项、第六十七条第三款、第七十二条第一款、"
    "第三款、第七十三条第一款、第三款、第五十二条之规定，判决如下："
)


def timed(fn: Callable[[], Any], rounds: int) -> list[float]:
    """Wall-clock milliseconds of `rounds` calls."""
    out = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        out.append(1000 * (time.perf_counter() - t0))
    return out


def time_retrievers(store: Any, kind: str, facts: list[str], rounds: int) -> list[list[str]]:
    """Table rows (retriever, store kind, p50, p99, calls) for the three retrievers on `store`."""
    from judgeflow.knowledge_graph.citations import check_citations
    from judgeflow.knowledge_graph.retrievers import get_article, search_statutes

    lookups, texts = itertools.cycle(LOOKUPS), itertools.cycle(facts)
    get_article(store, "刑法", 1)
    search_statutes(store, FACTS[0])
    check_citations(store, CITATION_TEXT)
    rows = []
    for name, fn in (
        ("get_article", lambda: get_article(store, *next(lookups))),
        ("search_statutes (top 10)", lambda: search_statutes(store, next(texts), top_k=10)),
        ("check_citations (7 citations)", lambda: check_citations(store, CITATION_TEXT)),
    ):
        ms = timed(fn, rounds)
        rows.append([name, kind, f"{percentile(ms, 50):.2f}", f"{percentile(ms, 99):.2f}", str(len(ms))])
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Time each retriever and print p50/p99."""
    parser = argparse.ArgumentParser(prog="python -m judgeflow.benchmarks.kg_latency", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--rounds", type=int, default=200, help="calls per retriever (default 200)")
    parser.add_argument("--data", type=Path, default=None, help="JuDGE JSONL whose facts to search")
    parser.add_argument("--home", type=Path, default=None, help="JUDGEFLOW_HOME holding the graph")
    args = parser.parse_args(argv)
    from judgeflow.knowledge_graph.statute_source import graph_home
    from judgeflow.knowledge_graph.store import open_store

    facts = [c["fact"] for c in read_jsonl(args.data)] if args.data else list(FACTS)
    with loaded_graph(args.home) as shared, open_store(args.home or graph_home(), shared=False) as own:
        backend = shared.backend
        rows = time_retrievers(own, "uncached", facts, args.rounds)
        rows += time_retrievers(shared, "shared", facts, args.rounds)
    print(f"Knowledge-graph latency — backend {backend}, {args.rounds} calls each, ms")
    print(table(["retriever", "store", "p50 ms", "p99 ms", "calls"], rows))


if __name__ == "__main__":
    main()

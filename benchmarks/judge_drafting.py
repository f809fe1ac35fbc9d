"""Criminal judgment drafting on JuDGE: the whole flow, scored on the judgments it writes.

    python -m judgeflow.benchmarks.judge_drafting [--data PATH] [--limit N]

Each case's `fact` goes through `judgeflow batch --case-type criminal` (rules engine, no model,
evaluation policy); the generated 刑事判决书 is then read the way JuDGE reads a judgment
(benchmarks.judge_scoring): Criminal Law articles cited before 判决如下, charge names in the 判决主文,
total prison months and fine. Gold: the dataset's `articles` and the same readings of the real
judgment. Side by side, in the same run, the graph's statute retrieval alone (the articles its
selection would cite) for the article measure.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from judgeflow.benchmarks._common import DEFAULT_JUDGE_DEV, read_jsonl, table
from judgeflow.benchmarks.judge_scoring import JudgmentReading, read_judgment, score

PUBLISHED = [
    ("Qwen2.5-7B-Instruct, direct (test set)", ".932", ".691", ".701", ".557"),
    ("Qwen2.5-7B, multi-source RAG + SFT (test set)", ".961", ".766", ".683", ".551"),
]


def draft_all(cases: list[dict[str, object]]) -> tuple[dict[str, dict[str, object]], float]:
    """Run the batch command's code on every case; output rows by id, and seconds taken."""
    from judgeflow.app.batch import run_batch

    with tempfile.TemporaryDirectory(prefix="judgeflow-judge-") as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text(
            "".join(
                json.dumps({"id": f"c{i}", "fact": c["fact"]}, ensure_ascii=False) + "\n"
                for i, c in enumerate(cases)
            ),
            encoding="utf-8",
        )
        started = time.perf_counter()
        run_batch(src, out, case_type="criminal")
        seconds = time.perf_counter() - started
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {str(r["id"]): r for r in rows}, seconds


def gold_reading(case: dict[str, object]) -> JudgmentReading:
    """The real judgment's readings, with the dataset's gold article list."""
    reading = read_judgment(str(case["document"]))
    raw = case.get("articles")
    articles = frozenset(int(a) for a in raw) if isinstance(raw, list) else frozenset()
    return JudgmentReading(reading.charges, articles, reading.prison, reading.fine)


def retrieval_articles(cases: list[dict[str, object]]) -> list[frozenset[int]]:
    """The articles the graph's statute retrieval alone would select for each case."""
    from judgeflow.benchmarks._common import loaded_graph
    from judgeflow.knowledge_graph.retrievers import search_statutes, select_statutes

    out = []
    with loaded_graph(None) as store:
        for case in cases:
            text = str(case["fact"])
            hits = select_statutes(search_statutes(store, text, law="刑法"), text)
            out.append(frozenset(h.number for h in hits if h.law.endswith("刑法")))
    return out


def _row(name: str, s: object) -> list[str]:
    from judgeflow.benchmarks.judge_scoring import Scores

    assert isinstance(s, Scores)
    return [
        name,
        f"{s.charge_f1:.3f}",
        f"{s.article_f1:.3f}",
        f"{s.prison:.3f}",
        f"{s.fine:.3f}",
        "/".join(str(s.counts.get(k, 0)) for k in ("charges", "articles", "prison", "fine")),
    ]


def main(argv: Sequence[str] | None = None) -> None:
    """Draft every case, score the judgments, print the table."""
    parser = argparse.ArgumentParser(
        prog="python -m judgeflow.benchmarks.judge_drafting",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_JUDGE_DEV, help="JuDGE JSONL (fact, articles, document)"
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N cases")
    parser.add_argument("--skip-retrieval", action="store_true", help="do not run the retrieval-only row")
    parser.add_argument("--errors", type=Path, default=None, help="write per-case readings here (JSONL)")
    args = parser.parse_args(argv)
    cases = [c for c in read_jsonl(args.data, args.limit) if c.get("fact") and c.get("document")]
    rows_by_id, seconds = draft_all(cases)
    pairs = []
    failed = 0
    flagged = 0  # drafts the fact-checker still finds an error in (after the bounded revisions)
    details = []
    for i, case in enumerate(cases):
        row = rows_by_id.get(f"c{i}", {})
        if row.get("error"):
            failed += 1
        findings = row.get("findings")
        if isinstance(findings, list) and any(f.get("severity") == "error" for f in findings):
            flagged += 1
        generated = read_judgment(str(row.get("document") or ""))
        gold = gold_reading(case)
        pairs.append((generated, gold))
        details.append(
            {
                "id": case.get("id"),
                "error": row.get("error"),
                "charges": [sorted(generated.charges), sorted(gold.charges)],
                "articles": [sorted(generated.articles), sorted(gold.articles)],
                "prison": [generated.prison, gold.prison],
                "fine": [generated.fine, gold.fine],
                "error_findings": [
                    f.get("message")
                    for f in (findings if isinstance(findings, list) else [])
                    if isinstance(f, dict) and f.get("severity") == "error"
                ],
            }
        )
    ours = score(pairs)
    rows = [_row("judgeflow rules engine (whole flow)", ours)]
    # The rules were tuned on this data: each half scored alone shows how much the figures move.
    half = len(pairs) // 2
    if half:
        rows.append(_row(f"  cases 1–{half}", score(pairs[:half])))
        rows.append(_row(f"  cases {half + 1}–{len(pairs)}", score(pairs[half:])))
    if not args.skip_retrieval:
        retrieved = retrieval_articles(cases)
        alt = score(
            [
                (JudgmentReading(g.charges, arts, None, None), g)
                for (_, g), arts in zip(pairs, retrieved, strict=True)
            ]
        )
        rows.append(
            [
                "graph statute retrieval alone (articles only)",
                "–",
                f"{alt.article_f1:.3f}",
                "–",
                "–",
                str(alt.counts.get("articles", 0)),
            ]
        )
        ratio = ours.article_f1 / alt.article_f1 if alt.article_f1 else float("nan")
        rows.append(["ratio (flow ÷ retrieval alone), article F1", "", f"{ratio:.2f}", "", "", ""])
    rows += [[name, c, a, p, f, "501 (published)"] for name, c, a, p, f in PUBLISHED]
    if args.errors:
        args.errors.write_text(
            "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in details), encoding="utf-8"
        )
    print(
        f"JuDGE criminal drafting — {args.data} — {len(cases)} cases drafted ({failed} failed, "
        f"{flagged} with an error-severity finding left), {seconds / max(1, len(cases)) * 1000:.0f} ms/case"
    )
    print(table(["system", "charge F1", "article F1", "prison", "fine", "cases scored (c/a/p/f)"], rows))


if __name__ == "__main__":
    main()

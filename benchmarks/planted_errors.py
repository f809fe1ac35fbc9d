"""Planted-error benchmark of the judgment checker (`judgeflow check`).

    python -m judgeflow.benchmarks.planted_errors --judge PATH --casegen PATH [--seed S] [--limit N] [--json]
        [--citations database|graph]

Documents: the full criminal judgments of JuDGE (`document`) and the civil CaseGen cases, whose
经审理查明 (`fact`), 本院认为 (`reasoning`) and 判决主文 (`judgment`) are joined into one text. For each
document and each fault kind, the generator (`benchmarks.planting`) makes one copy with one fault
planted at a known place, seeded by the seed, the document and the kind, so runs repeat exactly.

Reported: per kind, how many copies were made, how many had a finding overlapping the planted span
(recall), and how many an error-severity one; and the false-alarm rate: the share of the unmodified
documents with any error-severity finding.

Citations are checked against the statute database by default (so the figures do not depend on what
graph happens to be loaded); `--citations graph` checks them through the loaded knowledge graph, as
`judgeflow check` does when one is loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from judgeflow.agents.checking.judgment import check_judgment_text
from judgeflow.benchmarks.planting import FAULT_NAMES, FAULTS, plant
from judgeflow.knowledge_graph.store import GraphStore


@dataclass
class Tally:
    """Copies, hits and error-severity hits for one fault kind."""

    copies: int = 0
    hits: int = 0
    error_hits: int = 0
    missed: list[str] = field(default_factory=list)


def _read_jsonl(path: Path, what: str) -> list[dict[str, Any]]:
    if not path.is_file():
        sys.exit(f"找不到{what}数据文件：{path}（用 --{what} PATH 指定；see ../shared/bench/README.md）")
    try:
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        sys.exit(f"无法读取{what}数据文件 {path}：{exc}")


def casegen_text(row: dict[str, Any]) -> str:
    """A CaseGen case as one judgment body: 经审理查明, then 本院认为, then the orders."""
    fact = str(row.get("fact", ""))
    head = "" if "查明" in fact[:60] else "经审理查明："
    return f"{head}{fact}\n{row.get('reasoning', '')}\n{row.get('judgment', '')}"


def documents(judge: Path, casegen: Path, limit: int | None) -> list[tuple[str, str]]:
    """(id, text) of every document: JuDGE judgments first, then CaseGen cases."""
    out = [(f"judge:{r.get('id', i)}", str(r["document"])) for i, r in enumerate(_read_jsonl(judge, "judge"))]
    out += [
        (f"casegen:{r.get('id', i)}", casegen_text(r)) for i, r in enumerate(_read_jsonl(casegen, "casegen"))
    ]
    return out[:limit] if limit else out


def _overlaps(findings: list[Any], start: int, end: int, errors_only: bool) -> bool:
    return any(
        f.start < end and start < f.end and (f.severity == "error" or not errors_only) for f in findings
    )


# The graph store of this process when citations are checked through the graph (one per worker).
_GRAPH: list[GraphStore] = []


def open_graph() -> None:
    """Open this process's store on the loaded knowledge graph (a worker's initializer)."""
    from judgeflow.knowledge_graph.statute_source import graph_home, graph_loaded
    from judgeflow.knowledge_graph.store import open_store

    if not graph_loaded(graph_home()):
        sys.exit("--citations graph：没有已加载的知识图谱（先运行 judgeflow kg load）")
    _GRAPH.append(open_store(graph_home()))


def run_document(args: tuple[str, str, str]) -> dict[str, Any]:
    """Check one document as it is and with each kind of fault planted (one worker's unit of work)."""
    doc_id, text, seed = args
    store = _GRAPH[0] if _GRAPH else None
    clean = check_judgment_text(text, store)
    result: dict[str, Any] = {
        "id": doc_id,
        "clean_errors": [
            {"type": f.type, "message": f.message, "quote": text[f.start : f.end]}
            for f in clean
            if f.severity == "error"
        ],
        "planted": {},
    }
    for kind in FAULTS:
        copy = plant(text, kind, f"{seed}:{doc_id}")
        if copy is None:
            continue
        found = check_judgment_text(copy.text, store)
        result["planted"][kind] = {
            "hit": _overlaps(found, copy.start, copy.end, errors_only=False),
            "error_hit": _overlaps(found, copy.start, copy.end, errors_only=True),
            "change": f"{copy.original} → {copy.replacement}",
        }
    return result


def evaluate(docs: list[tuple[str, str]], seed: str, jobs: int, graph: bool = False) -> dict[str, Any]:
    """Recall per fault kind and the false-alarm rate over `docs` (citations through the graph if asked)."""
    work = [(doc_id, text, seed) for doc_id, text in docs]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs, initializer=open_graph if graph else None) as pool:
            results = list(pool.map(run_document, work, chunksize=4))
    else:
        if graph:
            open_graph()
        results = [run_document(w) for w in work]
    summary = _summarize(results)
    summary["seed"] = seed
    summary["citations"] = "graph" if graph else "database"
    summary["by_source"] = {
        source: _summarize([r for r in results if r["id"].startswith(source + ":")])
        for source in ("judge", "casegen")
    }
    return summary


def _summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    tallies = {kind: Tally() for kind in FAULTS}
    for r in results:
        for kind, outcome in r["planted"].items():
            t = tallies[kind]
            t.copies += 1
            t.hits += outcome["hit"]
            t.error_hits += outcome["error_hit"]
            if not outcome["hit"]:
                t.missed.append(f"{r['id']}: {outcome['change']}")
    alarms = [r for r in results if r["clean_errors"]]
    return {
        "documents": len(results),
        "kinds": {
            kind: {
                "name": FAULT_NAMES[kind],
                "copies": t.copies,
                "recall": t.hits / t.copies if t.copies else None,
                "error_recall": t.error_hits / t.copies if t.copies else None,
                "missed": t.missed,
            }
            for kind, t in tallies.items()
        },
        "false_alarm_documents": len(alarms),
        "false_alarm_rate": len(alarms) / len(results) if results else None,
        "false_alarms": [{"id": r["id"], "errors": r["clean_errors"]} for r in alarms],
    }


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def report(summary: dict[str, Any], show: bool) -> str:
    """The figures as a plain-text table (and the misses and false alarms when asked)."""
    lines = [f"文书 {summary['documents']} 份，种子 {summary['seed']}，引用核对：{summary['citations']}", ""]
    parts = summary.get("by_source", {})
    head = f"{'kind':<16}{'copies':>7}{'recall':>8}{'error':>8}"
    head += "".join(f"{source + ' recall':>16}" for source in parts)
    lines.append(head + "  说明")
    for kind, k in summary["kinds"].items():
        row = f"{kind:<16}{k['copies']:>7}{_pct(k['recall']):>8}{_pct(k['error_recall']):>8}"
        for part in parts.values():
            p = part["kinds"][kind]
            row += f"{_pct(p['recall']) + ' (' + str(p['copies']) + ')':>16}"
        lines.append(row + f"  {k['name']}")
    lines += [
        "",
        f"false alarms: {summary['false_alarm_documents']}/{summary['documents']} 份未改动文书有 error 级发现"
        f"（{_pct(summary['false_alarm_rate'])}）"
        + "".join(
            f"；{source} {part['false_alarm_documents']}/{part['documents']}"
            for source, part in parts.items()
        ),
    ]
    if show:
        for kind, k in summary["kinds"].items():
            lines += [f"  missed {kind}: {m}" for m in k["missed"]]
        for alarm in summary["false_alarms"]:
            for e in alarm["errors"]:
                lines.append(f"  alarm {alarm['id']}: [{e['type']}] {e['message']} «{e['quote'][:40]}»")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse arguments, run, print."""
    parser = argparse.ArgumentParser(
        prog="python -m judgeflow.benchmarks.planted_errors", description=__doc__
    )
    parser.add_argument("--judge", type=Path, required=True, help="JuDGE dev.jsonl (full criminal judgments)")
    parser.add_argument(
        "--casegen", type=Path, required=True, help="CaseGen dev.jsonl (civil fact/reasoning/judgment)"
    )
    parser.add_argument("--seed", default="0", help="seed of the generator (default 0)")
    parser.add_argument("--limit", type=int, help="use only the first N documents")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--citations",
        choices=("database", "graph"),
        default="database",
        help="check citations against the statute database (default) or the loaded knowledge graph",
    )
    parser.add_argument("--show", action="store_true", help="list the misses and the false alarms")
    args = parser.parse_args(argv)
    docs = documents(args.judge, args.casegen, args.limit)
    began = time.perf_counter()
    summary = evaluate(docs, args.seed, max(1, args.jobs), args.citations == "graph")
    summary["seconds"] = round(time.perf_counter() - began, 1)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        print(report(summary, args.show))
        print(f"\n用时 {summary['seconds']} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())

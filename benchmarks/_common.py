"""What the benchmark commands share: reading a JSONL file given on the command line, the graph, stats."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

DEFAULT_JUDGE_DEV = Path("../shared/bench/judge/dev.jsonl")


def _fail(message: str) -> NoReturn:
    print(message, file=sys.stderr)
    raise SystemExit(2)


def read_jsonl(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Rows of a JSONL file; exits with a message (status 2) if the file is absent or unreadable."""
    if not path.is_file():
        _fail(f"数据文件不存在：{path}（pass --data PATH to a JuDGE-style JSONL file）")
    rows = []
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rows.append(json.loads(line))
                if limit is not None and len(rows) >= limit:
                    break
    except (OSError, json.JSONDecodeError) as exc:
        _fail(f"无法读取数据文件 {path}：{exc}")
    return rows


@contextmanager
def loaded_graph(home: Path | None = None) -> Iterator[Any]:
    """A store on the graph (JUDGEFLOW_GRAPH_HOME / JUDGEFLOW_HOME by default), loaded with statutes and curated layers."""
    from judgeflow.errors import JudgeflowError
    from judgeflow.knowledge_graph import queries as q
    from judgeflow.knowledge_graph.curated import ensure_curated
    from judgeflow.knowledge_graph.statute_source import graph_home
    from judgeflow.knowledge_graph.store import open_store

    try:
        store = open_store(home or graph_home())
    except JudgeflowError as exc:
        _fail(str(exc))
    try:
        if not store.read(q.COUNT_ARTICLES)[0]["n"]:
            from judgeflow.knowledge_graph.importer import load

            print("图谱为空，正在导入法条库……", file=sys.stderr)
            load(store)
        ensure_curated(store)
        yield store
    finally:
        store.close()


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank) of values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns (CJK counted as two columns)."""

    def width(s: str) -> int:
        return sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in s)

    cols = [max(width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (cols[i] - width(c)) for i, c in enumerate(cells)).rstrip()

    return "\n".join([line(headers), line(["-" * c for c in cols]), *(line(r) for r in rows)])

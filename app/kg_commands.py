"""`judgeflow kg load|status|stop`: import the statute database into the knowledge graph, count it, stop it.

Wired into the CLI by `add_kg_load_status(sub)` on the top-level subparsers.
"""

from __future__ import annotations

import argparse
import json
from typing import Any


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else text)


def cmd_kg_load(args: argparse.Namespace) -> None:
    """Import every law and article of the statute database into the graph (idempotent)."""
    from judgeflow.knowledge_graph.importer import kg_load

    r = kg_load()
    text = (
        f"知识图谱（{r['backend']}）：{r['laws']}/{r['source_laws']} 部法律，{r['articles']}/{r['source_articles']} 条"
        f"（源 {r['source_article_rows']} 行），{r['chapters']} 章，{r['sections']} 节，"
        f"{r['references']} 条引用，{r['versions']} 个旧版本；本次改动 {r['changed']}，用时 {r['seconds']} 秒"
        + ("" if r["ok"] else "。与源数据库不一致！")
    )
    _emit(args, r, text)
    if not r["ok"]:
        raise SystemExit(1)


def cmd_kg_status(args: argparse.Namespace) -> None:
    """Count the graph's nodes and relationships next to the source database's counts."""
    from judgeflow.knowledge_graph.importer import kg_status

    s = kg_status()
    parts = [f"{k} {v}" for k, v in {**s["nodes"], **s["relationships"]}.items()]
    state = "已完整导入" if s["loaded"] else "未导入或不完整（运行 judgeflow kg load）"
    _emit(args, s, f"知识图谱（{s['backend']}）{state}：" + "，".join(parts))


def cmd_kg_stop(args: argparse.Namespace) -> None:
    """Stop the embedded FalkorDB server (its data is saved first)."""
    from judgeflow.knowledge_graph.server import stop_server
    from judgeflow.knowledge_graph.statute_source import graph_home

    stopped = stop_server(graph_home())
    _emit(args, {"stopped": stopped}, "已停止内置图数据库" if stopped else "内置图数据库未在运行")


def add_kg_load_status(subparsers: Any) -> Any:
    """Add `kg` with its `load`, `status` and `stop` subcommands; returns kg's subparsers for more."""
    kg: argparse.ArgumentParser = subparsers.add_parser(
        "kg", help="legal knowledge graph (statutes)", description="法律知识图谱"
    )
    kg_sub = kg.add_subparsers(dest="kg_command", required=True)
    for name, func, help_text in (
        ("load", cmd_kg_load, "import the statute database into the graph (idempotent)"),
        ("status", cmd_kg_status, "count the graph's nodes and edges against the source"),
        ("stop", cmd_kg_stop, "stop the embedded FalkorDB server"),
    ):
        p = kg_sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
        p.set_defaults(func=func)
    return kg_sub

"""`judgeflow kg article|search|check` and `judgeflow statutes IN.jsonl --out OUT.jsonl`.

Wired into the CLI by `add_kg_query_commands(kg_subparsers)` (the subparsers `kg` returns) and
`add_statutes_command(subparsers)` (the top-level subparsers). Every command takes `--json`;
errors a user can cause are JudgeflowErrors, which the CLI prints as one line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from judgeflow.errors import InputError
from judgeflow.policies.case_policy import DEFAULT_POLICY


def _emit(args: argparse.Namespace, data: Any, text: str) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=1) if args.json else text)


@contextmanager
def _graph() -> Iterator[Any]:
    from judgeflow.knowledge_graph.curated import ensure_curated
    from judgeflow.knowledge_graph.statute_source import graph_home
    from judgeflow.knowledge_graph.store import open_store

    store = open_store(graph_home())
    try:
        ensure_curated(store)
        yield store
    finally:
        store.close()


def _text_arg(args: argparse.Namespace) -> str:
    if args.file:
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"无法读取文件 {args.file}：{exc}") from None
    if args.text == "-":
        return sys.stdin.read()
    if not args.text:
        raise InputError("请给出文本，或用 --file 指定 UTF-8 文本文件")
    return str(args.text)


def _hit_json(hit: Any) -> dict[str, Any]:
    return {
        "id": hit.id, "law": hit.law, "number": hit.number, "suffix": hit.suffix, "label": hit.label,
        "citation": hit.citation, "score": hit.score, "text": hit.text,
        "why": [{"kind": r.kind, "path": r.path, "terms": list(r.terms), "weight": r.weight} for r in hit.why],
    }  # fmt: skip


def cmd_kg_article(args: argparse.Namespace) -> None:
    """Print one article (or one 款/项) by law and number."""
    from judgeflow.knowledge_graph.retrievers import get_article

    with _graph() as store:
        a = get_article(store, args.law, args.number, args.paragraph, args.item)
    data = {
        "id": a.id, "law": a.law, "citation": a.citation, "number": a.number, "suffix": a.suffix,
        "label": a.label, "paragraph": a.paragraph, "item": a.item, "text": a.text, "status": a.status,
        "effective_date": a.effective_date, "path": a.path,
    }  # fmt: skip
    _emit(args, data, f"{a.citation}（{a.status}，{a.effective_date}施行）\n{a.text}\n—— {a.path}")


def cmd_kg_search(args: argparse.Namespace) -> None:
    """Rank articles for facts or a question; mark the ones the statute step would select."""
    from judgeflow.knowledge_graph.retrievers import search_statutes, select_statutes

    text = _text_arg(args)
    with _graph() as store:
        hits = search_statutes(store, text, top_k=args.top, law=args.law)
    chosen = {h.id for h in select_statutes(hits, text)}
    data = {"hits": [_hit_json(h) | {"selected": h.id in chosen} for h in hits]}
    lines = []
    for h in hits:
        mark = "*" if h.id in chosen else " "
        lines.append(f"{mark} {h.score:.2f}  {h.citation}  ← {h.why[0].path if h.why else ''}")
    _emit(args, data, "\n".join(lines) or "没有检索到条文")


def cmd_kg_check(args: argparse.Namespace) -> None:
    """Check every statute citation in a text; exit status 1 if any is not verified."""
    from judgeflow.knowledge_graph.citations import check_citations

    text = _text_arg(args)
    with _graph() as store:
        checks = check_citations(store, text, as_of=args.as_of)
    data = {"citations": [c.as_dict() for c in checks]}
    lines = [f"[{c.start}:{c.end}] {c.text} — {c.verdict}：{c.evidence}" for c in checks]
    _emit(args, data, "\n".join(lines) or "文本中没有法条引用")
    if any(c.verdict not in ("verified", "not_covered") for c in checks):
        raise SystemExit(1)


def cmd_statutes(args: argparse.Namespace) -> None:
    """JSONL in ({id, fact|text}), JSONL out ({id, statutes, selected, articles})."""
    from judgeflow.graph.statute_step import statutes_before_judge
    from judgeflow.knowledge_graph.retrievers import search_statutes, select_statutes

    src, out = Path(args.input), Path(args.out)
    if not src.is_file():
        raise InputError(f"输入文件不存在：{src}")
    done = 0
    with _graph() as store, src.open(encoding="utf-8") as fin, out.open("w", encoding="utf-8") as fout:
        for n, line in enumerate(fin, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{src} 第{n}行不是合法的 JSON：{exc.msg}") from None
            text = row.get("fact") or row.get("text")
            if not isinstance(text, str) or not text.strip():
                raise InputError(f"{src} 第{n}行缺少 fact 或 text 字段")
            hits = search_statutes(store, text, top_k=args.top, law=args.law)
            if args.case_type:
                step = statutes_before_judge(text, args.case_type)
                selected = [f"{s.short_name}{s.article_label}" for s in step]
                articles = sorted({s.article for s in step if s.short_name == "刑法"})
            else:
                chosen = select_statutes(hits, text)
                selected = [h.citation for h in chosen]
                articles = sorted({h.number for h in chosen if h.short_name == "刑法"})
            record = {
                "id": row.get("id", n),
                "statutes": [_hit_json(h) for h in hits],
                "selected": selected,
                "articles": articles,
            }
            fout.write(json.dumps(record, ensure_ascii=False) + "\n")
            done += 1
    _emit(args, {"rows": done, "out": str(out)}, f"已检索 {done} 行，结果写入 {out}")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of text")


def add_kg_query_commands(kg_subparsers: Any) -> None:
    """Add `kg article`, `kg search` and `kg check` to the subparsers of `kg`."""
    p = kg_subparsers.add_parser(
        "article", help="one article by law and number", description="按法律和条号取条文"
    )
    p.add_argument("law", help="full name, short name or alias: 刑法, 中华人民共和国民法典, 刑诉法")
    p.add_argument("number", help="133, 133之一, 第一百三十三条之一")
    p.add_argument("--paragraph", help="款: 1 or 第一款")
    p.add_argument("--item", help="项: 2 or （二）")
    _common(p)
    p.set_defaults(func=cmd_kg_article)
    p = kg_subparsers.add_parser(
        "search", help="statutes for facts or a question", description="检索适用条文"
    )
    p.add_argument("text", nargs="?", help="the text ('-' reads stdin)")
    p.add_argument("--file", help="read the text from a UTF-8 file")
    p.add_argument("--top", type=int, default=10, help="how many articles (default 10)")
    p.add_argument("--law", help="only articles of this law")
    _common(p)
    p.set_defaults(func=cmd_kg_search)
    p = kg_subparsers.add_parser(
        "check", help="check the citations in a text", description="核对文本中的法条引用"
    )
    p.add_argument("text", nargs="?", help="the text ('-' reads stdin)")
    p.add_argument("--file", help="read the text from a UTF-8 file")
    p.add_argument("--as-of", help="the date the law must be in force (YYYY-MM-DD; default today)")
    _common(p)
    p.set_defaults(func=cmd_kg_check)


def add_statutes_command(subparsers: Any) -> None:
    """Add `statutes IN.jsonl --out OUT.jsonl [--top K] [--case-type T]` to the top-level subparsers."""
    p = subparsers.add_parser(
        "statutes", help="retrieve statutes for JSONL rows", description="批量检索适用条文（JSONL 输入输出）"
    )
    p.add_argument("input", help="JSONL with id and fact (or text) per row")
    p.add_argument("--out", required=True, help="output JSONL")
    p.add_argument("--top", type=int, default=10, help="ranked articles per row (default 10)")
    p.add_argument("--law", help="only articles of this law (e.g. 刑法)")
    p.add_argument(
        "--case-type",
        choices=sorted(DEFAULT_POLICY),
        help="select as the flow's statute step does for this case type (facts read, then the articles "
        "the charges and the sentencing rest on); default: the graph retrieval's own selection",
    )
    _common(p)
    p.set_defaults(func=cmd_statutes)

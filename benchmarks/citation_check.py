"""Citation checking on real judgment sentences with planted faults: precision/recall per verdict.

    python -m judgeflow.benchmarks.citation_check [--data PATH] [--limit N] [--seed 7]

From each JuDGE judgment (`document`) the 依照…之规定 sentence is taken as written; its Criminal
Law citations whose article is in the case's gold list are the real citations (expected
`verified`). Each case then gets one planted fault, in rotation: a wrong article number
(not_found), the law renamed to a repealed one (repealed), a 款/项 that does not exist
(item_not_found), a quotation of the article with words changed (text_mismatch; the unchanged
quotation is kept as a verified control), or a Civil Code citation dated before the Code took
effect (not_in_force_at). Ours (`check_citations`) and china-law-mcp's checker
(`china_law_mcp.server.check_citations_in_text`, which can only say verified or not) run on the
same texts; a citation a checker does not report counts as `missed`.
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from judgeflow.benchmarks._common import DEFAULT_JUDGE_DEV, loaded_graph, read_jsonl, table

CRIMINAL_LAW_TITLE = "《中华人民共和国刑法》"
_SENTENCE_RE = re.compile(r"(?:依照|根据|依据)[^。；]*?《中华人民共和国刑法》[^。；]*?(?:之规定|的规定)")
_YEAR_RE = re.compile(r"([二〇零一二三四五六七八九]{4})年[一二三四五六七八九十]+月")
_REPEALED_TITLES = ("《中华人民共和国合同法》", "《中华人民共和国环境保护法》")
FAULTS = ("wrong_number", "repealed", "missing_part", "misquote", "not_in_force")
VERDICTS = ("verified", "not_found", "repealed", "not_in_force_at", "text_mismatch", "item_not_found")


@dataclass
class Item:
    """One text to check, its date, and the expected verdict at each cited article's position."""

    text: str
    as_of: str | None
    expected: dict[int, str] = field(default_factory=dict)  # position of 第 of the article → verdict
    numbers: dict[int, str] = field(
        default_factory=dict
    )  # position → "《law》第N条" as china-law-mcp writes it


def _year(document: str) -> str:
    digits = dict(zip("〇零一二三四五六七八九", "00123456789", strict=True))
    m = _YEAR_RE.findall(document)
    if m:
        year = "".join(digits.get(ch, "") for ch in m[-1])
        if len(year) == 4:
            return f"{year}-06-30"
    return "2018-06-30"


def _real_citations(sentence: str, gold: set[int]) -> list[Any]:
    from judgeflow.knowledge_graph.citation_text import find_citations

    return [c for c in find_citations(sentence) if c.law == "中华人民共和国刑法" and c.article.number in gold]


def _article_pos(cite: Any, text: str) -> int:
    return text.index("第", cite.start) if not cite.text.startswith("第") else cite.start


def _real_item(sentence: str, cites: list[Any]) -> Item:
    item = Item(sentence, None)
    for c in cites:
        pos = _article_pos(c, sentence)
        item.expected[pos] = "verified"
        item.numbers[pos] = f"中华人民共和国刑法|{c.article.label.removesuffix(c.article.suffix)}"
    return item


def _plant(
    kind: str, sentence: str, cites: list[Any], case: dict[str, Any], store: Any, rng: random.Random
) -> list[Item]:
    from judgeflow.knowledge_graph.article_numbers import chinese_numeral
    from judgeflow.knowledge_graph.retrievers import get_article

    target = rng.choice(cites)
    pos = _article_pos(target, sentence)
    label_end = pos + len(target.article.label)
    if kind == "wrong_number":
        wrong = f"第{chinese_numeral(target.article.number + 500)}条"
        text = sentence[:pos] + wrong + sentence[label_end:]
        item = Item(text, None, {pos: "not_found"}, {pos: f"中华人民共和国刑法|{wrong}"})
        return [item]
    if kind == "missing_part":
        text = sentence[:label_end] + "第九款" + sentence[target.end :]
        return [
            Item(text, None, {pos: "item_not_found"}, {pos: f"中华人民共和国刑法|{target.article.label}"})
        ]
    if kind == "repealed":
        title = rng.choice(_REPEALED_TITLES)
        text = sentence.replace(CRIMINAL_LAW_TITLE, title)
        shift = len(title) - len(CRIMINAL_LAW_TITLE)
        item = Item(text, None)
        for c in cites:
            old = _article_pos(c, sentence)
            before = sentence[:old].count(CRIMINAL_LAW_TITLE)
            new = old + before * shift
            item.expected[new] = "repealed"
            item.numbers[new] = f"{title.strip('《》')}|{c.article.label}"
        return [item]
    if kind == "misquote":
        article = get_article(store, "刑法", target.article.key)
        first = re.split(r"[；。]", article.article_text)[0]
        changed = first.replace("三年", "五年") if "三年" in first else first[:4] + "不" + first[4:]
        out = []
        for quote, verdict in ((first, "verified"), (changed, "text_mismatch")):
            text = f"《中华人民共和国刑法》{target.article.label}规定：“{quote}”。"
            p = text.index("第")
            out.append(Item(text, None, {p: verdict}, {p: f"中华人民共和国刑法|{target.article.label}"}))
        return out
    number = rng.choice((143, 577, 667, 1165, 1179))
    text = f"依照《中华人民共和国民法典》第{chinese_numeral(number)}条之规定。"
    p = text.index("第")
    return [Item(text, _year(case["document"]), {p: "not_in_force_at"},
                 {p: f"中华人民共和国民法典|第{chinese_numeral(number)}条"})]  # fmt: skip


def build_items(cases: list[dict[str, Any]], store: Any, seed: int) -> tuple[list[Item], Counter[str]]:
    """Real sentences and planted faults from JuDGE judgments."""
    rng = random.Random(seed)
    items: list[Item] = []
    planted: Counter[str] = Counter()
    for n, case in enumerate(cases):
        m = _SENTENCE_RE.search(case.get("document") or "")
        if not m:
            continue
        sentence = m.group(0) + "。"
        cites = _real_citations(sentence, set(case.get("articles") or ()))
        if not cites:
            continue
        items.append(_real_item(sentence, cites))
        kind = FAULTS[n % len(FAULTS)]
        items.extend(_plant(kind, sentence, cites, case, store, rng))
        planted[kind] += 1
    return items, planted


def ours(store: Any, item: Item) -> dict[int, str]:
    """Our verdict at each expected position (`missed` where no citation covers it)."""
    from judgeflow.knowledge_graph.citations import check_citations

    checks = check_citations(store, item.text, as_of=item.as_of)
    out: dict[int, str] = {}
    for pos in item.expected:
        found = [c for c in checks if c.start <= pos < c.end]
        out[pos] = found[0].verdict if found else "missed"
    return out


def china_law_mcp(item: Item) -> dict[int, str]:
    """china-law-mcp's verdict (verified / not_found) where it reports the citation."""
    from judgeflow.knowledge_graph.article_numbers import parse_article_number

    report = _mcp_check(item.text)
    reported: dict[tuple[str, int], bool] = {}
    for d in report["details"]:
        m = re.match(r"《(.+)》(第.+条)$", d["citation"])
        num = parse_article_number(m.group(2)) if m else None
        if m and num:
            reported[(m.group(1), num.number)] = bool(d["verified"])
    out = {}
    for pos, key in item.numbers.items():
        law, label = key.split("|")
        num = parse_article_number(label)
        hit = reported.get((law, num.number)) if num else None
        out[pos] = "missed" if hit is None else ("verified" if hit else "not_found")
    return out


def _mcp_check(text: str) -> dict[str, Any]:
    from china_law_mcp import server

    result: dict[str, Any] = server.check_citations_in_text(text)
    return result


def per_verdict(expected: list[str], predicted: list[str]) -> list[list[str]]:
    """Rows of precision / recall / support per verdict."""
    rows = []
    for v in VERDICTS:
        tp = sum(1 for e, p in zip(expected, predicted, strict=True) if e == v and p == v)
        n_pred = sum(1 for p in predicted if p == v)
        n_gold = sum(1 for e in expected if e == v)
        prec = f"{tp / n_pred:.3f}" if n_pred else "—"
        rec = f"{tp / n_gold:.3f}" if n_gold else "—"
        rows.append([v, prec, rec, str(n_gold)])
    acc = sum(1 for e, p in zip(expected, predicted, strict=True) if e == p) / max(1, len(expected))
    missed = sum(1 for p in predicted if p == "missed")
    rows.append(["(all) accuracy", f"{acc:.3f}", f"missed {missed}", str(len(expected))])
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Build the items, run both checkers, print the tables."""
    parser = argparse.ArgumentParser(prog="python -m judgeflow.benchmarks.citation_check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_JUDGE_DEV, help="JuDGE JSONL (document, articles)"
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N cases")
    parser.add_argument("--seed", type=int, default=7, help="seed for choosing which citation to fault")
    parser.add_argument("--home", type=Path, default=None, help="JUDGEFLOW_HOME holding the graph")
    args = parser.parse_args(argv)
    cases = read_jsonl(args.data, args.limit)
    expected: list[str] = []
    got_ours: list[str] = []
    got_theirs: list[str] = []
    with loaded_graph(args.home) as store:
        items, planted = build_items(cases, store, args.seed)
        for item in items:
            a, b = ours(store, item), china_law_mcp(item)
            for pos, verdict in item.expected.items():
                expected.append(verdict)
                got_ours.append(a[pos])
                got_theirs.append(b[pos])
    print(f"Citation check — {args.data} — {len(items)} texts, {len(expected)} citations scored; "
          f"planted: {dict(planted)}")  # fmt: skip
    headers = ["verdict", "precision", "recall", "gold"]
    print("\njudgeflow check_citations")
    print(table(headers, per_verdict(expected, got_ours)))
    print("\nchina-law-mcp check_citations_in_text")
    print(table(headers, per_verdict(expected, got_theirs)))


if __name__ == "__main__":
    main()

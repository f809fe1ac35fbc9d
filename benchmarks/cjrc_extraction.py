"""Extraction benchmark on CJRC civil fact paragraphs: are the gold amounts and dates in the ledger?

    python -m judgeflow.benchmarks.cjrc_extraction --data PATH [--json] [--show]

For every answerable question whose (first) gold answer is an amount or a date — the answer holds
exactly one money or date mention and at most a few characters besides (人民币, 共计, 于 …) — the
answer is normalized the way `judgeflow facts` normalizes values (an amount as plain yuan, "12000" or
"1234.50"; a date as ISO, cut to the precision written) and looked up among the values of the
ledger that `judgeflow facts` prints for the question's context. Reported: how many questions
qualified and the share answered (bench/README.md: "answered by the fact ledger if the ledger holds
a fact whose normalized value equals the normalized gold answer").
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from judgeflow.agents.judgment_reader import (
    all_dates,
    amounts,
    facts_json,
    judgment_ledger,
    read_judgment,
    yuan_value,
)
from judgeflow.tools.dates import iso

EXTRA_CHARS = 6  # characters an answer may hold besides its amount or date


def gold_value(answer: str) -> tuple[str, str] | None:
    """('amount' | 'date', normalized value) when the answer is one amount or one date, else None."""
    found = [("amount", m.start, m.end, yuan_value(m.value)) for m in amounts(answer)]
    found += [("date", d.start, d.end, iso(d.value, d.precision)) for d in all_dates(answer)]
    if len(found) != 1:
        return None
    kind, start, end, value = found[0]
    if len(answer.strip()) - (end - start) > EXTRA_CHARS:
        return None
    return kind, value


def ledger_values(context: str) -> set[str]:
    """The values `judgeflow facts` prints for a text."""
    return {str(f["value"]) for f in facts_json(judgment_ledger(read_judgment(context)))}


def evaluate(data: dict[str, Any]) -> dict[str, Any]:
    """Share of amount and date questions whose normalized gold answer is a ledger value."""
    tally: dict[str, list[int]] = {"amount": [0, 0], "date": [0, 0]}
    misses: list[dict[str, str]] = []
    contexts = 0
    for case in data.get("data", []):
        for paragraph in case.get("paragraphs", []):
            contexts += 1
            values: set[str] | None = None
            for qa in paragraph.get("qas", []):
                if str(qa.get("is_impossible", "false")).lower() == "true" or not qa.get("answers"):
                    continue
                gold = gold_value(qa["answers"][0]["text"])
                if gold is None:
                    continue
                if values is None:
                    values = ledger_values(paragraph["context"])
                kind, value = gold
                tally[kind][0] += 1
                if value in values:
                    tally[kind][1] += 1
                else:
                    misses.append(
                        {"id": str(qa.get("id")), "answer": qa["answers"][0]["text"], "value": value}
                    )
    asked = sum(t[0] for t in tally.values())
    found = sum(t[1] for t in tally.values())
    return {
        "contexts": contexts,
        "questions": asked,
        "answered": found,
        "share": found / asked if asked else None,
        "by_kind": {
            k: {"questions": t[0], "answered": t[1], "share": t[1] / t[0] if t[0] else None}
            for k, t in tally.items()
        },
        "misses": misses,
    }


def main(argv: list[str] | None = None) -> int:
    """Entry point: read the CJRC file, run, print."""
    parser = argparse.ArgumentParser(
        prog="python -m judgeflow.benchmarks.cjrc_extraction", description=__doc__
    )
    parser.add_argument("--data", type=Path, required=True, help="CJRC civil dev.json (SQuAD-2.0 layout)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show", action="store_true", help="list the questions the ledger misses")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        sys.exit(f"找不到 CJRC 数据文件：{args.data}（用 --data PATH 指定；see ../shared/bench/README.md）")
    try:
        data = json.loads(args.data.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        sys.exit(f"无法读取 CJRC 数据文件 {args.data}：{exc}")
    began = time.perf_counter()
    result = evaluate(data)
    result["seconds"] = round(time.perf_counter() - began, 1)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    print(
        f"段落 {result['contexts']} 个；金额/日期问题 {result['questions']} 个，台账命中 {result['answered']} 个"
    )
    for kind, k in result["by_kind"].items():
        share = "—" if k["share"] is None else f"{k['share']:.3f}"
        print(f"  {kind:<7} {k['answered']}/{k['questions']} = {share}")
    share = "—" if result["share"] is None else f"{result['share']:.3f}"
    print(f"share: {share}（用时 {result['seconds']} 秒）")
    if args.show:
        for miss in result["misses"]:
            print(f"  missed {miss['id']}: {miss['answer']} → {miss['value']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
